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

/* Kinds that have at least one vector, in file order. */
size_t report_kinds(const conf_run *run, conf_kind kinds[KIND_COUNT]);

const char *impl_status_name(conf_impl_status s);

#endif
