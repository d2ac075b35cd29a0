/*
 * test_server.c - mtasts-daemon's fault tests over a Unix socket
 * (daemon/src/server.c) with an injected lookup and clock: no network.
 * A slow policy host is a lookup that waits on a gate the test opens, so
 * nothing depends on timing: every wait has a hang guard (a receive
 * timeout of 60 s that fails the test), never a speed bound.
 */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "daemon_testutil.h"
#include "server.h"

/* ---- the world: a lookup with a gate and counts, a clock ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool gate_open;
static int slow_waiting; /* lookups of slow*.example waiting at the gate */
static int calls_total, calls_slow, calls_fail;
static uint64_t clock_now = 1000000;

static void fake_lookup(void *ctx, const char *domain, const daemon_config *cfg,
                        daemon_lookup_result *out) {
  (void)ctx, (void)cfg;
  pthread_mutex_lock(&mu);
  calls_total++;
  if (strncmp(domain, "slow", 4) == 0) {
    calls_slow++;
    slow_waiting++;
    pthread_cond_broadcast(&cv);
    while (!gate_open)
      pthread_cond_wait(&cv, &mu);
    slow_waiting--;
  }
  if (strcmp(domain, "fail.example") == 0)
    calls_fail++;
  pthread_mutex_unlock(&mu);
  if (strcmp(domain, "fail.example") == 0) {
    out->status = SOCKETMAP_TEMP;
    out->len = (size_t)snprintf(out->data, sizeof out->data, "down");
  } else if (strcmp(domain, "none.example") == 0) {
    out->status = SOCKETMAP_NOTFOUND;
  } else {
    out->status = SOCKETMAP_OK;
    out->len = (size_t)snprintf(out->data, sizeof out->data,
                                "secure match=mx.%s servername=hostname", domain);
    out->keep_for = 86400;
  }
}

static uint64_t fake_now(void *ctx) {
  (void)ctx;
  pthread_mutex_lock(&mu);
  uint64_t t = clock_now;
  pthread_mutex_unlock(&mu);
  return t;
}

/* The fake clock moves on by `seconds`. */
static void advance(uint64_t seconds) {
  pthread_mutex_lock(&mu);
  clock_now += seconds;
  pthread_mutex_unlock(&mu);
}

/* A count, read under the lock the lookups write it under. */
static int count(const int *counter) {
  pthread_mutex_lock(&mu);
  int n = *counter;
  pthread_mutex_unlock(&mu);
  return n;
}

static void set_gate(bool open) {
  pthread_mutex_lock(&mu);
  gate_open = open;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}

/* Wait (hang guard) until n lookups wait at the gate. */
static void wait_slow(int n) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += DAEMON_TEST_GUARD_SECONDS;
  pthread_mutex_lock(&mu);
  while (slow_waiting < n)
    if (pthread_cond_timedwait(&cv, &mu, &until) == ETIMEDOUT)
      fail_msg("hang guard: %d slow lookups waiting, want %d", slow_waiting, n);
  pthread_mutex_unlock(&mu);
}

/* ---- the server in a thread, one a test (cmocka's setup/teardown) ---- */

typedef struct fixture {
  char dir[64], path[128];
  daemon_config cfg;
  daemon_server *s;
  pthread_t thread;
  bool stopped;
} fixture;

/* What a test changes in the configuration, its prestate (0: unchanged). */
typedef struct tweak {
  unsigned workers, pending_max, clients_max, client_timeout;
} tweak;

static fixture the_fixture; /* cmocka runs one test at a time */

static void *run(void *arg) {
  daemon_server_run(arg);
  return NULL;
}

static void configure(daemon_config *cfg, const tweak *t) {
  daemon_config_defaults(cfg);
  cfg->workers = t != NULL && t->workers != 0 ? t->workers : 4;
  cfg->pending_max = t != NULL && t->pending_max != 0 ? t->pending_max : 16;
  cfg->refresh = 60;
  if (t != NULL && t->clients_max != 0)
    cfg->clients_max = t->clients_max;
  if (t != NULL && t->client_timeout != 0)
    cfg->client_timeout = t->client_timeout;
}

