/* smtp.c - EHLO, STARTTLS and the certificate of one MX host for
 * the resolver's starttls check (see resolver_smtp.h). */
#define _POSIX_C_SOURCE 200809L

#include "resolver_smtp.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "mtasts_certcheck.h"
#include "smtp_reply.h"

/* One conversation: the socket, then the TLS session over it, and the
 * bytes of the reply being read. */
typedef struct session {
  const smtp_request *req;
  smtp_result *out;
  deadline d;
  int fd;
  SSL *ssl;                           /* NULL before STARTTLS */
  char host[MTASTS_MAX_NAME_LEN + 1]; /* without a final dot: SNI and identity */
  char buf[SMTP_REPLY_MAX];
  size_t len;
} session;

__attribute__((format(printf, 3, 4))) static bool
set_result(smtp_result *out, mtasts_tls_result tls, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
  out->tls = tls;
  return false;
}

/* ------------------------------------------------------------------ */
/* Lines out, replies in                                               */
/* ------------------------------------------------------------------ */

static bool send_plain(session *s, const char *p, size_t n) {
  while (n > 0) {
    ssize_t sent = send(s->fd, p, n, MSG_NOSIGNAL);
    if (sent > 0) {
      p += sent;
      n -= (size_t)sent;
    } else if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "cannot send to %s: %s", s->host,
                        strerror(errno));
    } else if (!wait_for(s->fd, POLLOUT, &s->d)) {
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "timed out after %u s sending to %s",
                        s->d.seconds, s->host);
    }
  }
  return true;
}

static bool send_tls(session *s, const char *p, size_t n) {
  char copy[64];
  io_buffer b = {copy, (int)n};
  int err = 0;
  bool timed_out;
  if (n > sizeof copy)
    return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "a command too long for TLS");
  memcpy(copy, p, n);
  /* SSL_write without partial writes: done when it returns n. */
  if (retry_ssl(s->ssl, s->fd, &s->d, ssl_write_step, &b, &err, &timed_out) == (int)n)
    return true;
  return timed_out ? set_result(s->out, MTASTS_TLS_OTHER_FAILURE,
                                "timed out after %u s sending to %s", s->d.seconds, s->host)
                   : set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "cannot send to %s: %s", s->host,
                                tls_error(err));
}

/* One command line of ours (short: EHLO with a name is the longest). */
static bool send_line(session *s, const char *line) {
  size_t n = strlen(line);
  return s->ssl != NULL ? send_tls(s, line, n) : send_plain(s, line, n);
}

/* Read more bytes into the reply buffer; false with the reason set. */
static bool receive(session *s, const char *what) {
  size_t room = sizeof s->buf - s->len;
  if (s->ssl != NULL) {
    io_buffer b = {s->buf + s->len, (int)room};
    int err = 0;
    bool timed_out;
    int n = retry_ssl(s->ssl, s->fd, &s->d, ssl_read_step, &b, &err, &timed_out);
    if (n > 0) {
      s->len += (size_t)n;
      return true;
    }
    return timed_out ? set_result(s->out, MTASTS_TLS_OTHER_FAILURE,
                                  "timed out after %u s waiting for %s", s->d.seconds, what)
                     : set_result(s->out, MTASTS_TLS_OTHER_FAILURE,
                                  "the connection ended before %s", what);
  }
  for (;;) {
    ssize_t n = recv(s->fd, s->buf + s->len, room, 0);
    if (n > 0) {
      s->len += (size_t)n;
      return true;
    }
    if (n == 0)
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "the connection ended before %s", what);
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "reading %s failed: %s", what,
                        strerror(errno));
    if (!wait_for(s->fd, POLLIN, &s->d))
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "timed out after %u s waiting for %s",
                        s->d.seconds, what);
  }
}

/* The server's whole reply (`what`, e.g. "the reply to EHLO"). We never
 * pipeline, so a server that sends more than one reply is out of step:
 * after STARTTLS, bytes before the handshake would even be read as if
 * they had come over TLS (the plaintext injection of CVE-2011-0411), so
 * they are refused everywhere. */
