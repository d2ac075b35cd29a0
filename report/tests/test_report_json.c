/* test_report_json.c - the JSON layer (RFC 8259, I-JSON; ruling R22):
 * every token kind, every JSON code at its boundary. A fragment is put as
 * the value of an unknown member "x" of an otherwise empty top object:
 * read and ignored when valid (the report then misses organization-name
 * at the last "}"), its own error when not. */
#include "report_testutil.h"

#include <stdio.h>
#include <string.h>

#define W(frag) "{\"x\":" frag "}"
#define OKW(name, frag)                                                                            \
  { name, MTASTS_STRICT, W(frag), MTASTS_E_REPORT_MISSING, NULL, -1, "organization-name" }
#define BAD(name, frag, code, at, plus)                                                            \
  { name, MTASTS_STRICT, W(frag), MTASTS_##code, at, plus, NULL }

static void test_values(void **state) {
  (void)state;
  static const rcase cases[] = {
      OKW("zero", "0"),
      OKW("minus zero", "-0"),
      OKW("fraction", "0.5"),
      OKW("exponent", "1e5"),
      OKW("exponent sign", "1E+5"),
      OKW("all parts", "-12.50e-03"),
      OKW("empty array", "[]"),
      OKW("empty object", "{}"),
      OKW("nested", "[1,[2,{\"a\":null,\"b\":[true,false]}], \"s\" ]"),
      OKW("whitespace", " \t\r\n[ 1 , 2 ] \n"),
      OKW("true", "true"),
      OKW("false", "false"),
      OKW("null", "null"),
      OKW("escapes", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\""),
      OKW("utf-8", "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd\""),
      OKW("same name in two objects", "{\"a\":{\"a\":1},\"b\":{\"a\":2}}"),
      OKW("names differing after escape", "{\"ab\":1,\"a\\u0063\":2}"),
      OKW("escaped name prefix", "{\"a\\u0062\":1,\"ab\\u0063\":2}"),
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_numbers(void **state) {
  (void)state;
  static const rcase cases[] = {
      BAD("leading zero", "01", E_JSON_NUMBER, "1}", 0),
      BAD("dot then end", "1.", E_JSON_NUMBER, ".}", 1),
      BAD("lone minus", "-", E_JSON_NUMBER, "-}", 1),
      BAD("minus letter", "-x", E_JSON_NUMBER, "x}", 0),
      BAD("two dots", "1.5.3", E_JSON_NUMBER, ".3", 0),
      BAD("e then end", "1e", E_JSON_NUMBER, "e}", 1),
      BAD("e sign then end", "1e+", E_JSON_NUMBER, "+}", 1),
      BAD("two exponents", "1e5e", E_JSON_NUMBER, "5e", 1),
      BAD("plus sign", "+1", E_JSON_SYNTAX, "+", 0),
      BAD("bare dot", ".5", E_JSON_SYNTAX, ".5", 0),
      BAD("minus minus", "--1", E_JSON_NUMBER, "--", 1),
      BAD("zero then digit after minus", "-01", E_JSON_NUMBER, "1}", 0),
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_literals_and_structure(void **state) {
  (void)state;
  static const rcase cases[] = {
      BAD("short true", "tru", E_JSON_LITERAL, "u}", 1),
      BAD("capital", "nulL", E_JSON_LITERAL, "L", 0),
      BAD("false typo", "fals3", E_JSON_LITERAL, "3", 0),
      BAD("literal run on", "truex", E_JSON_SYNTAX, "x}", 0),
      BAD("word", "yes", E_JSON_SYNTAX, "yes", 0),
      BAD("array trailing comma", "[1,]", E_JSON_SYNTAX, "]", 0),
      BAD("array no comma", "[1 2]", E_JSON_SYNTAX, "2]", 0),
      BAD("object no colon", "{\"a\" 1}", E_JSON_SYNTAX, "1}", 0),
      BAD("object trailing comma", "{\"a\":1,}", E_JSON_SYNTAX, "}}", 0),
      BAD("number name", "{1:2}", E_JSON_SYNTAX, "1:", 0),
      BAD("mismatched close", "[1}", E_JSON_SYNTAX, "}}", 0),
      BAD("comma first", "[,1]", E_JSON_SYNTAX, ",1", 0),
      BAD("single quotes", "'a'", E_JSON_SYNTAX, "'", 0),
      {"top-level array", MTASTS_STRICT, "[]", MTASTS_E_REPORT_TYPE, "", 0, NULL},
      {"top-level string", MTASTS_STRICT, "\"a\"", MTASTS_E_REPORT_TYPE, "", 0, NULL},
      {"top-level empty object", MTASTS_STRICT, "{}", MTASTS_E_REPORT_MISSING, "}", 0,
       "organization-name"},
      {"empty", MTASTS_STRICT, "", MTASTS_E_JSON_EMPTY, NULL, 0, NULL},
      {"whitespace only", MTASTS_STRICT, " \n\t\r", MTASTS_E_JSON_EMPTY, NULL, 0, NULL},
      {"open brace", MTASTS_STRICT, "{", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"after name", MTASTS_STRICT, "{\"a\"", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"after colon", MTASTS_STRICT, "{\"a\": ", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"after value", MTASTS_STRICT, "{\"a\":1", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"after comma", MTASTS_STRICT, "{\"a\":1,", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"array open", MTASTS_STRICT, "{\"a\":[", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"in literal", MTASTS_STRICT, "{\"a\":tr", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"in number", MTASTS_STRICT, "{\"a\":1.", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"in exponent", MTASTS_STRICT, "{\"a\":1e", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"in minus", MTASTS_STRICT, "{\"a\":-", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"bom", MTASTS_STRICT, "\xef\xbb\xbf{}", MTASTS_E_JSON_BOM, "", 0, NULL},
      {"partial bom", MTASTS_STRICT, "\xef\xbb{}", MTASTS_E_JSON_SYNTAX, "", 0, NULL},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_strings(void **state) {
  (void)state;
  static const rcase cases[] = {
      BAD("control", "\"a\x01\"", E_JSON_CONTROL, "\x01", 0),
      BAD("raw tab", "\"a\tb\"", E_JSON_CONTROL, "\t", 0),
      BAD("raw newline", "\"a\nb\"", E_JSON_CONTROL, "\n", 0),
      BAD("bad escape", "\"\\x\"", E_JSON_ESCAPE, "\\x", 1),
      BAD("escaped quote-less u", "\"\\U0041\"", E_JSON_ESCAPE, "U", 0),
      BAD("bad hex", "\"\\u12G4\"", E_JSON_ESCAPE, "G", 0),
      BAD("lone high", "\"\\ud800\"", E_JSON_SURROGATE, "\\", 0),
      BAD("lone low", "\"\\udc00\"", E_JSON_SURROGATE, "\\", 0),
      BAD("high then escape", "\"\\ud800\\n\"", E_JSON_SURROGATE, "\\", 0),
      BAD("high then char", "\"\\ud800x\"", E_JSON_SURROGATE, "\\", 0),
      BAD("high then high", "\"\\ud800\\ud800\"", E_JSON_SURROGATE, "\\", 0),
      BAD("high then bad hex", "\"\\ud800\\uzzzz\"", E_JSON_ESCAPE, "zzzz", 0),
      BAD("bad lead", "\"\xc3\x28\"", E_JSON_UTF8, "\xc3", 0),
      BAD("overlong 2", "\"\xc0\xaf\"", E_JSON_UTF8, "\xc0", 0),
      BAD("overlong 3", "\"\xe0\x80\xaf\"", E_JSON_UTF8, "\xe0", 0),
      BAD("utf-8 surrogate", "\"\xed\xa0\x80\"", E_JSON_UTF8, "\xed", 0),
      BAD("above 10FFFF", "\"\xf4\x90\x80\x80\"", E_JSON_UTF8, "\xf4", 0),
      BAD("overlong 4", "\"\xf0\x80\x80\x80\"", E_JSON_UTF8, "\xf0", 0),
      BAD("bad third", "\"\xe2\x82\x28\"", E_JSON_UTF8, "\xe2", 0),
      BAD("lone continuation", "\"\x80\"", E_JSON_UTF8, "\x80", 0),
      BAD("f5", "\"\xf5\x80\x80\x80\"", E_JSON_UTF8, "\xf5", 0),
      BAD("duplicate", "{\"a\":1,\"a\":2}", E_JSON_DUPLICATE, "\"a\":2", 0),
      BAD("duplicate escaped", "{\"a\":1,\"\\u0061\":2}", E_JSON_DUPLICATE, "\"\\u", 0),
      BAD("duplicate both escaped", "{\"\\u0061b\":1,\"a\\u0062\":2}", E_JSON_DUPLICATE, "\"a\\u",
          0),
      {"string cut", MTASTS_STRICT, "{\"x\":\"abc", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"escape cut", MTASTS_STRICT, "{\"x\":\"\\", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"u cut", MTASTS_STRICT, "{\"x\":\"\\u12", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"pair cut 1", MTASTS_STRICT, "{\"x\":\"\\ud800", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"pair cut 2", MTASTS_STRICT, "{\"x\":\"\\ud800\\", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
      {"pair cut 3", MTASTS_STRICT, "{\"x\":\"\\ud800\\udc", MTASTS_E_JSON_TRUNCATED, NULL, 0,
       NULL},
      {"utf-8 cut", MTASTS_STRICT, "{\"x\":\"\xe2\x82", MTASTS_E_JSON_UTF8, "\xe2", 0, NULL},
      {"name cut", MTASTS_STRICT, "{\"x", MTASTS_E_JSON_TRUNCATED, NULL, 0, NULL},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* NUL is never valid; at an error offset it names the error. */
static void test_nul(void **state) {
  (void)state;
  mtasts_report r;
  static const char in_string[] = "{\"x\":\"a\0b\"}";
  assert_rcode_at("nul in string", parse_json(in_string, sizeof in_string - 1, MTASTS_STRICT, &r),
                  r.err_offset, MTASTS_E_JSON_NUL, 7);
  static const char as_value[] = "{\"x\":\0}";
  assert_rcode_at("nul as value", parse_json(as_value, sizeof as_value - 1, MTASTS_STRICT, &r),
                  r.err_offset, MTASTS_E_JSON_NUL, 5);
  static const char first[] = "\0";
  assert_rcode_at("nul first", parse_json(first, 1, MTASTS_STRICT, &r), r.err_offset,
                  MTASTS_E_JSON_NUL, 0);
}

/* MTASTS_REPORT_MAX_DEPTH levels are fine, one more is not. */
static void test_depth(void **state) {
  (void)state;
  static char buf[256];
  for (size_t extra = MTASTS_REPORT_MAX_DEPTH - 1; extra <= MTASTS_REPORT_MAX_DEPTH; extra++) {
    size_t k = 0;
    memcpy(buf, "{\"x\":", 5);
    k = 5;
    for (size_t i = 0; i < extra; i++)
      buf[k++] = '[';
    for (size_t i = 0; i < extra; i++)
      buf[k++] = ']';
    buf[k++] = '}';
    mtasts_report r;
    mtasts_report_code rc = parse_json(buf, k, MTASTS_STRICT, &r);
    if (extra < MTASTS_REPORT_MAX_DEPTH)
      assert_rcode_at("deepest", rc, r.err_offset, MTASTS_E_REPORT_MISSING, k - 1);
    else
      assert_rcode_at("one deeper", rc, r.err_offset, MTASTS_E_JSON_DEPTH, 5 + extra - 1);
  }
}

/* MTASTS_REPORT_MAX_MEMBERS members in one object, and one more. */
static void test_members(void **state) {
  (void)state;
  static char buf[4096];
  for (size_t count = MTASTS_REPORT_MAX_MEMBERS; count <= MTASTS_REPORT_MAX_MEMBERS + 1; count++) {
    size_t k = 0, last = 0;
    buf[k++] = '{';
    for (size_t i = 0; i < count; i++) {
      last = k;
      k += (size_t)snprintf(buf + k, sizeof buf - k, "%s\"m%zu\":%zu", i ? "," : "", i, i);
      if (i)
        last++;
    }
    buf[k++] = '}';
    mtasts_report r;
    mtasts_report_code rc = parse_json(buf, k, MTASTS_STRICT, &r);
    if (count == MTASTS_REPORT_MAX_MEMBERS)
      assert_rcode_at("most members", rc, r.err_offset, MTASTS_E_REPORT_MISSING, k - 1);
    else
      assert_rcode_at("one member more", rc, r.err_offset, MTASTS_E_JSON_TOO_MANY_MEMBERS, last);
  }
}

/* Every strict prefix of a valid report fails cleanly at its end; what
 * follows the value may only be whitespace. */
static void test_prefixes_and_trailing(void **state) {
  (void)state;
  mtasts_report r;
  size_t n = strlen(report_base);
  for (size_t len = 0; len < n; len++) {
    mtasts_report_code rc = parse_json(report_base, len, MTASTS_LENIENT, &r);
    assert_rcode_at("prefix", rc, r.err_offset, len ? MTASTS_E_JSON_TRUNCATED : MTASTS_E_JSON_EMPTY,
                    len);
  }
  static char buf[4096];
  memcpy(buf, report_base, n);
  memcpy(buf + n, " \r\n\t", 4);
  assert_int_equal(parse_json(buf, n + 4, MTASTS_STRICT, &r), MTASTS_REPORT_OK);
  memcpy(buf + n, " x", 2);
  assert_rcode_at("trailing", parse_json(buf, n + 2, MTASTS_STRICT, &r), r.err_offset,
                  MTASTS_E_JSON_TRAILING, n + 1);
  memcpy(buf + n, "{}", 2);
  assert_rcode_at("second value", parse_json(buf, n + 2, MTASTS_STRICT, &r), r.err_offset,
                  MTASTS_E_JSON_TRAILING, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_literals_and_structure),
      cmocka_unit_test(test_strings),
      cmocka_unit_test(test_nul),
      cmocka_unit_test(test_depth),
      cmocka_unit_test(test_members),
      cmocka_unit_test(test_prefixes_and_trailing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
