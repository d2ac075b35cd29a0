/*
 * apply.c - the policy application control flow (RFC 8461 3.1, 3.3,
 * 5.1, 6, 8.3, 10.2; rulings R8, R14, R15) as a pure function of the
 * cache entry, the discovery outcome, the fetch outcome and the time.
 */
#include "mtasts_engine.h"

#include <string.h>

/* Seconds since `then`. A clock that went backwards gives 0: the entry
 * counts as just fetched rather than as expired, so a clock step cannot
 * silently drop an enforce policy (10.2: discovery is the weak point). */
static uint64_t age_of(uint64_t now, uint64_t then) {
  /* mutant-equivalent(rel): at now == then both give 0 */
  return now >= then ? now - then : 0;
}

/* R14: "A cached policy is valid while age <= max_age". */
bool mtasts_cache_valid(const mtasts_cache_entry *cache, uint64_t now) {
  return cache != NULL && cache->present && age_of(now, cache->fetched_at) <= cache->max_age;
}

static bool cache_is_valid(const mtasts_app_input *in) {
  return mtasts_cache_valid(&in->cache, in->now);
}

static bool same_id(const char *a, size_t alen, const char *b, size_t blen) {
  return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0); /* R16: byte for byte */
}

static bool is_enforcing(mtasts_mode m) {
  return m == MTASTS_MODE_ENFORCE || m == MTASTS_MODE_TESTING;
}

static void apply(mtasts_decision *out, mtasts_apply what, mtasts_mode mode) {
  out->apply = what;
  out->mode = what == MTASTS_APPLY_NONE ? MTASTS_MODE_UNSET : mode;
  /* R15: none is applied (and cached) but enforces nothing. */
  out->enforce = is_enforcing(out->mode);
}

/* The id a fetch now would be made for: the live one, or for a
 * proactive refresh without a live record, the cached one. */
static void fetch_id(const mtasts_app_input *in, const char **id, size_t *len) {
  if (in->txt == MTASTS_TXT_VALID) {
    *id = in->live_id;
    *len = in->live_id_len;
  } else {
    *id = in->cache.id;
    *len = in->cache.id_len;
  }
}

/* H6: "implementers SHOULD limit further attempts to a period of five
 * minutes or longer per version ID". */
static bool fetch_backed_off(const mtasts_app_input *in) {
  const char *id;
  size_t len;
  if (!in->last_failure.present)
    return false;
  fetch_id(in, &id, &len);
  return same_id(in->last_failure.id, in->last_failure.id_len, id, len) &&
         age_of(in->now, in->last_failure.at) < MTASTS_FETCH_RETRY_MIN;
}

static mtasts_fetch_why fetch_needed(const mtasts_app_input *in, bool cache_valid) {
  if (in->txt == MTASTS_TXT_VALID) {
    /* 5.1 step 1: "If none exists, attempt to fetch a new policy". */
    if (!cache_valid)
      return MTASTS_WHY_NO_CACHE;
    /* T3: the id lets "senders ... determine when the policy has been
     * updated by comparing to the id of a previously seen policy". */
    if (!same_id(in->live_id, in->live_id_len, in->cache.id, in->cache.id_len))
      return MTASTS_WHY_NEW_ID;
  }
  /* H10 / 10.2: refresh before expiry, "regardless of the state of the
   * _mta-sts TXT record". T6 keeps a domain without a usable record and
   * without a valid cache from being fetched at all. */
  if (cache_valid && in->refresh_interval != 0 &&
      age_of(in->now, in->cache.fetched_at) >= in->refresh_interval)
    return MTASTS_WHY_REFRESH;
  return MTASTS_WHY_NONE;
}

/* An expired entry is of no use to anyone (R14); a valid one stays even
 * when discovery fails (T7). */
static mtasts_cache_action keep_or_evict(const mtasts_app_input *in, bool cache_valid) {
  return in->cache.present && !cache_valid ? MTASTS_CACHE_EVICT : MTASTS_CACHE_KEEP;
}

static void before_fetch(const mtasts_app_input *in, bool cache_valid, mtasts_decision *out) {
  /* Until a fetch succeeds the valid cache applies (H9), else nothing. */
  apply(out, cache_valid ? MTASTS_APPLY_CACHED : MTASTS_APPLY_NONE, in->cache.mode);
  out->cache = keep_or_evict(in, cache_valid);
  out->why = fetch_needed(in, cache_valid);
  if (out->why != MTASTS_WHY_NONE) {
    if (fetch_backed_off(in)) {
      out->event = MTASTS_EV_FETCH_DEFERRED;
      out->log = MTASTS_LOG_NOTICE;
    } else {
      out->fetch = true;
      out->event = MTASTS_EV_FETCH_PENDING;
    }
    return;
  }
  if (cache_valid) {
    bool live = in->txt == MTASTS_TXT_VALID;
    out->event = live ? MTASTS_EV_CACHE_HIT : MTASTS_EV_DISCOVERY_FAILED;
    /* 10.2: a vanished record under an enforce/testing cache may be an
     * attack on discovery; under none it is the 8.3 removal workflow. */
    out->log = !live && in->cache.mode != MTASTS_MODE_NONE ? MTASTS_LOG_NOTICE : MTASTS_LOG_NONE;
    return;
  }
  out->event = MTASTS_EV_NO_POLICY;
  /* A record that is there but unusable is the domain's mistake: worth
   * a line; a domain without MTA-STS is not. */
  out->log = in->txt == MTASTS_TXT_INVALID || in->txt == MTASTS_TXT_MULTIPLE ? MTASTS_LOG_NOTICE
                                                                             : MTASTS_LOG_NONE;
}

