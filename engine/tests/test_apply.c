/*
 * test_apply.c - mtasts_apply_decide, the policy application control
 * flow (RFC 8461 3.1, 3.3, 5.1, 6, 8.3, 10.2; rulings R8, R14, R15, R16).
 * One row per branch; each row is named after the sentence it checks.
 */
#include "testutil.h"

#include <string.h>

#include "mtasts_engine.h"

#define T 1000000u /* "now" in every row */
#define DAY 86400u
#define WEEK 604800u

#define CACHE(id, at, age, m) .cache = {true, id, sizeof(id) - 1, at, age, MTASTS_MODE_##m}
#define LIVE(id) .txt = MTASTS_TXT_VALID, .live_id = id, .live_id_len = sizeof(id) - 1
#define GOT(m, age) .fetch = {true, MTASTS_FETCH_OK, MTASTS_MODE_##m, age}
#define FAILED(r) .fetch = {true, MTASTS_FETCH_##r, MTASTS_MODE_UNSET, 0}
#define FAIL_AT(id, at) .last_failure = {true, id, sizeof(id) - 1, at}

#define A_NONE .apply = MTASTS_APPLY_NONE, .mode = MTASTS_MODE_UNSET
#define A_CACHED(m) .apply = MTASTS_APPLY_CACHED, .mode = MTASTS_MODE_##m
#define A_NEW(m) .apply = MTASTS_APPLY_NEW, .mode = MTASTS_MODE_##m
#define ENF .enforce = true
#define FETCH(w) .fetch = true, .why = MTASTS_WHY_##w
#define STORE(id, age, m)                                                                          \
  .cache = MTASTS_CACHE_STORE, .store_id = id, .store_max_age = age, .store_mode = MTASTS_MODE_##m
#define EVICT .cache = MTASTS_CACHE_EVICT
#define EV(e) .event = MTASTS_EV_##e
#define LOG(l) .log = MTASTS_LOG_##l
#define RPT(r) .rpt = MTASTS_RPT_##r

typedef struct want {
  mtasts_apply apply;
  mtasts_mode mode;
  bool enforce;
  bool fetch;
  mtasts_fetch_why why;
  mtasts_cache_action cache;
  const char *store_id;
  uint64_t store_max_age;
  mtasts_mode store_mode;
  bool record_failure;
  mtasts_log log;
  mtasts_event event;
  mtasts_rpt rpt;
} want;

typedef struct row {
  const char *name;
  mtasts_app_input in;
  want want;
} row;

