/* server.c - mtasts-daemon's socketmap server (see server.h). */
#define _POSIX_C_SOURCE 200809L
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "cache.h"

/* Replies queued for a client that does not read them: past this the
 * client is not read until they are written. */
#define OUT_MAX (64u * 1024u)
#define DOMAIN_MAX 253u
/* How often the cache is scanned for policies to refresh; a fraction of
 * the smallest `refresh` (60 s), so none waits much past its time. */
#define SCAN_SECONDS 15

typedef struct client client;

typedef struct job {
  char domain[DOMAIN_MAX + 1];
  daemon_lookup_result result;
  client *waiters;
  struct job *next_queue, *next_in_bucket;
} job;

/* A client's socket is read with recv() into `in`, its own buffer, and
 * written with send(); only what the socket does not take waits in `out`.
 * Not a libevent bufferevent: that asks the kernel how much there is to
 * read (an ioctl) before every read, a syscall in four per answer. */
struct client {
  daemon_server *s;
  evutil_socket_t fd;
  struct event *rd, *wr; /* readable (idle timeout), writable (while `out` waits) */
  struct evbuffer *out;
  char in[SOCKETMAP_REQUEST_MAX]; /* at most one request, and what follows it */
  size_t in_len;
  job *waiting;
  client *next_waiter;
  client *prev, *next;
  bool reading, writing, closing;
};

struct daemon_server {
  daemon_config cfg;
  daemon_hooks hooks;
  struct event_base *base;
  struct evconnlistener *listener;
  struct event *wake_ev;
  struct event *scan_ev; /* the proactive refresh, every SCAN_SECONDS */
  int wake[2];
  daemon_cache cache;
  client *clients;
  size_t nclients;
  bool draining;
  /* Set by daemon_server_stop/_reload/_refresh_now (signal handlers
   * too), read by the loop: a flag, not the pipe's byte, carries the
   * request, so a pipe full of wake-ups cannot lose a SIGTERM. */
  atomic_bool want_stop, want_reload, want_scan;

  job **pending; /* by domain: queued or being looked up */
  size_t npending_buckets, npending;

  pthread_mutex_t mu;
  pthread_cond_t cv;
  job *queue_head, *queue_tail; /* for the workers */
  job *done;                    /* for the loop */
  bool shutdown;
  pthread_t *threads;
  size_t nthreads;
};

static uint64_t now_of(daemon_server *s) {
  return s->hooks.now != NULL ? s->hooks.now(s->hooks.ctx) : (uint64_t)time(NULL);
}

static void wake(daemon_server *s, char c) {
  /* A full pipe already has a wake-up pending. */
  ssize_t n = write(s->wake[1], &c, 1);
  (void)n;
}

/* ------------------------------------------------------------------ */
/* Pending lookups                                                     */
/* ------------------------------------------------------------------ */

static size_t pending_bucket(const daemon_server *s, const char *domain) {
  uint64_t h = 14695981039346656037u;
  for (const unsigned char *p = (const unsigned char *)domain; *p != '\0'; p++)
    h = (h ^ *p) * 1099511628211u;
  return (size_t)(h % s->npending_buckets);
}

static job *pending_find(daemon_server *s, const char *domain) {
  for (job *j = s->pending[pending_bucket(s, domain)]; j != NULL; j = j->next_in_bucket)
    if (strcmp(j->domain, domain) == 0)
      return j;
  return NULL;
}

static void pending_remove(daemon_server *s, job *j) {
  job **pp = &s->pending[pending_bucket(s, j->domain)];
  while (*pp != j)
    pp = &(*pp)->next_in_bucket;
  *pp = j->next_in_bucket;
  s->npending--;
}

/* A new lookup of `domain`, queued for the workers; NULL when
 * pending_max are already pending or out of memory. */
