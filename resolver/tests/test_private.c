/*
 * test_private.c - refuse_private (resolver_https.h): which addresses are
 * private, and an HTTPS fetch from a policy host whose addresses are all
 * private is refused before any connection. The addresses are given as
 * numeric hosts: getaddrinfo answers them without a DNS query, and a
 * refused fetch opens no socket.
 */
#define _POSIX_C_SOURCE 200809L

#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "resolver_https.h"

static bool private_text(const char *text) {
  struct sockaddr_in v4 = {.sin_family = AF_INET};
  struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
  if (inet_pton(AF_INET, text, &v4.sin_addr) == 1)
    return https_address_private((const struct sockaddr *)&v4);
  assert_int_equal(inet_pton(AF_INET6, text, &v6.sin6_addr), 1);
  return https_address_private((const struct sockaddr *)&v6);
}

static void test_classes(void **state) {
  (void)state;
  static const char *const private[] = {
      "0.0.0.0",         "0.255.255.255",    "10.0.0.1",   "10.255.255.255",
      "100.64.0.1",      "100.127.255.255",  "127.0.0.1",  "127.1.2.3",
      "169.254.0.1",     "169.254.255.255",  "172.16.0.1", "172.31.255.255",
      "192.168.0.1",     "192.168.255.255",  "::",         "::1",
      "::ffff:10.1.2.3", "::ffff:127.0.0.1", "fc00::1",    "fdff:ffff::1",
      "fe80::1",         "febf:ffff::1",
  };
  static const char *const public[] = {
      "1.1.1.1",        "9.255.255.255",   "11.0.0.0",     "100.63.255.255",
      "100.128.0.0",    "126.255.255.255", "128.0.0.1",    "169.253.255.255",
      "169.255.0.0",    "172.15.255.255",  "172.32.0.0",   "192.167.255.255",
      "192.169.0.0",    "192.0.2.1",       "8.8.8.8",      "::2",
      "::ffff:8.8.8.8", "2001:db8::1",     "2a00:1450::1", "fbff:ffff::1",
      "fec0::1",        "ff02::1",
  };
  for (size_t i = 0; i < sizeof private / sizeof private[0]; i++)
    if (!private_text(private[i]))
      fail_msg("%s should be private", private[i]);
  for (size_t i = 0; i < sizeof public / sizeof public[0]; i++)
    if (private_text(public[i]))
      fail_msg("%s should be public", public[i]);
  struct sockaddr unix_like = {.sa_family = AF_UNIX};
  assert_true(https_address_private(&unix_like));
}

/* GET from host with refuse_private: refused with exactly `want`. */
static void expect_refused(const char *host, const char *want) {
  https_request req = {host, 443, "/.well-known/mta-sts.txt", NULL, 5, true};
  http_reader reader;
  https_result out;
  assert_int_equal(https_get(&req, &reader, &out), HTTPS_NETWORK);
  assert_string_equal(out.error, want);
}

static void test_fetch_refused(void **state) {
  (void)state;
  expect_refused(
      "127.0.0.1",
      "refused to connect to 127.0.0.1: 127.0.0.1 is a private address (refuse_private)");
  expect_refused("10.9.8.7",
                 "refused to connect to 10.9.8.7: 10.9.8.7 is a private address (refuse_private)");
  expect_refused("::1", "refused to connect to ::1: ::1 is a private address (refuse_private)");
  expect_refused("fe80::1",
                 "refused to connect to fe80::1: fe80::1 is a private address (refuse_private)");
}

/* Without the option nothing is refused: the same fetch reaches the
 * connect (a closed port on loopback: refused by the kernel, not by us). */
static void test_fetch_allowed(void **state) {
  (void)state;
  /* 60 s: a hang guard, never reached (the kernel refuses at once). */
  https_request req = {"127.0.0.1", 1, "/.well-known/mta-sts.txt", NULL, 60, false};
  http_reader reader;
  https_result out;
  assert_int_equal(https_get(&req, &reader, &out), HTTPS_NETWORK);
  assert_string_equal(out.error, "cannot connect to 127.0.0.1 port 1: Connection refused");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classes),
      cmocka_unit_test(test_fetch_refused),
      cmocka_unit_test(test_fetch_allowed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
