/*
 * test_names.c - the stable strings and mappings: RFC 8460 4.3 result
 * types, fetch reasons, and mtasts_txt_select results as discovery
 * outcomes (RFC 8461 3.1 T6).
 */
#include "testutil.h"

#include <string.h>

#include "mtasts_engine.h"

static void test_rpt_names(void **state) {
  (void)state;
  static const struct {
    mtasts_rpt r;
    const char *name;
  } rows[] = {
      {MTASTS_RPT_NONE, ""},
      {MTASTS_RPT_STARTTLS_NOT_SUPPORTED, "starttls-not-supported"},
      {MTASTS_RPT_CERTIFICATE_HOST_MISMATCH, "certificate-host-mismatch"},
      {MTASTS_RPT_CERTIFICATE_EXPIRED, "certificate-expired"},
      {MTASTS_RPT_CERTIFICATE_NOT_TRUSTED, "certificate-not-trusted"},
      {MTASTS_RPT_VALIDATION_FAILURE, "validation-failure"},
      {MTASTS_RPT_STS_POLICY_FETCH_ERROR, "sts-policy-fetch-error"},
      {MTASTS_RPT_STS_POLICY_INVALID, "sts-policy-invalid"},
      {MTASTS_RPT_STS_WEBPKI_INVALID, "sts-webpki-invalid"},
      {(mtasts_rpt)9, ""},
      {(mtasts_rpt)-1, ""},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    assert_string_equal(mtasts_rpt_name(rows[i].r), rows[i].name);
}

static void test_fetch_reasons(void **state) {
  (void)state;
  static const struct {
    mtasts_fetch_reason r;
    const char *name;
    mtasts_rpt rpt;
  } rows[] = {
      {MTASTS_FETCH_OK, "OK", MTASTS_RPT_NONE},
      {MTASTS_FETCH_NETWORK, "NETWORK", MTASTS_RPT_STS_POLICY_FETCH_ERROR},
      {MTASTS_FETCH_WEBPKI, "WEBPKI", MTASTS_RPT_STS_WEBPKI_INVALID},
      {MTASTS_FETCH_REDIRECT, "REDIRECT", MTASTS_RPT_STS_POLICY_FETCH_ERROR},
      {MTASTS_FETCH_STATUS, "STATUS", MTASTS_RPT_STS_POLICY_FETCH_ERROR},
      {MTASTS_FETCH_MEDIA_TYPE, "MEDIA_TYPE", MTASTS_RPT_STS_POLICY_FETCH_ERROR},
      {MTASTS_FETCH_TOO_LARGE, "TOO_LARGE", MTASTS_RPT_STS_POLICY_FETCH_ERROR},
      {MTASTS_FETCH_POLICY_INVALID, "POLICY_INVALID", MTASTS_RPT_STS_POLICY_INVALID},
      {MTASTS_FETCH_CAPACITY, "CAPACITY", MTASTS_RPT_NONE},
      {(mtasts_fetch_reason)9, "UNKNOWN", MTASTS_RPT_NONE},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    assert_string_equal(mtasts_fetch_reason_name(rows[i].r), rows[i].name);
    assert_int_equal(mtasts_fetch_reason_rpt(rows[i].r), rows[i].rpt);
  }
}

/* The names of the decision's enums, as logs and JSON spell them. */
static void test_decision_names(void **state) {
  (void)state;
  assert_string_equal(mtasts_discovery_name(MTASTS_TXT_ABSENT), "absent");
  assert_string_equal(mtasts_discovery_name(MTASTS_TXT_DNS_ERROR), "dns-error");
  assert_string_equal(mtasts_discovery_name(MTASTS_TXT_INVALID), "invalid");
  assert_string_equal(mtasts_discovery_name(MTASTS_TXT_MULTIPLE), "multiple");
  assert_string_equal(mtasts_discovery_name(MTASTS_TXT_VALID), "valid");
  assert_string_equal(mtasts_discovery_name((mtasts_discovery)5), "unknown");
  assert_string_equal(mtasts_apply_name(MTASTS_APPLY_NONE), "none");
  assert_string_equal(mtasts_apply_name(MTASTS_APPLY_CACHED), "cached");
  assert_string_equal(mtasts_apply_name(MTASTS_APPLY_NEW), "new");
  assert_string_equal(mtasts_apply_name((mtasts_apply)-1), "unknown");
  static const char *const events[] = {
      "none",           "cache-hit", "no-policy",    "discovery-failed", "fetch-pending",
      "fetch-deferred", "fetched",   "fetch-failed", "fetch-ignored"};
  for (int e = MTASTS_EV_NONE; e <= MTASTS_EV_FETCH_IGNORED; e++)
    assert_string_equal(mtasts_event_name((mtasts_event)e), events[e]);
  assert_string_equal(mtasts_event_name((mtasts_event)(MTASTS_EV_FETCH_IGNORED + 1)), "unknown");
  assert_string_equal(mtasts_log_name(MTASTS_LOG_NONE), "none");
  assert_string_equal(mtasts_log_name(MTASTS_LOG_NOTICE), "notice");
  assert_string_equal(mtasts_log_name(MTASTS_LOG_ALERT), "alert");
  assert_string_equal(mtasts_log_name((mtasts_log)3), "unknown");
  assert_string_equal(mtasts_fetch_why_name(MTASTS_WHY_NONE), "none");
  assert_string_equal(mtasts_fetch_why_name(MTASTS_WHY_NO_CACHE), "no-cache");
  assert_string_equal(mtasts_fetch_why_name(MTASTS_WHY_NEW_ID), "new-id");
  assert_string_equal(mtasts_fetch_why_name(MTASTS_WHY_REFRESH), "refresh");
  assert_string_equal(mtasts_fetch_why_name((mtasts_fetch_why)4), "unknown");
  assert_string_equal(mtasts_cache_action_name(MTASTS_CACHE_KEEP), "keep");
  assert_string_equal(mtasts_cache_action_name(MTASTS_CACHE_STORE), "store");
  assert_string_equal(mtasts_cache_action_name(MTASTS_CACHE_EVICT), "evict");
  assert_string_equal(mtasts_cache_action_name((mtasts_cache_action)3), "unknown");
  static const char *const tls[] = {"ok",      "no-starttls", "host-mismatch",
                                    "expired", "untrusted",   "other-failure"};
  for (int t = MTASTS_TLS_OK; t <= MTASTS_TLS_OTHER_FAILURE; t++)
    assert_string_equal(mtasts_tls_result_name((mtasts_tls_result)t), tls[t]);
  assert_string_equal(mtasts_tls_result_name((mtasts_tls_result)-1), "unknown");
  assert_string_equal(mtasts_mx_verdict_name(MTASTS_MX_DELIVER), "deliver");
  assert_string_equal(mtasts_mx_verdict_name(MTASTS_MX_DELIVER_AND_REPORT), "deliver-and-report");
  assert_string_equal(mtasts_mx_verdict_name(MTASTS_MX_REFUSE), "refuse");
  assert_string_equal(mtasts_mx_verdict_name((mtasts_mx_verdict)3), "unknown");
}

/* From the parser's RRset selection straight to a discovery outcome. */
static void test_discovery_from_select(void **state) {
  (void)state;
  static const struct {
    const char *name;
    const char *records[2];
    size_t count;
    mtasts_discovery want;
  } rows[] = {
      {"T6: no record", {NULL, NULL}, 0, MTASTS_TXT_ABSENT},
      {"T5: non-STS records are discarded", {"v=spf1 -all", NULL}, 1, MTASTS_TXT_ABSENT},
      {"one valid record", {"v=STSv1; id=abc;", "x"}, 2, MTASTS_TXT_VALID},
      {"T6: not one record", {"v=STSv1; id=a;", "v=STSv1; id=b;"}, 2, MTASTS_TXT_MULTIPLE},
      {"T6: syntactically invalid", {"v=STSv1; id=a-b;", NULL}, 1, MTASTS_TXT_INVALID},
      {"T6: missing id", {"v=STSv1;", NULL}, 1, MTASTS_TXT_INVALID},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    mtasts_chunk chunks[2];
    mtasts_rr rrs[2];
    for (size_t k = 0; k < rows[i].count; k++) {
      chunks[k].ptr = rows[i].records[k];
      chunks[k].len = strlen(rows[i].records[k]);
      rrs[k].strings = &chunks[k];
      rrs[k].count = 1;
    }
    mtasts_rrset_result sel;
    mtasts_txt txt;
    mtasts_ext txt_ext[MTASTS_MAX_EXTENSIONS];
    mtasts_txt_init(&txt, txt_ext, MTASTS_MAX_EXTENSIONS);
    mtasts_code c = mtasts_txt_select(rrs, rows[i].count, NULL, &sel, &txt);
    if (mtasts_discovery_from_select(c) != rows[i].want)
      fail_msg("%s: %s", rows[i].name, mtasts_errname(c));
  }
  assert_int_equal(mtasts_discovery_from_select(MTASTS_E_ARGUMENT), MTASTS_TXT_INVALID);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rpt_names),
      cmocka_unit_test(test_fetch_reasons),
      cmocka_unit_test(test_decision_names),
      cmocka_unit_test(test_discovery_from_select),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
