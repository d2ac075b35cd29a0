/*
 * test_redis.c - mtasts-daemon's shared cache (daemon/src/redis.c)
 * against a real redis-server, started by the test on a Unix socket in a
 * temporary directory: two daemons sharing one Redis (the second answers
 * without a fetch), Redis killed mid-run (answers go on from the disk
 * cache and fetches; one outage logged; back-off; Redis back), garbage
 * values (ignored, refetched, overwritten), a Redis that never answers or
 * answers garbage. The daemons are real servers over their sockets, the
 * resolver real, its world (clock, DNS, HTTPS) the test's: no network,
 * and no timing (every wait has a hang guard, never a speed bound).
 * Without redis-server the Redis tests are skipped (exit 77), except
 * under CI=true, where that fails.
 */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "config.h"
#include "daemon_testutil.h"
#include "lookup.h"
#include "mtasts_resolver.h"
#include "redis.h"
#include "server.h"

#define T0 1000000u
#define BODY                                                                                       \
  "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n"
#define ANSWER "OK secure match=mail.example.com:.example.net servername=hostname"

/* ---- a world per daemon: clock, one TXT record, one policy host ---- */

typedef struct world {
  pthread_mutex_t mu;
  uint64_t now;
  int queries, fetches;
} world;

static uint64_t world_now(void *ctx) {
  world *w = ctx;
  pthread_mutex_lock(&w->mu);
  uint64_t t = w->now;
  pthread_mutex_unlock(&w->mu);
  return t;
}

static void put16(unsigned char *b, size_t *n, unsigned v) {
  b[(*n)++] = (unsigned char)(v >> 8);
  b[(*n)++] = (unsigned char)v;
}

/* Every _mta-sts name has the TXT record "v=STSv1; id=1;". */
static dns_outcome world_query(void *ctx, const char *name, unsigned char *answer, size_t cap,
                               size_t *len, char *err, size_t errlen) {
  world *w = ctx;
  (void)name, (void)err, (void)errlen;
  static const char txt[] = "v=STSv1; id=1;";
  static const unsigned words[] = {0x1234, 0x8180, 1, 1, 0, 0};
  size_t n = 0, t = sizeof txt - 1;
  assert_true(cap > 64);
  for (size_t i = 0; i < 6; i++)
    put16(answer, &n, words[i]);
  memcpy(answer + n, "\x01x\0", 3); /* the question; the answer points to it */
  n += 3;
  static const unsigned rest[] = {16, 1, 0xc00c, 16, 1, 0, 300};
  for (size_t i = 0; i < 7; i++)
    put16(answer, &n, rest[i]);
  put16(answer, &n, (unsigned)t + 1);
  answer[n++] = (unsigned char)t;
  memcpy(answer + n, txt, t);
  *len = n + t;
  pthread_mutex_lock(&w->mu);
  w->queries++;
  pthread_mutex_unlock(&w->mu);
  return DNS_ANSWER;
}

static https_status world_get(void *ctx, const https_request *req, http_reader *reader,
                              https_result *out) {
  world *w = ctx;
  (void)req;
  static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" BODY;
  pthread_mutex_lock(&w->mu);
  w->fetches++;
  pthread_mutex_unlock(&w->mu);
  memset(out, 0, sizeof *out);
  out->status = HTTPS_OK;
  http_parse_response(reader, response, sizeof response - 1);
  return HTTPS_OK;
}

static void world_counts(world *w, int queries, int fetches) {
  pthread_mutex_lock(&w->mu);
  int q = w->queries, f = w->fetches;
  pthread_mutex_unlock(&w->mu);
  assert_int_equal(q, queries);
  assert_int_equal(f, fetches);
}

/* ---- redis-server on a Unix socket in a temporary directory ---- */

typedef struct redis_proc {
  char dir[64], sock[128], addr[140];
  pid_t pid;
} redis_proc;

static bool redis_installed(void) {
  const char *path = getenv("PATH");
  char dir[4096], file[4200];
  for (const char *p = path != NULL ? path : "/usr/bin"; *p != '\0';) {
    size_t n = strcspn(p, ":");
    snprintf(dir, sizeof dir, "%.*s", (int)n, p);
    snprintf(file, sizeof file, "%s/redis-server", dir);
    if (access(file, X_OK) == 0)
      return true;
    p += n + (p[n] == ':');
  }
  return false;
}

