/*
 * test_media_type.c - mtasts_media_type_parse: the Content-Type grammar
 * of RFC 9110 8.3.1 that RFC 8461 3.2 (P2) and R9 rely on. Every value
 * is parsed from a guard-paged copy with an explicit length.
 */
#include "testutil.h"

#include <string.h>

#include "mtasts_engine.h"

#define L(s) (sizeof(s) - 1)
#define S(s) (s), L(s)

typedef struct ok_row {
  const char *name;
  const char *value;
  size_t len;
  const char *type, *subtype, *charset; /* charset NULL: none */
  size_t type_off, subtype_off, charset_off;
  size_t params;
  bool other;
} ok_row;

static const ok_row ok_rows[] = {
    {"P2: text/plain", S("text/plain"), "text", "plain", NULL, 0, 5, 0, 0, false},
    {"R9: case-insensitive, kept as written", S("TEXT/Plain"), "TEXT", "Plain", NULL, 0, 5, 0, 0,
     false},
    {"OWS around the value", S(" \ttext/plain \t"), "text", "plain", NULL, 2, 7, 0, 0, false},
    {"P2: charset=utf-8", S("text/plain; charset=utf-8"), "text", "plain", "utf-8", 0, 5, 20, 1,
     false},
    {"P2: charset=us-ascii, upper case", S("text/plain;charset=US-ASCII"), "text", "plain",
     "US-ASCII", 0, 5, 19, 1, false},
    {"R9: another charset warns", S("text/plain; charset=iso-8859-1"), "text", "plain",
     "iso-8859-1", 0, 5, 20, 1, true},
    {"quoted charset", S("text/plain; charset=\"utf-8\""), "text", "plain", "utf-8", 0, 5, 21, 1,
     false},
    {"quoted-pair inside the charset resolves", S("text/plain; charset=\"u\\tf-8\""), "text",
     "plain", "u\\tf-8", 0, 5, 21, 1, false},
    {"quoted charset with a different value", S("text/plain; charset=\"utf-16\""), "text", "plain",
     "utf-16", 0, 5, 21, 1, true},
    {"P2: other parameters are ignored", S("text/plain; format=flowed; delsp=yes"), "text", "plain",
     NULL, 0, 5, 0, 2, false},
    {"charset name is case-insensitive", S("text/plain; CharSet=utf-8"), "text", "plain", "utf-8",
     0, 5, 20, 1, false},
    {"first charset is kept, a later foreign one still warns",
     S("text/plain; charset=utf-8; charset=latin1"), "text", "plain", "utf-8", 0, 5, 20, 2, true},
    {"RFC 9110: empty parameters", S("text/plain;;  ; charset=utf-8;"), "text", "plain", "utf-8", 0,
     5, 24, 1, false},
    {"trailing ; and OWS", S("text/plain ; "), "text", "plain", NULL, 0, 5, 0, 0, false},
    {"quoted value with escaped quote and obs-text", S("a/b; x=\"q\\\"\xc3\xa9\""), "a", "b", NULL,
     0, 2, 0, 1, false},
    {"utf-8 prefix is not utf-8", S("text/plain; charset=utf-88"), "text", "plain", "utf-88", 0, 5,
     20, 1, true},
    {"empty quoted charset", S("text/plain; charset=\"\""), "text", "plain", "", 0, 5, 21, 1, true},
    {"every qdtext range and quoted-pair kind", S("a/b; x=\"!#[]}~ \t\\\t\\a\\\x80\""), "a", "b",
     NULL, 0, 2, 0, 1, false},
    {"tchar punctuation", S("application/vnd.a+b-c_d; x=!#$%&'*+-.^_`|~"), "application",
     "vnd.a+b-c_d", NULL, 0, 12, 0, 1, false},
    {"tchar range ends", S("aAzZ09/Zz0a9A; z9=0Za"), "aAzZ09", "Zz0a9A", NULL, 0, 7, 0, 1, false},
    {"qdtext: obs-text 80 and FF, \"]\" and \"\\\"-free bytes", S("a/b; x=\"\x80]\xff\""), "a", "b",
     NULL, 0, 2, 0, 1, false},
    {"quoted-pair: an escaped SP", S("a/b; x=\"a\\ b\""), "a", "b", NULL, 0, 2, 0, 1, false},
    {"R9: a charset one letter off utf-8 warns", S("text/plain; charset=utf-9"), "text", "plain",
     "utf-9", 0, 5, 20, 1, true},
    {"R9: a charset one letter off us-ascii warns", S("text/plain; charset=us-asciz"), "text",
     "plain", "us-asciz", 0, 5, 20, 1, true},
};

