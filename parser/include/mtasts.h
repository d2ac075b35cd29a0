/*
 * mtasts.h - exact, zero-allocation parsing of MTA-STS (RFC 8461) TXT
 * records and policies, MX pattern matching, and SMTP TLS Reporting
 * (RFC 8460) TXT records.
 *
 * The whole public API is in this file.
 *
 * Ground rules (they hold for every function below):
 *
 *  - No allocation, no global mutable state, no recursion, no locale.
 *    Every function is reentrant and thread-safe by construction; two
 *    threads may parse at once as long as they do not share an output.
 *  - Input is (pointer, length). It need not be NUL-terminated and the
 *    library never reads outside [ptr, ptr + len).  A NULL pointer is
 *    accepted only together with length 0.
 *  - Results are spans into the caller's buffers: nothing is copied, so
 *    the input must outlive the result.
 *  - Every output is reset at entry, and when a function fails no span
 *    from an earlier call survives in it. Outputs may be uninitialised,
 *    except the results that hold the caller's storage for repeated items
 *    (mx patterns, extensions, rua URIs: mtasts_policy, mtasts_txt,
 *    mtasts_tlsrpt): prepare each once with its *_init (later parses then
 *    clear what earlier ones left, in the caller's arrays too).
 *  - A failure is an mtasts_code plus a byte offset into the input
 *    (see "Errors and offsets" below). mtasts_errname() gives a stable
 *    identifier, mtasts_strerror() a sentence, mtasts_locate() a
 *    line:column.
 *
 * The grammar is the ABNF of RFC 8461 section 3.1 / 3.2 and RFC 8460
 * section 3, read as the project rulings R1-R21 say (parser/SPEC.md).
 */
#ifndef MTASTS_H
#define MTASTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MTASTS_VERSION_MAJOR 0
#define MTASTS_VERSION_MINOR 1
#define MTASTS_VERSION_PATCH 0
#define MTASTS_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Limits. Each is part of the contract; the error you get is named.   */
/* ------------------------------------------------------------------ */

/* Largest policy body accepted (R18; "64 kilobytes" in RFC 8461 3.3).
 * A larger body fails with MTASTS_E_POLICY_TOO_LARGE at offset 65536. */
#define MTASTS_POLICY_MAX_SIZE 65536u

/* Largest TXT record accepted, after joining its character-strings (R18).
 * Applies to _mta-sts and _smtp._tls records alike. A larger record
 * fails with MTASTS_E_TXT_TOO_LARGE at offset MTASTS_TXT_MAX_SIZE. */
#define MTASTS_TXT_MAX_SIZE 4096u

/* Most extension (unknown) fields a record or policy may have. Ignored
 * duplicates do not count. One more fails with
 * MTASTS_E_TOO_MANY_EXTENSIONS at the start of that field. An ext array of
 * this many entries never fails with MTASTS_E_EXT_CAPACITY. */
#define MTASTS_MAX_EXTENSIONS 32u

/* Most usable rua URIs a TLSRPT record may have. One more fails with
 * MTASTS_E_TOO_MANY_RUA at the start of that URI. A rua array of this
 * many entries never fails with MTASTS_E_RUA_CAPACITY. */
#define MTASTS_MAX_RUA 32u

/* The most mx lines a policy of MTASTS_POLICY_MAX_SIZE octets can hold
 * ("mx:a" LF is 5 octets). An mx array of this many entries never
 * fails with MTASTS_E_MX_CAPACITY. */
#define MTASTS_POLICY_MAX_MX 13107u

/* Limits from DNS that the project applies to mx patterns and hosts
 * (R12, R13). A "*." pattern counts its "*." in the name length. */
#define MTASTS_MAX_LABEL_LEN 63u
#define MTASTS_MAX_NAME_LEN 253u

/* Grammar limits, quoted from the ABNF. */
#define MTASTS_MAX_ID_LEN 32u          /* sts-id = "id=" 1*32(ALPHA / DIGIT)   */
#define MTASTS_MAX_EXT_NAME_LEN 32u    /* ext-name = alnum *31(...)            */
#define MTASTS_MAX_AGE_DIGITS 10u      /* max_age = 1*10(DIGIT)                */
#define MTASTS_MAX_AGE_LIMIT 31557600u /* prose maximum of max_age (R5)     */

/* ------------------------------------------------------------------ */
/* Codes: errors and warnings, from one table.                         */
/* ------------------------------------------------------------------ */

