/* test_errors.c - the code table: names, messages, warnings, locate. */
#include "testutil.h"

#include <string.h>

/* The frozen numbers: every code, name for name. A released number never
 * changes (mtasts.h, "Numbers are part of the ABI"); a new code needs its
 * row here, with the next number, or test_numbers_pinned fails. */
static const struct {
  mtasts_code code;
  int number;
  const char *name;
} pinned[] = {
    {MTASTS_OK, 0, "OK"},
    {MTASTS_E_ARGUMENT, 1, "E_ARGUMENT"},
    {MTASTS_E_EMPTY, 2, "E_EMPTY"},
    {MTASTS_E_NUL, 3, "E_NUL"},
    {MTASTS_E_TOO_MANY_EXTENSIONS, 4, "E_TOO_MANY_EXTENSIONS"},
    {MTASTS_E_TXT_TOO_LARGE, 5, "E_TXT_TOO_LARGE"},
    {MTASTS_E_TXT_VERSION, 6, "E_TXT_VERSION"},
    {MTASTS_E_TXT_EXPECTED_DELIM, 7, "E_TXT_EXPECTED_DELIM"},
    {MTASTS_E_TXT_EMPTY_FIELD, 8, "E_TXT_EMPTY_FIELD"},
    {MTASTS_E_TXT_TRAILING_WSP, 9, "E_TXT_TRAILING_WSP"},
    {MTASTS_E_TXT_FIELD_NAME, 10, "E_TXT_FIELD_NAME"},
    {MTASTS_E_TXT_EXPECTED_EQUALS, 11, "E_TXT_EXPECTED_EQUALS"},
    {MTASTS_E_TXT_VALUE_EMPTY, 12, "E_TXT_VALUE_EMPTY"},
    {MTASTS_E_TXT_VALUE_CHAR, 13, "E_TXT_VALUE_CHAR"},
    {MTASTS_E_TXT_ID_CHAR, 14, "E_TXT_ID_CHAR"},
    {MTASTS_E_TXT_ID_TOO_LONG, 15, "E_TXT_ID_TOO_LONG"},
    {MTASTS_E_TXT_MISSING_ID, 16, "E_TXT_MISSING_ID"},
    {MTASTS_E_RRSET_NONE, 17, "E_RRSET_NONE"},
    {MTASTS_E_RRSET_MULTIPLE, 18, "E_RRSET_MULTIPLE"},
    {MTASTS_E_TLSRPT_MISSING_RUA, 19, "E_TLSRPT_MISSING_RUA"},
    {MTASTS_E_RUA_EMPTY, 20, "E_RUA_EMPTY"},
    {MTASTS_E_RUA_SCHEME, 21, "E_RUA_SCHEME"},
    {MTASTS_E_RUA_CHAR, 22, "E_RUA_CHAR"},
    {MTASTS_E_RUA_PERCENT, 23, "E_RUA_PERCENT"},
    {MTASTS_E_RUA_UNSUPPORTED_SCHEME, 24, "E_RUA_UNSUPPORTED_SCHEME"},
    {MTASTS_E_RUA_NO_DESTINATION, 25, "E_RUA_NO_DESTINATION"},
    {MTASTS_E_TOO_MANY_RUA, 26, "E_TOO_MANY_RUA"},
    {MTASTS_E_RUA_NONE_USABLE, 27, "E_RUA_NONE_USABLE"},
    {MTASTS_E_POLICY_TOO_LARGE, 28, "E_POLICY_TOO_LARGE"},
    {MTASTS_E_POLICY_BOM, 29, "E_POLICY_BOM"},
    {MTASTS_E_POLICY_BARE_CR, 30, "E_POLICY_BARE_CR"},
    {MTASTS_E_POLICY_BLANK_LINE, 31, "E_POLICY_BLANK_LINE"},
    {MTASTS_E_POLICY_LEADING_WSP, 32, "E_POLICY_LEADING_WSP"},
    {MTASTS_E_POLICY_FIELD_NAME, 33, "E_POLICY_FIELD_NAME"},
    {MTASTS_E_POLICY_EXPECTED_COLON, 34, "E_POLICY_EXPECTED_COLON"},
    {MTASTS_E_POLICY_VALUE_EMPTY, 35, "E_POLICY_VALUE_EMPTY"},
    {MTASTS_E_POLICY_VALUE_CHAR, 36, "E_POLICY_VALUE_CHAR"},
    {MTASTS_E_POLICY_VALUE_UTF8, 37, "E_POLICY_VALUE_UTF8"},
    {MTASTS_E_POLICY_VERSION, 38, "E_POLICY_VERSION"},
    {MTASTS_E_POLICY_MODE, 39, "E_POLICY_MODE"},
    {MTASTS_E_POLICY_MAX_AGE, 40, "E_POLICY_MAX_AGE"},
    {MTASTS_E_POLICY_MAX_AGE_RANGE, 41, "E_POLICY_MAX_AGE_RANGE"},
    {MTASTS_E_POLICY_MX_SYNTAX, 42, "E_POLICY_MX_SYNTAX"},
    {MTASTS_E_POLICY_MX_LABEL_TOO_LONG, 43, "E_POLICY_MX_LABEL_TOO_LONG"},
    {MTASTS_E_POLICY_MX_TOO_LONG, 44, "E_POLICY_MX_TOO_LONG"},
    {MTASTS_E_POLICY_MX_TRAILING_DOT, 45, "E_POLICY_MX_TRAILING_DOT"},
    {MTASTS_E_POLICY_MISSING_VERSION, 46, "E_POLICY_MISSING_VERSION"},
    {MTASTS_E_POLICY_MISSING_MODE, 47, "E_POLICY_MISSING_MODE"},
    {MTASTS_E_POLICY_MISSING_MAX_AGE, 48, "E_POLICY_MISSING_MAX_AGE"},
    {MTASTS_E_POLICY_MISSING_MX, 49, "E_POLICY_MISSING_MX"},
    {MTASTS_E_MX_CAPACITY, 50, "E_MX_CAPACITY"},
    {MTASTS_E_WRITE_SPACE, 51, "E_WRITE_SPACE"},
    {MTASTS_E_WRITE_INVALID, 52, "E_WRITE_INVALID"},
    {MTASTS_W_DUPLICATE_FIELD, 53, "W_DUPLICATE_FIELD"},
    {MTASTS_W_POLICY_BOM, 54, "W_POLICY_BOM"},
    {MTASTS_W_POLICY_BLANK_LINE, 55, "W_POLICY_BLANK_LINE"},
    {MTASTS_W_POLICY_TRAILING_BLANK, 56, "W_POLICY_TRAILING_BLANK"},
    {MTASTS_W_POLICY_MAX_AGE_CLAMPED, 57, "W_POLICY_MAX_AGE_CLAMPED"},
    {MTASTS_W_TXT_TRAILING_WSP, 58, "W_TXT_TRAILING_WSP"},
    {MTASTS_W_RUA_SKIPPED, 59, "W_RUA_SKIPPED"},
    {MTASTS_E_RUA_HOST, 60, "E_RUA_HOST"},
    {MTASTS_E_RUA_IP_LITERAL, 61, "E_RUA_IP_LITERAL"},
    {MTASTS_E_RUA_PORT, 62, "E_RUA_PORT"},
    {MTASTS_E_RUA_RESERVED, 63, "E_RUA_RESERVED"},
    {MTASTS_E_EXT_CAPACITY, 64, "E_EXT_CAPACITY"},
    {MTASTS_E_RUA_CAPACITY, 65, "E_RUA_CAPACITY"},
};