static const row rows[] = {
    /* ---- discovery, no cache ---- */
    {"T6: no TXT record and no cache: the domain has no policy",
     {.now = T, .txt = MTASTS_TXT_ABSENT},
     {A_NONE, EV(NO_POLICY)}},
    {"T6: an invalid TXT record: skip the remaining steps (and log it)",
     {.now = T, .txt = MTASTS_TXT_INVALID},
     {A_NONE, EV(NO_POLICY), LOG(NOTICE)}},
    {"T6: if the number of resulting records is not one",
     {.now = T, .txt = MTASTS_TXT_MULTIPLE},
     {A_NONE, EV(NO_POLICY), LOG(NOTICE)}},
    {"10.2: a DNS failure without a cache looks like no policy",
     {.now = T, .txt = MTASTS_TXT_DNS_ERROR},
     {A_NONE, EV(NO_POLICY)}},
    {"5.1 step 1: no cached policy: attempt to fetch a new policy",
     {.now = T, LIVE("abc")},
     {A_NONE, FETCH(NO_CACHE), EV(FETCH_PENDING)}},
    /* ---- cache hits and id changes ---- */
    {"5.1 step 1: a cached policy whose time-since-fetch has not exceeded max_age",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), LIVE("abc")},
     {A_CACHED(ENFORCE), ENF, EV(CACHE_HIT)}},
    {"5 testing: a cached testing policy is in force",
     {.now = T, CACHE("abc", T - DAY, WEEK, TESTING), LIVE("abc")},
     {A_CACHED(TESTING), ENF, EV(CACHE_HIT)}},
    {"R15: a cached none policy applies but enforces nothing",
     {.now = T, CACHE("abc", T - DAY, WEEK, NONE), LIVE("abc")},
     {A_CACHED(NONE), EV(CACHE_HIT)}},
    {"T3: a different id means the policy has been updated: fetch, cache meanwhile",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), LIVE("abd")},
     {A_CACHED(ENFORCE), ENF, FETCH(NEW_ID), EV(FETCH_PENDING)}},
    {"R16: ids compare byte for byte (ABC is not abc)",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), LIVE("ABC")},
     {A_CACHED(ENFORCE), ENF, FETCH(NEW_ID), EV(FETCH_PENDING)}},
    {"R16: one-octet ids compare too (b is not a)",
     {.now = T, CACHE("a", T - DAY, WEEK, ENFORCE), LIVE("b")},
     {A_CACHED(ENFORCE), ENF, FETCH(NEW_ID), EV(FETCH_PENDING)}},
    {"R16: a prefix id is a different id",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), LIVE("ab")},
     {A_CACHED(ENFORCE), ENF, FETCH(NEW_ID), EV(FETCH_PENDING)}},
    /* ---- R14 expiry boundary ---- */
    {"R14: valid while age <= max_age (age == max_age)",
     {.now = T, CACHE("abc", T - WEEK, WEEK, ENFORCE), LIVE("abc")},
     {A_CACHED(ENFORCE), ENF, EV(CACHE_HIT)}},
    {"R14: expired one second later: fetch, evict, nothing applies",
     {.now = T, CACHE("abc", T - WEEK - 1, WEEK, ENFORCE), LIVE("abc")},
     {A_NONE, FETCH(NO_CACHE), EVICT, EV(FETCH_PENDING)}},
    {"R14: max_age 0 is valid at age 0",
     {.now = T, CACHE("abc", T, 0, ENFORCE), LIVE("abc")},
     {A_CACHED(ENFORCE), ENF, EV(CACHE_HIT)}},
    {"R14: max_age 0 is expired a second later",
     {.now = T, CACHE("abc", T - 1, 0, ENFORCE), LIVE("abc")},
     {A_NONE, FETCH(NO_CACHE), EVICT, EV(FETCH_PENDING)}},
    {"clock behind the fetch time: age 0, still valid",
     {.now = T, CACHE("abc", T + 50, 10, ENFORCE), LIVE("abc")},
     {A_CACHED(ENFORCE), ENF, EV(CACHE_HIT)}},
    {"clock behind the fetch time: age 0, valid even under max_age 0",
     {.now = T, CACHE("abc", T + 50, 0, ENFORCE), LIVE("abc")},
     {A_CACHED(ENFORCE), ENF, EV(CACHE_HIT)}},
    /* ---- T7: discovery fails, cache stays ---- */
    {"T7: the absence of a usable TXT record is not sufficient to remove a cached policy",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), .txt = MTASTS_TXT_ABSENT},
     {A_CACHED(ENFORCE), ENF, EV(DISCOVERY_FAILED), LOG(NOTICE)}},
    {"T7: an invalid TXT record with a valid cache",
     {.now = T, CACHE("abc", T - DAY, WEEK, TESTING), .txt = MTASTS_TXT_INVALID},
     {A_CACHED(TESTING), ENF, EV(DISCOVERY_FAILED), LOG(NOTICE)}},
    {"T7/10.2: a DNS error with a valid cache",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), .txt = MTASTS_TXT_DNS_ERROR},
     {A_CACHED(ENFORCE), ENF, EV(DISCOVERY_FAILED), LOG(NOTICE)}},
    {"8.3/10.2: TXT removed under a none policy is the removal workflow: no log",
     {.now = T, CACHE("abc", T - DAY, WEEK, NONE), .txt = MTASTS_TXT_ABSENT},
     {A_CACHED(NONE), EV(DISCOVERY_FAILED)}},
    {"R14+T6: no TXT and an expired cache: evicted, no policy",
     {.now = T, CACHE("abc", T - WEEK - 1, WEEK, ENFORCE), .txt = MTASTS_TXT_ABSENT},
     {A_NONE, EVICT, EV(NO_POLICY)}},
    /* ---- H10 / 10.2 proactive refresh ---- */
    {"H10: SHOULD proactively refresh cached policies before they expire",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), LIVE("abc"), .refresh_interval = DAY},
     {A_CACHED(ENFORCE), ENF, FETCH(REFRESH), EV(FETCH_PENDING)}},
    {"H10: not yet due one second before the interval",
     {.now = T, CACHE("abc", T - DAY + 1, WEEK, ENFORCE), LIVE("abc"), .refresh_interval = DAY},
     {A_CACHED(ENFORCE), ENF, EV(CACHE_HIT)}},
    {"10.2: refresh regardless of the state of the _mta-sts TXT record",
     {.now = T,
      CACHE("abc", T - DAY, WEEK, ENFORCE),
      .txt = MTASTS_TXT_ABSENT,
      .refresh_interval = DAY},
     {A_CACHED(ENFORCE), ENF, FETCH(REFRESH), EV(FETCH_PENDING)}},
    {"T6: no refresh of an expired cache without a record",
     {.now = T,
      CACHE("abc", T - WEEK - 1, WEEK, ENFORCE),
      .txt = MTASTS_TXT_ABSENT,
      .refresh_interval = DAY},
     {A_NONE, EVICT, EV(NO_POLICY)}},
    /* ---- H6 back-off ---- */
    {"H6: limit further attempts to five minutes or longer per version ID (299 s)",
     {.now = T, LIVE("abc"), FAIL_AT("abc", T - 299)},
     {A_NONE, .why = MTASTS_WHY_NO_CACHE, EV(FETCH_DEFERRED), LOG(NOTICE)}},
    {"H6: after five minutes the fetch is attempted again",
     {.now = T, LIVE("abc"), FAIL_AT("abc", T - 300)},
     {A_NONE, FETCH(NO_CACHE), EV(FETCH_PENDING)}},
    {"H6: per version ID: a failure for another id does not hold back a new one",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), LIVE("abd"), FAIL_AT("abc", T - 10)},
     {A_CACHED(ENFORCE), ENF, FETCH(NEW_ID), EV(FETCH_PENDING)}},
    {"H6: a failure time in the future (clock step) still holds back",
     {.now = T, LIVE("abc"), FAIL_AT("abc", T + 1000)},
     {A_NONE, .why = MTASTS_WHY_NO_CACHE, EV(FETCH_DEFERRED), LOG(NOTICE)}},
    {"H6: a refresh without a record is held back by a failure for the cached id",
     {.now = T,
      CACHE("abc", T - DAY, WEEK, ENFORCE),
      .txt = MTASTS_TXT_ABSENT,
      .refresh_interval = DAY,
      FAIL_AT("abc", T - 60)},
     {A_CACHED(ENFORCE), ENF, .why = MTASTS_WHY_REFRESH, EV(FETCH_DEFERRED), LOG(NOTICE)}},
    /* ---- after a successful fetch ---- */
    {"5.1: a new policy is fetched under the live id and applies",
     {.now = T, LIVE("abc"), GOT(ENFORCE, WEEK)},
     {A_NEW(ENFORCE), ENF, STORE("abc", WEEK, ENFORCE), EV(FETCHED)}},
    {"T3: policy rotation: the new id replaces the old entry",
     {.now = T, CACHE("old", T - DAY, WEEK, ENFORCE), LIVE("new"), GOT(TESTING, DAY)},
     {A_NEW(TESTING), ENF, STORE("new", DAY, TESTING), EV(FETCHED)}},
    {"R15: none is cached and replaces older policies, but enforces nothing",
     {.now = T, CACHE("old", T - DAY, WEEK, ENFORCE), LIVE("new"), GOT(NONE, DAY)},
     {A_NEW(NONE), STORE("new", DAY, NONE), EV(FETCHED)}},
    {"10.2: a refresh without a live record keeps the cached id",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), .txt = MTASTS_TXT_ABSENT, GOT(ENFORCE, WEEK)},
     {A_NEW(ENFORCE), ENF, STORE("abc", WEEK, ENFORCE), EV(FETCHED)}},
    {"R14: a new fetch replaces an expired entry",
     {.now = T, CACHE("abc", T - WEEK - 1, WEEK, ENFORCE), LIVE("abc"), GOT(ENFORCE, WEEK)},
     {A_NEW(ENFORCE), ENF, STORE("abc", WEEK, ENFORCE), EV(FETCHED)}},
    {"T6: a body fetched without a record or valid cache has no id: ignored",
     {.now = T, .txt = MTASTS_TXT_ABSENT, GOT(ENFORCE, WEEK)},
     {A_NONE, EV(FETCH_IGNORED)}},
    {"T6: ... and an expired entry is still evicted",
     {.now = T,
      CACHE("abc", T - WEEK - 1, WEEK, ENFORCE),
      .txt = MTASTS_TXT_MULTIPLE,
      GOT(ENFORCE, WEEK)},
     {A_NONE, EVICT, EV(FETCH_IGNORED)}},
    /* ---- after a failed fetch ---- */
    {"H9: no live policy can be fetched, a valid cached policy MUST be applied (alert, report)",
     {.now = T, CACHE("old", T - DAY, WEEK, ENFORCE), LIVE("new"), FAILED(NETWORK)},
     {A_CACHED(ENFORCE), ENF, .record_failure = true, LOG(ALERT), EV(FETCH_FAILED),
      RPT(STS_POLICY_FETCH_ERROR)}},
    {"H10/6: no alert and no report when the cached policy mode is none",
     {.now = T, CACHE("old", T - DAY, WEEK, NONE), LIVE("new"), FAILED(NETWORK)},
     {A_CACHED(NONE), .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED)}},
    {"R8: an invalid body with a valid cache: the cache stays in force, sts-policy-invalid",
     {.now = T, CACHE("old", T - DAY, WEEK, TESTING), LIVE("new"), FAILED(POLICY_INVALID)},
     {A_CACHED(TESTING), ENF, .record_failure = true, LOG(ALERT), EV(FETCH_FAILED),
      RPT(STS_POLICY_INVALID)}},
    {"RFC 8460 4.3.2.2: PKIX failure of the Policy Host is sts-webpki-invalid",
     {.now = T, CACHE("old", T - DAY, WEEK, ENFORCE), LIVE("new"), FAILED(WEBPKI)},
     {A_CACHED(ENFORCE), ENF, .record_failure = true, LOG(ALERT), EV(FETCH_FAILED),
      RPT(STS_WEBPKI_INVALID)}},
    {"H8: no policy fetched and no valid cache: deliver as though no MTA-STS (report)",
     {.now = T, LIVE("abc"), FAILED(STATUS)},
     {A_NONE, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED), RPT(STS_POLICY_FETCH_ERROR)}},
    {"R8+H8: an invalid body and no cache: no MTA-STS, sts-policy-invalid",
     {.now = T, LIVE("abc"), FAILED(POLICY_INVALID)},
     {A_NONE, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED), RPT(STS_POLICY_INVALID)}},
    {"H5: a redirect is a fetch error",
     {.now = T, LIVE("abc"), FAILED(REDIRECT)},
     {A_NONE, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED), RPT(STS_POLICY_FETCH_ERROR)}},
    {"P2: a wrong media type is a fetch error",
     {.now = T, LIVE("abc"), FAILED(MEDIA_TYPE)},
     {A_NONE, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED), RPT(STS_POLICY_FETCH_ERROR)}},
    {"H7/R18: a body over the size limit is a fetch error",
     {.now = T, LIVE("abc"), FAILED(TOO_LARGE)},
     {A_NONE, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED), RPT(STS_POLICY_FETCH_ERROR)}},
    {"H8+R14: failed fetch with an expired cache: evicted, no MTA-STS",
     {.now = T, CACHE("abc", T - WEEK - 1, WEEK, ENFORCE), LIVE("abc"), FAILED(NETWORK)},
     {A_NONE, EVICT, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED),
      RPT(STS_POLICY_FETCH_ERROR)}},
    {"6 bullet 1: only report fetch failures when a valid TXT record is present",
     {.now = T, .txt = MTASTS_TXT_INVALID, FAILED(NETWORK)},
     {A_NONE, .record_failure = true, LOG(NOTICE), EV(FETCH_FAILED)}},
    {"6 bullet 2: a failed refresh of a valid cache reports even without a record",
     {.now = T, CACHE("abc", T - DAY, WEEK, ENFORCE), .txt = MTASTS_TXT_ABSENT, FAILED(NETWORK)},
     {A_CACHED(ENFORCE), ENF, .record_failure = true, LOG(ALERT), EV(FETCH_FAILED),
      RPT(STS_POLICY_FETCH_ERROR)}},
    {"local mx array too small: no back-off, no report (not the domain's failure)",
     {.now = T, LIVE("abc"), FAILED(CAPACITY)},
     {A_NONE, LOG(NOTICE), EV(FETCH_FAILED)}},
};