static redisContext *redis_client(const redis_proc *rp) {
  struct timeval tv = {DAEMON_TEST_GUARD_SECONDS, 0};
  redisContext *c = redisConnectUnixWithTimeout(rp->sock, tv);
  if (c != NULL && c->err == 0 && redisSetTimeout(c, tv) == REDIS_OK)
    return c;
  if (c != NULL)
    redisFree(c);
  return NULL;
}

/* Start it (in rp->dir, made once) and wait for a PONG (hang guard). */
static void redis_start(redis_proc *rp) {
  if (rp->dir[0] == '\0') {
    snprintf(rp->dir, sizeof rp->dir, "/tmp/mtasts-redis-test.XXXXXX");
    assert_non_null(mkdtemp(rp->dir));
    snprintf(rp->sock, sizeof rp->sock, "%s/redis.sock", rp->dir);
    snprintf(rp->addr, sizeof rp->addr, "unix:%s", rp->sock);
  }
  rp->pid = fork();
  assert_true(rp->pid >= 0);
  if (rp->pid == 0) {
    /* It dies with the test, and holds none of its output open. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execlp("redis-server", "redis-server", "--port", "0", "--unixsocket", rp->sock,
           "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir", rp->dir,
           "--loglevel", "warning", (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < DAEMON_TEST_GUARD_SECONDS * 20; i++) {
    redisContext *c = redis_client(rp);
    redisReply *rep = c != NULL ? redisCommand(c, "PING") : NULL;
    bool up = rep != NULL && rep->type == REDIS_REPLY_STATUS;
    if (rep != NULL)
      freeReplyObject(rep);
    if (c != NULL)
      redisFree(c);
    if (up)
      return;
    assert_int_equal(waitpid(rp->pid, NULL, WNOHANG), 0); /* it did not exit */
    nanosleep(&(struct timespec){0, 50000000}, NULL);
  }
  fail_msg("hang guard: redis-server did not answer PING");
}

static void redis_kill(redis_proc *rp) {
  kill(rp->pid, SIGKILL);
  assert_int_equal(waitpid(rp->pid, NULL, 0), rp->pid);
  unlink(rp->sock);
}

static void redis_remove(redis_proc *rp) {
  redis_kill(rp);
  rmdir(rp->dir);
}

/* One command's string or integer reply ("" for nil), through a client
 * of its own. */
static void redis_do(const redis_proc *rp, char *out, size_t cap, const char *fmt, ...) {
  redisContext *c = redis_client(rp);
  assert_non_null(c);
  va_list ap;
  va_start(ap, fmt);
  redisReply *rep = redisvCommand(c, fmt, ap);
  va_end(ap);
  assert_non_null(rep);
  assert_int_not_equal(rep->type, REDIS_REPLY_ERROR);
  if (rep->type == REDIS_REPLY_INTEGER)
    snprintf(out, cap, "%lld", rep->integer);
  else
    snprintf(out, cap, "%.*s",
             rep->type == REDIS_REPLY_STRING || rep->type == REDIS_REPLY_STATUS ? (int)rep->len : 0,
             rep->str != NULL ? rep->str : "");
  freeReplyObject(rep);
  redisFree(c);
}

/* ---- a daemon: the server, the shared cache, the resolver, a world ---- */

typedef struct daemon {
  char dir[64], sock[128], cache[128];
  world w;
  mtasts_resolver_io io;
  daemon_redis *shared;
  daemon_server *s;
  pthread_t thread;
} daemon;

static void *serve(void *arg) {
  daemon_server_run(arg);
  return NULL;
}

/* The server's hooks: the shared cache's lookup, the world's clock (the
 * resolver's and the shared cache's too). */
static void daemon_lookup(void *ctx, const char *domain, const daemon_config *cfg,
                          daemon_lookup_result *out) {
  daemon_redis_lookup(((daemon *)ctx)->shared, domain, cfg, out);
}

static uint64_t daemon_now(void *ctx) {
  return world_now(&((daemon *)ctx)->w);
}

/* A new daemon, or with `restart` the same again: its directory, disk
 * cache and world kept, its memory and shared-cache state new. */
