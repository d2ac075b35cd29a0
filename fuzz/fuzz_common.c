/* fuzz_common.c - input formats and invariant checks shared by the harnesses. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(memory_sanitizer)
#define FZ_MSAN 1
#endif
#endif

_Noreturn void fz_fail(const char *file, int line, const char *what, const char *detail) {
  fprintf(stderr, "\n*** mtasts fuzz invariant violated at %s:%d\n    %s\n    %s\n", file, line,
          what, detail != NULL ? detail : "");
  abort();
}

mtasts_options fz_options(mtasts_profile profile, uint32_t flags, mtasts_diags *diags) {
  mtasts_options o;
  memset(&o, 0, sizeof(o));
  o.profile = profile;
  o.flags = flags;
  o.warnings = diags;
  return o;
}

const char *fz_piece(const uint8_t *p, size_t n) {
  if (n == 0)
    return NULL;
  char *copy = malloc(n);
  if (copy == NULL)
    abort();
  memcpy(copy, p, n);
  return copy;
}

void fz_piece_free(const char *p) {
  free((void *)(uintptr_t)p);
}

void fz_strings_decode(const uint8_t *p, size_t n, fz_strings *out) {
  memset(out, 0, sizeof(*out));
  /* At most one string per input byte. */
  out->chunks = malloc((n + 1) * sizeof(mtasts_chunk));
  out->joined = malloc(n + 1);
  if (out->chunks == NULL || out->joined == NULL)
    abort();
  while (n > 0) {
    size_t want = p[0];
    p++;
    n--;
    size_t take = want < n ? want : n;
    out->chunks[out->count].ptr = fz_piece(p, take);
    out->chunks[out->count].len = take;
    out->count++;
    memcpy(out->joined + out->joined_len, p, take);
    out->joined_len += take;
    p += take;
    n -= take;
  }
  /* An exact-size joined copy, so reads past it are caught too. */
  char *exact = (char *)(uintptr_t)fz_piece((const uint8_t *)out->joined, out->joined_len);
  free(out->joined);
  out->joined = exact;
}

void fz_strings_free(fz_strings *s) {
  for (size_t i = 0; i < s->count; i++)
    fz_piece_free(s->chunks[i].ptr);
  free(s->chunks);
  free(s->joined);
  memset(s, 0, sizeof(*s));
}

void fz_rrset_decode(const uint8_t *p, size_t n, fz_rrset *out) {
  memset(out, 0, sizeof(*out));
  size_t cap = n / 2 + 1;
  out->rrs = malloc(cap * sizeof(mtasts_rr));
  out->strings = malloc(cap * sizeof(fz_strings));
  if (out->rrs == NULL || out->strings == NULL)
    abort();
  while (n >= 2) {
    size_t want = ((size_t)p[0] << 8) | p[1];
    p += 2;
    n -= 2;
    size_t take = want < n ? want : n;
    fz_strings_decode(p, take, &out->strings[out->count]);
    out->rrs[out->count].strings = out->strings[out->count].chunks;
    out->rrs[out->count].count = out->strings[out->count].count;
    out->count++;
    p += take;
    n -= take;
  }
}

void fz_rrset_free(fz_rrset *r) {
  for (size_t i = 0; i < r->count; i++)
    fz_strings_free(&r->strings[i]);
  free(r->rrs);
  free(r->strings);
  memset(r, 0, sizeof(*r));
}

static volatile unsigned fz_sink;

void fz_touch(const char *p, size_t n) {
  unsigned acc = 0;
  for (size_t i = 0; i < n; i++)
    acc += (unsigned char)p[i];
  fz_sink += acc;
}

void fz_check_code(mtasts_code code) {
  FZ_CHECK(strcmp(mtasts_errname(code), "UNKNOWN") != 0, mtasts_errname(code));
  FZ_CHECK(strcmp(mtasts_strerror(code), "unknown code") != 0, mtasts_errname(code));
  FZ_CHECK(!mtasts_is_warning(code), mtasts_errname(code));
}

