/*
 * cache.h - mtasts-daemon's answers in memory: one per domain, at most
 * `cap` of them, so a flood of distinct domains costs bounded memory.
 * When full, an answer not asked for since the clock hand last passed it
 * goes first (CLOCK, the page caches' approximation of least recently
 * used: one bit an entry instead of an exact LRU list's two pointers).
 * An answer is fresh until fresh_until (served as is), then stale until
 * expires (served, and refreshed in the background: RFC 8461 10.2's
 * proactive refresh), then gone. A failed lookup backs off (RFC 8461
 * 3.3: "should not ... retry immediately"): backoff_min, doubled per
 * failure in a row, at most backoff_max; a stale answer is kept through
 * the failure. Not thread-safe: the event loop owns it.
 */
#ifndef MTASTS_DAEMON_CACHE_H
#define MTASTS_DAEMON_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socketmap.h"

/* The header (24 bytes) and the text, in one allocation. An answer
 * names its domain once or more (the MX hosts, `policy_domain=`): it is
 * kept with each occurrence of the domain as the byte DAEMON_ENTRY_SELF,
 * which no answer holds (one that does is kept as is): 100,000 answers of
 * two MX hosts take 9.6 MB, 96 B each as malloc hands them out (160 B
 * with an LRU list, 64-bit times and the answer as sent; bench/README.md).
 * Times are seconds since the epoch, saturated at UINT32_MAX (2106: from
 * then on nothing stays cached). */
#define DAEMON_ENTRY_SELF '\001'

typedef struct daemon_entry {
  struct daemon_entry *next_in_bucket;
  uint32_t fresh_until, expires;
  uint16_t data_len; /* as kept: DAEMON_ENTRY_SELF for the domain */
  uint8_t domain_len;
  uint8_t status;   /* a socketmap_reply_status */
  uint8_t failures; /* lookups failed in a row (at most 255 counted) */
  bool asked;       /* a client asked for it since it was stored (server.c) */
  bool used;        /* asked for since the clock hand last passed */
  bool packed;      /* DAEMON_ENTRY_SELF in the data stands for the domain */
  char text[];      /* the domain (lower case), NUL, the data, NUL */
} daemon_entry;

static inline const char *daemon_entry_domain(const daemon_entry *e) {
  return e->text;
}

/* The answer as it was put, NUL-terminated, into `out` (room for
 * SOCKETMAP_REPLY_MAX + 1 bytes); returns its length. */
size_t daemon_entry_answer(const daemon_entry *e, char *out, size_t cap);

typedef struct daemon_cache {
  daemon_entry **buckets;
  size_t nbuckets, count, cap;
  size_t hand; /* the clock hand: the bucket eviction looks at first */
  uint64_t evictions;
} daemon_cache;

bool daemon_cache_init(daemon_cache *c, size_t cap);
void daemon_cache_free(daemon_cache *c);

/* The entry of `domain` (marked used), or NULL. Entries past `expires`
 * are dropped and not returned. */
daemon_entry *daemon_cache_get(daemon_cache *c, const char *domain, uint64_t now);

/* A lookup's answer: fresh for `fresh_for`, served until `keep_for`;
 * not marked used (a flood of domains asked for once goes before the
 * answers in use).
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

/* Calls `fn` on every entry, in no particular order, until it returns
 * false. `fn` must not add or drop entries. */
void daemon_cache_each(daemon_cache *c, bool (*fn)(daemon_entry *e, void *ctx), void *ctx);

#endif /* MTASTS_DAEMON_CACHE_H */
