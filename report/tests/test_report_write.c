/* test_report_write.c - the canonical writer (mtasts_report_write): exact
 * output for the base report, for each canonical form and for a report
 * built by hand; round trips in both profiles (the same fields, the same
 * bytes written twice); sizing at the byte; every argument refused. */
#include "report_testutil.h"

#include <stdio.h>
#include <string.h>

#define S MTASTS_STRICT
#define L MTASTS_LENIENT

static mtasts_report_work work_a, work_b;
static mtasts_report_policy pol_a[T_POLICIES], pol_b[T_POLICIES];
static mtasts_report_detail det_a[T_DETAILS], det_b[T_DETAILS];

/* Parse `json` from guard slot `slot` (1 or 2: both stay valid). */
static mtasts_report_code parse_at(int slot, const char *json, size_t len, mtasts_profile profile,
                                   mtasts_report *r) {
  bool a = slot == 1;
  mtasts_report_init(r, a ? &work_a : &work_b, a ? pol_a : pol_b, T_POLICIES, a ? det_a : det_b,
                     T_DETAILS);
  mtasts_report_options o = {profile, NULL};
  return mtasts_report_parse(guard_copy_slot(slot, json, len), len, &o, r);
}

/* Write `r` into a static buffer; the output length in *len. */
static const char *write_report(const mtasts_report *r, size_t *len) {
  static char buf[8192];
  assert_int_equal(mtasts_report_write(r, buf, sizeof buf, len), MTASTS_REPORT_OK);
  assert_true(*len <= sizeof buf);
  return buf;
}

/* Both unset, or both set with the same decoded content. */
static void same_text(const char *what, mtasts_span a, mtasts_span b) {
  char da[1024], db[1024];
  if ((a.ptr == NULL) != (b.ptr == NULL))
    fail_msg("%s: set in one report only", what);
  size_t na = mtasts_report_copy(a, da, sizeof da), nb = mtasts_report_copy(b, db, sizeof db);
  if (na != nb || memcmp(da, db, na) != 0)
    fail_msg("%s: \"%.*s\" != \"%.*s\"", what, (int)na, da, (int)nb, db);
}

static void same_array(const char *what, mtasts_span a, mtasts_span b) {
  size_t pa = 0, pb = 0;
  mtasts_span ia, ib;
  for (;;) {
    /* Both walks advance each time, so that the lengths are compared. */
    bool ma = mtasts_report_next(a, &pa, &ia), mb = mtasts_report_next(b, &pb, &ib);
    if (ma != mb)
      fail_msg("%s: arrays of different lengths", what);
    if (!ma)
      return;
    same_text(what, ia, ib);
  }
}

static void same_detail(const mtasts_report_detail *x, const mtasts_report_detail *y) {
  assert_int_equal(x->result, y->result);
  same_text("result-type", x->result_text, y->result_text);
  same_text("sending-mta-ip", x->sending_mta_ip, y->sending_mta_ip);
  same_text("receiving-ip", x->receiving_ip, y->receiving_ip);
  same_text("receiving-mx-hostname", x->receiving_mx_hostname, y->receiving_mx_hostname);
  same_text("receiving-mx-helo", x->receiving_mx_helo, y->receiving_mx_helo);
  same_text("additional-information", x->additional_information, y->additional_information);
  same_text("failure-reason-code", x->failure_reason_code, y->failure_reason_code);
  assert_int_equal(x->failed_session_count, y->failed_session_count);
  assert_int_equal(x->policy, y->policy);
}

static void same_policy(const mtasts_report_policy *p, const mtasts_report_policy *q) {
  assert_int_equal(p->type, q->type);
  same_text("policy-type", p->type_text, q->type_text);
  same_text("policy-domain", p->domain, q->domain);
  same_array("policy-string", p->policy_string, q->policy_string);
  assert_int_equal(p->policy_string_count, q->policy_string_count);
  same_array("mx-host", p->mx_host, q->mx_host);
  assert_int_equal(p->mx_host_count, q->mx_host_count);
  assert_int_equal(p->policy_code, q->policy_code);
  assert_int_equal(p->policy_err_offset, q->policy_err_offset);
  assert_int_equal(p->total_successful, q->total_successful);
  assert_int_equal(p->total_failure, q->total_failure);
  assert_int_equal(p->detail_first, q->detail_first);
  assert_int_equal(p->detail_count, q->detail_count);
}