void fz_check_warnings(const mtasts_diags *d, size_t len, mtasts_profile profile) {
  size_t stored = d->count < d->cap ? d->count : d->cap;
  for (size_t i = 0; i < stored; i++) {
    mtasts_code w = d->items[i].code;
    FZ_CHECK(mtasts_is_warning(w), mtasts_errname(w));
    FZ_CHECK(strcmp(mtasts_errname(w), "UNKNOWN") != 0, "warning name");
    FZ_CHECK(strcmp(mtasts_strerror(w), "unknown code") != 0, "warning message");
    FZ_CHECK(d->items[i].offset <= len, mtasts_errname(w));
    if (profile == MTASTS_STRICT)
      FZ_CHECK(w == MTASTS_W_DUPLICATE_FIELD, mtasts_errname(w));
  }
}

bool fz_has_deviation(const mtasts_diags *d) {
  size_t stored = d->count < d->cap ? d->count : d->cap;
  for (size_t i = 0; i < stored; i++)
    if (d->items[i].code != MTASTS_W_DUPLICATE_FIELD)
      return true;
  return false;
}

bool fz_same_warnings(const mtasts_diags *a, const mtasts_diags *b) {
  if (a->count != b->count)
    return false;
  size_t stored = a->count < a->cap ? a->count : a->cap;
  if (b->cap < stored)
    stored = b->cap;
  for (size_t i = 0; i < stored; i++)
    if (a->items[i].code != b->items[i].code || a->items[i].offset != b->items[i].offset)
      return false;
  return true;
}

void fz_check_nul_rule(mtasts_code code, size_t err_offset, const char *input, size_t len) {
  if (code == MTASTS_OK)
    return;
  /* A size-limit error names a fixed offset, whatever byte is there. */
  if (code == MTASTS_E_TXT_TOO_LARGE || code == MTASTS_E_POLICY_TOO_LARGE)
    return;
  bool nul_there = err_offset < len && input[err_offset] == '\0';
  if (nul_there)
    FZ_CHECK(code == MTASTS_E_NUL, mtasts_errname(code));
  if (code == MTASTS_E_NUL)
    FZ_CHECK(nul_there, "E_NUL where the byte is not NUL");
}

bool fz_span_unset(mtasts_span s) {
  return s.ptr == NULL && s.len == 0 && s.off == 0;
}

void fz_check_locate(const char *input, size_t len, size_t err_offset) {
  mtasts_location loc = mtasts_locate(input, len, err_offset);
  FZ_CHECK(loc.line >= 1 && loc.column >= 1, "locate");
}

void fz_check_joined_span(mtasts_span s, const char *base, size_t len) {
  FZ_CHECK(s.off <= len && s.len <= len - s.off, "span outside the input");
  FZ_CHECK(s.ptr == base + s.off, "span ptr != input + off");
  fz_touch(s.ptr, s.len);
}

void fz_check_profiles(mtasts_code strict, mtasts_code lenient, bool same_fields,
                       const mtasts_diags *ds, const mtasts_diags *dl) {
  if (strict == MTASTS_OK) {
    FZ_CHECK(lenient == MTASTS_OK, mtasts_errname(lenient));
    FZ_CHECK(same_fields, "strict and lenient fields differ");
    FZ_CHECK(!fz_has_deviation(dl), "deviation warning on a strict-valid input");
    FZ_CHECK(fz_same_warnings(ds, dl), "strict and lenient warnings differ");
  } else if (lenient == MTASTS_OK && dl->count <= dl->cap) {
    FZ_CHECK(fz_has_deviation(dl), "lenient-only acceptance without a deviation warning");
  }
}

static oracle *fz_oracle_instance;

oracle *fz_oracle(void) {
  if (fz_oracle_instance == NULL) {
    fz_oracle_instance = oracle_new();
    if (fz_oracle_instance == NULL)
      abort();
  }
  return fz_oracle_instance;
}

bool fz_span_is(mtasts_span s, oracle_str o) {
  return s.off == o.off && s.len == o.len;
}

_Noreturn void fz_disagree(const char *target, const char *what, const char *oracle_why) {
  fprintf(stderr, "\n*** %s: parser and oracle disagree: %s (oracle: %s)\n", target, what,
          oracle_why != NULL ? oracle_why : "valid");
  abort();
}

void fz_poison(void *p, size_t n) {
#ifdef FZ_MSAN
  (void)p;
  (void)n;
#else
  memset(p, 0xA5, n);
#endif
}

