/*
 * mxname.h - internal: the mx pattern / host name scanner of mx.c, shared
 * by the MX matcher, the policy parser (policy.c) and the policy writer
 * (write.c), so that all three read one grammar.
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
mtasts_code mxname_scan(const unsigned char *p, size_t n, bool allow_wildcard, size_t *pos);

#endif
