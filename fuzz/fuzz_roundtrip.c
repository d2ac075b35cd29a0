/*
 * fuzz_roundtrip, fuzz_roundtrip_oracle - parse, canonical write, parse again.
 *
 * Input: byte 0 = flags: bit 0 lenient; bits 2-3 the kind:
 *   0 policy body, 1 _mta-sts record, 2 _smtp._tls record,
 *   3 a record as wire-format character-strings (bit 4: 0 _mta-sts,
 *     1 _smtp._tls), so straddling spans reach the writers;
 * the rest = the input. When the first parse succeeds:
 *   - the size query (cap 0) and a one-short buffer give E_WRITE_SPACE and
 *     the same *needed; the exact buffer gives MTASTS_OK;
 *   - the output parses in strict and in the input's profile, without a
 *     deviation warning, to the same fields (compared as bytes);
 *   - writing that second result gives the same bytes (idempotence);
 *   - only in fuzz_roundtrip_oracle (FZ_DIFFERENTIAL): the oracle finds the
 *     output valid in strict.
 * An output longer than the input limit (R18) cannot be re-parsed; such an
 * input is skipped after the write checks (see fuzz/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define WARN_CAP 4200 /* more than a 4096-octet record can produce */

enum kind { KIND_POLICY, KIND_TXT, KIND_TLSRPT };

/* The first parse and the two re-parses each need their own mx array. */
static mtasts_mx mx_first[MTASTS_POLICY_MAX_MX], mx_a[MTASTS_POLICY_MAX_MX],
    mx_b[MTASTS_POLICY_MAX_MX];

typedef struct parsed {
  enum kind kind;
  mtasts_code code;
  mtasts_txt txt;
  mtasts_tlsrpt tls;
  mtasts_policy pol;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS]; /* the storage of the one kind parsed */
  mtasts_rua rua[MTASTS_MAX_RUA];
} parsed;

static mtasts_code parse(enum kind kind, const char *s, size_t n, const mtasts_chunk *chunks,
                         size_t count, const mtasts_options *opt, parsed *out, mtasts_mx *mx) {
  out->kind = kind;
  switch (kind) {
  case KIND_POLICY:
    mtasts_policy_init(&out->pol, mx, MTASTS_POLICY_MAX_MX, out->ext, MTASTS_MAX_EXTENSIONS);
    out->code = mtasts_policy_parse(s, n, opt, &out->pol);
    break;
  case KIND_TXT:
    mtasts_txt_init(&out->txt, out->ext, MTASTS_MAX_EXTENSIONS);
    out->code = chunks ? mtasts_txt_parse_strings(chunks, count, opt, &out->txt)
                       : mtasts_txt_parse(s, n, opt, &out->txt);
    break;
  case KIND_TLSRPT:
    mtasts_tlsrpt_init(&out->tls, out->rua, MTASTS_MAX_RUA, out->ext, MTASTS_MAX_EXTENSIONS);
    out->code = chunks ? mtasts_tlsrpt_parse_strings(chunks, count, opt, &out->tls)
                       : mtasts_tlsrpt_parse(s, n, opt, &out->tls);
    break;
  }
  return out->code;
}

static mtasts_code write_any(const parsed *p, char *dst, size_t cap, size_t *needed) {
  switch (p->kind) {
  case KIND_POLICY:
    return mtasts_policy_write(&p->pol, dst, cap, needed);
  case KIND_TXT:
    return mtasts_txt_write(&p->txt, dst, cap, needed);
  case KIND_TLSRPT:
    return mtasts_tlsrpt_write(&p->tls, dst, cap, needed);
  }
  return MTASTS_E_ARGUMENT;
}

/* The bytes of a span, gathered even when it straddles strings. */
static size_t span_bytes(const parsed *p, mtasts_span s, char *buf, size_t cap) {
  if (p->kind == KIND_TXT)
    return mtasts_txt_copy(&p->txt, s, buf, cap);
  if (p->kind == KIND_TLSRPT)
    return mtasts_tlsrpt_copy(&p->tls, s, buf, cap);
  size_t n = s.len < cap ? s.len : cap;
  if (n > 0)
    memcpy(buf, s.ptr, n);
  return s.len;
}