/* Under MSan the result is left uninitialised, but the parse reads the
 * counts of an earlier call: they start at 0 there, as *_init sets them,
 * so the caller's arrays must hold no earlier parse's items either (they are
 * static, and a parse clears only the slots the counts name). */
void fz_txt_ready(mtasts_txt *t, mtasts_ext *ext) {
  fz_poison(t, sizeof *t);
#ifdef FZ_MSAN
  memset(ext, 0, MTASTS_MAX_EXTENSIONS * sizeof *ext);
  mtasts_txt_init(t, ext, MTASTS_MAX_EXTENSIONS);
#endif
  t->ext = ext;
  t->ext_cap = MTASTS_MAX_EXTENSIONS;
}

void fz_tlsrpt_ready(mtasts_tlsrpt *t, mtasts_rua *rua, mtasts_ext *ext) {
  fz_poison(t, sizeof *t);
#ifdef FZ_MSAN
  memset(rua, 0, MTASTS_MAX_RUA * sizeof *rua);
  memset(ext, 0, MTASTS_MAX_EXTENSIONS * sizeof *ext);
  mtasts_tlsrpt_init(t, rua, MTASTS_MAX_RUA, ext, MTASTS_MAX_EXTENSIONS);
#endif
  t->rua = rua;
  t->rua_cap = MTASTS_MAX_RUA;
  t->ext = ext;
  t->ext_cap = MTASTS_MAX_EXTENSIONS;
}

/* ---- TXT-style records ---- */

/* The piece of `chunks` holding joined offset `off` (skipping empty ones). */
static size_t chunk_of(const mtasts_chunk *chunks, size_t count, size_t off, size_t *start) {
  size_t at = 0;
  for (size_t i = 0; i < count; i++) {
    if (off < at + chunks[i].len) {
      *start = at;
      return i;
    }
    at += chunks[i].len;
  }
  *start = at;
  return count;
}

/* One span of a TXT result: inside the record; ptr into the one string
 * that holds it, or NULL when it straddles strings; bytes gathered by the
 * copy function equal the joined bytes, and copy never writes past cap. */
static void check_record_span(mtasts_span s, const char *joined, size_t len,
                              const mtasts_chunk *chunks, size_t count,
                              size_t (*copy)(const void *, mtasts_span, char *, size_t),
                              const void *rec) {
  FZ_CHECK(s.len > 0, "empty span in a successful result");
  FZ_CHECK(s.off <= len && s.len <= len - s.off, "span outside the record");
  if (chunks == NULL) {
    FZ_CHECK(s.ptr == joined + s.off, "span ptr != record + off");
  } else {
    size_t start = 0;
    size_t i = chunk_of(chunks, count, s.off, &start);
    FZ_CHECK(i < count, "span offset beyond the strings");
    bool inside = s.off + s.len <= start + chunks[i].len;
    if (inside)
      FZ_CHECK(s.ptr == chunks[i].ptr + (s.off - start), "span ptr != string + off");
    else
      FZ_CHECK(s.ptr == NULL, "straddling span with a ptr");
  }
  if (s.ptr != NULL)
    fz_touch(s.ptr, s.len);
  char buf[MTASTS_TXT_MAX_SIZE + 8];
  memset(buf, 0x5A, sizeof(buf));
  FZ_CHECK(copy(rec, s, buf, s.len) == s.len, "copy length");
  FZ_CHECK(memcmp(buf, joined + s.off, s.len) == 0, "copy bytes");
  FZ_CHECK((unsigned char)buf[s.len] == 0x5A, "copy wrote past the span");
  size_t half = s.len / 2;
  memset(buf, 0x5A, sizeof(buf));
  FZ_CHECK(copy(rec, s, buf, half) == s.len, "copy with a small cap returns s.len");
  FZ_CHECK(memcmp(buf, joined + s.off, half) == 0, "copy prefix");
  FZ_CHECK((unsigned char)buf[half] == 0x5A, "copy wrote past cap");
}

static size_t copy_txt(const void *rec, mtasts_span s, char *dst, size_t cap) {
  return mtasts_txt_copy(rec, s, dst, cap);
}