/* The fields of two reports agree (their dates by time, not by text). */
static void same_report(const mtasts_report *a, const mtasts_report *b) {
  same_text("organization-name", a->organization_name, b->organization_name);
  same_text("contact-info", a->contact_info, b->contact_info);
  same_text("report-id", a->report_id, b->report_id);
  assert_int_equal(a->start_time, b->start_time);
  assert_int_equal(a->end_time, b->end_time);
  assert_int_equal(a->policy_count, b->policy_count);
  assert_int_equal(a->detail_count, b->detail_count);
  for (size_t i = 0; i < a->policy_count; i++)
    same_policy(&a->policies[i], &b->policies[i]);
  for (size_t i = 0; i < a->detail_count; i++)
    same_detail(&a->details[i], &b->details[i]);
}

/* Parse, write, parse the output in the same profile: the same fields;
 * write again: the same bytes. Returns the output (static). */
static const char *round_trip(const char *name, const char *json, mtasts_profile profile) {
  static char first[8192];
  mtasts_report a, b;
  size_t n1, n2;
  mtasts_report_code rc = parse_at(1, json, strlen(json), profile, &a);
  if (rc != MTASTS_REPORT_OK)
    fail_msg("%s: the input does not parse: %s@%zu", name, mtasts_report_errname(rc), a.err_offset);
  const char *out = write_report(&a, &n1);
  memcpy(first, out, n1);
  rc = parse_at(2, first, n1, profile, &b);
  if (rc != MTASTS_REPORT_OK)
    fail_msg("%s: the output does not parse: %s@%zu in %.*s", name, mtasts_report_errname(rc),
             b.err_offset, (int)n1, first);
  same_report(&a, &b);
  const char *second = write_report(&b, &n2);
  if (n1 != n2 || memcmp(first, second, n1) != 0)
    fail_msg("%s: written twice differs:\n%.*s\n%.*s", name, (int)n1, first, (int)n2, second);
  first[n1] = '\0';
  return first;
}

/* The canonical output of `json` read in `profile` is exactly `want`. */
static void expect_written(const char *name, const char *json, mtasts_profile profile,
                           const char *want) {
  const char *got = round_trip(name, json, profile);
  if (strcmp(got, want) != 0)
    fail_msg("%s:\n got %s\nwant %s", name, got, want);
}

/* ---- the base report is already canonical ---- */

static void test_base(void **state) {
  (void)state;
  expect_written("base strict", report_base, S, report_base);
  expect_written("base lenient", report_base, L, report_base);
}

/* ---- canonical forms, each against the base ---- */

typedef struct form {
  const char *name;
  mtasts_profile profile;
  const char *from, *to;   /* input: the base with from -> to */
  const char *wfrom, *wto; /* output: the base with wfrom -> wto (NULL: the base) */
} form;

