/* test_cache.c - mtasts-daemon's memory cache (daemon/src/cache.c): fresh,
 * stale and expired answers, the bound (CLOCK), the back-off after
 * failures, answers kept with their domain once, the walk over every
 * entry. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

static void put(daemon_cache *c, const char *d, const char *data, uint64_t now, uint64_t fresh,
                uint64_t keep) {
  assert_true(daemon_cache_put(c, d, SOCKETMAP_OK, data, strlen(data), now, fresh, keep));
}

/* The answer kept for e (one call's result at a time). */
static const char *answer(const daemon_entry *e) {
  static char out[SOCKETMAP_REPLY_MAX + 1];
  assert_non_null(e);
  size_t n = daemon_entry_answer(e, out, sizeof out);
  assert_int_equal(n, strlen(out));
  return out;
}

static void test_ages(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 4));
  put(&c, "a.example", "secure match=mx.a.example", 1000, 10, 100);
  daemon_entry *e = daemon_cache_get(&c, "a.example", 1009);
  assert_non_null(e);
  assert_string_equal(answer(e), "secure match=mx.a.example");
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
  put(&c, "d0.example", "x", 0, 10, 10);
  put(&c, "d1.example", "x", 0, 10, 10);
  put(&c, "d2.example", "x", 0, 10, 10);
  /* Full: the one not asked for since it was stored goes first. */
  assert_non_null(daemon_cache_get(&c, "d0.example", 0));
  assert_non_null(daemon_cache_get(&c, "d2.example", 0));
  put(&c, "d3.example", "y", 0, 10, 10);
  assert_int_equal(c.evictions, 1);
  assert_null(daemon_cache_get(&c, "d1.example", 0));
  assert_non_null(daemon_cache_get(&c, "d0.example", 0));
  assert_non_null(daemon_cache_get(&c, "d2.example", 0));
  assert_non_null(daemon_cache_get(&c, "d3.example", 0));
  /* A flood of domains asked for once: an answer in use stays. */
  char d[32];
  for (int i = 4; i < 1000; i++) {
    snprintf(d, sizeof d, "d%d.example", i);
    put(&c, d, "x", 0, 10, 10);
    assert_non_null(daemon_cache_get(&c, "d0.example", 0));
  }
  assert_int_equal(c.count, 3);
  assert_int_equal(c.evictions, 997);
  assert_non_null(daemon_cache_get(&c, "d999.example", 0));
  put(&c, "d999.example", "z", 0, 10, 10); /* replaced, not added */
  assert_int_equal(c.count, 3);
  assert_string_equal(answer(daemon_cache_get(&c, "d999.example", 0)), "z");
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
  assert_string_equal(answer(e), "down");
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

/* An answer keeps its domain once: each occurrence in the data is one
 * byte, and what comes back is what was put. */
static void test_packed(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 8));
  const char *full = "secure match=mx1.a.example:.a.example servername=hostname"
                     " policy_domain=a.example";
  put(&c, "a.example", full, 0, 10, 10);
  daemon_entry *e = daemon_cache_get(&c, "a.example", 0);
  assert_true(e->packed);
  assert_int_equal(e->data_len, strlen(full) - 3 * (strlen("a.example") - 1));
  assert_string_equal(answer(e), full);
  /* At both ends and twice in a row. */
  put(&c, "b.example", "b.exampleb.example", 0, 10, 10);
  e = daemon_cache_get(&c, "b.example", 0);
  assert_int_equal(e->data_len, 2);
  assert_string_equal(answer(e), "b.exampleb.example");
  /* Data holding the marker byte itself is kept as is. */
  put(&c, "c.example", "x\001c.example", 0, 10, 10);
  e = daemon_cache_get(&c, "c.example", 0);
  assert_false(e->packed);
  assert_int_equal(e->data_len, 11);
  assert_string_equal(answer(e), "x\001c.example");
  put(&c, "d.example", "", 0, 10, 10);
  assert_string_equal(answer(daemon_cache_get(&c, "d.example", 0)), "");
  /* A buffer too short gets a prefix, NUL-terminated, never more. */
  char out[128];
  e = daemon_cache_get(&c, "a.example", 0);
  for (size_t cap = 1; cap <= strlen(full); cap++) {
    memset(out, '#', sizeof out);
    size_t n = daemon_entry_answer(e, out, cap);
    assert_true(n < cap);
    assert_int_equal(out[n], '\0');
    assert_int_equal(strncmp(out, full, n), 0);
    assert_int_equal(out[cap], '#');
  }
  assert_int_equal(daemon_entry_answer(e, out, 0), 0);
  daemon_cache_free(&c);
}

/* Times past 2106 saturate: the answer is gone, never served forever. */
static void test_far_future(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 2));
  put(&c, "a.example", "x", UINT32_MAX - 5u, 10, 20);
  daemon_entry *e = daemon_cache_get(&c, "a.example", UINT32_MAX - 1u);
  assert_non_null(e);
  assert_int_equal(e->fresh_until, UINT32_MAX);
  assert_int_equal(e->expires, UINT32_MAX);
  assert_null(daemon_cache_get(&c, "a.example", UINT32_MAX));
  put(&c, "b.example", "x", (uint64_t)UINT32_MAX + 7u, 10, 20);
  assert_null(daemon_cache_get(&c, "b.example", (uint64_t)UINT32_MAX + 8u));
  assert_int_equal(c.count, 0);
  daemon_cache_free(&c);
}

typedef struct walk {
  char seen[8][16];
  size_t n, stop_after;
} walk;

static bool visit(daemon_entry *e, void *ctx) {
  walk *w = ctx;
  snprintf(w->seen[w->n++], sizeof w->seen[0], "%s", daemon_entry_domain(e));
  return w->n < w->stop_after;
}

static int by_name(const void *a, const void *b) {
  return strcmp(a, b);
}

static void test_each(void **state) {
  (void)state;
  daemon_cache c;
  assert_true(daemon_cache_init(&c, 8));
  walk w = {.stop_after = 8};
  daemon_cache_each(&c, visit, &w);
  assert_int_equal(w.n, 0);
  put(&c, "c.example", "x", 0, 10, 10);
  put(&c, "a.example", "x", 0, 10, 10);
  put(&c, "b.example", "x", 0, 10, 10);
  daemon_cache_each(&c, visit, &w);
  assert_int_equal(w.n, 3);
  qsort(w.seen, w.n, sizeof w.seen[0], by_name);
  assert_string_equal(w.seen[0], "a.example");
  assert_string_equal(w.seen[1], "b.example");
  assert_string_equal(w.seen[2], "c.example");
  walk first = {.stop_after = 2}; /* false from fn: no further entry */
  daemon_cache_each(&c, visit, &first);
  assert_int_equal(first.n, 2);
  daemon_cache_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ages),       cmocka_unit_test(test_bound),
      cmocka_unit_test(test_backoff),    cmocka_unit_test(test_packed),
      cmocka_unit_test(test_far_future), cmocka_unit_test(test_each),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
