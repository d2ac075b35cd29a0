/* https.c - one HTTPS GET for `mtasts resolve` (see https.h). */
#define _POSIX_C_SOURCE 200809L

#include "https.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "mtasts.h"
#include "mtasts_certcheck.h"

/* ------------------------------------------------------------------ */
/* Outcome and deadline                                                */
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

typedef struct deadline {
  int64_t end_ms;
  unsigned seconds;
} deadline;

static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for `events` or the deadline passes. */
static bool wait_for(int fd, short events, const deadline *d) {
  for (;;) {
    int64_t left = d->end_ms - monotonic_ms();
    if (left <= 0)
      return false;
    struct pollfd p = {fd, events, 0};
    int rc = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
    if (rc > 0)
      return true;
    if (rc < 0 && errno != EINTR)
      return false;
  }
}

/* The OpenSSL error behind a failed call, as a phrase. */
static const char *tls_error(int ssl_error) {
  unsigned long e = ERR_peek_last_error();
  const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;
  if (reason != NULL)
    return reason;
  if (ssl_error == SSL_ERROR_SYSCALL && errno != 0)
    return strerror(errno);
  return "the server closed the connection";
}

/* ------------------------------------------------------------------ */
/* TCP                                                                 */
/* ------------------------------------------------------------------ */

/* Connect one address before the deadline; errno says why not. */
static int connect_one(const struct addrinfo *ai, const deadline *d) {
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
  if (fd < 0)
    return -1;
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
    return fd;
  if (errno == EINPROGRESS) {
    int err = ETIMEDOUT;
    socklen_t len = sizeof err;
    if (wait_for(fd, POLLOUT, d) && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
        err == 0)
      return fd;
    errno = err;
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

static void describe_address(const struct addrinfo *ai, char *buf, size_t len) {
  if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, (socklen_t)len, NULL, 0, NI_NUMERICHOST) != 0)
    snprintf(buf, len, "?");
}

/* Every A/AAAA address of the host in turn, until one connects. */
static int connect_host(const https_request *req, const deadline *d, https_result *out) {
  char port[16];
  snprintf(port, sizeof port, "%u", req->port);
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(req->host, port, &hints, &list);
  if (rc != 0) {
    set_result(out, HTTPS_NETWORK, "cannot find an address for %s: %s", req->host,
               rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (const struct addrinfo *ai = list; ai != NULL && fd < 0; ai = ai->ai_next) {
    fd = connect_one(ai, d);
    if (fd < 0) {
      char addr[64];
      describe_address(ai, addr, sizeof addr);
      if (errno == ETIMEDOUT && d->end_ms <= monotonic_ms())
        set_result(out, HTTPS_NETWORK, "timed out after %u s connecting to %s port %s", d->seconds,
                   addr, port);
      else
        set_result(out, HTTPS_NETWORK, "cannot connect to %s port %s: %s", addr, port,
                   strerror(errno));
    }
  }
  freeaddrinfo(list);
  return fd;
}

/* ------------------------------------------------------------------ */
/* TLS                                                                 */
/* ------------------------------------------------------------------ */

static SSL_CTX *make_context(const https_request *req, https_result *out) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) {
    set_result(out, HTTPS_NETWORK, "cannot set up TLS: %s", tls_error(0));
    return NULL;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  /* The default store honours SSL_CERT_FILE / SSL_CERT_DIR. */
  int loaded = req->ca_file != NULL ? SSL_CTX_load_verify_locations(ctx, req->ca_file, NULL)
                                    : SSL_CTX_set_default_verify_paths(ctx);
  if (loaded != 1) {
    set_result(out, HTTPS_NETWORK, "cannot load the trusted certificates%s%s: %s",
               req->ca_file != NULL ? " from " : "", req->ca_file != NULL ? req->ca_file : "",
               tls_error(0));
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

/* SNI and the identity to verify: both the Policy Host (RFC 8461 3.3,
 * 7.1), matched on DNS-IDs with the flags of engine/certcheck. */
static bool name_the_host(SSL *ssl, const https_request *req) {
  char host[MTASTS_MAX_NAME_LEN + 1];
  size_t n = strlen(req->host);
  if (n >= sizeof host)
    return false;
  memcpy(host, req->host, n + 1); /* the SNI macro takes a non-const pointer */
  SSL_set_hostflags(ssl, mtasts_certcheck_flags());
  return SSL_set_tlsext_host_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1;
}

/* Run an SSL call that may want the socket, until it is done. */
typedef int (*ssl_step)(SSL *ssl, void *arg);

static int retry_ssl(SSL *ssl, int fd, const deadline *d, ssl_step step, void *arg, int *ssl_error,
                     bool *timed_out) {
  *timed_out = false;
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int rc = step(ssl, arg);
    if (rc > 0)
      return rc;
    *ssl_error = SSL_get_error(ssl, rc);
    short events = *ssl_error == SSL_ERROR_WANT_READ    ? POLLIN
                   : *ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                        : 0;
    if (events == 0)
      return rc;
    if (!wait_for(fd, events, d)) {
      *timed_out = true;
      return -1;
    }
  }
}

static int connect_step(SSL *ssl, void *arg) {
  (void)arg;
  return SSL_connect(ssl);
}

static https_status handshake(SSL *ssl, int fd, const https_request *req, const deadline *d,
                              https_result *out) {
  int err = 0;
  bool timed_out;
  if (retry_ssl(ssl, fd, d, connect_step, NULL, &err, &timed_out) != 1) {
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
  /* OpenSSL checked the name already (SSL_set1_host); engine/certcheck
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

typedef struct io_buffer {
  char *p;
  int len;
} io_buffer;

static int write_step(SSL *ssl, void *arg) {
  io_buffer *b = arg;
  return SSL_write(ssl, b->p, b->len);
}

static int read_step(SSL *ssl, void *arg) {
  io_buffer *b = arg;
  return SSL_read(ssl, b->p, b->len);
}

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
      retry_ssl(ssl, fd, d, write_step, &b, &err, &timed_out) != n)
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
    int n = retry_ssl(ssl, fd, d, read_step, &b, &err, &timed_out);
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
  deadline d = {monotonic_ms() + (int64_t)req->timeout * 1000, req->timeout};
  SSL_CTX *ctx = make_context(req, out);
  if (ctx == NULL)
    return out->status;
  SSL *ssl = SSL_new(ctx);
  int fd = -1;
  if (ssl == NULL || !name_the_host(ssl, req))
    set_result(out, HTTPS_NETWORK, "cannot set up TLS for %s: %s", req->host, tls_error(0));
  else if ((fd = connect_host(req, &d, out)) >= 0)
    exchange(ssl, fd, req, reader, &d, out);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0)
    close(fd);
  return out->status;
}
