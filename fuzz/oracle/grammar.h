/*
 * grammar.h - the RFC 8461 / RFC 8460 grammars as data for the oracle.
 *
 * Each rule is a transliteration of the published ABNF (quoted beside it in
 * grammar.c). The only additions are CAP nodes, which mark where a field's
 * name and value (or a URI and its parts) matched, so the rulings post-pass
 * (oracle.c) can look at them.
 */
#ifndef MTASTS_ORACLE_GRAMMAR_H
#define MTASTS_ORACLE_GRAMMAR_H

#include "abnf.h"

enum grammar_tag {
  TAG_NAME = 1, /* a field name */
  TAG_VALUE,    /* a field value */
  TAG_URI,      /* one tlsrpt-uri of a rua list */
  TAG_SCHEME,   /* the scheme of that URI (without ":") */
  TAG_HOST,     /* the host of an authority ("//" ...) */
  TAG_HIER      /* the hier-part: after "scheme:", before "?" / "#" */
};

/* RFC 8461 3.1 */
extern const abnf_node *const g_sts_text_record;
extern const abnf_node *const g_sts_id_value;       /* 1*32(ALPHA / DIGIT) */
extern const abnf_node *const g_sts_rrset_prefix;   /* %s"v=STSv1" *WSP ";" (R1) */
extern const abnf_node *const g_sts_literal_prefix; /* %s"v=STSv1;" */

/* RFC 8461 3.2 */
extern const abnf_node *const g_policy_record;
extern const abnf_node *const g_policy_version_value;
extern const abnf_node *const g_policy_mode_value;
extern const abnf_node *const g_policy_max_age_value;
extern const abnf_node *const g_policy_mx_value; /* ["*."] Domain */

/* RFC 5321 4.1.2 */
extern const abnf_node *const g_domain;

/* RFC 8460 3 */
extern const abnf_node *const g_tlsrpt_rrset_prefix;
extern const abnf_node *const g_tlsrpt_literal_prefix;
/* The value of a rua field: tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri), each
 * URI captured (TAG_URI, with TAG_SCHEME, TAG_HIER and, for an authority,
 * TAG_HOST inside). tlsrpt-uri = URI is RFC 3986's URI whole (Appendix A,
 * the ABNF verbatim) with "," "!" ";" out of sub-delims (ruling R20a). */
extern const abnf_node *const g_tlsrpt_rua;
/* The whole record. */
extern const abnf_node *const g_tlsrpt_record;
/* R20a's mailto destination, matched against a URI's hier-part (RFC 6068
 * `to`): 1*OCTET "@" 1*OCTET. */
extern const abnf_node *const g_mailto_address;

#endif
