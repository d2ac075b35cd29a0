/* test_report.c - the report's meaning (RFC 8460 4.4; rulings R23-R29):
 * the fields of a valid report, every report code at its boundary with
 * its offset and member, each lenient deviation in both profiles, the
 * caller's arrays, the reset of every output. */
#include "report_testutil.h"

#include <stdio.h>
#include <string.h>

#define S MTASTS_STRICT
#define L MTASTS_LENIENT
/* A variant of the base report that fails: a case whose input is the
 * base with `from` replaced by `to`. */
#define V(name, prof, from, to, code, at, plus, member)                                            \
  { {name, prof, NULL, MTASTS_##code, at, plus, member}, from, to }

typedef struct vcase {
  rcase c; /* c.json: the variant, made by run_variants */
  const char *from, *to;
} vcase;

static void run_variants(const vcase *cases, size_t count) {
  for (size_t i = 0; i < count; i++) {
    rcase c = cases[i].c;
    c.json = variant(cases[i].from, cases[i].to);
    run_case(&c);
  }
}

static bool same(mtasts_span s, const char *text) {
  return s.ptr != NULL && s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

/* ---- a valid report ---- */

static void test_base_fields(void **state) {
  (void)state;
  for (int prof = 0; prof < 2; prof++) {
    mtasts_report r;
    assert_int_equal(parse_json(report_base, strlen(report_base), (mtasts_profile)prof, &r),
                     MTASTS_REPORT_OK);
    assert_int_equal(t_warn.count, 0);
    assert_true(same(r.organization_name, "Example Sender"));
    assert_true(same(r.contact_info, "tlsrpt@sender.example"));
    assert_true(same(r.report_id, "2024-05-01_example.org"));
    assert_true(same(r.start_datetime, "2024-05-01T00:00:00Z"));
    assert_int_equal(r.start_time, 1714521600);
    assert_int_equal(r.end_time, 1714521600 + 86400);
    assert_int_equal(r.policy_count, 1);
    assert_int_equal(r.policy_needed, 1);
    assert_int_equal(r.detail_count, 1);
    assert_int_equal(r.err_offset, 0);
    assert_null(r.err_member);
    const mtasts_report_policy *p = &r.policies[0];
    assert_int_equal(p->type, MTASTS_REPORT_POLICY_STS);
    assert_true(same(p->type_text, "sts"));
    assert_true(same(p->domain, "example.org"));
    assert_int_equal(p->policy_string_count, 4);
    assert_int_equal(p->mx_host_count, 1);
    assert_int_equal(p->policy_code, MTASTS_OK);
    assert_int_equal(p->total_successful, 120);
    assert_int_equal(p->total_failure, 2);
    assert_int_equal(p->detail_first, 0);
    assert_int_equal(p->detail_count, 1);
    const mtasts_report_detail *d = &r.details[0];
    assert_int_equal(d->result, MTASTS_REPORT_RESULT_CERTIFICATE_EXPIRED);
    assert_true(same(d->sending_mta_ip, "192.0.2.10"));
    assert_true(same(d->receiving_ip, "198.51.100.25"));
    assert_true(same(d->receiving_mx_hostname, "mx1.example.org"));
    assert_null(d->receiving_mx_helo.ptr);
    assert_true(same(d->additional_information, "https://reports.sender.example/tlsrpt/a1"));
    assert_true(same(d->failure_reason_code, "X509_V_ERR_CERT_HAS_EXPIRED"));
    assert_int_equal(d->failed_session_count, 2);
    assert_int_equal(d->policy, 0);
    /* Spans point into the input: their offsets say where. */
    assert_int_equal(r.organization_name.off, strlen("{\"organization-name\":\""));
  }
}

static void test_spans_and_text(void **state) {
  (void)state;
  mtasts_report r;
  assert_int_equal(parse_json(report_base, strlen(report_base), S, &r), MTASTS_REPORT_OK);
  const mtasts_report_policy *p = &r.policies[0];
  char buf[128];
  static const char joined[] = "version: STSv1\nmode: testing\nmx: mx1.example.org\nmax_age: 86400";
  assert_int_equal(mtasts_report_policy_text(p, NULL, 0), strlen(joined));
  assert_int_equal(mtasts_report_policy_text(p, buf, sizeof buf), strlen(joined));
  assert_memory_equal(buf, joined, strlen(joined));
  memset(buf, '#', sizeof buf);
  assert_int_equal(mtasts_report_policy_text(p, buf, 16), strlen(joined));
  assert_memory_equal(buf, joined, 16);
  assert_int_equal(buf[16], '#');
  assert_int_equal(mtasts_report_policy_text(NULL, buf, sizeof buf), 0);
  size_t pos = 0;
  mtasts_span item;
  assert_true(mtasts_report_next(p->mx_host, &pos, &item));
  assert_true(same(item, "mx1.example.org"));
  assert_false(mtasts_report_next(p->mx_host, &pos, &item));
  mtasts_span unset = {NULL, 0, 0};
  pos = 0;
  assert_false(mtasts_report_next(unset, &pos, &item));
  assert_false(mtasts_report_next(p->mx_host, NULL, &item));
  assert_int_equal(mtasts_report_copy(unset, buf, sizeof buf), 0);
  /* A span the reader did not make ends the walk at its end. */
  mtasts_span cut = {"[\"a\\", 4, 0};
  pos = 0;
  assert_true(mtasts_report_next(cut, &pos, &item));
  assert_int_equal(item.len, 2);
  assert_false(mtasts_report_next(cut, &pos, &item));
}

static void test_escapes_decoded_on_request(void **state) {
  (void)state;
  mtasts_report r;
  const char *json =
      variant("\"Example Sender\"", "\"Ex\\u00e4mple \\\"S\\\" \\ud83d\\ude00\\u20ac\"");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  char buf[64];
  static const char want[] = "Ex\xc3\xa4mple \"S\" \xf0\x9f\x98\x80\xe2\x82\xac";
  assert_int_equal(mtasts_report_copy(r.organization_name, NULL, 0), strlen(want));
  assert_int_equal(mtasts_report_copy(r.organization_name, buf, sizeof buf), strlen(want));
  assert_memory_equal(buf, want, strlen(want));
  assert_int_equal(mtasts_report_copy(r.organization_name, buf, 3), strlen(want));
  /* Escaped member names and values are read as what they decode to. */
  json =
      variant("\"policy-domain\":\"example.org\"", "\"policy\\u002ddomain\":\"example\\u002eorg\"");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(mtasts_report_copy(r.policies[0].domain, buf, sizeof buf), 11);
  assert_memory_equal(buf, "example.org", 11);
  json = variant("\"mx1.example.org\"]", "\"mx1\\u002eexample.org\",\"\\u002a.example.org\"]");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].mx_host_count, 2);
  json = variant("\"mode: testing\"", "\"mode: te\\u0073ting\"");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].policy_code, MTASTS_OK);
}

