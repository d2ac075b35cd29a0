/*
 * mtasts_certcheck.h - does a certificate carry a DNS-ID for a host, by
 * the rules of RFC 8461 3.3 (Policy Host) and 4.2 (MX host)? OpenSSL
 * does the matching; this module only fixes the flags, so that the
 * parser and engine libraries stay free of OpenSSL.
 *
 *  - DNS-IDs only: the subject CN is never consulted (3.3 "Matching is
 *    performed only against the DNS-ID identifiers", 4.2 "MUST have a
 *    subject alternative name (SAN) with a DNS-ID").
 *  - A wildcard only as the complete left-most label (3.3, 4.1):
 *    "f*.example.com" matches nothing, "*.example.com" matches exactly
 *    one label.
 *  - ASCII case-insensitive; one trailing dot on the host is removed
 *    first, as R13 does for MX hosts.
 *
 * Only identity: chain, expiry and revocation are the TLS stack's job.
 */
#ifndef MTASTS_CERTCHECK_H
#define MTASTS_CERTCHECK_H

#include <stddef.h>

#include <openssl/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mtasts_certcheck {
  MTASTS_CERTCHECK_ERROR = -1, /* bad argument, undecodable certificate */
  MTASTS_CERTCHECK_NO_MATCH = 0,
  MTASTS_CERTCHECK_MATCH = 1
} mtasts_certcheck;

/* The X509_CHECK_FLAG_* set used for every check. */
unsigned int mtasts_certcheck_flags(void);

/* host: (pointer, length); an empty host, a host with a NUL byte or
 * a host that is only "." is MTASTS_CERTCHECK_ERROR. */
mtasts_certcheck mtasts_certcheck_x509(X509 *cert, const char *host, size_t host_len);
mtasts_certcheck mtasts_certcheck_pem(const char *pem, size_t pem_len, const char *host,
                                      size_t host_len);
mtasts_certcheck mtasts_certcheck_der(const unsigned char *der, size_t der_len, const char *host,
                                      size_t host_len);

#ifdef __cplusplus
}
#endif

#endif
