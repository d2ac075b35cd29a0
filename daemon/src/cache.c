/* cache.c - mtasts-daemon's answers in memory (see cache.h). */
#include "cache.h"

#include <stdlib.h>
#include <string.h>

bool daemon_cache_init(daemon_cache *c, size_t cap) {
  memset(c, 0, sizeof *c);
  c->cap = cap > 0 ? cap : 1;
  c->nbuckets = c->cap + 1; /* chains of one on average */
  c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
  return c->buckets != NULL;
}

void daemon_cache_free(daemon_cache *c) {
  for (daemon_entry *e = c->lru_head, *next; e != NULL; e = next) {
    next = e->lru_next;
    free(e);
  }
  free(c->buckets);
  memset(c, 0, sizeof *c);
}

/* FNV-1a: the keys are the clients', so no order-dependent worst case is
 * reachable beyond a chain per bucket; the bound is on the count. */
static size_t bucket_of(const daemon_cache *c, const char *domain) {
  uint64_t h = 14695981039346656037u;
  for (const unsigned char *p = (const unsigned char *)domain; *p != '\0'; p++)
    h = (h ^ *p) * 1099511628211u;
  return (size_t)(h % c->nbuckets);
}

static void lru_unlink(daemon_cache *c, daemon_entry *e) {
  if (e->lru_prev != NULL)
    e->lru_prev->lru_next = e->lru_next;
  else
    c->lru_head = e->lru_next;
  if (e->lru_next != NULL)
    e->lru_next->lru_prev = e->lru_prev;
  else
    c->lru_tail = e->lru_prev;
  e->lru_prev = e->lru_next = NULL;
}

static void lru_front(daemon_cache *c, daemon_entry *e) {
  e->lru_next = c->lru_head;
  if (c->lru_head != NULL)
    c->lru_head->lru_prev = e;
  c->lru_head = e;
  if (c->lru_tail == NULL)
    c->lru_tail = e;
}

static void drop(daemon_cache *c, daemon_entry *e) {
  daemon_entry **pp = &c->buckets[bucket_of(c, e->text)];
  while (*pp != e)
    pp = &(*pp)->next_in_bucket;
  *pp = e->next_in_bucket;
  lru_unlink(c, e);
  c->count--;
  free(e);
}

static daemon_entry *find(daemon_cache *c, const char *domain) {
  for (daemon_entry *e = c->buckets[bucket_of(c, domain)]; e != NULL; e = e->next_in_bucket)
    if (strcmp(e->text, domain) == 0)
      return e;
  return NULL;
}

daemon_entry *daemon_cache_get(daemon_cache *c, const char *domain, uint64_t now) {
  daemon_entry *e = find(c, domain);
  if (e == NULL)
    return NULL;
  if (now >= e->expires) {
    drop(c, e);
    return NULL;
  }
  lru_unlink(c, e);
  lru_front(c, e);
  return e;
}

bool daemon_cache_put(daemon_cache *c, const char *domain, socketmap_reply_status status,
                      const char *data, size_t data_len, uint64_t now, uint64_t fresh_for,
                      uint64_t keep_for) {
  size_t dlen = strlen(domain);
  if (dlen > UINT8_MAX || data_len > SOCKETMAP_REPLY_MAX)
    return false;
  daemon_entry *e = malloc(sizeof *e + dlen + 1 + data_len + 1);
  if (e == NULL)
    return false;
  memset(e, 0, sizeof *e);
  memcpy(e->text, domain, dlen + 1);
  if (data_len > 0)
    memcpy(e->text + dlen + 1, data, data_len);
  e->text[dlen + 1 + data_len] = '\0';
  e->domain_len = (uint8_t)dlen;
  e->data_len = (uint16_t)data_len;
  e->status = (uint8_t)status;
  e->fresh_until = now + fresh_for;
  e->expires = now + (keep_for > fresh_for ? keep_for : fresh_for);
  daemon_entry *old = find(c, domain);
  if (old != NULL)
    drop(c, old);
  while (c->count >= c->cap) {
    drop(c, c->lru_tail);
    c->evictions++;
  }
  size_t b = bucket_of(c, domain);
  e->next_in_bucket = c->buckets[b];
  c->buckets[b] = e;
  lru_front(c, e);
  c->count++;
  return true;
}

uint64_t daemon_cache_fail(daemon_cache *c, const char *domain, const char *why, uint64_t now,
                           uint64_t backoff_min, uint64_t backoff_max) {
  daemon_entry *e = daemon_cache_get(c, domain, now);
  unsigned failures = e != NULL ? e->failures + 1u : 1u;
  uint64_t backoff = backoff_min;
  for (unsigned i = 1; i < failures && backoff < backoff_max; i++)
    backoff *= 2;
  if (backoff > backoff_max)
    backoff = backoff_max;
  if (e != NULL && e->status != SOCKETMAP_TEMP) {
    /* Serve the stale answer, never past its expiry (the policy's
     * max_age); no new lookup before the back-off. */
    e->fresh_until = now + backoff;
  } else if (daemon_cache_put(c, domain, SOCKETMAP_TEMP, why, strlen(why), now, backoff, backoff)) {
    e = daemon_cache_get(c, domain, now);
  }
  if (e != NULL)
    e->failures = (uint8_t)(failures < UINT8_MAX ? failures : UINT8_MAX);
  return backoff;
}