static void test_more_policies_and_details(void **state) {
  (void)state;
  mtasts_report r;
  const char *json = variant(
      "]}]}",
      "]},{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 0123ABcd\","
      "\"2 0 1 00ff\"],\"policy-domain\":\"example.net\",\"mx-host\":[\"mx.example.net\"]},"
      "\"summary\":{\"total-successful-session-count\":0,\"total-failure-session-count\":7},"
      "\"failure-details\":[{\"result-type\":\"tlsa-invalid\",\"failed-session-count\":3},"
      "{\"result-type\":\"dnssec-invalid\",\"failed-session-count\":50,"
      "\"receiving-mx-helo\":\"mx.example.net ESMTP\"}]},"
      "{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.com\"},"
      "\"summary\":{\"total-successful-session-count\":5,\"total-failure-session-count\":0}}]}");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(t_warn.count, 0); /* R29: 3 + 50 > 7 is fine */
  assert_int_equal(r.policy_count, 3);
  assert_int_equal(r.detail_count, 3);
  assert_int_equal(r.policies[1].type, MTASTS_REPORT_POLICY_TLSA);
  assert_int_equal(r.policies[1].detail_first, 1);
  assert_int_equal(r.policies[1].detail_count, 2);
  assert_int_equal(r.policies[2].type, MTASTS_REPORT_POLICY_NONE_FOUND);
  assert_int_equal(r.policies[2].detail_first, 3);
  assert_int_equal(r.policies[2].detail_count, 0);
  assert_null(r.policies[2].policy_string.ptr);
  assert_int_equal(r.details[2].result, MTASTS_REPORT_RESULT_DNSSEC_INVALID);
  assert_int_equal(r.details[2].policy, 1);
  assert_true(same(r.details[2].receiving_mx_helo, "mx.example.net ESMTP"));
}

/* Members RFC 8460 4.4 does not name are read and ignored, at every level. */
static void test_unknown_members(void **state) {
  (void)state;
  static const char *const places[][2] = {
      {"{\"organization-name\"", "{\"x-top\":{\"a\":[1,{\"b\":null}]},\"organization-name\""},
      {"{\"start-datetime\"", "{\"x\":1,\"start-datetime\""},
      {"{\"policy\":", "{\"x\":[],\"policy\":"},
      {"{\"policy-type\"", "{\"x\":\"y\",\"policy-type\""},
      {"{\"total-successful", "{\"x\":true,\"total-successful"},
      {"{\"result-type\"", "{\"x\":{},\"result-type\""},
      {"{\"organization-name\"", "{\"Organization-Name\":5,\"organization-name\""},
  };
  for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
    mtasts_report r;
    const char *json = variant(places[i][0], places[i][1]);
    assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  }
}

/* ---- R23: required members and types ---- */

static void test_required_members(void **state) {
  (void)state;
  static const vcase cases[] = {
      V("no organization-name", S, "\"organization-name\":\"Example Sender\",", "",
        E_REPORT_MISSING, NULL, -1, "organization-name"),
      V("no date-range", S,
        "\"date-range\":{\"start-datetime\":\"2024-05-01T00:00:00Z\","
        "\"end-datetime\":\"2024-05-02T00:00:00Z\"},",
        "", E_REPORT_MISSING, NULL, -1, "date-range"),
      V("no start", S, "\"start-datetime\":\"2024-05-01T00:00:00Z\",", "", E_REPORT_MISSING, "Z\"}",
        2, "start-datetime"),
      V("no end", S, ",\"end-datetime\":\"2024-05-02T00:00:00Z\"", "", E_REPORT_MISSING, "Z\"}", 2,
        "end-datetime"),
      V("no contact-info", S, "\"contact-info\":\"tlsrpt@sender.example\",", "", E_REPORT_MISSING,
        NULL, -1, "contact-info"),
      V("no report-id", S, "\"report-id\":\"2024-05-01_example.org\",", "", E_REPORT_MISSING, NULL,
        -1, "report-id"),
      V("no policies", S, ",\"policies\":[", ",\"x\":[", E_REPORT_MISSING, NULL, -1, "policies"),
      V("no policy", S, "{\"policy\":{", "{\"x\":{", E_REPORT_MISSING, "}]}]}", 2, "policy"),
      V("no summary", S, "\"summary\":{", "\"x\":{", E_REPORT_MISSING, "}]}]}", 2, "summary"),
      V("no policy-type", S, "\"policy-type\":\"sts\",", "", E_REPORT_MISSING, "\"]},\"summary\"",
        2, "policy-type"),
      V("no policy-domain", S, "\"policy-domain\":\"example.org\",", "", E_REPORT_MISSING,
        "\"]},\"summary\"", 2, "policy-domain"),
      V("no total-successful", S, "\"total-successful-session-count\":120,", "", E_REPORT_MISSING,
        "2},", 1, "total-successful-session-count"),
      V("no total-failure", S, ",\"total-failure-session-count\":2", "", E_REPORT_MISSING, "120}",
        3, "total-failure-session-count"),
      V("no result-type", S, "\"result-type\":\"certificate-expired\",", "", E_REPORT_MISSING,
        "\"}]}]}", 1, "result-type"),
      V("no failed-session-count", S, "\"failed-session-count\":2,", "", E_REPORT_MISSING,
        "\"}]}]}", 1, "failed-session-count"),
      V("no policies element", S, "\"policies\":[", "\"policies\":[],\"x\":[",
        E_REPORT_POLICIES_EMPTY, "[]", 1, "policies"),
  };
  run_variants(cases, sizeof cases / sizeof cases[0]);
  /* No mx-host, no failure-details, no optional detail member: fine. */
  static const char *const optional[] = {
      ",\"mx-host\":[\"mx1.example.org\"]",
      ",\"sending-mta-ip\":\"192.0.2.10\"",
      ",\"receiving-mx-hostname\":\"mx1.example.org\"",
      ",\"receiving-ip\":\"198.51.100.25\"",
      ",\"additional-information\":\"https://reports.sender.example/tlsrpt/a1\"",
      ",\"failure-reason-code\":\"X509_V_ERR_CERT_HAS_EXPIRED\"",
  };
  for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
    mtasts_report r;
    const char *json = variant(optional[i], "");
    assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  }
  mtasts_report r;
  const char *json = variant(",\"failure-details\":[", ",\"x\":[");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.detail_count, 0);
  json = variant("\"failure-details\":[{", "\"failure-details\":[],\"x\":[{");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
}

