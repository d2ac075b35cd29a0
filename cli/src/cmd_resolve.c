/*
 * cmd_resolve.c - `mtasts resolve DOMAIN`: the command-line options
 * turned into the resolver's (resolver/), the resolver run, and what it
 * found printed (resolve_output.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdlib.h>

#include "resolve_output.h"

/* --now: the clock the resolver reads. */
static uint64_t given_now(void *ctx) {
  return *(const uint64_t *)ctx;
}

int cmd_resolve(const cli_options *o) {
  /* A policy host that closes the connection while the request is sent
   * must not kill the command. */
  signal(SIGPIPE, SIG_IGN);
  const cli_resolve *rs = &o->resolve;
  mtasts_resolver_options opt;
  mtasts_resolver_options_init(&opt);
  opt.cache_dir = rs->cache_dir;
  opt.ca_file = rs->ca_file;
  opt.refresh = rs->refresh;
  opt.timeout = rs->timeout;
  opt.https_port = rs->port;
  opt.smtp_port = rs->smtp_port;
  opt.mx = (const char *const *)rs->mx;
  opt.mx_count = rs->mx_count;
  opt.starttls = rs->starttls;
  uint64_t now = rs->now;
  mtasts_resolver_io io = {&now, given_now, NULL, NULL, NULL};
  if (rs->now_given)
    opt.io = &io;
  mtasts_resolution *run = calloc(1, sizeof *run);
  if (run == NULL)
    return EXIT_TROUBLE;
  mtasts_resolve_status st = mtasts_resolve(o->args[0], &opt, run);
  if (run->cache_state == MTASTS_CACHE_STATE_CORRUPT && !o->quiet)
    fprintf(stderr, "mtasts: warning: ignoring a corrupt cache file: %s\n", run->cache_msg);
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  int status = EXIT_VALID;
  if (st != MTASTS_RESOLVE_OK)
    status = report_trouble(&r, run->domain_arg, run->error);
  else if (o->json && !o->quiet)
    resolve_print_json(run, o);
  else if (!o->quiet)
    resolve_print_text(run, stdout);
  mtasts_resolution_release(run);
  free(run);
  return status;
}