static void daemon_start(daemon *d, const char *redis_addr, bool restart) {
  if (!restart) {
    memset(d, 0, sizeof *d);
    snprintf(d->dir, sizeof d->dir, "/tmp/mtasts-daemon-redis.XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    snprintf(d->sock, sizeof d->sock, "%s/sock", d->dir);
    snprintf(d->cache, sizeof d->cache, "%s/cache", d->dir);
    pthread_mutex_init(&d->w.mu, NULL);
    d->w.now = T0;
  }
  d->io = (mtasts_resolver_io){&d->w, world_now, world_query, world_get, NULL};
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  cfg.workers = 2;
  cfg.pending_max = 8;
  snprintf(cfg.listen, sizeof cfg.listen, "%s", d->sock);
  snprintf(cfg.cache_dir, sizeof cfg.cache_dir, "%s", d->cache);
  snprintf(cfg.redis, sizeof cfg.redis, "%s", redis_addr);
  d->shared = daemon_redis_new(daemon_lookup_resolver, &d->io, world_now, &d->w);
  assert_non_null(d->shared);
  daemon_hooks hooks = {d, daemon_lookup, daemon_now, NULL};
  char err[256];
  d->s = daemon_server_new(&cfg, &hooks, err, sizeof err);
  if (d->s == NULL)
    fail_msg("server: %s", err);
  assert_int_equal(pthread_create(&d->thread, NULL, serve, d->s), 0);
}

static void daemon_stop(daemon *d) {
  daemon_server_stop(d->s);
  pthread_join(d->thread, NULL);
  daemon_server_free(d->s);
  daemon_redis_free(d->shared);
}

static void daemon_remove(daemon *d) {
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->dir);
  assert_int_equal(system(cmd), 0);
  pthread_mutex_destroy(&d->w.mu);
}

static void stats_are(daemon *d, daemon_redis_stats want) {
  daemon_redis_stats got;
  daemon_redis_stats_get(d->shared, &got);
  assert_int_equal(got.connects, want.connects);
  assert_int_equal(got.outages, want.outages);
  assert_int_equal(got.seeded, want.seeded);
  assert_int_equal(got.ignored, want.ignored);
  assert_int_equal(got.written, want.written);
}

/* Ask the daemon for `domain` on a connection of its own; the reply. */
static void ask(const daemon *d, const char *domain, const char *want) {
  int fd = daemon_test_dial(d->sock);
  daemon_test_ask(fd, domain);
  daemon_test_expect(fd, want);
  close(fd);
}

/* `ask`, then what it cost: the world's counts and, unless NULL, the
 * shared cache's. */
static void step(daemon *d, const char *domain, const char *want, int queries, int fetches,
                 const daemon_redis_stats *stats) {
  ask(d, domain, want);
  world_counts(&d->w, queries, fetches);
  if (stats != NULL)
    stats_are(d, *stats);
}

static void set_now(daemon *d, uint64_t t) {
  pthread_mutex_lock(&d->w.mu);
  d->w.now = t;
  pthread_mutex_unlock(&d->w.mu);
}

/* The value Redis holds for example.com parses as its policy. */
static void shared_policy_is_valid(const redis_proc *rp, const char *key, uint64_t now) {
  static char value[CACHE_FILE_MAX + 1];
  redis_do(rp, value, sizeof value, "GET %s", key);
  cache_record rec;
  const char *domain = strchr(key, ':') + 1;
  const char *why = daemon_redis_check(value, strlen(value), domain, now, &rec);
  if (why != NULL)
    fail_msg("%s: %s", key, why);
}

/* A cache record of `domain` as Redis would hold it. */
static size_t record(char *out, size_t cap, const char *domain, uint64_t fetched_at,
                     uint64_t max_age, const char *body) {
  cache_record rec = {.domain = {domain, strlen(domain)},
                      .has_policy = true,
                      .id = {"1", 1},
                      .fetched_at = fetched_at,
                      .max_age = max_age,
                      .mode = MTASTS_MODE_ENFORCE,
                      .body = {body, strlen(body)}};
  size_t n = cache_format(&rec, out, cap);
  assert_true(n > 0 && n < cap);
  out[n] = '\0';
  return n;
}

/* ---- the tests ---- */

static bool have_redis;

