/* test_policy_host.c - R19: the Policy Host is "mta-sts." + the Policy
 * Domain as A-labels with no trailing dot (RFC 8461 3.2: "The Policy Host
 * DNS name is constructed by prepending "mta-sts" to the Policy Domain"). */
#include "testutil.h"

#include <string.h>

#include "mtasts_engine.h"

static void fill(char *buf, size_t n, const char *pattern) {
  for (size_t i = 0; i < n; i++)
    buf[i] = pattern[i % strlen(pattern)];
}

static void test_R19_policy_host(void **state) {
  (void)state;
  static const struct {
    const char *domain;
    const char *want; /* NULL: not a valid Policy Domain */
  } rows[] = {
      {"example.com", "mta-sts.example.com"},
      {"example.com.", "mta-sts.example.com"}, /* R19: no trailing dot */
      {"Example.COM", "mta-sts.Example.COM"}, /* case kept: DNS compares ASCII case-insensitively */
      {"xn--mnchen-3ya.example", "mta-sts.xn--mnchen-3ya.example"}, /* A-label */
      {"a", "mta-sts.a"},
      {"a-b.c", "mta-sts.a-b.c"},
      {"1.2", "mta-sts.1.2"},
      {"0Z9.az", "mta-sts.0Z9.az"}, /* every end of the Let-dig ranges */
      {"A09.zZ", "mta-sts.A09.zZ"},
      {"example.a-", NULL}, /* the last label ends in "-" */
      {"example.a-.", NULL},
      {"", NULL},
      {".", NULL},
      {"example.com..", NULL},
      {".example.com", NULL},
      {"example..com", NULL},
      {"-a.example", NULL},
      {"a-.example", NULL},
      {"a_b.example", NULL},
      {"a b.example", NULL},
      {"*.example", NULL},
      {"m\xc3\xbcnchen.example", NULL}, /* a U-label: the caller converts it */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const char *d = rows[i].domain;
    size_t n = strlen(d);
    const char *g = guard_copy(d, n);
    char out[300];
    poison(out, sizeof out);
    size_t got = mtasts_policy_host(g, n, out, sizeof out);
    if (rows[i].want == NULL) {
      if (got != 0)
        fail_msg("%s: want invalid, got %zu", show(d, n), got);
      assert_int_equal((unsigned char)out[0], 0xA5);
      continue;
    }
    size_t want = strlen(rows[i].want);
    if (got != want || memcmp(out, rows[i].want, want) != 0)
      fail_msg("%s: got %zu, want %s", show(d, n), got, rows[i].want);
    assert_int_equal((unsigned char)out[want], 0xA5); /* no NUL, nothing more */
  }
}

static void test_R19_length_limits(void **state) {
  (void)state;
  char d[300], out[300];
  /* A 63-octet label is fine, 64 is not. */
  fill(d, 63, "a");
  assert_int_equal(mtasts_policy_host(d, 63, out, sizeof out), 8 + 63);
  fill(d, 64, "a");
  assert_int_equal(mtasts_policy_host(d, 64, out, sizeof out), 0);
  /* The host has at most 253 octets: a domain of 245 fits, 246 does not. */
  fill(d, 245, "abcdefg.");
  d[244] = 'z';
  assert_int_equal(mtasts_policy_host(d, 245, out, sizeof out), 253);
  fill(d, 246, "abcdefg.");
  d[245] = 'z';
  assert_int_equal(mtasts_policy_host(d, 246, out, sizeof out), 0);
}

static void test_sizing_and_arguments(void **state) {
  (void)state;
  char out[32];
  poison(out, sizeof out);
  /* Too small: the length is returned, nothing is written. */
  assert_int_equal(mtasts_policy_host("example.com", 11, out, 18), 19);
  assert_int_equal((unsigned char)out[0], 0xA5);
  assert_int_equal(mtasts_policy_host("example.com", 11, NULL, 0), 19);
  assert_int_equal(mtasts_policy_host("example.com", 11, out, 19), 19);
  assert_memory_equal(out, "mta-sts.example.com", 19);
  assert_int_equal(mtasts_policy_host(NULL, 5, out, sizeof out), 0);
}

/* The domain as a sender keeps it, and its TXT name: lower case (every
 * letter at both ends of both ranges), one trailing dot removed, the same
 * validity and 245-octet bound as the Policy Host. */
static void test_domain_and_txt_name(void **state) {
  (void)state;
  char out[300];
  poison(out, sizeof out);
  assert_int_equal(mtasts_policy_domain("Az.ZA-09.", 9, out, sizeof out), 8);
  assert_memory_equal(out, "az.za-09", 8);
  assert_int_equal((unsigned char)out[8], 0xA5); /* no NUL, nothing more */
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_name("Mail.Example.", 13, out, sizeof out), 22);
  assert_memory_equal(out, "_mta-sts.mail.example.", 22);
  assert_int_equal((unsigned char)out[22], 0xA5);
  /* Too small: the length, nothing written; invalid: 0. */
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_name("a.b", 3, out, 12), 13);
  assert_int_equal((unsigned char)out[0], 0xA5);
  assert_int_equal(mtasts_txt_name("a.b", 3, NULL, 0), 13);
  assert_int_equal(mtasts_policy_domain("a..b", 4, out, sizeof out), 0);
  assert_int_equal(mtasts_txt_name(NULL, 3, out, sizeof out), 0);
  assert_int_equal(mtasts_txt_name("", 0, out, sizeof out), 0);
  char d[300];
  fill(d, 245, "abcdefg.");
  d[244] = 'z';
  assert_int_equal(mtasts_txt_name(d, 245, out, sizeof out), 255);
  assert_int_equal(mtasts_policy_domain(d, 245, out, sizeof out), 245);
  fill(d, 246, "abcdefg.");
  d[245] = 'z';
  assert_int_equal(mtasts_txt_name(d, 246, out, sizeof out), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_R19_policy_host),
      cmocka_unit_test(test_R19_length_limits),
      cmocka_unit_test(test_sizing_and_arguments),
      cmocka_unit_test(test_domain_and_txt_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
