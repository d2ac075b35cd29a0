/*
 * mtasts_engine.h - the pure decisions of an MTA-STS sender (RFC 8461
 * 3.3, 4, 5, 6, 10): is a fetched response a policy, which policy
 * applies now, what to fetch, cache, log and report, and what to do
 * with one MX host.
 *
 * Same ground rules as mtasts.h: no allocation, no I/O, no clock (the
 * current time is an input), no global mutable state, no recursion, no
 * locale. Inputs are (pointer, length); outputs are reset at entry and
 * hold spans into the caller's buffers.
 *
 * The decisions and the RFC sentence behind each are listed in
 * engine/README.md.
 */
#ifndef MTASTS_ENGINE_H
#define MTASTS_ENGINE_H

#include "mtasts.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* TLSRPT result types (RFC 8460 4.3)                                  */
/* ------------------------------------------------------------------ */

typedef enum mtasts_rpt {
  MTASTS_RPT_NONE = 0, /* nothing to report as a failure */
  MTASTS_RPT_STARTTLS_NOT_SUPPORTED,
  MTASTS_RPT_CERTIFICATE_HOST_MISMATCH,
  MTASTS_RPT_CERTIFICATE_EXPIRED,
  MTASTS_RPT_CERTIFICATE_NOT_TRUSTED,
  MTASTS_RPT_VALIDATION_FAILURE,
  MTASTS_RPT_STS_POLICY_FETCH_ERROR,
  MTASTS_RPT_STS_POLICY_INVALID,
  MTASTS_RPT_STS_WEBPKI_INVALID
} mtasts_rpt;

/* The result-type string of RFC 8460 4.3, e.g. "sts-policy-invalid";
 * "" for MTASTS_RPT_NONE and for a value outside the enum. Never NULL. */
const char *mtasts_rpt_name(mtasts_rpt r);

/* ------------------------------------------------------------------ */
/* Content-Type (RFC 9110 8.3.1, as RFC 8461 3.2 / R9 use it)           */
/* ------------------------------------------------------------------ */

typedef struct mtasts_media_type {
  mtasts_span type;    /* e.g. "text", case as written */
  mtasts_span subtype; /* e.g. "plain" */
  mtasts_span charset; /* value of the first charset parameter, without
                          the quotes of a quoted-string (escapes kept
                          as written); unset when there is none */
  size_t param_count;  /* parameters, charset included */
  bool charset_other;  /* some charset parameter is neither utf-8 nor
                          us-ascii (case-insensitive) */
  size_t err_offset;   /* on failure: first byte that cannot continue */
} mtasts_media_type;

/*
 * Parse a Content-Type field value:
 *   OWS type "/" subtype *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] ) OWS
 * Empty parameters (";;", a trailing ";") are allowed as in RFC 9110.
 * Returns true on success; false (with out->err_offset) for a value that
 * is not a media type, including an empty one.
 */
bool mtasts_media_type_parse(const char *value, size_t len, mtasts_media_type *out);

/* ------------------------------------------------------------------ */
/* Fetch-response acceptance (RFC 8461 3.2, 3.3; R8, R9, R18)           */
/* ------------------------------------------------------------------ */

typedef enum mtasts_fetch_reason {
  MTASTS_FETCH_OK = 0,
  /* Decided by the caller's HTTPS client, passed in to the application
   * step (never returned by mtasts_fetch_accept). */
  MTASTS_FETCH_NETWORK, /* DNS, connect, timeout, TLS other than PKIX */
  MTASTS_FETCH_WEBPKI,  /* certificate not valid for the Policy Host (H2) */
  /* Decided by mtasts_fetch_accept, checked in this order. */
  MTASTS_FETCH_REDIRECT,       /* a 3xx was followed (H5: MUST NOT) */
  MTASTS_FETCH_STATUS,         /* final status is not 200 (H5) */
  MTASTS_FETCH_MEDIA_TYPE,     /* Content-Type absent, malformed or not text/plain (R9) */
  MTASTS_FETCH_TOO_LARGE,      /* body over MTASTS_POLICY_MAX_SIZE (R18) */
  MTASTS_FETCH_POLICY_INVALID, /* body does not parse (R8) */
  MTASTS_FETCH_CAPACITY        /* the caller's mx or ext array is too small:
                                  retry with policy->mx_needed and ext_needed;
                                  not the recipient's fault */
} mtasts_fetch_reason;

