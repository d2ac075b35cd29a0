/*
 * report.h - what a run shows: the terminal matrix and failure list, and
 * the files results.json, junit.xml, report.md and report.html.
 */
#ifndef CONF_REPORT_H
#define CONF_REPORT_H

#include <stdio.h>

#include "model.h"
#include "text.h"

typedef struct conf_run {
  conf_impls *impls;
  conf_vectors *vectors;
  conf_results *results;
  const char *vectors_dir;
  const char *impls_path;
  const char *out_dir;
  double timeout_seconds;
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

/* Kinds that have at least one vector, in file order. */
size_t report_kinds(const conf_run *run, conf_kind kinds[KIND_COUNT]);

const char *impl_status_name(conf_impl_status s);

/* "invalid E_X at 3", "valid {...}", or "no answer". */
void report_put_got(sbuf *b, const conf_result *r);

/* ---- side by side and external failures (report_external.c) ---- */

/* One cell of the side-by-side matrix: "pass/fail" and the other verdicts
 * as "+Na" (acceptable), "+Nu" (unsupported), "+Ne" (error); "unsupported"
 * when every vector was; the status of an implementation that did not run.
 * kind KIND_COUNT: all kinds. */
void report_side_cell(sbuf *b, const conf_impl *im, conf_kind kind);
void report_side_terminal(FILE *f, const conf_run *run);
void report_side_markdown(sbuf *b, const conf_run *run);

/* An external implementation's failed (fail or error) vectors under one
 * flag; flag NULL: the vectors without flags. */
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

void flag_groups_build(const conf_run *run, size_t impl, flag_groups *out);
void flag_groups_free(flag_groups *g);

/* Per external implementation that ran: its failed vectors by flag (at
 * most max_listed per flag, 0: all). */
void report_external_terminal(FILE *f, const conf_run *run, size_t max_listed);
void report_external_markdown(sbuf *b, const conf_run *run);
/* {"failed": N, "groups": [{"flag", "count", "vectors": [...]}]} */
json_t *report_external_json(const conf_run *run, size_t impl);

#endif
