/*
 * resolver_mx.h - the MX hosts of a domain (RFC 5321 5.1), for checking a
 * published setup against its policy (`mtasts check`): which hosts mail
 * is really delivered to. One MX query through the system resolver, its
 * answer read with libresolv's parser (ns_initparse), the hosts sorted by
 * preference. The query is a dns_query_fn, so tests give their own.
 */
#ifndef MTASTS_RESOLVER_MX_H
#define MTASTS_RESOLVER_MX_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"
#include "resolver_dns.h"

typedef struct dns_mx_host {
  unsigned preference;
  char name[MTASTS_MAX_NAME_LEN + 2]; /* lower case, no final dot; "" for a null MX (RFC 7505) */
} dns_mx_host;

typedef struct dns_mx {
  dns_outcome outcome;
  char error[160];    /* with DNS_ERROR: why */
  dns_mx_host *hosts; /* by preference, then name */
  size_t count;
} dns_mx;

/* The MX records (class IN) of the answer section of a DNS message,
 * whatever their owner (a CNAME chain comes first). Returns false, with
 * out->error, for a message that does not parse. Allocates: dns_mx_free. */
bool dns_mx_from_answer(const unsigned char *msg, size_t len, dns_mx *out);

/* The system resolver asked for MX records, as a dns_query_fn. */
dns_outcome dns_query_system_mx(void *ctx, const char *name, unsigned char *answer, size_t cap,
                                size_t *len, char *err, size_t errlen);

/* Query `name` (absolute) through `query` and read the answer. Returns
 * out->outcome; DNS_ANSWER with count 0 when the answer holds no MX. */
dns_outcome dns_lookup_mx(dns_query_fn query, void *ctx, const char *name, dns_mx *out);

void dns_mx_free(dns_mx *m);

#endif /* MTASTS_RESOLVER_MX_H */
