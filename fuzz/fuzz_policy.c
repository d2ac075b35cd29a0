/*
 * fuzz_policy, fuzz_policy_oracle - mtasts_policy_parse on a policy body.
 *
 * Input: byte 0 = flags (bit 0: the oracle compares the lenient profile;
 * bits 2-7: what an earlier parse left in the mx and ext arrays, see
 * stale_items), the rest = the body.
 * Fast (fuzz_policy): both profiles parsed once each with room for every
 * mx and extension; the result and reset invariants, the profile
 * invariants, and the match helper on the stored patterns.
 * Differential (fuzz_policy_oracle, FZ_DIFFERENTIAL): also the capacity
 * contract of both arrays (sizing pass, one slot short) and the oracle.
 */
#include <string.h>

#include "fuzz_common.h"

#define WARN_CAP 65536 /* a warning per line of the largest body is possible */

static mtasts_mx mx_store[2][MTASTS_POLICY_MAX_MX];
static mtasts_ext ext_store[2][MTASTS_MAX_EXTENSIONS];

static bool same_policy(const mtasts_policy *a, const mtasts_policy *b) {
  if (a->err_offset != b->err_offset || a->mode != b->mode || a->max_age != b->max_age ||
      a->mx_count != b->mx_count || a->ext_count != b->ext_count)
    return false;
  mtasts_span sa[3] = {a->version, a->mode_text, a->max_age_text};
  mtasts_span sb[3] = {b->version, b->mode_text, b->max_age_text};
  for (int i = 0; i < 3; i++)
    if (sa[i].off != sb[i].off || sa[i].len != sb[i].len)
      return false;
  for (size_t i = 0; i < a->mx_count; i++)
    if (a->mx[i].pattern.off != b->mx[i].pattern.off ||
        a->mx[i].pattern.len != b->mx[i].pattern.len || a->mx[i].wildcard != b->mx[i].wildcard)
      return false;
  for (size_t i = 0; i < a->ext_count; i++)
    if (a->ext[i].name.off != b->ext[i].name.off || a->ext[i].name.len != b->ext[i].name.len ||
        a->ext[i].value.off != b->ext[i].value.off || a->ext[i].value.len != b->ext[i].value.len)
      return false;
  return true;
}

