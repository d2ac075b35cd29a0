/*
 * test_mx_decide.c - mtasts_mx_decide: one MX host under the applied
 * policy (RFC 8461 4, 4.1, 5, 6; RFC 8460 4.3; ruling R13).
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "mtasts_engine.h"

#define L(s) (sizeof(s) - 1)
#define S(s) (s), L(s)

static mtasts_mx mx_store[4];
static mtasts_ext ext_store[MTASTS_MAX_EXTENSIONS];

static mtasts_policy parse(const char *body, size_t len) {
  mtasts_policy p;
  mtasts_policy_init(&p, mx_store, 4, ext_store, MTASTS_MAX_EXTENSIONS);
  if (mtasts_policy_parse(body, len, NULL, &p) != MTASTS_OK)
    fail_msg("fixture policy does not parse: %s", show(body, len));
  return p;
}

#define POLICY(mode)                                                                               \
  "version: STSv1\nmode: " mode "\nmx: mail.example.com\nmx: *.backup.example.com\nmax_age: 1\n"

typedef struct row {
  const char *name;
  const char *mode; /* NULL: no policy applies */
  const char *host;
  size_t host_len;
  mtasts_tls_result tls;
  mtasts_mx_verdict verdict;
  long index;
  mtasts_rpt rpt;
  bool recheck;
} row;

#define DELIVER MTASTS_MX_DELIVER
#define REPORT MTASTS_MX_DELIVER_AND_REPORT
#define REFUSE MTASTS_MX_REFUSE

static const row rows[] = {
    {"4: a matching MX with a valid certificate is delivered to", "enforce", S("mail.example.com"),
     MTASTS_TLS_OK, DELIVER, 0, MTASTS_RPT_NONE, false},
    {"4.1: *.backup.example.com matches one leftmost label", "enforce", S("mx1.backup.example.com"),
     MTASTS_TLS_OK, DELIVER, 1, MTASTS_RPT_NONE, false},
    {"R13: case-insensitive, one trailing dot removed", "enforce", S("MAIL.Example.COM."),
     MTASTS_TLS_OK, DELIVER, 0, MTASTS_RPT_NONE, false},
    {"5 enforce: MUST NOT deliver to hosts that fail MX matching", "enforce", S("evil.example.org"),
     MTASTS_TLS_OK, REFUSE, -1, MTASTS_RPT_VALIDATION_FAILURE, true},
    {"4.1: not foo.bar.example.com (two labels under the wildcard)", "enforce",
     S("a.b.backup.example.com"), MTASTS_TLS_OK, REFUSE, -1, MTASTS_RPT_VALIDATION_FAILURE, true},
    {"4.1: not example.com (the wildcard needs a label)", "enforce", S("backup.example.com"),
     MTASTS_TLS_OK, REFUSE, -1, MTASTS_RPT_VALIDATION_FAILURE, true},
    {"R13: an invalid host name never matches", "enforce", S("mail_1.example.com"), MTASTS_TLS_OK,
     REFUSE, -1, MTASTS_RPT_VALIDATION_FAILURE, true},
    {"4 step 1 first: MX mismatch is reported even when TLS failed too", "enforce",
     S("evil.example.org"), MTASTS_TLS_NO_STARTTLS, REFUSE, -1, MTASTS_RPT_VALIDATION_FAILURE,
     true},
    {"5 enforce: or that do not support STARTTLS", "enforce", S("mail.example.com"),
     MTASTS_TLS_NO_STARTTLS, REFUSE, 0, MTASTS_RPT_STARTTLS_NOT_SUPPORTED, true},
    {"RFC 8460 4.3.1: certificate-host-mismatch", "enforce", S("mail.example.com"),
     MTASTS_TLS_HOST_MISMATCH, REFUSE, 0, MTASTS_RPT_CERTIFICATE_HOST_MISMATCH, true},
    {"RFC 8460 4.3.1: certificate-expired", "enforce", S("mail.example.com"), MTASTS_TLS_EXPIRED,
     REFUSE, 0, MTASTS_RPT_CERTIFICATE_EXPIRED, true},
    {"RFC 8460 4.3.1: certificate-not-trusted", "enforce", S("mail.example.com"),
     MTASTS_TLS_UNTRUSTED, REFUSE, 0, MTASTS_RPT_CERTIFICATE_NOT_TRUSTED, true},
    {"RFC 8460 4.3.3: uncategorised failures are validation-failure", "enforce",
     S("mail.example.com"), MTASTS_TLS_OTHER_FAILURE, REFUSE, 0, MTASTS_RPT_VALIDATION_FAILURE,
     true},
    {"5 testing: deliver as though there were no failure, and report", "testing",
     S("evil.example.org"), MTASTS_TLS_OK, REPORT, -1, MTASTS_RPT_VALIDATION_FAILURE, false},
    {"5 testing: certificate failure is reported, delivered anyway", "testing",
     S("mx2.backup.example.com"), MTASTS_TLS_EXPIRED, REPORT, 1, MTASTS_RPT_CERTIFICATE_EXPIRED,
     false},
    {"5 testing: a valid host is a success", "testing", S("mail.example.com"), MTASTS_TLS_OK,
     DELIVER, 0, MTASTS_RPT_NONE, false},
    {"5 none: as though no active policy; 6: no report", "none", S("evil.example.org"),
     MTASTS_TLS_NO_STARTTLS, DELIVER, -1, MTASTS_RPT_NONE, false},
    {"H8: no policy applies: deliver, nothing to report", NULL, S("evil.example.org"),
     MTASTS_TLS_UNTRUSTED, DELIVER, -1, MTASTS_RPT_NONE, false},
};