static job *job_start(daemon_server *s, const char *domain) {
  if (s->npending >= s->cfg.pending_max)
    return NULL;
  job *j = calloc(1, sizeof *j);
  if (j == NULL)
    return NULL;
  memcpy(j->domain, domain, strlen(domain) + 1);
  size_t b = pending_bucket(s, domain);
  j->next_in_bucket = s->pending[b];
  s->pending[b] = j;
  s->npending++;
  pthread_mutex_lock(&s->mu);
  if (s->queue_tail != NULL)
    s->queue_tail->next_queue = j;
  else
    s->queue_head = j;
  s->queue_tail = j;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  return j;
}

static void *worker(void *arg) {
  daemon_server *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (!s->shutdown && s->queue_head == NULL)
      pthread_cond_wait(&s->cv, &s->mu);
    if (s->shutdown)
      break;
    job *j = s->queue_head;
    s->queue_head = j->next_queue;
    if (s->queue_head == NULL)
      s->queue_tail = NULL;
    daemon_config cfg = s->cfg; /* reload changes it on the loop thread, under mu */
    pthread_mutex_unlock(&s->mu);
    memset(&j->result, 0, sizeof j->result);
    s->hooks.lookup(s->hooks.ctx, j->domain, &cfg, &j->result);
    pthread_mutex_lock(&s->mu);
    j->next_queue = s->done;
    s->done = j;
    wake(s, 'j');
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Clients                                                             */
/* ------------------------------------------------------------------ */

static void client_free(client *c) {
  daemon_server *s = c->s;
  if (c->waiting != NULL) {
    client **pp = &c->waiting->waiters;
    while (*pp != c)
      pp = &(*pp)->next_waiter;
    *pp = c->next_waiter;
  }
  if (c->prev != NULL)
    c->prev->next = c->next;
  else
    s->clients = c->next;
  if (c->next != NULL)
    c->next->prev = c->prev;
  s->nclients--;
  if (c->rd != NULL)
    event_free(c->rd);
  if (c->wr != NULL)
    event_free(c->wr);
  if (c->out != NULL)
    evbuffer_free(c->out);
  evutil_closesocket(c->fd);
  free(c);
  if (s->draining && s->nclients == 0)
    event_base_loopexit(s->base, NULL);
}

/* Reading and writing each have client_timeout: a client that sends
 * nothing, or takes nothing, for that long is dropped. */
static void watch(client *c, struct event *ev, bool *on, bool want) {
  struct timeval tv = {(time_t)c->s->cfg.client_timeout, 0};
  if (want && !*on)
    event_add(ev, &tv);
  else if (!want && *on)
    event_del(ev);
  *on = want;
}

static size_t out_len(const client *c) {
  return evbuffer_get_length(c->out);
}

/* Close once the replies are written (or at once if there are none). */
static void client_close(client *c) {
  c->closing = true;
  watch(c, c->rd, &c->reading, false);
  if (out_len(c) == 0)
    client_free(c);
}

/* Returns true when the reply went out at once: sent on the socket
 * directly when nothing waits before it. What the socket does not take,
 * or cannot (an error, which the next write then reports), waits in
 * `out` for the socket to be writable. */
static bool reply(client *c, socketmap_reply_status st, const char *data, size_t len) {
  char out[SOCKETMAP_REPLY_MAX];
  size_t n = socketmap_reply_format(out, sizeof out, st, data, len);
  if (n == 0) /* cannot be: answers are built to fit; say so rather than hang */
    n = socketmap_reply_format(out, sizeof out, SOCKETMAP_TEMP, "internal error", 14);
  size_t sent = 0;
  if (out_len(c) == 0) {
    ssize_t w = send(c->fd, out, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    sent = w > 0 ? (size_t)w : 0;
  }
  if (sent < n) {
    evbuffer_add(c->out, out + sent, n - sent);
    watch(c, c->wr, &c->writing, true);
  }
  return sent == n;
}

static bool reply_entry(client *c, const daemon_entry *e) {
  char answer[SOCKETMAP_REPLY_MAX + 1];
  size_t n = daemon_entry_answer(e, answer, sizeof answer);
  return reply(c, (socketmap_reply_status)e->status, answer, n);
}

/* Postfix asks for next-hop domains; "[host]", "host:port" and other
 * keys that are not a domain name have no MTA-STS policy. The name is
 * lower-cased without a final dot into `domain`. */
static bool domain_of(const char *key, size_t len, char *domain) {
  if (len > 0 && key[len - 1] == '.')
    len--;
  if (len == 0 || len > DOMAIN_MAX || key[0] == '.')
    return false;
  for (size_t i = 0; i < len; i++) {
    char ch = key[i];
    if (ch >= 'A' && ch <= 'Z')
      ch = (char)(ch - 'A' + 'a');
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
          ch == '_'))
      return false;
    domain[i] = ch;
  }
  domain[len] = '\0';
  return true;
}

