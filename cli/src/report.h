/*
 * report.h - diagnostics: collected while a command runs, then printed as
 * compiler-style text or as one JSON object.
 */
#ifndef MTASTS_CLI_REPORT_H
#define MTASTS_CLI_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "mtasts.h"

/* Text a diagnostic points into. `map` turns a library offset into an
 * offset in `text` (NULL: the same offset). */
typedef struct cli_source {
  const char *name;
  const char *text;
  size_t len;
  size_t (*map)(const void *ctx, size_t offset);
  const void *map_ctx;
} cli_source;

typedef struct cli_diag {
  mtasts_code code;
  size_t offset; /* as the library reported it */
  const cli_source *src;
  size_t at;      /* in src->text */
  long record;    /* index of the record in an RRset, or -1 */
  char note[160]; /* an extra line, or "" */
} cli_diag;

/* The library stores at most this many warnings per parse. */
#define REPORT_MAX_WARNINGS 64u
#define REPORT_MAX_DIAGS (REPORT_MAX_WARNINGS + 2u)

typedef struct cli_report {
  const cli_options *opt;
  cli_kind kind;
  FILE *out; /* where the human form goes */
  bool color;
  cli_diag diags[REPORT_MAX_DIAGS];
  size_t count;
  size_t warnings_not_shown;
  /* The warnings array handed to the library. */
  mtasts_diag warning_items[REPORT_MAX_WARNINGS];
  mtasts_diags warnings;
} cli_report;

void report_init(cli_report *r, const cli_options *o, cli_kind kind, FILE *out);

/* Library options for this run: profile, flags, and r's warnings array. */
mtasts_options report_parse_options(cli_report *r, uint32_t flags);

/* Add a diagnostic; returns it so that a note or record can be set. */
cli_diag *report_add(cli_report *r, mtasts_code code, size_t offset, const cli_source *src);

/* Add every warning the last parse stored (their offsets are in src). */
void report_add_warnings(cli_report *r, const cli_source *src, long record);

size_t report_errors(const cli_report *r);
size_t report_warning_count(const cli_report *r);

/* Human form: every diagnostic, in the order of the input. */
void report_print(cli_report *r);

/* The last line of the human form, e.g. "x.txt: invalid MTA-STS policy:
 * 1 error, 1 warning (profile: strict)". `what` names the kind of input. */
void report_print_verdict(cli_report *r, const char *input, const char *what, bool valid);

/* Bold, colour, reset; "" without colour. */
const char *report_style(const cli_report *r, const char *which);

/* The JSON object every command prints: `result` (may be NULL) and
 * `extra` (may be NULL; its keys are merged in) are consumed. */
void report_print_json(cli_report *r, const char *input, const char *verdict, json_t *result,
                       json_t *extra);

/* An input that cannot be read or decoded: message on stderr, and with
 * --json an object whose verdict is "error". Returns EXIT_TROUBLE. */
int report_trouble(cli_report *r, const char *input, const char *message);

/* Print bytes with the same escapes as source lines (\r, \t, \xHH ...). */
void print_escaped(FILE *f, const char *p, size_t n);

/* A JSON string of bytes that may not be valid UTF-8 (invalid bytes
 * become U+FFFD). Never NULL. */
json_t *json_bytes(const char *p, size_t n);

#endif /* MTASTS_CLI_REPORT_H */