static void check_store(const char *name, const mtasts_app_input *in, const want *w,
                        const mtasts_decision *d) {
  if (w->cache != MTASTS_CACHE_STORE) {
    mtasts_cache_entry zero;
    memset(&zero, 0, sizeof zero);
    if (memcmp(&d->store, &zero, sizeof zero) != 0)
      fail_msg("%s: store set without STORE", name);
    return;
  }
  size_t n = strlen(w->store_id);
  if (!d->store.present || d->store.id_len != n || memcmp(d->store.id, w->store_id, n) != 0 ||
      d->store.fetched_at != in->now || d->store.max_age != w->store_max_age ||
      d->store.mode != w->store_mode)
    fail_msg("%s: store {%s, %llu, %llu, %d}", name, show(d->store.id, d->store.id_len),
             (unsigned long long)d->store.fetched_at, (unsigned long long)d->store.max_age,
             (int)d->store.mode);
  /* The id is a span of the input, never a copy. */
  if (d->store.id != in->live_id && d->store.id != in->cache.id)
    fail_msg("%s: store id does not point into the input", name);
}

static void check_row(const row *r) {
  mtasts_decision d;
  poison(&d, sizeof d);
  if (!mtasts_apply_decide(&r->in, &d))
    fail_msg("%s: rejected input", r->name);
  const want *w = &r->want;
  if (d.apply != w->apply || d.mode != w->mode || d.enforce != w->enforce)
    fail_msg("%s: apply %d mode %d enforce %d", r->name, d.apply, d.mode, d.enforce);
  if (d.fetch != w->fetch || d.why != w->why)
    fail_msg("%s: fetch %d why %d", r->name, d.fetch, d.why);
  if (d.cache != w->cache)
    fail_msg("%s: cache action %d, want %d", r->name, d.cache, w->cache);
  if (d.record_failure != w->record_failure || d.log != w->log || d.event != w->event)
    fail_msg("%s: record_failure %d log %d event %d", r->name, d.record_failure, d.log, d.event);
  /* H6 is "per version ID": the failure is remembered under the id the
   * fetch was for, a span of the input. */
  const char *fid = NULL;
  size_t fid_len = 0;
  if (w->record_failure) {
    fid = r->in.txt == MTASTS_TXT_VALID ? r->in.live_id : r->in.cache.id;
    fid_len = r->in.txt == MTASTS_TXT_VALID ? r->in.live_id_len : r->in.cache.id_len;
  }
  if (d.failure_id != fid || d.failure_id_len != fid_len)
    fail_msg("%s: failure id %s", r->name, show(d.failure_id, d.failure_id_len));
  if (d.rpt != w->rpt)
    fail_msg("%s: rpt \"%s\", want \"%s\"", r->name, mtasts_rpt_name(d.rpt),
             mtasts_rpt_name(w->rpt));
  check_store(r->name, &r->in, w, &d);
}

