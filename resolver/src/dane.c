/* dane.c - the DANE coverage of a domain's MX hosts (see resolver_dane.h). */
#define _DEFAULT_SOURCE /* resolv.h and its types */

#include "resolver_dane.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"
#include "resolver_mx.h"

/* What Postfix sets with smtp_dns_support_level = dnssec: the DO bit in
 * EDNS0, and (glibc >= 2.31) trust-ad, without which glibc clears the AD
 * bit of every answer unless resolv.conf says "options trust-ad". */
static unsigned long dnssec_options(void) {
  unsigned long o = RES_USE_EDNS0 | RES_USE_DNSSEC;
#ifdef RES_TRUSTAD
  o |= RES_TRUSTAD;
#endif
  return o;
}

dns_outcome dns_query_system_mx_secure(void *ctx, const char *name, unsigned char *answer,
                                       size_t cap, size_t *len, char *err, size_t errlen) {
  (void)ctx;
  return dns_query_system_options(ns_t_mx, dnssec_options(), name, answer, cap, len, err, errlen);
}

dns_outcome dns_query_system_tlsa(void *ctx, const char *name, unsigned char *answer, size_t cap,
                                  size_t *len, char *err, size_t errlen) {
  (void)ctx;
  return dns_query_system_options(ns_t_tlsa, dnssec_options(), name, answer, cap, len, err, errlen);
}

static dane_coverage unknown(dane_survey *out, const char *what, const char *why) {
  out->coverage = DANE_UNKNOWN;
  snprintf(out->error, sizeof out->error, "DANE: %s: %s", what, why);
  return DANE_UNKNOWN;
}

/* The MX hosts of `domain` into *mx, and whether the answer validated.
 * False with out->error when the lookup failed. */
static bool mx_hosts(const dane_queries *q, const char *domain, dns_mx *mx, bool *authentic,
                     dane_survey *out) {
  char name[MTASTS_MAX_NAME_LEN + 2], err[160] = "";
  snprintf(name, sizeof name, "%s.", domain);
  size_t n = 0;
  dns_outcome oc;
  memset(mx, 0, sizeof *mx);
  *authentic = false;
  unsigned char *answer = dns_query_message(q->mx, q->ctx, name, &n, &oc, err, sizeof err);
  if (answer == NULL) {
    if (oc != DNS_ABSENT)
      unknown(out, "the MX lookup failed", err);
    return oc == DNS_ABSENT;
  }
  *authentic = dns_answer_authentic(answer, n);
  bool ok = dns_mx_from_answer(answer, n, mx);
  free(answer);
  if (!ok)
    unknown(out, "the MX lookup failed", mx->error);
  return ok;
}

/* 1: `host` has usable validated TLSA records; 0: not; -1: unknown. */
static int host_has_tlsa(const dane_queries *q, const char *host, dane_survey *out) {
  char name[MTASTS_MAX_NAME_LEN + 16], err[160] = "", what[MTASTS_MAX_NAME_LEN + 40];
  snprintf(name, sizeof name, "_25._tcp.%s.", host);
  snprintf(what, sizeof what, "the TLSA lookup of %s failed", host);
  size_t n = 0;
  dns_outcome oc;
  unsigned char *answer = dns_query_message(q->tlsa, q->ctx, name, &n, &oc, err, sizeof err);
  if (answer == NULL) {
    if (oc == DNS_ABSENT)
      return 0; /* no TLSA record: MTA-STS applies to this host */
    unknown(out, what, err);
    return -1;
  }
  dns_tlsa t;
  if (dns_answer_tlsa(answer, n, &t) != DNS_ANSWER_OK) {
    free(answer);
    snprintf(err, sizeof err, "malformed DNS answer: %s", dns_answer_error_message(t.error));
    unknown(out, what, err);
    return -1;
  }
  int has = t.usable > 0 && dns_answer_authentic(answer, n);
  free(answer);
  return has;
}

/* Each host's TLSA records, the null MX left out. */
static dane_coverage survey_hosts(const dane_queries *q, const dns_mx *mx, dane_survey *out) {
  for (size_t i = 0; i < mx->count && out->hosts < DANE_HOSTS_MAX; i++) {
    if (mx->hosts[i].name[0] == '\0')
      continue;
    int has = host_has_tlsa(q, mx->hosts[i].name, out);
    if (has < 0)
      return DANE_UNKNOWN;
    out->hosts++;
    out->with_tlsa += (size_t)has;
  }
  if (out->with_tlsa == 0)
    return DANE_NONE;
  return out->with_tlsa == out->hosts ? DANE_ALL : DANE_SOME;
}

dane_coverage dane_survey_domain(const dane_queries *q, const char *domain, dane_survey *out) {
  memset(out, 0, sizeof *out);
  dane_queries real = *q;
  if (real.mx == NULL)
    real.mx = dns_query_system_mx_secure;
  if (real.tlsa == NULL)
    real.tlsa = dns_query_system_tlsa;
  dns_mx mx;
  bool authentic;
  if (!mx_hosts(&real, domain, &mx, &authentic, out)) {
    dns_mx_free(&mx);
    return out->coverage;
  }
  /* RFC 7672 2.2.1: MX hosts not known securely get no DANE from Postfix. */
  if (authentic)
    out->coverage = survey_hosts(&real, &mx, out);
  dns_mx_free(&mx);
  return out->coverage;
}