static void test_addresses_and_config(void **state) {
  (void)state;
  static const char *const good[] = {"unix:/run/redis/redis.sock", "127.0.0.1:6379",
                                     "redis.example:6379", "[::1]:6379"};
  static const char *const bad[] = {"unix:redis.sock", "127.0.0.1", ":6379",     "host:0",
                                    "host:65536",      "::1:6379",  "host:63a9", "[::1]6379"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    assert_null(daemon_redis_address_error(good[i]));
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_non_null(daemon_redis_address_error(bad[i]));
  daemon_config c;
  char err[256];
  daemon_config_defaults(&c);
  assert_string_equal(c.redis, "");
  assert_string_equal(c.redis_prefix, "mtasts:");
  assert_int_equal(c.redis_timeout, 1);
  static const char ok[] = "cache_dir = /var/lib/x\nredis = unix:/run/r.sock\n"
                           "redis_prefix = fleet1:\nredis_timeout = 5\n";
  assert_true(daemon_config_parse(ok, sizeof ok - 1, &c, err, sizeof err));
  assert_string_equal(c.redis, "unix:/run/r.sock");
  assert_string_equal(c.redis_prefix, "fleet1:");
  assert_int_equal(c.redis_timeout, 5);
  static const struct {
    const char *text, *err;
  } wrong[] = {
      {"cache_dir = /c\nredis = localhost\n",
       "2: not unix:/PATH nor HOST:PORT (a port of 1-65535)"},
      {"redis_timeout = 0\n", "1: not a number in range"},
      {"cache_dir =\nredis = 127.0.0.1:6379\n",
       "redis needs cache_dir (Redis shares what the disk cache keeps)"},
  };
  for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
    daemon_config_defaults(&c);
    assert_false(daemon_config_parse(wrong[i].text, strlen(wrong[i].text), &c, err, sizeof err));
    assert_string_equal(err, wrong[i].err);
  }
}

/* A value is read whole and trusted in nothing: each way it can be
 * wrong has its sentence. */
