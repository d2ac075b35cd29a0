/* dns.c - the TXT lookup of the resolver (see resolver_dns.h). */
#define _DEFAULT_SOURCE /* resolv.h and its types */

#include "resolver_dns.h"

#include "dns_answer.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netdb.h>

static bool malformed(dns_txt *out, const char *why) {
  out->outcome = DNS_ERROR;
  snprintf(out->error, sizeof out->error, "malformed DNS answer: %s", why);
  return false;
}

bool dns_txt_from_answer(const unsigned char *msg, size_t len, dns_txt *out) {
  memset(out, 0, sizeof *out);
  dns_answer counted;
  /* The walk never allocates: a first pass counts, a second fills. */
  if (dns_answer_txt(msg, len, NULL, 0, NULL, 0, &counted) == DNS_ANSWER_ERROR)
    return malformed(out, dns_answer_error_message(counted.error));
  /* +1: calloc(0) may return NULL, which would read as failure. */
  /* mutant-equivalent(const): + 0 matters only where calloc(0) returns NULL, which glibc's does
   * not; + 2 is one spare element */
  out->rrs = calloc(counted.rr_needed + 1, sizeof *out->rrs);
  /* mutant-equivalent(const): + 0 matters only where calloc(0) returns NULL, which glibc's does
   * not; + 2 is one spare element */
  out->chunks = calloc(counted.chunk_needed + 1, sizeof *out->chunks);
  if (out->rrs == NULL || out->chunks == NULL) {
    dns_txt_free(out);
    out->outcome = DNS_ERROR;
    snprintf(out->error, sizeof out->error, "out of memory");
    return false;
  }
  dns_answer filled;
  dns_answer_txt(msg, len, out->rrs, counted.rr_needed, out->chunks, counted.chunk_needed, &filled);
  out->rr_count = filled.rr_count;
  /* mutant-equivalent(drop): DNS_ANSWER is 0, and the memset at the top zeroed it */
  out->outcome = DNS_ANSWER;
  return true;
}

static const char *rcode_name(unsigned rcode) {
  static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                      "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                      "NXRRSET", "NOTAUTH", "NOTZONE"};
  return rcode < sizeof names / sizeof names[0] ? names[rcode] : "an unknown RCODE";
}

/* res_nquery failed: NXDOMAIN / NODATA are an answer ("no record");
 * anything else taught us nothing. The header left in `answer` (when
 * its QR bit is set) tells a server's error from no answer at all. */
static dns_outcome query_failed(const struct __res_state *st, const unsigned char *answer,
                                char *err, size_t errlen) {
  if (st->res_h_errno == HOST_NOT_FOUND || st->res_h_errno == NO_DATA)
    return DNS_ABSENT;
  if (answer[2] & 0x80)
    snprintf(err, errlen, "the DNS server answered %s", rcode_name(answer[3] & 0x0fu));
  else
    snprintf(err, errlen, "no answer from the DNS server (timeout, or the server is unreachable)");
  return DNS_ERROR;
}

dns_outcome dns_query_system_type(int type, const char *name, unsigned char *answer, size_t cap,
                                  size_t *len, char *err, size_t errlen) {
  return dns_query_system_options(type, 0, name, answer, cap, len, err, errlen);
}

dns_outcome dns_query_system_options(int type, unsigned long options, const char *name,
                                     unsigned char *answer, size_t cap, size_t *len, char *err,
                                     size_t errlen) {
  struct __res_state st;
  memset(&st, 0, sizeof st);
  if (res_ninit(&st) != 0) {
    snprintf(err, errlen, "cannot read the resolver configuration");
    return DNS_ERROR;
  }
  st.options |= options;
  /* A failed query may leave the header unwritten: no stale QR bit. */
  memset(answer, 0, cap < 4 ? cap : 4);
  int n = res_nquery(&st, name, ns_c_in, type, answer, (int)cap);
  dns_outcome outcome = DNS_ANSWER;
  if (n < 0)
    outcome = query_failed(&st, answer, err, errlen);
  else
    *len = (size_t)n;
  res_nclose(&st);
  return outcome;
}

dns_outcome dns_query_system(void *ctx, const char *name, unsigned char *answer, size_t cap,
                             size_t *len, char *err, size_t errlen) {
  (void)ctx;
  return dns_query_system_type(ns_t_txt, name, answer, cap, len, err, errlen);
}

unsigned char *dns_query_message(dns_query_fn query, void *ctx, const char *name, size_t *len,
                                 dns_outcome *outcome, char *err, size_t errlen) {
  unsigned char *answer = calloc(1, DNS_MESSAGE_MAX);
  if (answer == NULL) {
    *outcome = DNS_ERROR;
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  *len = 0;
  *outcome = query(ctx, name, answer, DNS_MESSAGE_MAX, len, err, errlen);
  if (*outcome == DNS_ANSWER && *len > DNS_MESSAGE_MAX) {
    *outcome = DNS_ERROR;
    snprintf(err, errlen, "malformed DNS answer: longer than a DNS message");
  }
  if (*outcome != DNS_ANSWER) {
    free(answer);
    return NULL;
  }
  return answer;
}

dns_outcome dns_lookup_txt(dns_query_fn query, void *ctx, const char *name, dns_txt *out) {
  memset(out, 0, sizeof *out);
  size_t n = 0;
  unsigned char *answer =
      dns_query_message(query, ctx, name, &n, &out->outcome, out->error, sizeof out->error);
  if (answer == NULL)
    return out->outcome;
  if (!dns_txt_from_answer(answer, n, out)) {
    free(answer);
    return out->outcome;
  }
  out->answer = answer; /* the chunks point into it */
  out->answer_len = n;
  return out->outcome;
}

void dns_txt_free(dns_txt *t) {
  free(t->answer);
  free(t->chunks);
  free(t->rrs);
  t->answer = NULL;
  t->chunks = NULL;
  t->rrs = NULL;
  t->rr_count = 0;
}
