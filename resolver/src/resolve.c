/*
 * cmd_resolve.c - `mtasts resolve DOMAIN`: what a sending MTA does for
 * one Policy Domain (RFC 8461 3, 5.1), for real: the _mta-sts TXT lookup
 * (dns.c), the cache (cache_file.c), the HTTPS fetch when the engine asks
 * for one (https.c), and the engine's decisions (mtasts_apply_decide)
 * applied to the cache. resolve_output.c says what happened.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "resolve.h"

/* ------------------------------------------------------------------ */
/* Policies                                                            */
/* ------------------------------------------------------------------ */

static const mtasts_options strict = {MTASTS_STRICT, 0, NULL};

static void policy_release(resolve_policy *rp) {
  free(rp->mx);
  rp->mx = NULL;
}

/* Parse a cached body, sizing the mx array from a first pass. */
static mtasts_code policy_parse_sized(const char *body, size_t len, resolve_policy *rp) {
  mtasts_policy_init(&rp->p, NULL, 0);
  mtasts_code code = mtasts_policy_parse(body, len, &strict, &rp->p);
  if (code != MTASTS_E_MX_CAPACITY)
    return code;
  rp->mx = calloc(rp->p.mx_needed, sizeof *rp->mx);
  if (rp->mx == NULL)
    return MTASTS_E_MX_CAPACITY;
  mtasts_policy_init(&rp->p, rp->mx, rp->p.mx_needed);
  return mtasts_policy_parse(body, len, &strict, &rp->p);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static void lower_ascii(char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] >= 'A' && p[i] <= 'Z')
      p[i] = (char)(p[i] - 'A' + 'a');
}

/* The Policy Host (R19) and the TXT name, in lower case: DNS names are
 * case-insensitive, and one spelling keeps one cache entry. */
static bool make_names(resolve_run *run) {
  const char *d = run->domain_arg;
  run->host_len = mtasts_policy_host(d, strlen(d), run->host, sizeof run->host - 1);
  if (run->host_len == 0 || run->host_len >= sizeof run->host)
    return false;
  run->host[run->host_len] = '\0';
  lower_ascii(run->host, run->host_len);
  run->domain_len = run->host_len - strlen("mta-sts.");
  memcpy(run->domain, run->host + strlen("mta-sts."), run->domain_len + 1);
  snprintf(run->txt_name, sizeof run->txt_name, "_mta-sts.%s.", run->domain);
  return true;
}

/* ------------------------------------------------------------------ */
/* The cache, before the decision                                      */
/* ------------------------------------------------------------------ */

static void forget_cache(resolve_run *run, const char *why) {
  snprintf(run->cache_msg, sizeof run->cache_msg, "%s", why);
  run->cache_state = RC_CORRUPT;
  memset(&run->cached, 0, sizeof run->cached);
  policy_release(&run->cached_policy);
}

/* The body must still be the policy the other lines describe. */
static void check_cached_policy(resolve_run *run) {
  const cache_record *c = &run->cached;
  char why[RESOLVE_PATH_MAX + 128];
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
    uint64_t age = run->now >= c->fetched_at ? run->now - c->fetched_at : 0;
    run->cache_state = age <= c->max_age ? RC_VALID : RC_EXPIRED; /* R14 */
  }
}

/* Returns false (with the message in run->cache_msg) when the cache
 * cannot be used at all: that is trouble, not a corrupt entry. */
