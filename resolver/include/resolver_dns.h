/*
 * resolver_dns.h - the _mta-sts TXT lookup of the resolver (RFC 8461 3.1):
 * one query through the system resolver (libresolv, /etc/resolv.conf),
 * and the TXT records of its answer as mtasts_rr values.
 */
#ifndef MTASTS_RESOLVER_DNS_H
#define MTASTS_RESOLVER_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"

typedef enum dns_outcome {
  DNS_ANSWER = 0, /* NOERROR with records (maybe no TXT after a CNAME) */
  DNS_ABSENT,     /* NXDOMAIN, or NOERROR without records (NODATA) */
  DNS_ERROR       /* SERVFAIL, timeout, refused, a malformed answer ... */
} dns_outcome;

typedef struct dns_txt {
  dns_outcome outcome;
  char error[160];       /* with DNS_ERROR: why */
  unsigned char *answer; /* the answer message; chunks point into it */
  size_t answer_len;
  mtasts_chunk *chunks; /* every character-string of every TXT record */
  mtasts_rr *rrs;       /* the TXT records of the answer section, in order */
  size_t rr_count;
} dns_txt;

/*
 * Collect the TXT records (class IN) of the answer section of a DNS
 * message, whatever their owner name: a server that followed a CNAME
 * chain (RFC 8461 3.1: senders "MUST follow the CNAME pointers") puts
 * the chain before the TXT records, which are owned by its target.
 * Each record's character-strings become its chunks, in order.
 * Returns false, with out->error, for a message that does not parse or
 * a TXT RDATA whose strings overrun it. Allocates: free with
 * dns_txt_free (the answer itself stays the caller's).
 */
bool dns_txt_from_answer(const unsigned char *msg, size_t len, dns_txt *out);

/*
 * One TXT query, the part of the lookup that talks to the network (the
 * resolver's tests give their own): ask for TXT records of `name`
 * (absolute, e.g. "_mta-sts.example.com."), and put the response message
 * in answer[0, cap) with its length in *len. Returns DNS_ANSWER (a
 * message to read), DNS_ABSENT (NXDOMAIN or NODATA) or DNS_ERROR, with
 * why in err.
 */
typedef dns_outcome (*dns_query_fn)(void *ctx, const char *name, unsigned char *answer, size_t cap,
                                    size_t *len, char *err, size_t errlen);

/* The system resolver (libresolv, /etc/resolv.conf) as a dns_query_fn. */
dns_outcome dns_query_system(void *ctx, const char *name, unsigned char *answer, size_t cap,
                             size_t *len, char *err, size_t errlen);

/* The system resolver asked for records of `type` (ns_t_txt, ns_t_mx),
 * the body of dns_query_system and dns_query_system_mx. */
dns_outcome dns_query_system_type(int type, const char *name, unsigned char *answer, size_t cap,
                                  size_t *len, char *err, size_t errlen);

/* dns_query_system_type with resolver options (RES_USE_DNSSEC ...) added
 * to those of /etc/resolv.conf. */
dns_outcome dns_query_system_options(int type, unsigned long options, const char *name,
                                     unsigned char *answer, size_t cap, size_t *len, char *err,
                                     size_t errlen);

/* `query` asked for `name` into a new buffer of DNS_MESSAGE_MAX bytes,
 * the start of dns_lookup_txt and dns_lookup_mx: returns it (the caller
 * frees it) with the message's length in *len, or NULL with *outcome
 * DNS_ABSENT or DNS_ERROR (why in err). */
unsigned char *dns_query_message(dns_query_fn query, void *ctx, const char *name, size_t *len,
                                 dns_outcome *outcome, char *err, size_t errlen);

/* Query `name` for TXT through `query` and read the answer. Returns
 * out->outcome. */
dns_outcome dns_lookup_txt(dns_query_fn query, void *ctx, const char *name, dns_txt *out);

void dns_txt_free(dns_txt *t);

#endif /* MTASTS_RESOLVER_DNS_H */
