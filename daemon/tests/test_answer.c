/* test_answer.c - the socketmap answers for policies (daemon/src/answer.c):
 * exact strings under enforce, testing, none and no policy, with and
 * without the TLSRPT attributes, a policy too long for a reply, and the
 * answer under each DANE coverage of the MX hosts. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"

static mtasts_mx mx_store[256];
static mtasts_ext ext_store[MTASTS_MAX_EXTENSIONS];

static mtasts_policy parse(const char *body) {
  mtasts_policy p;
  mtasts_policy_init(&p, mx_store, sizeof mx_store / sizeof mx_store[0], ext_store,
                     MTASTS_MAX_EXTENSIONS);
  assert_int_equal(mtasts_policy_parse(body, strlen(body), NULL, &p), MTASTS_OK);
  return p;
}

static void check(const mtasts_policy *p, bool strict, bool tlsrpt, socketmap_reply_status want,
                  const char *data) {
  char out[SOCKETMAP_REPLY_MAX];
  size_t len = 99;
  daemon_answer_opts o = {strict, tlsrpt};
  assert_int_equal(daemon_answer("example.com", p, &o, out, sizeof out, &len), want);
  assert_int_equal(len, strlen(data));
  assert_string_equal(out, data);
}

#define ENFORCE                                                                                    \
  "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.net\nmax_age: 86400\n"
#define TESTING "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 600\n"

static void test_enforce(void **state) {
  (void)state;
  mtasts_policy p = parse(ENFORCE);
  check(&p, false, false, SOCKETMAP_OK,
        "secure match=mx1.example.com:.example.net servername=hostname");
  check(&p, false, true, SOCKETMAP_OK,
        "secure match=mx1.example.com:.example.net servername=hostname policy_type=sts "
        "policy_domain=example.com { policy_string = version: STSv1 } { policy_string = mode: "
        "enforce } { policy_string = max_age: 86400 } { policy_string = mx: mx1.example.com } { "
        "policy_string = mx: *.example.net } mx_host_pattern=mx1.example.com "
        "mx_host_pattern=*.example.net");
}

static void test_testing(void **state) {
  (void)state;
  mtasts_policy p = parse(TESTING);
  check(&p, false, false, SOCKETMAP_NOTFOUND, "");
  check(&p, false, true, SOCKETMAP_NOTFOUND, "");
  check(&p, true, false, SOCKETMAP_OK, "secure match=mx1.example.com servername=hostname");
}

static void test_none(void **state) {
  (void)state;
  mtasts_policy p = parse("version: STSv1\nmode: none\nmax_age: 600\n");
  check(&p, true, true, SOCKETMAP_NOTFOUND, "");
  check(NULL, true, true, SOCKETMAP_NOTFOUND, "");
}

/* 200 patterns of 60 bytes: 12 kB of match=, over any reply. With fewer
 * the TLSRPT attributes go first. */
