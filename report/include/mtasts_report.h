/*
 * mtasts_report.h - a strict, zero-allocation reader of one SMTP TLS
 * Reporting aggregate report (RFC 8460 section 4): the JSON document a
 * sending MTA mails or posts to the addresses of a domain's rua.
 *
 * The ground rules of mtasts.h hold here too: no allocation, no global
 * mutable state, no recursion (the JSON nesting is an explicit, bounded
 * stack), no locale; input is (pointer, length), never NUL-terminated;
 * results are spans into the caller's buffer (JSON string contents as
 * written, escapes and all: mtasts_report_copy() decodes them on request);
 * every output is reset at entry; a failure is a code and a byte offset.
 *
 * What is valid is spec/reports.md (rulings R22-R29): RFC 8259 JSON with
 * the I-JSON limits of RFC 7493, the members and types of RFC 8460 4.4,
 * and a strict and a lenient profile, lenient naming every deviation it
 * accepts with a warning of its own. Each `sts` policy-string is re-parsed
 * by mtasts_policy_parse() with the report's profile (R25).
 *
 * This library links the parser (libmtasts); the parser never includes it.
 */
#ifndef MTASTS_REPORT_H
#define MTASTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Limits. Each is part of the contract; the error you get is named.   */
/* ------------------------------------------------------------------ */

/* Largest document accepted (R22: at least 16 MiB). A larger one fails
 * with MTASTS_E_REPORT_TOO_LARGE at offset MTASTS_REPORT_MAX_SIZE, before
 * any byte is read. It also keeps every offset below 2^32. */
#define MTASTS_REPORT_MAX_SIZE (16u * 1024u * 1024u)

/* Deepest nesting of arrays and objects (R22: at least 32). A report
 * itself needs 5 (top, policies, an element, failure-details, a detail).
 * Opening one more fails with MTASTS_E_JSON_DEPTH at its "[" or "{". */
#define MTASTS_REPORT_MAX_DEPTH 32u

/* Most members of one object. I-JSON forbids duplicate names, and they
 * are found by comparing each name with those before it in its object:
 * the bound keeps that linear in the document. A report object has at
 * most 8 members of its own; one more than this fails with
 * MTASTS_E_JSON_TOO_MANY_MEMBERS at that member's name. */
#define MTASTS_REPORT_MAX_MEMBERS 64u

/* Largest count: 2^53 - 1, the largest integer every I-JSON reader holds
 * exactly (RFC 7493 2.2). One more fails with MTASTS_E_REPORT_COUNT_RANGE. */
#define MTASTS_REPORT_MAX_COUNT 9007199254740991ull

/* ------------------------------------------------------------------ */
/* Codes                                                               */
/* ------------------------------------------------------------------ */

/*
 * Why an enum of its own and not more mtasts_code values: mtasts_code is
 * the parser's table, pinned and owned by the parser, which never
 * includes this header; a report also carries the parser's own result for
 * each sts policy-string (an mtasts_code), and two types keep the two
 * from being mixed up (gcc and clang warn on an implicit conversion
 * between them). The names never collide with mtasts_code's: every one
 * has JSON or REPORT in it, so a log line's name says whose code it is.
 *
 * MTASTS_REPORT_CODE_MAP(X) expands X(SUFFIX, NUMBER, "message") for every
 * code; the enum value is MTASTS_<SUFFIX>, the stable name "<SUFFIX>".
 * Numbers are ABI, pinned name for name by report/tests/test_report_errors.c,
 * never reused, dense (a gap fails a static assertion in
 * report/src/errors.c). To add a code: the next unused number in its area,
 * its row in test_report_errors.c, and a line in the comment of
 * mtasts_report_parse() saying when it is returned.
 *
 * Offsets: the first byte at which no valid input could continue; the
 * input length when the document ends too early. "value" errors (wrong
 * type, null, a value that is not what its member needs) point at the
 * first byte of the JSON value ("[" "{" a digit, "-", "n" of null, or the
 * opening quote of a string); errors inside a string value point at the
 * byte in the input where its content stops being valid (for a string
 * with escapes: the backslash of the escape that decodes to that byte).
 * A missing member is reported at the "}" of the object that lacks it.
 * A NUL byte at an error offset makes the code MTASTS_E_JSON_NUL.
 */
