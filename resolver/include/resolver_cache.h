/*
 * resolver_cache.h - the policy cache of the resolver (cache_dir DIR):
 * one small text file per Policy Domain, DIR/<domain in lower case>.
 *
 * The format, version 1 (every line ends in LF; the parts in brackets
 * are present together or not at all; nothing may follow "end"):
 *
 *   mtasts-cache 1
 *   domain: example.com
 *  [policy-id: 20240501T120000          the TXT id it was fetched under
 *   policy-fetched-at: 1796083200       Unix seconds (the --now clock)
 *   policy-max-age: 86400
 *   policy-mode: enforce                enforce, testing or none
 *   policy-body: 69                     the length of the body in bytes,
 *   <the policy body: exactly that many bytes, then LF>]
 *  [failure-id: 20240501T120000         the last failed fetch (H6 back-off):
 *   failure-at: 1796083300              the id it was for (may be empty), when]
 *   end
 *
 * The body is kept so that the mx patterns of a cached policy can be
 * matched later. A file that does not follow the format exactly is
 * corrupt: the reader says where, and `resolve` treats it as no cache.
 * The final "end" line makes every truncation of a file corrupt.
 */
#ifndef MTASTS_RESOLVER_CACHE_H
#define MTASTS_RESOLVER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

/* The largest cache file: the body plus a few short lines. */
#define CACHE_FILE_MAX (MTASTS_POLICY_MAX_SIZE + 1024u)

typedef struct cache_text {
  const char *ptr;
  size_t len;
} cache_text;

typedef struct cache_record {
  cache_text domain;
  bool has_policy;
  cache_text id;
  uint64_t fetched_at;
  uint64_t max_age;
  mtasts_mode mode;
  cache_text body;
  bool has_failure;
  cache_text failure_id;
  uint64_t failure_at;
} cache_record;

/* Parse a cache file: spans into buf. Returns NULL, or what is wrong
 * (a static sentence) with *line set to its line (1-based). */
const char *cache_parse(const char *buf, size_t len, cache_record *out, size_t *line);

/* Write rec in the format above: returns the size it needs, and writes
 * it only when cap is at least that. Returns 0 for a record that could
 * not be read back (a field out of range, an invalid id or domain). */
size_t cache_format(const cache_record *rec, char *dst, size_t cap);

/* DIR/<domain> with the domain in lower case (DNS names are
 * case-insensitive: Example.COM and example.com share one entry).
 * False when it does not fit. */
bool cache_path(const char *dir, const char *domain, size_t domain_len, char *path, size_t cap);

typedef enum cache_load_result {
  CACHE_MISSING = 0, /* no file: no cache */
  CACHE_LOADED,
  CACHE_CORRUPT,   /* unusable content: msg says why */
  CACHE_UNREADABLE /* it exists but cannot be read: msg says why */
} cache_load_result;

/* Read and parse the file; *data (malloc'd, free it) holds the bytes
 * the record points into. */
cache_load_result cache_load(const char *path, char **data, cache_record *rec, char *msg,
                             size_t msglen);

/* Replace the file with rec atomically (a temporary file in the same
 * directory, then rename), or remove it when rec holds neither a
 * policy nor a failure. False, with err, on failure. */
bool cache_save(const char *path, const cache_record *rec, char *err, size_t errlen);

#endif /* MTASTS_RESOLVER_CACHE_H */