static bool same_bytes(const parsed *a, mtasts_span sa, const parsed *b, mtasts_span sb) {
  static char x[MTASTS_POLICY_MAX_SIZE], y[MTASTS_POLICY_MAX_SIZE];
  if (sa.len != sb.len)
    return false;
  span_bytes(a, sa, x, sizeof(x));
  span_bytes(b, sb, y, sizeof(y));
  return memcmp(x, y, sa.len) == 0;
}

static bool same_exts(const parsed *a, const mtasts_ext *ea, size_t na, const parsed *b,
                      const mtasts_ext *eb, size_t nb) {
  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (!same_bytes(a, ea[i].name, b, eb[i].name) || !same_bytes(a, ea[i].value, b, eb[i].value))
      return false;
  return true;
}

static bool same_fields(const parsed *a, const parsed *b) {
  switch (a->kind) {
  case KIND_TXT:
    return same_bytes(a, a->txt.id, b, b->txt.id) &&
           same_exts(a, a->txt.ext, a->txt.ext_count, b, b->txt.ext, b->txt.ext_count);
  case KIND_TLSRPT:
    if (a->tls.rua_count != b->tls.rua_count)
      return false;
    for (size_t i = 0; i < a->tls.rua_count; i++)
      if (!same_bytes(a, a->tls.rua[i].uri, b, b->tls.rua[i].uri) ||
          !same_bytes(a, a->tls.rua[i].scheme, b, b->tls.rua[i].scheme) ||
          a->tls.rua[i].kind != b->tls.rua[i].kind)
        return false;
    return same_exts(a, a->tls.ext, a->tls.ext_count, b, b->tls.ext, b->tls.ext_count);
  case KIND_POLICY:
    if (a->pol.mode != b->pol.mode || a->pol.max_age != b->pol.max_age ||
        a->pol.mx_count != b->pol.mx_count || !same_bytes(a, a->pol.version, b, b->pol.version))
      return false;
    for (size_t i = 0; i < a->pol.mx_count; i++)
      if (!same_bytes(a, a->pol.mx[i].pattern, b, b->pol.mx[i].pattern) ||
          a->pol.mx[i].wildcard != b->pol.mx[i].wildcard)
        return false;
    return same_exts(a, a->pol.ext, a->pol.ext_count, b, b->pol.ext, b->pol.ext_count);
  }
  return false;
}

/* Write p; check the size contract; return the exact-size output. */
static char *write_checked(const parsed *p, size_t *len) {
  size_t needed = 0;
  mtasts_code c = write_any(p, NULL, 0, &needed);
  FZ_CHECK(needed > 0 && c == MTASTS_E_WRITE_SPACE, mtasts_errname(c));
  /* Exactly needed - 1 bytes, so ASan sees a write past the cap. */
  char *shorter = malloc(needed > 1 ? needed - 1 : 1);
  if (shorter == NULL)
    abort();
  size_t again = 0;
  c = write_any(p, shorter, needed - 1, &again);
  FZ_CHECK(c == MTASTS_E_WRITE_SPACE && again == needed, "one-short write");
  free(shorter);
  char *out = malloc(needed);
  if (out == NULL)
    abort();
  c = write_any(p, out, needed, &again);
  FZ_CHECK(c == MTASTS_OK && again == needed, mtasts_errname(c));
  FZ_CHECK(write_any(p, out, needed, NULL) == MTASTS_OK, "write without needed");
  *len = needed;
  return out;
}

/* The oracle finds a canonical output valid in strict. */
static void diff_oracle(enum kind kind, const char *out, size_t len) {
  oracle *o = fz_oracle();
  oracle_verdict v = ORACLE_UNDECIDED;
  const char *why = NULL;
  static oracle_policy op;
  static oracle_txt ot;
  static oracle_tlsrpt ol;
  const unsigned char *u = (const unsigned char *)out;
  if (kind == KIND_POLICY)
    v = oracle_policy_body(o, u, len, false, &op), why = op.why;
  else if (kind == KIND_TXT)
    v = oracle_txt_record(o, u, len, false, &ot), why = ot.why;
  else
    v = oracle_tlsrpt_record(o, u, len, false, &ol), why = ol.why;
  if (v == ORACLE_INVALID)
    fz_disagree("fuzz_roundtrip", "oracle rejects the canonical output", why);
}