#define MTASTS_REPORT_CODE_MAP(X)                                                                  \
  X(REPORT_OK, 0, "success")                                                                       \
  /* ---- general ---- */                                                                          \
  X(E_REPORT_ARGUMENT, 1,                                                                          \
    "invalid argument (NULL pointer with a non-zero length, no work area, or bad option)")         \
  X(E_REPORT_TOO_LARGE, 2, "document longer than MTASTS_REPORT_MAX_SIZE")                          \
  /* ---- JSON (RFC 8259, I-JSON RFC 7493; ruling R22) ---- */                                     \
  X(E_JSON_EMPTY, 3, "no JSON value (empty or whitespace-only input)")                             \
  X(E_JSON_NUL, 4, "NUL byte in the document")                                                     \
  X(E_JSON_BOM, 5, "byte order mark at the start of the document")                                 \
  X(E_JSON_SYNTAX, 6, "not JSON: a byte that no JSON text can continue with here")                 \
  X(E_JSON_TRUNCATED, 7, "the document ends inside a JSON value")                                  \
  X(E_JSON_TRAILING, 8, "something other than whitespace after the JSON value")                    \
  X(E_JSON_LITERAL, 9, "misspelled literal (true, false or null)")                                 \
  X(E_JSON_NUMBER, 10, "malformed number (RFC 8259 6)")                                            \
  X(E_JSON_CONTROL, 11, "unescaped control character (below 0x20) in a string")                    \
  X(E_JSON_ESCAPE, 12, "invalid escape in a string (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")   \
  X(E_JSON_SURROGATE, 13, "escaped lone surrogate (\\uD800-\\uDFFF not in a pair)")                \
  X(E_JSON_UTF8, 14, "invalid UTF-8 in a string")                                                  \
  X(E_JSON_DEPTH, 15, "arrays and objects nested deeper than MTASTS_REPORT_MAX_DEPTH")             \
  X(E_JSON_DUPLICATE, 16, "duplicate member name in an object")                                    \
  X(E_JSON_TOO_MANY_MEMBERS, 17, "more members in one object than MTASTS_REPORT_MAX_MEMBERS")      \
  /* ---- report members (RFC 8460 4.4; rulings R23-R29) ---- */                                   \
  X(E_REPORT_TYPE, 18, "member value of the wrong JSON type (see err_member)")                     \
  X(E_REPORT_NULL, 19, "null where a value is due")                                                \
  X(E_REPORT_MISSING, 20, "required member is missing (see err_member)")                           \
  X(E_REPORT_POLICIES_EMPTY, 21, "policies is an empty array")                                     \
  X(E_REPORT_COUNT, 22, "count is not a JSON integer written with digits only")                    \
  X(E_REPORT_COUNT_RANGE, 23, "count is above 2^53 - 1")                                           \
  X(E_REPORT_DATE, 24, "not an RFC 3339 date-time")                                                \
  X(E_REPORT_DATE_ORDER, 25, "start-datetime is not before end-datetime")                          \
  X(E_REPORT_CONTACT, 26, "contact-info is not an RFC 5322 addr-spec")                             \
  X(E_REPORT_POLICY_TYPE, 27, "policy-type is not tlsa, sts or no-policy-found")                   \
  X(E_REPORT_TLSA, 28, "TLSA policy-string element is not one TLSA RR in presentation form")       \
  X(E_REPORT_MX_HOST, 29, "mx-host element is not an mx pattern (sts) or a host name")             \
  X(E_REPORT_DOMAIN, 30, "not an RFC 5321 Domain of A-labels without a trailing dot")              \
  X(E_REPORT_IP, 31, "not an IPv4 (RFC 8460 4.4) or IPv6 (RFC 4291 2.2) address")                  \
  X(E_REPORT_RESULT_TYPE, 32, "result-type is not a token (ALPHA / DIGIT / \"-\")")                \
  X(E_REPORT_URI, 33, "additional-information is not an RFC 3986 URI")                             \
  X(E_REPORT_POLICY_CAPACITY, 34,                                                                  \
    "more policies than the caller's array holds (see policy_needed)")                             \
  X(E_REPORT_DETAIL_CAPACITY, 35,                                                                  \
    "more failure details than the caller's array holds (see detail_needed)")                      \
  /* ---- warnings in both profiles ---- */                                                        \
  X(W_REPORT_NOT_ONE_DAY, 36, "date-range is not one whole UTC day (RFC 8460 4.1 SHOULD)")         \
  X(W_REPORT_RESULT_TYPE, 37, "result-type not in RFC 8460 4.3 (the registry may have grown)")     \
  X(W_REPORT_POLICY_STRING_INVALID, 38,                                                            \
    "the sts policy-string does not parse as a policy (see policy_code)")                          \
  /* ---- warnings: lenient deviations, one each ---- */                                           \
  X(W_REPORT_NULL, 39, "null read as an absent member (lenient)")                                  \
  X(W_REPORT_DATE_NO_OFFSET, 40, "date-time without an offset read as UTC (lenient)")              \
  X(W_REPORT_CONTACT_MISSING, 41, "contact-info absent or null (lenient)")                         \
  X(W_REPORT_CONTACT_NOT_ADDR, 42, "contact-info is not an addr-spec (lenient)")                   \
  X(W_REPORT_POLICY_TYPE, 43,                                                                      \
    "policy-type not tlsa, sts or no-policy-found kept as other "                                  \
    "(lenient)")                                                                                   \
  X(W_REPORT_POLICY_STRING_MISSING, 44, "policy-string missing for sts or tlsa (lenient)")         \
  X(W_REPORT_TLSA_JSON_ARRAY, 45,                                                                  \
    "TLSA policy-string is one string holding a JSON array (lenient)")                             \
  X(W_REPORT_MX_HOST_STRING, 46, "mx-host is one string, not an array (lenient)")                  \
  X(W_REPORT_DOMAIN_MISSING, 47, "no-policy-found without policy-domain (lenient)")                \
  X(W_REPORT_IP_EMPTY, 48, "empty IP address read as absent (lenient)")                            \
  /* ---- the writer ---- */                                                                       \
  X(E_REPORT_WRITE_CAPACITY, 49,                                                                   \
    "the written report is longer than the caller's buffer (see needed)")