static void test_apply_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    check_row(&rows[i]);
}

/* The two-call protocol on one domain: discover, fetch, discover again. */
static void test_apply_two_steps(void **state) {
  (void)state;
  mtasts_app_input in = {.now = T, LIVE("v1")};
  mtasts_decision d;
  assert_true(mtasts_apply_decide(&in, &d));
  assert_true(d.fetch);
  in.fetch = (mtasts_fetch_result){true, MTASTS_FETCH_OK, MTASTS_MODE_ENFORCE, WEEK};
  assert_true(mtasts_apply_decide(&in, &d));
  assert_int_equal(d.cache, MTASTS_CACHE_STORE);
  /* A day later, same id: the stored entry is a cache hit. */
  mtasts_app_input next = {.now = T + DAY, .cache = d.store, LIVE("v1")};
  assert_true(mtasts_apply_decide(&next, &d));
  assert_int_equal(d.event, MTASTS_EV_CACHE_HIT);
  assert_int_equal(d.apply, MTASTS_APPLY_CACHED);
  assert_true(d.enforce);
}

/* R14 on its own: valid up to and at max_age, not one second later; a
 * clock behind the fetch time counts as age 0; absent or NULL is not. */
static void test_cache_valid(void **state) {
  (void)state;
  mtasts_cache_entry e = {true, "a", 1, 1000, 60, MTASTS_MODE_ENFORCE};
  assert_true(mtasts_cache_valid(&e, 1000));
  assert_true(mtasts_cache_valid(&e, 1060));
  assert_false(mtasts_cache_valid(&e, 1061));
  assert_true(mtasts_cache_valid(&e, 999));
  e.max_age = 0;
  assert_true(mtasts_cache_valid(&e, 1000));
  assert_false(mtasts_cache_valid(&e, 1001));
  e.present = false;
  assert_false(mtasts_cache_valid(&e, 1000));
  assert_false(mtasts_cache_valid(NULL, 1000));
}

