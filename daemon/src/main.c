/* main.c - mtasts-daemon: options, configuration, signals (see mtasts-daemon.8). */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "lookup.h"
#include "redis.h"
#include "server.h"

#define DEFAULT_CONFIG "/etc/mtasts-daemon.conf"

/* The server the signal handlers tell (one write to its pipe each), and
 * the file SIGHUP reads again. */
static daemon_server *signalled;
static const char *config_path;

static void on_signal(int sig) {
  if (signalled == NULL)
    return;
  if (sig == SIGHUP)
    daemon_server_reload(signalled);
  else
    daemon_server_stop(signalled);
}

static bool reload(void *ctx, daemon_config *out, char *err, size_t err_cap) {
  (void)ctx;
  daemon_config_defaults(out);
  return daemon_config_load(config_path, out, err, err_cap);
}

static int usage(FILE *f, int code) {
  fprintf(f, "usage: mtasts-daemon [-c FILE] [--check]\n"
             "  -c FILE   the configuration (default " DEFAULT_CONFIG ")\n"
             "  --check   validate the configuration and exit (0: valid)\n");
  return code;
}

static int serve(const char *path, const daemon_config *cfg) {
  config_path = path;
  /* The resolver behind the shared cache; without `redis` (or after a
   * reload without it) that is the resolver alone. */
  daemon_redis *shared = daemon_redis_new(daemon_lookup_resolver, NULL, NULL, NULL);
  if (shared == NULL) {
    fprintf(stderr, "mtasts-daemon: out of memory\n");
    return 1;
  }
  daemon_hooks hooks = {shared, daemon_redis_lookup, NULL, reload};
  /* Held from before the socket exists until the handlers know the
   * server: a client may connect, and a signal come, at once. */
  sigset_t held, old;
  sigemptyset(&held);
  sigaddset(&held, SIGTERM);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGHUP);
  sigprocmask(SIG_BLOCK, &held, &old);
  char err[1024];
  daemon_server *s = daemon_server_new(cfg, &hooks, err, sizeof err);
  if (s == NULL) {
    fprintf(stderr, "mtasts-daemon: %s\n", err);
    daemon_redis_free(shared);
    return 1;
  }
  signalled = s;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigprocmask(SIG_SETMASK, &old, NULL);
  fprintf(stderr, "mtasts-daemon: listening on %s, %u workers\n", cfg->listen, cfg->workers);
  int rc = daemon_server_run(s);
  signalled = NULL;
  daemon_server_free(s); /* the workers are done with the shared cache */
  daemon_redis_free(shared);
  fprintf(stderr, "mtasts-daemon: stopped\n");
  return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *path = DEFAULT_CONFIG;
  bool check = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--check") == 0)
      check = true;
    else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
      path = argv[++i];
    else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
      return usage(stdout, 0);
    else
      return usage(stderr, 2);
  }
  signal(SIGPIPE, SIG_IGN); /* a client or host that hangs up must not end the daemon */
#ifdef M_ARENA_MAX
  /* glibc gives each worker thread an arena of its own, each keeping the
   * pages of its last lookups (a cache file, the policy, the HTTP reader):
   * 18 MB of RSS with 8 workers, more than 100,000 cached answers take.
   * The workers wait on the network, not on malloc: one arena. */
  mallopt(M_ARENA_MAX, 1);
#endif
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  char err[1024];
  if (!daemon_config_load(path, &cfg, err, sizeof err)) {
    fprintf(stderr, "mtasts-daemon: %s\n", err);
    return 1;
  }
  if (check) {
    printf("%s: valid\n", path);
    return 0;
  }
  return serve(path, &cfg);
}
