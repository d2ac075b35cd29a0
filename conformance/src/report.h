/*
 * report.h - what a run shows: the terminal matrix and failure list, and
 * the files results.json, junit.xml, report.md and report.html.
 */
#ifndef CONF_REPORT_H
#define CONF_REPORT_H

#include <stdio.h>

#include "model.h"
#include "text.h"

struct conf_scenarios; /* scenario.h */

typedef struct conf_run {
  conf_impls *impls;
  conf_vectors *vectors;
  conf_results *results;
  const char *vectors_dir;
  const char *impls_path;
  const char *out_dir;
  double timeout_seconds;
  const struct conf_scenarios *scenarios; /* NULL: no --scenario-results */
} conf_run;

/* The matrix, then the fail / error list (at most max_listed per
 * implementation; 0: all). */
void report_terminal(FILE *f, const conf_run *run, size_t max_listed);

/* The whole run as JSON: implementations with their counts, and one row
 * per implementation x vector (see ADAPTERS.md, "Reports"). */
json_t *report_json(const conf_run *run);

/* Writes results.json, junit.xml, report.md, report.html into out_dir
 * (which must exist). False with a message in err on an I/O error. */
bool report_write_files(const conf_run *run, sbuf *err);

/* The HTML page for a run whose JSON is `doc` (report_html.c). */
void report_html(sbuf *out, const json_t *doc);

/* doc as compact JSON that is safe inside <script>: "<", ">" and "&" are
 * written as \u escapes, then a newline. */
void report_put_script_json(sbuf *out, const json_t *doc);

/* The kinds of the run: those that have at least one vector, in file
 * order, then "scenario" when the run has scenario results. */
size_t report_kinds(const conf_run *run, conf_kind kinds[KIND_COUNT]);

const char *impl_status_name(conf_impl_status s);

/* "invalid E_X at 3", "valid {...}", or "no answer". */
void report_put_got(sbuf *b, const conf_result *r);

/* ---- side by side and external failures (report_external.c) ---- */

/* One cell of the side-by-side matrix: "pass/fail" and the other verdicts
 * as "+Na" (acceptable), "+Nu" (unsupported), "+Ne" (error); "unsupported"
 * when every vector was; the status of an implementation that did not run
 * that kind. kind KIND_COUNT: all kinds. */
void report_side_cell(sbuf *b, const conf_impl *im, conf_kind kind);
void report_side_terminal(FILE *f, const conf_run *run);
void report_side_markdown(sbuf *b, const conf_run *run);

/* An external implementation's failed (fail or error) vectors - or
 * scenarios - under one flag; flag NULL: those without flags. */
typedef struct flag_group {
  const char *flag; /* borrowed from the vectors */
  size_t *rows;     /* indices into run->results, in run order */
  size_t count;
} flag_group;

typedef struct flag_groups {
  flag_group *items; /* most failures first, "no flag" last */
  size_t count;
  size_t failed; /* distinct failed vectors */
} flag_groups;

/* Its failed vectors, or (scenarios) its failed scenarios. */
void flag_groups_build(const conf_run *run, size_t impl, bool scenarios, flag_groups *out);
void flag_groups_free(flag_groups *g);

/* Per external implementation that ran: its failed vectors by flag (at
 * most max_listed per flag, 0: all). */
void report_external_terminal(FILE *f, const conf_run *run, size_t max_listed);
void report_external_markdown(sbuf *b, const conf_run *run);
/* {"failed": N, "groups": [{"flag", "count", "vectors": [...]}]} */
json_t *report_external_json(const conf_run *run, size_t impl);

/* ---- the kind "scenario" (report_scenario.c) ---- */

bool report_is_scenario(const conf_result *r);

/* "scenario #3 rotation: the comment" */
void report_scenario_title(sbuf *b, const conf_result *r);
/* Each step's expect and got, one line each, then why. */
void report_scenario_detail(sbuf *b, const conf_result *r);
/* One own failure, in the terminal's list of them. */
void report_scenario_failure(FILE *f, const conf_run *run, const conf_result *r);
/* The row of results.json. */
json_t *report_scenario_row_json(const conf_run *run, const conf_result *r);
/* "scenarios": the files and the scenarios (tcId, name, domain). */
json_t *report_scenarios_json(const conf_run *run);
/* Per external implementation that ran scenarios: its failed ones by flag. */
void report_scenario_external_terminal(FILE *f, const conf_run *run, size_t max_listed);
/* {"failed": N, "groups": [{"flag", "rfc", "count", "scenarios": [...]}]} */
json_t *report_scenario_external_json(const conf_run *run, size_t impl);
/* The scenario table, the own failures, the externals' failures by flag. */
void report_scenario_markdown(sbuf *b, const conf_run *run);

#endif