static void test_values(void **state) {
  (void)state;
  static char v[CACHE_FILE_MAX + 2];
  cache_record rec;
  size_t n = record(v, sizeof v, "example.com", T0, 86400, BODY);
  assert_null(daemon_redis_check(v, n, "example.com", T0 + 86399, &rec));
  assert_int_equal(rec.fetched_at, T0);
  assert_null(daemon_redis_check(v, n, "example.com", T0 - 300, &rec)); /* clocks differ */
  static const struct {
    const char *domain;
    uint64_t fetched_at, max_age, now;
    const char *body, *why;
  } cases[] = {
      {"example.com", T0, 86400, T0 + 86400, BODY, "expired"},
      {"example.com", T0, 86400, T0 - 301, BODY, "fetched in the future"},
      {"example.org", T0, 86400, T0, BODY, "a record of another domain"},
      {"example.com", T0, 600, T0, BODY, "the mode or max_age is not the policy body's"},
      {"example.com", T0, 86400, T0, "version: STSv1\nmode: enforce\nmx: a..b\nmax_age: 86400\n",
       "the policy body does not parse"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    n = record(v, sizeof v, cases[i].domain, cases[i].fetched_at, cases[i].max_age, cases[i].body);
    const char *why = daemon_redis_check(v, n, "example.com", cases[i].now, &rec);
    assert_non_null(why);
    assert_string_equal(why, cases[i].why);
  }
  n = record(v, sizeof v, "example.com", T0, 86400, BODY);
  for (size_t cut = 0; cut < n; cut++) /* every truncation */
    assert_string_equal(daemon_redis_check(v, cut, "example.com", T0, &rec), "not a cache record");
  static const char failure[] = "failure-id: 1\nfailure-at: 5\nend\n";
  memcpy(v + n - 4, failure, sizeof failure - 1);
  assert_string_equal(daemon_redis_check(v, n - 4 + sizeof failure - 1, "example.com", T0, &rec),
                      "not a policy alone");
  memset(v, 'x', sizeof v);
  assert_string_equal(daemon_redis_check(v, CACHE_FILE_MAX + 1, "example.com", T0, &rec),
                      "longer than a cache record can be");
}

/* A redis-server of the test's own; without one the test is skipped. */
static void redis_begin(redis_proc *rp) {
  if (!have_redis)
    skip();
  memset(rp, 0, sizeof *rp);
  redis_start(rp);
}

/* A redis-server of the test's own and a new daemon sharing it. */
static void redis_and_daemon(redis_proc *rp, daemon *d) {
  redis_begin(rp);
  daemon_start(d, rp->addr, false);
}

/* The daemon stopped and its directory removed. */
static void daemon_end(daemon *d) {
  daemon_stop(d);
  daemon_remove(d);
}

/* Two daemons, one Redis: the second answers without a fetch. */
static void test_two_daemons(void **state) {
  (void)state;
  redis_proc rp;
  daemon a, b;
  redis_and_daemon(&rp, &a);
  daemon_start(&b, rp.addr, false);
  step(&a, "example.com", ANSWER, 1, 1,
       &(daemon_redis_stats){.dials = 1, .connects = 1, .written = 1});
  shared_policy_is_valid(&rp, "mtasts:example.com", T0);
  step(&b, "example.com", ANSWER, 1, 0, /* the TXT lookup, no fetch */
       &(daemon_redis_stats){.dials = 1, .connects = 1, .seeded = 1});
  step(&b, "Example.COM.", ANSWER, 1, 0, NULL); /* from memory */
  daemon_end(&a);
  daemon_end(&b);
  redis_remove(&rp);
}

/* Redis killed mid-run: the answers go on from the disk cache and from
 * fetches, the outage is logged once, no connection is tried during the
 * back-off, and Redis is used again once back. */
static void test_redis_killed(void **state) {
  (void)state;
  redis_proc rp;
  daemon a;
  redis_and_daemon(&rp, &a);
  step(&a, "one.example", ANSWER, 1, 1, NULL);
  redis_kill(&rp);
  daemon_stop(&a); /* a restart: memory empty, the disk cache kept */
  daemon_start(&a, rp.addr, true);
  step(&a, "one.example", ANSWER, 2, 1, /* from the disk cache */
       &(daemon_redis_stats){.dials = 1, .outages = 1});
  step(&a, "two.example", ANSWER, 3, 2, /* the back-off: no dial */
       &(daemon_redis_stats){.dials = 1, .outages = 1});
  redis_start(&rp);
  set_now(&a, T0 + 10); /* backoff_min later */
  step(&a, "three.example", ANSWER, 4, 3,
       &(daemon_redis_stats){.dials = 2, .connects = 1, .outages = 1, .written = 1});
  shared_policy_is_valid(&rp, "mtasts:three.example", T0 + 10);
  daemon_end(&a);
  redis_remove(&rp);
}

/* Values that are not a usable policy are ignored, the policy fetched,
 * and the value overwritten with it. */
static void test_garbage_values(void **state) {
  (void)state;
  redis_proc rp;
  daemon a;
  redis_and_daemon(&rp, &a);
  static char v[CACHE_FILE_MAX + 200];
  char out[64], domain[32], key[64];
  for (int i = 0; i < 6; i++) {
    snprintf(domain, sizeof domain, "g%d.example", i);
    snprintf(key, sizeof key, "mtasts:%s", domain);
    size_t n = 7;
    memcpy(v, "garbage", n);
    if (i == 1)
      n = record(v, sizeof v, "other.example", T0, 86400, BODY);
    if (i == 2)
      n = record(v, sizeof v, domain, T0, 600, BODY);
    if (i == 3)
      n = record(v, sizeof v, domain, T0 - 86400, 86400, BODY);
    if (i == 4)
      memset(v, 'x', n = sizeof v);
    if (i == 5)
      redis_do(&rp, out, sizeof out, "HSET %s f v", key); /* not a string */
    else
      redis_do(&rp, out, sizeof out, "SET %s %b", key, v, n);
    step(&a, domain, ANSWER, i + 1, i + 1,
         &(daemon_redis_stats){
             .dials = 1, .connects = 1, .ignored = (uint64_t)i + 1, .written = (uint64_t)i + 1});
    shared_policy_is_valid(&rp, key, T0);
  }
  daemon_end(&a);
  redis_remove(&rp);
}

#define OTHER_BODY "version: STSv1\nmode: enforce\nmx: other.example.net\nmax_age: 86400\n"
#define OTHER_ANSWER "OK secure match=other.example.net servername=hostname"

/* The newer policy wins: Redis' replaces an older one on disk (and is
 * what the daemon answers, though its policy host serves another), a
 * newer one on disk stays and replaces Redis'. */
static void test_newer_wins(void **state) {
  (void)state;
  redis_proc rp;
  redis_begin(&rp);
  static char v[CACHE_FILE_MAX];
  char out[64], value[CACHE_FILE_MAX + 1];
  size_t n = record(v, sizeof v, "example.com", T0 + 100, 86400, OTHER_BODY);
  redis_do(&rp, out, sizeof out, "SET mtasts:example.com %b", v, n);
  daemon a;
  daemon_start(&a, rp.addr, false);
  set_now(&a, T0 + 200);
  step(&a, "example.com", OTHER_ANSWER, 1, 0, /* the id is the live one: no fetch */
       &(daemon_redis_stats){.dials = 1, .connects = 1, .seeded = 1});
  n = record(v, sizeof v, "example.com", T0 + 50, 86400, BODY); /* older than the disk's */
  redis_do(&rp, out, sizeof out, "SET mtasts:example.com %b", v, n);
  daemon_stop(&a);
  daemon_start(&a, rp.addr, true);
  step(&a, "example.com", OTHER_ANSWER, 2, 0,
       &(daemon_redis_stats){.dials = 1, .connects = 1, .written = 1});
  redis_do(&rp, value, sizeof value, "GET mtasts:example.com");
  record(v, sizeof v, "example.com", T0 + 100, 86400, OTHER_BODY);
  assert_string_equal(value, v);
  /* Redis' clock is real: what is left of max_age (86,300 s at the
   * world's T0 + 200) less the seconds since, fewer than the 120 s the
   * whole test may take (ctest TIMEOUT). */
  redis_do(&rp, out, sizeof out, "TTL mtasts:example.com");
  long ttl = strtol(out, NULL, 10);
  assert_true(ttl > 86300 - 120 && ttl <= 86300);
  daemon_end(&a);
  redis_remove(&rp);
}

/* ---- a Redis that never answers, or answers garbage ---- */

typedef struct fake_redis {
  char dir[64], sock[128], addr[140];
  int fd;
  bool garbage;
  pthread_t thread;
} fake_redis;

/* One connection: garbage for its first command, or nothing; then wait
 * until the daemon hangs up (hang guard). */
static void *fake_serve(void *arg) {
  fake_redis *f = arg;
  int c = accept(f->fd, NULL, NULL);
  if (c < 0)
    return NULL;
  struct timeval tv = {DAEMON_TEST_GUARD_SECONDS, 0};
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[512];
  if (f->garbage && read(c, buf, sizeof buf) > 0) {
    ssize_t w = write(c, "this is not RESP\r\n", 18);
    (void)w;
  }
  while (read(c, buf, sizeof buf) > 0)
    continue;
  close(c);
  return NULL;
}

static void fake_start(fake_redis *f, bool garbage) {
  memset(f, 0, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/mtasts-redis-fake.XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->sock, sizeof f->sock, "%s/redis.sock", f->dir);
  snprintf(f->addr, sizeof f->addr, "unix:%s", f->sock);
  f->garbage = garbage;
  f->fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un sun;
  daemon_test_address(&sun, f->sock);
  assert_int_equal(bind(f->fd, (struct sockaddr *)&sun, sizeof sun), 0);
  assert_int_equal(listen(f->fd, 8), 0);
  assert_int_equal(pthread_create(&f->thread, NULL, fake_serve, f), 0);
}

/* Slow (redis_timeout passes: a hang guard of one second, the outcome
 * the same whatever the load) or garbage: the lookup goes on without it,
 * one outage, no second try during the back-off. */
static void test_unresponsive(void **state) {
  (void)state;
  for (int garbage = 0; garbage < 2; garbage++) {
    fake_redis f;
    fake_start(&f, garbage != 0);
    daemon a;
    daemon_start(&a, f.addr, false);
    const daemon_redis_stats once = {.dials = 1, .connects = 1, .outages = 1};
    step(&a, "example.com", ANSWER, 1, 1, &once);
    step(&a, "two.example", ANSWER, 2, 2, &once);
    pthread_join(f.thread, NULL);
    daemon_end(&a);
    close(f.fd);
    unlink(f.sock);
    rmdir(f.dir);
  }
}

int main(void) {
  signal(SIGPIPE, SIG_IGN); /* as mtasts-daemon's main */
  have_redis = redis_installed();
  if (!have_redis) {
    const char *ci = getenv("CI");
    if (ci != NULL && strcmp(ci, "true") == 0) {
      fprintf(stderr, "redis-server is not installed (ci/packages.txt lists it) and CI=true\n");
      return 1;
    }
    fprintf(stderr, "SKIP: redis-server is not installed (Debian package redis-server): the "
                    "tests against a real Redis are skipped\n");
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_addresses_and_config), cmocka_unit_test(test_values),
      cmocka_unit_test(test_unresponsive),         cmocka_unit_test(test_two_daemons),
      cmocka_unit_test(test_redis_killed),         cmocka_unit_test(test_garbage_values),
      cmocka_unit_test(test_newer_wins),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  return failed == 0 && !have_redis ? 77 : failed;
}
