/*
 * json.h - internal: a pull reader of RFC 8259 JSON with the I-JSON
 * (RFC 7493) rules of ruling R22, one token per call, no recursion (the
 * nesting is a bit stack), no allocation (member names of the open
 * objects are kept in the caller's work area, to find duplicates).
 *
 * Error offsets (each pinned by report/tests/test_json.c):
 *   E_JSON_EMPTY       at len: nothing but whitespace;
 *   E_JSON_SYNTAX      at the byte where a value, a name, ":", "," or a
 *                      closing bracket is due and something else is there;
 *   E_JSON_TRUNCATED   at len: the input ends inside the document;
 *   E_JSON_TRAILING    at the first non-whitespace byte after the value;
 *   E_JSON_LITERAL     at the first byte that differs from true/false/null;
 *   E_JSON_NUMBER      at the first byte that cannot continue a number
 *                      ("01" at the 1, "1." + "}" at the "}", "-x" at x);
 *   E_JSON_CONTROL     at the byte below 0x20 inside a string;
 *   E_JSON_ESCAPE      at the byte after "\" that is not an escape, or at
 *                      the first non-HEXDIG of "\u";
 *   E_JSON_SURROGATE   at the "\" of a \uD800-\uDFFF escape not in a
 *                      high-low pair;
 *   E_JSON_UTF8        at the first byte of an ill-formed UTF-8 sequence
 *                      (RFC 3629 4; a sequence cut by the end included);
 *   E_JSON_DEPTH       at the "[" or "{" one level too deep;
 *   E_JSON_DUPLICATE   at the opening quote of the later name;
 *   E_JSON_TOO_MANY_MEMBERS at the opening quote of the name one too many.
 * A NUL byte at the offset turns any of them into E_JSON_NUL (report.c).
 */
#ifndef MTASTS_REPORT_JSON_H
#define MTASTS_REPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts_report.h"

typedef enum jkind {
  J_OBJ,     /* "{" */
  J_OBJ_END, /* "}" */
  J_ARR,     /* "[" */
  J_ARR_END, /* "]" */
  J_KEY,     /* a member name, its ":" read */
  J_STR,
  J_NUM,
  J_TRUE,
  J_FALSE,
  J_NULL,
  J_END /* the value is complete and only whitespace follows */
} jkind;

typedef struct jtok {
  jkind kind;
  size_t off;   /* its first byte: "{", "[", the opening quote, a digit ... */
  size_t start; /* J_KEY / J_STR: the content after the quote; J_NUM: = off */
  size_t len;   /* of the content (J_KEY, J_STR) or the number */
  bool escaped; /* J_KEY / J_STR: the content holds a "\" */
} jtok;

typedef struct jlex {
  const unsigned char *p;
  size_t n, pos;
  uint32_t depth;  /* open containers */
  uint64_t is_obj; /* bit d-1: the container at depth d is an object */
  uint8_t expect;  /* what may come next (json.c) */
  uint32_t (*names)[2];
  uint32_t name_top;                           /* names in use */
  uint32_t frame[MTASTS_REPORT_MAX_DEPTH + 1]; /* first name of each open object */
  mtasts_report_code code;                     /* on failure */
  size_t err;
} jlex;

void jlex_begin(jlex *l, const unsigned char *p, size_t n, uint32_t (*names)[2]);

/* The next token; false on an error (l->code, l->err). Not to be called
 * again after false or after J_END. */
bool jlex_next(jlex *l, jtok *t);

/* Decoding a string's content, already validated: */
typedef struct jdec {
  const unsigned char *p; /* the content */
  size_t n, i;
  unsigned char buf[4]; /* UTF-8 of the escape being returned */
  uint8_t bi, bn;
} jdec;

void jdec_begin(jdec *d, const unsigned char *p, size_t n);

/* The next decoded byte, or -1 at the end. */
int jdec_next(jdec *d);

/* Decode into dst[0..cap); the decoded length. */
size_t jdec_copy(const unsigned char *p, size_t n, unsigned char *dst, size_t cap);

#endif