static void test_numbers_pinned(void **state) {
  (void)state;
  size_t n = sizeof pinned / sizeof pinned[0];
  if (n != (size_t)MTASTS_CODE_COUNT_)
    fail_msg("%zu pinned codes, MTASTS_CODE_COUNT_ is %d: pin the new code here", n,
             (int)MTASTS_CODE_COUNT_);
  for (size_t i = 0; i < n; i++) {
    if ((int)pinned[i].code != pinned[i].number)
      fail_msg("MTASTS_%s is %d, pinned as %d", pinned[i].name, (int)pinned[i].code,
               pinned[i].number);
    const char *name = mtasts_errname((mtasts_code)pinned[i].number);
    if (strcmp(name, pinned[i].name) != 0)
      fail_msg("code %d is named %s, pinned as %s", pinned[i].number, name, pinned[i].name);
  }
}

/* Every code has a distinct, non-empty name equal to its enum suffix and a
 * message; the kind (E_/W_) is visible in the name. */
static void test_every_code_named(void **state) {
  (void)state;
  for (int i = 0; i < (int)MTASTS_CODE_COUNT_; i++) {
    mtasts_code c = (mtasts_code)i;
    const char *n = mtasts_errname(c);
    const char *m = mtasts_strerror(c);
    assert_non_null(n);
    assert_non_null(m);
    assert_true(strlen(n) > 1);
    assert_true(strlen(m) > 5);
    assert_string_not_equal(n, "UNKNOWN");
    if (i == 0)
      assert_string_equal(n, "OK");
    else
      assert_true(n[0] == 'E' || n[0] == 'W');
    assert_int_equal(mtasts_is_warning(c), n[0] == 'W');
    for (int j = 0; j < i; j++)
      assert_string_not_equal(n, mtasts_errname((mtasts_code)j));
  }
}