/*
 * MTASTS_CODE_MAP(X) expands X(ENUM_SUFFIX, NUMBER, "human message") for
 * every code. The enum value MTASTS_<SUFFIX> is NUMBER and has the stable
 * name "<SUFFIX>" (mtasts_errname). E_* are errors, W_* warnings (never
 * returned; only reported through mtasts_diags).
 *
 * Numbers are part of the ABI: embedders switch on them and store them.
 * Every number is written out here and pinned, name for name, by
 * parser/tests/test_errors.c; a released number never changes meaning and
 * is never reused. Codes are grouped by area, not by number, so adding one
 * never moves another. To add a code:
 *   1. put it in its area with the next unused number (MTASTS_CODE_COUNT_,
 *      i.e. the largest number + 1); numbers stay dense, without gaps;
 *   2. add its row to the table of test_errors.c (the test fails until
 *      then), a hint in cli/src/hints.c (test_hints fails until then), and
 *      say in the parse function's comment when it is returned.
 * A duplicate number does not compile, and a gap fails the build's
 * static assertion in parser/src/errors.c.
 *
 * Errors and offsets: unless the comment says otherwise, the offset of an
 * error is the first byte at which no valid input could continue (the
 * byte a matcher would fail on; the input length when the input ends too
 * early). "value" errors point at the first byte of the value.
 * Whenever the byte at the error offset is NUL (0x00), the code is
 * MTASTS_E_NUL instead of the context's code: NUL is never valid, and
 * binary input deserves to be called what it is. (The size errors are
 * decided from the length alone, before any byte is read, and keep
 * their code.) The order in which each parse judges its input and the
 * offset of every code are listed in parser/SPEC.md ("TXT records",
 * "Policy bodies").
 */
