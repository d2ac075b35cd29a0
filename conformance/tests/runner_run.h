/*
 * runner_run.h - the runner's tests run mtasts-conformance as a child
 * process: a fresh temporary directory holds the implementations file and
 * the report directory; the exit status, stdout, stderr and one JSON report
 * come back. cmocka asserts inside (include cmocka.h before this).
 *
 * Paths come from CMake: CONF_RUNNER (the runner), CONF_TESTS_DIR (this
 * folder: ${root} for the runs, fixtures/ inside), CONF_FAKE_DIR (where
 * the fake adapter is built: ${build} for the runs).
 */
#ifndef CONF_RUNNER_RUN_H
#define CONF_RUNNER_RUN_H

#include <stdarg.h>

#include <jansson.h>

typedef struct run_out {
  int status;
  json_t *results; /* the JSON report (results.json, diff.json), NULL if absent */
  char *stdout_text;
  char *stderr_text;
  char dir[64]; /* the temporary directory; the reports are in dir/out */
} run_out;

/* The whole file, NUL-terminated, or NULL. Caller frees. */
char *slurp(const char *path);

/* Fails the test, showing both, unless needle is in haystack. */
void assert_contains(const char *haystack, const char *needle);

/*
 * Runs the runner with impls_text as its --impls file, --root CONF_TESTS_DIR,
 * --build CONF_FAKE_DIR, --out DIR/out, then the base arguments
 * (NULL-terminated), then the extra ones (ap, NULL-terminated); reads
 * DIR/out/json_name.
 */
void run_with(run_out *o, const char *impls_text, const char *const *base, const char *json_name,
              va_list ap);

/* Frees what run_with returned and removes its directory. */
void run_done(run_out *o);

#endif
