/*
 * diff.h - differential replay: one directory (or several) of inputs of one
 * kind, every input sent to every implementation that takes the kind
 * (profile strict), the inputs grouped by the tuple of answers, and each
 * group - a class - reported with its count and its shortest input.
 *
 * A class's key is one token per taking implementation:
 *   "invalid", "unsupported", "error" (no protocol answer), or
 *   "valid" when every valid answer has the same fields; when they differ,
 *   "valid [A]" for the first distinct fields (in impls.json order) and
 *   "valid [B: id]" etc. for the others, naming the fields that differ
 *   from A's. Error names and offsets are each implementation's own
 *   vocabulary and do not enter the key.
 * A class is a disagreement when its tokens other than "unsupported" are
 * not all the same.
 */
#ifndef CONF_DIFF_H
#define CONF_DIFF_H

#include "inputs.h"
#include "runner.h"

typedef enum diff_answer_kind {
  ANSWER_VALID,
  ANSWER_INVALID,
  ANSWER_UNSUPPORTED,
  ANSWER_ERROR,
  ANSWER_COUNT
} diff_answer_kind;

const char *answer_kind_name(diff_answer_kind a);

typedef struct diff_answer {
  json_t *got;  /* the adapter's answer; NULL when there was none (owned) */
  char *reason; /* why there is none (owned; NULL otherwise) */
} diff_answer;

typedef struct diff_class {
  char **tokens; /* one per participant */
  bool disagreement;
  size_t count;
  size_t example;  /* index of its shortest input (first one on a tie) */
  size_t *members; /* input indices, in input order */
} diff_class;

typedef struct diff_run {
  conf_kind kind;
  input_format format;
  char *const *dirs;
  size_t dir_count;
  conf_impls *impls;
  diff_inputs *inputs;
  const char *impls_path;
  const char *out_dir;
  double timeout_seconds;
  /* filled by diff_execute / diff_classify */
  size_t *participants; /* impl indices that ran on this kind */
  size_t participant_count;
  size_t (*answer_counts)[ANSWER_COUNT]; /* per participant */
  diff_answer *answers;                  /* [input * participant_count + participant] */
  diff_class *classes;                   /* disagreements first, then by count */
  size_t class_count;
} diff_run;

/*
 * Decides who takes part: --only (names, or NULL for all) leaves the rest
 * IMPL_SKIPPED; one that does not take the kind or the strict profile is
 * IMPL_NO_KIND; one whose probe fails IMPL_NOT_INSTALLED. Then runs every
 * input through each remaining adapter.
 */
void diff_execute(diff_run *run, const runner_options *opt, const char *only);

/* Groups the inputs into classes (after diff_execute). */
void diff_classify(diff_run *run);

/* The answer of participant p to input i. */
const diff_answer *diff_answer_at(const diff_run *run, size_t input, size_t p);
diff_answer_kind diff_answer_kind_of(const diff_answer *a);

/* 1 when an own implementation took part and had an error (or did not
 * exit 0), else 0: disagreements are findings, not failures. */
int diff_exit_status(const diff_run *run);

void diff_free(diff_run *run);

/* ---- reports (diff_report.c) ---- */

/* Terminal: who ran, then the disagreement classes (at most max_listed,
 * 0: all) with their shortest inputs, then the agreements. */
void diff_report_terminal(FILE *f, const diff_run *run, size_t max_listed);

/* diff.json's document (see ADAPTERS.md, "Differential replay"). */
json_t *diff_report_json(const diff_run *run);

/* Writes diff.json, diff.md and diff.html into out_dir. */
bool diff_report_write_files(const diff_run *run, sbuf *err);

/* The HTML page for diff.json's document (diff_html.c). */
void diff_report_html(sbuf *out, const json_t *doc);

#endif
