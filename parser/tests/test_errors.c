/* test_errors.c - the code table: names, messages, warnings, locate. */
#include "testutil.h"

#include <string.h>

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
      cmocka_unit_test(test_every_code_named),
      cmocka_unit_test(test_known_names),
      cmocka_unit_test(test_out_of_range),
      cmocka_unit_test(test_locate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
