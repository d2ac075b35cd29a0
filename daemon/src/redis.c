/* redis.c - mtasts-daemon's shared cache in Redis (see redis.h). */
#define _POSIX_C_SOURCE 200809L
#include "redis.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "mtasts.h"
#include "mtasts_resolver.h"

/* The fleet's clocks differ a little: a policy fetched up to this many
 * seconds "after" now is read as fetched now; later, it is garbage. */
#define SKEW_MAX 300u
/* Idle connections kept: one per worker at most (workers <= 256). */
#define POOL_MAX 256u
#define KEY_MAX (DAEMON_CONFIG_PATH_MAX + MTASTS_MAX_NAME_LEN + 1)

struct daemon_redis {
  daemon_lookup_fn inner;
  void *inner_ctx;
  uint64_t (*now)(void *ctx);
  void *now_ctx;
  pthread_mutex_t mu;
  char addr[DAEMON_CONFIG_PATH_MAX]; /* what the idle connections are to */
  redisContext *idle[POOL_MAX];
  size_t nidle;
  bool down;         /* logged as away; no connection before retry_at */
  uint64_t retry_at; /* seconds */
  uint64_t backoff;  /* seconds, doubled per failed retry */
  daemon_redis_stats stats;
};

/* ------------------------------------------------------------------ */
/* Addresses and values                                                */
/* ------------------------------------------------------------------ */

/* HOST:PORT into host and *port; false when it is not one. */
static bool host_port(const char *spec, char *host, size_t cap, int *port) {
  const char *colon = strrchr(spec, ':');
  if (colon == NULL || colon == spec || colon[1] == '\0' || strlen(colon + 1) > 5)
    return false;
  long p = 0;
  for (const char *d = colon + 1; *d != '\0'; d++) {
    if (*d < '0' || *d > '9')
      return false;
    p = p * 10 + (*d - '0');
  }
  const char *h = spec;
  size_t n = (size_t)(colon - spec);
  if (h[0] == '[') { /* [IPv6]:PORT */
    if (n < 3 || h[n - 1] != ']')
      return false;
    h++, n -= 2;
  } else if (memchr(h, ':', n) != NULL) {
    return false; /* an IPv6 address without brackets: where is the port? */
  }
  if (p < 1 || p > 65535 || n >= cap || memchr(h, ' ', n) != NULL)
    return false;
  memcpy(host, h, n);
  host[n] = '\0';
  *port = (int)p;
  return true;
}

const char *daemon_redis_address_error(const char *spec) {
  if (strncmp(spec, "unix:", 5) == 0)
    return spec[5] == '/' ? NULL : "unix: needs an absolute socket path";
  char host[DAEMON_CONFIG_PATH_MAX];
  int port;
  return host_port(spec, host, sizeof host, &port)
             ? NULL
             : "not unix:/PATH nor HOST:PORT (a port of 1-65535)";
}

static const mtasts_options strict = {MTASTS_STRICT, 0, NULL};

/* The body as the resolver will read it: the parser never allocates, so
 * a policy with more mx lines than none is parsed again with room. */
static const char *check_body(const cache_record *rec) {
  mtasts_policy p;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS]; /* room for every extension */
  mtasts_policy_init(&p, NULL, 0, ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse(rec->body.ptr, rec->body.len, &strict, &p);
  mtasts_mx *mx = NULL;
  if (code == MTASTS_E_MX_CAPACITY) {
    size_t need = p.mx_needed;
    mx = calloc(need, sizeof *mx);
    if (mx == NULL)
      return "out of memory";
    mtasts_policy_init(&p, mx, need, ext, MTASTS_MAX_EXTENSIONS);
    code = mtasts_policy_parse(rec->body.ptr, rec->body.len, &strict, &p);
  }
  free(mx);
  if (code != MTASTS_OK)
    return "the policy body does not parse";
  if (p.mode != rec->mode || p.max_age != rec->max_age)
    return "the mode or max_age is not the policy body's";
  return NULL;
}

/* Seconds a policy fetched at `at` has left at `now` (one fetched "after"
 * now counts from now); 0: expired (RFC 8461 3.2: max_age). */
static uint64_t seconds_left(uint64_t at, uint64_t max_age, uint64_t now) {
  uint64_t age = at < now ? now - at : 0;
  return age < max_age ? max_age - age : 0;
}