static bool load_cache(resolve_run *run) {
  const char *dir = run->o->resolve.cache_dir;
  if (dir == NULL) {
    run->cache_state = RC_OFF;
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
  run->cache_state = RC_EMPTY;
  if (r == CACHE_CORRUPT) {
    char why[sizeof run->cache_msg];
    memcpy(why, run->cache_msg, sizeof why);
    forget_cache(run, why);
  } else if (r == CACHE_LOADED &&
             (run->cached.domain.len != run->domain_len ||
              memcmp(run->cached.domain.ptr, run->domain, run->domain_len) != 0)) {
    char why[RESOLVE_PATH_MAX + 128];
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

static void discover(resolve_run *run) {
  dns_outcome outcome = dns_lookup_txt(run->txt_name, &run->dns);
  if (outcome == DNS_ABSENT) {
    run->discovery = MTASTS_TXT_ABSENT;
    run->select_code = MTASTS_E_RRSET_NONE;
    return;
  }
  if (outcome == DNS_ERROR) {
    run->discovery = MTASTS_TXT_DNS_ERROR;
    return;
  }
  run->select_code =
      mtasts_txt_select(run->dns.rrs, run->dns.rr_count, &strict, &run->select, &run->txt);
  run->discovery = mtasts_discovery_from_select(run->select_code);
  if (run->discovery == MTASTS_TXT_VALID)
    run->live_id_len = mtasts_txt_copy(&run->txt, run->txt.id, run->live_id, MTASTS_MAX_ID_LEN);
}

/* ------------------------------------------------------------------ */
/* The decisions (RFC 8461 5.1, engine/README.md)                      */
/* ------------------------------------------------------------------ */

static mtasts_app_input decision_input(const resolve_run *run) {
  mtasts_app_input in;
  memset(&in, 0, sizeof in);
  in.now = run->now;
  in.txt = run->discovery;
  in.live_id = run->live_id_len > 0 ? run->live_id : NULL;
  in.live_id_len = run->live_id_len;
  in.refresh_interval = run->o->resolve.refresh;
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
static mtasts_fetch_reason accept_response(resolve_run *run) {
  const http_reader *rd = run->reader;
  mtasts_http_response resp = {rd->status,           false,    rd->content_type.ptr,
                               rd->content_type.len, rd->body, rd->body_len};
  resolve_policy *rp = &run->fetched_policy;
  size_t cap = 16;
  for (int attempt = 0; attempt < 2; attempt++) {
    policy_release(rp);
    rp->mx = calloc(cap, sizeof *rp->mx);
    if (rp->mx == NULL)
      return MTASTS_FETCH_MX_CAPACITY;
    mtasts_policy_init(&rp->p, rp->mx, cap);
    mtasts_fetch_reason reason = mtasts_fetch_accept(&resp, &strict, &rp->p, &run->verdict);
    if (reason != MTASTS_FETCH_MX_CAPACITY)
      return reason;
    cap = rp->p.mx_needed;
  }
  return MTASTS_FETCH_MX_CAPACITY;
}

static bool fetch(resolve_run *run) {
  run->reader = malloc(sizeof *run->reader);
  if (run->reader == NULL)
    return false;
  const cli_resolve *rs = &run->o->resolve;
  https_request req = {run->host, rs->port, RESOLVE_WELL_KNOWN, rs->ca_file, rs->timeout};
  https_status st = https_get(&req, run->reader, &run->https);
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

static void settle_outcome(resolve_run *run) {
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

bool resolve_mx_matches(const resolve_run *run, const char *host, long *index) {
  *index = run->applied != NULL ? mtasts_policy_match(&run->applied->p, host, strlen(host)) : -1;
  return *index >= 0;
}

/* The id a failed fetch was for: the live one, or for a refresh without
 * a live record, the cached one (as the engine's back-off reads it). */
/* Apply the decision to the cache file: STORE, EVICT or KEEP, and the
 * last failure for the back-off (H6). Unchanged: not rewritten. */
static bool save_cache(resolve_run *run, char *err, size_t errlen) {
  if (run->cache_state == RC_OFF)
    return true;
  const mtasts_decision *d = &run->final;
  cache_record next = run->cached;
  next.domain = (cache_text){run->domain, run->domain_len};
  bool changed = run->cache_state == RC_CORRUPT;
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

/* --starttls: connect to each MX host as a sender would, and let the
 * engine say what its TLS means under the applied policy. */
static bool check_mx_tls(resolve_run *run) {
  const cli_resolve *rs = &run->o->resolve;
  run->mx_tls = calloc(rs->mx_count, sizeof *run->mx_tls);
  if (run->mx_tls == NULL)
    return false;
  const mtasts_policy *policy = run->applied != NULL ? &run->applied->p : NULL;
  for (size_t i = 0; i < rs->mx_count; i++) {
    const char *host = rs->mx[i];
    smtp_request req = {host, rs->smtp_port, rs->ca_file, rs->timeout};
    resolve_mx_tls *t = &run->mx_tls[i];
    mtasts_tls_result tls = smtp_check_tls(&req, &t->smtp);
    mtasts_mx_decide(policy, host, strlen(host), tls, &t->outcome);
  }
  return true;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

static int resolve(resolve_run *run, cli_report *r) {
  char err[RESOLVE_PATH_MAX + 256];
  if (!make_names(run))
    return report_trouble(r, run->domain_arg, "not a domain resolve can use");
  if (!load_cache(run))
    return report_trouble(r, run->domain_arg, run->cache_msg);
  if (run->cache_state == RC_CORRUPT && !run->o->quiet)
    fprintf(stderr, "mtasts: warning: ignoring a corrupt cache file: %s\n", run->cache_msg);
  discover(run);
  mtasts_app_input in = decision_input(run);
  if (!mtasts_apply_decide(&in, &run->first))
    return report_trouble(r, run->domain_arg, "the engine refused the cache entry");
  run->final = run->first;
  if (run->first.fetch) {
    if (!fetch(run))
      return report_trouble(r, run->domain_arg, "out of memory");
    in.fetch = (mtasts_fetch_result){true, run->reason, run->fetched_policy.p.mode,
                                     run->fetched_policy.p.max_age};
    if (!mtasts_apply_decide(&in, &run->final))
      return report_trouble(r, run->domain_arg, "the engine refused the fetch result");
  }
  settle_outcome(run);
  if (!save_cache(run, err, sizeof err))
    return report_trouble(r, run->domain_arg, err);
  if (run->o->resolve.starttls && !check_mx_tls(run))
    return report_trouble(r, run->domain_arg, "out of memory");
  if (run->o->quiet)
    return EXIT_VALID;
  if (run->o->json)
    resolve_print_json(run);
  else
    resolve_print_text(run, stdout);
  return EXIT_VALID;
}

int cmd_resolve(const cli_options *o) {
  /* A policy host that closes the connection while the request is sent
   * must not kill the command. */
  signal(SIGPIPE, SIG_IGN);
  resolve_run *run = calloc(1, sizeof *run);
  if (run == NULL)
    return EXIT_TROUBLE;
  run->o = o;
  run->domain_arg = o->args[0];
  run->now = o->resolve.now_given ? o->resolve.now : (uint64_t)time(NULL);
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  int status = resolve(run, &r);
  dns_txt_free(&run->dns);
  policy_release(&run->cached_policy);
  policy_release(&run->fetched_policy);
  free(run->cache_data);
  free(run->reader);
  free(run->mx_tls);
  free(run);
  return status;
}
