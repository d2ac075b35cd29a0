/*
 * socketmap_load.c - mtasts-socketmap-load: socketmap clients for the
 * daemon benchmark (daemon/bench/socketmap.sh, bench/README.md).
 *
 *   mtasts-socketmap-load --socket PATH --clients N --domains COUNT
 *                         [--suffix S] [--seconds T | --once | --each]
 *                         [--rate PER_SEC] [--kind K] [--impl NAME]
 *                         [--pid DAEMON_PID]
 *
 * N connections, kept open as Postfix's smtp processes keep theirs, each
 * sending "postfix d<i><S>" as a netstring and waiting for the whole answer
 * before its next request. Domain i walks 0..COUNT-1 across the clients,
 * so every cached domain is asked for. Closed loop (default): a connection
 * sends its next request as soon as its answer is in, for T seconds.
 * --once asks for each domain once (the warm-up) and prints nothing but
 * errors; --each does the same and prints the line (uncached lookups).
 * --rate: open loop, request k is due at start + k / PER_SEC on connection
 * k mod N, and its latency is counted from that due time, not from when it
 * was sent: a request that waits for its connection's previous answer, or
 * for the client, waits in the figure too (no coordinated omission). One
 * thread and epoll: the client must cost less CPU than the daemon it
 * measures on a 2-core host.
 *
 * Prints one line: SOCKETMAP impl=... kind=K clients=N [rate=...]
 * lookups=... per_sec=... p50_us=... p99_us=... errors=... (an answer not
 * starting with "OK " is an error: every domain asked for has a policy;
 * K, default "cached", only labels the line). With --pid, the
 * daemon's CPU time (user + system, /proc/PID/stat) per lookup too:
 * on a shared host the rates and latencies follow the other jobs, the CPU
 * cost of an answer much less. A figure, never a test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 1024
#define MAX_SAMPLES (1u << 24)

typedef struct conn {
  int fd;
  int busy;         /* a request is out (--rate) */
  uint64_t sent_at; /* when its request was sent, or was due (--rate) */
  uint64_t next_k;  /* its next request's number (--rate) */
  char buf[1024];
  size_t got;
} conn;

typedef struct load {
  const char *socket_path, *suffix, *impl, *kind;
  unsigned clients, domains;
  double seconds, rate;
  int once, each;
  long pid;
  uint64_t next, done, errors;
  uint32_t *lat_us;
  size_t samples;
} load;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int connect_unix(const char *path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path)
    return -1;
  memcpy(sa.sun_path, path, strlen(path) + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    fd = -1;
  }
  return fd;
}

/* Sends request k on c, timed from `at`. */
static int send_request(load *l, conn *c, uint64_t k, uint64_t at) {
  char req[300], ns[320];
  int n = snprintf(req, sizeof req, "postfix d%lu%s", (unsigned long)(k % l->domains), l->suffix);
  int m = snprintf(ns, sizeof ns, "%d:%s,", n, req);
  c->got = 0;
  c->sent_at = at;
  /* A request this small goes out whole on a Unix socket. */
  return write(c->fd, ns, (size_t)m) == m ? 1 : -1;
}

/* Sends the next request on c; 0 when there is none left (--once, --each). */
static int send_next(load *l, conn *c) {
  if (l->once && l->next >= l->domains)
    return 0;
  return send_request(l, c, l->next++, now_ns());
}

/* 1 when c's buffer holds a whole netstring answer, -1 when malformed. */
static int answer_complete(const conn *c) {
  size_t len = 0, i = 0;
  for (; i < c->got && c->buf[i] != ':'; i++) {
    if (c->buf[i] < '0' || c->buf[i] > '9' || i > 6)
      return -1;
    len = len * 10 + (size_t)(c->buf[i] - '0');
  }
  if (i == c->got || c->got < i + 1 + len + 1)
    return 0;
  return c->buf[i + 1 + len] == ',' ? 1 : -1;
}