#define MTASTS_CODE_MAP(X)                                                                         \
  X(OK, 0, "success")                                                                              \
  /* ---- general ---- */                                                                          \
  X(E_ARGUMENT, 1, "invalid argument (NULL pointer with a non-zero length, or bad option)")        \
  X(E_EMPTY, 2, "input is empty")                                                                  \
  X(E_NUL, 3, "NUL byte in input")                                                                 \
  X(E_TOO_MANY_EXTENSIONS, 4, "more extension fields than MTASTS_MAX_EXTENSIONS")                  \
  X(E_EXT_CAPACITY, 64, "more extension fields than the caller's array holds (see ext_needed)")    \
  /* ---- TXT records (_mta-sts and _smtp._tls) ---- */                                            \
  X(E_TXT_TOO_LARGE, 5, "TXT record longer than MTASTS_TXT_MAX_SIZE")                              \
  X(E_TXT_VERSION, 6, "record does not begin with the version field (v=STSv1 / v=TLSRPTv1)")       \
  X(E_TXT_EXPECTED_DELIM, 7, "expected \";\" (optionally surrounded by spaces or tabs)")           \
  X(E_TXT_EMPTY_FIELD, 8, "empty field between two \";\"")                                         \
  X(E_TXT_TRAILING_WSP, 9, "whitespace at the end of the record without a final \";\"")            \
  X(E_TXT_FIELD_NAME, 10,                                                                          \
    "invalid field name (1-32 of ALPHA / DIGIT / \"_\" / \"-\" / \".\", "                          \
    "starting with ALPHA / DIGIT)")                                                                \
  X(E_TXT_EXPECTED_EQUALS, 11, "expected \"=\" after the field name")                              \
  X(E_TXT_VALUE_EMPTY, 12, "field value is empty")                                                 \
  X(E_TXT_VALUE_CHAR, 13,                                                                          \
    "invalid character in field value (only visible US-ASCII except \";\" and \"=\")")             \
  X(E_TXT_ID_CHAR, 14, "id contains a character other than ALPHA / DIGIT")                         \
  X(E_TXT_ID_TOO_LONG, 15, "id longer than 32 characters")                                         \
  X(E_TXT_MISSING_ID, 16, "required field id is missing")                                          \
  /* ---- TXT RRsets ---- */                                                                       \
  X(E_RRSET_NONE, 17, "no TXT record begins with the version field")                               \
  X(E_RRSET_MULTIPLE, 18, "more than one TXT record begins with the version field")                \
  /* ---- TLSRPT records ---- */                                                                   \
  X(E_TLSRPT_MISSING_RUA, 19, "required field rua is missing")                                     \
  X(E_RUA_EMPTY, 20, "empty URI in the rua list")                                                  \
  X(E_RUA_SCHEME, 21,                                                                              \
    "URI has no valid scheme (ALPHA *(ALPHA / DIGIT / \"+\" / \"-\" / \".\") \":\")")              \
  X(E_RUA_CHAR, 22,                                                                                \
    "character not allowed in a rua URI (\",\", \"!\" and \";\" must be percent-encoded)")         \
  X(E_RUA_PERCENT, 23, "malformed percent-encoding in URI")                                        \
  X(E_RUA_HOST, 60,                                                                                \
    "invalid URI authority (\"[\" \"]\" only around an IP literal, one \"@\" before the host, "    \
    "\":\" only before the port)")                                                                 \
  X(E_RUA_IP_LITERAL, 61,                                                                          \
    "malformed IP literal (RFC 3986 IPv6address or IPvFuture between \"[\" and \"]\")")            \
  X(E_RUA_PORT, 62, "URI port is not decimal digits")                                              \
  X(E_RUA_RESERVED, 63,                                                                            \
    "\"[\" or \"]\" in a URI path, query or fragment, or a second \"#\" (percent-encode it)")      \
  X(E_RUA_UNSUPPORTED_SCHEME, 24, "rua URI scheme is neither mailto nor https")                    \
  X(E_RUA_NO_DESTINATION, 25,                                                                      \
    "rua URI has no destination (no mailto address before \"?\" / \"#\", no https host)")          \
  X(E_TOO_MANY_RUA, 26, "more rua URIs than MTASTS_MAX_RUA")                                       \
  X(E_RUA_CAPACITY, 65, "more rua URIs than the caller's array holds (see rua_needed)")            \
  X(E_RUA_NONE_USABLE, 27, "every rua URI was skipped (lenient profile)")                          \
  /* ---- policy files ---- */                                                                     \
  X(E_POLICY_TOO_LARGE, 28, "policy body longer than MTASTS_POLICY_MAX_SIZE")                      \
  X(E_POLICY_BOM, 29, "byte order mark at the start of the policy")                                \
  X(E_POLICY_BARE_CR, 30, "carriage return not followed by line feed")                             \
  X(E_POLICY_BLANK_LINE, 31, "blank line (empty, or only spaces and tabs)")                        \
  X(E_POLICY_LEADING_WSP, 32, "line starts with a space or tab (folding is not allowed)")          \
  X(E_POLICY_FIELD_NAME, 33,                                                                       \
    "invalid field name (1-32 of ALPHA / DIGIT / \"_\" / \"-\" / \".\", "                          \
    "starting with ALPHA / DIGIT)")                                                                \
  X(E_POLICY_EXPECTED_COLON, 34, "expected \":\" after the field name")                            \
  X(E_POLICY_VALUE_EMPTY, 35, "field value is empty")                                              \
  X(E_POLICY_VALUE_CHAR, 36, "control character, tab or DEL inside a field value")                 \
  X(E_POLICY_VALUE_UTF8, 37, "invalid UTF-8 in a field value")                                     \
  X(E_POLICY_VERSION, 38, "version is not STSv1")                                                  \
  X(E_POLICY_MODE, 39, "mode is not one of enforce, testing, none")                                \
  X(E_POLICY_MAX_AGE, 40, "max_age is not 1-10 decimal digits")                                    \
  X(E_POLICY_MAX_AGE_RANGE, 41, "max_age is above 31557600")                                       \
  X(E_POLICY_MX_SYNTAX, 42, "mx is not a host name or \"*.\" followed by a host name")             \
  X(E_POLICY_MX_LABEL_TOO_LONG, 43, "mx label longer than 63 octets")                              \
  X(E_POLICY_MX_TOO_LONG, 44, "mx pattern longer than 253 octets")                                 \
  X(E_POLICY_MX_TRAILING_DOT, 45, "mx pattern ends with a dot")                                    \
  X(E_POLICY_MISSING_VERSION, 46, "required field version is missing")                             \
  X(E_POLICY_MISSING_MODE, 47, "required field mode is missing")                                   \
  X(E_POLICY_MISSING_MAX_AGE, 48, "required field max_age is missing")                             \
  X(E_POLICY_MISSING_MX, 49, "no mx field, and mode is not none")                                  \
  X(E_MX_CAPACITY, 50, "more mx fields than the caller's array holds (see mx_needed)")             \
  /* ---- writer ---- */                                                                           \
  X(E_WRITE_SPACE, 51, "output buffer too small (see *needed)")                                    \
  X(E_WRITE_INVALID, 52, "structure to write is not a valid parse result")                         \
  /* ---- warnings: never returned, only reported through mtasts_diags ---- */                     \
  X(W_DUPLICATE_FIELD, 53, "duplicate field ignored (the first occurrence wins)")                  \
  X(W_POLICY_BOM, 54, "byte order mark at the start of the policy skipped (lenient)")              \
  X(W_POLICY_BLANK_LINE, 55, "blank line between fields skipped (lenient)")                        \
  X(W_POLICY_TRAILING_BLANK, 56, "blank or whitespace-only lines at the end skipped (lenient)")    \
  X(W_POLICY_MAX_AGE_CLAMPED, 57, "max_age above 31557600 clamped to 31557600 (lenient)")          \
  X(W_TXT_TRAILING_WSP, 58, "whitespace at the end of the record ignored (lenient)")               \
  X(W_RUA_SKIPPED, 59, "rua URI with an unsupported scheme or no destination skipped (lenient)")

