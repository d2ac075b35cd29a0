/* test_cache.c - mtasts-daemon's memory cache (daemon/src/cache.c): fresh,
 * stale and expired answers, the LRU bound, the back-off after failures. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "cache.h"

static void put(daemon_cache *c, const char *d, const char *data, uint64_t now, uint64_t fresh,
                uint64_t keep) {
  assert_true(daemon_cache_put(c, d, SOCKETMAP_OK, data, strlen(data), now, fresh, keep));
}

static void test_ages(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 4));
  put(&c, "a.example", "secure match=mx.a.example", 1000, 10, 100);
  daemon_entry *e = daemon_cache_get(&c, "a.example", 1009);
  assert_non_null(e);
  assert_string_equal(daemon_entry_data(e), "secure match=mx.a.example");
  assert_true(1009 < e->fresh_until);
  e = daemon_cache_get(&c, "a.example", 1099); /* stale, still served */
  assert_non_null(e);
  assert_true(1099 >= e->fresh_until);
  assert_null(daemon_cache_get(&c, "a.example", 1100)); /* expired: gone */
  assert_int_equal(c.count, 0);
  assert_null(daemon_cache_get(&c, "b.example", 0));
  daemon_cache_free(&c);
}

static void test_bound(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 3));
  char d[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(d, sizeof d, "d%d.example", i);
    put(&c, d, "x", 0, 10, 10);
    if (i == 1) /* d0 used again: d1 is the least recently used */
      assert_non_null(daemon_cache_get(&c, "d0.example", 0));
    if (i == 2) {
      put(&c, "d3.example", "y", 0, 10, 10);
      assert_null(daemon_cache_get(&c, "d1.example", 0));
      assert_non_null(daemon_cache_get(&c, "d0.example", 0));
    }
  }
  assert_int_equal(c.count, 3);
  assert_int_equal(c.evictions, 997);
  assert_non_null(daemon_cache_get(&c, "d999.example", 0));
  put(&c, "d999.example", "z", 0, 10, 10); /* replaced, not added */
  assert_int_equal(c.count, 3);
  assert_string_equal(daemon_entry_data(daemon_cache_get(&c, "d999.example", 0)), "z");
  /* What an entry cannot hold is refused, the cache unchanged. */
  char long_name[300];
  memset(long_name, 'a', 256);
  long_name[256] = '\0';
  assert_false(daemon_cache_put(&c, long_name, SOCKETMAP_OK, "x", 1, 0, 10, 10));
  static char big[SOCKETMAP_REPLY_MAX + 1];
  assert_false(daemon_cache_put(&c, "d.example", SOCKETMAP_OK, big, sizeof big, 0, 10, 10));
  assert_int_equal(c.count, 3);
  daemon_cache_free(&c);
}

static void test_backoff(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 8));
  /* No answer before: TEMP, kept for the back-off, doubling to the most. */
  assert_int_equal(daemon_cache_fail(&c, "f.example", "down", 0, 10, 35), 10);
  daemon_entry *e = daemon_cache_get(&c, "f.example", 9);
  assert_non_null(e);
  assert_int_equal(e->status, SOCKETMAP_TEMP);
  assert_string_equal(daemon_entry_data(e), "down");
  assert_int_equal(daemon_cache_fail(&c, "f.example", "down", 9, 10, 35), 20);
  assert_int_equal(daemon_cache_fail(&c, "f.example", "down", 28, 10, 35), 35);
  assert_int_equal(daemon_cache_get(&c, "f.example", 28)->failures, 3);
  /* A stale answer stays through a failure, until its own expiry. */
  put(&c, "s.example", "secure", 0, 10, 100);
  assert_int_equal(daemon_cache_fail(&c, "s.example", "down", 50, 10, 35), 10);
  e = daemon_cache_get(&c, "s.example", 55);
  assert_non_null(e);
  assert_int_equal(e->status, SOCKETMAP_OK);
  assert_int_equal(e->fresh_until, 60);
  assert_int_equal(e->expires, 100);
  daemon_cache_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ages),
      cmocka_unit_test(test_bound),
      cmocka_unit_test(test_backoff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