/* A fresh answer as is; a stale one as is, refreshed in the background. */
static bool answer_cached(client *c, const char *domain) {
  daemon_server *s = c->s;
  uint64_t now = now_of(s);
  daemon_entry *e = daemon_cache_get(&s->cache, domain, now);
  if (e == NULL)
    return false;
  reply_entry(c, e);
  e->asked = true;
  if (now >= e->fresh_until && pending_find(s, domain) == NULL)
    job_start(s, domain); /* no room: the next request tries again */
  return true;
}

static void handle_request(client *c, const char *key, size_t key_len) {
  daemon_server *s = c->s;
  char domain[DOMAIN_MAX + 1];
  if (!domain_of(key, key_len, domain)) {
    reply(c, SOCKETMAP_NOTFOUND, NULL, 0);
    return;
  }
  if (answer_cached(c, domain))
    return;
  job *j = pending_find(s, domain);
  if (j == NULL)
    j = job_start(s, domain);
  if (j == NULL) {
    reply(c, SOCKETMAP_TEMP, "busy: too many lookups pending", 30);
    return;
  }
  c->next_waiter = j->waiters;
  j->waiters = c;
  c->waiting = j;
  watch(c, c->rd, &c->reading, false);
}

/* Requests one at a time: a client waiting for a lookup, or with 64 KiB
 * of replies unread, is not read further. */
static void serve_input(client *c) {
  while (c->waiting == NULL && !c->closing && out_len(c) < OUT_MAX && c->in_len > 0) {
    socketmap_request r;
    socketmap_status st = socketmap_request_parse(c->in, c->in_len, &r);
    if (st == SOCKETMAP_MORE)
      break;
    if (st == SOCKETMAP_ERROR) {
      char why[160];
      int w = snprintf(why, sizeof why, "malformed request: %s at byte %zu",
                       socketmap_error_message(r.error), r.error_at);
      reply(c, SOCKETMAP_PERM, why, (size_t)w);
      client_close(c); /* may free c */
      return;
    }
    char key[SOCKETMAP_PAYLOAD_MAX + 1];
    memcpy(key, c->in + r.key, r.key_len);
    c->in_len -= r.length;
    memmove(c->in, c->in + r.length, c->in_len);
    handle_request(c, key, r.key_len);
  }
  if (out_len(c) >= OUT_MAX)
    watch(c, c->rd, &c->reading, false);
}

/* One recv() a wake-up: epoll reports the socket again while bytes wait.
 * A full buffer cannot be (a request fits in it, and the parser ends
 * it there); were it so, recv() of nothing reads as the end below. */