static size_t copy_tlsrpt(const void *rec, mtasts_span s, char *dst, size_t cap) {
  return mtasts_tlsrpt_copy(rec, s, dst, cap);
}

static void check_exts_unset(const mtasts_ext *ext) {
  for (size_t i = 0; i < MTASTS_MAX_EXTENSIONS; i++)
    FZ_CHECK(fz_span_unset(ext[i].name) && fz_span_unset(ext[i].value), "ext span after failure");
}

static void check_source(const char *joined, size_t len, const mtasts_chunk *chunks, size_t count,
                         const mtasts_chunk *src_strings, size_t src_count, const char *src_joined,
                         size_t src_len) {
  FZ_CHECK(src_len == len, "src_len != record length");
  if (chunks == NULL) {
    FZ_CHECK(src_strings == NULL && src_joined == joined, "joined source");
  } else {
    FZ_CHECK(src_strings == chunks && src_count == count, "strings source");
  }
}

void fz_check_txt(mtasts_code code, const mtasts_txt *t, const char *joined, size_t len,
                  const mtasts_chunk *chunks, size_t count) {
  fz_check_code(code);
  fz_check_nul_rule(code, t->err_offset, joined, len);
  if (code != MTASTS_OK) {
    FZ_CHECK(t->err_offset <= len, "err_offset > length");
    FZ_CHECK(fz_span_unset(t->id), "id set after failure");
    FZ_CHECK(t->ext_count == 0, "ext_count after failure");
    check_exts_unset(t->ext);
    return;
  }
  FZ_CHECK(t->err_offset == 0, "err_offset on success");
  check_source(joined, len, chunks, count, t->src_strings, t->src_count, t->src_joined, t->src_len);
  check_record_span(t->id, joined, len, chunks, count, copy_txt, t);
  FZ_CHECK(t->id.len <= MTASTS_MAX_ID_LEN, "id too long");
  FZ_CHECK(t->ext_count <= MTASTS_MAX_EXTENSIONS, "ext_count > capacity");
  FZ_CHECK(t->ext_needed == t->ext_count, "ext_needed != ext_count with room for all");
  for (size_t i = 0; i < t->ext_count; i++) {
    check_record_span(t->ext[i].name, joined, len, chunks, count, copy_txt, t);
    check_record_span(t->ext[i].value, joined, len, chunks, count, copy_txt, t);
  }
}

void fz_check_tlsrpt(mtasts_code code, const mtasts_tlsrpt *t, const char *joined, size_t len,
                     const mtasts_chunk *chunks, size_t count) {
  fz_check_code(code);
  fz_check_nul_rule(code, t->err_offset, joined, len);
  if (code != MTASTS_OK) {
    FZ_CHECK(t->err_offset <= len, "err_offset > length");
    FZ_CHECK(t->rua_count == 0 && t->ext_count == 0, "counts after failure");
    for (size_t i = 0; i < MTASTS_MAX_RUA; i++)
      FZ_CHECK(fz_span_unset(t->rua[i].uri) && fz_span_unset(t->rua[i].scheme),
               "rua span after failure");
    check_exts_unset(t->ext);
    return;
  }
  FZ_CHECK(t->err_offset == 0, "err_offset on success");
  check_source(joined, len, chunks, count, t->src_strings, t->src_count, t->src_joined, t->src_len);
  FZ_CHECK(t->rua_count >= 1 && t->rua_count <= MTASTS_MAX_RUA, "rua_count");
  FZ_CHECK(t->rua_needed == t->rua_count, "rua_needed != rua_count with room for all");
  for (size_t i = 0; i < t->rua_count; i++) {
    const mtasts_rua *r = &t->rua[i];
    check_record_span(r->uri, joined, len, chunks, count, copy_tlsrpt, t);
    check_record_span(r->scheme, joined, len, chunks, count, copy_tlsrpt, t);
    FZ_CHECK(r->scheme.off == r->uri.off && r->scheme.len < r->uri.len, "scheme inside uri");
    FZ_CHECK(joined[r->uri.off + r->scheme.len] == ':', "scheme followed by ':'");
    FZ_CHECK(r->kind == MTASTS_RUA_MAILTO || r->kind == MTASTS_RUA_HTTPS, "rua kind");
    FZ_CHECK(r->scheme.len == (r->kind == MTASTS_RUA_MAILTO ? 6u : 5u), "scheme length vs kind");
  }
  FZ_CHECK(t->ext_count <= MTASTS_MAX_EXTENSIONS, "ext_count > capacity");
  FZ_CHECK(t->ext_needed == t->ext_count, "ext_needed != ext_count with room for all");
  for (size_t i = 0; i < t->ext_count; i++) {
    check_record_span(t->ext[i].name, joined, len, chunks, count, copy_tlsrpt, t);
    check_record_span(t->ext[i].value, joined, len, chunks, count, copy_tlsrpt, t);
  }
}

