/*
 * scenario.h - the kind "scenario": whole resolvers run through the
 * scenarios of vectors/scenarios/ (FORMAT.md there) by the scenario driver
 * (conformance/world/run_scenarios.py), which judges them and writes
 * scenario-results.json (format mtasts-scenario-results/1, ADAPTERS.md
 * "Results file"). The runner does not run or judge scenarios: it checks
 * that file strictly, takes the names, comments and flags from the
 * scenarios file it names, and joins the verdicts into a run so that the
 * matrix, the reports and the exit status show them next to the vectors.
 */
#ifndef CONF_SCENARIO_H
#define CONF_SCENARIO_H

#include "report.h"

/* One entry of the results file's implementations[]. */
typedef struct scenario_impl {
  size_t impl;             /* index into conf_impls */
  conf_impl_status status; /* IMPL_RAN, IMPL_NOT_INSTALLED or IMPL_SKIPPED */
  double wall_seconds;     /* 0 unless it ran */
} scenario_impl;

/* One entry of the results file's results[]. */
typedef struct scenario_row {
  size_t impl;     /* index into conf_impls */
  size_t scenario; /* index into conf_scenarios.items */
  conf_verdict verdict;
  const char *reason; /* borrowed from the results file; NULL when null */
  json_t *steps;      /* borrowed from the results file */
} scenario_row;

typedef struct conf_scenarios {
  char *results_path;
  char *scenarios_path;  /* the scenarios file read: --scenarios, or the results' `scenarios` */
  json_t *results_doc;   /* owned */
  json_t *scenarios_doc; /* owned */
  conf_vector *items;    /* one per scenario, in file order: kind KIND_SCENARIO, test = the
                            scenario object, readable_input = "domain, N steps" */
  size_t count;
  scenario_impl *impls; /* as listed in the results file */
  size_t impl_count;
  scenario_row *rows; /* as listed in the results file */
  size_t row_count;
} conf_scenarios;

/*
 * Reads results_path and the scenarios file: scenarios_path when not NULL,
 * else the results file's `scenarios` member (relative to root unless
 * absolute). Every implementation the results name must be in impls.
 * Returns false, with a message naming the file and the member in err,
 * when either file is malformed or they do not agree (see ADAPTERS.md,
 * "Scenario results in the reports").
 */
bool scenarios_load(const char *results_path, const char *scenarios_path, const char *root,
                    const conf_impls *impls, conf_scenarios *out, sbuf *err);
void scenarios_free(conf_scenarios *s);

/*
 * Joins the results into the run: each implementation's scenario status
 * (IMPL_SKIPPED when the run skips it, IMPL_NO_RESULTS when the results
 * file does not list it) and driver wall time, and for those that ran one
 * result per scenario (in the scenarios file's order) with its counts.
 */
void scenarios_join(const conf_scenarios *s, conf_run *run);

/* The `rfc` of the scenarios file's note on flag, or NULL. */
const char *scenarios_flag_rfc(const conf_scenarios *s, const char *flag);

#endif