static void test_types(void **state) {
  (void)state;
  static const vcase cases[] = {
      V("organization-name number", S, "\"Example Sender\"", "5", E_REPORT_TYPE, "5,", 0,
        "organization-name"),
      V("date-range string", S, "{\"start-datetime\"", "\"x\",\"y\":{\"start-datetime\"",
        E_REPORT_TYPE, "\"x\"", 0, "date-range"),
      V("start number", S, "\"2024-05-01T00:00:00Z\"", "20240501", E_REPORT_TYPE, "20240501", 0,
        "start-datetime"),
      V("contact array", S, "\"tlsrpt@sender.example\"", "[]", E_REPORT_TYPE, "[]", 0,
        "contact-info"),
      V("report-id object", S, "\"2024-05-01_example.org\"", "{}", E_REPORT_TYPE, "{}", 0,
        "report-id"),
      V("policies object", S, "\"policies\":[{\"policy\"", "\"policies\":{\"policy\"",
        E_REPORT_TYPE, "{\"policy\"", 0, "policies"),
      V("policies element string", S, "\"policies\":[{", "\"policies\":[\"a\",{", E_REPORT_TYPE,
        "\"a\"", 0, "policies"),
      V("policy array", S, "\"policy\":{", "\"policy\":[{", E_REPORT_TYPE, "[{\"policy-type", 0,
        "policy"),
      V("summary true", S, "\"summary\":{", "\"summary\":true,\"x\":{", E_REPORT_TYPE, "true", 0,
        "summary"),
      V("failure-details object", S, "\"failure-details\":[", "\"failure-details\":{\"x\":[",
        E_REPORT_TYPE, "{\"x\"", 0, "failure-details"),
      V("failure-details element", S, "\"failure-details\":[", "\"failure-details\":[1,",
        E_REPORT_TYPE, "1,", 0, "failure-details"),
      V("policy-type number", S, "\"sts\"", "1", E_REPORT_TYPE, "1,\"policy-string", 0,
        "policy-type"),
      V("policy-string string", S, "[\"version: STSv1\"", "\"version: STSv1\",\"x\":[\"a\"",
        E_REPORT_TYPE, "\"version", 0, "policy-string"),
      V("policy-string element", S, "\"mode: testing\"", "7", E_REPORT_TYPE, "7,", 0,
        "policy-string"),
      V("mx-host element", S, "[\"mx1.example.org\"]", "[\"mx1.example.org\",[]]", E_REPORT_TYPE,
        "[]]", 0, "mx-host"),
      V("mx-host object", S, "[\"mx1.example.org\"]", "{}", E_REPORT_TYPE, "{}}", 0, "mx-host"),
      V("policy-domain array", S, "\"example.org\",\"mx-host\"", "[],\"mx-host\"", E_REPORT_TYPE,
        "[],", 0, "policy-domain"),
      V("result-type number", S, "\"certificate-expired\"", "3", E_REPORT_TYPE, "3,", 0,
        "result-type"),
      V("helo number", S, "\"receiving-ip\"", "\"receiving-mx-helo\":1,\"receiving-ip\"",
        E_REPORT_TYPE, "1,\"receiving-ip", 0, "receiving-mx-helo"),
      V("null strict", S, "\"X509_V_ERR_CERT_HAS_EXPIRED\"", "null", E_REPORT_NULL, "null", 0,
        "failure-reason-code"),
      V("null required lenient", L, "\"2024-05-01_example.org\"", "null", E_REPORT_MISSING, NULL,
        -1, "report-id"),
  };
  run_variants(cases, sizeof cases / sizeof cases[0]);
  const char *json = variant("\"X509_V_ERR_CERT_HAS_EXPIRED\"", "null");
  expect_one_warning("null optional lenient", L, json, MTASTS_W_REPORT_NULL, "null", 0);
}

/* ---- R22 counts ---- */

static void test_counts(void **state) {
  (void)state;
  static const vcase cases[] = {
      V("string", S, "120,", "\"120\",", E_REPORT_COUNT, "\"120\"", 0,
        "total-successful-session-count"),
      V("fraction", S, "120,", "120.0,", E_REPORT_COUNT, "120.0", 0,
        "total-successful-session-count"),
      V("exponent", S, "120,", "1e3,", E_REPORT_COUNT, "1e3", 0, "total-successful-session-count"),
      V("negative", S, ":2}", ":-1}", E_REPORT_COUNT, "-1}", 0, "total-failure-session-count"),
      V("boolean", S, "\"failed-session-count\":2", "\"failed-session-count\":true", E_REPORT_COUNT,
        "true", 0, "failed-session-count"),
      V("array", S, "\"failed-session-count\":2", "\"failed-session-count\":[2]", E_REPORT_COUNT,
        "[2]", 0, "failed-session-count"),
      V("2^53", S, "120,", "9007199254740992,", E_REPORT_COUNT_RANGE, "9007", 0,
        "total-successful-session-count"),
      V("huge", S, "120,", "123456789012345678901234567890,", E_REPORT_COUNT_RANGE, "1234", 0,
        "total-successful-session-count"),
  };
  run_variants(cases, sizeof cases / sizeof cases[0]);
  mtasts_report r;
  const char *json = variant("120,", "9007199254740991,");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].total_successful, 9007199254740991ull);
  json = variant("120,", "0,");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
}

/* ---- R24 dates ---- */

static const char start_at[] = "\"start-datetime\":";
static const char *with_start(const char *value) {
  return variant("\"2024-05-01T00:00:00Z\"", value);
}

static void test_dates(void **state) {
  (void)state;
  static const char *const bad[] = {
      "\"2024-05-01 00:00:00Z\"",
      "\"2024-02-30T00:00:00Z\"",
      "\"2023-02-29T00:00:00Z\"",
      "\"1900-02-29T00:00:00Z\"",
      "\"2024-13-01T00:00:00Z\"",
      "\"2024-00-01T00:00:00Z\"",
      "\"2024-05-00T00:00:00Z\"",
      "\"2024-05-01T24:00:00Z\"",
      "\"2024-05-01T00:60:00Z\"",
      "\"2024-05-01T00:00:61Z\"",
      "\"2024-05-01T00:00:00+24:00\"",
      "\"2024-05-01T00:00:00+01:60\"",
      "\"2024-05-01T00:00:00+0100\"",
      "\"2024-05-01T00:00:00.Z\"",
      "\"2024-05-01T00:00:00ZZ\"",
      "\"2024-05-01T00:00Z\"",
      "\"24-05-01T00:00:00Z\"",
      "\"2024-5-01T00:00:00Z\"",
      "\"2024-05-01T00:00:00 Z\"",
      "\"2024-05-01T00:00:00+01\"",
      "\"\"",
      "\"2024-05-01T00:00:00*01:00\"",
      "\"2024-05-01T00:00:00+1a:00\"",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rcase c = {bad[i], S, with_start(bad[i]), MTASTS_E_REPORT_DATE, start_at, 17, "start-datetime"};
    run_case(&c);
  }
  /* Valid forms; the range is then no longer one whole UTC day. */
  static const char *const good_other_day[] = {
      "\"2024-04-30T00:00:00.5Z\"", "\"2024-04-30T23:59:59Z\"", "\"2024-04-30T12:00:00-01:30\"",
      "\"2000-02-29T00:00:00Z\"",   "\"2024-02-29T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
  };
  for (size_t i = 0; i < sizeof good_other_day / sizeof good_other_day[0]; i++)
    expect_one_warning(good_other_day[i], S, with_start(good_other_day[i]),
                       MTASTS_W_REPORT_NOT_ONE_DAY, "\"date-range\":", 13);
  /* Still the whole day 2024-05-01 UTC. */
  static const char *const same_day[] = {
      "\"2024-05-01t00:00:00z\"",      "\"2024-05-01T02:00:00+02:00\"",
      "\"2024-04-30T22:30:00-01:30\"", "\"2024-05-01T00:00:00.000Z\"",
      "\"2024-04-30T23:59:60Z\"", /* a leap second counts as the next 00 */
  };
  for (size_t i = 0; i < sizeof same_day / sizeof same_day[0]; i++) {
    mtasts_report r;
    const char *json = with_start(same_day[i]);
    assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
    assert_int_equal(t_warn.count, 0);
    assert_int_equal(r.start_time, 1714521600);
  }
}

