/*
 * resolve.c - what a sending MTA does for one Policy Domain (RFC 8461 3,
 * 5.1), for real: the _mta-sts TXT lookup (dns.c), the cache
 * (cache_file.c), the HTTPS fetch when the engine asks for one (https.c),
 * the engine's decisions (mtasts_apply_decide) applied to the cache, and
 * the MX hosts (smtp.c). See mtasts_resolver.h.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mtasts_resolver.h"

/* ------------------------------------------------------------------ */
/* The world                                                           */
/* ------------------------------------------------------------------ */

static uint64_t clock_now(void *ctx) {
  (void)ctx;
  return (uint64_t)time(NULL);
}

static https_status real_https_get(void *ctx, const https_request *req, http_reader *reader,
                                   https_result *out) {
  (void)ctx;
  return https_get(req, reader, out);
}

static mtasts_tls_result real_smtp_check(void *ctx, const smtp_request *req, smtp_result *out) {
  (void)ctx;
  return smtp_check_tls(req, out);
}

static const mtasts_resolver_io real_world = {NULL, clock_now, dns_query_system, real_https_get,
                                              real_smtp_check};

/* The caller's io, its NULL hooks replaced by the real ones. */
static mtasts_resolver_io fill_world(const mtasts_resolver_io *given) {
  if (given == NULL)
    return real_world;
  mtasts_resolver_io io = *given;
  io.now = io.now != NULL ? io.now : real_world.now;
  io.txt_query = io.txt_query != NULL ? io.txt_query : real_world.txt_query;
  io.https_get = io.https_get != NULL ? io.https_get : real_world.https_get;
  io.smtp_check = io.smtp_check != NULL ? io.smtp_check : real_world.smtp_check;
  return io;
}

void mtasts_resolver_options_init(mtasts_resolver_options *o) {
  memset(o, 0, sizeof *o);
  o->refresh = 86400; /* RFC 8461 3.3: "a suggested refresh frequency is once per day" */
  o->timeout = 60;    /* RFC 8461 3.3: "A suggested timeout is one minute" */
  o->https_port = 443;
  o->smtp_port = 25; /* the SMTP port, where senders reach an MX */
}

