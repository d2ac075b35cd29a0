/*
 * conn.h - what the two clients of the resolver share, the HTTPS
 * policy fetch (https.c) and the SMTP STARTTLS check of MX hosts
 * (smtp.c): one deadline for a whole exchange, connecting to every
 * address of a host in turn, a TLS context trusting the same CAs, and
 * OpenSSL calls retried on a non-blocking socket until the deadline.
 */
#ifndef MTASTS_RESOLVER_CONN_H
#define MTASTS_RESOLVER_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

typedef struct deadline {
  int64_t end_ms; /* CLOCK_MONOTONIC */
  unsigned seconds;
} deadline;

/* A deadline `seconds` from now. */
deadline deadline_in(unsigned seconds);

/* Wait until fd is ready for `events` (POLLIN, POLLOUT) or the deadline
 * passes; false on the deadline or a poll error. */
bool wait_for(int fd, short events, const deadline *d);

/* Connect a non-blocking TCP socket to host:port, every A/AAAA address
 * in turn, before the deadline. Returns the socket, or -1 with why in
 * err ("cannot find an address for ...", "timed out after ...", ...). */
int connect_host(const char *host, unsigned port, const deadline *d, char *err, size_t errlen);

/* connect_host, skipping the addresses https_address_private calls
 * private ("refused ... a private address" in err when all are). */
int connect_public_host(const char *host, unsigned port, const deadline *d, char *err,
                        size_t errlen);

/* The OpenSSL error behind a failed call, as a phrase. */
const char *tls_error(int ssl_error);

/* A TLS client context (TLS 1.2 or later) that verifies the peer's chain
 * against ca_file (PEM), or the default store when ca_file is NULL (which
 * honours SSL_CERT_FILE / SSL_CERT_DIR). NULL with why in err. The same
 * context comes back while its CA files are unchanged (conn.c): release
 * each with SSL_CTX_free, never change it. */
SSL_CTX *tls_context_new(const char *ca_file, char *err, size_t errlen);

/* Send `host` as SNI (RFC 8461 7.1: the Policy Host, or the MX host). */
bool tls_set_sni(SSL *ssl, const char *host);

/* One SSL call that may want the socket (SSL_connect, SSL_read, ...). */
typedef int (*ssl_step)(SSL *ssl, void *arg);

/* Run `step` until it returns > 0 (returned), fails (its return value,
 * with SSL_get_error in *ssl_error), or the deadline passes (-1 with
 * *timed_out). */
int retry_ssl(SSL *ssl, int fd, const deadline *d, ssl_step step, void *arg, int *ssl_error,
              bool *timed_out);

/* Steps for retry_ssl. */
typedef struct io_buffer {
  char *p;
  int len;
} io_buffer;
int ssl_connect_step(SSL *ssl, void *arg); /* arg unused */
int ssl_write_step(SSL *ssl, void *arg);   /* arg: io_buffer */
int ssl_read_step(SSL *ssl, void *arg);    /* arg: io_buffer */

#endif /* MTASTS_RESOLVER_CONN_H */