static bool same_span_pos(mtasts_span a, mtasts_span b) {
  return a.off == b.off && a.len == b.len;
}

static bool same_exts(const mtasts_ext *a, size_t na, const mtasts_ext *b, size_t nb) {
  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (!same_span_pos(a[i].name, b[i].name) || !same_span_pos(a[i].value, b[i].value))
      return false;
  return true;
}

bool fz_same_txt(const mtasts_txt *a, const mtasts_txt *b) {
  return a->err_offset == b->err_offset && same_span_pos(a->id, b->id) &&
         same_exts(a->ext, a->ext_count, b->ext, b->ext_count);
}

bool fz_same_tlsrpt(const mtasts_tlsrpt *a, const mtasts_tlsrpt *b) {
  if (a->err_offset != b->err_offset || a->rua_count != b->rua_count)
    return false;
  for (size_t i = 0; i < a->rua_count; i++)
    if (!same_span_pos(a->rua[i].uri, b->rua[i].uri) ||
        !same_span_pos(a->rua[i].scheme, b->rua[i].scheme) || a->rua[i].kind != b->rua[i].kind)
      return false;
  return same_exts(a->ext, a->ext_count, b->ext, b->ext_count);
}

static void diff_exts(const char *target, const mtasts_ext *ext, size_t count,
                      const oracle_field *o, size_t ocount) {
  if (count != ocount)
    fz_disagree(target, "extension count", NULL);
  for (size_t i = 0; i < count; i++)
    if (!fz_span_is(ext[i].name, o[i].name) || !fz_span_is(ext[i].value, o[i].value))
      fz_disagree(target, "extension name/value", NULL);
}

/* Valid vs invalid; UNDECIDED skips the comparison. */
static bool diff_verdict(const char *target, mtasts_code code, oracle_verdict v, const char *why) {
  if (v == ORACLE_UNDECIDED)
    return false;
  if (code == MTASTS_OK && v != ORACLE_VALID)
    fz_disagree(target, "parser accepts, oracle rejects", why);
  if (code != MTASTS_OK && v == ORACLE_VALID)
    fz_disagree(target, mtasts_errname(code), "oracle accepts");
  return code == MTASTS_OK;
}

void fz_diff_txt(const char *target, mtasts_code code, const mtasts_txt *t, oracle_verdict v,
                 const oracle_txt *o) {
  if (!diff_verdict(target, code, v, o->why))
    return;
  if (!fz_span_is(t->id, o->id))
    fz_disagree(target, "id", NULL);
  diff_exts(target, t->ext, t->ext_count, o->ext, o->ext_count);
}

void fz_diff_tlsrpt(const char *target, mtasts_code code, const mtasts_tlsrpt *t, oracle_verdict v,
                    const oracle_tlsrpt *o) {
  if (!diff_verdict(target, code, v, o->why))
    return;
  if (t->rua_count != o->rua_count)
    fz_disagree(target, "rua count", NULL);
  for (size_t i = 0; i < t->rua_count; i++) {
    if (!fz_span_is(t->rua[i].uri, o->rua[i].uri))
      fz_disagree(target, "rua uri", NULL);
    if (!fz_span_is(t->rua[i].scheme, o->rua[i].scheme))
      fz_disagree(target, "rua scheme", NULL);
    if ((int)t->rua[i].kind != o->rua[i].kind)
      fz_disagree(target, "rua kind", NULL);
  }
  diff_exts(target, t->ext, t->ext_count, o->ext, o->ext_count);
}
