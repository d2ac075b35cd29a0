/* conn.c - deadline, TCP connect and TLS plumbing shared by https.c and
 * smtp.c (see conn.h). */
#define _POSIX_C_SOURCE 200809L

#include "conn.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "mtasts.h"
#include "resolver_https.h"

/* ------------------------------------------------------------------ */
/* Deadline                                                            */
/* ------------------------------------------------------------------ */

static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

deadline deadline_in(unsigned seconds) {
  deadline d = {monotonic_ms() + (int64_t)seconds * 1000, seconds};
  return d;
}

bool wait_for(int fd, short events, const deadline *d) {
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

static bool v4_private(const unsigned char *a) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xc0) == 64) ||
         (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
         (a[0] == 192 && a[1] == 168);
}

bool https_address_private(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET)
    return v4_private((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr);
  if (sa->sa_family != AF_INET6)
    return true; /* not an Internet address at all */
  const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char zero[15] = {0};
  if (memcmp(a, mapped, sizeof mapped) == 0)
    return v4_private(a + 12);
  if (memcmp(a, zero, sizeof zero) == 0)
    return a[15] <= 1;                                                     /* :: and ::1 */
  return (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80); /* fc00::/7, fe80::/10 */
}

/* Every address of host in turn; with refuse_private the private ones
 * are skipped, and named in err when none is left. */
