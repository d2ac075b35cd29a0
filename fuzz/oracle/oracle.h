/*
 * oracle.h - an independent recogniser for RFC 8461 / RFC 8460 inputs, used
 * by the differential fuzz targets.
 *
 * Two stages, kept apart on purpose:
 *   1. the ABNF, interpreted from data (grammar.c, abnf.c): is the input in
 *      the language, and where are its fields?
 *   2. the rulings (spec/rulings.md R1-R21 and R20a, profiles, parser/SPEC.md
 *      conventions)
 *      as a post-pass over the fields: first-wins, name-based values (R4),
 *      required fields, limits, lenient deviations.
 * No code is shared with the production parser; only the public header's
 * limit constants are used, because they are part of the contract.
 *
 * Verdicts: VALID / INVALID, or UNDECIDED when a work bound was hit (the
 * caller must then skip the comparison). Spans are offsets into the input
 * passed in (for the lenient policy: into the original body, not the
 * normalised one).
 */
#ifndef MTASTS_ORACLE_H
#define MTASTS_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

typedef enum oracle_verdict {
  ORACLE_INVALID = 0,
  ORACLE_VALID = 1,
  ORACLE_UNDECIDED = 2
} oracle_verdict;

typedef struct oracle_str {
  size_t off, len;
} oracle_str;

typedef struct oracle_field {
  oracle_str name, value;
} oracle_field;

typedef struct oracle_txt {
  const char *why; /* the rule that rejected the input, for messages */
  bool deviation;  /* accepted only through a lenient deviation */
  oracle_str id;
  size_t ext_count;
  oracle_field ext[MTASTS_MAX_EXTENSIONS];
} oracle_txt;

typedef struct oracle_rua {
  oracle_str uri, scheme;
  int kind; /* 1 mailto, 2 https (the values of mtasts_rua_scheme) */
} oracle_rua;

typedef struct oracle_tlsrpt {
  const char *why;
  bool deviation;
  size_t rua_count;
  oracle_rua rua[MTASTS_MAX_RUA];
  size_t ext_count;
  oracle_field ext[MTASTS_MAX_EXTENSIONS];
} oracle_tlsrpt;

typedef struct oracle_policy {
  const char *why;
  bool deviation;
  oracle_str version;
  int mode; /* 1 enforce, 2 testing, 3 none (the values of mtasts_mode) */
  oracle_str mode_text;
  uint64_t max_age;
  oracle_str max_age_text;
  size_t mx_count;
  const oracle_str *mx; /* owned by the oracle, valid until its next call */
  size_t ext_count;
  oracle_field ext[MTASTS_MAX_EXTENSIONS];
} oracle_policy;

/* One TXT RR of an RRset, its strings already joined. */
typedef struct oracle_rr {
  const unsigned char *data;
  size_t len;
} oracle_rr;

typedef struct oracle_select {
  size_t candidates; /* RRs that pass the version filter */
  size_t index;      /* the candidate, when there is exactly one */
} oracle_select;

typedef struct oracle_match {
  bool pattern_ok, host_ok;
  int result; /* when both are ok: 0 none, 1 exact, 2 wildcard */
} oracle_match;

typedef struct oracle oracle;

oracle *oracle_new(void);
void oracle_free(oracle *o);

oracle_verdict oracle_txt_record(oracle *o, const unsigned char *s, size_t n, bool lenient,
                                 oracle_txt *out);
oracle_verdict oracle_tlsrpt_record(oracle *o, const unsigned char *s, size_t n, bool lenient,
                                    oracle_tlsrpt *out);
oracle_verdict oracle_policy_body(oracle *o, const unsigned char *s, size_t n, bool lenient,
                                  oracle_policy *out);

/* RRset selection (R1, R2): fills *sel; the verdict and *out are those of
 * the single candidate (R18 included), or INVALID when there is not
 * exactly one. */
oracle_verdict oracle_txt_rrset(oracle *o, const oracle_rr *rrs, size_t count, bool lenient,
                                bool literal_prefix, oracle_select *sel, oracle_txt *out);
oracle_verdict oracle_tlsrpt_rrset(oracle *o, const oracle_rr *rrs, size_t count, bool lenient,
                                   bool literal_prefix, oracle_select *sel, oracle_tlsrpt *out);

/* MX matching (R12, R13). UNDECIDED only when a bound was hit. */
oracle_verdict oracle_mx_match(oracle *o, const unsigned char *pattern, size_t pattern_len,
                               const unsigned char *host, size_t host_len, oracle_match *out);

#endif