static void test_canonical_forms(void **state) {
  (void)state;
  static const form forms[] = {
      {"whitespace", S, "{\"organization-name\"", " {\n \"organization-name\" ", NULL, NULL},
      {"unknown member", S, "\"report-id\"", "\"x-extra\":[1,{\"y\":null}],\"report-id\"", NULL,
       NULL},
      {"escapes decoded", S, "\"Example Sender\"", "\"\\u0045xample\\u0020Sender\"", NULL, NULL},
      {"solidus", S, "\"https://reports.sender.example/tlsrpt/a1\"",
       "\"https:\\/\\/reports.sender.example\\/tlsrpt\\/a1\"", NULL, NULL},
      {"escapes kept", S, "\"Example Sender\"", "\"Ex\\\"am\\\\ple\\b\\f\\n\\r\\t\\u000b\\u001F\"",
       "\"Example Sender\"", "\"Ex\\\"am\\\\ple\\b\\f\\n\\r\\t\\u000b\\u001f\""},
      {"utf-8 unescaped", S, "\"Example Sender\"", "\"\\u00e9\\ud83d\\ude00\"",
       "\"Example Sender\"", "\"\xc3\xa9\xf0\x9f\x98\x80\""},
      {"offset to Z", S, "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T02:00:00+02:00\"", NULL, NULL},
      {"lower-case t and z", S, "\"2024-05-02T00:00:00Z\"", "\"2024-05-02t00:00:00z\"", NULL, NULL},
      {"fraction", S, "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00.250Z\"",
       "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00.25Z\""},
      {"zero fraction", S, "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00.000Z\"", NULL, NULL},
      {"leap second", S, "\"2024-05-01T00:00:00Z\"", "\"2024-04-30T23:59:60Z\"", NULL, NULL},
      {"no offset", L, "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T00:00:00\"", NULL, NULL},
      {"mx-host string", L, "[\"mx1.example.org\"]},", "\"mx1.example.org\"},", NULL, NULL},
      {"empty ip", L, "\"192.0.2.10\"", "\"\"", "\"sending-mta-ip\":\"192.0.2.10\",", ""},
      {"null ip", L, "\"192.0.2.10\"", "null", "\"sending-mta-ip\":\"192.0.2.10\",", ""},
      {"contact null", L, "\"tlsrpt@sender.example\"", "null",
       "\"contact-info\":\"tlsrpt@sender.example\",", ""},
      {"no failure details", S, ",\"failure-details\":[", ",\"x\":[", ",\"failure-details\":[",
       ",\"x\":["},
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    const form *f = &forms[i];
    char in[4096], want[4096];
    snprintf(in, sizeof in, "%s", variant(f->from, f->to));
    snprintf(want, sizeof want, "%s", f->wfrom ? variant(f->wfrom, f->wto) : report_base);
    if (strcmp(f->name, "no failure details") == 0) {
      /* The details' array is left out when there are none: the "x"
       * member of the input is unknown, so the output has no details. */
      char *cut = strstr(want, ",\"x\":[");
      snprintf(cut, sizeof want - (size_t)(cut - want), "}]}");
    }
    expect_written(f->name, in, f->profile, want);
  }
}

/* ---- round trips of every shape the reader keeps ---- */

