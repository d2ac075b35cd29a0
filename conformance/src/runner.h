/*
 * runner.h - running every configured implementation over the vectors, and
 * the adapter session both modes (vectors, differential replay) share.
 */
#ifndef CONF_RUNNER_H
#define CONF_RUNNER_H

#include "impls.h"
#include "proc.h"
#include "report.h"

typedef struct runner_options {
  conf_paths paths;
  int timeout_ms;        /* per request */
  unsigned max_restarts; /* then the rest of that implementation's requests are errors */
  int probe_timeout_ms;
} runner_options;

/*
 * One implementation's adapter over a run: started lazily on the first
 * request, restarted after a protocol failure, given up on after
 * max_restarts restarts or when it cannot be executed at all.
 */
typedef struct impl_session {
  conf_impl *im;
  const runner_options *opt;
  adapter_proc proc;
  char *log_path;
  bool gave_up;
  char *gave_up_reason;
  double start;
} impl_session;

/* Runs the implementation's `available` probe: false (and status
 * IMPL_NOT_INSTALLED) when it fails; true (status IMPL_RAN) otherwise. */
bool impl_probe(conf_impl *im, const runner_options *opt);

/* Prepares a session; its adapter's stderr goes to OUT_DIR/<name>.stderr.log. */
void session_open(impl_session *s, conf_impl *im, const runner_options *opt, const char *out_dir);

/*
 * Sends the request for v and returns the protocol-valid answer (the caller
 * owns it), or NULL with why in reason: the adapter crashed, hung, broke
 * the protocol (it is restarted), or was given up on.
 */
json_t *session_ask(impl_session *s, const conf_vector *v, sbuf *reason);

/* Ends the adapter (EOF, then a grace period); records how it ended when
 * not "exit 0" (im->exit_note) and the wall time. */
void session_close(impl_session *s);

/* Runs implementation `index` (probe, adapter, every vector it takes),
 * appending to run->results and filling its counts. */
void run_impl(conf_run *run, size_t index, const runner_options *opt);

/* 0 when the own implementation(s) passed everything they ran; 1 when one
 * of them has a fail or an error, or its adapter did not exit 0 at EOF.
 * External results never count. */
int run_exit_status(const conf_run *run);

#endif
