/* test_report_errors.c - every report code pinned to its number and name
 * (numbers are ABI: a change here is a break), the messages, warnings. */
#include "report_testutil.h"

#include <string.h>

static const struct {
  mtasts_report_code code;
  int number;
  const char *name;
} pinned[] = {
    {MTASTS_REPORT_OK, 0, "REPORT_OK"},
    {MTASTS_E_REPORT_ARGUMENT, 1, "E_REPORT_ARGUMENT"},
    {MTASTS_E_REPORT_TOO_LARGE, 2, "E_REPORT_TOO_LARGE"},
    {MTASTS_E_JSON_EMPTY, 3, "E_JSON_EMPTY"},
    {MTASTS_E_JSON_NUL, 4, "E_JSON_NUL"},
    {MTASTS_E_JSON_BOM, 5, "E_JSON_BOM"},
    {MTASTS_E_JSON_SYNTAX, 6, "E_JSON_SYNTAX"},
    {MTASTS_E_JSON_TRUNCATED, 7, "E_JSON_TRUNCATED"},
    {MTASTS_E_JSON_TRAILING, 8, "E_JSON_TRAILING"},
    {MTASTS_E_JSON_LITERAL, 9, "E_JSON_LITERAL"},
    {MTASTS_E_JSON_NUMBER, 10, "E_JSON_NUMBER"},
    {MTASTS_E_JSON_CONTROL, 11, "E_JSON_CONTROL"},
    {MTASTS_E_JSON_ESCAPE, 12, "E_JSON_ESCAPE"},
    {MTASTS_E_JSON_SURROGATE, 13, "E_JSON_SURROGATE"},
    {MTASTS_E_JSON_UTF8, 14, "E_JSON_UTF8"},
    {MTASTS_E_JSON_DEPTH, 15, "E_JSON_DEPTH"},
    {MTASTS_E_JSON_DUPLICATE, 16, "E_JSON_DUPLICATE"},
    {MTASTS_E_JSON_TOO_MANY_MEMBERS, 17, "E_JSON_TOO_MANY_MEMBERS"},
    {MTASTS_E_REPORT_TYPE, 18, "E_REPORT_TYPE"},
    {MTASTS_E_REPORT_NULL, 19, "E_REPORT_NULL"},
    {MTASTS_E_REPORT_MISSING, 20, "E_REPORT_MISSING"},
    {MTASTS_E_REPORT_POLICIES_EMPTY, 21, "E_REPORT_POLICIES_EMPTY"},
    {MTASTS_E_REPORT_COUNT, 22, "E_REPORT_COUNT"},
    {MTASTS_E_REPORT_COUNT_RANGE, 23, "E_REPORT_COUNT_RANGE"},
    {MTASTS_E_REPORT_DATE, 24, "E_REPORT_DATE"},
    {MTASTS_E_REPORT_DATE_ORDER, 25, "E_REPORT_DATE_ORDER"},
    {MTASTS_E_REPORT_CONTACT, 26, "E_REPORT_CONTACT"},
    {MTASTS_E_REPORT_POLICY_TYPE, 27, "E_REPORT_POLICY_TYPE"},
    {MTASTS_E_REPORT_TLSA, 28, "E_REPORT_TLSA"},
    {MTASTS_E_REPORT_MX_HOST, 29, "E_REPORT_MX_HOST"},
    {MTASTS_E_REPORT_DOMAIN, 30, "E_REPORT_DOMAIN"},
    {MTASTS_E_REPORT_IP, 31, "E_REPORT_IP"},
    {MTASTS_E_REPORT_RESULT_TYPE, 32, "E_REPORT_RESULT_TYPE"},
    {MTASTS_E_REPORT_URI, 33, "E_REPORT_URI"},
    {MTASTS_E_REPORT_POLICY_CAPACITY, 34, "E_REPORT_POLICY_CAPACITY"},
    {MTASTS_E_REPORT_DETAIL_CAPACITY, 35, "E_REPORT_DETAIL_CAPACITY"},
    {MTASTS_W_REPORT_NOT_ONE_DAY, 36, "W_REPORT_NOT_ONE_DAY"},
    {MTASTS_W_REPORT_RESULT_TYPE, 37, "W_REPORT_RESULT_TYPE"},
    {MTASTS_W_REPORT_POLICY_STRING_INVALID, 38, "W_REPORT_POLICY_STRING_INVALID"},
    {MTASTS_W_REPORT_NULL, 39, "W_REPORT_NULL"},
    {MTASTS_W_REPORT_DATE_NO_OFFSET, 40, "W_REPORT_DATE_NO_OFFSET"},
    {MTASTS_W_REPORT_CONTACT_MISSING, 41, "W_REPORT_CONTACT_MISSING"},
    {MTASTS_W_REPORT_CONTACT_NOT_ADDR, 42, "W_REPORT_CONTACT_NOT_ADDR"},
    {MTASTS_W_REPORT_POLICY_TYPE, 43, "W_REPORT_POLICY_TYPE"},
    {MTASTS_W_REPORT_POLICY_STRING_MISSING, 44, "W_REPORT_POLICY_STRING_MISSING"},
    {MTASTS_W_REPORT_TLSA_JSON_ARRAY, 45, "W_REPORT_TLSA_JSON_ARRAY"},
    {MTASTS_W_REPORT_MX_HOST_STRING, 46, "W_REPORT_MX_HOST_STRING"},
    {MTASTS_W_REPORT_DOMAIN_MISSING, 47, "W_REPORT_DOMAIN_MISSING"},
    {MTASTS_W_REPORT_IP_EMPTY, 48, "W_REPORT_IP_EMPTY"},
    {MTASTS_E_REPORT_WRITE_CAPACITY, 49, "E_REPORT_WRITE_CAPACITY"},
};

