/*
 * check.h - internal: the value grammars of a report (rulings R24-R28),
 * each over decoded bytes, each a yes / no: a value error is reported at
 * the first byte of the value (report.c), so no offset is needed here.
 */
#ifndef MTASTS_REPORT_CHECK_H
#define MTASTS_REPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts_report.h"

/* Is s[0..n) the library's own string literal `lit`? (No strlen: the
 * library calls nothing but memcpy, memcmp, memchr and memset.) */
bool chk_is(const char *lit, const unsigned char *s, size_t n);

/* RFC 3339 5.6 date-time (R24). */
#define CHK_FRAC 32 /* fraction digits compared; equal beyond them */
typedef struct chk_time {
  int64_t secs;        /* UTC seconds since 1970 (second 60 counts as the next 00) */
  uint32_t frac_sig;   /* time-secfrac digits up to the last non-zero one */
  char frac[CHK_FRAC]; /* the first of them */
  bool has_offset;     /* false: lenient read as UTC */
} chk_time;

/* date-time, with the offset optional (the caller decides whether its
 * absence is allowed). "T" and "Z" in either case, a fraction of any
 * length, second 60, the day checked against its month and year. */
bool chk_date(const unsigned char *s, size_t n, chk_time *out);

/* -1, 0, 1 as a is before, equal to, after b. */
int chk_time_cmp(const chk_time *a, const chk_time *b);

/* IPv4address of RFC 8460 4.4, or IPv6 text of RFC 4291 2.2 (x:x:...,
 * "::" once, a dotted IPv4 tail allowed; RFC 5952 form not required). */
bool chk_ip(const unsigned char *s, size_t n);

/* RFC 5322 3.4.1 addr-spec without CFWS and obs- forms: dot-atom or
 * quoted-string "@" dot-atom or domain-literal; US-ASCII; at most 254
 * octets (RFC 5321 4.5.3.1.3). */
bool chk_addr_spec(const unsigned char *s, size_t n);

/* A host name (RFC 5321 Domain, A-labels, no trailing dot), or with
 * wildcard an mx pattern (R12): the parser's own matcher decides. */
bool chk_domain(const unsigned char *s, size_t n, bool wildcard);

/* The RFC 8460 4.3 name, OTHER for another token 1*(ALPHA / DIGIT /
 * "-"), UNSET for anything else. */
mtasts_report_result chk_result_type(const unsigned char *s, size_t n);

/* One TLSA RR in presentation form, fed byte by byte (R25, RFC 8460
 * 4.5): three decimal 0-255 fields and the association data in an even
 * number of HEXDIG, single spaces between. */
typedef struct chk_tlsa {
  uint8_t field;  /* 0-2: the numbers, 3: the hex data */
  uint16_t value; /* of the number being read */
  size_t len;     /* bytes of the current field */
  bool bad;
} chk_tlsa;

void chk_tlsa_begin(chk_tlsa *t);
void chk_tlsa_feed(chk_tlsa *t, unsigned char c);
bool chk_tlsa_end(const chk_tlsa *t);

#endif
