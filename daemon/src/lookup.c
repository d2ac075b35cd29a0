/* lookup.c - the resolver behind mtasts-daemon (see lookup.h). */
#define _DEFAULT_SOURCE
#include "lookup.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "answer.h"
#include "mtasts_resolver.h"
#include "resolver_mx.h"

/* The disk cache is pruned every PRUNE_EVERY lookups (from one worker at
 * a time: the counter decides which). */
#define PRUNE_EVERY 256u
static atomic_uint lookups;

static void put_text(daemon_lookup_result *out, socketmap_reply_status st, const char *why,
                     const char *domain) {
  out->status = st;
  int n = snprintf(out->data, sizeof out->data, "%s: %s", domain, why);
  out->len = n > 0 && (size_t)n < sizeof out->data ? (size_t)n : 0;
}

/* Where the policy applies, DANE may decide instead (answer.h, R31). The
 * outcome is cached with the answer: served fresh for `refresh` at most,
 * then surveyed again with the policy. */
static void look_at_dane(const dane_queries *q, const char *domain, daemon_lookup_result *out) {
  dane_survey d;
  dane_survey_domain(q, domain, &d);
  out->status = daemon_answer_dane(out->status, domain, &d, out->data, sizeof out->data, &out->len);
}

/* The answer for policy p, narrowed to the domain's MX hosts that p
 * matches when `mx` (with ctx) can tell them (answer.h); cached with the
 * answer like the DANE survey. A failed MX lookup leaves the patterns. */
static void answer(const char *domain, const mtasts_policy *p, const daemon_config *cfg,
                   dns_query_fn mx, void *ctx, daemon_lookup_result *out) {
  daemon_answer_opts ao = {cfg->strict_testing, cfg->tlsrpt};
  out->status = daemon_answer(domain, p, &ao, out->data, sizeof out->data, &out->len);
  if (out->status != SOCKETMAP_OK || mx == NULL)
    return;
  char name[MTASTS_MAX_NAME_LEN + 2];
  snprintf(name, sizeof name, "%s.", domain);
  dns_mx hosts;
  if (dns_lookup_mx(mx, ctx, name, &hosts) != DNS_ERROR)
    out->status =
        daemon_answer_hosts(domain, p, &ao, &hosts, out->data, sizeof out->data, &out->len);
  dns_mx_free(&hosts);
}

/* The lookup in the world `io` (NULL: the real one); `dane` NULL: no
 * DANE survey; `mx` NULL: the patterns (answer.h). */
static void lookup(const mtasts_resolver_io *io, const dane_queries *dane, dns_query_fn mx,
                   const char *domain, const daemon_config *cfg, daemon_lookup_result *out) {
  mtasts_resolver_options opt;
  mtasts_resolver_options_init(&opt);
  opt.io = io;
  opt.cache_dir = cfg->cache_dir[0] != '\0' ? cfg->cache_dir : NULL;
  opt.ca_file = cfg->ca_file[0] != '\0' ? cfg->ca_file : NULL;
  opt.timeout = cfg->timeout;
  opt.refuse_private = cfg->refuse_private;
  mtasts_resolution *res = calloc(1, sizeof *res);
  if (res == NULL) {
    put_text(out, SOCKETMAP_TEMP, "out of memory", domain);
    return;
  }
  mtasts_resolve_status st = mtasts_resolve(domain, &opt, res);
  if (st == MTASTS_RESOLVE_DOMAIN) {
    out->status = SOCKETMAP_NOTFOUND; /* not a domain that can have a policy */
  } else if (st != MTASTS_RESOLVE_OK) {
    put_text(out, SOCKETMAP_TEMP, res->error, domain);
  } else {
    const mtasts_policy *p = res->applied != NULL ? &res->applied->p : NULL;
    answer(domain, p, cfg, mx, dane != NULL ? dane->ctx : NULL, out);
    out->keep_for = res->applied_max_age;
    if (out->status == SOCKETMAP_OK && cfg->dane && dane != NULL)
      look_at_dane(dane, domain, out);
  }
  mtasts_resolution_release(res);
  free(res);
  if (opt.cache_dir != NULL && atomic_fetch_add(&lookups, 1) % PRUNE_EVERY == PRUNE_EVERY - 1)
    daemon_prune_dir(opt.cache_dir, cfg->disk_entries);
}

void daemon_lookup_resolver(void *ctx, const char *domain, const daemon_config *cfg,
                            daemon_lookup_result *out) {
  static const dane_queries system_dns = {NULL, NULL, NULL};
  /* A world of a test's making has no MX or TLSA answers to give. */
  lookup(ctx, ctx == NULL ? &system_dns : NULL, ctx == NULL ? dns_query_system_mx : NULL, domain,
         cfg, out);
}

void daemon_lookup_world(void *ctx, const char *domain, const daemon_config *cfg,
                         daemon_lookup_result *out) {
  const daemon_world *w = ctx;
  lookup(w->resolver, &w->dane, w->mx, domain, cfg, out);
}

typedef struct dated {
  char name[256];
  struct timespec mtime;
} dated;

static int older_first(const void *a, const void *b) {
  const struct timespec *x = &((const dated *)a)->mtime, *y = &((const dated *)b)->mtime;
  if (x->tv_sec != y->tv_sec)
    return x->tv_sec < y->tv_sec ? -1 : 1;
  return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

/* The regular files of dir with their times; NULL when unreadable. */
static dated *list_files(const char *dir, size_t *count) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return NULL;
  size_t n = 0, cap = 64;
  dated *v = malloc(cap * sizeof *v);
  char path[4096 + 256];
  for (struct dirent *de; v != NULL && (de = readdir(d)) != NULL;) {
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof v->name || lstat(path, &st) != 0 ||
        !S_ISREG(st.st_mode))
      continue;
    if (n == cap) {
      dated *w = realloc(v, (cap *= 2) * sizeof *v);
      if (w == NULL)
        free(v);
      v = w;
      if (v == NULL)
        break;
    }
    memcpy(v[n].name, de->d_name, strlen(de->d_name) + 1);
    v[n++].mtime = st.st_mtim;
  }
  closedir(d);
  *count = n;
  return v;
}

/* At most how many files dir holds, from its entries alone: no lstat
 * unless the file system leaves d_type unknown. A full cache directory is
 * listed every PRUNE_EVERY lookups: with 100,000 files, an lstat of each
 * was most of the system time of filling the memory cache from disk. */
static size_t count_files(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return 0;
  size_t n = 0;
  for (struct dirent *de; (de = readdir(d)) != NULL;)
    n += de->d_name[0] != '.' && (de->d_type == DT_REG || de->d_type == DT_UNKNOWN);
  closedir(d);
  return n;
}

size_t daemon_prune_dir(const char *dir, size_t max) {
  size_t n = 0, removed = 0;
  if (count_files(dir) <= max)
    return 0;
  dated *v = list_files(dir, &n);
  if (v == NULL || n <= max) {
    free(v);
    return 0;
  }
  qsort(v, n, sizeof *v, older_first);
  char path[4096 + 256];
  for (size_t i = 0; i < n - max; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, v[i].name);
    removed += remove(path) == 0;
  }
  free(v);
  return removed;
}