static void test_date_range(void **state) {
  (void)state;
  static const vcase cases[] = {
      V("equal", S, "\"2024-05-02T00:00:00Z\"", "\"2024-05-01T00:00:00Z\"", E_REPORT_DATE_ORDER,
        "\"end-datetime\":", 15, "end-datetime"),
      V("reversed", S, "\"2024-05-02T00:00:00Z\"", "\"2024-04-30T00:00:00Z\"", E_REPORT_DATE_ORDER,
        "\"end-datetime\":", 15, "end-datetime"),
      V("equal after offset", S, "\"2024-05-02T00:00:00Z\"", "\"2024-05-01T02:00:00+02:00\"",
        E_REPORT_DATE_ORDER, "\"end-datetime\":", 15, "end-datetime"),
      V("fraction equal", S, "\"2024-05-02T00:00:00Z\"", "\"2024-05-01T00:00:00.000Z\"",
        E_REPORT_DATE_ORDER, "\"end-datetime\":", 15, "end-datetime"),
      V("no offset strict", S, "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00\"", E_REPORT_DATE,
        start_at, 17, "start-datetime"),
  };
  run_variants(cases, sizeof cases / sizeof cases[0]);
  expect_one_warning("end a second early", S,
                     variant("\"2024-05-02T00:00:00Z\"", "\"2024-05-01T23:59:59Z\""),
                     MTASTS_W_REPORT_NOT_ONE_DAY, "\"date-range\":", 13);
  expect_one_warning("end a fraction late", L,
                     variant("\"2024-05-02T00:00:00Z\"", "\"2024-05-02T00:00:00.1Z\""),
                     MTASTS_W_REPORT_NOT_ONE_DAY, "\"date-range\":", 13);
  expect_one_warning("two days", S, variant("\"2024-05-02T00:00:00Z\"", "\"2024-05-03T00:00:00Z\""),
                     MTASTS_W_REPORT_NOT_ONE_DAY, "\"date-range\":", 13);
  expect_one_warning("fraction orders", S,
                     variant("\"2024-05-02T00:00:00Z\"", "\"2024-05-01T00:00:00.0001Z\""),
                     MTASTS_W_REPORT_NOT_ONE_DAY, "\"date-range\":", 13);
  expect_one_warning("no offset lenient", L,
                     variant("\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00\""),
                     MTASTS_W_REPORT_DATE_NO_OFFSET, start_at, 17);
  mtasts_report r;
  const char *json = variant("\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00.1\"");
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_int_equal(t_warn.count, 2);
}

/* ---- R25 policy-type and policy-string ---- */

static void test_policy_type(void **state) {
  (void)state;
  const char *json = variant("\"policy-type\":\"sts\"", "\"policy-type\":\"STS\"");
  rcase c = {"other strict", S, json, MTASTS_E_REPORT_POLICY_TYPE, "\"STS\"", 0, "policy-type"};
  run_case(&c);
  expect_one_warning("other lenient", L, json, MTASTS_W_REPORT_POLICY_TYPE, "\"STS\"", 0);
  mtasts_report r;
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].type, MTASTS_REPORT_POLICY_OTHER);
  assert_int_equal(r.policies[0].policy_code, MTASTS_OK); /* not re-parsed */
  json = variant("\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: "
                 "testing\",\"mx: mx1.example.org\",\"max_age: 86400\"],",
                 "\"policy-type\":\"dane\",");
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK); /* no string due */
  json = variant("\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: "
                 "testing\",\"mx: mx1.example.org\",\"max_age: 86400\"],\"policy-domain\":\"exampl"
                 "e.org\",",
                 "\"policy-type\":\"dane\",");
  rcase d = {"other needs a domain", L, json,           MTASTS_E_REPORT_MISSING,
             "\"]},\"summary",       2, "policy-domain"};
  run_case(&d);
}

static const char sts_string[] = "\"policy-string\":[\"version: STSv1\",\"mode: testing\","
                                 "\"mx: mx1.example.org\",\"max_age: 86400\"],";

static void test_policy_string(void **state) {
  (void)state;
  const char *json = variant(sts_string, "");
  rcase c = {"sts without", S, json, MTASTS_E_REPORT_MISSING, "\"]},\"summary", 2, "policy-string"};
  run_case(&c);
  expect_one_warning("sts without lenient", L, json, MTASTS_W_REPORT_POLICY_STRING_MISSING,
                     "\"]},\"summary", 2);
  json = variant("\"mode: testing\"", "\"mode: test\"");
  for (int prof = 0; prof < 2; prof++) {
    expect_one_warning("sts invalid", (mtasts_profile)prof, json,
                       MTASTS_W_REPORT_POLICY_STRING_INVALID, "\"mode: test\"", 0);
    mtasts_report r;
    assert_int_equal(parse_json(json, strlen(json), (mtasts_profile)prof, &r), MTASTS_REPORT_OK);
    assert_int_equal(r.policies[0].policy_code, MTASTS_E_POLICY_MODE);
    assert_int_equal(r.policies[0].policy_err_offset, strlen("version: STSv1\nmode: "));
  }
  /* The re-parse has the report's profile: an empty line is lenient's
   * deviation 3 of a policy. */
  json = variant("\"mode: testing\"", "\"\",\"mode: testing\"");
  expect_one_warning("sts blank line strict", S, json, MTASTS_W_REPORT_POLICY_STRING_INVALID,
                     "\"\",", 0);
  mtasts_report r;
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_int_equal(t_warn.count, 0);
  /* Missing max_age: the error is at the end of the text, in the last string. */
  json = variant(",\"max_age: 86400\"", "");
  expect_one_warning("sts missing field", S, json, MTASTS_W_REPORT_POLICY_STRING_INVALID,
                     "\"mx: mx1", 0);
  json = variant(
      "[\"version: STSv1\",\"mode: testing\",\"mx: mx1.example.org\",\"max_age: 86400\"]", "[]");
  expect_one_warning("sts empty array", S, json, MTASTS_W_REPORT_POLICY_STRING_INVALID, "[]", 0);
  /* One string holding the whole policy, CRLF and all. */
  json =
      variant("[\"version: STSv1\",\"mode: testing\",\"mx: mx1.example.org\",\"max_age: 86400\"]",
              "[\"version: STSv1\\r\\nmode: enforce\\r\\nmx: mx1.example.org\\r\\nmax_age: "
              "86400\\r\\n\"]");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].policy_code, MTASTS_OK);
  assert_int_equal(t_warn.count, 0);
}

