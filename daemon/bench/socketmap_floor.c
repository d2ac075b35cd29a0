/*
 * socketmap_floor.c - mtasts-socketmap-floor: the host's floor for the
 * socketmap benchmark (daemon/bench/socketmap.sh, bench/README.md, issue 18).
 *
 *   mtasts-socketmap-floor --socket PATH
 *
 * A socketmap server that does the protocol and nothing else: one thread,
 * epoll, a Unix socket, each request read with the wire library's
 * socketmap_request_parse and answered with the same OK reply, formatted by
 * socketmap_reply_format and sent with one send(). No cache, no lookup, no
 * threads: what it costs is what any socketmap server costs on this host
 * (two wake-ups and a round trip through the kernel per lookup), so the
 * benchmark can show how far mtasts-daemon is from it, and how far a given
 * ratio to another daemon is reachable at all, in the same run.
 * SIGTERM or SIGINT: exits 0.
 */
#define _GNU_SOURCE /* accept4 */
#include "socketmap.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CLIENTS 1024 /* as many as mtasts-socketmap-load opens */
#define EV_LISTEN MAX_CLIENTS
#define EV_SIGNAL (MAX_CLIENTS + 1)

/* mtasts-daemon's answer in the benchmark for a domain d<i>.bench.example
 * (answer.c: the policy's two patterns, Postfix's spelling of "*."), with
 * i of five digits, as 90% of the 100,000 domains of the full run have:
 * the same bytes to format and to send. The load client checks "OK " only. */
#define ANSWER "secure match=mx1.d12345.bench.example:.d12345.bench.example servername=hostname"

typedef struct client {
  int fd;     /* -1: a free slot */
  size_t got; /* bytes in `in` */
  char in[SOCKETMAP_REQUEST_MAX];
} client;

typedef struct floor_server {
  int ep, listen_fd, signal_fd;
  client clients[MAX_CLIENTS];
} floor_server;

static int listen_unix(const char *path) {
  struct sockaddr_un sun = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sun.sun_path) {
    fprintf(stderr, "socketmap-floor: %s: socket path too long\n", path);
    return -1;
  }
  memcpy(sun.sun_path, path, strlen(path) + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  unlink(path); /* a socket left by an earlier run */
  /* 0666 and a backlog of 128, as mtasts-daemon's listen_unix (server.c). */
  if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 || chmod(path, 0666) != 0 ||
      listen(fd, 128) != 0) {
    fprintf(stderr, "socketmap-floor: %s: %s\n", path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

/* SIGTERM and SIGINT as an fd in the epoll set: no handler, no global. */
static int signals_fd(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
    return -1;
  return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int watch(int ep, int fd, uint64_t id) {
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = id};
  return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void drop(client *c) {
  close(c->fd); /* leaves the epoll set with its last reference */
  c->fd = -1;
  c->got = 0;
}

/* Takes every pending connection; one past MAX_CLIENTS is closed. */
static void on_accept(floor_server *s) {
  int fd;
  while ((fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
    size_t i = 0;
    while (i < MAX_CLIENTS && s->clients[i].fd >= 0)
      i++;
    if (i == MAX_CLIENTS || watch(s->ep, fd, i) != 0) {
      close(fd);
      continue;
    }
    s->clients[i].fd = fd;
    s->clients[i].got = 0;
  }
}

/* The fixed answer, formatted per request as mtasts-daemon formats each of
 * its replies; 0 when the whole reply went out in the one send(). A client
 * that does not read its answers is dropped rather than buffered for: the
 * benchmark's clients wait for each answer before the next request. */
static int answer(client *c) {
  char out[SOCKETMAP_REPLY_MAX];
  size_t n = socketmap_reply_format(out, sizeof out, SOCKETMAP_OK, ANSWER, sizeof ANSWER - 1);
  return n > 0 && send(c->fd, out, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* Answers every whole request in c->in and keeps the partial one after
 * them; -1 to drop c (a malformed request, a failed send). */
static int answer_all(client *c) {
  size_t at = 0;
  for (;;) {
    socketmap_request r;
    socketmap_status st = socketmap_request_parse(c->in + at, c->got - at, &r);
    if (st == SOCKETMAP_ERROR)
      return -1;
    if (st == SOCKETMAP_MORE)
      break;
    if (answer(c) != 0)
      return -1;
    at += r.length;
  }
  memmove(c->in, c->in + at, c->got - at);
  c->got -= at;
  return 0;
}

/* One read per wake-up (epoll is level-triggered: the rest wakes it again).
 * A full buffer cannot hold a request still MORE: the longest request is
 * SOCKETMAP_REQUEST_MAX bytes. */
static void on_readable(client *c) {
  ssize_t r = recv(c->fd, c->in + c->got, sizeof c->in - c->got, 0);
  if (r < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (r <= 0) {
    drop(c);
    return;
  }
  c->got += (size_t)r;
  if (answer_all(c) != 0)
    drop(c);
}

/* Until SIGTERM or SIGINT (0), or an epoll error (1). */
static int serve(floor_server *s) {
  struct epoll_event evs[64];
  for (;;) {
    int n = epoll_wait(s->ep, evs, 64, -1);
    if (n < 0 && errno != EINTR) {
      perror("socketmap-floor: epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      uint64_t id = evs[i].data.u64;
      if (id == EV_SIGNAL)
        return 0;
      if (id == EV_LISTEN)
        on_accept(s);
      else if (s->clients[id].fd >= 0)
        on_readable(&s->clients[id]);
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 3 || strcmp(argv[1], "--socket") != 0) {
    fprintf(stderr, "usage: mtasts-socketmap-floor --socket PATH\n");
    return 2;
  }
  static floor_server s; /* 1 MB of buffers: not on the stack */
  for (size_t i = 0; i < MAX_CLIENTS; i++)
    s.clients[i].fd = -1;
  s.signal_fd = signals_fd();
  s.listen_fd = listen_unix(argv[2]);
  s.ep = epoll_create1(EPOLL_CLOEXEC);
  if (s.signal_fd < 0 || s.listen_fd < 0 || s.ep < 0 || watch(s.ep, s.listen_fd, EV_LISTEN) != 0 ||
      watch(s.ep, s.signal_fd, EV_SIGNAL) != 0) {
    perror("socketmap-floor: setting up");
    return 1;
  }
  int rc = serve(&s);
  unlink(argv[2]);
  return rc;
}
