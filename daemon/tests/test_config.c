/* test_config.c - mtasts-daemon's configuration file (daemon/src/config.c):
 * defaults, every kind of value, and each error with its line. */
#include "testutil.h"

#include <string.h>

#include "config.h"

static bool parse(const char *text, daemon_config *c, char *err) {
  daemon_config_defaults(c);
  return daemon_config_parse(text, strlen(text), c, err, 256);
}

static void test_values(void **state) {
  (void)state;
  daemon_config c;
  char err[256] = "";
  assert_true(parse("# comment\n\n  listen = 127.0.0.1:8461  \nworkers=3\r\ntlsrpt = yes\n"
                    "strict_testing = false\ncache_dir = /var/cache/x\nrefresh = 600",
                    &c, err));
  assert_string_equal(c.listen, "127.0.0.1:8461");
  assert_int_equal(c.workers, 3);
  assert_true(c.tlsrpt);
  assert_false(c.strict_testing);
  assert_false(c.refuse_private); /* the default */
  assert_string_equal(c.cache_dir, "/var/cache/x");
  assert_int_equal(c.refresh, 600);
  assert_int_equal(c.timeout, 60);
  assert_int_equal(c.backoff_max, 600);
  assert_true(parse("refuse_private = yes\n", &c, err));
  assert_true(c.refuse_private);
  assert_true(c.dane); /* the default */
  assert_true(parse("dane = no\n", &c, err));
  assert_false(c.dane);
}

static void check_error(const char *text, const char *want) {
  daemon_config c;
  char err[256] = "";
  assert_false(parse(text, &c, err));
  assert_string_equal(err, want);
}

static void test_errors(void **state) {
  (void)state;
  check_error("workers = 0\n", "1: not a number in range");
  check_error("\nworkers = 257\n", "2: not a number in range");
  check_error("workers = 4x\n", "1: not a number in range");
  check_error("workers = -1\n", "1: not a number in range");
  check_error("refresh = 59\n", "1: not a number in range");
  check_error("listen =\n", "1: empty value");
  check_error("tlsrpt = 1\n", "1: not yes or no");
  check_error("dane = maybe\n", "1: not yes or no");
  check_error("nonsense = 1\n", "1: unknown key");
  check_error("workers\n", "1: not \"key = value\"");
  check_error("workers = 2\nworkers = 3\n", "2: key given twice");
  check_error("backoff_min = 100\nbackoff_max = 10\n", "backoff_min is larger than backoff_max");
  daemon_config c;
  char err[256];
  daemon_config_defaults(&c);
  assert_false(daemon_config_parse("workers = 2\0\n", 13, &c, err, sizeof err));
  assert_string_equal(err, "1: NUL byte");
}

static void test_load(void **state) {
  (void)state;
  daemon_config c;
  char err[600];
  daemon_config_defaults(&c);
  assert_false(daemon_config_load("/nonexistent/mtasts-daemon.conf", &c, err, sizeof err));
  assert_string_equal(err, "/nonexistent/mtasts-daemon.conf: No such file or directory");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
