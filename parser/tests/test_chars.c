/* test_chars.c - the internal byte classes and the RFC 3629 section 4
 * UTF-8 checker, at every boundary of its ABNF. */
#include <string.h>

#include "testutil.h"

#include "../src/chars.h"

typedef struct {
  const char *name;
  unsigned char b[4];
  size_t n;
  size_t want; /* sequence length, 0 = not a well-formed multi-byte sequence */
} utf8_case;

static const utf8_case utf8_cases[] = {
    {"empty", {0}, 0, 0},
    {"ASCII is not multi-byte", {0x41}, 1, 0},
    {"DEL", {0x7F}, 1, 0},
    {"lone continuation 80", {0x80}, 1, 0},
    {"lone continuation BF", {0xBF}, 1, 0},
    {"C0 overlong lead", {0xC0, 0x80}, 2, 0},
    {"C1 overlong lead", {0xC1, 0xBF}, 2, 0},
    {"C2 80 (U+0080, a C1 control: valid, R10)", {0xC2, 0x80}, 2, 2},
    {"C2 A0 (NBSP)", {0xC2, 0xA0}, 2, 2},
    {"DF BF", {0xDF, 0xBF}, 2, 2},
    {"C2 truncated", {0xC2}, 1, 0},
    {"C2 followed by ASCII", {0xC2, 0x41}, 2, 0},
    {"C2 followed by C0", {0xC2, 0xC0}, 2, 0},
    {"C2 7F: the byte below the tail range", {0xC2, 0x7F}, 2, 0},
    {"E1 80 7F: a third byte below the tail range", {0xE1, 0x80, 0x7F}, 3, 0},
    {"E0 A0 80 (U+0800)", {0xE0, 0xA0, 0x80}, 3, 3},
    {"E0 9F BF overlong", {0xE0, 0x9F, 0xBF}, 3, 0},
    {"E1 80 80", {0xE1, 0x80, 0x80}, 3, 3},
    {"EC BF BF", {0xEC, 0xBF, 0xBF}, 3, 3},
    {"ED 80 80", {0xED, 0x80, 0x80}, 3, 3},
    {"ED 9F BF (U+D7FF)", {0xED, 0x9F, 0xBF}, 3, 3},
    {"ED A0 80 surrogate", {0xED, 0xA0, 0x80}, 3, 0},
    {"EE 80 80", {0xEE, 0x80, 0x80}, 3, 3},
    {"EF BF BF", {0xEF, 0xBF, 0xBF}, 3, 3},
    {"E1 80 truncated", {0xE1, 0x80}, 2, 0},
    {"E1 80 41 bad third", {0xE1, 0x80, 0x41}, 3, 0},
    {"F0 90 80 80 (U+10000)", {0xF0, 0x90, 0x80, 0x80}, 4, 4},
    {"F0 8F BF BF overlong", {0xF0, 0x8F, 0xBF, 0xBF}, 4, 0},
    {"F1 80 80 80", {0xF1, 0x80, 0x80, 0x80}, 4, 4},
    {"F3 BF BF BF", {0xF3, 0xBF, 0xBF, 0xBF}, 4, 4},
    {"F4 8F BF BF (U+10FFFF)", {0xF4, 0x8F, 0xBF, 0xBF}, 4, 4},
    {"F4 90 80 80 above U+10FFFF", {0xF4, 0x90, 0x80, 0x80}, 4, 0},
    {"F5 lead", {0xF5, 0x80, 0x80, 0x80}, 4, 0},
    {"FF lead", {0xFF, 0x80, 0x80, 0x80}, 4, 0},
    {"F0 90 80 truncated", {0xF0, 0x90, 0x80}, 3, 0},
    {"F0 90 80 C0 bad fourth", {0xF0, 0x90, 0x80, 0xC0}, 4, 0},
};

static void test_utf8_multibyte_boundaries(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
    const utf8_case *c = &utf8_cases[i];
    /* Against a guard page: a checker that reads past n faults. */
    const unsigned char *p = (const unsigned char *)guard_copy(c->b, c->n);
    size_t got = utf8_multibyte(p, c->n);
    if (got != c->want)
      fail_msg("%s: got %zu, want %zu", c->name, got, c->want);
  }
}

/*
 * RFC 3629 section 4, written as its table: the lead byte gives the length
 * and the range of the second byte; every later byte is UTF8-tail.
 */
static size_t rfc3629_length(unsigned b0, unsigned *lo, unsigned *hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF)
    return 2;
  if (b0 == 0xE0)
    *lo = 0xA0;
  if (b0 == 0xED)
    *hi = 0x9F;
  if (b0 >= 0xE0 && b0 <= 0xEF)
    return 3;
  if (b0 == 0xF0)
    *lo = 0x90;
  if (b0 == 0xF4)
    *hi = 0x8F;
  if (b0 >= 0xF0 && b0 <= 0xF4)
    return 4;
  return 0;
}

