/*
 * resolve.h - what `mtasts resolve` learnt and decided, shared by the
 * steps (cmd_resolve.c) and the output (resolve_output.c).
 */
#ifndef MTASTS_CLI_RESOLVE_H
#define MTASTS_CLI_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "cache_file.h"
#include "cli.h"
#include "dns.h"
#include "http_response.h"
#include "https.h"
#include "mtasts_engine.h"
#include "report.h"
#include "smtp.h"

#define RESOLVE_WELL_KNOWN "/.well-known/mta-sts.txt"

/* The longest cache file name resolve builds (Linux's PATH_MAX). */
#define RESOLVE_PATH_MAX 4096

/* What became of the cache file before the decision. */
typedef enum resolve_cache_state {
  RC_OFF = 0, /* no --cache-dir */
  RC_EMPTY,   /* no file, or one without a policy */
  RC_VALID,   /* a policy within its max_age (R14) */
  RC_EXPIRED, /* a policy past its max_age */
  RC_CORRUPT  /* a file that was ignored: cache_msg says why */
} resolve_cache_state;

/* --starttls: what one MX host showed, and what to do with it. */
typedef struct resolve_mx_tls {
  smtp_result smtp;
  mtasts_mx_outcome outcome;
} resolve_mx_tls;

/* A parsed policy with its own mx storage (malloc'd). */
typedef struct resolve_policy {
  mtasts_policy p;
  mtasts_mx *mx;
} resolve_policy;

typedef struct resolve_run {
  const cli_options *o;
  const char *domain_arg; /* as given */
  uint64_t now;

  /* The names: the domain in lower case without a final dot. */
  char domain[MTASTS_MAX_NAME_LEN + 2];
  size_t domain_len;
  char host[MTASTS_MAX_NAME_LEN + 2];
  size_t host_len;
  char txt_name[MTASTS_MAX_NAME_LEN + 16];

  /* Discovery (RFC 8461 3.1). */
  dns_txt dns;
  mtasts_code select_code;
  mtasts_rrset_result select;
  mtasts_txt txt;
  mtasts_discovery discovery;
  char live_id[MTASTS_MAX_ID_LEN + 1];
  size_t live_id_len;

  /* The cache before the decision. */
  char cache_path[RESOLVE_PATH_MAX];
  char *cache_data;
  cache_record cached;
  resolve_cache_state cache_state;
  char cache_msg[RESOLVE_PATH_MAX + 256];
  resolve_policy cached_policy; /* with RC_VALID / RC_EXPIRED */

  /* The decisions (RFC 8461 5.1): before and, when it fetched, after. */
  mtasts_decision first;
  mtasts_decision final;

  /* The fetch (RFC 8461 3.3). */
  bool fetched;
  https_result https;
  http_reader *reader;
  mtasts_fetch_reason reason;
  mtasts_fetch_verdict verdict;
  resolve_policy fetched_policy;

  /* The outcome. */
  const resolve_policy *applied; /* NULL when none applies */
  const char *applied_id;
  size_t applied_id_len;
  uint64_t applied_max_age;
  bool cache_written;

  /* --starttls: one per --mx host, in order (RFC 8461 4, 5); else NULL. */
  resolve_mx_tls *mx_tls;
} resolve_run;

/* Print the outcome: text, or the --json object. */
void resolve_print_text(const resolve_run *run, FILE *out);
void resolve_print_json(const resolve_run *run);

/* Does MX host `host` match a pattern of the applied policy (R13)? */
bool resolve_mx_matches(const resolve_run *run, const char *host, long *index);

#endif /* MTASTS_CLI_RESOLVE_H */