const char *mtasts_cache_state_name(mtasts_cache_state s) {
  static const char *const names[] = {"off", "empty", "valid", "expired", "corrupt"};
  return (size_t)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

/* ------------------------------------------------------------------ */
/* Policies                                                            */
/* ------------------------------------------------------------------ */

static const mtasts_options strict = {MTASTS_STRICT, 0, NULL};

static void policy_release(mtasts_resolved_policy *rp) {
  free(rp->mx);
  rp->mx = NULL;
}

/* Parse a cached body, sizing the mx array from a first pass. */
static mtasts_code policy_parse_sized(const char *body, size_t len, mtasts_resolved_policy *rp) {
  mtasts_policy_init(&rp->p, NULL, 0, rp->ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse(body, len, &strict, &rp->p);
  if (code != MTASTS_E_MX_CAPACITY)
    return code;
  rp->mx = calloc(rp->p.mx_needed, sizeof *rp->mx);
  if (rp->mx == NULL)
    return MTASTS_E_MX_CAPACITY;
  mtasts_policy_init(&rp->p, rp->mx, rp->p.mx_needed, rp->ext, MTASTS_MAX_EXTENSIONS);
  return mtasts_policy_parse(body, len, &strict, &rp->p);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* The Policy Domain, its Policy Host (R19) and TXT name, as the engine
 * writes them: the domain in lower case, so one spelling keeps one cache
 * entry. A valid domain's names fit their arrays, with a NUL: */
#define FIELD_SIZE(f) sizeof(((mtasts_resolution *)0)->f)
_Static_assert(FIELD_SIZE(domain) > MTASTS_MAX_NAME_LEN && FIELD_SIZE(host) > MTASTS_MAX_NAME_LEN &&
                   FIELD_SIZE(txt_name) > MTASTS_MAX_NAME_LEN + 2,
               "a Policy Host has at most 253 octets; the TXT name two more");

static bool make_names(mtasts_resolution *run) {
  const char *d = run->domain_arg;
  run->domain_len = mtasts_policy_domain(d, strlen(d), run->domain, sizeof run->domain);
  if (run->domain_len == 0)
    return false;
  run->domain[run->domain_len] = '\0';
  run->host_len = mtasts_policy_host(run->domain, run->domain_len, run->host, sizeof run->host);
  run->host[run->host_len] = '\0';
  size_t txt_len =
      mtasts_txt_name(run->domain, run->domain_len, run->txt_name, sizeof run->txt_name);
  run->txt_name[txt_len] = '\0';
  return true;
}

/* ------------------------------------------------------------------ */
/* The cache, before the decision                                      */
/* ------------------------------------------------------------------ */

static void forget_cache(mtasts_resolution *run, const char *why) {
  snprintf(run->cache_msg, sizeof run->cache_msg, "%s", why);
  run->cache_state = MTASTS_CACHE_STATE_CORRUPT;
  memset(&run->cached, 0, sizeof run->cached);
  policy_release(&run->cached_policy);
}

/* The body must still be the policy the other lines describe. */
static void check_cached_policy(mtasts_resolution *run) {
  const cache_record *c = &run->cached;
  char why[MTASTS_RESOLVER_PATH_MAX + 128];
  mtasts_code code = policy_parse_sized(c->body.ptr, c->body.len, &run->cached_policy);
  if (code != MTASTS_OK) {
    snprintf(why, sizeof why, "%s: the cached policy body does not parse (%s)", run->cache_path,
             mtasts_errname(code));
    forget_cache(run, why);
  } else if (run->cached_policy.p.mode != c->mode || run->cached_policy.p.max_age != c->max_age) {
    snprintf(why, sizeof why, "%s: the cached mode or max_age differs from the policy body",
             run->cache_path);
    forget_cache(run, why);
  } else {
    mtasts_cache_entry e = {true, c->id.ptr, c->id.len, c->fetched_at, c->max_age, c->mode};
    run->cache_state =
        mtasts_cache_valid(&e, run->now) ? MTASTS_CACHE_STATE_VALID : MTASTS_CACHE_STATE_EXPIRED;
  }
}

/* Returns false (with the message in run->cache_msg) when the cache
 * cannot be used at all: that is trouble, not a corrupt entry. */
static bool load_cache(mtasts_resolution *run) {
  const char *dir = run->opt->cache_dir;
  if (dir == NULL) {
    run->cache_state = MTASTS_CACHE_STATE_OFF;
    return true;
  }
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    snprintf(run->cache_msg, sizeof run->cache_msg, "cannot create the cache directory '%s': %s",
             dir, strerror(errno));
    return false;
  }
  if (!cache_path(dir, run->domain, run->domain_len, run->cache_path, sizeof run->cache_path)) {
    snprintf(run->cache_msg, sizeof run->cache_msg, "the cache directory name is too long");
    return false;
  }
  cache_load_result r = cache_load(run->cache_path, &run->cache_data, &run->cached, run->cache_msg,
                                   sizeof run->cache_msg);
  if (r == CACHE_UNREADABLE)
    return false;
  run->cache_state = MTASTS_CACHE_STATE_EMPTY;
  if (r == CACHE_CORRUPT) {
    char why[sizeof run->cache_msg];
    memcpy(why, run->cache_msg, sizeof why);
    forget_cache(run, why);
  } else if (r == CACHE_LOADED &&
             (run->cached.domain.len != run->domain_len ||
              memcmp(run->cached.domain.ptr, run->domain, run->domain_len) != 0)) {
    char why[MTASTS_RESOLVER_PATH_MAX + 128];
    snprintf(why, sizeof why, "%s: the file is for another domain", run->cache_path);
    forget_cache(run, why);
  } else if (r == CACHE_LOADED && run->cached.has_policy) {
    check_cached_policy(run);
  }
  return true;
}

/* ------------------------------------------------------------------ */
/* Discovery (RFC 8461 3.1)                                            */
/* ------------------------------------------------------------------ */

static void discover(mtasts_resolution *run) {
  dns_outcome outcome = dns_lookup_txt(run->io.txt_query, run->io.ctx, run->txt_name, &run->dns);
  if (outcome == DNS_ABSENT) {
    run->discovery = MTASTS_TXT_ABSENT;
    run->select_code = MTASTS_E_RRSET_NONE;
    return;
  }
  if (outcome == DNS_ERROR) {
    run->discovery = MTASTS_TXT_DNS_ERROR;
    return;
  }
  mtasts_txt_init(&run->txt, run->txt_ext, MTASTS_MAX_EXTENSIONS);
  run->select_code =
      mtasts_txt_select(run->dns.rrs, run->dns.rr_count, &strict, &run->select, &run->txt);
  run->discovery = mtasts_discovery_from_select(run->select_code);
  if (run->discovery == MTASTS_TXT_VALID)
    run->live_id_len = mtasts_txt_copy(&run->txt, run->txt.id, run->live_id, MTASTS_MAX_ID_LEN);
}

/* ------------------------------------------------------------------ */
/* The decisions (RFC 8461 5.1, engine/README.md)                      */
/* ------------------------------------------------------------------ */

static mtasts_app_input decision_input(const mtasts_resolution *run) {
  mtasts_app_input in;
  memset(&in, 0, sizeof in);
  in.now = run->now;
  in.txt = run->discovery;
  in.live_id = run->live_id_len > 0 ? run->live_id : NULL;
  in.live_id_len = run->live_id_len;
  in.refresh_interval = run->opt->refresh;
  const cache_record *c = &run->cached;
  if (c->has_policy) {
    in.cache = (mtasts_cache_entry){true, c->id.ptr, c->id.len, c->fetched_at, c->max_age, c->mode};
  }
  if (c->has_failure)
    in.last_failure =
        (mtasts_last_failure){true, c->failure_id.ptr, c->failure_id.len, c->failure_at};
  return in;
}

/* ------------------------------------------------------------------ */
/* The fetch (RFC 8461 3.3)                                            */
/* ------------------------------------------------------------------ */

/* Accept the response as a policy; the parser never allocates, so a
 * policy with more mx lines than the first array is parsed again with
 * one of the size it asks for. */
static mtasts_fetch_reason accept_response(mtasts_resolution *run) {
  const http_reader *rd = run->reader;
  mtasts_http_response resp = {rd->status,           false,    rd->content_type.ptr,
                               rd->content_type.len, rd->body, rd->body_len};
  mtasts_resolved_policy *rp = &run->fetched_policy;
  size_t cap = 16;
  for (int attempt = 0; attempt < 2; attempt++) {
    policy_release(rp);
    rp->mx = calloc(cap, sizeof *rp->mx);
    if (rp->mx == NULL)
      return MTASTS_FETCH_CAPACITY;
    mtasts_policy_init(&rp->p, rp->mx, cap, rp->ext, MTASTS_MAX_EXTENSIONS);
    mtasts_fetch_reason reason = mtasts_fetch_accept(&resp, &strict, &rp->p, &run->verdict);
    if (reason != MTASTS_FETCH_CAPACITY)
      return reason;
    cap = rp->p.mx_needed;
  }
  return MTASTS_FETCH_CAPACITY;
}

static bool fetch(mtasts_resolution *run) {
  run->reader = malloc(sizeof *run->reader);
  if (run->reader == NULL)
    return false;
  const mtasts_resolver_options *o = run->opt;
  https_request req = {run->host,  o->https_port, MTASTS_RESOLVER_WELL_KNOWN,
                       o->ca_file, o->timeout,    o->refuse_private};
  https_status st = run->io.https_get(run->io.ctx, &req, run->reader, &run->https);
  run->fetched = true;
  if (st == HTTPS_NETWORK)
    run->reason = MTASTS_FETCH_NETWORK;
  else if (st == HTTPS_WEBPKI)
    run->reason = MTASTS_FETCH_WEBPKI;
  else
    run->reason = accept_response(run);
  return true;
}

/* ------------------------------------------------------------------ */
/* The outcome                                                         */
/* ------------------------------------------------------------------ */

static void settle_outcome(mtasts_resolution *run) {
  const mtasts_decision *d = &run->final;
  if (d->apply == MTASTS_APPLY_NEW) {
    run->applied = &run->fetched_policy;
    run->applied_id = d->store.id;
    run->applied_id_len = d->store.id_len;
    run->applied_max_age = d->store.max_age;
  } else if (d->apply == MTASTS_APPLY_CACHED) {
    run->applied = &run->cached_policy;
    run->applied_id = run->cached.id.ptr;
    run->applied_id_len = run->cached.id.len;
    run->applied_max_age = run->cached.max_age;
  }
}

bool mtasts_resolution_mx_matches(const mtasts_resolution *run, const char *host, long *index) {
  *index = run->applied != NULL ? mtasts_policy_match(&run->applied->p, host, strlen(host)) : -1;
  return *index >= 0;
}

/* The id a failed fetch was for: the live one, or for a refresh without
 * a live record, the cached one (as the engine's back-off reads it). */
/* Apply the decision to the cache file: STORE, EVICT or KEEP, and the
 * last failure for the back-off (H6). Unchanged: not rewritten. */
static bool save_cache(mtasts_resolution *run, char *err, size_t errlen) {
  if (run->cache_state == MTASTS_CACHE_STATE_OFF)
    return true;
  const mtasts_decision *d = &run->final;
  cache_record next = run->cached;
  next.domain = (cache_text){run->domain, run->domain_len};
  bool changed = run->cache_state == MTASTS_CACHE_STATE_CORRUPT;
  if (d->cache == MTASTS_CACHE_STORE) {
    next.has_policy = true;
    next.id = (cache_text){d->store.id, d->store.id_len};
    next.fetched_at = d->store.fetched_at;
    next.max_age = d->store.max_age;
    next.mode = d->store.mode;
    next.body = (cache_text){run->reader->body, run->reader->body_len};
    next.has_failure = false; /* a success ends the back-off */
    changed = true;
  } else if (d->cache == MTASTS_CACHE_EVICT) {
    next.has_policy = false;
    changed = true;
  }
  if (d->record_failure) {
    next.has_failure = true;
    next.failure_id = (cache_text){d->failure_id, d->failure_id_len};
    next.failure_at = run->now;
    changed = true;
  }
  if (!changed)
    return true;
  if (!cache_save(run->cache_path, &next, err, errlen))
    return false;
  run->cache_written = true;
  return true;
}

/* ------------------------------------------------------------------ */
/* The MX hosts (RFC 8461 4, 5)                                        */
/* ------------------------------------------------------------------ */

/* starttls: connect to each MX host as a sender would, and let the
 * engine say what its TLS means under the applied policy. */
static bool check_mx_tls(mtasts_resolution *run) {
  const mtasts_resolver_options *o = run->opt;
  /* + 1: calloc(0) may return NULL, which would read as out of memory */
  run->mx_tls = calloc(o->mx_count + 1, sizeof *run->mx_tls);
  if (run->mx_tls == NULL)
    return false;
  const mtasts_policy *policy = run->applied != NULL ? &run->applied->p : NULL;
  for (size_t i = 0; i < o->mx_count; i++) {
    const char *host = o->mx[i];
    smtp_request req = {host, o->smtp_port, o->ca_file, o->timeout};
    mtasts_resolved_mx *t = &run->mx_tls[i];
    mtasts_tls_result tls = run->io.smtp_check(run->io.ctx, &req, &t->smtp);
    mtasts_mx_decide(policy, host, strlen(host), tls, &t->outcome);
  }
  return true;
}

/* ------------------------------------------------------------------ */
/* The library                                                         */
/* ------------------------------------------------------------------ */

static mtasts_resolve_status fail(mtasts_resolution *run, mtasts_resolve_status st,
                                  const char *why) {
  snprintf(run->error, sizeof run->error, "%s", why);
  return st;
}

/* RFC 8461 5.1: discovery, the cache, a fetch when the engine asks for
 * one, the decision applied to the cache, then the MX hosts. */
static mtasts_resolve_status resolve(mtasts_resolution *run) {
  char err[MTASTS_RESOLVER_PATH_MAX + 256];
  if (!make_names(run))
    return fail(run, MTASTS_RESOLVE_DOMAIN, "not a domain resolve can use");
  if (!load_cache(run))
    return fail(run, MTASTS_RESOLVE_CACHE, run->cache_msg);
  discover(run);
  mtasts_app_input in = decision_input(run);
  if (!mtasts_apply_decide(&in, &run->first))
    return fail(run, MTASTS_RESOLVE_INTERNAL, "the engine refused the cache entry");
  run->final = run->first;
  if (run->first.fetch) {
    if (!fetch(run))
      return fail(run, MTASTS_RESOLVE_INTERNAL, "out of memory");
    in.fetch = (mtasts_fetch_result){true, run->reason, run->fetched_policy.p.mode,
                                     run->fetched_policy.p.max_age};
    if (!mtasts_apply_decide(&in, &run->final))
      return fail(run, MTASTS_RESOLVE_INTERNAL, "the engine refused the fetch result");
  }
  settle_outcome(run);
  if (!save_cache(run, err, sizeof err))
    return fail(run, MTASTS_RESOLVE_CACHE, err);
  if (run->opt->starttls && !check_mx_tls(run))
    return fail(run, MTASTS_RESOLVE_INTERNAL, "out of memory");
  return MTASTS_RESOLVE_OK;
}

mtasts_resolve_status mtasts_resolve(const char *domain, const mtasts_resolver_options *opt,
                                     mtasts_resolution *res) {
  memset(res, 0, sizeof *res);
  res->opt = opt;
  res->domain_arg = domain;
  res->io = fill_world(opt->io);
  res->now = res->io.now(res->io.ctx);
  return resolve(res);
}

void mtasts_resolution_release(mtasts_resolution *res) {
  dns_txt_free(&res->dns);
  policy_release(&res->cached_policy);
  policy_release(&res->fetched_policy);
  free(res->cache_data);
  free(res->reader);
  free(res->mx_tls);
  res->cache_data = NULL;
  res->reader = NULL;
  res->mx_tls = NULL;
  res->applied = NULL;
}