const char *mtasts_fetch_reason_name(mtasts_fetch_reason r);

/* The TLSRPT result-type for a failed fetch (RFC 8460 4.3.2.2). */
mtasts_rpt mtasts_fetch_reason_rpt(mtasts_fetch_reason r);

typedef struct mtasts_http_response {
  int status;               /* status code of the response that was read */
  bool redirected;          /* the client followed at least one 3xx to reach it */
  const char *content_type; /* field value; NULL with length 0 when absent */
  size_t content_type_len;
  const char *body;
  size_t body_len;
} mtasts_http_response;

typedef struct mtasts_fetch_verdict {
  mtasts_fetch_reason reason;
  mtasts_rpt rpt;          /* what to report when rejected */
  bool charset_warning;    /* accepted despite another charset (R9) */
  mtasts_media_type media; /* spans into content_type */
  mtasts_code parse_code;  /* the parser's result (OK when not parsed) */
  size_t parse_offset;     /* its error offset */
} mtasts_fetch_verdict;

/*
 * Decide whether a response is a policy, and parse it into *policy
 * (mtasts_policy_init'ed by the caller). opt is passed to the parser
 * (profile, warnings). Returns v->reason.
 */
mtasts_fetch_reason mtasts_fetch_accept(const mtasts_http_response *resp, const mtasts_options *opt,
                                        mtasts_policy *policy, mtasts_fetch_verdict *v);

/* ------------------------------------------------------------------ */
/* Policy application control flow (RFC 8461 3.1, 3.3, 5.1, 6, 10.2)    */
/* ------------------------------------------------------------------ */

/* The outcome of the _mta-sts TXT lookup. */
typedef enum mtasts_discovery {
  MTASTS_TXT_ABSENT = 0, /* NXDOMAIN / NODATA / no candidate record */
  MTASTS_TXT_DNS_ERROR,  /* SERVFAIL, timeout: nothing learnt */
  MTASTS_TXT_INVALID,    /* the one candidate does not parse (T6) */
  MTASTS_TXT_MULTIPLE,   /* more than one candidate (T6) */
  MTASTS_TXT_VALID       /* exactly one valid record: its id is live */
} mtasts_discovery;

/* Map mtasts_txt_select()'s result to a discovery outcome. */
mtasts_discovery mtasts_discovery_from_select(mtasts_code select_result);

typedef struct mtasts_cache_entry {
  bool present;
  const char *id; /* the TXT id the policy was fetched under */
  size_t id_len;
  uint64_t fetched_at; /* seconds, same clock as `now` */
  uint64_t max_age;
  mtasts_mode mode;
} mtasts_cache_entry;

/* R14: is the entry present and its age (now - fetched_at, 0 when the
 * clock is behind fetched_at) at most max_age? The one place a cache's
 * validity is decided: mtasts_apply_decide asks it too. False for NULL. */
bool mtasts_cache_valid(const mtasts_cache_entry *cache, uint64_t now);

typedef struct mtasts_fetch_result {
  bool attempted;
  mtasts_fetch_reason reason; /* MTASTS_FETCH_OK: a policy was parsed */
  mtasts_mode mode;           /* with OK: the new policy's mode */
  uint64_t max_age;           /* with OK: its max_age */
} mtasts_fetch_result;

typedef struct mtasts_last_failure {
  bool present;
  const char *id; /* the id the failed fetch was for (may be empty) */
  size_t id_len;
  uint64_t at;
} mtasts_last_failure;

/* Minimum seconds between fetch attempts for one id after a failure (H6). */
#define MTASTS_FETCH_RETRY_MIN 300u

