/*
 * server.h - mtasts-daemon's socketmap server: one event loop (libevent)
 * reads the clients' requests (wire/'s socketmap reader) and answers
 * from the memory cache (cache.h); a lookup that is not cached goes to a
 * bounded pool of worker threads, where the blocking resolver runs. One
 * lookup per domain at a time: every client asking for a domain being
 * looked up waits for that one lookup (coalescing). A slow policy host
 * holds one worker; the other domains go on through the others and
 * through the cache. A policy answer in memory is looked up again once
 * older than `refresh` if a client asked for it since its last lookup,
 * without waiting for the next ask (RFC 8461 10.2), so a policy in use
 * does not expire while its domain still publishes it.
 *
 * Bounds, so a flood or a hostile client costs bounded memory: at most
 * clients_max connections (more are closed at once), pending_max domains
 * queued or being looked up (more get "TEMP busy"), cache_entries
 * answers, one request read at a time per client (a client waiting for a
 * lookup is not read), at most 64 KiB of replies queued for a client that
 * does not read them. A malformed or oversized request gets "PERM" and
 * the connection is closed; a client silent for client_timeout seconds
 * in the middle of a request, or between requests, is closed. A client
 * that leaves raises SIGPIPE on the next reply: the process must ignore
 * it (main.c does).
 */
#ifndef MTASTS_DAEMON_SERVER_H
#define MTASTS_DAEMON_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "socketmap.h"

typedef struct daemon_lookup_result {
  socketmap_reply_status status; /* OK, NOTFOUND, or TEMP: the lookup failed */
  char data[SOCKETMAP_REPLY_MAX];
  size_t len;
  uint64_t keep_for; /* OK: seconds the answer may be served at most (max_age) */
} daemon_lookup_result;

typedef struct daemon_hooks {
  void *ctx;
  /* Look `domain` (lower case, no final dot) up; runs on a worker thread. */
  void (*lookup)(void *ctx, const char *domain, const daemon_config *cfg,
                 daemon_lookup_result *out);
  /* Seconds since the epoch; NULL: time(NULL). */
  uint64_t (*now)(void *ctx);
  /* SIGHUP: the new configuration, or false and why; NULL: no reload. */
  bool (*reload)(void *ctx, daemon_config *out, char *err, size_t err_cap);
} daemon_hooks;

typedef struct daemon_server daemon_server;

/* Bind the listening socket (a path: a Unix socket, mode 0666; else
 * HOST:PORT) and start the workers. NULL and err on failure. */
daemon_server *daemon_server_new(const daemon_config *cfg, const daemon_hooks *hooks, char *err,
                                 size_t err_cap);

/* Serve until daemon_server_stop, then drain: no new connection, every
 * client waiting for a lookup gets its answer, then the loop ends. */
int daemon_server_run(daemon_server *s);

/* From any thread or a signal handler (one write to a pipe). */
void daemon_server_stop(daemon_server *s);
void daemon_server_reload(daemon_server *s);
/* The proactive refresh's scan now, not at its next tick (for tests). */
void daemon_server_refresh_now(daemon_server *s);

/* After run: stop the workers (each finishes its lookup) and free. */
void daemon_server_free(daemon_server *s);

#endif /* MTASTS_DAEMON_SERVER_H */