static void test_pinned(void **state) {
  (void)state;
  size_t n = sizeof pinned / sizeof pinned[0];
  assert_int_equal(n, MTASTS_REPORT_CODE_COUNT_);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(pinned[i].code, pinned[i].number);
    assert_string_equal(mtasts_report_errname(pinned[i].code), pinned[i].name);
    const char *msg = mtasts_report_strerror(pinned[i].code);
    assert_true(strlen(msg) > 0);
    assert_int_equal(mtasts_report_is_warning(pinned[i].code), pinned[i].name[0] == 'W');
  }
}

static void test_outside_the_table(void **state) {
  (void)state;
  mtasts_report_code bad[] = {(mtasts_report_code)-1, MTASTS_REPORT_CODE_COUNT_,
                              (mtasts_report_code)1000};
  for (size_t i = 0; i < 3; i++) {
    assert_string_equal(mtasts_report_errname(bad[i]), "UNKNOWN");
    assert_string_equal(mtasts_report_strerror(bad[i]), "unknown code");
    assert_false(mtasts_report_is_warning(bad[i]));
  }
}

static void test_result_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_report_result_name(MTASTS_REPORT_RESULT_UNSET), "");
  assert_string_equal(mtasts_report_result_name(MTASTS_REPORT_RESULT_STARTTLS_NOT_SUPPORTED),
                      "starttls-not-supported");
  assert_string_equal(mtasts_report_result_name(MTASTS_REPORT_RESULT_DANE_REQUIRED),
                      "dane-required");
  assert_string_equal(mtasts_report_result_name(MTASTS_REPORT_RESULT_STS_WEBPKI_INVALID),
                      "sts-webpki-invalid");
  assert_string_equal(mtasts_report_result_name(MTASTS_REPORT_RESULT_OTHER), "");
  assert_string_equal(mtasts_report_result_name((mtasts_report_result)-1), "");
  assert_string_equal(mtasts_report_result_name((mtasts_report_result)99), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pinned),
      cmocka_unit_test(test_outside_the_table),
      cmocka_unit_test(test_result_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