static void test_known_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_errname(MTASTS_E_TXT_ID_TOO_LONG), "E_TXT_ID_TOO_LONG");
  assert_string_equal(mtasts_errname(MTASTS_E_POLICY_BARE_CR), "E_POLICY_BARE_CR");
  assert_string_equal(mtasts_errname(MTASTS_W_POLICY_BOM), "W_POLICY_BOM");
  assert_string_equal(mtasts_strerror(MTASTS_OK), "success");
  assert_false(mtasts_is_warning(MTASTS_OK));
  assert_false(mtasts_is_warning(MTASTS_E_POLICY_BOM));
  assert_true(mtasts_is_warning(MTASTS_W_POLICY_BOM));
}

static void test_out_of_range(void **state) {
  (void)state;
  assert_string_equal(mtasts_errname(MTASTS_CODE_COUNT_), "UNKNOWN");
  assert_string_equal(mtasts_errname((mtasts_code)-1), "UNKNOWN");
  assert_string_equal(mtasts_strerror((mtasts_code)9999), "unknown code");
  assert_false(mtasts_is_warning((mtasts_code)9999));
}

static void test_locate(void **state) {
  (void)state;
  const char *s = "ab\ncd\r\n\nx";
  size_t n = strlen(s);
  const char *g = guard_copy(s, n);
  struct {
    size_t off, line, col;
  } cases[] = {{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3},
               {6, 2, 4}, {7, 3, 1}, {8, 4, 1}, {9, 4, 2}, {100, 4, 2}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mtasts_location l = mtasts_locate(g, n, cases[i].off);
    if (l.line != cases[i].line || l.column != cases[i].col)
      fail_msg("offset %zu: got %zu:%zu want %zu:%zu", cases[i].off, l.line, l.column,
               cases[i].line, cases[i].col);
  }
  mtasts_location l = mtasts_locate(NULL, 0, 5);
  assert_int_equal(l.line, 1);
  assert_int_equal(l.column, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers_pinned), cmocka_unit_test(test_every_code_named),
      cmocka_unit_test(test_known_names),    cmocka_unit_test(test_out_of_range),
      cmocka_unit_test(test_locate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