static void roundtrip(const parsed *first, mtasts_profile profile) {
  size_t len = 0;
  char *out = write_checked(first, &len);
  size_t limit = first->kind == KIND_POLICY ? MTASTS_POLICY_MAX_SIZE : MTASTS_TXT_MAX_SIZE;
  if (len > limit) {
    free(out);
    return;
  }
  static parsed again[2];
  mtasts_profile profiles[2] = {MTASTS_STRICT, profile};
  /* A strict input's two re-parses would be the same call. */
  int reparses = profile == MTASTS_STRICT ? 1 : 2;
  for (int i = 0; i < reparses; i++) {
    static mtasts_diag items[WARN_CAP];
    mtasts_diags d = {items, WARN_CAP, 0};
    mtasts_options opt = fz_options(profiles[i], 0, &d);
    mtasts_code c = parse(first->kind, out, len, NULL, 0, &opt, &again[i], i == 0 ? mx_a : mx_b);
    FZ_CHECK(c == MTASTS_OK, mtasts_errname(c));
    FZ_CHECK(!fz_has_deviation(&d), "canonical output needs a deviation");
    FZ_CHECK(same_fields(first, &again[i]), "fields changed by the round trip");
  }
  /* Idempotence; the write contract was checked on the first write. */
  char *out2 = malloc(len);
  if (out2 == NULL)
    abort();
  size_t len2 = 0;
  mtasts_code c = write_any(&again[0], out2, len, &len2);
  FZ_CHECK(c == MTASTS_OK && len2 == len && memcmp(out, out2, len) == 0, "write is not idempotent");
  free(out2);
  if (FZ_DIFFERENTIAL)
    diff_oracle(first->kind, out, len);
  free(out);
}

/* ---- writing a tampered result ----
 * The writers validate what they are given ("E_WRITE_INVALID if p does not
 * look like a successful parse"). So after a good parse one field is
 * changed, driven by the input's bytes, to another slice of the input or a
 * value out of range; then either the writer refuses it, or its output must
 * parse (strict) back to exactly the tampered fields. */

typedef struct tamper {
  const uint8_t *in;
  size_t n;
  uint32_t state;
} tamper;

static uint32_t next(tamper *t) {
  t->state = t->state * 1103515245u + 12345u;
  return t->state >> 8;
}

/* A random slice of the input (always readable memory). */
static mtasts_span slice(tamper *t) {
  mtasts_span s = {NULL, 0, 0};
  if (t->n == 0)
    return s;
  size_t off = next(t) % t->n;
  size_t len = 1 + next(t) % (t->n - off);
  if (next(t) % 2)
    len = len < 8 ? len : 1 + len % 8;
  s.ptr = (const char *)t->in + off;
  s.len = len;
  s.off = off;
  return s;
}

static void tamper_policy(tamper *t, mtasts_policy *p) {
  size_t i = p->mx_count ? next(t) % p->mx_count : 0;
  size_t k = p->ext_count ? next(t) % p->ext_count : 0;
  switch (next(t) % 8) {
  case 0:
    p->mode = (mtasts_mode)(next(t) % 5);
    break;
  case 1:
    if (p->mx_count)
      p->mx[i].pattern = slice(t);
    break;
  case 2:
    if (p->mx_count)
      p->mx[i].wildcard = !p->mx[i].wildcard;
    break;
  case 3:
    if (p->ext_count)
      p->ext[k].name = slice(t);
    break;
  case 4:
    if (p->ext_count)
      p->ext[k].value = slice(t);
    break;
  case 5:
    p->max_age = MTASTS_MAX_AGE_LIMIT + 1u + next(t) % 3u;
    break;
  case 6:
    p->ext_count = p->ext_cap + 1;
    break;
  default:
    p->mx_count = next(t) % 2 ? p->mx_cap + 1 : 0;
    break;
  }
}

static void tamper_txt(tamper *t, mtasts_txt *x) {
  size_t k = x->ext_count ? next(t) % x->ext_count : 0;
  switch (next(t) % 4) {
  case 0:
    x->id = slice(t);
    break;
  case 1:
    if (x->ext_count)
      x->ext[k].name = slice(t);
    break;
  case 2:
    if (x->ext_count)
      x->ext[k].value = slice(t);
    break;
  default:
    x->ext_count = MTASTS_MAX_EXTENSIONS + 1;
    break;
  }
}