/* Not for use: the code count, built as mtasts_code_count_ (mtasts.h). */
typedef union mtasts_report_code_count_ {
#define MTASTS_X_COUNT(name, number, msg) char name[(number) + 1];
  MTASTS_REPORT_CODE_MAP(MTASTS_X_COUNT)
#undef MTASTS_X_COUNT
} mtasts_report_code_count_;

typedef enum mtasts_report_code {
#define MTASTS_X_ENUM(name, number, msg) MTASTS_##name = (number),
  MTASTS_REPORT_CODE_MAP(MTASTS_X_ENUM)
#undef MTASTS_X_ENUM
  /* not a code: the number of codes (the largest number + 1) */
  MTASTS_REPORT_CODE_COUNT_ = (int)sizeof(mtasts_report_code_count_)
} mtasts_report_code;

/* mtasts_errname, mtasts_strerror and mtasts_is_warning (mtasts.h) for
 * report codes, with the same contracts: e.g. "E_JSON_DUPLICATE". */
const char *mtasts_report_errname(mtasts_report_code code);
const char *mtasts_report_strerror(mtasts_report_code code);
bool mtasts_report_is_warning(mtasts_report_code code);

/* ------------------------------------------------------------------ */
/* Options and warnings                                                */
/* ------------------------------------------------------------------ */

typedef struct mtasts_report_diag {
  mtasts_report_code code;
  size_t offset;
} mtasts_report_diag;

/* A caller-owned array, as mtasts_diags: count may exceed cap; items may
 * be NULL with cap 0 to count only; count is set to 0 at entry. */
typedef struct mtasts_report_diags {
  mtasts_report_diag *items;
  size_t cap;
  size_t count;
} mtasts_report_diags;

/* NULL means strict, warnings not reported. */
typedef struct mtasts_report_options {
  mtasts_profile profile;
  mtasts_report_diags *warnings; /* may be NULL */
} mtasts_report_options;

/* ------------------------------------------------------------------ */
/* The report                                                          */
/* ------------------------------------------------------------------ */

typedef enum mtasts_report_policy_type {
  MTASTS_REPORT_POLICY_UNSET = 0,
  MTASTS_REPORT_POLICY_STS = 1,
  MTASTS_REPORT_POLICY_TLSA = 2,
  MTASTS_REPORT_POLICY_NONE_FOUND = 3, /* "no-policy-found" */
  MTASTS_REPORT_POLICY_OTHER = 4       /* lenient: another string (W_REPORT_POLICY_TYPE) */
} mtasts_report_policy_type;

/* The result types of RFC 8460 4.3, in its order; OTHER is another token
 * (W_REPORT_RESULT_TYPE). This is the complete list; the engine's
 * mtasts_rpt holds only those an MTA-STS sender produces. */
