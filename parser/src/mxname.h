/*
 * mxname.h - internal scanners shared by the policy parser (policy.c), the
 * MX matcher (mx.c) and the policy writer (write.c).
 *
 * The writer checks a caller-built mtasts_policy with the very scanners the
 * parser uses, so that whatever it writes parses back to the same fields;
 * a second copy of the grammar could drift.
 */
#ifndef MTASTS_MXNAME_H
#define MTASTS_MXNAME_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"

/*
 * Scan ["*."] Domain (RFC 5321 4.1.2) with the R12 limits at p[0..n).
 * The name ends at n or at SP / HTAB / CR / LF: what follows it is the
 * caller's business. "*." is accepted only when allow_wildcard is set.
 *
 * Returns MTASTS_OK with *pos = the end of the name, or with *pos = the
 * error offset (relative to p):
 *  E_POLICY_MX_SYNTAX          at the first byte that cannot continue a name
 *                              (n when the name ends too early);
 *  E_POLICY_MX_LABEL_TOO_LONG  at the start of a well-formed label of 64+;
 *  E_POLICY_MX_TRAILING_DOT    at the dot, when a dot ends the name;
 *  E_POLICY_MX_TOO_LONG        at 0, for a well-formed name of 254+ octets
 *                              ("*." included).
 * A label ends at its first byte that is not a letter, digit or hyphen and
 * its length is judged then ("<64 letters>_" is LABEL_TOO_LONG); the name's
 * length is judged last, after the byte that ends it ("<254 octets>_" is
 * MX_SYNTAX at the "_").
 */
mtasts_code mtasts_mxname_scan(const unsigned char *p, size_t n, bool allow_wildcard, size_t *pos);

/* Which field a policy field name selects (names are case-sensitive). */
typedef enum mtasts_policy_field {
  MTASTS_FIELD_EXTENSION = 0,
  MTASTS_FIELD_VERSION,
  MTASTS_FIELD_MODE,
  MTASTS_FIELD_MAX_AGE,
  MTASTS_FIELD_MX
} mtasts_policy_field;

mtasts_policy_field mtasts_policy_field_kind(const unsigned char *name, size_t n);

/*
 * Length of the longest prefix of p[0..n) that can begin an ext-name
 * (alnum, then alnum / "_" / "-" / "."), counting at most
 * MTASTS_MAX_EXT_NAME_LEN + 1 bytes so that a caller sees a name that is too
 * long. 0 when p[0] is not alnum (or n is 0).
 */
size_t mtasts_policy_name_scan(const unsigned char *p, size_t n);

/*
 * Scan an sts-policy-ext-value followed by *WSP, from p[0] (which the
 * caller guarantees is not SP / HTAB) to the first CR / LF or n.
 * Returns MTASTS_OK with *value_len = the value without its trailing WSP
 * and *stop = where the scan stopped (CR, LF or n); or an error with
 * *stop = its offset: E_POLICY_VALUE_CHAR at a CTL / DEL, or at the first
 * HTAB of a whitespace run that more value follows; E_POLICY_VALUE_UTF8 at
 * the first byte of an invalid UTF-8 sequence.
 */
mtasts_code mtasts_policy_value_scan(const unsigned char *p, size_t n, size_t *value_len,
                                     size_t *stop);

#endif