typedef struct mtasts_app_input {
  uint64_t now;
  mtasts_cache_entry cache;
  mtasts_discovery txt;
  const char *live_id; /* with MTASTS_TXT_VALID: the record's id */
  size_t live_id_len;
  mtasts_fetch_result fetch;
  mtasts_last_failure last_failure;
  uint64_t refresh_interval; /* proactive refresh age (H10); 0 = never */
} mtasts_app_input;

typedef enum mtasts_apply {
  MTASTS_APPLY_NONE = 0, /* deliver as if the domain had no MTA-STS */
  MTASTS_APPLY_CACHED,
  MTASTS_APPLY_NEW
} mtasts_apply;

typedef enum mtasts_fetch_why {
  MTASTS_WHY_NONE = 0,
  MTASTS_WHY_NO_CACHE, /* live id, no valid cached policy (5.1 step 1) */
  MTASTS_WHY_NEW_ID,   /* live id differs from the cached one (3.1 T3) */
  MTASTS_WHY_REFRESH   /* cached policy older than refresh_interval (H10, 10.2) */
} mtasts_fetch_why;

typedef enum mtasts_cache_action {
  MTASTS_CACHE_KEEP = 0, /* leave the entry as it is (or absent) */
  MTASTS_CACHE_STORE,    /* replace it with out->store */
  MTASTS_CACHE_EVICT     /* remove the expired entry */
} mtasts_cache_action;

typedef enum mtasts_log {
  MTASTS_LOG_NONE = 0,
  MTASTS_LOG_NOTICE, /* worth a line in the log, not an alert */
  MTASTS_LOG_ALERT   /* alert administrators (H10, 10.2) */
} mtasts_log;

typedef enum mtasts_event {
  MTASTS_EV_NONE = 0,
  MTASTS_EV_CACHE_HIT,        /* cached policy applied, nothing new */
  MTASTS_EV_NO_POLICY,        /* no TXT record and no valid cache */
  MTASTS_EV_DISCOVERY_FAILED, /* TXT absent/invalid/error, valid cache kept (T7) */
  MTASTS_EV_FETCH_PENDING,    /* a fetch is needed; meanwhile `apply` holds */
  MTASTS_EV_FETCH_DEFERRED,   /* needed, but the last failure is too recent (H6) */
  MTASTS_EV_FETCHED,          /* a new policy was fetched and applies */
  MTASTS_EV_FETCH_FAILED,     /* fetch failed; cached policy (if any) applies */
  MTASTS_EV_FETCH_IGNORED     /* a fetch without a live id and no valid cache (T6) */
} mtasts_event;

typedef struct mtasts_decision {
  mtasts_apply apply;
  mtasts_mode mode; /* mode of the applied policy; UNSET with APPLY_NONE */
  bool enforce;     /* a policy with mode enforce or testing is in force */
  bool fetch;       /* the caller should fetch the policy now */
  mtasts_fetch_why why;
  mtasts_cache_action cache;
  mtasts_cache_entry store; /* with MTASTS_CACHE_STORE; id points into the input */
  bool record_failure;      /* remember (failure_id, now) as the last failure (H6) */
  const char *failure_id;   /* with record_failure: the id the fetch was for (the live
                               id, or for a refresh without a live record the cached
                               one); points into the input; NULL/0 otherwise */
  size_t failure_id_len;
  mtasts_log log;
  mtasts_event event;
  mtasts_rpt rpt; /* TLSRPT result-type of this step, or NONE */
} mtasts_decision;

/* Stable lower-case names for logs and JSON: "absent", "dns-error",
 * "invalid", "multiple", "valid"; "new", "cached", "none" (the mode's
 * name, mtasts_mode_name, is the parser's: mtasts.h); "none", "cache-hit",
 * "no-policy", "discovery-failed", "fetch-pending", "fetch-deferred",
 * "fetched", "fetch-failed", "fetch-ignored"; "none", "notice", "alert";
 * "none", "no-cache", "new-id", "refresh"; "keep", "store", "evict".
 * A value outside its enum gives "unknown". Never NULL. */
