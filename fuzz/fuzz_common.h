/*
 * fuzz_common.h - what every mtasts fuzz harness shares: the input byte
 * formats (see fuzz/README.md), invariant checks that abort on violation,
 * and exact-size copies of the pieces so ASan sees any read past them.
 */
#ifndef MTASTS_FUZZ_COMMON_H
#define MTASTS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"
#include "oracle/oracle.h"

/* The libFuzzer entry point every harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the two targets of a parser entry point (fuzz/README.md) ----
 * fuzz_<entry> is the fast target: each profile parsed once, then the
 * invariants that cost less than the parse. fuzz_<entry>_oracle is built
 * from the same source with FZ_DIFFERENTIAL 1 (the build defines it) and
 * adds the strong checks: the oracle, and the re-feedings (the same input
 * through another entry point, NULL options, the sizing pass), which cost
 * 10-100 times the parse. */
#ifndef FZ_DIFFERENTIAL
#define FZ_DIFFERENTIAL 0
#endif

/* ---- failing ---- */

/* Print what broke (and where) and abort: libFuzzer, AFL++ and the replay
 * driver all treat the abort as a finding. */
_Noreturn void fz_fail(const char *file, int line, const char *what, const char *detail);

#define FZ_CHECK(cond, detail)                                                                     \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      fz_fail(__FILE__, __LINE__, #cond, (detail));                                                \
  } while (0)

/* ---- the first byte ---- */

#define FZ_BIT_LENIENT 0x01u /* bit 0: the primary profile is lenient */
#define FZ_BIT_LITERAL 0x02u /* bit 1: MTASTS_OPT_LITERAL_PREFIX (RRsets) */

/* Options for one profile, with warnings collected into *diags. */
mtasts_options fz_options(mtasts_profile profile, uint32_t flags, mtasts_diags *diags);

/* ---- pieces: exact-size heap copies; NULL for an empty piece ---- */

const char *fz_piece(const uint8_t *p, size_t n);
void fz_piece_free(const char *p);

/* TXT character-strings in DNS wire format: a length octet, then that many
 * octets; the last string is cut short by the end of the input. */
typedef struct fz_strings {
  mtasts_chunk *chunks;
  size_t count;
  char *joined; /* the concatenation, for the comparisons; exact size */
  size_t joined_len;
} fz_strings;

/* Decode one wire-format RDATA (all n bytes are used). */
void fz_strings_decode(const uint8_t *p, size_t n, fz_strings *out);
void fz_strings_free(fz_strings *s);

/* An RRset: each RR is a 2-octet big-endian length, then that many octets
 * of wire-format RDATA (cut short by the end of the input). */
typedef struct fz_rrset {
  mtasts_rr *rrs;
  fz_strings *strings; /* one per RR */
  size_t count;
} fz_rrset;

void fz_rrset_decode(const uint8_t *p, size_t n, fz_rrset *out);
void fz_rrset_free(fz_rrset *r);

/* ---- invariants ---- */

/* Read every byte (so ASan / MSan see them). */
void fz_touch(const char *p, size_t n);

/* A returned code is a known error (or OK), never a warning. */
void fz_check_code(mtasts_code code);

/* Warnings: stored ones are known W_* codes with offsets <= len; strict
 * reports only W_DUPLICATE_FIELD (SPEC: the only non-deviation warning). */
void fz_check_warnings(const mtasts_diags *d, size_t len, mtasts_profile profile);

/* Did lenient use a deviation (any warning but W_DUPLICATE_FIELD)? */
bool fz_has_deviation(const mtasts_diags *d);

/* Both lists hold the same codes and offsets. */
bool fz_same_warnings(const mtasts_diags *a, const mtasts_diags *b);

/* The NUL rule of mtasts.h: E_NUL exactly when the byte at the error
 * offset is NUL (size-limit errors excepted, see fuzz/README.md). */
void fz_check_nul_rule(mtasts_code code, size_t err_offset, const char *input, size_t len);

bool fz_span_unset(mtasts_span s);

/* mtasts_locate on an error offset gives a line and column >= 1. */
void fz_check_locate(const char *input, size_t len, size_t err_offset);

/* A span of a joined input: inside it, ptr == base + off; bytes read. */
void fz_check_joined_span(mtasts_span s, const char *base, size_t len);

/* The oracle, created on first use. */
oracle *fz_oracle(void);

/* A parser span equals an oracle span (offset, length). */
bool fz_span_is(mtasts_span s, oracle_str o);

/* Log a disagreement and abort. */
_Noreturn void fz_disagree(const char *target, const char *what, const char *oracle_why);

/* ---- shared checks of parsed TXT-style records ---- */

/* Check a parsed _mta-sts record (code + struct) against the bytes it was
 * parsed from (joined) and, for strings, their layout. */
void fz_check_txt(mtasts_code code, const mtasts_txt *t, const char *joined, size_t len,
                  const mtasts_chunk *chunks, size_t count);
void fz_check_tlsrpt(mtasts_code code, const mtasts_tlsrpt *t, const char *joined, size_t len,
                     const mtasts_chunk *chunks, size_t count);

/* Profile invariants (fuzz/README.md): what strict accepts, lenient
 * accepts with the same fields and warnings and no deviation; what only
 * lenient accepts carries at least one deviation warning. */
void fz_check_profiles(mtasts_code strict, mtasts_code lenient, bool same_fields,
                       const mtasts_diags *ds, const mtasts_diags *dl);

/* Field-by-field equality of two results (offsets, lengths, counts). */
bool fz_same_txt(const mtasts_txt *a, const mtasts_txt *b);
bool fz_same_tlsrpt(const mtasts_tlsrpt *a, const mtasts_tlsrpt *b);

/* Compare with the oracle's verdict and fields; abort on a difference. */
void fz_diff_txt(const char *target, mtasts_code code, const mtasts_txt *t, oracle_verdict v,
                 const oracle_txt *o);
void fz_diff_tlsrpt(const char *target, mtasts_code code, const mtasts_tlsrpt *t, oracle_verdict v,
                    const oracle_tlsrpt *o);

/* Fill an output struct with garbage so "reset at entry" is tested; a
 * no-op under MSan, which instead sees any field the parser leaves unset. */
void fz_poison(void *p, size_t n);

/* A poisoned result with storage for every item: ext holds
 * MTASTS_MAX_EXTENSIONS, rua MTASTS_MAX_RUA. */
void fz_txt_ready(mtasts_txt *t, mtasts_ext *ext);
void fz_tlsrpt_ready(mtasts_tlsrpt *t, mtasts_rua *rua, mtasts_ext *ext);

#endif
