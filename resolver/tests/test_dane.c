/*
 * test_dane.c - the DANE coverage of a domain's MX hosts
 * (resolver/src/dane.c): MX and TLSA answers built byte by byte, with the
 * AD bit set or clear, TLSA records usable, unusable or absent on each
 * MX host, and failed or malformed lookups. No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dns_msg.h"
#include "resolver_dane.h"

enum { T_MX = 15, T_TLSA = 52 };

/* What a host's TLSA query gets. */
typedef enum tlsa_kind { ABSENT = 0, USABLE, UNUSABLE, SERVFAIL, MALFORMED } tlsa_kind;

typedef struct fake_host {
  const char *name;
  tlsa_kind tlsa;
  bool tlsa_ad;
} fake_host;

typedef struct fake_dns {
  dns_outcome mx_outcome;
  bool mx_ad;
  fake_host hosts[4]; /* the MX records, in this order ("" a null MX) */
  size_t count;
  char asked[8][300]; /* the TLSA queries, in order */
  size_t tlsa_queries;
} fake_dns;

/* A response header (AD as given), the question `name` at offset 12. */
static void begin(dns_msg *m, bool ad, unsigned answers, const char *name, unsigned type) {
  dns_msg_begin(m, DNS_MSG_ID, DNS_MSG_RESPONSE | (ad ? DNS_MSG_AD : 0), answers, name, type);
}

static dns_outcome servfail(char *err, size_t errlen) {
  snprintf(err, errlen, "the DNS server answered SERVFAIL");
  return DNS_ERROR;
}

static dns_outcome fake_mx(void *ctx, const char *name, unsigned char *answer, size_t cap,
                           size_t *len, char *err, size_t errlen) {
  fake_dns *w = ctx;
  assert_string_equal(name, "example.com.");
  if (w->mx_outcome == DNS_ERROR)
    return servfail(err, errlen);
  if (w->mx_outcome == DNS_ABSENT)
    return DNS_ABSENT;
  dns_msg m = {answer, cap, 0};
  begin(&m, w->mx_ad, (unsigned)w->count, name, T_MX);
  for (size_t i = 0; i < w->count; i++) {
    size_t rdlen_at = dns_msg_rr(&m, T_MX, DNS_MSG_CLASS_IN, 300, 0);
    dns_msg_put16(&m, (unsigned)(10 * (i + 1)));
    dns_msg_put_name(&m, w->hosts[i].name);
    dns_msg_patch_rdlen(&m, rdlen_at);
  }
  *len = m.len;
  return DNS_ANSWER;
}

static dns_outcome fake_tlsa(void *ctx, const char *name, unsigned char *answer, size_t cap,
                             size_t *len, char *err, size_t errlen) {
  fake_dns *w = ctx;
  assert_true(w->tlsa_queries < 8);
  snprintf(w->asked[w->tlsa_queries++], sizeof w->asked[0], "%s", name);
  const fake_host *h = NULL;
  for (size_t i = 0; i < w->count; i++) {
    char want[300];
    snprintf(want, sizeof want, "_25._tcp.%s.", w->hosts[i].name);
    if (strcmp(want, name) == 0)
      h = &w->hosts[i];
  }
  assert_non_null(h);
  if (h->tlsa == ABSENT)
    return DNS_ABSENT;
  if (h->tlsa == SERVFAIL)
    return servfail(err, errlen);
  dns_msg m = {answer, cap, 0};
  begin(&m, h->tlsa_ad, 1, name, T_TLSA);
  dns_msg_rr(&m, T_TLSA, DNS_MSG_CLASS_IN, 300, 3 + 32);
  /* 3 1 1 (DANE-EE, SPKI, SHA2-256), or 1 1 1 (PKIX-EE: not for SMTP) */
  unsigned char fixed[3] = {h->tlsa == UNUSABLE ? 1 : 3, 1, 1}, digest[32];
  memset(digest, 0xab, sizeof digest);
  dns_msg_put(&m, fixed, 3);
  dns_msg_put(&m, digest, sizeof digest);
  *len = h->tlsa == MALFORMED ? m.len - 1 : m.len; /* the RDATA cut short */
  return DNS_ANSWER;
}

static fake_dns w;

static dane_survey survey(dane_coverage want) {
  dane_queries q = {&w, fake_mx, fake_tlsa};
  dane_survey d;
  memset(&d, 0x5a, sizeof d);
  assert_int_equal(dane_survey_domain(&q, "example.com", &d), want);
  assert_int_equal(d.coverage, want);
  return d;
}