static bool span_equals(mtasts_span s, const char *lit) {
  return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

static void check_failed(const mtasts_policy *p, size_t len) {
  FZ_CHECK(p->err_offset <= len, "err_offset > length");
  FZ_CHECK(fz_span_unset(p->version) && fz_span_unset(p->mode_text) &&
               fz_span_unset(p->max_age_text),
           "span set after failure");
  FZ_CHECK(p->mode == MTASTS_MODE_UNSET && p->mx_count == 0 && p->ext_count == 0,
           "result set after failure");
  /* The harness clears the whole ext array before each parse (stale_items). */
  for (size_t i = 0; i < p->ext_cap; i++)
    FZ_CHECK(fz_span_unset(p->ext[i].name) && fz_span_unset(p->ext[i].value),
             "ext span after failure");
}

static void check_parsed(const mtasts_policy *p, const char *body, size_t len) {
  FZ_CHECK(p->err_offset == 0, "err_offset on success");
  fz_check_joined_span(p->version, body, len);
  FZ_CHECK(span_equals(p->version, "STSv1"), "version");
  fz_check_joined_span(p->mode_text, body, len);
  static const char *const modes[] = {"", "enforce", "testing", "none"};
  FZ_CHECK(p->mode >= MTASTS_MODE_ENFORCE && p->mode <= MTASTS_MODE_NONE, "mode");
  FZ_CHECK(span_equals(p->mode_text, modes[p->mode]), "mode text");
  fz_check_joined_span(p->max_age_text, body, len);
  FZ_CHECK(p->max_age_text.len >= 1 && p->max_age_text.len <= MTASTS_MAX_AGE_DIGITS, "digits");
  uint64_t value = 0;
  for (size_t i = 0; i < p->max_age_text.len; i++) {
    unsigned char c = (unsigned char)p->max_age_text.ptr[i];
    FZ_CHECK(c >= '0' && c <= '9', "max_age digit");
    value = value * 10u + (uint64_t)(c - '0');
  }
  FZ_CHECK(p->max_age == (value > MTASTS_MAX_AGE_LIMIT ? MTASTS_MAX_AGE_LIMIT : value), "max_age");
  FZ_CHECK(p->mx_count == p->mx_needed && p->mx_count <= p->mx_cap, "mx counts");
  FZ_CHECK(p->mx_count > 0 || p->mode == MTASTS_MODE_NONE, "mx required");
  for (size_t i = 0; i < p->mx_count; i++) {
    mtasts_span s = p->mx[i].pattern;
    fz_check_joined_span(s, body, len);
    bool star = s.len >= 2 && s.ptr[0] == '*' && s.ptr[1] == '.';
    FZ_CHECK(p->mx[i].wildcard == star, "wildcard flag");
    /* A stored pattern is a valid pattern; a plain one matches itself. */
    mtasts_match m =
        mtasts_mx_match(s.ptr, s.len, star ? s.ptr + 2 : s.ptr, star ? s.len - 2 : s.len);
    FZ_CHECK(star ? m == MTASTS_MATCH_NONE || m == MTASTS_MATCH_BAD_HOST : m == MTASTS_MATCH_EXACT,
             "stored pattern vs mtasts_mx_match");
  }
  FZ_CHECK(p->ext_count == p->ext_needed && p->ext_count <= p->ext_cap &&
               p->ext_count <= MTASTS_MAX_EXTENSIONS,
           "ext counts");
  for (size_t i = 0; i < p->ext_count; i++) {
    fz_check_joined_span(p->ext[i].name, body, len);
    fz_check_joined_span(p->ext[i].value, body, len);
  }
  for (size_t i = p->ext_count; i < p->ext_cap; i++)
    FZ_CHECK(fz_span_unset(p->ext[i].name) && fz_span_unset(p->ext[i].value),
             "ext span past ext_count");
}

/* mtasts_policy_match finds the first pattern a host matches. */
static void check_policy_match(const mtasts_policy *p) {
  char host[MTASTS_MAX_NAME_LEN + 2];
  size_t limit = p->mx_count < 8 ? p->mx_count : 8;
  for (size_t i = 0; i < limit; i++) {
    mtasts_span s = p->mx[i].pattern;
    size_t n = 0;
    if (p->mx[i].wildcard) {
      host[n++] = 'a';
      memcpy(host + n, s.ptr + 1, s.len - 1); /* ".suffix" */
      n += s.len - 1;
    } else {
      memcpy(host, s.ptr, s.len);
      n = s.len;
    }
    long j = mtasts_policy_match(p, host, n);
    FZ_CHECK(j >= 0 && (size_t)j <= i, "policy_match misses a matching pattern");
    FZ_CHECK(mtasts_mx_match(p->mx[j].pattern.ptr, p->mx[j].pattern.len, host, n) > 0,
             "policy_match index does not match");
    for (long k = 0; k < j; k++)
      FZ_CHECK(mtasts_mx_match(p->mx[k].pattern.ptr, p->mx[k].pattern.len, host, n) <= 0,
               "policy_match is not the first match");
  }
}

/* Where a sizing pass of the valid body `full` stops (the mx model): the
 * first mx or extension, whichever comes first; OK with neither. The
 * capacity offset of an mx is its line start, at most its pattern's off. */
static mtasts_code first_item(const mtasts_policy *full, size_t *off) {
  bool mx = full->mx_count > 0, ext = full->ext_count > 0;
  if (ext && (!mx || full->ext[0].name.off < full->mx[0].pattern.off)) {
    *off = full->ext[0].name.off;
    return MTASTS_E_EXT_CAPACITY;
  }
  *off = mx ? full->mx[0].pattern.off : 0;
  return mx ? MTASTS_E_MX_CAPACITY : MTASTS_OK;
}

/* The sizing pass: the verdict of the full parse for an invalid body (a
 * capacity error never hides another), else the first item with both
 * counts. */
static void check_sizing(mtasts_code code, const mtasts_policy *full, const char *body, size_t len,
                         const mtasts_options *opt) {
  mtasts_policy sizing;
  fz_poison(&sizing, sizeof(sizing));
  mtasts_policy_init(&sizing, NULL, 0, NULL, 0);
  mtasts_code scode = mtasts_policy_parse(body, len, opt, &sizing);
  if (code != MTASTS_OK) {
    FZ_CHECK(scode == code && sizing.err_offset == full->err_offset, "sizing pass error");
    FZ_CHECK(sizing.mx_needed == 0 && sizing.ext_needed == 0, "sizing pass needed after error");
    return;
  }
  FZ_CHECK(sizing.mx_needed == full->mx_count, "sizing pass mx_needed");
  FZ_CHECK(sizing.ext_needed == full->ext_count, "sizing pass ext_needed");
  size_t off;
  mtasts_code want = first_item(full, &off);
  FZ_CHECK(scode == want, mtasts_errname(scode));
  if (want == MTASTS_E_EXT_CAPACITY)
    FZ_CHECK(sizing.err_offset == off, "sizing pass ext offset");
  else
    FZ_CHECK(sizing.err_offset <= off, "sizing pass mx offset");
}

/* The caller's arrays: a sizing pass, then each array one slot short with
 * the other large enough. */
static void check_capacity(mtasts_code code, const mtasts_policy *full, const char *body,
                           size_t len, const mtasts_options *opt) {
  check_sizing(code, full, body, len, opt);
  if (code != MTASTS_OK)
    return;
  static mtasts_mx small[MTASTS_POLICY_MAX_MX];
  static mtasts_ext small_ext[MTASTS_MAX_EXTENSIONS];
  size_t n = full->mx_count, m = full->ext_count;
  mtasts_policy shortp;
  if (n > 0) {
    fz_poison(&shortp, sizeof(shortp));
    mtasts_policy_init(&shortp, small, n - 1, small_ext, MTASTS_MAX_EXTENSIONS);
    mtasts_code c = mtasts_policy_parse(body, len, opt, &shortp);
    FZ_CHECK(c == MTASTS_E_MX_CAPACITY, mtasts_errname(c));
    FZ_CHECK(shortp.mx_needed == n && shortp.ext_needed == m, "mx_needed");
    FZ_CHECK(shortp.err_offset <= full->mx[n - 1].pattern.off, "capacity offset after the mx");
    if (n >= 2)
      FZ_CHECK(shortp.err_offset > full->mx[n - 2].pattern.off, "capacity offset before the mx");
  }
  if (m > 0) {
    fz_poison(&shortp, sizeof(shortp));
    mtasts_policy_init(&shortp, small, MTASTS_POLICY_MAX_MX, small_ext, m - 1);
    mtasts_code c = mtasts_policy_parse(body, len, opt, &shortp);
    FZ_CHECK(c == MTASTS_E_EXT_CAPACITY, mtasts_errname(c));
    FZ_CHECK(shortp.mx_needed == n && shortp.ext_needed == m, "ext_needed");
    FZ_CHECK(shortp.err_offset == full->ext[m - 1].name.off, "capacity offset of the extension");
    for (size_t i = 0; i + 1 < m; i++)
      FZ_CHECK(fz_span_unset(small_ext[i].name), "ext stored by a capacity error");
  }
}

static void diff_oracle(mtasts_code code, const mtasts_policy *p, const mtasts_diags *d,
                        const char *body, size_t len, bool lenient) {
  oracle_policy o;
  oracle_verdict v = oracle_policy_body(fz_oracle(), (const unsigned char *)body, len, lenient, &o);
  if (v == ORACLE_UNDECIDED)
    return;
  const char *t = "fuzz_policy";
  if (code == MTASTS_OK && v != ORACLE_VALID)
    fz_disagree(t, "parser accepts, oracle rejects", o.why);
  if (code != MTASTS_OK && v == ORACLE_VALID)
    fz_disagree(t, mtasts_errname(code), "oracle accepts");
  if (code != MTASTS_OK)
    return;
  if (!fz_span_is(p->version, o.version) || (int)p->mode != o.mode ||
      !fz_span_is(p->mode_text, o.mode_text) || p->max_age != o.max_age ||
      !fz_span_is(p->max_age_text, o.max_age_text))
    fz_disagree(t, "version / mode / max_age", NULL);
  if (p->mx_count != o.mx_count)
    fz_disagree(t, "mx count", NULL);
  for (size_t i = 0; i < p->mx_count; i++)
    if (!fz_span_is(p->mx[i].pattern, o.mx[i]))
      fz_disagree(t, "mx pattern", NULL);
  if (p->ext_count != o.ext_count)
    fz_disagree(t, "extension count", NULL);
  for (size_t i = 0; i < p->ext_count; i++)
    if (!fz_span_is(p->ext[i].name, o.ext[i].name) || !fz_span_is(p->ext[i].value, o.ext[i].value))
      fz_disagree(t, "extension", NULL);
  if (lenient && d->count <= d->cap && o.deviation != fz_has_deviation(d))
    fz_disagree(t, "deviation warnings", o.deviation ? "deviation" : "no deviation");
}

/*
 * What an earlier parse left (byte 0, bits 2-7): a count of 0-62 mx
 * entries, poisoned, below a stale mx_count (and as many extensions, at
 * most the array, below a stale ext_count); 63 stands for an uninitialised
 * result, a count above the array, which makes the parser clear all of it.
 * Only the entries that count names are poisoned: filling the whole array
 * (MTASTS_POLICY_MAX_MX entries, 420 KB) and having the parser clear it,
 * twice per input as this target once did, held it to 1,000 execs/s.
 */
#define STALE_UNINIT 63u

static size_t stale_items(mtasts_policy *p, unsigned stale) {
  size_t n = stale == STALE_UNINIT ? p->mx_cap : stale;
  fz_poison(p->mx, n * sizeof(mtasts_mx));
  p->mx_count = stale == STALE_UNINIT ? (size_t)0xA5A5A5A5A5A5A5A5u : n;
  /* The whole ext array is small: cleared, then its stale slots poisoned,
   * so that every slot the parse does not store must end unset. */
  memset(p->ext, 0, p->ext_cap * sizeof(mtasts_ext));
  size_t e = n < p->ext_cap ? n : p->ext_cap;
  fz_poison(p->ext, e * sizeof(mtasts_ext));
  p->ext_count = stale == STALE_UNINIT ? (size_t)0xA5A5A5A5A5A5A5A5u : e;
  return n;
}

/* No entry an earlier parse left survives past what this one stored. */
static void check_mx_reset(mtasts_code code, const mtasts_policy *p, size_t stale) {
  for (size_t i = code == MTASTS_OK ? p->mx_count : 0; i < stale; i++)
    FZ_CHECK(fz_span_unset(p->mx[i].pattern) && !p->mx[i].wildcard, "stale mx entry survives");
}

static void differential(const char *body, size_t len, int pi, const mtasts_code *code,
                         const mtasts_policy *pol, const mtasts_diags *diags) {
  for (int p = 0; p < 2; p++)
    fz_check_locate(body, len, pol[p].err_offset);
  mtasts_options quiet = fz_options(pi ? MTASTS_LENIENT : MTASTS_STRICT, 0, NULL);
  check_capacity(code[pi], &pol[pi], body, len, &quiet);
  diff_oracle(code[pi], &pol[pi], &diags[pi], body, len, pi == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  int pi = (data[0] & FZ_BIT_LENIENT) != 0 ? 1 : 0;
  unsigned stale = data[0] >> 2;
  size_t len = size - 1;
  const char *body = fz_piece(data + 1, len);

  static mtasts_diag items[2][WARN_CAP];
  mtasts_diags diags[2];
  mtasts_policy pol[2];
  mtasts_code code[2];
  for (int p = 0; p < 2; p++) {
    mtasts_profile profile = p == 0 ? MTASTS_STRICT : MTASTS_LENIENT;
    diags[p] = (mtasts_diags){items[p], WARN_CAP, 0};
    mtasts_options opt = fz_options(profile, 0, &diags[p]);
    fz_poison(&pol[p], sizeof(pol[p]));
    mtasts_policy_init(&pol[p], mx_store[p], MTASTS_POLICY_MAX_MX, ext_store[p],
                       MTASTS_MAX_EXTENSIONS);
    fz_poison(&pol[p].version, sizeof(pol[p]) - offsetof(mtasts_policy, version));
    size_t n = stale_items(&pol[p], stale);
    code[p] = mtasts_policy_parse(body, len, &opt, &pol[p]);
    fz_check_code(code[p]);
    FZ_CHECK(code[p] != MTASTS_E_MX_CAPACITY && code[p] != MTASTS_E_EXT_CAPACITY,
             "capacity error with room for every item");
    fz_check_nul_rule(code[p], pol[p].err_offset, body, len);
    if (code[p] == MTASTS_OK)
      check_parsed(&pol[p], body, len);
    else
      check_failed(&pol[p], len);
    check_mx_reset(code[p], &pol[p], n);
    fz_check_warnings(&diags[p], len, profile);
  }
  fz_check_profiles(code[0], code[1], same_policy(&pol[0], &pol[1]), &diags[0], &diags[1]);
  if (code[pi] == MTASTS_OK)
    check_policy_match(&pol[pi]);
  if (FZ_DIFFERENTIAL)
    differential(body, len, pi, code, pol, diags);

  fz_piece_free(body);
  return 0;
}
