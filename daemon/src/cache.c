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
  for (size_t b = 0; b < c->nbuckets; b++) {
    for (daemon_entry *e = c->buckets[b], *next; e != NULL; e = next) {
      next = e->next_in_bucket;
      free(e);
    }
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

static uint32_t seconds(uint64_t t) {
  return t < UINT32_MAX ? (uint32_t)t : UINT32_MAX;
}

/* Unlinks *pp, the link to e, and frees e. */
static void unlink_free(daemon_cache *c, daemon_entry **pp, daemon_entry *e) {
  *pp = e->next_in_bucket;
  c->count--;
  free(e);
}

static daemon_entry **link_of(daemon_cache *c, const char *domain) {
  daemon_entry **pp = &c->buckets[bucket_of(c, domain)];
  while (*pp != NULL && strcmp((*pp)->text, domain) != 0)
    pp = &(*pp)->next_in_bucket;
  return pp;
}

/* CLOCK: the hand clears the used bits it passes and takes the first
 * entry without one. Once round the buckets clears every bit, so a call
 * looks at 2 * nbuckets buckets at most, and at one or two on average
 * (each bit is set by one get and cleared once). */
static void evict_one(daemon_cache *c) {
  for (;;) {
    for (daemon_entry **pp = &c->buckets[c->hand]; *pp != NULL; pp = &(*pp)->next_in_bucket) {
      if (!(*pp)->used) {
        unlink_free(c, pp, *pp);
        c->evictions++;
        return;
      }
      (*pp)->used = false;
    }
    c->hand = (c->hand + 1) % c->nbuckets;
  }
}

daemon_entry *daemon_cache_get(daemon_cache *c, const char *domain, uint64_t now) {
  daemon_entry **pp = link_of(c, domain);
  daemon_entry *e = *pp;
  if (e == NULL)
    return NULL;
  if (now >= e->expires) {
    unlink_free(c, pp, e);
    return NULL;
  }
  e->used = true;
  return e;
}

/* `data` with each occurrence of `domain` as DAEMON_ENTRY_SELF, into
 * `out` (room for len bytes: it only shrinks); false, and nothing, when
 * the data holds that byte itself. At most len * dlen byte compares
 * (4096 * 255), once per finished lookup. */
static bool pack(const char *data, size_t len, const char *domain, size_t dlen, char *out,
                 size_t *out_len) {
  if (dlen == 0 || memchr(data, DAEMON_ENTRY_SELF, len) != NULL)
    return false;
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    if (len - i >= dlen && memcmp(data + i, domain, dlen) == 0) {
      out[n++] = DAEMON_ENTRY_SELF;
      i += dlen;
    } else {
      out[n++] = data[i++];
    }
  }
  *out_len = n;
  return true;
}

static daemon_entry *entry_new(const char *domain, size_t dlen, const char *data, size_t data_len) {
  char packed[SOCKETMAP_REPLY_MAX];
  size_t packed_len = 0;
  bool is_packed = pack(data, data_len, domain, dlen, packed, &packed_len);
  if (is_packed) {
    data = packed;
    data_len = packed_len;
  }
  daemon_entry *e = malloc(offsetof(daemon_entry, text) + dlen + 1 + data_len + 1);
  if (e == NULL)
    return NULL;
  memset(e, 0, offsetof(daemon_entry, text));
  memcpy(e->text, domain, dlen + 1);
  if (data_len > 0)
    memcpy(e->text + dlen + 1, data, data_len);
  e->text[dlen + 1 + data_len] = '\0';
  e->domain_len = (uint8_t)dlen;
  e->data_len = (uint16_t)data_len;
  e->packed = is_packed;
  return e;
}

/* Appends s to out when it fits with a NUL after it. */
static bool append(char *out, size_t cap, size_t *n, const char *s, size_t len) {
  if (cap - *n <= len)
    return false;
  memcpy(out + *n, s, len);
  *n += len;
  return true;
}

size_t daemon_entry_answer(const daemon_entry *e, char *out, size_t cap) {
  const char *p = e->text + e->domain_len + 1, *end = p + e->data_len;
  size_t n = 0;
  /* An answer fits in SOCKETMAP_REPLY_MAX + 1 (put refuses longer ones):
   * a shorter `out` gets a prefix of it, never an overrun. */
  while (p < end) {
    const char *self = e->packed ? memchr(p, DAEMON_ENTRY_SELF, (size_t)(end - p)) : NULL;
    size_t run = (size_t)((self != NULL ? self : end) - p);
    if (!append(out, cap, &n, p, run))
      break;
    p += run;
    if (self != NULL) {
      if (!append(out, cap, &n, e->text, e->domain_len))
        break;
      p++;
    }
  }
  if (cap > 0)
    out[n] = '\0';
  return n;
}

bool daemon_cache_put(daemon_cache *c, const char *domain, socketmap_reply_status status,
                      const char *data, size_t data_len, uint64_t now, uint64_t fresh_for,
                      uint64_t keep_for) {
  size_t dlen = strlen(domain);
  if (dlen > UINT8_MAX || data_len > SOCKETMAP_REPLY_MAX)
    return false;
  daemon_entry *e = entry_new(domain, dlen, data, data_len);
  if (e == NULL)
    return false;
  e->status = (uint8_t)status;
  e->fresh_until = seconds(now + fresh_for);
  e->expires = seconds(now + (keep_for > fresh_for ? keep_for : fresh_for));
  daemon_entry **pp = link_of(c, domain);
  if (*pp != NULL)
    unlink_free(c, pp, *pp);
  while (c->count >= c->cap)
    evict_one(c);
  size_t b = bucket_of(c, domain);
  e->next_in_bucket = c->buckets[b];
  c->buckets[b] = e;
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
    e->fresh_until = seconds(now + backoff);
  } else if (daemon_cache_put(c, domain, SOCKETMAP_TEMP, why, strlen(why), now, backoff, backoff)) {
    e = daemon_cache_get(c, domain, now);
  }
  if (e != NULL)
    e->failures = (uint8_t)(failures < UINT8_MAX ? failures : UINT8_MAX);
  return backoff;
}

void daemon_cache_each(daemon_cache *c, bool (*fn)(daemon_entry *e, void *ctx), void *ctx) {
  for (size_t b = 0; b < c->nbuckets; b++)
    for (daemon_entry *e = c->buckets[b]; e != NULL; e = e->next_in_bucket)
      if (!fn(e, ctx))
        return;
}
