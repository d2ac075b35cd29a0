/*
 * cache.h - mtasts-daemon's answers in memory: one per domain, at most
 * `cap` of them (the least recently used goes first), so a flood of
 * distinct domains costs bounded memory. An answer is fresh until
 * fresh_until (served as is), then stale until expires (served, and
 * refreshed in the background: RFC 8461 10.2's proactive refresh), then
 * gone. A failed lookup backs off (RFC 8461 3.3: "should not ... retry
 * immediately"): backoff_min, doubled per failure in a row, at most
 * backoff_max; a stale answer is kept through the failure. Not
 * thread-safe: the event loop owns it.
 */
#ifndef MTASTS_DAEMON_CACHE_H
#define MTASTS_DAEMON_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socketmap.h"

/* 48 bytes and the text: 100,000 answers of two MX hosts in ~20 MB. */
typedef struct daemon_entry {
  struct daemon_entry *next_in_bucket, *lru_prev, *lru_next;
  uint64_t fresh_until, expires;
  uint16_t data_len;
  uint8_t domain_len;
  uint8_t status;   /* a socketmap_reply_status */
  uint8_t failures; /* lookups failed in a row (at most 255 counted) */
  bool asked;       /* a client asked for it since it was stored (server.c) */
  char text[];      /* the domain (lower case), NUL, the data, NUL */
} daemon_entry;

static inline const char *daemon_entry_domain(const daemon_entry *e) {
  return e->text;
}
static inline const char *daemon_entry_data(const daemon_entry *e) {
  return e->text + e->domain_len + 1;
}

typedef struct daemon_cache {
  daemon_entry **buckets;
  size_t nbuckets, count, cap;
  daemon_entry *lru_head, *lru_tail; /* head: most recently used */
  uint64_t evictions;
} daemon_cache;

bool daemon_cache_init(daemon_cache *c, size_t cap);
void daemon_cache_free(daemon_cache *c);

/* The entry of `domain` (moved to the front), or NULL. Entries past
 * `expires` are dropped and not returned. */
daemon_entry *daemon_cache_get(daemon_cache *c, const char *domain, uint64_t now);

/* A lookup's answer: fresh for `fresh_for`, served until `keep_for`.
 * False when out of memory, or the domain is over 255 bytes or the data
 * over SOCKETMAP_REPLY_MAX (the cache is unchanged). */
bool daemon_cache_put(daemon_cache *c, const char *domain, socketmap_reply_status status,
                      const char *data, size_t data_len, uint64_t now, uint64_t fresh_for,
                      uint64_t keep_for);

/* A failed lookup: a stale answer stays, not refreshed again before the
 * back-off has passed; without one a TEMP answer (`why`) is kept that
 * long. Returns the back-off in seconds. */
uint64_t daemon_cache_fail(daemon_cache *c, const char *domain, const char *why, uint64_t now,
                           uint64_t backoff_min, uint64_t backoff_max);

#endif /* MTASTS_DAEMON_CACHE_H */