/* A server on a socket in a new directory, the world reset. */
static int setup(void **state) {
  fixture *f = &the_fixture;
  memset(f, 0, sizeof *f);
  configure(&f->cfg, *state);
  snprintf(f->dir, sizeof f->dir, "/tmp/mtasts-daemon-test.XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof f->path, "%.63s/sock", f->dir);
  memcpy(f->cfg.listen, f->path, strlen(f->path) + 1);
  pthread_mutex_lock(&mu);
  gate_open = false;
  slow_waiting = calls_total = calls_slow = calls_fail = 0;
  clock_now = 1000000;
  pthread_mutex_unlock(&mu);
  daemon_hooks hooks = {NULL, fake_lookup, fake_now, NULL};
  char err[256];
  f->s = daemon_server_new(&f->cfg, &hooks, err, sizeof err);
  if (f->s == NULL)
    fail_msg("server: %s", err);
  assert_int_equal(pthread_create(&f->thread, NULL, run, f->s), 0);
  *state = f;
  return 0;
}

/* Stopped, its lookups let through first; the counts are final after. */
static void stop(fixture *f) {
  set_gate(true);
  daemon_server_stop(f->s);
  pthread_join(f->thread, NULL);
  daemon_server_free(f->s);
  unlink(f->path);
  rmdir(f->dir);
  f->stopped = true;
}

static int teardown(void **state) {
  fixture *f = *state;
  if (!f->stopped)
    stop(f);
  return 0;
}

static int dial(const fixture *f) {
  return daemon_test_dial(f->path);
}

/* The answer of fake_lookup for `domain` (lower case, no final dot). */
static void expect_secure(int fd, const char *domain) {
  char want[300];
  snprintf(want, sizeof want, "OK secure match=mx.%s servername=hostname", domain);
  daemon_test_expect(fd, want);
}

/* One request for `domain` and its answer. */
static void ask_secure(int fd, const char *domain) {
  daemon_test_ask(fd, domain);
  expect_secure(fd, domain);
}

static void expect_closed(int fd) {
  char c;
  ssize_t r = read(fd, &c, 1);
  if (r != 0)
    fail_msg("want the connection closed, got %zd (errno %d)", r, r < 0 ? errno : 0);
  close(fd);
}

/* ---- the tests ---- */

static void test_answers(void **state) {
  fixture *f = *state;
  int fd = dial(f);
  daemon_test_ask(fd, "Example.COM.");
  expect_secure(fd, "example.com");
  /* Pipelined: answered in order; the second from the cache. */
  daemon_test_say(fd, "22:tlspolicy none.example,21:tlspolicy example.com,");
  daemon_test_expect(fd, "NOTFOUND ");
  expect_secure(fd, "example.com");
  /* Not a domain: no lookup. */
  daemon_test_ask(fd, "[192.0.2.1]:25");
  daemon_test_expect(fd, "NOTFOUND ");
  close(fd);
  stop(f);
  assert_int_equal(count(&calls_total), 2);
}

/* A malformed request gets its PERM, then the connection is closed; one
 * good request before it (`first`) is answered first. */
static void test_malformed(void **state) {
  fixture *f = *state;
  static const struct {
    const char *first, *request, *reply;
  } cases[] = {
      {NULL, "03:a b,",
       "PERM malformed request: the netstring length is not 1-4 digits without a leading "
       "zero at byte 0"},
      {NULL, "99999:", "PERM malformed request: the netstring length is over 1000 bytes at byte 3"},
      {"ok.example", "5:a\tb c,",
       "PERM malformed request: the map name is not 1-64 letters, digits, \"-\", \"_\" or "
       "\".\" at byte 3"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int fd = dial(f);
    if (cases[i].first != NULL)
      daemon_test_ask(fd, cases[i].first);
    daemon_test_say(fd, cases[i].request);
    if (cases[i].first != NULL)
      expect_secure(fd, cases[i].first);
    daemon_test_expect(fd, cases[i].reply);
    expect_closed(fd);
  }
  /* Still serving. */
  int fd = dial(f);
  ask_secure(fd, "ok.example");
  close(fd);
}

/* A half-open client and a slow policy host block no one else; the
 * clients asking for the slow domain share one lookup. */
static void test_slow_and_coalesced(void **state) {
  fixture *f = *state;
  int half = dial(f);
  daemon_test_say(half, "21:tlspolicy exam");
  int a = dial(f), b = dial(f), c = dial(f);
  daemon_test_ask(a, "slow.example");
  wait_slow(1);
  daemon_test_ask(b, "slow.example");
  ask_secure(c, "fast.example");
  ask_secure(c, "fast.example");
  set_gate(true);
  expect_secure(a, "slow.example");
  expect_secure(b, "slow.example");
  close(a), close(b), close(c), close(half);
  stop(f);
  assert_int_equal(count(&calls_slow), 1);
  assert_int_equal(count(&calls_total), 2);
}

/* More distinct domains than pending_max: TEMP busy, then served again. */
static void test_flood(void **state) {
  fixture *f = *state;
  int fds[4];
  const char *names[4] = {"slow.example", "d1.example", "d2.example", "d3.example"};
  for (int i = 0; i < 4; i++)
    fds[i] = dial(f);
  daemon_test_ask(fds[0], names[0]);
  wait_slow(1);
  daemon_test_ask(fds[1], names[1]);
  daemon_test_ask(fds[2], names[2]);
  /* A round trip on a new connection: its accept comes after the two
   * requests above were readable, so the loop has read them by its reply. */
  int probe = dial(f);
  daemon_test_ask(probe, "[x]");
  daemon_test_expect(probe, "NOTFOUND ");
  daemon_test_ask(fds[3], names[3]);
  daemon_test_expect(fds[3], "TEMP busy: too many lookups pending");
  set_gate(true);
  for (int i = 0; i < 3; i++)
    expect_secure(fds[i], names[i]);
  ask_secure(fds[3], names[3]);
  for (int i = 0; i < 4; i++)
    close(fds[i]);
  close(probe);
}

/* Failures back off; a cached answer is refreshed in the background. */
static void test_cache_and_backoff(void **state) {
  fixture *f = *state;
  int fd = dial(f);
  daemon_test_ask(fd, "fail.example");
  daemon_test_expect(fd, "TEMP down");
  daemon_test_ask(fd, "fail.example"); /* within the back-off: no new lookup */
  daemon_test_expect(fd, "TEMP down");
  assert_int_equal(count(&calls_fail), 1);
  advance(f->cfg.backoff_min);
  daemon_test_ask(fd, "fail.example");
  daemon_test_expect(fd, "TEMP down");
  assert_int_equal(count(&calls_fail), 2);
  /* Stale after `refresh`: answered at once while a lookup refreshes it. */
  daemon_test_ask(fd, "slow2.example");
  set_gate(true);
  expect_secure(fd, "slow2.example");
  set_gate(false);
  advance(f->cfg.refresh);
  ask_secure(fd, "slow2.example"); /* answered while the refresh waits at the gate */
  wait_slow(1);
  close(fd);
  stop(f);
  assert_int_equal(count(&calls_slow), 2);
}

/* RFC 8461 10.2: a policy in memory is refreshed once older than
 * `refresh`, with no client asking. */
static void test_proactive_refresh(void **state) {
  fixture *f = *state;
  int fd = dial(f);
  set_gate(true);
  ask_secure(fd, "slow3.example");
  daemon_test_ask(fd, "none.example"); /* NOTFOUND answers are not refreshed */
  daemon_test_expect(fd, "NOTFOUND ");
  set_gate(false);
  advance(f->cfg.refresh);
  daemon_server_refresh_now(f->s);
  wait_slow(1);
  close(fd);
  stop(f);
  assert_int_equal(count(&calls_slow), 2);
}

/* SIGTERM drains: a client waiting for a lookup still gets its answer. A
 * client that leaves while waiting costs nothing. */
static void test_drain(void **state) {
  fixture *f = *state;
  int gone = dial(f), a = dial(f);
  daemon_test_ask(gone, "slow1.example");
  daemon_test_ask(a, "slow.example");
  wait_slow(2);
  close(gone);
  daemon_server_stop(f->s); /* before the gate opens: the lookups are in flight */
  set_gate(true);
  expect_secure(a, "slow.example");
  expect_closed(a);
}

/* Past clients_max a connection is closed at once. */
static void test_clients_max(void **state) {
  fixture *f = *state;
  int a = dial(f), b = dial(f);
  ask_secure(a, "a.example");
  ask_secure(b, "b.example");
  int c = dial(f);
  expect_closed(c);
  ask_secure(a, "a.example");
  close(a), close(b);
}

/* A client silent in the middle of a request is closed after
 * client_timeout (1 s here; the hang guard is 60 s). */
static void test_client_timeout(void **state) {
  fixture *f = *state;
  int a = dial(f);
  daemon_test_say(a, "21:tlspolicy");
  expect_closed(a);
}

/* Garbage from 200 clients (a deterministic pseudo-random stream each):
 * every one gets a PERM, a NOTFOUND or nothing, then is closed or left;
 * the daemon keeps serving. */
static void test_garbage(void **state) {
  fixture *f = *state;
  static const char alphabet[] = "0123456789:, abc.[]\r\n\t\x00\xff";
  uint32_t seed = 20261207;
  for (int i = 0; i < 200; i++) {
    char buf[64];
    size_t len = 1 + (size_t)i % (sizeof buf - 1);
    for (size_t k = 0; k < len; k++) {
      seed = seed * 1103515245u + 12345u;
      buf[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    int fd = dial(f);
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    close(fd);
  }
  int fd = dial(f);
  ask_secure(fd, "after.example");
  close(fd);
}

/* Requests for example.com, written by a thread of their own: the writes
 * block once the daemon stops reading a client that does not read. */
#define UNREAD_REQUESTS 4000
static void *write_requests(void *arg) {
  int fd = *(const int *)arg;
  for (int i = 0; i < UNREAD_REQUESTS; i++)
    daemon_test_ask(fd, "example.com");
  return NULL;
}

/* A client that reads none of its replies: they fill the socket, then
 * its queue in the daemon (replies are sent on the socket directly
 * only while nothing is queued), then the daemon stops reading it.
 * Another client is served meanwhile; once read, every reply is there,
 * whole and in order. */
static void test_unread_replies(void **state) {
  fixture *f = *state;
  int fd = dial(f), other = dial(f);
  struct timeval tv = {DAEMON_TEST_GUARD_SECONDS, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ask_secure(fd, "example.com"); /* in the cache from here on */
  pthread_t writer;
  assert_int_equal(pthread_create(&writer, NULL, write_requests, &fd), 0);
  ask_secure(other, "other.example");
  for (int i = 0; i < UNREAD_REQUESTS; i++)
    expect_secure(fd, "example.com");
  pthread_join(writer, NULL);
  ask_secure(other, "example.com");
  close(fd);
  close(other);
  stop(f);
  assert_int_equal(count(&calls_total), 2);
}

/* Each test on a server of its own, configured by its tweak. */
#define TEST(f, tweak) cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, tweak)

int main(void) {
  signal(SIGPIPE, SIG_IGN); /* as mtasts-daemon's main: a client that left */
  static tweak flood = {.workers = 1, .pending_max = 3};
  static tweak clients_max = {.clients_max = 2};
  static tweak client_timeout = {.client_timeout = 1};
  const struct CMUnitTest tests[] = {
      TEST(test_answers, NULL),
      TEST(test_malformed, NULL),
      TEST(test_slow_and_coalesced, NULL),
      TEST(test_flood, &flood),
      TEST(test_cache_and_backoff, NULL),
      TEST(test_proactive_refresh, NULL),
      TEST(test_drain, NULL),
      TEST(test_clients_max, &clients_max),
      TEST(test_client_timeout, &client_timeout),
      TEST(test_garbage, NULL),
      TEST(test_unread_replies, NULL),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
