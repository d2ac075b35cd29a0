/*
 * tlsrpt_run.h - what the parts of `mtasts report` share: one run's
 * summary (a row per organisation and day, a row per distinct failure),
 * the reader's reused storage, the policy given with --policy, and the
 * verdicts drawn from the summary.
 *
 *   tlsrpt_read.c      inputs (files, directories, gzip, mail) -> reports
 *   tlsrpt_summary.c   reports -> rows; --policy against what senders applied
 *   tlsrpt_verdicts.c  rows -> per sender, per MX, ready for enforce
 *   tlsrpt_print.c     text, CSV, JSON and HTML
 */
#ifndef MTASTS_CLI_TLSRPT_RUN_H
#define MTASTS_CLI_TLSRPT_RUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "mtasts_report.h"

typedef struct bytes {
  unsigned char *p;
  size_t n, cap;
} bytes;

typedef struct failure_row {
  char *result, *mx, *ip, *reason;
  uint64_t sessions;
} failure_row;

typedef struct day_row {
  char *org;
  int64_t day; /* days since 1970-01-01 of start-datetime (UTC) */
  uint64_t successful, failed;
  size_t reports;
  /* --policy: sessions under an sts policy equal to it, under another one
   * (how the first one differs), under no-policy-found */
  uint64_t current, old, none;
  char *old_how;
  failure_row *f;
  size_t nf, capf;
} day_row;

typedef struct run {
  const cli_options *opt;
  day_row *rows;
  size_t nrows, caprows;
  size_t reports, rejected, trouble;
  json_t *diags; /* --json: every diagnostic */
  /* the reader's storage, reused for every report */
  mtasts_report_work work;
  mtasts_report_policy *pol;
  mtasts_report_detail *det;
  size_t cap_pol, cap_det;
  mtasts_report_diag warn_items[64];
  bytes file, plain; /* the input as read; a decompressed report */
  /* --policy FILE: the policy published now, mx patterns lower-cased */
  bool have_now;
  mtasts_mode now_mode;
  uint64_t now_max_age;
  char **now_mx;
  size_t now_nmx;
  mtasts_mx *mx; /* the mx array for re-parsing a report's policy */
  size_t cap_mx;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS]; /* room for every extension */
  bytes ptext;                           /* a report's policy-string joined */
} run;

/* One sender over the whole period. */
typedef struct org_sum {
  const char *org;
  uint64_t successful, failed, current, old, none;
  const char *old_how; /* of its first day on another policy */
} org_sum;

#define MAX_REASONS 6

/* The rules are in mtasts.1 (report, VERDICTS); one home for them here. */
typedef struct verdicts {
  org_sum *orgs; /* by name */
  size_t norgs;
  const char **mx_all; /* MX hosts where every sender failed (2 senders at least) */
  size_t nmx_all;
  char reasons[MAX_REASONS][160]; /* why not ready for enforce; none: ready */
  size_t nreasons;
} verdicts;

/* Memory: out of memory ends the command (exit status 2). */
void *rpt_xrealloc(void *p, size_t n);
bool rpt_reserve(bytes *b, size_t n);
/* A span decoded into a fresh string ("" for an unset span). */
char *rpt_span_dup(mtasts_span s);

/* Read PATH ("-": standard input; a directory: its files) into the run. */
void rpt_read(run *x, const char *path);

/* Add one accepted report to the summary. */
void rpt_add_report(run *x, const mtasts_report *r);
/* --policy FILE: the policy published now (false: said why, end the run). */
bool rpt_load_policy(run *x, const char *path);
/* Rows by day then organisation, failures by sessions (most first). */
void rpt_sort(run *x);
void rpt_free(run *x);

void rpt_verdicts_of(const run *x, verdicts *v);
void rpt_verdicts_free(verdicts *v);

void rpt_print_text(const run *x);
void rpt_print_csv(const run *x);
void rpt_print_json(run *x);
void rpt_print_html(run *x);

#endif