const char *daemon_redis_check(const char *value, size_t len, const char *domain, uint64_t now,
                               cache_record *rec) {
  size_t line;
  if (len > CACHE_FILE_MAX)
    return "longer than a cache record can be";
  if (cache_parse(value, len, rec, &line) != NULL)
    return "not a cache record";
  if (rec->domain.len != strlen(domain) || memcmp(rec->domain.ptr, domain, rec->domain.len) != 0)
    return "a record of another domain";
  if (!rec->has_policy || rec->has_failure)
    return "not a policy alone";
  if (rec->fetched_at > now && rec->fetched_at - now > SKEW_MAX)
    return "fetched in the future";
  if (seconds_left(rec->fetched_at, rec->max_age, now) == 0)
    return "expired";
  return check_body(rec);
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */
/* ------------------------------------------------------------------ */

static uint64_t now_of(const daemon_redis *r) {
  return r->now != NULL ? r->now(r->now_ctx) : (uint64_t)time(NULL);
}

static void count(daemon_redis *r, uint64_t *stat) {
  pthread_mutex_lock(&r->mu);
  (*stat)++;
  pthread_mutex_unlock(&r->mu);
}

static void drain_idle(daemon_redis *r) {
  while (r->nidle > 0)
    redisFree(r->idle[--r->nidle]);
}

/* A connection with `timeout` on connect and on every command, or NULL
 * and why not. */
static redisContext *dial(const char *spec, unsigned timeout, char *why, size_t cap) {
  struct timeval tv = {(time_t)timeout, 0};
  char host[DAEMON_CONFIG_PATH_MAX];
  int port = 0;
  redisContext *c = NULL;
  if (strncmp(spec, "unix:", 5) == 0)
    c = redisConnectUnixWithTimeout(spec + 5, tv);
  else if (host_port(spec, host, sizeof host, &port))
    c = redisConnectWithTimeout(host, port, tv);
  if (c != NULL && c->err == 0 && redisSetTimeout(c, tv) == REDIS_OK)
    return c;
  snprintf(why, cap, "%s", c == NULL ? "cannot connect" : c->errstr);
  if (c != NULL)
    redisFree(c);
  return NULL;
}

/* Redis went away (or answers what it should not): log once per outage,
 * drop the connections, try again after the back-off. */
static void went_away(daemon_redis *r, redisContext *c, const daemon_config *cfg, uint64_t now,
                      const char *why) {
  pthread_mutex_lock(&r->mu);
  if (!r->down) {
    r->down = true;
    r->stats.outages++;
    r->backoff = cfg->backoff_min;
    fprintf(stderr,
            "mtasts-daemon: redis %s: %s; answering from the local caches, trying again in "
            "%" PRIu64 " s\n",
            cfg->redis, why, r->backoff);
  } else if (now >= r->retry_at) { /* a retry failed */
    r->backoff = r->backoff * 2 < cfg->backoff_max ? r->backoff * 2 : cfg->backoff_max;
  }
  r->retry_at = now + r->backoff;
  drain_idle(r);
  pthread_mutex_unlock(&r->mu);
  if (c != NULL)
    redisFree(c);
}

static void answered(daemon_redis *r, const daemon_config *cfg) {
  pthread_mutex_lock(&r->mu);
  if (r->down) {
    r->down = false;
    fprintf(stderr, "mtasts-daemon: redis %s: reachable again\n", cfg->redis);
  }
  pthread_mutex_unlock(&r->mu);
}

/* An idle connection, a new one, or NULL while Redis is away. */
static redisContext *take(daemon_redis *r, const daemon_config *cfg, uint64_t now) {
  pthread_mutex_lock(&r->mu);
  if (strcmp(r->addr, cfg->redis) != 0) { /* a reload named another Redis */
    drain_idle(r);
    memcpy(r->addr, cfg->redis, sizeof r->addr);
    r->down = false;
  }
  bool wait = r->down && now < r->retry_at;
  redisContext *c = !wait && r->nidle > 0 ? r->idle[--r->nidle] : NULL;
  pthread_mutex_unlock(&r->mu);
  if (wait || c != NULL)
    return c;
  count(r, &r->stats.dials);
  char why[256];
  c = dial(cfg->redis, cfg->redis_timeout, why, sizeof why);
  if (c == NULL) {
    went_away(r, NULL, cfg, now, why);
    return NULL;
  }
  count(r, &r->stats.connects);
  return c;
}

static void give_back(daemon_redis *r, redisContext *c, const daemon_config *cfg) {
  if (c == NULL)
    return;
  pthread_mutex_lock(&r->mu);
  bool keep = strcmp(r->addr, cfg->redis) == 0 && r->nidle < POOL_MAX;
  if (keep)
    r->idle[r->nidle++] = c;
  pthread_mutex_unlock(&r->mu);
  if (!keep)
    redisFree(c);
}

/* One command; NULL (the connection given up) when Redis did not answer
 * or answered an error. */
static redisReply *command(daemon_redis *r, redisContext **c, const daemon_config *cfg,
                           uint64_t now, int argc, const char **argv, const size_t *lens) {
  redisReply *rep = redisCommandArgv(*c, argc, argv, lens);
  /* WRONGTYPE: a key that is not a string, a value to ignore. */
  if (rep != NULL && (rep->type != REDIS_REPLY_ERROR || strncmp(rep->str, "WRONGTYPE", 9) == 0)) {
    answered(r, cfg);
    return rep;
  }
  char why[256];
  snprintf(why, sizeof why, "%s", rep != NULL ? rep->str : (*c)->errstr);
  if (rep != NULL)
    freeReplyObject(rep);
  went_away(r, *c, cfg, now, why);
  *c = NULL;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Redis and the disk cache                                            */
/* ------------------------------------------------------------------ */

typedef struct shared {
  char key[KEY_MAX];
  size_t key_len;
  char path[MTASTS_RESOLVER_PATH_MAX];
  uint64_t held_at; /* fetched_at of the usable policy Redis held; 0: none */
} shared;

/* The disk cache gets Redis' policy unless it holds a newer one. Its
 * back-off lines stay: a failure to fetch the live id is still one. */
static void seed_disk(daemon_redis *r, const daemon_config *cfg, const shared *sh,
                      const cache_record *from, uint64_t now) {
  char *data = NULL, msg[MTASTS_RESOLVER_PATH_MAX + 256];
  cache_record local;
  if (mkdir(cfg->cache_dir, 0700) != 0 && errno != EEXIST)
    return; /* the resolver says why */
  cache_load_result lr = cache_load(sh->path, &data, &local, msg, sizeof msg);
  uint64_t at = from->fetched_at < now ? from->fetched_at : now;
  bool mine = lr == CACHE_LOADED && local.domain.len == from->domain.len &&
              memcmp(local.domain.ptr, from->domain.ptr, from->domain.len) == 0;
  if (lr != CACHE_UNREADABLE && !(mine && local.has_policy && local.fetched_at >= at)) {
    cache_record next = mine ? local : (cache_record){.domain = from->domain};
    next.has_policy = true;
    next.id = from->id;
    next.fetched_at = at;
    next.max_age = from->max_age;
    next.mode = from->mode;
    next.body = from->body;
    if (cache_save(sh->path, &next, msg, sizeof msg))
      count(r, &r->stats.seeded);
    else
      fprintf(stderr, "mtasts-daemon: redis: %s\n", msg);
  }
  free(data);
}

/* Before the lookup: Redis' policy, if usable, into the disk cache. */
static void read_shared(daemon_redis *r, redisContext **c, const daemon_config *cfg,
                        const char *domain, shared *sh, uint64_t now) {
  char max[24];
  snprintf(max, sizeof max, "%u", (unsigned)CACHE_FILE_MAX); /* one byte more than fits */
  const char *argv[] = {"GETRANGE", sh->key, "0", max};
  const size_t lens[] = {8, sh->key_len, 1, strlen(max)};
  redisReply *rep = command(r, c, cfg, now, 4, argv, lens);
  if (rep == NULL)
    return;
  if (rep->type != REDIS_REPLY_STRING || rep->len > 0) { /* "": no such key */
    cache_record rec;
    const char *why = rep->type != REDIS_REPLY_STRING
                          ? "not a string"
                          : daemon_redis_check(rep->str, rep->len, domain, now, &rec);
    if (why == NULL) {
      sh->held_at = rec.fetched_at;
      seed_disk(r, cfg, sh, &rec, now);
    } else {
      count(r, &r->stats.ignored);
      fprintf(stderr, "mtasts-daemon: redis key %s: ignored (%s)\n", sh->key, why);
    }
  }
  freeReplyObject(rep);
}

/* After the lookup: a policy on disk newer than Redis' goes to Redis,
 * to expire with its max_age. */
static void write_shared(daemon_redis *r, redisContext **c, const daemon_config *cfg,
                         const shared *sh, uint64_t now) {
  char *data = NULL, msg[MTASTS_RESOLVER_PATH_MAX + 256];
  cache_record local;
  uint64_t left = 0;
  if (cache_load(sh->path, &data, &local, msg, sizeof msg) == CACHE_LOADED && local.has_policy &&
      local.fetched_at > sh->held_at)
    left = seconds_left(local.fetched_at, local.max_age, now);
  if (left == 0) {
    free(data);
    return;
  }
  cache_record out = {.domain = local.domain,
                      .has_policy = true,
                      .id = local.id,
                      .fetched_at = local.fetched_at,
                      .max_age = local.max_age,
                      .mode = local.mode,
                      .body = local.body};
  size_t n = cache_format(&out, NULL, 0);
  char *text = n > 0 ? malloc(n) : NULL;
  if (text != NULL) {
    cache_format(&out, text, n);
    char ttl[24];
    snprintf(ttl, sizeof ttl, "%" PRIu64, left);
    const char *argv[] = {"SET", sh->key, text, "EX", ttl};
    const size_t lens[] = {3, sh->key_len, n, 2, strlen(ttl)};
    redisReply *rep = command(r, c, cfg, now, 5, argv, lens);
    if (rep != NULL) {
      count(r, &r->stats.written);
      freeReplyObject(rep);
    }
  }
  free(text);
  free(data);
}

/* ------------------------------------------------------------------ */
/* The lookup                                                          */
/* ------------------------------------------------------------------ */

/* The key and the cache file of `domain`; false when it has none. */
static bool names(const daemon_config *cfg, const char *domain, char *norm, shared *sh) {
  size_t n = mtasts_policy_domain(domain, strlen(domain), norm, MTASTS_MAX_NAME_LEN + 1);
  if (n == 0)
    return false;
  norm[n] = '\0';
  int k = snprintf(sh->key, sizeof sh->key, "%s%s", cfg->redis_prefix, norm);
  sh->key_len = (size_t)k;
  sh->held_at = 0;
  return k > 0 && (size_t)k < sizeof sh->key &&
         cache_path(cfg->cache_dir, norm, n, sh->path, sizeof sh->path);
}

void daemon_redis_lookup(void *ctx, const char *domain, const daemon_config *cfg,
                         daemon_lookup_result *out) {
  daemon_redis *r = ctx;
  char norm[MTASTS_MAX_NAME_LEN + 2];
  shared sh;
  if (cfg->redis[0] == '\0' || cfg->cache_dir[0] == '\0' || !names(cfg, domain, norm, &sh)) {
    r->inner(r->inner_ctx, domain, cfg, out);
    return;
  }
  uint64_t now = now_of(r);
  redisContext *c = take(r, cfg, now);
  if (c != NULL)
    read_shared(r, &c, cfg, norm, &sh, now);
  r->inner(r->inner_ctx, domain, cfg, out);
  if (c != NULL)
    write_shared(r, &c, cfg, &sh, now_of(r));
  give_back(r, c, cfg);
}

daemon_redis *daemon_redis_new(daemon_lookup_fn inner, void *inner_ctx, uint64_t (*now)(void *ctx),
                               void *now_ctx) {
  daemon_redis *r = calloc(1, sizeof *r);
  if (r == NULL)
    return NULL;
  r->inner = inner;
  r->inner_ctx = inner_ctx;
  r->now = now;
  r->now_ctx = now_ctx;
  pthread_mutex_init(&r->mu, NULL);
  return r;
}

void daemon_redis_free(daemon_redis *r) {
  if (r == NULL)
    return;
  drain_idle(r);
  pthread_mutex_destroy(&r->mu);
  free(r);
}

void daemon_redis_stats_get(daemon_redis *r, daemon_redis_stats *out) {
  pthread_mutex_lock(&r->mu);
  *out = r->stats;
  pthread_mutex_unlock(&r->mu);
}