const char *mtasts_discovery_name(mtasts_discovery d);
const char *mtasts_apply_name(mtasts_apply a);
const char *mtasts_event_name(mtasts_event e);
const char *mtasts_log_name(mtasts_log l);
const char *mtasts_fetch_why_name(mtasts_fetch_why w);
const char *mtasts_cache_action_name(mtasts_cache_action a);

/* The control flow as a pure function. Call it once after DNS with
 * fetch.attempted false; when out->fetch is set, fetch and call it again
 * with the result. Returns false (and a zeroed *out) only for NULL
 * arguments or live_id NULL with a non-zero length. */
bool mtasts_apply_decide(const mtasts_app_input *in, mtasts_decision *out);

/* ------------------------------------------------------------------ */
/* MX validation outcome (RFC 8461 4, 5; RFC 8460 4.3)                   */
/* ------------------------------------------------------------------ */

/* What the TLS session with the MX showed (the caller's TLS stack and
 * tls/'s certificate check decide it). */
typedef enum mtasts_tls_result {
  MTASTS_TLS_OK = 0,
  MTASTS_TLS_NO_STARTTLS,
  MTASTS_TLS_HOST_MISMATCH, /* no SAN DNS-ID matches the MX host (4.2) */
  MTASTS_TLS_EXPIRED,
  MTASTS_TLS_UNTRUSTED,
  MTASTS_TLS_OTHER_FAILURE
} mtasts_tls_result;

typedef enum mtasts_mx_verdict {
  MTASTS_MX_DELIVER = 0,        /* valid, or no policy in force */
  MTASTS_MX_DELIVER_AND_REPORT, /* testing: deliver despite the failure, report it */
  MTASTS_MX_REFUSE              /* enforce: do not deliver to this host; try the
                                   next MX, treat as transient (5, 8.4) */
} mtasts_mx_verdict;

typedef struct mtasts_mx_outcome {
  mtasts_mx_verdict verdict;
  long pattern_index;  /* first matching mx pattern, or -1 */
  mtasts_rpt rpt;      /* RFC 8460 4.3 result type of the failure, or NONE */
  bool recheck_policy; /* REFUSE: check DNS for a new id before bouncing (5, 5.1 step 3) */
} mtasts_mx_outcome;

/* "ok", "no-starttls", "host-mismatch", "expired", "untrusted",
 * "other-failure"; "deliver", "deliver-and-report", "refuse"; "unknown"
 * outside the enum. Never NULL. */
const char *mtasts_tls_result_name(mtasts_tls_result t);
const char *mtasts_mx_verdict_name(mtasts_mx_verdict v);

/* policy: the applied policy (NULL when none applies). */
bool mtasts_mx_decide(const mtasts_policy *policy, const char *host, size_t host_len,
                      mtasts_tls_result tls, mtasts_mx_outcome *out);

/* ------------------------------------------------------------------ */
/* The Policy Host (RFC 8461 3.2; ruling R19)                           */
/* ------------------------------------------------------------------ */

/*
 * Write the Policy Host of a Policy Domain: "mta-sts." + domain, the
 * domain as A-labels with no trailing dot (R19; one trailing dot on the
 * input is removed). The domain must be an RFC 5321 Domain of A-labels
 * (letters, digits, inner hyphens, labels of 1-63 octets) such that the
 * host has at most 253 octets; a U-label must be converted by the caller.
 *
 * Returns the host's length (copying it into dst only when cap is at
 * least that; no NUL is written), or 0 when the domain is not valid.
 */
size_t mtasts_policy_host(const char *domain, size_t len, char *dst, size_t cap);

/*
 * The same domain as a sender keeps it: one trailing dot removed and ASCII
 * letters in lower case (DNS compares names case-insensitively, so one
 * spelling keeps one cache entry), with the same validity rule and result
 * convention as mtasts_policy_host.
 */
size_t mtasts_policy_domain(const char *domain, size_t len, char *dst, size_t cap);

/* The name of its policy TXT record (RFC 8461 3.1): "_mta-sts." + the
 * domain in lower case + "." (absolute). Same rule and convention. */
size_t mtasts_txt_name(const char *domain, size_t len, char *dst, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* MTASTS_ENGINE_H */