static void record(load *l, conn *c) {
  uint64_t us = (now_ns() - c->sent_at) / 1000u;
  if (l->samples < MAX_SAMPLES)
    l->lat_us[l->samples++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
  const char *colon = memchr(c->buf, ':', c->got);
  if (colon == NULL || strncmp(colon + 1, "OK ", 3) != 0) {
    if (l->errors++ < 3)
      fprintf(stderr, "socketmap-load: answer %.*s\n", (int)c->got, c->buf);
  }
  l->done++;
}

/* Reads what c has: 1 when its answer is complete (and recorded), 0 when
   not yet, -1 on error. */
static int read_answer(load *l, conn *c) {
  ssize_t r = read(c->fd, c->buf + c->got, sizeof c->buf - c->got);
  if (r <= 0)
    return -1;
  c->got += (size_t)r;
  int st = answer_complete(c);
  if (st <= 0)
    return st == 0 && c->got < sizeof c->buf ? 0 : -1;
  record(l, c);
  return 1;
}

/* Closed loop: 1 to go on, 0 when c is finished, -1 on error. */
static int on_readable(load *l, conn *c) {
  int st = read_answer(l, c);
  return st <= 0 ? (st == 0 ? 1 : -1) : send_next(l, c);
}

/* utime + stime of pid in clock ticks; 0 when unreadable. */
static double cpu_ticks(long pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *p = strrchr(buf, ')'); /* the name may hold spaces */
  unsigned long ut = 0, st = 0;
  if (p == NULL ||
      sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
    return 0;
  return (double)(ut + st);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static int connect_all(load *l, int ep, conn *conns) {
  for (unsigned i = 0; i < l->clients; i++) {
    conns[i].fd = connect_unix(l->socket_path);
    if (conns[i].fd < 0) {
      fprintf(stderr, "socketmap-load: connect %s: %s\n", l->socket_path, strerror(errno));
      return -1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  return 0;
}

static int closed_loop(load *l, int ep, conn *conns) {
  unsigned active = 0;
  for (unsigned i = 0; i < l->clients; i++)
    active += send_next(l, &conns[i]) == 1;
  uint64_t stop = now_ns() + (uint64_t)(l->seconds * 1e9);
  struct epoll_event evs[64];
  while (active > 0 && (l->once || now_ns() < stop)) {
    int n = epoll_wait(ep, evs, 64, 1000);
    for (int i = 0; i < n; i++) {
      int st = on_readable(l, evs[i].data.ptr);
      if (st < 0)
        return -1;
      active -= st == 0;
    }
  }
  return 0;
}

/* --rate: sends every idle connection's request that is due by `now`;
   returns the earliest due time still to come (UINT64_MAX: none), and
   counts the connections with a request out in *busy. */
static uint64_t send_due(load *l, conn *conns, uint64_t t0, uint64_t stop, uint64_t now,
                         unsigned *busy) {
  uint64_t wake = UINT64_MAX;
  *busy = 0;
  for (unsigned i = 0; i < l->clients; i++) {
    conn *c = &conns[i];
    uint64_t due = t0 + (uint64_t)((double)c->next_k * 1e9 / l->rate);
    if (!c->busy && due < stop) {
      if (due <= now) {
        if (send_request(l, c, c->next_k, due) < 0)
          return 0;
        c->busy = 1;
        c->next_k += l->clients;
      } else if (due < wake) {
        wake = due;
      }
    }
    *busy += (unsigned)c->busy;
  }
  return wake;
}

/* Sleeps in epoll until `wake` (to the microsecond, not the millisecond of
   epoll_wait: at 20,000 requests/s they are 50 us apart). */
static int wait_until(int ep, struct epoll_event *evs, uint64_t wake, uint64_t now) {
  uint64_t ns = wake == UINT64_MAX ? 1000000000u : wake - now;
  struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
  int n = epoll_pwait2(ep, evs, 64, &ts, NULL);
  if (n < 0 && errno == ENOSYS) /* a kernel before 5.11: whole milliseconds, rounded up */
    n = epoll_wait(ep, evs, 64, (int)((ns + 999999u) / 1000000u));
  return n;
}

static int open_loop(load *l, int ep, conn *conns) {
  prctl(PR_SET_TIMERSLACK, 1000UL); /* wake-ups 1 us late at most, not 50 */
  for (unsigned i = 0; i < l->clients; i++)
    conns[i].next_k = i;
  uint64_t t0 = now_ns(), stop = t0 + (uint64_t)(l->seconds * 1e9);
  struct epoll_event evs[64];
  for (;;) {
    uint64_t now = now_ns();
    unsigned busy;
    uint64_t wake = send_due(l, conns, t0, stop, now, &busy);
    if (wake == 0 || now > stop + 10000000000u)
      return -1; /* a write failed, or answers 10 s overdue */
    if (busy == 0 && wake == UINT64_MAX)
      return 0;
    int n = wait_until(ep, evs, wake, now);
    for (int i = 0; i < n; i++) {
      conn *c = evs[i].data.ptr;
      int st = read_answer(l, c);
      if (st < 0)
        return -1;
      c->busy &= st == 0;
    }
  }
}

static void report(load *l, double wall, double cpu_s) {
  qsort(l->lat_us, l->samples, sizeof *l->lat_us, cmp_u32);
  uint32_t p50 = l->samples ? l->lat_us[l->samples / 2] : 0;
  uint32_t p99 = l->samples ? l->lat_us[(size_t)((double)l->samples * 0.99)] : 0;
  printf("SOCKETMAP impl=%s kind=%s clients=%u", l->impl, l->kind, l->clients);
  if (l->rate > 0)
    printf(" rate=%.0f", l->rate);
  printf(" lookups=%lu per_sec=%.0f p50_us=%u p99_us=%u errors=%lu", (unsigned long)l->done,
         (double)l->done / wall, p50, p99, (unsigned long)l->errors);
  if (l->pid > 0 && l->done > 0)
    printf(" cpu_us_per_lookup=%.2f", cpu_s * 1e6 / (double)l->done);
  printf("\n");
}

static int run(load *l) {
  static conn conns[MAX_CLIENTS];
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0 || connect_all(l, ep, conns) != 0)
    return 1;
  double cpu0 = l->pid > 0 ? cpu_ticks(l->pid) : 0;
  uint64_t start = now_ns();
  if ((l->rate > 0 ? open_loop(l, ep, conns) : closed_loop(l, ep, conns)) != 0) {
    fprintf(stderr, "socketmap-load: connection failed after %lu answers\n",
            (unsigned long)l->done);
    return 1;
  }
  double wall = (double)(now_ns() - start) / 1e9;
  double cpu_s = l->pid > 0 ? (cpu_ticks(l->pid) - cpu0) / (double)sysconf(_SC_CLK_TCK) : 0;
  if (l->once && !l->each)
    return l->errors != 0;
  report(l, wall, cpu_s);
  return 0;
}

int main(int argc, char **argv) {
  load l = {.suffix = ".bench.example",
            .impl = "?",
            .kind = "cached",
            .clients = 1,
            .domains = 1,
            .seconds = 3};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--once") == 0 || strcmp(a, "--each") == 0) {
      l.once = 1;
      l.each = a[2] == 'e';
      continue;
    }
    if (v == NULL)
      goto usage;
    if (strcmp(a, "--socket") == 0)
      l.socket_path = v;
    else if (strcmp(a, "--suffix") == 0)
      l.suffix = v;
    else if (strcmp(a, "--impl") == 0)
      l.impl = v;
    else if (strcmp(a, "--kind") == 0)
      l.kind = v;
    else if (strcmp(a, "--rate") == 0)
      l.rate = strtod(v, NULL);
    else if (strcmp(a, "--clients") == 0)
      l.clients = (unsigned)strtoul(v, NULL, 10);
    else if (strcmp(a, "--domains") == 0)
      l.domains = (unsigned)strtoul(v, NULL, 10);
    else if (strcmp(a, "--pid") == 0)
      l.pid = strtol(v, NULL, 10);
    else if (strcmp(a, "--seconds") == 0)
      l.seconds = strtod(v, NULL);
    else
      goto usage;
    i++;
  }
  if (l.socket_path == NULL || l.clients == 0 || l.clients > MAX_CLIENTS || l.domains == 0 ||
      l.rate < 0 || (l.rate > 0 && l.once))
    goto usage;
  l.lat_us = malloc(MAX_SAMPLES * sizeof *l.lat_us);
  if (l.lat_us == NULL)
    return 1;
  int rc = run(&l);
  free(l.lat_us);
  return rc;
usage:
  fprintf(stderr, "usage: mtasts-socketmap-load --socket PATH [--clients N] [--domains COUNT]\n"
                  "         [--suffix S] [--seconds T | --once | --each] [--rate PER_SEC]\n"
                  "         [--kind K] [--impl NAME] [--pid PID]\n");
  return 2;
}
