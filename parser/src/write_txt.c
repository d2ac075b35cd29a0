/*
 * write_txt.c - canonical writers for parsed TXT records:
 *   "v=STSv1; id=<id>;"            then " <name>=<value>;" per extension
 *   "v=TLSRPTv1; rua=<uri>,<uri>;" then " <name>=<value>;" per extension
 *
 * A structure is written only if it could be a parse result: every byte
 * of every span is reread (through src_* when a span straddles strings)
 * and checked against its production, names are distinct and none is "v"
 * or the record's own field. So the output always parses back to the same
 * fields. *needed is 0 when nothing can be written (E_ARGUMENT,
 * E_WRITE_INVALID).
 */
#include <string.h>

#include "record.h"

#define CLASS_ALNUM (CHAR_ALPHA | CHAR_DIGIT)

/* Are the bytes of `s` reachable, 1..max long, the first in class `first`
 * and the others in class `rest`? */
static bool span_matches(const record_source *src, mtasts_span s, unsigned first, unsigned rest,
                         size_t max) {
  mtasts_chunk one;
  cursor c;
  if (s.len == 0 || s.len > max || !record_open_span(src, s, &one, &c))
    return false;
  if (!cursor_in(&c, first))
    return false;
  for (cursor_next(&c); !cursor_at_end(&c); cursor_next(&c))
    if (!cursor_in(&c, rest))
      return false;
  return true;
}

/* Byte equality of two spans already known to be reachable. */
static bool spans_equal(const record_source *src, mtasts_span a, mtasts_span b) {
  mtasts_chunk one_a, one_b;
  cursor ca, cb;
  if (a.len != b.len)
    return false;
  (void)record_open_span(src, a, &one_a, &ca);
  (void)record_open_span(src, b, &one_b, &cb);
  for (; !cursor_at_end(&ca); cursor_next(&ca), cursor_next(&cb))
    if (cursor_byte(&ca) != cursor_byte(&cb))
      return false;
  return true;
}

static bool name_is(const record_source *src, mtasts_span name, const char *lit, size_t len) {
  /* mutant-equivalent(const): a span with a pointer is read through it: off is not used */
  mtasts_span s = {lit, len, 0};
  return spans_equal(src, name, s);
}

/* Extensions as the engine keeps them: valid, distinct first occurrences
 * of names other than "v" and the record's own field `known`. */
static bool extensions_valid(const record_source *src, const mtasts_ext *ext, size_t count,
                             size_t cap, const char *known, size_t known_len) {
  if (count > MTASTS_MAX_EXTENSIONS || count > cap || (count > 0 && ext == NULL))
    return false;
  for (size_t i = 0; i < count; i++) {
    if (!span_matches(src, ext[i].name, CLASS_ALNUM, CHAR_EXTNAME, MTASTS_MAX_EXT_NAME_LEN) ||
        !span_matches(src, ext[i].value, CHAR_TXTVAL, CHAR_TXTVAL, MTASTS_TXT_MAX_SIZE) ||
        name_is(src, ext[i].name, "v", 1) || name_is(src, ext[i].name, known, known_len))
      return false;
    for (size_t j = 0; j < i; j++)
      if (spans_equal(src, ext[j].name, ext[i].name))
        return false;
  }
  return true;
}

/* Output that counts every byte and stores those that fit. */
typedef struct writer {
  const record_source *src;
  char *dst;
  size_t cap;
  size_t len;
} writer;

static void put(writer *w, const char *s, size_t n) {
  /* mutant-equivalent(rel): at len == cap the copy below is of 0 bytes */
  if (w->len < w->cap)
    /* mutant-equivalent(rel,arith=+): only the first put is longer than one byte, and it comes at
     * len 0, where + and - agree; at n == cap - len both choices are the same */
    memcpy(w->dst + w->len, s, n < w->cap - w->len ? n : w->cap - w->len);
  w->len += n;
}

static void put_span(writer *w, mtasts_span s) {
  /* mutant-equivalent(rel): at len == cap record_copy gets cap 0 and copies nothing */
  if (w->len < w->cap)
    (void)record_copy(w->src, s, w->dst + w->len, w->cap - w->len);
  w->len += s.len;
}

static void put_extensions(writer *w, const mtasts_ext *ext, size_t count) {
  for (size_t i = 0; i < count; i++) {
    put(w, " ", 1);
    put_span(w, ext[i].name);
    put(w, "=", 1);
    put_span(w, ext[i].value);
    put(w, ";", 1);
  }
}

static mtasts_code finish(const writer *w, size_t *needed) {
  if (needed != NULL)
    *needed = w->len;
  return w->len > w->cap ? MTASTS_E_WRITE_SPACE : MTASTS_OK;
}

/* The checks every writer starts with; false means return `*code`. */
static bool writer_start(const void *t, char *dst, size_t cap, size_t *needed, mtasts_code *code) {
  if (needed != NULL)
    *needed = 0;
  *code = MTASTS_E_ARGUMENT;
  return t != NULL && (dst != NULL || cap == 0);
}

mtasts_code mtasts_txt_write(const mtasts_txt *t, char *dst, size_t cap, size_t *needed) {
  mtasts_code code;
  if (!writer_start(t, dst, cap, needed, &code))
    return code;
  record_source src = {t->src_strings, t->src_count, t->src_joined, t->src_len};
  if (!span_matches(&src, t->id, CLASS_ALNUM, CLASS_ALNUM, MTASTS_MAX_ID_LEN) ||
      !extensions_valid(&src, t->ext, t->ext_count, t->ext_cap, "id", 2))
    return MTASTS_E_WRITE_INVALID;
  writer w = {&src, dst, cap, 0};
  put(&w, "v=STSv1; id=", 12);
  put_span(&w, t->id);
  put(&w, ";", 1);
  put_extensions(&w, t->ext, t->ext_count);
  return finish(&w, needed);
}

/* Each URI is one usable mailto/https URI of the recorded kind. */
static bool ruas_valid(const record_source *src, const mtasts_rua *rua, size_t count, size_t cap) {
  if (count == 0 || count > MTASTS_MAX_RUA || count > cap || rua == NULL)
    return false;
  for (size_t i = 0; i < count; i++) {
    mtasts_chunk one;
    cursor c;
    mtasts_rua_scheme kind;
    if (rua[i].uri.len > MTASTS_TXT_MAX_SIZE || !record_open_span(src, rua[i].uri, &one, &c) ||
        !record_rua_usable(&c, &kind) || kind != rua[i].kind)
      return false;
  }
  return true;
}

mtasts_code mtasts_tlsrpt_write(const mtasts_tlsrpt *t, char *dst, size_t cap, size_t *needed) {
  mtasts_code code;
  if (!writer_start(t, dst, cap, needed, &code))
    return code;
  record_source src = {t->src_strings, t->src_count, t->src_joined, t->src_len};
  if (!ruas_valid(&src, t->rua, t->rua_count, t->rua_cap) ||
      !extensions_valid(&src, t->ext, t->ext_count, t->ext_cap, "rua", 3))
    return MTASTS_E_WRITE_INVALID;
  writer w = {&src, dst, cap, 0};
  put(&w, "v=TLSRPTv1; rua=", 16);
  for (size_t i = 0; i < t->rua_count; i++) {
    if (i > 0)
      put(&w, ",", 1);
    put_span(&w, t->rua[i].uri);
  }
  put(&w, ";", 1);
  put_extensions(&w, t->ext, t->ext_count);
  return finish(&w, needed);
}