/* Not for use: a union whose size is the largest code number + 1. */
typedef union mtasts_code_count_ {
#define MTASTS_X_COUNT(name, number, msg) char name[(number) + 1];
  MTASTS_CODE_MAP(MTASTS_X_COUNT)
#undef MTASTS_X_COUNT
} mtasts_code_count_;

typedef enum mtasts_code {
#define MTASTS_X_ENUM(name, number, msg) MTASTS_##name = (number),
  MTASTS_CODE_MAP(MTASTS_X_ENUM)
#undef MTASTS_X_ENUM
  /* not a code: the number of codes (the largest number + 1) */
  MTASTS_CODE_COUNT_ = (int)sizeof(mtasts_code_count_)
} mtasts_code;

/* Stable identifier of a code, e.g. "E_TXT_ID_TOO_LONG"; "UNKNOWN" for a
 * value outside the table. Never NULL. */
const char *mtasts_errname(mtasts_code code);

/* One-sentence English description; "unknown code" outside the table. */
const char *mtasts_strerror(mtasts_code code);

/* True for the W_* codes. */
bool mtasts_is_warning(mtasts_code code);

/* Line and column (both 1-based; the column counts bytes) of a byte
 * offset. A line ends after LF; CR is an ordinary byte. An offset past
 * the end is clamped to len. */
typedef struct mtasts_location {
  size_t line;
  size_t column;
} mtasts_location;

mtasts_location mtasts_locate(const char *input, size_t len, size_t offset);

/* ------------------------------------------------------------------ */
/* Shared types                                                        */
/* ------------------------------------------------------------------ */

/*
 * A piece of the input. `off` is the offset from the start of the input
 * (for TXT character-strings: of the joined record). `ptr` points at the
 * bytes in the caller's buffer, except for a piece of a TXT record given
 * as several character-strings that straddles a string boundary: then
 * ptr is NULL and mtasts_txt_copy() gathers the bytes.
 * An unset span is {NULL, 0, 0}.
 */
typedef struct mtasts_span {
  const char *ptr;
  size_t len;
  size_t off;
} mtasts_span;

/* One TXT character-string (input). */
typedef struct mtasts_chunk {
  const char *ptr;
  size_t len;
} mtasts_chunk;

/* One TXT resource record: its character-strings in order (input). */
typedef struct mtasts_rr {
  const mtasts_chunk *strings;
  size_t count;
} mtasts_rr;

typedef enum mtasts_profile {
  MTASTS_STRICT = 0, /* the ABNF plus the prose limits (default) */
  MTASTS_LENIENT = 1 /* strict plus the closed list of spec/profiles.md; each deviation warns */
} mtasts_profile;

/* "strict" / "lenient"; "unknown" for a value outside the enum. Never
 * NULL. (The codes have mtasts_errname.) */
const char *mtasts_profile_name(mtasts_profile p);

/* RRset selection keeps records that begin with "v=STSv1" *WSP ";" (R1).
 * With this flag it keeps only those beginning with the literal octets
 * "v=STSv1;" (resp. "v=TLSRPTv1;"), the reading of RFC 8461 3.1 prose. */
#define MTASTS_OPT_LITERAL_PREFIX 0x1u

/* One diagnostic: a code and the byte offset it applies to. */
typedef struct mtasts_diag {
  mtasts_code code;
  size_t offset;
} mtasts_diag;