static void store(mtasts_decision *out, const mtasts_app_input *in, const char *id, size_t len) {
  out->cache = MTASTS_CACHE_STORE;
  out->store.present = true;
  out->store.id = id;
  out->store.id_len = len;
  out->store.fetched_at = in->now;
  out->store.max_age = in->fetch.max_age;
  out->store.mode = in->fetch.mode;
}

static void fetch_succeeded(const mtasts_app_input *in, bool cache_valid, mtasts_decision *out) {
  if (in->txt == MTASTS_TXT_VALID) {
    /* The body has no id: the policy is cached under the id it was
     * fetched for. R15: a none policy replaces whatever was cached. */
    store(out, in, in->live_id, in->live_id_len);
  } else if (cache_valid) {
    /* 10.2 refresh without a live record: same id, new fetch time. */
    store(out, in, in->cache.id, in->cache.id_len);
  } else {
    /* T6: without a usable record the domain has no available policy;
     * a body fetched anyway has no id to be cached under. */
    /* mutant-equivalent(drop): out is zeroed at entry: that is APPLY_NONE, MODE_UNSET and
     * enforce false already */
    apply(out, MTASTS_APPLY_NONE, MTASTS_MODE_UNSET);
    out->cache = keep_or_evict(in, cache_valid);
    out->event = MTASTS_EV_FETCH_IGNORED;
    return;
  }
  apply(out, MTASTS_APPLY_NEW, in->fetch.mode);
  out->event = MTASTS_EV_FETCHED;
}

static void fetch_failed(const mtasts_app_input *in, bool cache_valid, mtasts_decision *out) {
  mtasts_rpt rpt = mtasts_fetch_reason_rpt(in->fetch.reason);
  out->event = MTASTS_EV_FETCH_FAILED;
  /* R8 puts an unparsable body here too. A local sizing problem is not
   * a failure of the domain's server, so it starts no back-off. */
  out->record_failure = in->fetch.reason != MTASTS_FETCH_CAPACITY;
  if (out->record_failure)
    fetch_id(in, &out->failure_id, &out->failure_id_len);
  if (cache_valid) {
    /* H9: "a valid (non-expired) policy exists in the sender's cache,
     * the sender MUST apply that cached policy". */
    apply(out, MTASTS_APPLY_CACHED, in->cache.mode);
    /* mutant-equivalent(drop): out is zeroed at entry, and CACHE_KEEP is 0 */
    out->cache = MTASTS_CACHE_KEEP;
    /* H10 and 6 bullet 2: alert and report "unless the cached policy
     * mode is none". */
    bool quiet = in->cache.mode == MTASTS_MODE_NONE;
    out->log = quiet ? MTASTS_LOG_NOTICE : MTASTS_LOG_ALERT;
    out->rpt = quiet ? MTASTS_RPT_NONE : rpt;
    return;
  }
  /* H8: "senders MUST continue with delivery as though the domain has
   * not implemented MTA-STS". 6 bullet 1: report "HTTPS policy fetch
   * failures when a valid TXT record is present". */
  /* mutant-equivalent(drop): out is zeroed at entry: that is APPLY_NONE, MODE_UNSET and enforce
   * false already */
  apply(out, MTASTS_APPLY_NONE, MTASTS_MODE_UNSET);
  out->cache = keep_or_evict(in, cache_valid);
  out->log = MTASTS_LOG_NOTICE;
  out->rpt = in->txt == MTASTS_TXT_VALID ? rpt : MTASTS_RPT_NONE;
}

static bool valid_mode(mtasts_mode m) {
  return m == MTASTS_MODE_ENFORCE || m == MTASTS_MODE_TESTING || m == MTASTS_MODE_NONE;
}

static bool input_ok(const mtasts_app_input *in) {
  if (in->live_id == NULL && in->live_id_len != 0)
    return false;
  if (in->cache.present &&
      (!valid_mode(in->cache.mode) || (in->cache.id == NULL && in->cache.id_len != 0)))
    return false;
  if (in->last_failure.present && in->last_failure.id == NULL && in->last_failure.id_len != 0)
    return false;
  if (in->fetch.attempted && in->fetch.reason == MTASTS_FETCH_OK && !valid_mode(in->fetch.mode))
    return false;
  return true;
}

bool mtasts_apply_decide(const mtasts_app_input *in, mtasts_decision *out) {
  if (out == NULL)
    return false;
  memset(out, 0, sizeof *out);
  if (in == NULL || !input_ok(in))
    return false;
  bool cache_valid = cache_is_valid(in);
  if (!in->fetch.attempted)
    before_fetch(in, cache_valid, out);
  else if (in->fetch.reason == MTASTS_FETCH_OK)
    fetch_succeeded(in, cache_valid, out);
  else
    fetch_failed(in, cache_valid, out);
  return true;
}