static void test_too_long(void **state) {
  (void)state;
  char *body = malloc(20000);
  assert_non_null(body);
  size_t at = (size_t)sprintf(body, "version: STSv1\nmode: enforce\nmax_age: 600\n");
  for (int i = 0; i < 200; i++)
    at += (size_t)sprintf(body + at, "mx: mx%03d.%s\n", i,
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com");
  mtasts_policy p = parse(body);
  check(&p, false, true, SOCKETMAP_TEMP, "policy of example.com too long for a reply");
  p.mx_count = 40; /* 40 x 61 = 2440 bytes: the match fits, the attributes do not */
  char out[SOCKETMAP_REPLY_MAX];
  size_t len;
  daemon_answer_opts o = {false, true};
  assert_int_equal(daemon_answer("example.com", &p, &o, out, sizeof out, &len), SOCKETMAP_OK);
  assert_null(strstr(out, "policy_type"));
  assert_int_equal(len, strlen("secure match= servername=hostname") + 40 * 61 - 1);
  free(body);
}

/* The answer with the MX hosts `names` (NULL: the MX lookup failed; none:
 * no MX record) of example.com, under ENFORCE unless `body` says. */
static void check_hosts(const char *body, const char *const *names, size_t count, bool tlsrpt,
                        const char *data) {
  mtasts_policy p = parse(body != NULL ? body : ENFORCE);
  dns_mx_host hosts[8];
  dns_mx mx = {DNS_ANSWER, "", hosts, count};
  for (size_t i = 0; i < count; i++) {
    hosts[i].preference = (unsigned)i * 10;
    snprintf(hosts[i].name, sizeof hosts[i].name, "%s", names[i]);
  }
  char out[SOCKETMAP_REPLY_MAX];
  size_t len = 99;
  daemon_answer_opts o = {false, tlsrpt};
  assert_int_equal(
      daemon_answer_hosts("example.com", &p, &o, names != NULL ? &mx : NULL, out, sizeof out, &len),
      SOCKETMAP_OK);
  assert_string_equal(out, data);
  assert_int_equal(len, strlen(data));
}

/* The MX hosts the policy matches, exactly (answer.h): a deeper host
 * than "*.example.net" allows, and one outside the policy, left out. */
static void test_hosts(void **state) {
  (void)state;
  static const char *const mx[] = {"mx1.example.com", "x.y.example.net", "a.example.net",
                                   "other.example.org", "mx1.example.com"};
  check_hosts(NULL, mx, 5, false, "secure match=mx1.example.com:a.example.net servername=hostname");
  check_hosts(NULL, mx, 5, true,
              "secure match=mx1.example.com:a.example.net servername=hostname policy_type=sts "
              "policy_domain=example.com { policy_string = version: STSv1 } { policy_string = "
              "mode: enforce } { policy_string = max_age: 86400 } { policy_string = mx: "
              "mx1.example.com } { policy_string = mx: *.example.net } "
              "mx_host_pattern=mx1.example.com mx_host_pattern=*.example.net");
  /* The MX lookup failed: the patterns. */
  check_hosts(NULL, NULL, 0, false,
              "secure match=mx1.example.com:.example.net servername=hostname");
  /* None matches (only deeper hosts, a null MX): a name no certificate has. */
  check_hosts(NULL, mx + 1, 1, false, "secure match=" NO_MX_MATCHES " servername=hostname");
  static const char *const null_mx[] = {""};
  check_hosts(NULL, null_mx, 1, false, "secure match=" NO_MX_MATCHES " servername=hostname");
  /* No MX record: the implicit MX, the domain itself (RFC 5321 5.1). */
  check_hosts(NULL, mx, 0, false, "secure match=" NO_MX_MATCHES " servername=hostname");
  check_hosts("version: STSv1\nmode: enforce\nmx: example.com\nmax_age: 600\n", mx, 0, false,
              "secure match=example.com servername=hostname");
}

/* Hosts whose names do not fit in a reply: the patterns instead. */
static void test_hosts_too_long(void **state) {
  (void)state;
  mtasts_policy p = parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 600\n");
  static dns_mx_host hosts[80];
  for (size_t i = 0; i < 80; i++) /* 80 x 63 bytes: 5 kB */
    snprintf(hosts[i].name, sizeof hosts[i].name, "%057zu.example.com", i);
  dns_mx mx = {DNS_ANSWER, "", hosts, 80};
  char out[SOCKETMAP_REPLY_MAX];
  size_t len;
  daemon_answer_opts o = {false, false};
  assert_int_equal(daemon_answer_hosts("example.com", &p, &o, &mx, out, sizeof out, &len),
                   SOCKETMAP_OK);
  assert_string_equal(out, "secure match=.example.com servername=hostname");
  mx.count = 2;
  assert_int_equal(daemon_answer_hosts("example.com", &p, &o, &mx, out, sizeof out, &len),
                   SOCKETMAP_OK);
  assert_string_equal(out, "secure match=000000000000000000000000000000000000000000000000000000000"
                           ".example.com:000000000000000000000000000000000000000000000000000000001"
                           ".example.com servername=hostname");
}

/* DANE beside the policy (answer.h): each coverage of the MX hosts. */
static void test_dane(void **state) {
  (void)state;
  static const char secure[] = "secure match=mx1.example.com servername=hostname";
  static const struct {
    socketmap_reply_status st;
    dane_coverage coverage;
    socketmap_reply_status want;
    const char *data;
  } rows[] = {
      {SOCKETMAP_OK, DANE_NONE, SOCKETMAP_OK, secure},
      {SOCKETMAP_OK, DANE_SOME, SOCKETMAP_OK, "dane-only"},
      {SOCKETMAP_OK, DANE_ALL, SOCKETMAP_OK, "dane-only"},
      {SOCKETMAP_OK, DANE_UNKNOWN, SOCKETMAP_TEMP, "example.com: DANE: why"},
      {SOCKETMAP_NOTFOUND, DANE_ALL, SOCKETMAP_NOTFOUND, ""},
      {SOCKETMAP_TEMP, DANE_ALL, SOCKETMAP_TEMP, "example.com: down"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char out[SOCKETMAP_REPLY_MAX];
    const char *before = rows[i].st == SOCKETMAP_OK     ? secure
                         : rows[i].st == SOCKETMAP_TEMP ? "example.com: down"
                                                        : "";
    size_t len = strlen(before);
    memcpy(out, before, len + 1);
    dane_survey d = {rows[i].coverage, 1, 1, "DANE: why"};
    assert_int_equal(daemon_answer_dane(rows[i].st, "example.com", &d, out, sizeof out, &len),
                     rows[i].want);
    assert_string_equal(out, rows[i].data);
    assert_int_equal(len, strlen(rows[i].data));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_enforce), cmocka_unit_test(test_testing),
      cmocka_unit_test(test_none),    cmocka_unit_test(test_too_long),
      cmocka_unit_test(test_hosts),   cmocka_unit_test(test_hosts_too_long),
      cmocka_unit_test(test_dane),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
