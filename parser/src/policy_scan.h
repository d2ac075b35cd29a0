/*
 * policy_scan.h - internal: the scanners of policy lines (defined in
 * policy.c), shared by the policy parser and the policy writer (write.c).
 *
 * The writer checks a caller-built mtasts_policy with the very scanners the
 * parser uses, so that whatever it writes parses back to the same fields;
 * a second copy of the grammar could drift.
 */
#ifndef MTASTS_POLICY_SCAN_H
#define MTASTS_POLICY_SCAN_H

#include <stddef.h>

#include "mtasts.h"

/* Which field a policy field name selects (names are case-sensitive). */
typedef enum policy_field {
  FIELD_EXTENSION = 0,
  FIELD_VERSION,
  FIELD_MODE,
  FIELD_MAX_AGE,
  FIELD_MX
} policy_field;

policy_field policy_field_kind(const unsigned char *name, size_t n);

/*
 * Length of the longest prefix of p[0..n) that can begin an ext-name
 * (alnum, then alnum / "_" / "-" / "."), counting at most
 * MTASTS_MAX_EXT_NAME_LEN + 1 bytes so that a caller sees a name that is too
 * long. 0 when p[0] is not alnum (or n is 0).
 */
size_t policy_name_scan(const unsigned char *p, size_t n);

/*
 * Scan an sts-policy-ext-value followed by *WSP, from p[0] (which the
 * caller guarantees is not SP / HTAB) to the first CR / LF or n.
 * Returns MTASTS_OK with *value_len = the value without its trailing WSP
 * and *stop = where the scan stopped (CR, LF or n); or an error with
 * *stop = its offset: E_POLICY_VALUE_CHAR at a CTL / DEL, or at the first
 * HTAB of a whitespace run that more value follows; E_POLICY_VALUE_UTF8 at
 * the first byte of an invalid UTF-8 sequence.
 */
mtasts_code policy_value_scan(const unsigned char *p, size_t n, size_t *value_len, size_t *stop);

#endif