static void test_policy_string_too_large(void **state) {
  (void)state;
  static char big[MTASTS_POLICY_MAX_SIZE + 2048];
  const char *cut = strstr(report_base, "\"max_age: 86400\"") + strlen("\"max_age: 86400\"");
  size_t k = (size_t)(cut - report_base);
  memcpy(big, report_base, k);
  memcpy(big + k, ",\"", 2);
  k += 2;
  size_t x_at = k;
  memset(big + k, 'x', MTASTS_POLICY_MAX_SIZE);
  k += MTASTS_POLICY_MAX_SIZE;
  big[k++] = '"';
  memcpy(big + k, cut, strlen(cut));
  k += strlen(cut);
  mtasts_report r;
  assert_int_equal(parse_json(big, k, S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].policy_code, MTASTS_E_POLICY_TOO_LARGE);
  assert_int_equal(r.policies[0].policy_err_offset, MTASTS_POLICY_MAX_SIZE);
  assert_int_equal(t_warn.count, 1);
  assert_int_equal(t_warn_items[0].offset, x_at - 1);
}

static const char tlsa_policy[] =
    "\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 0123abCD\"],";

static void test_tlsa(void **state) {
  (void)state;
  char from[256];
  snprintf(from, sizeof from, "\"policy-type\":\"sts\",%s", sts_string);
  static const char *const bad[] = {
      "3 1 1 012",   "3 1 256 00", "3  1 1 00",          "3 1 1",     "3 1 1 ",
      "a 1 1 00",    "3 1 1 0g",   "1000 1 1 00",        "3 1 1 00 ", " 3 1 1 00",
      "3 1 1 00 11", "",           "[\\\"3 1 1 00\\\"]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char to[256];
    snprintf(to, sizeof to, "\"policy-type\":\"tlsa\",\"policy-string\":[\"2 0 1 00\",\"%s\"],",
             bad[i]);
    rcase c = {bad[i], S, variant(from, to), MTASTS_E_REPORT_TLSA, "00\",\"", 4, "policy-string"};
    run_case(&c);
  }
  mtasts_report r;
  const char *json = variant(from, tlsa_policy);
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].type, MTASTS_REPORT_POLICY_TLSA);
  /* One string holding a JSON array: lenient only. */
  json = variant(from, "\"policy-type\":\"tlsa\",\"policy-string\":[\"[\\\"3 1 1 00\\\"]\"],");
  rcase c = {"json array strict", S, json, MTASTS_E_REPORT_TLSA, "[\"[", 1, "policy-string"};
  run_case(&c);
  expect_one_warning("json array lenient", L, json, MTASTS_W_REPORT_TLSA_JSON_ARRAY, "[\"[", 1);
  json = variant(from, "\"policy-type\":\"tlsa\",");
  expect_one_warning("tlsa without string", L, json, MTASTS_W_REPORT_POLICY_STRING_MISSING,
                     "\"]},\"summary", 2);
  /* mx-host of a tlsa policy holds host names, not patterns. */
  json = variant("\"policy-type\":\"sts\"", "\"policy-type\":\"tlsa\"");
  json = variant(from, tlsa_policy);
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", json);
  char *mx = strstr(buf, "[\"mx1.example.org\"]");
  memcpy(mx, "[\"*.example.org\"]  ", 19);
  rcase w = {"tlsa wildcard mx-host", S, buf, MTASTS_E_REPORT_MX_HOST, "\"*.", 0, "mx-host"};
  run_case(&w);
}

/* ---- R26 mx-host, R27 names and addresses ---- */

static void test_mx_host(void **state) {
  (void)state;
  const char *json = variant("[\"mx1.example.org\"]", "\"mx1.example.org\"");
  rcase c = {"string strict", S, json, MTASTS_E_REPORT_TYPE, "\"mx1.example.org\"}", 0, "mx-host"};
  run_case(&c);
  expect_one_warning("string lenient", L, json, MTASTS_W_REPORT_MX_HOST_STRING,
                     "\"mx1.example.org\"}", 0);
  mtasts_report r;
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policies[0].mx_host_count, 1);
  size_t pos = 0;
  mtasts_span item;
  assert_true(mtasts_report_next(r.policies[0].mx_host, &pos, &item));
  assert_true(same(item, "mx1.example.org"));
  assert_false(mtasts_report_next(r.policies[0].mx_host, &pos, &item));
  static const char *const bad[] = {
      "*.*.example.org",  "mx1.example.org.", "",
      "mx_1.example.org", "*example.org",     "m\xc3\xa4il.example.org"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char to[128];
    snprintf(to, sizeof to, "[\"mx1.example.org\",\"%s\"]", bad[i]);
    rcase b = {bad[i],
               L,
               variant("[\"mx1.example.org\"]", to),
               MTASTS_E_REPORT_MX_HOST,
               "\"mx-host\":[\"mx1.example.org\",",
               29,
               "mx-host"};
    run_case(&b);
  }
  json = variant("[\"mx1.example.org\"]", "[\"*.example.org\",\"MX2.Example.Org\"]");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  json = variant("[\"mx1.example.org\"]", "[]");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  json = variant("[\"mx1.example.org\"]", "null");
  expect_one_warning("null lenient", L, json, MTASTS_W_REPORT_NULL, "null", 0);
}

