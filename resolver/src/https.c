/* https.c - one HTTPS GET for the resolver (see resolver_https.h). */
#define _POSIX_C_SOURCE 200809L

#include "resolver_https.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "mtasts.h"
#include "mtasts_certcheck.h"

/* ------------------------------------------------------------------ */
/* Outcome                                                             */
/* ------------------------------------------------------------------ */

__attribute__((format(printf, 3, 4))) static https_status
set_result(https_result *out, https_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
  out->status = status;
  return status;
}

/* ------------------------------------------------------------------ */
/* TLS                                                                 */
/* ------------------------------------------------------------------ */

/* SNI and the identity to verify: both the Policy Host (RFC 8461 3.3,
 * 7.1), matched on DNS-IDs with the flags of tls/. */
static bool name_the_host(SSL *ssl, const https_request *req) {
  SSL_set_hostflags(ssl, mtasts_certcheck_flags());
  return tls_set_sni(ssl, req->host) && SSL_set1_host(ssl, req->host) == 1;
}

static https_status handshake(SSL *ssl, int fd, const https_request *req, const deadline *d,
                              https_result *out) {
  int err = 0;
  bool timed_out;
  if (retry_ssl(ssl, fd, d, ssl_connect_step, NULL, &err, &timed_out) != 1) {
    long verify = SSL_get_verify_result(ssl);
    if (timed_out)
      return set_result(out, HTTPS_NETWORK, "timed out after %u s in the TLS handshake",
                        d->seconds);
    if (verify != X509_V_OK)
      return set_result(out, HTTPS_WEBPKI, "the certificate of %s is not valid: %s", req->host,
                        X509_verify_cert_error_string(verify));
    return set_result(out, HTTPS_NETWORK, "TLS handshake with %s failed: %s", req->host,
                      tls_error(err));
  }
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  X509 *cert = SSL_get1_peer_certificate(ssl);
#else
  X509 *cert = SSL_get_peer_certificate(ssl);
#endif
  /* OpenSSL checked the name already (SSL_set1_host); tls/
   * says it again in the project's own words, on the same certificate. */
  mtasts_certcheck id = cert != NULL ? mtasts_certcheck_x509(cert, req->host, strlen(req->host))
                                     : MTASTS_CERTCHECK_ERROR;
  X509_free(cert);
  if (id != MTASTS_CERTCHECK_MATCH)
    return set_result(out, HTTPS_WEBPKI, "the certificate of %s has no DNS-ID for it", req->host);
  return HTTPS_OK;
}

/* ------------------------------------------------------------------ */
/* HTTP over the TLS connection                                        */
/* ------------------------------------------------------------------ */

static https_status send_request(SSL *ssl, int fd, const https_request *req, const deadline *d,
                                 https_result *out) {
  char request[1024], host_port[300];
  if (req->port == 443)
    snprintf(host_port, sizeof host_port, "%s", req->host);
  else
    snprintf(host_port, sizeof host_port, "%s:%u", req->host, req->port);
  int n = snprintf(request, sizeof request,
                   "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mtasts/%s\r\n"
                   "Accept: text/plain\r\nConnection: close\r\n\r\n",
                   req->path, host_port, MTASTS_VERSION_STRING);
  io_buffer b = {request, n};
  int err = 0;
  bool timed_out = false;
  /* SSL_write without partial writes: done when it returns n. */
  if (n < 0 || (size_t)n >= sizeof request ||
      retry_ssl(ssl, fd, d, ssl_write_step, &b, &err, &timed_out) != n)
    return timed_out
               ? set_result(out, HTTPS_NETWORK, "timed out after %u s sending the request",
                            d->seconds)
               : set_result(out, HTTPS_NETWORK, "cannot send the request: %s", tls_error(err));
  return HTTPS_OK;
}

static bool reader_has_decided(const http_reader *r) {
  /* A status other than 200 decides the fetch (RFC 8461 3.3): the body
   * of such a response is not read at all. */
  return r->result != HTTP_MORE || (r->head_done && r->status != 200);
}

/* The peer ended the stream: cleanly (close_notify), or not. A body
 * framed by the end of the stream needs a clean end, or it may have
 * been cut by an attacker; framed bodies tell their own end. */
static https_status end_of_stream(http_reader *reader, bool clean, https_result *out) {
  if (!clean && reader->framing == HTTP_FRAMING_CLOSE && reader->head_done)
    return set_result(out, HTTPS_NETWORK,
                      "the connection ended without a TLS close_notify: the body may be cut");
  http_reader_eof(reader);
  return HTTPS_OK;
}

static bool unclean_eof(int ssl_error) {
  if (ssl_error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0)
    return true;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
  if (ssl_error == SSL_ERROR_SSL &&
      ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
    return true;
#endif
  return false;
}

static https_status read_response(SSL *ssl, int fd, http_reader *reader, const deadline *d,
                                  https_result *out) {
  char buf[16384];
  while (!reader_has_decided(reader)) {
    io_buffer b = {buf, (int)sizeof buf};
    int err = 0;
    bool timed_out;
    int n = retry_ssl(ssl, fd, d, ssl_read_step, &b, &err, &timed_out);
    if (n > 0) {
      http_reader_feed(reader, buf, (size_t)n, NULL);
    } else if (timed_out) {
      return set_result(out, HTTPS_NETWORK, "timed out after %u s reading the response",
                        d->seconds);
    } else if (err == SSL_ERROR_ZERO_RETURN || unclean_eof(err)) {
      if (end_of_stream(reader, err == SSL_ERROR_ZERO_RETURN, out) != HTTPS_OK)
        return out->status;
    } else {
      return set_result(out, HTTPS_NETWORK, "reading the response failed: %s", tls_error(err));
    }
  }
  if (reader->result == HTTP_ERROR)
    return set_result(out, HTTPS_NETWORK, "malformed HTTP response: %s (at byte %llu)",
                      http_error_message(reader->error), (unsigned long long)reader->error_at);
  return HTTPS_OK;
}

/* The exchange on a connected socket: TLS, request, response. */
static https_status exchange(SSL *ssl, int fd, const https_request *req, http_reader *reader,
                             const deadline *d, https_result *out) {
  if (SSL_set_fd(ssl, fd) != 1)
    return set_result(out, HTTPS_NETWORK, "cannot set up TLS for %s: %s", req->host, tls_error(0));
  if (handshake(ssl, fd, req, d, out) != HTTPS_OK || send_request(ssl, fd, req, d, out) != HTTPS_OK)
    return out->status;
  return read_response(ssl, fd, reader, d, out);
}

https_status https_get(const https_request *req, http_reader *reader, https_result *out) {
  memset(out, 0, sizeof *out);
  http_reader_init(reader);
  SSL_CTX *ctx = tls_context_new(req->ca_file, out->error, sizeof out->error);
  if (ctx == NULL) {
    out->status = HTTPS_NETWORK;
    return out->status;
  }
  /* The timeout is the network's: loading the trusted certificates (local,
   * seconds under valgrind) is not counted. */
  deadline d = deadline_in(req->timeout);
  SSL *ssl = SSL_new(ctx);
  int fd = -1;
  if (ssl == NULL || !name_the_host(ssl, req))
    set_result(out, HTTPS_NETWORK, "cannot set up TLS for %s: %s", req->host, tls_error(0));
  else if ((fd = (req->refuse_private ? connect_public_host : connect_host)(
                req->host, req->port, &d, out->error, sizeof out->error)) < 0)
    out->status = HTTPS_NETWORK;
  else
    exchange(ssl, fd, req, reader, &d, out);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0)
    close(fd);
  return out->status;
}