/*
 * Where warnings go: a caller-owned array. `count` is how many warnings
 * were produced (it may exceed `cap`; only the first `cap` are stored).
 * items may be NULL with cap 0 to just count. The parse functions set
 * count to 0 at entry.
 */
typedef struct mtasts_diags {
  mtasts_diag *items;
  size_t cap;
  size_t count;
} mtasts_diags;

/*
 * Options for every parse function. NULL means all defaults: strict,
 * no flags, warnings not reported. Zero-initialise and set what you need.
 */
typedef struct mtasts_options {
  mtasts_profile profile;
  uint32_t flags;         /* MTASTS_OPT_* */
  mtasts_diags *warnings; /* may be NULL */
} mtasts_options;

/* A field that is not one of those the RFC defines (name=value or
 * name: value), kept so that a caller can see it. */
typedef struct mtasts_ext {
  mtasts_span name;
  mtasts_span value;
} mtasts_ext;

/* ------------------------------------------------------------------ */
/* _mta-sts TXT records (RFC 8461 3.1)                                  */
/* ------------------------------------------------------------------ */

typedef struct mtasts_txt {
  /* ---- storage, set by the caller (mtasts_txt_init) ---- */
  mtasts_ext *ext; /* for the unknown fields; may be NULL to count */
  size_t ext_cap;
  /* ---- results, reset by every parse ---- */
  mtasts_span id;    /* 1-32 ALPHA / DIGIT, compared byte for byte (R16) */
  size_t ext_count;  /* stored in ext[]: first occurrences, in order */
  size_t ext_needed; /* in the record (> ext_cap: E_EXT_CAPACITY) */
  size_t err_offset; /* on failure: where; 0 on success */
  /* The source, so mtasts_txt_copy() can gather straddling spans. */
  const mtasts_chunk *src_strings; /* NULL for a joined record */
  size_t src_count;
  const char *src_joined;
  size_t src_len; /* length of the (joined) record */
} mtasts_txt;

/* Set the ext storage and clear the rest. Every parse needs a result set
 * up by this (or by mtasts_txt_init's effect: zeroed, storage set). */
void mtasts_txt_init(mtasts_txt *t, mtasts_ext *ext, size_t ext_cap);

/*
 * Parse one already-joined _mta-sts record, e.g. "v=STSv1; id=abc;".
 *
 * Rules beyond the ABNF (rulings): the first id must be an sts-id (R4);
 * a later duplicate of v / id / an extension is ignored but must be a
 * grammatical field (R3), and is reported as W_DUPLICATE_FIELD in both
 * profiles. Lenient also accepts trailing WSP without a final ";"
 * (lenient deviation 5).
 *
 * Extensions are stored as mx patterns are in a policy (the "mx model"):
 * when the ext array is too small the parse still validates the whole
 * record; the result is E_EXT_CAPACITY (offset: the first extension that
 * did not fit) only if the record is otherwise valid, and out->ext_needed
 * tells the size to retry with. With ext NULL and ext_cap 0 nothing is
 * stored (a sizing pass). MTASTS_MAX_EXTENSIONS entries always suffice.
 *
 * Returns MTASTS_OK, or an error with out->err_offset set (and, for a
 * capacity error, the *_needed counts).
 */
mtasts_code mtasts_txt_parse(const char *record, size_t len, const mtasts_options *opt,
                             mtasts_txt *out);

/* The same record given as the character-strings of one TXT RR, parsed
 * as if concatenated without spaces (RFC 8461 3.1), without copying.
 * Offsets are into the joined record. */
mtasts_code mtasts_txt_parse_strings(const mtasts_chunk *strings, size_t count,
                                     const mtasts_options *opt, mtasts_txt *out);

/* Copy the bytes of span `s` of a parsed record (joined or strings) into
 * dst: copies min(s.len, cap) bytes and returns s.len (dst may be NULL to
 * ask for the length). Returns 0 and copies nothing when s is not a span
 * of t's source. Never writes a NUL. */
size_t mtasts_txt_copy(const mtasts_txt *t, mtasts_span s, char *dst, size_t cap);

/* ------------------------------------------------------------------ */
/* TXT RRset selection (RFC 8461 3.1, RFC 8460 3; rulings R1, R2)       */
/* ------------------------------------------------------------------ */