/* Two MX hosts, their TLSA records as given, everything validated. */
static void two_hosts(tlsa_kind first, tlsa_kind second) {
  memset(&w, 0, sizeof w);
  w.mx_outcome = DNS_ANSWER;
  w.mx_ad = true;
  w.hosts[0] = (fake_host){"mx1.example.com", first, true};
  w.hosts[1] = (fake_host){"mx2.example.com", second, true};
  w.count = 2;
}

static void test_coverage(void **state) {
  (void)state;
  static const struct {
    tlsa_kind first, second;
    dane_coverage want;
    size_t with_tlsa;
  } rows[] = {
      {ABSENT, ABSENT, DANE_NONE, 0},     {USABLE, USABLE, DANE_ALL, 2},
      {USABLE, ABSENT, DANE_SOME, 1},     {ABSENT, USABLE, DANE_SOME, 1},
      {UNUSABLE, ABSENT, DANE_NONE, 0},   {UNUSABLE, USABLE, DANE_SOME, 1},
      {UNUSABLE, UNUSABLE, DANE_NONE, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    two_hosts(rows[i].first, rows[i].second);
    dane_survey d = survey(rows[i].want);
    assert_int_equal(d.hosts, 2);
    assert_int_equal(d.with_tlsa, rows[i].with_tlsa);
    assert_int_equal(w.tlsa_queries, 2);
    assert_string_equal(w.asked[0], "_25._tcp.mx1.example.com.");
    assert_string_equal(w.asked[1], "_25._tcp.mx2.example.com.");
  }
}

/* Only validated answers count (RFC 7672 2.2). */
static void test_ad_bit(void **state) {
  (void)state;
  two_hosts(USABLE, USABLE);
  w.hosts[1].tlsa_ad = false; /* insecure TLSA records are not used */
  dane_survey d = survey(DANE_SOME);
  assert_int_equal(d.with_tlsa, 1);
  w.hosts[0].tlsa_ad = false;
  survey(DANE_NONE);
  /* An MX RRset that did not validate: no TLSA query at all. */
  two_hosts(USABLE, USABLE);
  w.mx_ad = false;
  d = survey(DANE_NONE);
  assert_int_equal(d.hosts, 0);
  assert_int_equal(w.tlsa_queries, 0);
}

/* A failed or malformed TLSA lookup is "indeterminate": DANE_UNKNOWN, why. */
static void test_indeterminate(void **state) {
  (void)state;
  two_hosts(ABSENT, SERVFAIL);
  dane_survey d = survey(DANE_UNKNOWN);
  assert_string_equal(d.error,
                      "DANE: the TLSA lookup of mx2.example.com failed: the DNS server answered "
                      "SERVFAIL");
  two_hosts(SERVFAIL, USABLE);
  d = survey(DANE_UNKNOWN);
  assert_int_equal(w.tlsa_queries, 1); /* the first failure ends the survey */
  two_hosts(USABLE, MALFORMED);
  d = survey(DANE_UNKNOWN);
  assert_string_equal(d.error, "DANE: the TLSA lookup of mx2.example.com failed: malformed DNS "
                               "answer: the message does not parse");
  two_hosts(USABLE, USABLE);
  w.mx_outcome = DNS_ERROR;
  d = survey(DANE_UNKNOWN);
  assert_string_equal(d.error, "DANE: the MX lookup failed: the DNS server answered SERVFAIL");
  assert_int_equal(w.tlsa_queries, 0);
}

/* No MX record, or a null MX: no host to survey. */
static void test_no_hosts(void **state) {
  (void)state;
  two_hosts(USABLE, USABLE);
  w.mx_outcome = DNS_ABSENT;
  dane_survey d = survey(DANE_NONE);
  assert_int_equal(d.hosts, 0);
  two_hosts(USABLE, USABLE);
  w.hosts[0].name = ""; /* RFC 7505 */
  w.count = 1;
  d = survey(DANE_NONE);
  assert_int_equal(d.hosts, 0);
  assert_int_equal(w.tlsa_queries, 0);
  w.count = 0; /* NOERROR without an MX record (a CNAME alone, say) */
  survey(DANE_NONE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_coverage),
      cmocka_unit_test(test_ad_bit),
      cmocka_unit_test(test_indeterminate),
      cmocka_unit_test(test_no_hosts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
