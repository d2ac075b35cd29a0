/*
 * resolver_https.h - the policy fetch of the resolver: one HTTPS GET with
 * OpenSSL, as RFC 8461 3.3 asks: SNI with the Policy Host (7.1), the
 * certificate chain verified against the trust store, the host's
 * identity checked on DNS-IDs only (tls/), redirects never
 * followed, one deadline for connect + TLS + reading.
 */
#ifndef MTASTS_RESOLVER_HTTPS_H
#define MTASTS_RESOLVER_HTTPS_H

#include <stdbool.h>
#include <sys/socket.h>

#include "http_response.h"

typedef struct https_request {
  const char *host;    /* the Policy Host: SNI, Host field, identity */
  unsigned port;       /* 443 */
  const char *path;    /* "/.well-known/mta-sts.txt" */
  const char *ca_file; /* PEM file of trusted CAs; NULL: the default store */
  unsigned timeout;    /* seconds, for everything after the address lookup */
  bool refuse_private; /* connect to no address https_address_private calls private */
} https_request;

typedef enum https_status {
  HTTPS_OK = 0,  /* a response was read into the reader (complete, or too large) */
  HTTPS_NETWORK, /* address lookup, connect, TLS, timeout, malformed HTTP */
  HTTPS_WEBPKI   /* the certificate is not valid for the host (RFC 8461 3.3) */
} https_status;

typedef struct https_result {
  https_status status;
  char error[256]; /* why, when not HTTPS_OK */
} https_result;

/*
 * GET https://host:port/path. The response goes through `reader`
 * (initialised here); reading stops as soon as the reader has decided
 * (complete or too large), or as soon as the head says the status is
 * not 200 (the body of such a response is never used). Returns
 * out->status.
 */
https_status https_get(const https_request *req, http_reader *reader, https_result *out);

/*
 * True for an address that is not on the public Internet: unspecified,
 * loopback, RFC 1918 private, shared (100.64/10), link-local, IPv6
 * unique local, and these as IPv4-mapped IPv6. With refuse_private a
 * policy host that resolves to one is not connected to: a daemon serving
 * a fleet need not let a domain's DNS aim its fetches at the fleet's own
 * network (off by default: an MTA may fetch policies from its own).
 */
bool https_address_private(const struct sockaddr *sa);

#endif /* MTASTS_RESOLVER_HTTPS_H */