static void test_round_trips(void **state) {
  (void)state;
  static const char *const policy_part =
      "{\"policy\":{\"policy-type\":\"sts\","
      "\"policy-string\":[\"version: STSv1\",\"mode: testing\",\"mx: mx1.example.org\","
      "\"max_age: 86400\"],"
      "\"policy-domain\":\"example.org\",\"mx-host\":[\"mx1.example.org\"]},";
  static const struct {
    const char *name, *from, *to;
    mtasts_profile profile;
  } cases[] = {
      {"tlsa", policy_part,
       "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 0 1 "
       "1F850A337E6DB9C609C522D136A475638CC54C3F7E7B9C2B9E4F1F3A0F4C5D6E\"],"
       "\"policy-domain\":\"example.org\",\"mx-host\":[\"mx1.example.org\"]},",
       S},
      {"tlsa json array", policy_part,
       "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"[\\\"3 0 1 "
       "1F850A337E6DB9C609C522D136A475638CC54C3F7E7B9C2B9E4F1F3A0F4C5D6E\\\"]\"],"
       "\"policy-domain\":\"example.org\"},",
       L},
      {"no-policy-found", policy_part,
       "{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.org\"},", S},
      {"no-policy-found without domain", policy_part,
       "{\"policy\":{\"policy-type\":\"no-policy-found\"},", L},
      {"other policy type", policy_part,
       "{\"policy\":{\"policy-type\":\"x-\\u0064ane\",\"policy-domain\":\"example.org\"},", L},
      {"sts without policy-string", policy_part,
       "{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.org\"},", L},
      {"invalid sts policy", "\"mode: testing\"", "\"mode: sometimes\"", S},
      {"other result type", "\"certificate-expired\"", "\"x-new-result\"", S},
      {"helo and ipv6", "\"receiving-ip\":\"198.51.100.25\"",
       "\"receiving-mx-helo\":\"mx1.example.org\",\"receiving-ip\":\"2001:db8::25\"", S},
      {"two policies", "]}]}",
       "]},{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.org\"},"
       "\"summary\":{\"total-successful-session-count\":0,\"total-failure-session-count\":3},"
       "\"failure-details\":[{\"result-type\":\"starttls-not-supported\","
       "\"failed-session-count\":1},{\"result-type\":\"validation-failure\","
       "\"failed-session-count\":2}]}]}",
       S},
      {"big counts", "120", "9007199254740991", S},
      {"year 0000", "\"2024-05-01T00:00:00Z\",\"end-datetime\":\"2024-05-02T00:00:00Z\"",
       "\"0000-01-01T00:00:00Z\",\"end-datetime\":\"9999-12-31T23:59:59.999Z\"", S},
      {"leap day", "\"2024-05-01T00:00:00Z\",\"end-datetime\":\"2024-05-02T00:00:00Z\"",
       "\"2000-02-29T00:00:00Z\",\"end-datetime\":\"2100-03-01T00:00:00Z\"", S},
      {"before 1970", "\"2024-05-01T00:00:00Z\"", "\"1969-12-31T23:59:59.5Z\"", S},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char in[4096];
    snprintf(in, sizeof in, "%s", variant(cases[i].from, cases[i].to));
    (void)round_trip(cases[i].name, in, cases[i].profile);
    if (cases[i].profile == S)
      (void)round_trip(cases[i].name, in, L);
  }
}

/* ---- sizing ---- */

static void test_sizing(void **state) {
  (void)state;
  mtasts_report r;
  size_t len = strlen(report_base), needed = 1;
  assert_int_equal(parse_at(1, report_base, len, S, &r), MTASTS_REPORT_OK);
  assert_int_equal(mtasts_report_write(&r, NULL, 0, &needed), MTASTS_E_REPORT_WRITE_CAPACITY);
  assert_int_equal(needed, len);
  /* Exactly the room: OK; one byte less: the prefix, nothing past it. */
  char *dst = guard_object(3, len);
  assert_int_equal(mtasts_report_write(&r, dst, len, &needed), MTASTS_REPORT_OK);
  assert_int_equal(needed, len);
  assert_memory_equal(dst, report_base, len);
  dst = guard_object(3, len - 1);
  assert_int_equal(mtasts_report_write(&r, dst, len - 1, &needed), MTASTS_E_REPORT_WRITE_CAPACITY);
  assert_int_equal(needed, len);
  assert_memory_equal(dst, report_base, len - 1);
}

/* ---- a report built by hand, as an MTA writes one ---- */

static mtasts_span lit(const char *s) {
  mtasts_span sp = {s, strlen(s), 0};
  return sp;
}

static void test_by_hand(void **state) {
  (void)state;
  mtasts_report_policy p[1];
  mtasts_report_detail d[2];
  mtasts_report r;
  memset(p, 0, sizeof p);
  memset(d, 0, sizeof d);
  mtasts_report_init(&r, NULL, p, 1, d, 2);
  r.organization_name = lit("Sender \\\"A\\\"");
  r.report_id = lit("r-1");
  r.start_time = 1714521600; /* 2024-05-01T00:00:00Z */
  r.end_time = 1714608000;
  r.policy_count = 1;
  r.detail_count = 2;
  p[0].type = MTASTS_REPORT_POLICY_STS;
  p[0].domain = lit("example.org");
  p[0].policy_string = lit("[\"version: STSv1\",\"mode: enforce\",\"mx: *.example.org\","
                           "\"max_age: 604800\"]");
  p[0].mx_host = lit("[\"*.example.org\"]");
  p[0].total_successful = 10;
  p[0].total_failure = 3;
  p[0].detail_count = 2;
  d[0].result = MTASTS_REPORT_RESULT_STS_WEBPKI_INVALID;
  d[0].failed_session_count = 1;
  d[1].result = MTASTS_REPORT_RESULT_OTHER;
  d[1].result_text = lit("x-local");
  d[1].receiving_mx_hostname = lit("mx2.example.org");
  d[1].failed_session_count = 2;
  size_t n;
  const char *got = write_report(&r, &n);
  const char *want =
      "{\"organization-name\":\"Sender \\\"A\\\"\",\"date-range\":{\"start-datetime\":"
      "\"2024-05-01T00:00:00Z\",\"end-datetime\":\"2024-05-02T00:00:00Z\"},\"report-id\":\"r-1\","
      "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\","
      "\"mode: enforce\",\"mx: *.example.org\",\"max_age: 604800\"],\"policy-domain\":"
      "\"example.org\",\"mx-host\":[\"*.example.org\"]},\"summary\":{"
      "\"total-successful-session-count\":10,\"total-failure-session-count\":3},"
      "\"failure-details\":[{\"result-type\":\"sts-webpki-invalid\",\"failed-session-count\":1},"
      "{\"result-type\":\"x-local\",\"receiving-mx-hostname\":\"mx2.example.org\","
      "\"failed-session-count\":2}]}]}";
  assert_int_equal(n, strlen(want));
  assert_memory_equal(got, want, n);
  /* Lenient reads it (no contact-info); strict wants contact-info. */
  mtasts_report b;
  assert_int_equal(parse_at(2, got, n, L, &b), MTASTS_REPORT_OK);
  assert_int_equal(b.start_time, r.start_time);
  assert_int_equal(parse_at(2, got, n, S, &b), MTASTS_E_REPORT_MISSING);
}

/* ---- arguments ---- */

static void test_arguments(void **state) {
  (void)state;
  mtasts_report r;
  size_t needed = 7;
  char buf[16];
  assert_int_equal(mtasts_report_write(NULL, buf, sizeof buf, &needed), MTASTS_E_REPORT_ARGUMENT);
  assert_int_equal(needed, 0);
  assert_int_equal(parse_at(1, report_base, strlen(report_base), S, &r), MTASTS_REPORT_OK);
  assert_int_equal(mtasts_report_write(&r, buf, sizeof buf, NULL), MTASTS_E_REPORT_ARGUMENT);
  assert_int_equal(mtasts_report_write(&r, NULL, 1, &needed), MTASTS_E_REPORT_ARGUMENT);
  /* One fault at a time in a copy of a good report (and its arrays). */
  for (int fault = 0; fault < 19; fault++) {
    mtasts_report x = r;
    mtasts_report_policy p = pol_a[0];
    mtasts_report_detail d = det_a[0];
    x.policies = &p;
    x.details = &d;
    switch (fault) {
    case 0:
      x.organization_name.ptr = NULL;
      break;
    case 1:
      x.report_id.ptr = NULL;
      break;
    case 2:
      x.policy_count = 0;
      break;
    case 3:
      x.policies = NULL;
      break;
    case 4:
      x.policy_needed = 2;
      break;
    case 5:
      x.detail_needed = 2;
      break;
    case 6:
      x.details = NULL;
      break;
    case 7:
      x.start_time = -62167219201LL;
      break;
    case 8:
      x.start_time = 253402300800LL;
      break;
    case 9:
      x.end_time = -62167219201LL;
      break;
    case 10:
      x.end_time = 253402300800LL;
      break;
    case 11:
      p.type = MTASTS_REPORT_POLICY_UNSET;
      break;
    case 12:
      p.type = (mtasts_report_policy_type)5;
      break;
    case 13:
      p.type = MTASTS_REPORT_POLICY_OTHER;
      p.type_text.ptr = NULL;
      break;
    case 14:
      p.detail_first = 2;
      break;
    case 15:
      p.detail_count = 2;
      break;
    case 16:
      d.result = MTASTS_REPORT_RESULT_UNSET;
      break;
    case 17:
      d.result = (mtasts_report_result)13;
      break;
    default:
      d.result = MTASTS_REPORT_RESULT_OTHER;
      d.result_text.ptr = NULL;
      break;
    }
    needed = 7;
    if (mtasts_report_write(&x, buf, sizeof buf, &needed) != MTASTS_E_REPORT_ARGUMENT ||
        needed != 0)
      fail_msg("fault %d: not refused", fault);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base),        cmocka_unit_test(test_canonical_forms),
      cmocka_unit_test(test_round_trips), cmocka_unit_test(test_sizing),
      cmocka_unit_test(test_by_hand),     cmocka_unit_test(test_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
