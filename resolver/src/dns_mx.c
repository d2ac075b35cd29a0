/* dns_mx.c - the MX lookup of `mtasts check` (see resolver_mx.h). */
#define _DEFAULT_SOURCE /* resolv.h and its types */

#include "resolver_mx.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"

static bool malformed(dns_mx *out, const char *why) {
  dns_mx_free(out);
  out->outcome = DNS_ERROR;
  snprintf(out->error, sizeof out->error, "malformed DNS answer: %s", why);
  return false;
}

/* RDATA of an MX record: a preference and a (maybe compressed) name. */
static bool read_mx(const ns_msg *msg, const ns_rr *rr, dns_mx_host *h) {
  const unsigned char *rd = ns_rr_rdata(*rr);
  if (ns_rr_rdlen(*rr) < 3)
    return false;
  h->preference = (unsigned)rd[0] << 8 | rd[1];
  char name[NS_MAXDNAME];
  if (ns_name_uncompress(ns_msg_base(*msg), ns_msg_end(*msg), rd + 2, name, sizeof name) < 0)
    return false;
  size_t n = strlen(name);
  if (n > 0 && name[n - 1] == '.')
    n--; /* the root is "." for a null MX, a name has none */
  if (n > MTASTS_MAX_NAME_LEN)
    return false;
  for (size_t i = 0; i < n; i++)
    h->name[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] | 0x20) : name[i];
  h->name[n] = '\0';
  return true;
}

static int by_preference(const void *a, const void *b) {
  const dns_mx_host *x = a, *y = b;
  if (x->preference != y->preference)
    return x->preference < y->preference ? -1 : 1;
  return strcmp(x->name, y->name);
}

bool dns_mx_from_answer(const unsigned char *msg, size_t len, dns_mx *out) {
  memset(out, 0, sizeof *out);
  ns_msg m;
  if (len > DNS_MESSAGE_MAX || ns_initparse(msg, (int)len, &m) < 0)
    return malformed(out, "the message does not parse");
  int an = ns_msg_count(m, ns_s_an);
  out->hosts = calloc((size_t)an + 1, sizeof *out->hosts);
  if (out->hosts == NULL)
    return malformed(out, "out of memory");
  for (int i = 0; i < an; i++) {
    ns_rr rr;
    if (ns_parserr(&m, ns_s_an, i, &rr) < 0)
      return malformed(out, "a record of the answer section does not parse");
    if (ns_rr_type(rr) != ns_t_mx || ns_rr_class(rr) != ns_c_in)
      continue;
    if (!read_mx(&m, &rr, &out->hosts[out->count]))
      return malformed(out, "an MX record does not parse");
    out->count++;
  }
  qsort(out->hosts, out->count, sizeof *out->hosts, by_preference);
  out->outcome = DNS_ANSWER;
  return true;
}

dns_outcome dns_query_system_mx(void *ctx, const char *name, unsigned char *answer, size_t cap,
                                size_t *len, char *err, size_t errlen) {
  (void)ctx;
  return dns_query_system_type(ns_t_mx, name, answer, cap, len, err, errlen);
}

dns_outcome dns_lookup_mx(dns_query_fn query, void *ctx, const char *name, dns_mx *out) {
  memset(out, 0, sizeof *out);
  size_t n = 0;
  unsigned char *answer =
      dns_query_message(query, ctx, name, &n, &out->outcome, out->error, sizeof out->error);
  if (answer != NULL)
    dns_mx_from_answer(answer, n, out); /* the host names are copies */
  free(answer);
  return out->outcome;
}

void dns_mx_free(dns_mx *m) {
  free(m->hosts);
  m->hosts = NULL;
  m->count = 0;
}
