/*
 * lookup.h - mtasts-daemon's real lookup: the resolver library
 * (mtasts_resolver.h) for one domain, its disk cache in cache_dir, and
 * the answer (answer.h). Runs on a worker thread.
 */
#ifndef MTASTS_DAEMON_LOOKUP_H
#define MTASTS_DAEMON_LOOKUP_H

#include "mtasts_resolver.h"
#include "resolver_dane.h"
#include "server.h"

/* The daemon_hooks lookup; ctx is a const mtasts_resolver_io * (the
 * world, replaceable for tests) or NULL for the real one. The DANE survey
 * and the MX host names of an enforce answer (answer.h) ask the system
 * resolver in the real world, and are left out in a replaced one (see
 * daemon_lookup_world). */
void daemon_lookup_resolver(void *ctx, const char *domain, const daemon_config *cfg,
                            daemon_lookup_result *out);

/* A world of a test's making, the DANE survey's DNS included. */
typedef struct daemon_world {
  const mtasts_resolver_io *resolver; /* mtasts_resolve's clock, TXT query, fetch */
  dane_queries dane;                  /* the DANE survey's MX and TLSA queries */
  dns_query_fn mx; /* the answer's MX host names (answer.h), with dane.ctx; NULL: not looked up */
} daemon_world;

/* daemon_lookup_resolver in the world `ctx`, a const daemon_world *. */
void daemon_lookup_world(void *ctx, const char *domain, const daemon_config *cfg,
                         daemon_lookup_result *out);

/* Keep at most `max` files in `dir`: the least recently written go first
 * (the disk cache's bound). Returns how many were removed. */
size_t daemon_prune_dir(const char *dir, size_t max);

#endif /* MTASTS_DAEMON_LOOKUP_H */