typedef struct mtasts_rrset_result {
  size_t candidates; /* records that begin with the version field */
  size_t index;      /* with candidates == 1: the selected RR's index */
  size_t err_rr;     /* on failure: index of the RR the error is in, or
                        the RR count for E_RRSET_NONE / E_RRSET_MULTIPLE */
} mtasts_rrset_result;

/*
 * Select the _mta-sts record among all TXT RRs at the name: discard those
 * that do not begin with "v=STSv1" *WSP ";" (case-sensitive, R1/R2; see
 * MTASTS_OPT_LITERAL_PREFIX). Exactly one must remain, and it is parsed
 * into *txt.
 *
 * Returns MTASTS_OK; MTASTS_E_RRSET_NONE (err offset 0);
 * MTASTS_E_RRSET_MULTIPLE (err offset 0; sel->candidates says how many);
 * or the parse error of the single candidate (txt->err_offset).
 * Candidacy is judged from each RR's first MTASTS_TXT_MAX_SIZE octets;
 * a non-candidate is discarded whatever its size, and a candidate longer
 * than MTASTS_TXT_MAX_SIZE fails its parse with E_TXT_TOO_LARGE.
 */
mtasts_code mtasts_txt_select(const mtasts_rr *rrs, size_t count, const mtasts_options *opt,
                              mtasts_rrset_result *sel, mtasts_txt *txt);

/* ------------------------------------------------------------------ */
/* _smtp._tls TXT records (RFC 8460 3; rulings R20, R20a)               */
/* ------------------------------------------------------------------ */

typedef enum mtasts_rua_scheme { MTASTS_RUA_MAILTO = 1, MTASTS_RUA_HTTPS = 2 } mtasts_rua_scheme;

/* "mailto" / "https"; "unknown" for a value outside the enum. Never NULL. */
const char *mtasts_rua_scheme_name(mtasts_rua_scheme s);

typedef struct mtasts_rua {
  mtasts_span uri;    /* the whole URI as written, e.g. "mailto:a@b.example" */
  mtasts_span scheme; /* e.g. "mailto" (without ":"); case as written */
  mtasts_rua_scheme kind;
} mtasts_rua;

typedef struct mtasts_tlsrpt {
  /* ---- storage, set by the caller (mtasts_tlsrpt_init) ---- */
  mtasts_rua *rua; /* for the usable URIs; may be NULL to count */
  size_t rua_cap;
  mtasts_ext *ext; /* for the unknown fields; may be NULL to count */
  size_t ext_cap;
  /* ---- results, reset by every parse ---- */
  size_t rua_count;  /* stored in rua[]: in order, from the first rua= field */
  size_t rua_needed; /* in the record (> rua_cap: E_RUA_CAPACITY) */
  size_t ext_count;
  size_t ext_needed;
  size_t err_offset;
  const mtasts_chunk *src_strings;
  size_t src_count;
  const char *src_joined;
  size_t src_len;
} mtasts_tlsrpt;

/* Set the rua and ext storage and clear the rest (as mtasts_txt_init). */
void mtasts_tlsrpt_init(mtasts_tlsrpt *t, mtasts_rua *rua, size_t rua_cap, mtasts_ext *ext,
                        size_t ext_cap);

/*
 * Parse one _smtp._tls record: "v=TLSRPTv1" then ";"-separated fields.
 * rua is a ","-separated list (optional WSP around each ","); an empty
 * element is invalid (R20). Each URI must be RFC 3986's URI, whole, with
 * "," "!" ";" percent-encoded (R20a); otherwise the record is invalid in
 * both profiles, with the code of what broke at the first byte that
 * cannot continue a URI: E_RUA_SCHEME, E_RUA_CHAR, E_RUA_PERCENT,
 * E_RUA_HOST, E_RUA_IP_LITERAL, E_RUA_PORT, E_RUA_RESERVED. A URI is
 * usable when its scheme is mailto or https (any case) and it has a
 * destination: for mailto an address before any "?" / "#", read as a raw
 * "@" with at least one byte on each side; for https a non-empty host.
 * An unusable URI fails strict (E_RUA_UNSUPPORTED_SCHEME at the URI,
 * E_RUA_NO_DESTINATION after its ":") and is skipped with W_RUA_SKIPPED
 * in lenient (E_RUA_NONE_USABLE when none is left). Delimiters,
 * duplicates and lenient deviation 5 (trailing WSP without a final ";")
 * work as for mtasts_txt_parse. The usable URIs are stored as the
 * extensions are (the mx model): E_RUA_CAPACITY at the first URI that did
 * not fit, only for an otherwise valid record, with out->rua_needed; when
 * both arrays are short, the capacity error is the one at the smaller
 * offset, and both *_needed are set.
 */
