/*
 * test_report_alloc.c - proof by execution that no public function of
 * mtasts_report.h allocates: the allocator is interposed and counted
 * (parser/tests/alloc_counter.c) around each call, over valid reports in
 * both profiles, invalid ones, a sizing pass, the span readers and the
 * writer.
 */
#include "report_testutil.h"

#include "alloc_counter.h"

#include <string.h>

static mtasts_report_work work;

static void test_every_function(void **state) {
  (void)state;
  const char *inputs[] = {
      report_base,
      variant("[\"mx1.example.org\"]", "\"mx1.example.org\""),
      variant("\"mode: testing\"", "\"mode: te\\u0073t\""),
      variant("\"Example Sender\"", "\"\\ud83d\\ude00\""),
      variant("\"Example Sender\"", "5"),
      "{\"a\":[1,2,{\"b\":null}],\"a\":0}",
      "",
  };
  mtasts_report_policy pol[4];
  mtasts_report_detail det[4];
  mtasts_report_diag items[8];
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    char copy[4096];
    size_t len = strlen(inputs[i]);
    memcpy(copy, inputs[i], len);
    for (int prof = 0; prof < 2; prof++) {
      mtasts_report r;
      mtasts_report_diags diags = {items, 8, 0};
      mtasts_report_options o = {(mtasts_profile)prof, &diags};
      mtasts_report_code rc;
      NO_ALLOC(mtasts_report_init(&r, &work, pol, 4, det, 4));
      NO_ALLOC(rc = mtasts_report_parse(copy, len, &o, &r));
      NO_ALLOC((void)mtasts_report_errname(rc));
      NO_ALLOC((void)mtasts_report_strerror(rc));
      NO_ALLOC((void)mtasts_report_is_warning(rc));
      NO_ALLOC(mtasts_report_init(&r, &work, NULL, 0, NULL, 0));
      NO_ALLOC(rc = mtasts_report_parse(copy, len, &o, &r));
    }
  }
  mtasts_report r;
  mtasts_report_init(&r, &work, pol, 4, det, 4);
  size_t len = strlen(report_base);
  assert_int_equal(mtasts_report_parse(report_base, len, NULL, &r), MTASTS_REPORT_OK);
  char buf[256];
  size_t pos = 0;
  mtasts_span item;
  bool more;
  NO_ALLOC((void)mtasts_report_copy(r.organization_name, buf, sizeof buf));
  NO_ALLOC(more = mtasts_report_next(r.policies[0].policy_string, &pos, &item));
  assert_true(more);
  NO_ALLOC((void)mtasts_report_policy_text(&r.policies[0], buf, sizeof buf));
  NO_ALLOC((void)mtasts_report_result_name(r.details[0].result));
  char out[2048];
  size_t needed;
  mtasts_report_code wc;
  NO_ALLOC(wc = mtasts_report_write(&r, out, sizeof out, &needed));
  assert_int_equal(wc, MTASTS_REPORT_OK);
  NO_ALLOC(wc = mtasts_report_write(&r, NULL, 0, &needed));
  assert_int_equal(wc, MTASTS_E_REPORT_WRITE_CAPACITY);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_function),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