typedef enum mtasts_report_result {
  MTASTS_REPORT_RESULT_UNSET = 0,
  MTASTS_REPORT_RESULT_STARTTLS_NOT_SUPPORTED,
  MTASTS_REPORT_RESULT_CERTIFICATE_HOST_MISMATCH,
  MTASTS_REPORT_RESULT_CERTIFICATE_EXPIRED,
  MTASTS_REPORT_RESULT_CERTIFICATE_NOT_TRUSTED,
  MTASTS_REPORT_RESULT_VALIDATION_FAILURE,
  MTASTS_REPORT_RESULT_TLSA_INVALID,
  MTASTS_REPORT_RESULT_DNSSEC_INVALID,
  MTASTS_REPORT_RESULT_DANE_REQUIRED,
  MTASTS_REPORT_RESULT_STS_POLICY_FETCH_ERROR,
  MTASTS_REPORT_RESULT_STS_POLICY_INVALID,
  MTASTS_REPORT_RESULT_STS_WEBPKI_INVALID,
  MTASTS_REPORT_RESULT_OTHER
} mtasts_report_result;

/* The RFC 8460 4.3 name, e.g. "sts-policy-invalid"; "" for UNSET, OTHER
 * and values outside the enum. Never NULL. */
const char *mtasts_report_result_name(mtasts_report_result r);

/*
 * String members are spans of the string's content as written, without
 * the quotes and with escapes undecoded; an absent member is the unset
 * span {NULL, 0, 0} (an empty string has a non-NULL ptr). Arrays of
 * strings (policy-string, mx-host) are spans of the whole array, "[" to
 * "]" (or of the one string, quotes included, for a lenient mx-host
 * string): walk them with mtasts_report_next().
 */
typedef struct mtasts_report_policy {
  mtasts_report_policy_type type;
  mtasts_span type_text;
  mtasts_span domain;        /* policy-domain; unset: lenient no-policy-found */
  mtasts_span policy_string; /* unset when absent */
  size_t policy_string_count;
  mtasts_span mx_host; /* unset when absent */
  size_t mx_host_count;
  /* sts only: mtasts_policy_parse() of the policy-string's lines joined
   * with LF, in the report's profile (R25). MTASTS_OK when it parses
   * (or for another type); policy_err_offset is into the joined text
   * (mtasts_report_policy_text()). */
  mtasts_code policy_code;
  size_t policy_err_offset;
  uint64_t total_successful; /* summary.total-successful-session-count */
  uint64_t total_failure;    /* summary.total-failure-session-count */
  /* Its failure details are details[detail_first .. detail_first +
   * detail_count) of the report: one caller array for all policies, so
   * that one sizing pass gives one number (detail_needed). */
  size_t detail_first;
  size_t detail_count;
} mtasts_report_policy;

typedef struct mtasts_report_detail {
  mtasts_report_result result;
  mtasts_span result_text;
  mtasts_span sending_mta_ip; /* unset when absent (or "" in lenient) */
  mtasts_span receiving_ip;
  mtasts_span receiving_mx_hostname;
  mtasts_span receiving_mx_helo;
  mtasts_span additional_information;
  mtasts_span failure_reason_code;
  uint64_t failed_session_count;
  size_t policy; /* index of its policy */
} mtasts_report_detail;

/* Room the reader needs besides the results: the sts re-parse (the joined
 * policy text and a policy result) and the member names of the open
 * objects. About 80 KiB; one per thread, reused across parses. Private:
 * its fields may change in any release. */
typedef struct mtasts_report_work {
  char text_[MTASTS_POLICY_MAX_SIZE];
  union {
    mtasts_policy policy;
    mtasts_tlsrpt tlsrpt;
  } u_;
  uint32_t names_[MTASTS_REPORT_MAX_DEPTH * MTASTS_REPORT_MAX_MEMBERS][2];
  mtasts_report_policy spare_policy_; /* results past the caller's capacity */
  mtasts_report_detail spare_detail_;
} mtasts_report_work;

typedef struct mtasts_report {
  /* ---- storage, set by the caller (mtasts_report_init) ---- */
  mtasts_report_work *work;
  mtasts_report_policy *policies; /* may be NULL with policy_cap 0: count only */
  size_t policy_cap;
  mtasts_report_detail *details; /* may be NULL with detail_cap 0: count only */
  size_t detail_cap;
  size_t used_policies_, used_details_; /* private: entries the last parse wrote */
  /* ---- results, reset by every parse ---- */
  mtasts_span organization_name;
  mtasts_span start_datetime;
  mtasts_span end_datetime;
  int64_t start_time; /* seconds since 1970-01-01T00:00:00Z, fraction dropped */
  int64_t end_time;
  mtasts_span contact_info; /* unset: lenient absent or null */
  mtasts_span report_id;
  size_t policy_count;  /* stored in policies[] */
  size_t policy_needed; /* in the report (> policy_cap: E_REPORT_POLICY_CAPACITY) */
  size_t detail_count;
  size_t detail_needed;
  /* ---- on failure ---- */
  size_t err_offset;
  const char *err_member; /* the member an error is about ("policy-domain"), or NULL */
  size_t err_policy;      /* index of the policy it is in, or SIZE_MAX (top level) */
  size_t err_detail;      /* index of the failure detail within that policy, or SIZE_MAX */
} mtasts_report;

