/* report_testutil.c - see report_testutil.h. */
#include "report_testutil.h"

#include <stdio.h>
#include <string.h>

const char report_base[] =
    "{\"organization-name\":\"Example Sender\","
    "\"date-range\":{\"start-datetime\":\"2024-05-01T00:00:00Z\","
    "\"end-datetime\":\"2024-05-02T00:00:00Z\"},"
    "\"contact-info\":\"tlsrpt@sender.example\","
    "\"report-id\":\"2024-05-01_example.org\","
    "\"policies\":[{\"policy\":{\"policy-type\":\"sts\","
    "\"policy-string\":[\"version: STSv1\",\"mode: testing\",\"mx: mx1.example.org\","
    "\"max_age: 86400\"],"
    "\"policy-domain\":\"example.org\",\"mx-host\":[\"mx1.example.org\"]},"
    "\"summary\":{\"total-successful-session-count\":120,\"total-failure-session-count\":2},"
    "\"failure-details\":[{\"result-type\":\"certificate-expired\","
    "\"sending-mta-ip\":\"192.0.2.10\",\"receiving-mx-hostname\":\"mx1.example.org\","
    "\"receiving-ip\":\"198.51.100.25\",\"failed-session-count\":2,"
    "\"additional-information\":\"https://reports.sender.example/tlsrpt/a1\","
    "\"failure-reason-code\":\"X509_V_ERR_CERT_HAS_EXPIRED\"}]}]}";

const char *variant(const char *from, const char *to) {
  static char buf[8192];
  const char *hit = strstr(report_base, from);
  if (hit == NULL)
    fail_msg("variant: \"%s\" is not in the base report", from);
  size_t head = (size_t)(hit - report_base), flen = strlen(from), tlen = strlen(to);
  size_t tail = strlen(hit + flen);
  if (head + tlen + tail + 1 > sizeof buf)
    fail_msg("variant: too long");
  memcpy(buf, report_base, head);
  memcpy(buf + head, to, tlen);
  memcpy(buf + head + tlen, hit + flen, tail + 1);
  return buf;
}

mtasts_report_policy t_policies[T_POLICIES];
mtasts_report_detail t_details[T_DETAILS];
mtasts_report_diag t_warn_items[T_WARNINGS];
mtasts_report_diags t_warn;
static mtasts_report_work work;

mtasts_report_code parse_json(const char *json, size_t len, mtasts_profile profile,
                              mtasts_report *r) {
  mtasts_report_init(r, &work, t_policies, T_POLICIES, t_details, T_DETAILS);
  t_warn.items = t_warn_items;
  t_warn.cap = T_WARNINGS;
  mtasts_report_options o = {profile, &t_warn};
  return mtasts_report_parse(guard_copy(json, len), len, &o, r);
}

size_t offset_of(const char *json, const char *at, long plus) {
  if (at == NULL)
    return (size_t)((long)strlen(json) + plus);
  const char *hit = strstr(json, at);
  if (hit == NULL)
    fail_msg("offset_of: \"%s\" is not in %s", at, json);
  return (size_t)((long)(hit - json) + plus);
}

void run_case(const rcase *c) {
  mtasts_report r;
  size_t len = strlen(c->json);
  mtasts_report_code rc = parse_json(c->json, len, c->profile, &r);
  size_t want = c->code == MTASTS_REPORT_OK ? 0 : offset_of(c->json, c->at, c->plus);
  if (rc != c->code || r.err_offset != want)
    fail_msg("%s: got %s@%zu, want %s@%zu", c->name, mtasts_report_errname(rc), r.err_offset,
             mtasts_report_errname(c->code), want);
  const char *m = r.err_member;
  if ((m == NULL) != (c->member == NULL) || (m != NULL && strcmp(m, c->member) != 0))
    fail_msg("%s: member %s, want %s", c->name, m ? m : "(none)", c->member ? c->member : "(none)");
}

void run_cases(const rcase *cases, size_t count) {
  for (size_t i = 0; i < count; i++)
    run_case(&cases[i]);
}

void expect_one_warning(const char *name, mtasts_profile profile, const char *json,
                        mtasts_report_code code, const char *at, long plus) {
  mtasts_report r;
  mtasts_report_code rc = parse_json(json, strlen(json), profile, &r);
  if (rc != MTASTS_REPORT_OK)
    fail_msg("%s: got %s@%zu, want OK", name, mtasts_report_errname(rc), r.err_offset);
  size_t want = offset_of(json, at, plus);
  if (t_warn.count != 1 || t_warn_items[0].code != code || t_warn_items[0].offset != want)
    fail_msg("%s: %zu warnings, first %s@%zu; want one %s@%zu", name, t_warn.count,
             t_warn.count ? mtasts_report_errname(t_warn_items[0].code) : "-",
             t_warn.count ? t_warn_items[0].offset : 0, mtasts_report_errname(code), want);
}