mtasts_code mtasts_tlsrpt_parse(const char *record, size_t len, const mtasts_options *opt,
                                mtasts_tlsrpt *out);

mtasts_code mtasts_tlsrpt_parse_strings(const mtasts_chunk *strings, size_t count,
                                        const mtasts_options *opt, mtasts_tlsrpt *out);

/* RRset selection as mtasts_txt_select, with the version "v=TLSRPTv1". */
mtasts_code mtasts_tlsrpt_select(const mtasts_rr *rrs, size_t count, const mtasts_options *opt,
                                 mtasts_rrset_result *sel, mtasts_tlsrpt *out);

/* Same as mtasts_txt_copy, for a TLSRPT record. */
size_t mtasts_tlsrpt_copy(const mtasts_tlsrpt *t, mtasts_span s, char *dst, size_t cap);

/* ------------------------------------------------------------------ */
/* Policy files (RFC 8461 3.2)                                          */
/* ------------------------------------------------------------------ */

typedef enum mtasts_mode {
  MTASTS_MODE_UNSET = 0,
  MTASTS_MODE_ENFORCE = 1,
  MTASTS_MODE_TESTING = 2,
  MTASTS_MODE_NONE = 3
} mtasts_mode;

/* "enforce", "testing", "none"; UNSET is "none" too (nothing enforces);
 * "unknown" for a value outside the enum. Never NULL. */
const char *mtasts_mode_name(mtasts_mode m);

typedef struct mtasts_mx {
  mtasts_span pattern; /* as written, including a leading "*." */
  bool wildcard;       /* pattern begins with "*." */
} mtasts_mx;

typedef struct mtasts_policy {
  /* ---- storage, set by the caller (mtasts_policy_init) ---- */
  mtasts_mx *mx; /* array for the mx patterns; may be NULL to count */
  size_t mx_cap;
  mtasts_ext *ext; /* for the unknown fields; may be NULL to count */
  size_t ext_cap;
  /* ---- results, reset by every parse ---- */
  mtasts_span version; /* "STSv1" */
  mtasts_mode mode;
  mtasts_span mode_text;
  uint64_t max_age;         /* seconds; clamped to 31557600 in lenient (R5) */
  mtasts_span max_age_text; /* the digits as written */
  size_t mx_count;          /* patterns stored in mx[] */
  size_t mx_needed;         /* patterns in the policy (> mx_cap: E_MX_CAPACITY) */
  size_t ext_count;         /* stored in ext[]: first occurrences, in order */
  size_t ext_needed;        /* in the policy (> ext_cap: E_EXT_CAPACITY) */
  size_t err_offset;
} mtasts_policy;

/* Set the mx and ext storage and clear the rest (as mtasts_tlsrpt_init:
 * the kind's own list first, then the extensions). Every parse needs a
 * result set up by this. */
void mtasts_policy_init(mtasts_policy *p, mtasts_mx *mx, size_t mx_cap, mtasts_ext *ext,
                        size_t ext_cap);

/*
 * Parse a policy body (the HTTPS response body, as bytes).
 *
 * Lines end in LF or CRLF (mixed is fine); a bare CR is an error (R6).
 * An empty or whitespace-only line is E_POLICY_BLANK_LINE, a line that
 * starts with WSP and has more on it E_POLICY_LEADING_WSP (R7). Lenient
 * skips, with a warning each, a BOM, every *empty* line between fields
 * (W_POLICY_BLANK_LINE, one per line) and the run of blank or
 * whitespace-only lines at the end (one W_POLICY_TRAILING_BLANK); a
 * whitespace-only line between fields stays an error.
 * Names and the values STSv1 / enforce / testing / none are
 * case-sensitive. version, mode and max_age are required, mx too unless
 * the first mode is none (R17). The first version / mode / max_age must
 * match its own production, every mx must be a valid pattern (R4, R12);
 * later duplicates of non-mx fields are ignored (W_DUPLICATE_FIELD) but
 * must still be grammatical. Extension values are UTF-8 checked (R10).
 *
 * The mx patterns and the extensions go into the caller's arrays (the mx
 * model, as for the records): when an array is too small the parse still
 * validates the whole body; the result is E_MX_CAPACITY or E_EXT_CAPACITY
 * (offset: the line start of the first mx / extension that did not fit;
 * when both arrays are short, the one at the smaller offset) only if the body
 * is otherwise valid, and p->mx_needed and p->ext_needed tell the sizes
 * to retry with. With an array NULL and its capacity 0 nothing is stored
 * there (a sizing pass): p->mx = NULL, mx_cap = 0, ext = NULL, ext_cap = 0
 * gives a capacity error for a valid policy with mx lines or extensions,
 * and MTASTS_OK for a valid one with neither. MTASTS_MAX_EXTENSIONS
 * extension entries always suffice.
 */