static int connect_addresses(const char *host, unsigned port, bool refuse_private,
                             const deadline *d, char *err, size_t errlen) {
  char service[16];
  snprintf(service, sizeof service, "%u", port);
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, service, &hints, &list);
  if (rc != 0) {
    snprintf(err, errlen, "cannot find an address for %s: %s", host,
             rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (const struct addrinfo *ai = list; ai != NULL && fd < 0; ai = ai->ai_next) {
    char addr[64];
    describe_address(ai, addr, sizeof addr);
    if (refuse_private && https_address_private(ai->ai_addr)) {
      snprintf(err, errlen, "refused to connect to %s: %s is a private address (refuse_private)",
               host, addr);
      continue;
    }
    fd = connect_one(ai, d);
    if (fd < 0) {
      if (errno == ETIMEDOUT && d->end_ms <= monotonic_ms())
        snprintf(err, errlen, "timed out after %u s connecting to %s port %s", d->seconds, addr,
                 service);
      else
        snprintf(err, errlen, "cannot connect to %s port %s: %s", addr, service, strerror(errno));
    }
  }
  freeaddrinfo(list);
  return fd;
}

int connect_host(const char *host, unsigned port, const deadline *d, char *err, size_t errlen) {
  return connect_addresses(host, port, false, d, err, errlen);
}

int connect_public_host(const char *host, unsigned port, const deadline *d, char *err,
                        size_t errlen) {
  return connect_addresses(host, port, true, d, err, errlen);
}

/* ------------------------------------------------------------------ */
/* TLS                                                                 */
/* ------------------------------------------------------------------ */

const char *tls_error(int ssl_error) {
  unsigned long e = ERR_peek_last_error();
  const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;
  if (reason != NULL)
    return reason;
  if (ssl_error == SSL_ERROR_SYSCALL && errno != 0)
    return strerror(errno);
  return "the server closed the connection";
}

static SSL_CTX *context_make(const char *ca_file, char *err, size_t errlen) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) {
    snprintf(err, errlen, "cannot set up TLS: %s", tls_error(0));
    return NULL;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  int loaded = ca_file != NULL ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
                               : SSL_CTX_set_default_verify_paths(ctx);
  if (loaded != 1) {
    snprintf(err, errlen, "cannot load the trusted certificates%s%s: %s",
             ca_file != NULL ? " from " : "", ca_file != NULL ? ca_file : "", tls_error(0));
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

/*
 * Loading the trusted certificates is most of a context's cost (about
 * 48 ms for Debian's default store of 144 certificates, 0.3 ms for the
 * rest), paid on every fetch before: a context is made once per CA source
 * and handed out again while that file (or the default file and
 * directory) is unchanged. A set-up SSL_CTX may be shared by threads;
 * every caller gets a reference of its own (SSL_CTX_free when done).
 */
#define KEPT_CONTEXTS 4

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} file_id;

typedef struct ca_source {
  char paths[2 * PATH_MAX + 2]; /* ca_file, or the default file NUL dir */
  file_id file, dir;
} ca_source;

static struct {
  pthread_mutex_t lock;
  SSL_CTX *ctx[KEPT_CONTEXTS];
  ca_source source[KEPT_CONTEXTS];
  size_t next;
} kept = {PTHREAD_MUTEX_INITIALIZER, {NULL}, {{"", {0}, {0}}}, 0};

static file_id file_id_of(const char *path) {
  struct stat st;
  file_id id;
  memset(&id, 0, sizeof id); /* compared with memcmp: no padding left unset */
  if (path != NULL && stat(path, &st) == 0) {
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.size = st.st_size;
    id.mtime = st.st_mtim;
  }
  return id;
}

/* Where the certificates come from: ca_file, or OpenSSL's defaults (which
 * SSL_CERT_FILE / SSL_CERT_DIR replace), and what those files are now. */
static void ca_source_of(const char *ca_file, ca_source *src) {
  memset(src, 0, sizeof *src);
  const char *file = ca_file, *dir = NULL;
  if (ca_file == NULL) {
    file = getenv(X509_get_default_cert_file_env());
    file = file != NULL ? file : X509_get_default_cert_file();
    dir = getenv(X509_get_default_cert_dir_env());
    dir = dir != NULL ? dir : X509_get_default_cert_dir();
  }
  int n = snprintf(src->paths, sizeof src->paths, "%s", file);
  if (dir != NULL && n >= 0 && (size_t)n + 1 < sizeof src->paths)
    snprintf(src->paths + n + 1, sizeof src->paths - (size_t)n - 1, "%s", dir);
  src->file = file_id_of(file);
  src->dir = file_id_of(dir);
}

SSL_CTX *tls_context_new(const char *ca_file, char *err, size_t errlen) {
  ca_source src;
  ca_source_of(ca_file, &src);
  SSL_CTX *ctx = NULL;
  pthread_mutex_lock(&kept.lock);
  for (size_t i = 0; i < KEPT_CONTEXTS && ctx == NULL; i++)
    if (kept.ctx[i] != NULL && memcmp(&kept.source[i], &src, sizeof src) == 0 &&
        SSL_CTX_up_ref(kept.ctx[i]) == 1)
      ctx = kept.ctx[i];
  pthread_mutex_unlock(&kept.lock);
  if (ctx != NULL || (ctx = context_make(ca_file, err, errlen)) == NULL)
    return ctx;
  if (SSL_CTX_up_ref(ctx) != 1)
    return ctx; /* not kept: still the caller's */
  pthread_mutex_lock(&kept.lock);
  size_t slot = kept.next++ % KEPT_CONTEXTS;
  SSL_CTX *old = kept.ctx[slot];
  kept.ctx[slot] = ctx;
  kept.source[slot] = src;
  pthread_mutex_unlock(&kept.lock);
  SSL_CTX_free(old); /* users of it hold their own references */
  return ctx;
}

bool tls_set_sni(SSL *ssl, const char *host) {
  char name[MTASTS_MAX_NAME_LEN + 1];
  size_t n = strlen(host);
  if (n >= sizeof name)
    return false;
  memcpy(name, host, n + 1); /* the SNI macro takes a non-const pointer */
  return SSL_set_tlsext_host_name(ssl, name) == 1;
}

int retry_ssl(SSL *ssl, int fd, const deadline *d, ssl_step step, void *arg, int *ssl_error,
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

int ssl_connect_step(SSL *ssl, void *arg) {
  (void)arg;
  return SSL_connect(ssl);
}

int ssl_write_step(SSL *ssl, void *arg) {
  io_buffer *b = arg;
  return SSL_write(ssl, b->p, b->len);
}

int ssl_read_step(SSL *ssl, void *arg) {
  io_buffer *b = arg;
  return SSL_read(ssl, b->p, b->len);
}