static size_t rfc3629_want(const unsigned char *b, size_t n) {
  unsigned lo, hi;
  size_t need = n > 0 ? rfc3629_length(b[0], &lo, &hi) : 0;
  if (need == 0 || n < need || b[1] < lo || b[1] > hi)
    return 0;
  for (size_t i = 2; i < need; i++)
    if (b[i] < 0x80 || b[i] > 0xBF)
      return 0;
  return need;
}

static void check_utf8(const unsigned char *b, size_t n) {
  const unsigned char *p = (const unsigned char *)guard_copy(b, n);
  size_t got = utf8_multibyte(p, n), want = rfc3629_want(b, n);
  if (got != want)
    fail_msg("%s: got %zu, want %zu", show((const char *)b, n), got, want);
}

/* Every lead byte with every second byte, then, for each lead byte class,
 * every byte in each later position (the others valid), and every
 * truncation: each boundary of the table, at every length. */
static void test_utf8_multibyte_exhaustive(void **state) {
  (void)state;
  for (unsigned b0 = 0; b0 < 256; b0++) {
    unsigned lo, hi;
    size_t need = rfc3629_length(b0, &lo, &hi);
    size_t n = need > 2 ? need : 2;
    for (unsigned v = 0; v < 256; v++) {
      unsigned char b[4] = {(unsigned char)b0, (unsigned char)v, 0x80, 0x80};
      check_utf8(b, n);
      for (size_t at = 2; at < need; at++) {
        unsigned char c[4] = {(unsigned char)b0, (unsigned char)lo, 0x80, 0x80};
        c[at] = (unsigned char)v;
        check_utf8(c, need);
        c[1] = (unsigned char)hi;
        check_utf8(c, need);
      }
    }
    unsigned char t[4] = {(unsigned char)b0, (unsigned char)hi, 0xBF, 0xBF};
    for (size_t k = 0; k <= 4; k++)
      check_utf8(t, k);
  }
}

/* The classes are the ABNF's: spot-check every edge of every class. */
static void test_classes(void **state) {
  (void)state;
  for (unsigned c = 0; c < 256; c++) {
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    bool digit = c >= '0' && c <= '9';
    bool vchar = c >= 0x21 && c <= 0x7E;
    bool txtval = vchar && c != ';' && c != '='; /* %x21-3A / %x3C / %x3E-7E */
    bool extname = alpha || digit || c == '_' || c == '-' || c == '.';
    bool hex = digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    bool wsp = c == ' ' || c == '\t';
    unsigned char b = (unsigned char)c;
    assert_int_equal(char_is(b, CHAR_ALPHA), alpha);
    assert_int_equal(char_is(b, CHAR_DIGIT), digit);
    assert_int_equal(char_is(b, CHAR_VCHAR), vchar);
    assert_int_equal(char_is(b, CHAR_TXTVAL), txtval);
    assert_int_equal(char_is(b, CHAR_EXTNAME), extname);
    assert_int_equal(char_is(b, CHAR_HEX), hex);
    assert_int_equal(char_is(b, CHAR_WSP), wsp);
    /* RFC 3986: scheme, unreserved, sub-delims (without RFC 8460's "," "!" ";"). */
    bool scheme = alpha || digit || c == '+' || c == '-' || c == '.';
    bool unreserved = alpha || digit || c == '-' || c == '.' || c == '_' || c == '~';
    bool sub_delim = c != 0 && strchr("$&'()*+=", (int)c) != NULL;
    bool regname = unreserved || sub_delim;
    assert_int_equal(char_is(b, CHAR_SCHEME), scheme);
    assert_int_equal(char_is(b, CHAR_REGNAME), regname);
    assert_int_equal(char_is(b, CHAR_PATH), regname || c == ':' || c == '@' || c == '/');
    assert_int_equal(char_is_alnum(b), alpha || digit);
    assert_int_equal(char_lower(b), (c >= 'A' && c <= 'Z') ? c + 32 : c);
  }
  /* URI: RFC 3986 unreserved / gen-delims / sub-delims and "%", without the
   * RFC 8460 MUST-encode "," "!" ";". */
  const char *uri = "ABCXYZabcxyz0189-._~:/?#[]@$&'()*+=%";
  for (const char *u = uri; *u; u++)
    assert_true(char_is((unsigned char)*u, CHAR_URI));
  const char *not_uri = ",!; \"<>\\^`{|}\x7f\x80\xff";
  for (const char *u = not_uri; *u; u++)
    assert_false(char_is((unsigned char)*u, CHAR_URI));
  assert_false(char_is(0, CHAR_URI));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_multibyte_boundaries),
      cmocka_unit_test(test_utf8_multibyte_exhaustive),
      cmocka_unit_test(test_classes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
