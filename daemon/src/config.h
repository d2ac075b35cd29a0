/*
 * config.h - mtasts-daemon's configuration file (mtasts-daemon.conf(5),
 * in daemon/mtasts-daemon.8): lines "key = value", "#" comments, blank
 * lines. Every key has a default; an unknown key, a repeated key or a
 * value out of its range is an error naming the line.
 */
#ifndef MTASTS_DAEMON_CONFIG_H
#define MTASTS_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAEMON_CONFIG_PATH_MAX 512

typedef struct daemon_config {
  char listen[DAEMON_CONFIG_PATH_MAX];    /* a socket path, or HOST:PORT */
  char cache_dir[DAEMON_CONFIG_PATH_MAX]; /* "": no disk cache */
  char ca_file[DAEMON_CONFIG_PATH_MAX];   /* "": the default trust store */
  unsigned workers;                       /* resolving threads */
  unsigned clients_max;                   /* connections at once */
  unsigned pending_max;                   /* distinct domains being resolved or queued */
  unsigned cache_entries;                 /* answers kept in memory */
  unsigned disk_entries;                  /* files kept in cache_dir */
  unsigned timeout;                       /* seconds per HTTPS/DNS exchange */
  unsigned client_timeout;                /* seconds a client may stay silent mid-request */
  uint64_t refresh;                       /* seconds: refresh a cached answer this old */
  uint64_t negative_ttl;                  /* seconds: keep a NOTFOUND this long */
  uint64_t backoff_min, backoff_max;      /* seconds: after a failed lookup */
  bool strict_testing;                    /* testing policies answered like enforce */
  bool tlsrpt;                            /* Postfix 3.10's TLSRPT attributes */
  bool refuse_private;                    /* fetch no policy from a private address */
  bool dane;                              /* look at the MX hosts' TLSA records (R31) */

  /* The cache shared with other daemons (redis.h). */
  char redis[DAEMON_CONFIG_PATH_MAX];        /* "unix:/path" or HOST:PORT; "": none */
  char redis_prefix[DAEMON_CONFIG_PATH_MAX]; /* a key is this and the domain */
  unsigned redis_timeout;                    /* seconds per Redis connect or command */
} daemon_config;

void daemon_config_defaults(daemon_config *c);

/* Read `text` (not NUL-terminated) over the defaults already in *c. On
 * error, false and "LINE: why" in err. */
bool daemon_config_parse(const char *text, size_t len, daemon_config *c, char *err, size_t err_cap);

/* The same from a file; "PATH: why" or "PATH:LINE: why" in err. */
bool daemon_config_load(const char *path, daemon_config *c, char *err, size_t err_cap);

#endif /* MTASTS_DAEMON_CONFIG_H */