static void tamper_tlsrpt(tamper *t, mtasts_tlsrpt *x) {
  size_t i = x->rua_count ? next(t) % x->rua_count : 0;
  size_t k = x->ext_count ? next(t) % x->ext_count : 0;
  switch (next(t) % 5) {
  case 0:
    x->rua[i].uri = slice(t);
    x->rua[i].scheme = (mtasts_span){x->rua[i].uri.ptr, 0, x->rua[i].uri.off};
    break;
  case 1:
    x->rua[i].kind = x->rua[i].kind == MTASTS_RUA_MAILTO ? MTASTS_RUA_HTTPS : MTASTS_RUA_MAILTO;
    break;
  case 2:
    if (x->ext_count)
      x->ext[k].name = slice(t);
    break;
  case 3:
    if (x->ext_count)
      x->ext[k].value = slice(t);
    break;
  default:
    x->rua_count = next(t) % 2 ? 0 : MTASTS_MAX_RUA + 1;
    break;
  }
}

/* The rua schemes are not written (the URI carries them); compare the rest. */
static bool same_written(const parsed *a, const parsed *b) {
  if (a->kind != KIND_TLSRPT)
    return same_fields(a, b);
  if (a->tls.rua_count != b->tls.rua_count)
    return false;
  for (size_t i = 0; i < a->tls.rua_count; i++)
    if (!same_bytes(a, a->tls.rua[i].uri, b, b->tls.rua[i].uri) ||
        a->tls.rua[i].kind != b->tls.rua[i].kind)
      return false;
  return same_exts(a, a->tls.ext, a->tls.ext_count, b, b->tls.ext, b->tls.ext_count);
}

static void check_tampered(const parsed *good, const uint8_t *in, size_t n) {
  static parsed bad, back;
  bad = *good;
  tamper t = {in, n, 0x9e3779b9u};
  for (size_t i = 0; i < n; i++)
    t.state = (t.state ^ in[i]) * 16777619u;
  if (bad.kind == KIND_POLICY)
    tamper_policy(&t, &bad.pol);
  else if (bad.kind == KIND_TXT)
    tamper_txt(&t, &bad.txt);
  else
    tamper_tlsrpt(&t, &bad.tls);
  size_t needed = 0;
  mtasts_code c = write_any(&bad, NULL, 0, &needed);
  if (c == MTASTS_E_WRITE_INVALID)
    return;
  FZ_CHECK(c == MTASTS_E_WRITE_SPACE && needed > 0, mtasts_errname(c));
  char *out = malloc(needed);
  if (out == NULL)
    abort();
  FZ_CHECK(write_any(&bad, out, needed, NULL) == MTASTS_OK, "tampered write");
  size_t limit = bad.kind == KIND_POLICY ? MTASTS_POLICY_MAX_SIZE : MTASTS_TXT_MAX_SIZE;
  if (needed <= limit) {
    mtasts_options strict = fz_options(MTASTS_STRICT, 0, NULL);
    c = parse(bad.kind, out, needed, NULL, 0, &strict, &back, mx_a);
    FZ_CHECK(c == MTASTS_OK, "the writer accepted a result that no parse gives: its output "
                             "does not parse");
    FZ_CHECK(same_written(&bad, &back), "the writer's output parses to other fields");
  }
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  mtasts_profile profile = (data[0] & FZ_BIT_LENIENT) ? MTASTS_LENIENT : MTASTS_STRICT;
  unsigned sel = (data[0] >> 2) & 3u;
  enum kind kind = sel == 0            ? KIND_POLICY
                   : sel == 1          ? KIND_TXT
                   : sel == 2          ? KIND_TLSRPT
                   : (data[0] & 0x10u) ? KIND_TLSRPT
                                       : KIND_TXT;
  mtasts_options opt = fz_options(profile, 0, NULL);
  static parsed first;
  if (sel == 3) {
    fz_strings in;
    fz_strings_decode(data + 1, size - 1, &in);
    if (parse(kind, NULL, 0, in.count ? in.chunks : NULL, in.count, &opt, &first, mx_first) ==
        MTASTS_OK)
      roundtrip(&first, profile);
    fz_strings_free(&in);
    return 0;
  }
  const char *input = fz_piece(data + 1, size - 1);
  if (parse(kind, input, size - 1, NULL, 0, &opt, &first, mx_first) == MTASTS_OK) {
    roundtrip(&first, profile);
    check_tampered(&first, (const uint8_t *)input, size - 1);
  }
  fz_piece_free(input);
  return 0;
}