static bool read_reply(session *s, const char *what, smtp_reply *reply) {
  s->len = 0;
  for (;;) {
    smtp_reply_status st = smtp_reply_parse(s->buf, s->len, reply);
    if (st == SMTP_REPLY_DONE && reply->length == s->len)
      return true;
    if (st == SMTP_REPLY_DONE)
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "%s sent more than %s: out of step",
                        s->host, what);
    if (st == SMTP_REPLY_ERROR)
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "%s is malformed: %s (at byte %zu)", what,
                        smtp_reply_error_message(reply->error), reply->error_at);
    /* The parser fails before the buffer is full: SMTP_REPLY_MAX holds
     * every reply within its limits. */
    if (s->len == sizeof s->buf || !receive(s, what))
      return false;
  }
}

/* QUIT, and its reply, as RFC 5321 4.1.1.10 asks; what happens to it
 * changes nothing of the result. */
static void quit(session *s) {
  smtp_result ignored;
  smtp_result *kept = s->out;
  smtp_reply reply;
  s->out = &ignored;
  if (send_line(s, "QUIT\r\n"))
    read_reply(s, "the reply to QUIT", &reply);
  s->out = kept;
}

/* ------------------------------------------------------------------ */
/* The conversation                                                    */
/* ------------------------------------------------------------------ */

static bool is_fqdn(const char *name) {
  return strchr(name, '.') != NULL && mtasts_policy_host(name, strlen(name), NULL, 0) != 0;
}

/* EHLO names the client (RFC 5321 4.1.1.1): this host's name when it is
 * a domain, else the address literal of our end (4.1.3). */
static void ehlo_command(const session *s, char *line, size_t len) {
  char name[MTASTS_MAX_NAME_LEN + 1] = "";
  if (gethostname(name, sizeof name - 1) == 0 && is_fqdn(name)) {
    snprintf(line, len, "EHLO %s\r\n", name);
    return;
  }
  struct sockaddr_storage addr;
  socklen_t alen = sizeof addr;
  char literal[64];
  if (getsockname(s->fd, (struct sockaddr *)&addr, &alen) != 0 ||
      getnameinfo((struct sockaddr *)&addr, alen, literal, sizeof literal, NULL, 0,
                  NI_NUMERICHOST) != 0) {
    addr.ss_family = AF_INET;
    snprintf(literal, sizeof literal, "127.0.0.1");
  }
  snprintf(line, len, "EHLO [%s%s]\r\n", addr.ss_family == AF_INET6 ? "IPv6:" : "", literal);
}

/* The greeting, EHLO and STARTTLS; true when the server agreed to TLS. */
static bool negotiate(session *s) {
  smtp_reply reply;
  if (!read_reply(s, "the greeting", &reply))
    return false;
  if (reply.code != 220)
    return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "the greeting of %s is %d, not 220",
                      s->host, reply.code);
  char ehlo[MTASTS_MAX_NAME_LEN + 16];
  ehlo_command(s, ehlo, sizeof ehlo);
  if (!send_line(s, ehlo) || !read_reply(s, "the reply to EHLO", &reply))
    return false;
  /* 5xx: the server takes no EHLO (RFC 5321 4.1.4), so it has no
   * extension, and STARTTLS is one (RFC 3207 4). */
  if (reply.code >= 500) {
    set_result(s->out, MTASTS_TLS_NO_STARTTLS, "%s refuses EHLO (%d): no STARTTLS", s->host,
               reply.code);
    quit(s);
    return false;
  }
  if (reply.code != 250)
    return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "%s answers EHLO with %d, not 250", s->host,
                      reply.code);
  if (!reply.starttls) {
    set_result(s->out, MTASTS_TLS_NO_STARTTLS, "%s does not offer STARTTLS after EHLO", s->host);
    quit(s);
    return false;
  }
  if (!send_line(s, "STARTTLS\r\n") || !read_reply(s, "the reply to STARTTLS", &reply))
    return false;
  if (reply.code != 220) {
    set_result(s->out, MTASTS_TLS_NO_STARTTLS, "%s refuses STARTTLS (%d)", s->host, reply.code);
    quit(s);
    return false;
  }
  return true;
}

