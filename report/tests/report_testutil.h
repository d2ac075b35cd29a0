/* report_testutil.h - helpers for the report reader's tests: a valid
 * base report, variants of it, and table-driven cases with the code, the
 * offset and the member asserted together. */
#ifndef MTASTS_REPORT_TESTUTIL_H
#define MTASTS_REPORT_TESTUTIL_H

#include "testutil.h"

#include "mtasts_report.h"

/* A minimal valid report (one sts policy, one failure detail), written
 * for these tests: realistic, one whole UTC day, every member present. */
extern const char report_base[];

/* report_base with the first `from` replaced by `to` (static buffer; the
 * test fails if `from` is not there). */
const char *variant(const char *from, const char *to);

/* The reader's storage for the tests (static). */
#define T_POLICIES 8
#define T_DETAILS 16
extern mtasts_report_policy t_policies[T_POLICIES];
extern mtasts_report_detail t_details[T_DETAILS];
#define T_WARNINGS 16
extern mtasts_report_diag t_warn_items[T_WARNINGS];
extern mtasts_report_diags t_warn;

/* Parse `json` (a guard-page copy) into *r with the test storage. */
mtasts_report_code parse_json(const char *json, size_t len, mtasts_profile profile,
                              mtasts_report *r);

/* One case: the input, the profile, the result, and where: the offset is
 * that of the first `at` in the input plus `plus` (NULL: the input length). */
typedef struct rcase {
  const char *name;
  mtasts_profile profile;
  const char *json;
  mtasts_report_code code;
  const char *at;
  long plus;
  const char *member; /* err_member, NULL for none */
} rcase;

/* Code and offset together, naming the case (assert_code_at for reports). */
#define assert_rcode_at(name, got_code, got_off, want_code, want_off)                              \
  do {                                                                                             \
    if ((got_code) != (want_code) || (size_t)(got_off) != (size_t)(want_off))                      \
      fail_msg("%s: got %s@%zu, want %s@%zu", (name), mtasts_report_errname(got_code),             \
               (size_t)(got_off), mtasts_report_errname(want_code), (size_t)(want_off));           \
  } while (0)

size_t offset_of(const char *json, const char *at, long plus);
void run_case(const rcase *c);
void run_cases(const rcase *cases, size_t count);

/* Expect success with exactly one warning, `code` at `at` + plus. */
void expect_one_warning(const char *name, mtasts_profile profile, const char *json,
                        mtasts_report_code code, const char *at, long plus);

#endif
