/*
 * fuzz_mx_match, fuzz_mx_match_oracle - mtasts_mx_match(pattern, host).
 *
 * Input (no flags byte: the function has no options): the pattern, then
 * LF, then the host. Without an LF the whole input is both the pattern and
 * the host.
 * Fast (fuzz_mx_match): the result's range and kind, ASCII
 * case-insensitivity, the one trailing host dot.
 * Differential (fuzz_mx_match_oracle, FZ_DIFFERENTIAL): also agreement with
 * the oracle (validity of each side and the kind of match), and that a
 * pattern is valid exactly when it is accepted as a policy's mx line, where
 * mtasts_policy_match must then agree with mtasts_mx_match.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static char *swap_case(const char *p, size_t n) {
  char *q = malloc(n + 1);
  if (q == NULL)
    abort();
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 'a' && c <= 'z')
      c = (unsigned char)(c - 32);
    else if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c + 32);
    q[i] = (char)c;
  }
  return q;
}

/* A policy whose only mx line is the pattern, when the pattern can be
 * written on an mx line unchanged (no line break, no WSP to trim). */
static void check_as_policy(const char *pat, size_t plen, const char *host, size_t hlen,
                            mtasts_match m) {
  /* Against a host that is surely valid, only the pattern can be bad. */
  bool pattern_ok = mtasts_mx_match(pat, plen, "a", 1) != MTASTS_MATCH_BAD_PATTERN;
  for (size_t i = 0; i < plen; i++)
    if (pat[i] == '\r' || pat[i] == '\n' || pat[i] == ' ' || pat[i] == '\t')
      return;
  static const char head[] = "version: STSv1\nmode: testing\nmx: ";
  static const char tail[] = "\nmax_age: 1\n";
  size_t len = sizeof(head) - 1 + plen + sizeof(tail) - 1;
  char *body = malloc(len);
  if (body == NULL)
    abort();
  memcpy(body, head, sizeof(head) - 1);
  if (plen > 0)
    memcpy(body + sizeof(head) - 1, pat, plen);
  memcpy(body + sizeof(head) - 1 + plen, tail, sizeof(tail) - 1);
  mtasts_mx mx[1];
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_policy p;
  mtasts_policy_init(&p, mx, 1, ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse(body, len, NULL, &p);
  FZ_CHECK((code == MTASTS_OK) == pattern_ok, mtasts_errname(code));
  FZ_CHECK(m != MTASTS_MATCH_BAD_PATTERN || !pattern_ok, "BAD_PATTERN for a valid pattern");
  if (code == MTASTS_OK) {
    long j = mtasts_policy_match(&p, host, hlen);
    FZ_CHECK((j == 0) == (m > 0), "policy_match != mx_match");
    FZ_CHECK(j == 0 || j == -1, "policy_match index");
  }
  free(body);
}

/* The policy re-feeding and the oracle. */
static void differential(const char *pat, size_t plen, const char *host, size_t hlen,
                         mtasts_match m) {
  check_as_policy(pat, plen, host, hlen, m);
  oracle_match o;
  if (oracle_mx_match(fz_oracle(), (const unsigned char *)(pat ? pat : ""), plen,
                      (const unsigned char *)(host ? host : ""), hlen, &o) == ORACLE_VALID) {
    char what[96];
    snprintf(what, sizeof(what), "mtasts_mx_match = %d; oracle pattern_ok %d host_ok %d result %d",
             (int)m, o.pattern_ok, o.host_ok, o.result);
    bool agree;
    if (m == MTASTS_MATCH_BAD_PATTERN)
      agree = !o.pattern_ok;
    else if (m == MTASTS_MATCH_BAD_HOST)
      agree = !o.host_ok;
    else
      agree = o.pattern_ok && o.host_ok && (int)m == o.result;
    if (!agree)
      fz_disagree("fuzz_mx_match", what, NULL);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *lf = size ? memchr(data, '\n', size) : NULL;
  size_t plen = lf ? (size_t)(lf - data) : size;
  const uint8_t *hstart = lf ? lf + 1 : data;
  size_t hlen = lf ? size - plen - 1 : size;
  const char *pat = fz_piece(data, plen);
  const char *host = fz_piece(hstart, hlen);

  mtasts_match m = mtasts_mx_match(pat, plen, host, hlen);
  FZ_CHECK(m >= MTASTS_MATCH_BAD_HOST && m <= MTASTS_MATCH_WILDCARD, "match value");
  FZ_CHECK(m != MTASTS_MATCH_EXACT || !(plen >= 2 && pat[0] == '*' && pat[1] == '.'),
           "exact match of a wildcard pattern");
  FZ_CHECK(m != MTASTS_MATCH_WILDCARD || (plen >= 2 && pat[0] == '*' && pat[1] == '.'),
           "wildcard match of a plain pattern");

  /* ASCII case does not matter, on either side. */
  char *upat = swap_case(pat ? pat : "", plen);
  char *uhost = swap_case(host ? host : "", hlen);
  FZ_CHECK(mtasts_mx_match(upat, plen, uhost, hlen) == m, "case changed the result");

  /* One trailing dot on the host is removed first (R13). */
  if (hlen == 0 || host[hlen - 1] != '.') {
    char *dotted = malloc(hlen + 1);
    if (dotted == NULL)
      abort();
    if (hlen > 0)
      memcpy(dotted, host, hlen);
    dotted[hlen] = '.';
    FZ_CHECK(mtasts_mx_match(pat, plen, dotted, hlen + 1) == m, "trailing dot changed the result");
    free(dotted);
  }

  if (FZ_DIFFERENTIAL)
    differential(pat, plen, host, hlen, m);

  free(upat);
  free(uhost);
  fz_piece_free(pat);
  fz_piece_free(host);
  return 0;
}
