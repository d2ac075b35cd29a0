/*
 * runner.h - running every configured implementation over the vectors.
 */
#ifndef CONF_RUNNER_H
#define CONF_RUNNER_H

#include "impls.h"
#include "report.h"

typedef struct runner_options {
  conf_paths paths;
  int timeout_ms;        /* per request */
  unsigned max_restarts; /* then the rest of that implementation's vectors are errors */
  int probe_timeout_ms;
} runner_options;

/* Runs implementation `index` (probe, adapter, every vector it takes),
 * appending to run->results and filling its counts. */
void run_impl(conf_run *run, size_t index, const runner_options *opt);

/* 0 when the own implementation(s) passed everything they ran; 1 when one
 * of them has a fail or an error, or its adapter did not exit 0 at EOF.
 * External results never count. */
int run_exit_status(const conf_run *run);

#endif
