/*
 * mtasts_resolver.h - the sender's MTA-STS client as a library: what a
 * sending MTA does for one Policy Domain (RFC 8461 3, 4, 5), in the order
 * of RFC 8461 5.1: the _mta-sts TXT lookup, the cache, the HTTPS fetch
 * when the engine asks for one, the engine's decisions applied to the
 * cache, then the MX hosts (matched against the policy, and with
 * `starttls` connected to as a sender would).
 *
 * The decisions are the engine's (mtasts_engine.h); the bytes from
 * strangers are read by wire/ (http_response.h, smtp_reply.h,
 * dns_answer.h); certificate names are checked by tls/. This library does
 * the I/O around them: DNS through libresolv, HTTPS and SMTP with OpenSSL,
 * the cache as one file per domain. The clock, the DNS query, the HTTPS
 * GET and the SMTP check can each be replaced (mtasts_resolver_io), so a
 * caller's tests need no network.
 *
 * Unlike the parser and the engine, the resolver allocates (the DNS
 * answer, the policies' mx arrays, the HTTP reader); release a result
 * with mtasts_resolution_release. A policy host or MX host that closes
 * the connection while we write raises SIGPIPE: ignore it in the
 * process (signal(SIGPIPE, SIG_IGN)), as MTAs do.
 */
#ifndef MTASTS_RESOLVER_H
#define MTASTS_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http_response.h"
#include "mtasts_engine.h"
#include "resolver_cache.h"
#include "resolver_dns.h"
#include "resolver_https.h"
#include "resolver_smtp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MTASTS_RESOLVER_WELL_KNOWN "/.well-known/mta-sts.txt"

/* The longest cache file name the resolver builds (Linux's PATH_MAX). */
#define MTASTS_RESOLVER_PATH_MAX 4096

/* The world, replaceable: NULL members (or a NULL io) are the real one. */
typedef struct mtasts_resolver_io {
  void *ctx; /* passed to every hook */
  /* Seconds since the epoch (time(NULL)). */
  uint64_t (*now)(void *ctx);
  /* The _mta-sts TXT query (dns_query_system). */
  dns_query_fn txt_query;
  /* GET https://req->host/.well-known/mta-sts.txt (https_get). */
  https_status (*https_get)(void *ctx, const https_request *req, http_reader *reader,
                            https_result *out);
  /* EHLO, STARTTLS and the certificate of one MX host (smtp_check_tls). */
  mtasts_tls_result (*smtp_check)(void *ctx, const smtp_request *req, smtp_result *out);
} mtasts_resolver_io;

typedef struct mtasts_resolver_options {
  const char *cache_dir; /* one file per domain in it (created 0700); NULL: no cache */
  const char *ca_file;   /* PEM file of trusted CAs; NULL: the default store */
  uint64_t refresh;      /* refresh a cached policy this old (seconds); 0: never */
  unsigned timeout;      /* seconds per exchange, after the address lookup */
  unsigned https_port;   /* 443 */
  unsigned smtp_port;    /* 25 */
  const char *const *mx; /* MX hosts to match against the policy, in order */
  size_t mx_count;
  bool starttls;                /* also connect to each MX host (RFC 8461 4, 5) */
  bool refuse_private;          /* fetch from no private address (https_address_private) */
  const mtasts_resolver_io *io; /* NULL: the real world */
} mtasts_resolver_options;

/* Defaults: no cache, the default trust store, a refresh after a day
 * (RFC 8461 3.3: "a suggested refresh frequency is once per day"), 60 s
 * ("A suggested timeout is one minute"), ports 443 and 25, no MX host,
 * the real world. */
void mtasts_resolver_options_init(mtasts_resolver_options *o);

/* What became of the cache file before the decision. */
typedef enum mtasts_cache_state {
  MTASTS_CACHE_STATE_OFF = 0, /* no cache_dir */
  MTASTS_CACHE_STATE_EMPTY,   /* no file, or one without a policy */
  MTASTS_CACHE_STATE_VALID,   /* a policy within its max_age (R14) */
  MTASTS_CACHE_STATE_EXPIRED, /* a policy past its max_age */
  MTASTS_CACHE_STATE_CORRUPT  /* a file that was ignored: cache_msg says why */
} mtasts_cache_state;