static void on_readable(evutil_socket_t fd, short what, void *arg) {
  client *c = arg;
  if (what & EV_TIMEOUT) {
    client_free(c);
    return;
  }
  ssize_t n = recv(fd, c->in + c->in_len, sizeof c->in - c->in_len, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return;
  if (n < 0) {
    client_free(c);
    return;
  }
  if (n == 0) { /* a half-close: the replies still go out */
    client_close(c);
    return;
  }
  c->in_len += (size_t)n;
  serve_input(c);
}

/* The replies are all out: the client is closed, or read again. */
static void after_output(client *c) {
  if (c->closing || (c->s->draining && c->waiting == NULL)) {
    client_free(c);
    return;
  }
  if (c->waiting == NULL) {
    watch(c, c->rd, &c->reading, true);
    serve_input(c);
  }
}

static void on_writable(evutil_socket_t fd, short what, void *arg) {
  client *c = arg;
  if ((what & EV_TIMEOUT) || (evbuffer_write(c->out, fd) < 0 && errno != EAGAIN &&
                              errno != EWOULDBLOCK && errno != EINTR)) {
    client_free(c);
    return;
  }
  if (out_len(c) > 0)
    return;
  watch(c, c->wr, &c->writing, false);
  after_output(c);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
                      void *arg) {
  daemon_server *s = arg;
  (void)l, (void)sa, (void)len;
  client *c = NULL;
  if (s->nclients < s->cfg.clients_max && !s->draining)
    c = calloc(1, sizeof *c);
  if (c == NULL) {
    evutil_closesocket(fd);
    return;
  }
  c->s = s;
  c->fd = fd;
  c->next = s->clients;
  if (s->clients != NULL)
    s->clients->prev = c;
  s->clients = c;
  s->nclients++;
  c->rd = event_new(s->base, fd, EV_READ | EV_PERSIST, on_readable, c);
  c->wr = event_new(s->base, fd, EV_WRITE | EV_PERSIST, on_writable, c);
  c->out = evbuffer_new();
  if (c->rd == NULL || c->wr == NULL || c->out == NULL) {
    client_free(c);
    return;
  }
  watch(c, c->rd, &c->reading, true);
}

/* ------------------------------------------------------------------ */
/* Finished lookups, stop and reload                                   */
/* ------------------------------------------------------------------ */

static void store(daemon_server *s, const job *j, uint64_t now) {
  const daemon_lookup_result *r = &j->result;
  if (r->status == SOCKETMAP_OK) {
    uint64_t keep = r->keep_for > 0 ? r->keep_for : s->cfg.refresh;
    uint64_t fresh = s->cfg.refresh < keep ? s->cfg.refresh : keep;
    daemon_cache_put(&s->cache, j->domain, r->status, r->data, r->len, now, fresh, keep);
  } else if (r->status == SOCKETMAP_NOTFOUND) {
    if (s->cfg.negative_ttl > 0)
      daemon_cache_put(&s->cache, j->domain, r->status, r->data, r->len, now, s->cfg.negative_ttl,
                       s->cfg.negative_ttl);
  } else {
    daemon_cache_fail(&s->cache, j->domain, r->len > 0 ? r->data : "lookup failed", now,
                      s->cfg.backoff_min, s->cfg.backoff_max);
  }
}

static void finish(daemon_server *s, job *j) {
  uint64_t now = now_of(s);
  pending_remove(s, j);
  store(s, j, now);
  /* A failure with a stale answer still in the cache answers with it. */
  daemon_entry *e = daemon_cache_get(&s->cache, j->domain, now);
  if (e != NULL && j->waiters != NULL)
    e->asked = true;
  while (j->waiters != NULL) {
    client *c = j->waiters;
    j->waiters = c->next_waiter;
    c->waiting = NULL;
    bool out;
    if (e != NULL)
      out = reply_entry(c, e);
    else
      out = reply(c, j->result.status, j->result.data, j->result.len);
    /* on_writable reads the client again once `out` is written; a
     * reply sent at once never waits there, so it is called here. */
    if (out)
      after_output(c);
  }
  free(j);
}

static void do_reload(daemon_server *s) {
  daemon_config next;
  char err[600];
  if (s->hooks.reload == NULL)
    return;
  if (!s->hooks.reload(s->hooks.ctx, &next, err, sizeof err)) {
    fprintf(stderr, "mtasts-daemon: reload: %s (the old configuration stays)\n", err);
    return;
  }
  /* The socket, the workers and the cache's size stay as started. */
  pthread_mutex_lock(&s->mu);
  memcpy(next.listen, s->cfg.listen, sizeof next.listen);
  next.workers = s->cfg.workers;
  next.cache_entries = s->cfg.cache_entries;
  next.pending_max = s->cfg.pending_max;
  s->cfg = next;
  pthread_mutex_unlock(&s->mu);
  fprintf(stderr, "mtasts-daemon: configuration reloaded\n");
}

static void begin_drain(daemon_server *s) {
  if (s->draining)
    return;
  s->draining = true;
  if (s->listener != NULL) {
    evconnlistener_free(s->listener);
    s->listener = NULL;
  }
  for (client *c = s->clients, *next; c != NULL; c = next) {
    next = c->next;
    if (c->waiting == NULL)
      client_close(c);
    else
      watch(c, c->rd, &c->reading, false);
  }
  if (s->nclients == 0)
    event_base_loopexit(s->base, NULL);
}

typedef struct scan_state {
  daemon_server *s;
  uint64_t now;
} scan_state;

static bool refresh_if_due(daemon_entry *e, void *arg) {
  scan_state *st = arg;
  daemon_server *s = st->s;
  if (s->draining || s->npending >= s->cfg.pending_max / 2)
    return false;
  if (e->status == SOCKETMAP_OK && e->asked && st->now >= e->fresh_until &&
      pending_find(s, daemon_entry_domain(e)) == NULL)
    job_start(s, daemon_entry_domain(e));
  return true;
}

/* RFC 8461 10.2: refresh cached policies before they expire. Every
 * policy answer in memory older than `refresh` that a client asked for
 * since its last lookup is looked up again (cheap while the resolver's
 * cache is valid: one TXT query; a fetch only for a new id or a day-old
 * policy); a domain nobody asks for is not looked up forever. Half of
 * pending_max at most, so clients always find room. */
static void scan(daemon_server *s) {
  scan_state st = {s, now_of(s)};
  daemon_cache_each(&s->cache, refresh_if_due, &st);
}

static void on_scan(evutil_socket_t fd, short what, void *arg) {
  (void)fd, (void)what;
  scan(arg);
}

static void on_wake(evutil_socket_t fd, short what, void *arg) {
  daemon_server *s = arg;
  (void)what;
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  (void)n; /* the bytes only wake the loop */
  if (atomic_exchange(&s->want_reload, false))
    do_reload(s);
  if (atomic_exchange(&s->want_stop, false))
    begin_drain(s);
  if (atomic_exchange(&s->want_scan, false))
    scan(s);
  pthread_mutex_lock(&s->mu);
  job *done = s->done;
  s->done = NULL;
  pthread_mutex_unlock(&s->mu);
  while (done != NULL) {
    job *j = done;
    done = j->next_queue;
    finish(s, j);
  }
}

void daemon_server_stop(daemon_server *s) {
  atomic_store(&s->want_stop, true);
  wake(s, 's');
}
void daemon_server_reload(daemon_server *s) {
  atomic_store(&s->want_reload, true);
  wake(s, 'h');
}
void daemon_server_refresh_now(daemon_server *s) {
  atomic_store(&s->want_scan, true);
  wake(s, 'r');
}

/* ------------------------------------------------------------------ */
/* Setting up                                                          */
/* ------------------------------------------------------------------ */

static evutil_socket_t listen_unix(const char *path, char *err, size_t err_cap) {
  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof sun.sun_path) {
    snprintf(err, err_cap, "%s: socket path too long", path);
    return -1;
  }
  memcpy(sun.sun_path, path, strlen(path) + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(path); /* a socket left by an earlier run */
  if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 || chmod(path, 0666) != 0 ||
      listen(fd, 128) != 0 || evutil_make_socket_nonblocking(fd) != 0) {
    snprintf(err, err_cap, "%s: %s", path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

static bool start_listener(daemon_server *s, char *err, size_t err_cap) {
  unsigned flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC;
  if (s->cfg.listen[0] == '/') {
    evutil_socket_t fd = listen_unix(s->cfg.listen, err, err_cap);
    if (fd < 0)
      return false;
    s->listener = evconnlistener_new(s->base, on_accept, s, flags, -1, fd);
  } else {
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    if (evutil_parse_sockaddr_port(s->cfg.listen, (struct sockaddr *)&ss, &len) != 0) {
      snprintf(err, err_cap, "listen = %s: not a path nor HOST:PORT", s->cfg.listen);
      return false;
    }
    s->listener =
        evconnlistener_new_bind(s->base, on_accept, s, flags, 128, (struct sockaddr *)&ss, len);
  }
  if (s->listener == NULL)
    snprintf(err, err_cap, "listen = %s: %s", s->cfg.listen, strerror(errno));
  return s->listener != NULL;
}

static bool start_workers(daemon_server *s) {
  s->threads = calloc(s->cfg.workers, sizeof *s->threads);
  if (s->threads == NULL)
    return false;
  for (; s->nthreads < s->cfg.workers; s->nthreads++)
    if (pthread_create(&s->threads[s->nthreads], NULL, worker, s) != 0)
      return false;
  return true;
}

daemon_server *daemon_server_new(const daemon_config *cfg, const daemon_hooks *hooks, char *err,
                                 size_t err_cap) {
  daemon_server *s = calloc(1, sizeof *s);
  if (s == NULL) {
    snprintf(err, err_cap, "out of memory");
    return NULL;
  }
  s->cfg = *cfg;
  s->hooks = *hooks;
  s->wake[0] = s->wake[1] = -1;
  atomic_init(&s->want_stop, false);
  atomic_init(&s->want_reload, false);
  atomic_init(&s->want_scan, false);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  s->npending_buckets = (size_t)cfg->pending_max * 2 + 1;
  s->pending = calloc(s->npending_buckets, sizeof *s->pending);
  s->base = event_base_new();
  bool ok = s->pending != NULL && s->base != NULL &&
            daemon_cache_init(&s->cache, cfg->cache_entries) && pipe(s->wake) == 0 &&
            fcntl(s->wake[1], F_SETFL, O_NONBLOCK) == 0;
  if (ok) {
    s->wake_ev = event_new(s->base, s->wake[0], EV_READ | EV_PERSIST, on_wake, s);
    s->scan_ev = event_new(s->base, -1, EV_PERSIST, on_scan, s);
    struct timeval every = {SCAN_SECONDS, 0};
    ok = s->wake_ev != NULL && event_add(s->wake_ev, NULL) == 0 && s->scan_ev != NULL &&
         event_add(s->scan_ev, &every) == 0;
  }
  if (!ok)
    snprintf(err, err_cap, "out of memory or descriptors");
  if (ok && !start_listener(s, err, err_cap))
    ok = false;
  if (ok && !start_workers(s)) {
    snprintf(err, err_cap, "cannot start %u worker threads", cfg->workers);
    ok = false;
  }
  if (!ok) {
    daemon_server_free(s);
    return NULL;
  }
  return s;
}

int daemon_server_run(daemon_server *s) {
  return event_base_dispatch(s->base);
}

void daemon_server_free(daemon_server *s) {
  pthread_mutex_lock(&s->mu);
  s->shutdown = true;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  for (size_t i = 0; i < s->nthreads; i++)
    pthread_join(s->threads[i], NULL);
  free(s->threads);
  while (s->clients != NULL) {
    s->draining = false; /* no loopexit from here */
    client *c = s->clients;
    c->waiting = NULL;
    client_free(c);
  }
  for (size_t b = 0; s->pending != NULL && b < s->npending_buckets; b++)
    for (job *j = s->pending[b], *next; j != NULL; j = next) {
      next = j->next_in_bucket;
      free(j);
    }
  free(s->pending);
  if (s->listener != NULL)
    evconnlistener_free(s->listener);
  if (s->wake_ev != NULL)
    event_free(s->wake_ev);
  if (s->scan_ev != NULL)
    event_free(s->scan_ev);
  if (s->base != NULL)
    event_base_free(s->base);
  for (int i = 0; i < 2; i++)
    if (s->wake[i] >= 0)
      close(s->wake[i]);
  daemon_cache_free(&s->cache);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cv);
  free(s);
}