static void test_media_type_valid(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof ok_rows / sizeof ok_rows[0]; i++) {
    const ok_row *r = &ok_rows[i];
    const char *v = guard_copy(r->value, r->len);
    mtasts_media_type m;
    poison(&m, sizeof m);
    if (!mtasts_media_type_parse(v, r->len, &m))
      fail_msg("%s: rejected at %zu", r->name, m.err_offset);
    if (m.type.len != strlen(r->type) || memcmp(m.type.ptr, r->type, m.type.len) != 0 ||
        m.type.off != r->type_off || m.type.ptr != v + r->type_off)
      fail_msg("%s: type", r->name);
    if (m.subtype.len != strlen(r->subtype) ||
        memcmp(m.subtype.ptr, r->subtype, m.subtype.len) != 0 || m.subtype.off != r->subtype_off)
      fail_msg("%s: subtype", r->name);
    if (r->charset == NULL) {
      if (m.charset.ptr != NULL || m.charset.len != 0 || m.charset.off != 0)
        fail_msg("%s: unexpected charset", r->name);
    } else if (m.charset.ptr != v + r->charset_off || m.charset.len != strlen(r->charset) ||
               memcmp(m.charset.ptr, r->charset, m.charset.len) != 0 ||
               m.charset.off != r->charset_off) {
      fail_msg("%s: charset %s@%zu", r->name, show(m.charset.ptr, m.charset.len), m.charset.off);
    }
    if (m.param_count != r->params || m.charset_other != r->other || m.err_offset != 0)
      fail_msg("%s: params %zu other %d err %zu", r->name, m.param_count, m.charset_other,
               m.err_offset);
  }
}

typedef struct bad_row {
  const char *name;
  const char *value;
  size_t len;
  size_t err;
} bad_row;

static const bad_row bad_rows[] = {
    {"empty", S(""), 0},
    {"only OWS", S("  "), 2},
    {"no slash", S("text"), 4},
    {"no type", S("/plain"), 0},
    {"no subtype", S("text/"), 5},
    {"space before slash", S("text /plain"), 4},
    {"a list is not a media type", S("text/plain, text/html"), 10},
    {"junk after subtype", S("text/plain x"), 11},
    {"parameter without =", S("text/plain; charset"), 19},
    {"space before =", S("text/plain; charset =utf-8"), 19},
    {"space after =", S("text/plain; charset= utf-8"), 20},
    {"empty value", S("text/plain; charset="), 20},
    {"unterminated quoted-string", S("text/plain; charset=\"utf-8"), 26},
    {"backslash at the end", S("a/b; x=\"\\"), 9},
    {"quoted-pair with a control", S("a/b; x=\"\\\x01\""), 9},
    {"quoted-pair with DEL", S("a/b; x=\"\\\x7f\""), 9},
    {"control inside quotes", S("a/b; x=\"\x01\""), 8},
    {"DEL inside quotes", S("a/b; x=\"\x7f\""), 8},
    {"NUL in the type", S("te\0xt/plain"), 2},
    {"parameter name is not a token", S("a/b; @=1"), 5},
    {"junk after a quoted value", S("a/b; x=\"y\"z"), 10},
    {"subtype then slash", S("text/plain/x"), 10},
    {"quoted-pair with 0x1F", S("a/b; x=\"\\\x1f\""), 9},
    {"NUL as the first byte of the type", S("\0/plain"), 0},
};

static void test_media_type_invalid(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
    const bad_row *r = &bad_rows[i];
    const char *v = guard_copy(r->value, r->len);
    mtasts_media_type m;
    poison(&m, sizeof m);
    poison_stack(); /* an unset local would show */
    if (mtasts_media_type_parse(v, r->len, &m))
      fail_msg("%s: accepted", r->name);
    if (m.err_offset != r->err)
      fail_msg("%s: err at %zu, want %zu", r->name, m.err_offset, r->err);
    /* A failure leaves nothing behind but the offset. */
    mtasts_media_type cleared;
    memset(&cleared, 0, sizeof cleared);
    cleared.err_offset = r->err;
    if (memcmp(&m, &cleared, sizeof m) != 0)
      fail_msg("%s: output not cleared", r->name);
  }
}

/* Every strict prefix of every valid value, each right before a guard
 * page: no read past the end, and a failure points inside the prefix. */
static void test_media_type_prefixes(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof ok_rows / sizeof ok_rows[0]; i++) {
    for (size_t k = 0; k < ok_rows[i].len; k++) {
      const char *v = guard_copy(ok_rows[i].value, k);
      mtasts_media_type m;
      poison(&m, sizeof m);
      bool ok = mtasts_media_type_parse(v, k, &m);
      if (!ok && m.err_offset > k)
        fail_msg("%s [0,%zu): err %zu past the end", ok_rows[i].name, k, m.err_offset);
      if (ok && (m.subtype.off + m.subtype.len > k || m.charset.off + m.charset.len > k))
        fail_msg("%s [0,%zu): span past the end", ok_rows[i].name, k);
    }
  }
}

static void test_media_type_arguments(void **state) {
  (void)state;
  mtasts_media_type m;
  poison(&m, sizeof m);
  assert_false(mtasts_media_type_parse(NULL, 0, &m));
  assert_int_equal(m.err_offset, 0);
  assert_null(m.type.ptr);
  assert_false(mtasts_media_type_parse(S("text/plain"), NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_media_type_valid),
      cmocka_unit_test(test_media_type_invalid),
      cmocka_unit_test(test_media_type_prefixes),
      cmocka_unit_test(test_media_type_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
