/*
 * redis.h - mtasts-daemon's shared cache: a fleet of daemons that share
 * one Redis (`redis = unix:/path` or HOST:PORT, keys `redis_prefix` +
 * domain) share the policies they fetch, as postfix-mta-sts-resolver's
 * Redis backend does: one daemon's fetch spares the others theirs.
 *
 * What is shared is what the resolver's disk cache keeps of a policy (its
 * body, id, fetch time, max_age: the cache file format of
 * resolver_cache.h, without the back-off lines), so Redis sits in front
 * of the disk cache and needs one (cache_dir):
 *  - before a lookup (a memory miss or a refresh), the Redis value is
 *    read; a policy newer than the disk cache's replaces it there (the
 *    back-off lines stay), then the resolver runs as always: the TXT
 *    lookup, and no fetch while the id is the cached one;
 *  - after it, a policy on disk newer than what Redis held (a fetch) is
 *    written to Redis, to expire with its max_age (RFC 8461 3.2).
 * A value is untrusted bytes: the cache file reader and the policy parser
 * read it whole (one length, the domain, the body, its mode and max_age
 * agree), and one that does not is ignored, refetched and overwritten.
 *
 * Redis is never needed: away, slow (redis_timeout per command) or
 * answering garbage, the lookup goes on from the disk cache or a fetch;
 * the outage is logged once, and Redis is tried again after backoff_min
 * seconds, doubling up to backoff_max. The calls are hiredis' blocking
 * ones, on the worker threads only (lookups already block there; the
 * event loop never waits for Redis), one connection per busy worker at
 * most, kept for the next lookup.
 */
#ifndef MTASTS_DAEMON_REDIS_H
#define MTASTS_DAEMON_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "resolver_cache.h"
#include "server.h"

/* NULL when `spec` is a Redis address ("unix:" and an absolute path, or
 * HOST:PORT with a port of 1-65535, an IPv6 host in brackets); else why
 * not. */
const char *daemon_redis_address_error(const char *spec);

/* NULL when `value` is a policy of `domain` (lower case) this daemon may
 * use at `now`: a cache record holding a policy and nothing else, whose
 * body parses (strict) with the mode and max_age the record says, fetched
 * no later than now and not yet expired. *rec points into value. Else a
 * static sentence saying why not. */
const char *daemon_redis_check(const char *value, size_t len, const char *domain, uint64_t now,
                               cache_record *rec);

typedef void (*daemon_lookup_fn)(void *ctx, const char *domain, const daemon_config *cfg,
                                 daemon_lookup_result *out);

typedef struct daemon_redis daemon_redis;

/* The lookup `inner` (the resolver, or a test's) behind Redis. `now`:
 * the clock of the back-off and of expiry (NULL: time(NULL)). */
daemon_redis *daemon_redis_new(daemon_lookup_fn inner, void *inner_ctx, uint64_t (*now)(void *ctx),
                               void *now_ctx);
void daemon_redis_free(daemon_redis *r);

/* The daemon_hooks lookup (ctx: a daemon_redis). Without `redis` or
 * `cache_dir` in cfg it is the inner lookup alone. */
void daemon_redis_lookup(void *ctx, const char *domain, const daemon_config *cfg,
                         daemon_lookup_result *out);

typedef struct daemon_redis_stats {
  uint64_t dials;    /* connections tried */
  uint64_t connects; /* connections made */
  uint64_t outages;  /* times Redis went away (each logged once) */
  uint64_t seeded;   /* Redis policies written to the disk cache */
  uint64_t ignored;  /* values that were not a usable policy */
  uint64_t written;  /* policies written to Redis */
} daemon_redis_stats;

void daemon_redis_stats_get(daemon_redis *r, daemon_redis_stats *out);

#endif /* MTASTS_DAEMON_REDIS_H */