/* "off", "empty", "valid", "expired", "corrupt"; "unknown" outside. */
const char *mtasts_cache_state_name(mtasts_cache_state s);

/* A parsed policy with its own mx and extension storage. */
typedef struct mtasts_resolved_policy {
  mtasts_policy p;
  mtasts_mx *mx;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
} mtasts_resolved_policy;

/* starttls: what one MX host showed, and what to do with it. */
typedef struct mtasts_resolved_mx {
  smtp_result smtp;
  mtasts_mx_outcome outcome;
} mtasts_resolved_mx;

typedef enum mtasts_resolve_status {
  MTASTS_RESOLVE_OK = 0,  /* resolved: the fields below say what and why */
  MTASTS_RESOLVE_DOMAIN,  /* not a domain the resolver can use */
  MTASTS_RESOLVE_CACHE,   /* the cache directory or file cannot be used or written */
  MTASTS_RESOLVE_INTERNAL /* out of memory, or the engine refused its input */
} mtasts_resolve_status;

typedef struct mtasts_resolution {
  const mtasts_resolver_options *opt;
  mtasts_resolver_io io;  /* the world used: opt->io, its NULL hooks the real ones */
  const char *domain_arg; /* as given */
  uint64_t now;
  char error[MTASTS_RESOLVER_PATH_MAX + 256]; /* why, when not MTASTS_RESOLVE_OK */

  /* The names, in lower case, without a final dot. */
  char domain[MTASTS_MAX_NAME_LEN + 2];
  size_t domain_len;
  char host[MTASTS_MAX_NAME_LEN + 2]; /* the Policy Host (R19) */
  size_t host_len;
  char txt_name[MTASTS_MAX_NAME_LEN + 16]; /* "_mta-sts.<domain>." */

  /* Discovery (RFC 8461 3.1). */
  dns_txt dns;
  mtasts_code select_code;
  mtasts_rrset_result select;
  mtasts_txt txt;
  mtasts_ext txt_ext[MTASTS_MAX_EXTENSIONS]; /* the storage of txt */
  mtasts_discovery discovery;
  char live_id[MTASTS_MAX_ID_LEN + 1];
  size_t live_id_len;

  /* The cache before the decision. */
  char cache_path[MTASTS_RESOLVER_PATH_MAX];
  char *cache_data;
  cache_record cached;
  mtasts_cache_state cache_state;
  char cache_msg[MTASTS_RESOLVER_PATH_MAX + 256];
  mtasts_resolved_policy cached_policy; /* with VALID / EXPIRED */

  /* The decisions (RFC 8461 5.1): before and, when it fetched, after. */
  mtasts_decision first;
  mtasts_decision final;

  /* The fetch (RFC 8461 3.3). */
  bool fetched;
  https_result https;
  http_reader *reader;
  mtasts_fetch_reason reason;
  mtasts_fetch_verdict verdict;
  mtasts_resolved_policy fetched_policy;

  /* The outcome. */
  const mtasts_resolved_policy *applied; /* NULL when none applies */
  const char *applied_id;
  size_t applied_id_len;
  uint64_t applied_max_age;
  bool cache_written;

  /* starttls: one per MX host, in order (RFC 8461 4, 5); else NULL. */
  mtasts_resolved_mx *mx_tls;
} mtasts_resolution;

/*
 * Resolve `domain` (an RFC 5321 Domain of A-labels, one final dot
 * allowed): every field of *res is set, the cache file updated. With a
 * status other than OK, res->error says why (the fields hold what was
 * learnt until then). Release *res afterwards, whatever the status.
 */
mtasts_resolve_status mtasts_resolve(const char *domain, const mtasts_resolver_options *opt,
                                     mtasts_resolution *res);

/* Does MX host `host` match a pattern of the applied policy (R13)?
 * *index: the pattern, or -1. False when no policy applies. */
bool mtasts_resolution_mx_matches(const mtasts_resolution *res, const char *host, long *index);

/* Free what mtasts_resolve allocated (not *res itself). */
void mtasts_resolution_release(mtasts_resolution *res);

#ifdef __cplusplus
}
#endif

#endif /* MTASTS_RESOLVER_H */
