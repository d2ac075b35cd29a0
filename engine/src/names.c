/* names.c - stable names and mappings of the engine's enums. */
#include "mtasts_engine.h"

/* names[v], or "unknown" for a value outside the table. */
static const char *name_in(const char *const *names, size_t count, int v) {
  return v >= 0 && (size_t)v < count ? names[v] : "unknown";
}
#define NAME_IN(table, v) name_in(table, sizeof table / sizeof table[0], (int)(v))

static const char *const discovery_names[] = {"absent", "dns-error", "invalid", "multiple",
                                              "valid"};
static const char *const apply_names[] = {"none", "cached", "new"};
static const char *const event_names[] = {
    "none",           "cache-hit", "no-policy",    "discovery-failed", "fetch-pending",
    "fetch-deferred", "fetched",   "fetch-failed", "fetch-ignored"};
static const char *const log_names[] = {"none", "notice", "alert"};
static const char *const why_names[] = {"none", "no-cache", "new-id", "refresh"};
static const char *const cache_action_names[] = {"keep", "store", "evict"};
static const char *const tls_result_names[] = {"ok",      "no-starttls", "host-mismatch",
                                               "expired", "untrusted",   "other-failure"};
static const char *const mx_verdict_names[] = {"deliver", "deliver-and-report", "refuse"};

const char *mtasts_discovery_name(mtasts_discovery d) {
  return NAME_IN(discovery_names, d);
}
const char *mtasts_apply_name(mtasts_apply a) {
  return NAME_IN(apply_names, a);
}
const char *mtasts_event_name(mtasts_event e) {
  return NAME_IN(event_names, e);
}
const char *mtasts_log_name(mtasts_log l) {
  return NAME_IN(log_names, l);
}
const char *mtasts_fetch_why_name(mtasts_fetch_why w) {
  return NAME_IN(why_names, w);
}
const char *mtasts_cache_action_name(mtasts_cache_action a) {
  return NAME_IN(cache_action_names, a);
}
const char *mtasts_tls_result_name(mtasts_tls_result t) {
  return NAME_IN(tls_result_names, t);
}
const char *mtasts_mx_verdict_name(mtasts_mx_verdict v) {
  return NAME_IN(mx_verdict_names, v);
}

static const char *const rpt_names[] = {
    "",
    "starttls-not-supported",
    "certificate-host-mismatch",
    "certificate-expired",
    "certificate-not-trusted",
    "validation-failure",
    "sts-policy-fetch-error",
    "sts-policy-invalid",
    "sts-webpki-invalid",
};

const char *mtasts_rpt_name(mtasts_rpt r) {
  size_t i = (size_t)r;
  /* mutant-equivalent(const): every element has the same size */
  return i < sizeof rpt_names / sizeof rpt_names[0] ? rpt_names[i] : "";
}

static const char *const reason_names[] = {
    "OK",         "NETWORK",   "WEBPKI",         "REDIRECT", "STATUS",
    "MEDIA_TYPE", "TOO_LARGE", "POLICY_INVALID", "CAPACITY",
};

const char *mtasts_fetch_reason_name(mtasts_fetch_reason r) {
  size_t i = (size_t)r;
  /* mutant-equivalent(const): every element has the same size */
  return i < sizeof reason_names / sizeof reason_names[0] ? reason_names[i] : "UNKNOWN";
}

mtasts_rpt mtasts_fetch_reason_rpt(mtasts_fetch_reason r) {
  switch (r) {
  case MTASTS_FETCH_NETWORK:
  case MTASTS_FETCH_REDIRECT:
  case MTASTS_FETCH_STATUS:
  case MTASTS_FETCH_MEDIA_TYPE:
  case MTASTS_FETCH_TOO_LARGE:
    /* RFC 8460 4.3.2.2: "a failure to retrieve an MTA-STS policy". A
     * redirect, a non-200 status, a non-text body and a body past the
     * size limit (H7: a limit on the response, during the fetch) are
     * all ways of not retrieving one. */
    return MTASTS_RPT_STS_POLICY_FETCH_ERROR;
  case MTASTS_FETCH_WEBPKI:
    return MTASTS_RPT_STS_WEBPKI_INVALID; /* "could not be authenticated using PKIX" */
  case MTASTS_FETCH_POLICY_INVALID:
    return MTASTS_RPT_STS_POLICY_INVALID; /* "a validation error for the overall policy" */
  case MTASTS_FETCH_OK:
  case MTASTS_FETCH_CAPACITY: /* a local sizing problem, not the domain's */
  default:
    return MTASTS_RPT_NONE;
  }
}

mtasts_discovery mtasts_discovery_from_select(mtasts_code select_result) {
  switch (select_result) {
  case MTASTS_OK:
    return MTASTS_TXT_VALID;
  case MTASTS_E_RRSET_NONE:
    return MTASTS_TXT_ABSENT;
  case MTASTS_E_RRSET_MULTIPLE:
    return MTASTS_TXT_MULTIPLE;
  default:
    return MTASTS_TXT_INVALID; /* T6: "syntactically invalid" */
  }
}
