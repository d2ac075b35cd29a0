/*
 * resolver_smtp.h - the TLS check of one MX host (the resolver's starttls)
 * (RFC 8461 4, 5): what a sending MTA learns before it would send mail.
 * Connect to the host on port 25, read the 220 greeting, EHLO, look for
 * STARTTLS in the reply, STARTTLS, expect 220, TLS handshake with the MX
 * host as SNI (7.1), the chain verified against the trusted CAs, the
 * host matched against the certificate's DNS-IDs only (4.2,
 * tls/), then QUIT. No mail is sent. One deadline for the
 * whole conversation.
 */
#ifndef MTASTS_RESOLVER_SMTP_H
#define MTASTS_RESOLVER_SMTP_H

#include "mtasts_engine.h"

typedef struct smtp_request {
  const char *host;    /* the MX host: address lookup, SNI, identity */
  unsigned port;       /* 25 */
  const char *ca_file; /* PEM file of trusted CAs; NULL: the default store */
  unsigned timeout;    /* seconds, for everything after the address lookup */
} smtp_request;

typedef struct smtp_result {
  mtasts_tls_result tls;
  char error[256]; /* why, when not MTASTS_TLS_OK */
} smtp_result;

/*
 * What the TLS session with the MX showed, as mtasts_mx_decide takes it:
 *  - OK: STARTTLS, a trusted chain, a DNS-ID for the host;
 *  - NO_STARTTLS: the EHLO reply does not offer STARTTLS (or EHLO is
 *    refused with 5xx: no extensions), or STARTTLS is answered with
 *    anything but 220;
 *  - EXPIRED, UNTRUSTED: the chain does not verify (expired; self-signed,
 *    unknown issuer, untrusted), whatever the names say;
 *  - HOST_MISMATCH: the chain verifies, no DNS-ID matches the host;
 *  - OTHER_FAILURE: anything else (no address, no connection, a greeting
 *    other than 220, a malformed reply, a certificate not yet valid, a
 *    failed handshake, the timeout).
 * Returns out->tls.
 */
mtasts_tls_result smtp_check_tls(const smtp_request *req, smtp_result *out);

#endif /* MTASTS_RESOLVER_SMTP_H */
