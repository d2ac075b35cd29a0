/*
 * resolver_dane.h - which MX hosts of a domain have usable DANE TLSA
 * records (RFC 7672 2.2), so that a policy daemon in front of an MTA can
 * keep MTA-STS from overriding DANE (RFC 8461 2, ruling R31 in
 * spec/rulings.md). The MTA's policy table is per domain, not per MX, so
 * the answer is a coverage of the domain's hosts.
 *
 * The DNSSEC validation is the resolver's: an answer counts as validated
 * when its AD bit is set (dns_answer_authentic), as Postfix trusts it
 * with smtp_dns_support_level = dnssec. Steps:
 *  - the domain's MX RRset; not validated (AD clear): DANE_NONE (RFC
 *    7672 2.2.1: the MX hosts are not known securely, Postfix does not
 *    use DANE for them). No MX record, or a null MX (RFC 7505):
 *    DANE_NONE (the implicit MX of RFC 5321 5.1 is not looked at);
 *  - for each host (at most DANE_HOSTS_MAX, by preference), the TLSA
 *    RRset of _25._tcp.<host>: a validated answer with a usable record
 *    (dns_answer_tlsa) counts; NXDOMAIN, NODATA, records that are not
 *    validated or none usable do not (RFC 7672 2.2: "insecure" TLSA
 *    records are not used);
 *  - a lookup that fails (SERVFAIL, timeout, a malformed answer) is
 *    RFC 7672 2.2's "indeterminate": DANE_UNKNOWN, with why. An MX host
 *    whose TLSA records cannot be known may be one where DANE fails.
 * The MX host's address records are not looked up: Postfix checks that
 * they are validated before it uses the host's TLSA records (RFC 7672
 * 2.2.2), and a CNAME'd host's TLSA at the alias target is not tried.
 */
#ifndef MTASTS_RESOLVER_DANE_H
#define MTASTS_RESOLVER_DANE_H

#include <stddef.h>

#include "resolver_dns.h"

/* The MX hosts looked at, by preference; Postfix tries at most
 * smtp_mx_address_limit (5) addresses anyway. */
#define DANE_HOSTS_MAX 16

typedef enum dane_coverage {
  DANE_NONE = 0, /* no MX host has usable TLSA records: MTA-STS alone */
  DANE_SOME,     /* some have, some do not */
  DANE_ALL,      /* every MX host has */
  DANE_UNKNOWN   /* a lookup failed ("indeterminate"): error says which */
} dane_coverage;

typedef struct dane_survey {
  dane_coverage coverage;
  size_t hosts;     /* MX hosts looked at */
  size_t with_tlsa; /* of them, with usable validated TLSA records */
  char error[512];  /* DANE_UNKNOWN: why */
} dane_survey;

/* The queries: NULL members are the system resolver with the AD bit
 * asked for and kept (dns_query_system_mx_secure, dns_query_system_tlsa). */
typedef struct dane_queries {
  void *ctx;
  dns_query_fn mx;   /* MX records of a domain */
  dns_query_fn tlsa; /* TLSA records of _25._tcp.<host> */
} dane_queries;

/* Survey `domain` (lower case, no final dot). Returns out->coverage. */
dane_coverage dane_survey_domain(const dane_queries *q, const char *domain, dane_survey *out);

/* The system resolver asked for MX or TLSA records with EDNS0, the DO
 * bit and trust-ad (glibc clears the AD bit of answers without it), as
 * Postfix asks with smtp_dns_support_level = dnssec. */
dns_outcome dns_query_system_mx_secure(void *ctx, const char *name, unsigned char *answer,
                                       size_t cap, size_t *len, char *err, size_t errlen);
dns_outcome dns_query_system_tlsa(void *ctx, const char *name, unsigned char *answer, size_t cap,
                                  size_t *len, char *err, size_t errlen);

#endif /* MTASTS_RESOLVER_DANE_H */