static void test_names_and_addresses(void **state) {
  (void)state;
  static const vcase cases[] = {
      V("domain trailing dot", S, "\"example.org\"", "\"example.org.\"", E_REPORT_DOMAIN,
        "\"example.org.\"", 0, "policy-domain"),
      V("domain u-label", L, "\"example.org\"",
        "\"b\xc3\xbc"
        "cher.example\"",
        E_REPORT_DOMAIN, "\"b\xc3\xbc", 0, "policy-domain"),
      V("domain wildcard", S, "\"example.org\"", "\"*.example.org\"", E_REPORT_DOMAIN, "\"*.", 0,
        "policy-domain"),
      V("domain empty", S, "\"example.org\"", "\"\"", E_REPORT_DOMAIN, "\"\",\"mx-host", 0,
        "policy-domain"),
      V("mx hostname", S, "\"receiving-mx-hostname\":\"mx1.example.org\"",
        "\"receiving-mx-hostname\":\"mx1..example.org\"", E_REPORT_DOMAIN, "\"mx1..", 0,
        "receiving-mx-hostname"),
      V("ip empty strict", S, "\"192.0.2.10\"", "\"\"", E_REPORT_IP, "\"\",\"receiving-mx", 0,
        "sending-mta-ip"),
      V("ipv4 256", S, "\"192.0.2.10\"", "\"192.0.2.256\"", E_REPORT_IP, "\"192.0.2.256", 0,
        "sending-mta-ip"),
      V("ipv4 leading zero", S, "\"192.0.2.10\"", "\"192.0.2.010\"", E_REPORT_IP, "\"192.0.2.0", 0,
        "sending-mta-ip"),
      V("ipv4 three parts", S, "\"192.0.2.10\"", "\"192.0.2\"", E_REPORT_IP, "\"192.0.2\"", 0,
        "sending-mta-ip"),
      V("ipv4 five parts", S, "\"192.0.2.10\"", "\"192.0.2.1.1\"", E_REPORT_IP, "\"192.0.2.1.1", 0,
        "sending-mta-ip"),
      V("ipv6 triple colon", S, "\"198.51.100.25\"", "\"2001:db8:::1\"", E_REPORT_IP, "\"2001:", 0,
        "receiving-ip"),
      V("ipv6 two double colons", S, "\"198.51.100.25\"", "\"1::2::3\"", E_REPORT_IP, "\"1::", 0,
        "receiving-ip"),
      V("ipv6 seven groups", S, "\"198.51.100.25\"", "\"1:2:3:4:5:6:7\"", E_REPORT_IP, "\"1:2", 0,
        "receiving-ip"),
      V("ipv6 nine groups", S, "\"198.51.100.25\"", "\"1:2:3:4:5:6:7:8:9\"", E_REPORT_IP, "\"1:2",
        0, "receiving-ip"),
      V("ipv6 long group", S, "\"198.51.100.25\"", "\"12345::1\"", E_REPORT_IP, "\"12345", 0,
        "receiving-ip"),
      V("ipv6 trailing colon", S, "\"198.51.100.25\"", "\"1:2:3:4:5:6:7:\"", E_REPORT_IP, "\"1:2",
        0, "receiving-ip"),
      V("ipv6 leading colon", S, "\"198.51.100.25\"", "\":1::\"", E_REPORT_IP, "\":1::", 0,
        "receiving-ip"),
      V("ipv6 bad v4 tail", S, "\"198.51.100.25\"", "\"::ffff:1.2.3\"", E_REPORT_IP, "\"::ff", 0,
        "receiving-ip"),
      V("ipv6 v4 tail too late", S, "\"198.51.100.25\"", "\"1:2:3:4:5:6:7:1.2.3.4\"", E_REPORT_IP,
        "\"1:2", 0, "receiving-ip"),
      V("ipv6 zone", S, "\"198.51.100.25\"", "\"fe80::1%eth0\"", E_REPORT_IP, "\"fe80", 0,
        "receiving-ip"),
      V("ipv6 bracketed", S, "\"198.51.100.25\"", "\"[::1]\"", E_REPORT_IP, "\"[::1]", 0,
        "receiving-ip"),
      V("contact not addr", S, "\"tlsrpt@sender.example\"", "\"TLS reports team\"",
        E_REPORT_CONTACT, "\"TLS", 0, "contact-info"),
      V("contact null strict", S, "\"tlsrpt@sender.example\"", "null", E_REPORT_NULL, "null", 0,
        "contact-info"),
      V("uri not a uri", S, "\"https://reports.sender.example/tlsrpt/a1\"", "\"see the logs\"",
        E_REPORT_URI, "\"see", 0, "additional-information"),
      V("uri empty", S, "\"https://reports.sender.example/tlsrpt/a1\"", "\"\"", E_REPORT_URI,
        "\"\",\"failure-reason", 0, "additional-information"),
      V("uri bad percent", S, "\"https://reports.sender.example/tlsrpt/a1\"", "\"https://x/%zz\"",
        E_REPORT_URI, "\"https://x/%", 0, "additional-information"),
      V("uri space", S, "\"https://reports.sender.example/tlsrpt/a1\"", "\"https://x/a b\"",
        E_REPORT_URI, "\"https://x/a", 0, "additional-information"),
      V("result-type not a token", S, "\"certificate-expired\"", "\"certificate expired\"",
        E_REPORT_RESULT_TYPE, "\"certificate ", 0, "result-type"),
      V("result-type empty", S, "\"certificate-expired\"", "\"\"", E_REPORT_RESULT_TYPE,
        "\"\",\"sending", 0, "result-type"),
      V("result-type long not a token", S, "\"certificate-expired\"",
        "\"a-very-long-result-type-that-is-no-token!\"", E_REPORT_RESULT_TYPE, "\"a-very", 0,
        "result-type"),
  };
  run_variants(cases, sizeof cases / sizeof cases[0]);
  static const char *const good[][2] = {
      {"\"example.org\"", "\"xn--bcher-kva.example\""},
      {"\"192.0.2.10\"", "\"2001:db8::a:1\""},
      {"\"192.0.2.10\"", "\"::\""},
      {"\"192.0.2.10\"", "\"::ffff:192.0.2.10\""},
      {"\"192.0.2.10\"", "\"1:2:3:4:5:6:7:8\""},
      {"\"192.0.2.10\"", "\"1:2:3:4:5:6:192.0.2.1\""},
      {"\"192.0.2.10\"", "\"1::\""},
      {"\"192.0.2.10\"", "\"0.0.0.0\""},
      {"\"192.0.2.10\"", "\"255.255.255.255\""},
      {"\"192.0.2.10\"", "\"2001:DB8::FFFF\""},
      {"\"tlsrpt@sender.example\"", "\"\\\"tls reports\\\"@sender.example\""},
      {"\"tlsrpt@sender.example\"", "\"tls.rpt+x@[192.0.2.1]\""},
      {"\"tlsrpt@sender.example\"", "\"!#$%&'*+-/=?^_`{|}~@x\""},
      {"\"tlsrpt@sender.example\"", "\"\\\"a\\\\\\\"b\\\"@x\""},
      {"\"https://reports.sender.example/tlsrpt/a1\"", "\"https://x.example/a,b;c!d?q=1#f\""},
      {"\"https://reports.sender.example/tlsrpt/a1\"", "\"ftp://[2001:db8::1]:21/x\""},
      {"\"https://reports.sender.example/tlsrpt/a1\"", "\"urn:ietf:rfc:8460\""},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    mtasts_report r;
    const char *json = variant(good[i][0], good[i][1]);
    if (parse_json(json, strlen(json), S, &r) != MTASTS_REPORT_OK)
      fail_msg("%s: %s@%zu", good[i][1],
               mtasts_report_errname(r.err_offset ? MTASTS_E_REPORT_IP : MTASTS_REPORT_OK),
               r.err_offset);
    assert_int_equal(t_warn.count, 0);
  }
  static const char *const bad_contact[] = {
      "a..b@x",
      "@x",
      "a@",
      "a@b@c",
      ".a@x",
      "a.@x",
      "a@x.",
      "\\\"a@x",
      "\\\"a\\\"b@x",
      "a@[x[]",
      "a b@x",
      "\\\"a\\u0001\\\"@x",
      "\\\"a\\\\\\u0001\\\"@x",
      "a@[x",
  };
  for (size_t i = 0; i < sizeof bad_contact / sizeof bad_contact[0]; i++) {
    char to[128];
    snprintf(to, sizeof to, "\"%s\"", bad_contact[i]);
    rcase c = {bad_contact[i],
               S,
               variant("\"tlsrpt@sender.example\"", to),
               MTASTS_E_REPORT_CONTACT,
               "\"contact-info\":",
               15,
               "contact-info"};
    run_case(&c);
  }
  char longest[300];
  memset(longest, 'a', sizeof longest);
  memcpy(longest, "\"", 1);
  memcpy(longest + 250, "@x.y\"", 6); /* 253 octets of addr-spec */
  mtasts_report r;
  const char *json = variant("\"tlsrpt@sender.example\"", longest);
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  memcpy(longest + 250, "@x.yz\"", 7);
  json = variant("\"tlsrpt@sender.example\"", longest);
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK); /* 254 */
  memcpy(longest + 250, "@x.yzw\"", 8);
  json = variant("\"tlsrpt@sender.example\"", longest);
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_E_REPORT_CONTACT);
}