static void test_mx_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *r = &rows[i];
    char body[256];
    mtasts_policy p;
    const mtasts_policy *pp = NULL;
    if (r->mode != NULL) {
      int n = snprintf(body, sizeof body, POLICY("%s"), r->mode);
      p = parse(body, (size_t)n);
      pp = &p;
    }
    const char *host = guard_copy(r->host, r->host_len);
    mtasts_mx_outcome o;
    poison(&o, sizeof o);
    assert_true(mtasts_mx_decide(pp, host, r->host_len, r->tls, &o));
    if (o.verdict != r->verdict || o.pattern_index != r->index || o.rpt != r->rpt ||
        o.recheck_policy != r->recheck)
      fail_msg("%s: verdict %d index %ld rpt \"%s\" recheck %d", r->name, o.verdict,
               o.pattern_index, mtasts_rpt_name(o.rpt), o.recheck_policy);
  }
}

/* A "none" policy parsed without mx lines, and an unparsed (UNSET) one. */
static void test_mx_policy_without_mx(void **state) {
  (void)state;
  mtasts_policy p = parse(S("version: STSv1\nmode: none\nmax_age: 1\n"));
  mtasts_mx_outcome o;
  assert_true(mtasts_mx_decide(&p, S("a.example"), MTASTS_TLS_EXPIRED, &o));
  assert_int_equal(o.verdict, MTASTS_MX_DELIVER);
  assert_int_equal(o.rpt, MTASTS_RPT_NONE);
  mtasts_policy_init(&p, NULL, 0, NULL, 0);
  assert_true(mtasts_mx_decide(&p, S("a.example"), MTASTS_TLS_EXPIRED, &o));
  assert_int_equal(o.verdict, MTASTS_MX_DELIVER);
}

static void test_mx_arguments(void **state) {
  (void)state;
  mtasts_policy p = parse(S(POLICY("enforce")));
  mtasts_mx_outcome o;
  assert_false(mtasts_mx_decide(&p, S("mail.example.com"), MTASTS_TLS_OK, NULL));
  poison(&o, sizeof o);
  assert_false(mtasts_mx_decide(&p, NULL, 3, MTASTS_TLS_OK, &o));
  assert_int_equal(o.verdict, MTASTS_MX_DELIVER);
  assert_int_equal(o.pattern_index, -1);
  /* An empty host is a host that matches nothing: refused under enforce. */
  assert_true(mtasts_mx_decide(&p, NULL, 0, MTASTS_TLS_OK, &o));
  assert_int_equal(o.verdict, MTASTS_MX_REFUSE);
  assert_int_equal(o.rpt, MTASTS_RPT_VALIDATION_FAILURE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mx_rows),
      cmocka_unit_test(test_mx_policy_without_mx),
      cmocka_unit_test(test_mx_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
