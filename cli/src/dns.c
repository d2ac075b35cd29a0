/* dns.c - the TXT lookup of `mtasts resolve` (see dns.h). */
#define _DEFAULT_SOURCE /* resolv.h and its types */

#include "dns.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netdb.h>

/* The largest DNS message (RFC 1035 4.2.2: a TCP length is 16 bits). */
#define DNS_MESSAGE_MAX 65535u

static bool malformed(dns_txt *out, const char *why) {
  out->outcome = DNS_ERROR;
  snprintf(out->error, sizeof out->error, "malformed DNS answer: %s", why);
  return false;
}

/* The character-strings of one TXT RDATA: <length octet><bytes>...
 * Counts them (chunks NULL) or stores them. */
static bool split_strings(const unsigned char *rdata, size_t rdlen, mtasts_chunk *chunks,
                          size_t *count) {
  size_t n = 0;
  for (size_t at = 0; at < rdlen;) {
    size_t len = rdata[at];
    if (len > rdlen - at - 1)
      return false;
    if (chunks != NULL)
      chunks[n] = (mtasts_chunk){(const char *)rdata + at + 1, len};
    n++;
    at += 1 + len;
  }
  *count = n;
  return true;
}

/* One pass over the answer section: count (rrs NULL) or fill. */
static bool walk_answer(ns_msg *msg, dns_txt *out, size_t *rr_count, size_t *chunk_count) {
  /* mutant-equivalent(const): chunks only says where the strings go: from 1, chunks[0] stays
   * unused (the count is one more, and so is the array) and each record still points at its own
   * strings */
  size_t rrs = 0, chunks = 0;
  int records = ns_msg_count(*msg, ns_s_an);
  for (int i = 0; i < records; i++) {
    ns_rr rr;
    if (ns_parserr(msg, ns_s_an, i, &rr) != 0)
      return malformed(out, "a record of the answer section does not parse");
    if (ns_rr_type(rr) != ns_t_txt || ns_rr_class(rr) != ns_c_in)
      continue; /* the CNAME chain, or anything else the server added */
    size_t n;
    mtasts_chunk *dst = out->chunks != NULL ? out->chunks + chunks : NULL;
    if (!split_strings(ns_rr_rdata(rr), ns_rr_rdlen(rr), dst, &n))
      return malformed(out, "a TXT character-string overruns its record");
    if (out->rrs != NULL)
      out->rrs[rrs] = (mtasts_rr){dst, n};
    rrs++;
    chunks += n;
  }
  *rr_count = rrs;
  *chunk_count = chunks;
  return true;
}

bool dns_txt_from_answer(const unsigned char *msg, size_t len, dns_txt *out) {
  memset(out, 0, sizeof *out);
  ns_msg parsed;
  if (len > DNS_MESSAGE_MAX || ns_initparse(msg, (int)len, &parsed) != 0)
    return malformed(out, "the message does not parse");
  size_t rrs, chunks;
  if (!walk_answer(&parsed, out, &rrs, &chunks))
    return false;
  /* +1: calloc(0) may return NULL, which would read as "counting". */
  /* mutant-equivalent(const): + 0 matters only where calloc(0) returns NULL, which glibc's does
   * not; + 2 is one spare element */
  out->rrs = calloc(rrs + 1, sizeof *out->rrs);
  /* mutant-equivalent(const): + 0 matters only where calloc(0) returns NULL, which glibc's does
   * not; + 2 is one spare element */
  out->chunks = calloc(chunks + 1, sizeof *out->chunks);
  if (out->rrs == NULL || out->chunks == NULL) {
    dns_txt_free(out);
    out->outcome = DNS_ERROR;
    snprintf(out->error, sizeof out->error, "out of memory");
    return false;
  }
  if (!walk_answer(&parsed, out, &out->rr_count, &chunks)) {
    /* mutant-equivalent(drop): unreachable: the second walk reads the message the first one
     * accepted */
    dns_txt_free(out);
    return false;
  }
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
                                dns_txt *out) {
  if (st->res_h_errno == HOST_NOT_FOUND || st->res_h_errno == NO_DATA) {
    out->outcome = DNS_ABSENT;
    return out->outcome;
  }
  out->outcome = DNS_ERROR;
  if (answer[2] & 0x80)
    snprintf(out->error, sizeof out->error, "the DNS server answered %s",
             rcode_name(answer[3] & 0x0fu));
  else
    snprintf(out->error, sizeof out->error,
             "no answer from the DNS server (timeout, or the server is unreachable)");
  return out->outcome;
}

dns_outcome dns_lookup_txt(const char *name, dns_txt *out) {
  memset(out, 0, sizeof *out);
  out->outcome = DNS_ERROR;
  struct __res_state st;
  memset(&st, 0, sizeof st);
  if (res_ninit(&st) != 0) {
    snprintf(out->error, sizeof out->error, "cannot read the resolver configuration");
    return out->outcome;
  }
  unsigned char *answer = calloc(1, DNS_MESSAGE_MAX);
  if (answer == NULL) {
    res_nclose(&st);
    snprintf(out->error, sizeof out->error, "out of memory");
    return out->outcome;
  }
  int n = res_nquery(&st, name, ns_c_in, ns_t_txt, answer, (int)DNS_MESSAGE_MAX);
  if (n < 0) {
    query_failed(&st, answer, out);
    free(answer);
  } else if ((size_t)n > DNS_MESSAGE_MAX || !dns_txt_from_answer(answer, (size_t)n, out)) {
    if ((size_t)n > DNS_MESSAGE_MAX)
      malformed(out, "longer than a DNS message");
    free(answer);
  } else {
    out->answer = answer;
    out->answer_len = (size_t)n;
  }
  res_nclose(&st);
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