/* ---- the lenient deviations (R23-R27), each warned, each strict-invalid ---- */

static void test_lenient_deviations(void **state) {
  (void)state;
  const char *json = variant("\"sending-mta-ip\":\"192.0.2.10\"", "\"sending-mta-ip\":\"\"");
  expect_one_warning("empty ip", L, json, MTASTS_W_REPORT_IP_EMPTY, "\"\",", 0);
  mtasts_report r;
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_null(r.details[0].sending_mta_ip.ptr);
  json = variant("\"tlsrpt@sender.example\"", "null");
  expect_one_warning("contact null", L, json, MTASTS_W_REPORT_CONTACT_MISSING, "null", 0);
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_null(r.contact_info.ptr);
  json = variant("\"contact-info\":\"tlsrpt@sender.example\",", "");
  expect_one_warning("contact absent", L, json, MTASTS_W_REPORT_CONTACT_MISSING, NULL, -1);
  json = variant("\"tlsrpt@sender.example\"", "\"TLS reports team\"");
  expect_one_warning("contact not addr", L, json, MTASTS_W_REPORT_CONTACT_NOT_ADDR, "\"TLS", 0);
  json = variant("\"policy-type\":\"sts\",", "\"policy-type\":\"no-policy-found\",");
  json = variant("\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: "
                 "testing\",\"mx: mx1.example.org\",\"max_age: 86400\"],\"policy-domain\":\"exampl"
                 "e.org\",",
                 "\"policy-type\":\"no-policy-found\",");
  rcase c = {"no-policy-found without domain",
             S,
             json,
             MTASTS_E_REPORT_MISSING,
             "\"]},\"summary",
             2,
             "policy-domain"};
  run_case(&c);
  expect_one_warning("no-policy-found without domain", L, json, MTASTS_W_REPORT_DOMAIN_MISSING,
                     "\"]},\"summary", 2);
  assert_int_equal(parse_json(json, strlen(json), L, &r), MTASTS_REPORT_OK);
  assert_null(r.policies[0].domain.ptr);
}

static void test_result_types(void **state) {
  (void)state;
  static const char *const known[] = {"starttls-not-supported", "certificate-host-mismatch",
                                      "certificate-expired",    "certificate-not-trusted",
                                      "validation-failure",     "tlsa-invalid",
                                      "dnssec-invalid",         "dane-required",
                                      "sts-policy-fetch-error", "sts-policy-invalid",
                                      "sts-webpki-invalid"};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    char to[64];
    snprintf(to, sizeof to, "\"%s\"", known[i]);
    mtasts_report r;
    const char *json = variant("\"certificate-expired\"", to);
    assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
    assert_int_equal(t_warn.count, 0);
    assert_int_equal(r.details[0].result, MTASTS_REPORT_RESULT_STARTTLS_NOT_SUPPORTED + (int)i);
    assert_string_equal(mtasts_report_result_name(r.details[0].result), known[i]);
  }
  for (int prof = 0; prof < 2; prof++) {
    expect_one_warning("unknown", (mtasts_profile)prof,
                       variant("\"certificate-expired\"", "\"tls-version-mismatch\""),
                       MTASTS_W_REPORT_RESULT_TYPE, "\"tls-version", 0);
    expect_one_warning(
        "unknown long", (mtasts_profile)prof,
        variant("\"certificate-expired\"", "\"a-very-long-result-type-from-a-future-registry-2\""),
        MTASTS_W_REPORT_RESULT_TYPE, "\"a-very", 0);
    expect_one_warning("case differs", (mtasts_profile)prof,
                       variant("\"certificate-expired\"", "\"Certificate-Expired\""),
                       MTASTS_W_REPORT_RESULT_TYPE, "\"Certificate", 0);
  }
  mtasts_report r;
  const char *json = variant("\"certificate-expired\"", "\"tls-version-mismatch\"");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.details[0].result, MTASTS_REPORT_RESULT_OTHER);
}

/* ---- the caller's arrays, arguments, reset ---- */

static const char two_policies_tail[] =
    "]},{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.com\"},"
    "\"summary\":{\"total-successful-session-count\":5,\"total-failure-session-count\":1},"
    "\"failure-details\":[{\"result-type\":\"validation-failure\",\"failed-session-count\":1}]}]}";