/* Set the storage and clear the rest. */
void mtasts_report_init(mtasts_report *r, mtasts_report_work *work, mtasts_report_policy *policies,
                        size_t policy_cap, mtasts_report_detail *details, size_t detail_cap);

/*
 * Read one report: the JSON bytes (after any gzip or MIME, R30).
 *
 * Order of judgement: E_REPORT_ARGUMENT (r NULL: nothing written; json
 * NULL with len > 0, no work area, an unknown profile, a NULL array with
 * a capacity, warnings->items NULL with a cap); E_REPORT_TOO_LARGE; then
 * the document from its first byte, the first error met winning: JSON
 * syntax and I-JSON as each value is read, a member's value when it is
 * read, required members at the "}" of their object, the policy-type
 * dependent checks (policy-string, mx-host) at the "}" of the policy
 * object, the dates' order and day at the "}" of date-range. Last, when
 * all else is valid: E_REPORT_POLICY_CAPACITY at the "{" of the first
 * policy that did not fit, else E_REPORT_DETAIL_CAPACITY likewise.
 *
 * Members not named in RFC 8460 4.4 are read as JSON and ignored. The
 * codes and every profile difference are listed in spec/reports.md.
 */
mtasts_report_code mtasts_report_parse(const char *json, size_t len,
                                       const mtasts_report_options *opt, mtasts_report *r);

/*
 * Decode the content of JSON string span `s` (any span this reader
 * returned for a string) into dst: copies min(decoded length, cap) bytes
 * and returns the decoded length (dst may be NULL to ask for it). The
 * decoded length is never more than s.len. Never writes a NUL. Returns 0
 * for an unset span.
 */
size_t mtasts_report_copy(mtasts_span s, char *dst, size_t cap);

/*
 * Walk an array-of-strings span (policy-string, mx-host): *pos starts at
 * 0; each call sets *item to the next string's content span and returns
 * true, then false at the end (and for an unset span). A lenient
 * single-string mx-host yields its one string.
 */
bool mtasts_report_next(mtasts_span array, size_t *pos, mtasts_span *item);

/*
 * The policy-string's strings decoded and joined with LF, as the sts
 * re-parse reads them: copies min(length, cap) bytes into dst and returns
 * the length (dst may be NULL). 0 when there is no policy-string.
 */
size_t mtasts_report_policy_text(const mtasts_report_policy *p, char *dst, size_t cap);

/*
 * Write report `r` as canonical JSON (the reader's inverse, for round
 * trips and for MTAs that send reports): one line, no whitespace, members
 * in the order of RFC 8460 4.4, absent ones left out, strings re-escaped
 * as RFC 8785 3.2.2.2 does, dates from start_time / end_time in UTC ("Z")
 * with the significant fraction digits of start_datetime / end_datetime
 * (when set), an mx-host string as a one-string array. Reading the output
 * with the profile that read `r` gives the same fields (spans decoded);
 * writing that again gives the same bytes.
 *
 * A report built by hand: string spans hold JSON string content (escapes
 * as JSON writes them; "a\"b" for a"b), array spans a JSON array of
 * strings ("[\"mx1.example\"]"); set organization_name, report_id, the
 * times, policy_count >= 1 policies with type (type_text for OTHER) and
 * their details[detail_first .. + detail_count) with result (result_text
 * for OTHER). The writer does not judge the values: mtasts_report_parse()
 * of the output does.
 *
 * Sizing as mtasts_report_copy(): copies min(length, cap) bytes into dst
 * (dst may be NULL with cap 0), never a NUL, and sets *needed to the
 * length. Returns MTASTS_REPORT_OK; E_REPORT_WRITE_CAPACITY when *needed
 * > cap; E_REPORT_ARGUMENT (*needed 0, nothing written) for r or needed
 * NULL, dst NULL with cap > 0, and a report it cannot write: a required
 * span unset, no policy, fewer stored policies or details than needed, a
 * time outside years 0000-9999, an UNSET or out-of-range type or result,
 * OTHER without its text, a detail range outside details[0, detail_count).
 */
mtasts_report_code mtasts_report_write(const mtasts_report *r, char *dst, size_t cap,
                                       size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* MTASTS_REPORT_H */