mtasts_code mtasts_policy_parse(const char *body, size_t len, const mtasts_options *opt,
                                mtasts_policy *p);

/* ------------------------------------------------------------------ */
/* MX host matching (RFC 8461 4.1; ruling R13)                          */
/* ------------------------------------------------------------------ */

typedef enum mtasts_match {
  MTASTS_MATCH_BAD_HOST = -2,    /* host is not a valid host name: never matches */
  MTASTS_MATCH_BAD_PATTERN = -1, /* pattern is not a valid mx value: matches nothing */
  MTASTS_MATCH_NONE = 0,
  MTASTS_MATCH_EXACT = 1,
  MTASTS_MATCH_WILDCARD = 2
} mtasts_match;

/* "exact", "wildcard", "none", "bad_pattern", "bad_host"; "unknown" for a
 * value outside the enum. Never NULL. */
const char *mtasts_match_name(mtasts_match m);

/*
 * Does MX host `host` match mx pattern `pattern`? A match is > 0.
 * ASCII case-insensitive; one trailing dot on the host is removed first;
 * "*." matches exactly one non-empty leftmost label. The host must be a
 * valid RFC 5321 Domain (labels 1-63 octets of letters, digits, inner
 * hyphens; at most 253 octets) and the pattern a valid mx value (R12).
 */
mtasts_match mtasts_mx_match(const char *pattern, size_t pattern_len, const char *host,
                             size_t host_len);

/* Index of the first mx pattern of a parsed policy that `host` matches,
 * or -1 (none matches, host invalid, or p has no stored patterns). */
long mtasts_policy_match(const mtasts_policy *p, const char *host, size_t host_len);

/* ------------------------------------------------------------------ */
/* Canonical writer                                                    */
/* ------------------------------------------------------------------ */

/*
 * Write a parsed policy in canonical form: "version: STSv1", "mode: ...",
 * one "mx: ..." per pattern in order, "max_age: N" (decimal, no leading
 * zeros), then the extensions in order, every line ending in CRLF.
 *
 * *needed (if not NULL) receives the size of the whole output (0 after
 * an error other than MTASTS_E_WRITE_SPACE).
 * Returns MTASTS_OK; MTASTS_E_WRITE_SPACE if cap < *needed (dst is then
 * left with an unspecified prefix); MTASTS_E_WRITE_INVALID if p could not
 * come from a successful parse (mode unset, mx_count > mx_cap or
 * ext_count > ext_cap, an invalid pattern or extension, a known name used as an extension, enforce
 * or testing without mx ...: the writer never emits a body that would not parse back);
 * MTASTS_E_ARGUMENT for p NULL or dst NULL with cap > 0. No NUL is written.
 *
 * Round trip: parse(write(p)) gives the same fields as p whenever the
 * output fits MTASTS_POLICY_MAX_SIZE. The canonical form can be longer
 * than a compact input ("mx:a" LF becomes "mx: a" CRLF), so a valid
 * policy close to the size limit may write a body too large to re-parse.
 */
mtasts_code mtasts_policy_write(const mtasts_policy *p, char *dst, size_t cap, size_t *needed);

/* Write "v=STSv1; id=<id>;" then " <name>=<value>;" per extension.
 * Errors and *needed as for mtasts_policy_write; the round trip holds
 * while the output fits MTASTS_TXT_MAX_SIZE. Straddling spans are
 * gathered from the record's source. */
mtasts_code mtasts_txt_write(const mtasts_txt *t, char *dst, size_t cap, size_t *needed);

/* Write "v=TLSRPTv1; rua=<uri>,<uri>;" then " <name>=<value>;" per
 * extension. Errors and *needed as for mtasts_txt_write. */
mtasts_code mtasts_tlsrpt_write(const mtasts_tlsrpt *t, char *dst, size_t cap, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* MTASTS_H */
