/* test_names.c - the stable names of the public enums (mtasts.h). */
#include "testutil.h"

static void test_profile_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_profile_name(MTASTS_STRICT), "strict");
  assert_string_equal(mtasts_profile_name(MTASTS_LENIENT), "lenient");
  assert_string_equal(mtasts_profile_name((mtasts_profile)2), "unknown");
  assert_string_equal(mtasts_profile_name((mtasts_profile)-1), "unknown");
}

static void test_rua_scheme_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_rua_scheme_name(MTASTS_RUA_MAILTO), "mailto");
  assert_string_equal(mtasts_rua_scheme_name(MTASTS_RUA_HTTPS), "https");
  assert_string_equal(mtasts_rua_scheme_name((mtasts_rua_scheme)0), "unknown");
  assert_string_equal(mtasts_rua_scheme_name((mtasts_rua_scheme)3), "unknown");
  assert_string_equal(mtasts_rua_scheme_name((mtasts_rua_scheme)-1), "unknown");
}

static void test_match_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_match_name(MTASTS_MATCH_BAD_HOST), "bad_host");
  assert_string_equal(mtasts_match_name(MTASTS_MATCH_BAD_PATTERN), "bad_pattern");
  assert_string_equal(mtasts_match_name(MTASTS_MATCH_NONE), "none");
  assert_string_equal(mtasts_match_name(MTASTS_MATCH_EXACT), "exact");
  assert_string_equal(mtasts_match_name(MTASTS_MATCH_WILDCARD), "wildcard");
  assert_string_equal(mtasts_match_name((mtasts_match)-3), "unknown");
  assert_string_equal(mtasts_match_name((mtasts_match)3), "unknown");
}

static void test_mode_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_mode_name(MTASTS_MODE_UNSET), "none");
  assert_string_equal(mtasts_mode_name(MTASTS_MODE_ENFORCE), "enforce");
  assert_string_equal(mtasts_mode_name(MTASTS_MODE_TESTING), "testing");
  assert_string_equal(mtasts_mode_name(MTASTS_MODE_NONE), "none");
  assert_string_equal(mtasts_mode_name((mtasts_mode)4), "unknown");
  assert_string_equal(mtasts_mode_name((mtasts_mode)-1), "unknown");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_profile_names),
      cmocka_unit_test(test_rua_scheme_names),
      cmocka_unit_test(test_match_names),
      cmocka_unit_test(test_mode_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