/* RFC 8460 4.3.1 names three chain failures; the rest is uncategorised
 * (4.3.3), e.g. a certificate not yet valid or a bad signature. */
static mtasts_tls_result chain_result(long verify) {
  switch (verify) {
  case X509_V_ERR_CERT_HAS_EXPIRED:
    return MTASTS_TLS_EXPIRED;
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
  case X509_V_ERR_CERT_UNTRUSTED:
    return MTASTS_TLS_UNTRUSTED;
  default:
    return MTASTS_TLS_OTHER_FAILURE;
  }
}

/* The chain is verified in the handshake; the name only after it, with
 * tls/. So a certificate whose chain is bad AND whose name is
 * wrong reports the chain: the names in a certificate that no trusted CA
 * vouches for say nothing (anyone can write any name in one), and the
 * chain is what the MX's operator has to fix first. Returns true when a
 * TLS session is up, with out->tls OK or HOST_MISMATCH. */
static bool handshake(session *s, SSL_CTX *ctx) {
  s->ssl = SSL_new(ctx);
  if (s->ssl == NULL || !tls_set_sni(s->ssl, s->host) || SSL_set_fd(s->ssl, s->fd) != 1)
    return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "cannot set up TLS for %s: %s", s->host,
                      tls_error(0));
  int err = 0;
  bool timed_out;
  if (retry_ssl(s->ssl, s->fd, &s->d, ssl_connect_step, NULL, &err, &timed_out) != 1) {
    long verify = SSL_get_verify_result(s->ssl);
    if (timed_out)
      return set_result(s->out, MTASTS_TLS_OTHER_FAILURE,
                        "timed out after %u s in the TLS handshake", s->d.seconds);
    if (verify != X509_V_OK)
      return set_result(s->out, chain_result(verify), "the certificate of %s is not valid: %s",
                        s->host, X509_verify_cert_error_string(verify));
    return set_result(s->out, MTASTS_TLS_OTHER_FAILURE, "TLS handshake with %s failed: %s", s->host,
                      tls_error(err));
  }
  X509 *cert = SSL_get1_peer_certificate(s->ssl);
  mtasts_certcheck id =
      cert != NULL ? mtasts_certcheck_x509(cert, s->host, strlen(s->host)) : MTASTS_CERTCHECK_ERROR;
  X509_free(cert);
  if (id == MTASTS_CERTCHECK_MATCH)
    s->out->tls = MTASTS_TLS_OK;
  else
    set_result(s->out, MTASTS_TLS_HOST_MISMATCH, "the certificate of %s has no DNS-ID for it",
               s->host);
  return true;
}

mtasts_tls_result smtp_check_tls(const smtp_request *req, smtp_result *out) {
  memset(out, 0, sizeof *out);
  out->tls = MTASTS_TLS_OTHER_FAILURE;
  session *s = calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(out->error, sizeof out->error, "out of memory");
    return out->tls;
  }
  s->req = req;
  s->out = out;
  s->fd = -1;
  size_t n = strlen(req->host);
  if (n > 0 && req->host[n - 1] == '.')
    n--; /* SNI carries no final dot (RFC 6066 3) */
  if (n == 0 || n >= sizeof s->host) {
    snprintf(out->error, sizeof out->error, "not a host name");
  } else {
    memcpy(s->host, req->host, n);
    SSL_CTX *ctx = tls_context_new(req->ca_file, out->error, sizeof out->error);
    s->d = deadline_in(req->timeout); /* the network's, as in https_get */
    if (ctx != NULL &&
        (s->fd = connect_host(s->host, req->port, &s->d, out->error, sizeof out->error)) >= 0 &&
        negotiate(s) && handshake(s, ctx)) {
      quit(s);
      SSL_shutdown(s->ssl); /* close_notify; its answer is not awaited */
    }
    SSL_free(s->ssl);
    SSL_CTX_free(ctx);
  }
  if (s->fd >= 0)
    close(s->fd);
  free(s);
  return out->tls;
}