static void test_capacity(void **state) {
  (void)state;
  static mtasts_report_work work;
  mtasts_report_policy pol[2];
  mtasts_report_detail det[2];
  const char *json = variant("]}]}", two_policies_tail);
  size_t len = strlen(json);
  size_t second = offset_of(json, "},{\"policy\"", 2);
  size_t second_detail = offset_of(json, "[{\"result-type\":\"validation", 1);
  mtasts_report r;
  mtasts_report_init(&r, &work, NULL, 0, NULL, 0);
  assert_rcode_at("sizing", mtasts_report_parse(json, len, NULL, &r), r.err_offset,
                  MTASTS_E_REPORT_POLICY_CAPACITY, offset_of(json, "[{\"policy\"", 1));
  assert_int_equal(r.policy_needed, 2);
  assert_int_equal(r.detail_needed, 2);
  assert_int_equal(r.policy_count, 0);
  mtasts_report_init(&r, &work, pol, 1, det, 2);
  assert_rcode_at("one policy", mtasts_report_parse(json, len, NULL, &r), r.err_offset,
                  MTASTS_E_REPORT_POLICY_CAPACITY, second);
  mtasts_report_init(&r, &work, pol, 2, det, 1);
  assert_rcode_at("one detail", mtasts_report_parse(json, len, NULL, &r), r.err_offset,
                  MTASTS_E_REPORT_DETAIL_CAPACITY, second_detail);
  assert_int_equal(r.detail_needed, 2);
  mtasts_report_init(&r, &work, pol, 2, det, 2);
  assert_int_equal(mtasts_report_parse(json, len, NULL, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.policy_count, 2);
  /* An error before the end wins over capacity. */
  json = variant("]}]}", "]},{}]}");
  mtasts_report_init(&r, &work, pol, 1, det, 1);
  assert_rcode_at("error first", mtasts_report_parse(json, strlen(json), NULL, &r), r.err_offset,
                  MTASTS_E_REPORT_MISSING, offset_of(json, "{}]}", 1));
  assert_int_equal(r.err_policy, 1);
  assert_int_equal(r.policy_needed, 0);
}

static void test_error_location(void **state) {
  (void)state;
  mtasts_report r;
  const char *json = variant("]}]}", two_policies_tail);
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", json);
  memcpy(strstr(buf, "\"validation-failure\""), "\"validation failure\"", 20);
  assert_int_equal(parse_json(buf, strlen(buf), S, &r), MTASTS_E_REPORT_RESULT_TYPE);
  assert_int_equal(r.err_policy, 1);
  assert_int_equal(r.err_detail, 0);
  assert_string_equal(r.err_member, "result-type");
  assert_int_equal(r.policy_count, 0);
  assert_int_equal(r.policy_needed, 0);
  assert_null(r.organization_name.ptr);
  json = variant("\"Example Sender\"", "5");
  assert_int_equal(parse_json(json, strlen(json), S, &r), MTASTS_E_REPORT_TYPE);
  assert_int_equal(r.err_policy, SIZE_MAX);
  assert_int_equal(r.err_detail, SIZE_MAX);
}

static void test_arguments(void **state) {
  (void)state;
  static mtasts_report_work work;
  mtasts_report_policy pol[1];
  mtasts_report r;
  const char *json = report_base;
  size_t len = strlen(json);
  assert_int_equal(mtasts_report_parse(json, len, NULL, NULL), MTASTS_E_REPORT_ARGUMENT);
  mtasts_report_init(NULL, &work, NULL, 0, NULL, 0);
  mtasts_report_init(&r, &work, pol, 1, NULL, 0);
  assert_rcode_at("json NULL", mtasts_report_parse(NULL, 1, NULL, &r), r.err_offset,
                  MTASTS_E_REPORT_ARGUMENT, 0);
  assert_int_equal(mtasts_report_parse(NULL, 0, NULL, &r), MTASTS_E_JSON_EMPTY);
  mtasts_report_init(&r, NULL, pol, 1, NULL, 0);
  assert_int_equal(mtasts_report_parse(json, len, NULL, &r), MTASTS_E_REPORT_ARGUMENT);
  mtasts_report_init(&r, &work, NULL, 1, NULL, 0);
  assert_int_equal(mtasts_report_parse(json, len, NULL, &r), MTASTS_E_REPORT_ARGUMENT);
  mtasts_report_init(&r, &work, pol, 1, NULL, 1);
  assert_int_equal(mtasts_report_parse(json, len, NULL, &r), MTASTS_E_REPORT_ARGUMENT);
  mtasts_report_init(&r, &work, pol, 1, NULL, 0);
  mtasts_report_options o = {(mtasts_profile)2, NULL};
  assert_int_equal(mtasts_report_parse(json, len, &o, &r), MTASTS_E_REPORT_ARGUMENT);
  mtasts_report_diags d = {NULL, 3, 99};
  o.profile = MTASTS_LENIENT;
  o.warnings = &d;
  assert_int_equal(mtasts_report_parse(json, len, &o, &r), MTASTS_E_REPORT_ARGUMENT);
  assert_int_equal(d.count, 0);
  o.warnings = NULL; /* warnings not wanted */
  json = variant("\"sending-mta-ip\":\"192.0.2.10\"", "\"sending-mta-ip\":\"\"");
  assert_int_equal(mtasts_report_parse(json, strlen(json), &o, &r),
                   MTASTS_E_REPORT_DETAIL_CAPACITY);
  o.warnings = &d;
  d.cap = 0; /* count only */
  json = variant("\"sending-mta-ip\":\"192.0.2.10\"", "\"sending-mta-ip\":\"\"");
  assert_int_equal(mtasts_report_parse(json, strlen(json), &o, &r),
                   MTASTS_E_REPORT_DETAIL_CAPACITY);
  assert_int_equal(d.count, 1);
  static const char one[1] = {'{'};
  assert_rcode_at("too large", mtasts_report_parse(one, MTASTS_REPORT_MAX_SIZE + 1ul, NULL, &r),
                  r.err_offset, MTASTS_E_REPORT_TOO_LARGE, MTASTS_REPORT_MAX_SIZE);
}

/* Outputs are reset at entry: a failed parse leaves no span of an
 * earlier one, in the struct or in the caller's arrays. */
static void test_reset(void **state) {
  (void)state;
  mtasts_report r;
  assert_int_equal(parse_json(report_base, strlen(report_base), S, &r), MTASTS_REPORT_OK);
  mtasts_report_options o = {MTASTS_STRICT, NULL};
  assert_int_equal(mtasts_report_parse("[]", 2, &o, &r), MTASTS_E_REPORT_TYPE);
  assert_null(r.organization_name.ptr);
  assert_int_equal(r.policy_count, 0);
  assert_null(t_policies[0].domain.ptr);
  assert_null(t_details[0].sending_mta_ip.ptr);
  assert_int_equal(t_policies[0].total_successful, 0);
  /* A poisoned struct (storage set again) parses as a fresh one. */
  assert_int_equal(parse_json(report_base, strlen(report_base), S, &r), MTASTS_REPORT_OK);
  mtasts_report_work *w = r.work;
  poison(&r, sizeof r);
  r.work = w;
  r.policies = t_policies;
  r.policy_cap = T_POLICIES;
  r.details = t_details;
  r.detail_cap = T_DETAILS;
  r.used_policies_ = r.used_details_ = 0;
  assert_int_equal(mtasts_report_parse(report_base, strlen(report_base), &o, &r), MTASTS_REPORT_OK);
  assert_int_equal(r.err_offset, 0);
  assert_null(r.err_member);
  assert_int_equal(r.err_policy, SIZE_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base_fields),
      cmocka_unit_test(test_spans_and_text),
      cmocka_unit_test(test_escapes_decoded_on_request),
      cmocka_unit_test(test_more_policies_and_details),
      cmocka_unit_test(test_unknown_members),
      cmocka_unit_test(test_required_members),
      cmocka_unit_test(test_types),
      cmocka_unit_test(test_counts),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_date_range),
      cmocka_unit_test(test_policy_type),
      cmocka_unit_test(test_policy_string),
      cmocka_unit_test(test_policy_string_too_large),
      cmocka_unit_test(test_tlsa),
      cmocka_unit_test(test_mx_host),
      cmocka_unit_test(test_names_and_addresses),
      cmocka_unit_test(test_lenient_deviations),
      cmocka_unit_test(test_result_types),
      cmocka_unit_test(test_capacity),
      cmocka_unit_test(test_error_location),
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_reset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
