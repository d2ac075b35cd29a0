/*
 * test_dns_mx.c - the MX lookup of `mtasts check` (resolver/src/dns_mx.c):
 * answers built byte by byte (compression, a CNAME first, a null MX,
 * truncation) and the query outcomes passed through. No network.
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
#include "resolver_mx.h"

/* A message's bytes: what one UDP answer holds. */
#define MSG_ROOM 512

/* A response header, the question (example.com MX) at offset 12. */
static void begin(dns_msg *m, unsigned answers) {
  dns_msg_begin(m, DNS_MSG_ID, DNS_MSG_RESPONSE, answers, "example.com", 15);
}

/* An MX RR owned by the question's name (pointer to offset 12). */
static void put_mx(dns_msg *m, unsigned pref, const char *exchange, bool compress_tail) {
  size_t rdlen_at = dns_msg_rr(m, 15, 1, 300, 0);
  dns_msg_put16(m, pref);
  if (compress_tail) {
    /* "<exchange>.example.com" as the label and a pointer to offset 12 */
    unsigned char l = (unsigned char)strlen(exchange);
    dns_msg_put(m, &l, 1);
    dns_msg_put(m, exchange, l);
    dns_msg_put16(m, 0xc00c);
  } else {
    dns_msg_put_name(m, exchange);
  }
  dns_msg_patch_rdlen(m, rdlen_at);
}

static void sorted_and_lower_case(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 3);
  put_mx(&m, 20, "mx2.example.net", false);
  put_mx(&m, 10, "MX1", true);
  put_mx(&m, 10, "a.example.org", false);
  dns_mx out;
  assert_true(dns_mx_from_answer(m.b, m.len, &out));
  assert_int_equal(out.outcome, DNS_ANSWER);
  assert_int_equal(out.count, 3);
  assert_string_equal(out.hosts[0].name, "a.example.org");
  assert_int_equal(out.hosts[0].preference, 10);
  assert_string_equal(out.hosts[1].name, "mx1.example.com");
  assert_string_equal(out.hosts[2].name, "mx2.example.net");
  assert_int_equal(out.hosts[2].preference, 20);
  dns_mx_free(&out);
  assert_null(out.hosts);
}

static void null_mx_and_other_types(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 2);
  /* A CNAME first (type 5), skipped. */
  dns_msg_rr(&m, 5, 1, 300, 2);
  dns_msg_put16(&m, 0xc00c);
  put_mx(&m, 0, "", false);
  dns_mx out;
  assert_true(dns_mx_from_answer(m.b, m.len, &out));
  assert_int_equal(out.count, 1);
  assert_string_equal(out.hosts[0].name, "");
  assert_int_equal(out.hosts[0].preference, 0);
  dns_mx_free(&out);
}

static void malformed_answers(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  put_mx(&m, 10, "mx.example.com", false);
  dns_mx out;
  assert_false(dns_mx_from_answer(m.b, m.len - 3, &out));
  assert_int_equal(out.outcome, DNS_ERROR);
  assert_non_null(strstr(out.error, "malformed DNS answer"));
  assert_null(out.hosts);
  /* An RDATA too short for a preference and a name. */
  begin(&m, 1);
  dns_msg_rr(&m, 15, 1, 300, 2);
  dns_msg_put16(&m, 10);
  assert_false(dns_mx_from_answer(m.b, m.len, &out));
  assert_string_equal(out.error, "malformed DNS answer: an MX record does not parse");
}

/* A dns_query_fn that answers what the test put in ctx. */
typedef struct fake {
  dns_outcome outcome;
  const dns_msg *m;
  char name[64];
} fake;

static dns_outcome fake_query(void *ctx, const char *name, unsigned char *answer, size_t cap,
                              size_t *len, char *err, size_t errlen) {
  fake *f = ctx;
  snprintf(f->name, sizeof f->name, "%s", name);
  if (f->outcome == DNS_ERROR)
    snprintf(err, errlen, "the DNS server answered SERVFAIL");
  if (f->outcome == DNS_ANSWER) {
    assert_true(f->m->len <= cap);
    memcpy(answer, f->m->b, f->m->len);
    *len = f->m->len;
  }
  return f->outcome;
}

static void lookup_outcomes(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  put_mx(&m, 5, "Mail.Example.Com", false);
  fake f = {DNS_ANSWER, &m, ""};
  dns_mx out;
  assert_int_equal(dns_lookup_mx(fake_query, &f, "example.com.", &out), DNS_ANSWER);
  assert_string_equal(f.name, "example.com.");
  assert_int_equal(out.count, 1);
  assert_string_equal(out.hosts[0].name, "mail.example.com");
  dns_mx_free(&out);
  f.outcome = DNS_ABSENT;
  assert_int_equal(dns_lookup_mx(fake_query, &f, "example.com.", &out), DNS_ABSENT);
  assert_int_equal(out.count, 0);
  f.outcome = DNS_ERROR;
  assert_int_equal(dns_lookup_mx(fake_query, &f, "example.com.", &out), DNS_ERROR);
  assert_string_equal(out.error, "the DNS server answered SERVFAIL");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sorted_and_lower_case),
      cmocka_unit_test(null_mx_and_other_types),
      cmocka_unit_test(malformed_answers),
      cmocka_unit_test(lookup_outcomes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