static void test_apply_arguments(void **state) {
  (void)state;
  mtasts_decision d;
  mtasts_app_input ok = {.now = T, LIVE("abc")};
  assert_false(mtasts_apply_decide(&ok, NULL));
  poison(&d, sizeof d);
  assert_false(mtasts_apply_decide(NULL, &d));
  assert_int_equal(d.apply, MTASTS_APPLY_NONE);
  assert_false(d.fetch);

  mtasts_app_input bad = ok;
  bad.live_id = NULL; /* with a length */
  assert_false(mtasts_apply_decide(&bad, &d));
  bad = ok;
  bad.cache = (mtasts_cache_entry){true, NULL, 3, T, WEEK, MTASTS_MODE_ENFORCE};
  assert_false(mtasts_apply_decide(&bad, &d));
  bad.cache = (mtasts_cache_entry){true, "abc", 3, T, WEEK, MTASTS_MODE_UNSET};
  assert_false(mtasts_apply_decide(&bad, &d));
  bad.cache = (mtasts_cache_entry){true, "abc", 3, T, WEEK, (mtasts_mode)7};
  assert_false(mtasts_apply_decide(&bad, &d));
  bad = ok;
  bad.last_failure = (mtasts_last_failure){true, NULL, 2, T};
  assert_false(mtasts_apply_decide(&bad, &d));
  bad = ok;
  bad.fetch = (mtasts_fetch_result){true, MTASTS_FETCH_OK, MTASTS_MODE_UNSET, WEEK};
  assert_false(mtasts_apply_decide(&bad, &d));
  /* An absent cache is not inspected; a failed fetch needs no mode. */
  bad = ok;
  bad.cache = (mtasts_cache_entry){false, NULL, 3, T, WEEK, MTASTS_MODE_UNSET};
  bad.fetch = (mtasts_fetch_result){true, MTASTS_FETCH_NETWORK, MTASTS_MODE_UNSET, 0};
  bad.last_failure = (mtasts_last_failure){false, NULL, 9, 0};
  assert_true(mtasts_apply_decide(&bad, &d));
  assert_int_equal(d.event, MTASTS_EV_FETCH_FAILED);
  /* A present entry with an empty id (NULL, 0) is well-formed. */
  bad = ok;
  bad.cache = (mtasts_cache_entry){true, NULL, 0, T, WEEK, MTASTS_MODE_ENFORCE};
  assert_true(mtasts_apply_decide(&bad, &d));
  assert_int_equal(d.why, MTASTS_WHY_NEW_ID);
  /* An empty id compares equal to an empty id (H6 back-off). */
  mtasts_app_input empty = {
      .now = T, .txt = MTASTS_TXT_VALID, .live_id = NULL, .last_failure = {true, NULL, 0, T}};
  assert_true(mtasts_apply_decide(&empty, &d));
  assert_int_equal(d.event, MTASTS_EV_FETCH_DEFERRED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_apply_rows),
      cmocka_unit_test(test_apply_two_steps),
      cmocka_unit_test(test_apply_arguments),
      cmocka_unit_test(test_cache_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
