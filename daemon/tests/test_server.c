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
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define GUARD_SECONDS 60

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
  until.tv_sec += GUARD_SECONDS;
  pthread_mutex_lock(&mu);
  while (slow_waiting < n)
    if (pthread_cond_timedwait(&cv, &mu, &until) == ETIMEDOUT)
      fail_msg("hang guard: %d slow lookups waiting, want %d", slow_waiting, n);
  pthread_mutex_unlock(&mu);
}

/* ---- the server in a thread ---- */

typedef struct fixture {
  char dir[64], path[128];
  daemon_server *s;
  pthread_t thread;
} fixture;

static void *run(void *arg) {
  daemon_server_run(arg);
  return NULL;
}

static void start(fixture *f, daemon_config *cfg) {
  snprintf(f->dir, sizeof f->dir, "/tmp/mtasts-daemon-test.XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof f->path, "%s/sock", f->dir);
  memcpy(cfg->listen, f->path, strlen(f->path) + 1);
  pthread_mutex_lock(&mu);
  gate_open = false;
  slow_waiting = calls_total = calls_slow = calls_fail = 0;
  clock_now = 1000000;
  pthread_mutex_unlock(&mu);
  daemon_hooks hooks = {NULL, fake_lookup, fake_now, NULL};
  char err[256];
  f->s = daemon_server_new(cfg, &hooks, err, sizeof err);
  if (f->s == NULL)
    fail_msg("server: %s", err);
  assert_int_equal(pthread_create(&f->thread, NULL, run, f->s), 0);
}

static void stop(fixture *f) {
  set_gate(true);
  daemon_server_stop(f->s);
  pthread_join(f->thread, NULL);
  daemon_server_free(f->s);
  unlink(f->path);
  rmdir(f->dir);
}

static void config(daemon_config *cfg) {
  daemon_config_defaults(cfg);
  cfg->workers = 4;
  cfg->pending_max = 16;
  cfg->refresh = 60;
}

static int dial(const fixture *f) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  memcpy(sun.sun_path, f->path, strlen(f->path) + 1);
  assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
  struct timeval tv = {GUARD_SECONDS, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

static void say(int fd, const char *s) {
  assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* One request for `key`. */
static void ask(int fd, const char *key) {
  char buf[600];
  snprintf(buf, sizeof buf, "%zu:tlspolicy %s,", strlen(key) + 10, key);
  say(fd, buf);
}

/* The next reply, whole: "LEN:" then LEN bytes then ",". */
static void expect(int fd, const char *want) {
  char buf[SOCKETMAP_REPLY_MAX + 16];
  size_t n = 0, need = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, 1);
    if (r <= 0)
      fail_msg("reply: %s after %zu bytes (want %s)", r == 0 ? "closed" : "hang guard", n, want);
    n++;
    if (need == 0 && buf[n - 1] == ':') {
      need = (size_t)strtoul(buf, NULL, 10) + n + 1;
    }
    if (need != 0 && n == need)
      break;
    assert_true(n < sizeof buf - 1);
  }
  buf[n] = '\0';
  char expected[SOCKETMAP_REPLY_MAX + 16];
  snprintf(expected, sizeof expected, "%zu:%s,", strlen(want), want);
  assert_string_equal(buf, expected);
}

static void expect_closed(int fd) {
  char c;
  ssize_t r = read(fd, &c, 1);
  if (r != 0)
    fail_msg("want the connection closed, got %zd (errno %d)", r, r < 0 ? errno : 0);
  close(fd);
}

#define SECURE(d) "OK secure match=mx." d " servername=hostname"

/* ---- the tests ---- */

static void test_answers(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int fd = dial(&f);
  ask(fd, "Example.COM.");
  expect(fd, SECURE("example.com"));
  /* Pipelined: answered in order; the second from the cache. */
  say(fd, "22:tlspolicy none.example,21:tlspolicy example.com,");
  expect(fd, "NOTFOUND ");
  expect(fd, SECURE("example.com"));
  /* Not a domain: no lookup. */
  ask(fd, "[192.0.2.1]:25");
  expect(fd, "NOTFOUND ");
  close(fd);
  stop(&f);
  assert_int_equal(calls_total, 2);
}

static void test_malformed(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int fd = dial(&f);
  say(fd, "03:a b,");
  expect(fd, "PERM malformed request: the netstring length is not 1-4 digits without a leading "
             "zero at byte 0");
  expect_closed(fd);
  fd = dial(&f);
  say(fd, "99999:");
  expect(fd, "PERM malformed request: the netstring length is over 1000 bytes at byte 3");
  expect_closed(fd);
  fd = dial(&f);
  ask(fd, "ok.example");
  say(fd, "5:a\tb c,");
  expect(fd, SECURE("ok.example"));
  expect(fd, "PERM malformed request: the map name is not 1-64 letters, digits, \"-\", \"_\" or "
             "\".\" at byte 3");
  expect_closed(fd);
  /* Still serving. */
  fd = dial(&f);
  ask(fd, "ok.example");
  expect(fd, SECURE("ok.example"));
  close(fd);
  stop(&f);
}

/* A half-open client and a slow policy host block no one else; the
 * clients asking for the slow domain share one lookup. */
static void test_slow_and_coalesced(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int half = dial(&f);
  say(half, "21:tlspolicy exam");
  int a = dial(&f), b = dial(&f), c = dial(&f);
  ask(a, "slow.example");
  wait_slow(1);
  ask(b, "slow.example");
  ask(c, "fast.example");
  expect(c, SECURE("fast.example"));
  ask(c, "fast.example");
  expect(c, SECURE("fast.example"));
  set_gate(true);
  expect(a, SECURE("slow.example"));
  expect(b, SECURE("slow.example"));
  close(a), close(b), close(c), close(half);
  stop(&f);
  assert_int_equal(calls_slow, 1);
  assert_int_equal(calls_total, 2);
}

/* More distinct domains than pending_max: TEMP busy, then served again. */
static void test_flood(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  cfg.workers = 1;
  cfg.pending_max = 3;
  start(&f, &cfg);
  int fds[4];
  const char *names[4] = {"slow.example", "d1.example", "d2.example", "d3.example"};
  for (int i = 0; i < 4; i++)
    fds[i] = dial(&f);
  ask(fds[0], names[0]);
  wait_slow(1);
  ask(fds[1], names[1]);
  ask(fds[2], names[2]);
  /* A round trip on a new connection: its accept comes after the two
   * requests above were readable, so the loop has read them by its reply. */
  int probe = dial(&f);
  ask(probe, "[x]");
  expect(probe, "NOTFOUND ");
  ask(fds[3], names[3]);
  expect(fds[3], "TEMP busy: too many lookups pending");
  set_gate(true);
  expect(fds[0], SECURE("slow.example"));
  expect(fds[1], SECURE("d1.example"));
  expect(fds[2], SECURE("d2.example"));
  ask(fds[3], names[3]);
  expect(fds[3], SECURE("d3.example"));
  for (int i = 0; i < 4; i++)
    close(fds[i]);
  close(probe);
  stop(&f);
}

/* Failures back off; a cached answer is refreshed in the background. */
static void test_cache_and_backoff(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int fd = dial(&f);
  ask(fd, "fail.example");
  expect(fd, "TEMP down");
  ask(fd, "fail.example"); /* within the back-off: no new lookup */
  expect(fd, "TEMP down");
  assert_int_equal(calls_fail, 1);
  pthread_mutex_lock(&mu);
  clock_now += cfg.backoff_min;
  pthread_mutex_unlock(&mu);
  ask(fd, "fail.example");
  expect(fd, "TEMP down");
  pthread_mutex_lock(&mu);
  assert_int_equal(calls_fail, 2);
  pthread_mutex_unlock(&mu);
  /* Stale after `refresh`: answered at once while a lookup refreshes it. */
  ask(fd, "slow2.example");
  set_gate(true);
  expect(fd, SECURE("slow2.example"));
  set_gate(false);
  pthread_mutex_lock(&mu);
  clock_now += cfg.refresh;
  pthread_mutex_unlock(&mu);
  ask(fd, "slow2.example");
  expect(fd, SECURE("slow2.example")); /* answered while the refresh waits at the gate */
  wait_slow(1);
  close(fd);
  stop(&f);
  assert_int_equal(calls_slow, 2);
}

/* RFC 8461 10.2: a policy in memory is refreshed once older than
 * `refresh`, with no client asking. */
static void test_proactive_refresh(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int fd = dial(&f);
  set_gate(true);
  ask(fd, "slow3.example");
  expect(fd, SECURE("slow3.example"));
  ask(fd, "none.example"); /* NOTFOUND answers are not refreshed */
  expect(fd, "NOTFOUND ");
  set_gate(false);
  pthread_mutex_lock(&mu);
  clock_now += cfg.refresh;
  pthread_mutex_unlock(&mu);
  daemon_server_refresh_now(f.s);
  wait_slow(1);
  close(fd);
  stop(&f);
  assert_int_equal(calls_slow, 2);
}

/* SIGTERM drains: a client waiting for a lookup still gets its answer. A
 * client that leaves while waiting costs nothing. */
static void test_drain(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int gone = dial(&f), a = dial(&f);
  ask(gone, "slow1.example");
  ask(a, "slow.example");
  wait_slow(2);
  close(gone);
  daemon_server_stop(f.s);
  set_gate(true);
  expect(a, SECURE("slow.example"));
  expect_closed(a);
  pthread_join(f.thread, NULL);
  daemon_server_free(f.s);
  unlink(f.path);
  rmdir(f.dir);
}

/* Past clients_max a connection is closed at once. */
static void test_clients_max(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  cfg.clients_max = 2;
  start(&f, &cfg);
  int a = dial(&f), b = dial(&f);
  ask(a, "a.example");
  expect(a, SECURE("a.example"));
  ask(b, "b.example");
  expect(b, SECURE("b.example"));
  int c = dial(&f);
  expect_closed(c);
  ask(a, "a.example");
  expect(a, SECURE("a.example"));
  close(a), close(b);
  stop(&f);
}

/* A client silent in the middle of a request is closed after
 * client_timeout (1 s here; the hang guard is 60 s). */
static void test_client_timeout(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  cfg.client_timeout = 1;
  start(&f, &cfg);
  int a = dial(&f);
  say(a, "21:tlspolicy");
  expect_closed(a);
  stop(&f);
}

/* Garbage from 200 clients (a deterministic pseudo-random stream each):
 * every one gets a PERM, a NOTFOUND or nothing, then is closed or left;
 * the daemon keeps serving. */
static void test_garbage(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  static const char alphabet[] = "0123456789:, abc.[]\r\n\t\x00\xff";
  uint32_t seed = 20261207;
  for (int i = 0; i < 200; i++) {
    char buf[64];
    size_t len = 1 + (size_t)i % (sizeof buf - 1);
    for (size_t k = 0; k < len; k++) {
      seed = seed * 1103515245u + 12345u;
      buf[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    int fd = dial(&f);
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    close(fd);
  }
  int fd = dial(&f);
  ask(fd, "after.example");
  expect(fd, SECURE("after.example"));
  close(fd);
  stop(&f);
}

/* Requests for example.com, written by a thread of their own: the writes
 * block once the daemon stops reading a client that does not read. */
#define UNREAD_REQUESTS 4000
static void *write_requests(void *arg) {
  int fd = *(const int *)arg;
  for (int i = 0; i < UNREAD_REQUESTS; i++)
    ask(fd, "example.com");
  return NULL;
}

/* A client that reads none of its replies: they fill the socket, then
 * the queue of its bufferevent (replies are sent on the socket directly
 * only while nothing is queued), then the daemon stops reading it.
 * Another client is served meanwhile; once read, every reply is there,
 * whole and in order. */
static void test_unread_replies(void **state) {
  (void)state;
  fixture f;
  daemon_config cfg;
  config(&cfg);
  start(&f, &cfg);
  int fd = dial(&f), other = dial(&f);
  struct timeval tv = {GUARD_SECONDS, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ask(fd, "example.com");
  expect(fd, SECURE("example.com")); /* in the cache from here on */
  pthread_t writer;
  assert_int_equal(pthread_create(&writer, NULL, write_requests, &fd), 0);
  ask(other, "other.example");
  expect(other, SECURE("other.example"));
  for (int i = 0; i < UNREAD_REQUESTS; i++)
    expect(fd, SECURE("example.com"));
  pthread_join(writer, NULL);
  ask(other, "example.com");
  expect(other, SECURE("example.com"));
  close(fd);
  close(other);
  stop(&f);
  assert_int_equal(calls_total, 2);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN); /* as mtasts-daemon's main: a client that left */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_answers),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_slow_and_coalesced),
      cmocka_unit_test(test_flood),
      cmocka_unit_test(test_cache_and_backoff),
      cmocka_unit_test(test_proactive_refresh),
      cmocka_unit_test(test_drain),
      cmocka_unit_test(test_clients_max),
      cmocka_unit_test(test_client_timeout),
      cmocka_unit_test(test_garbage),
      cmocka_unit_test(test_unread_replies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
