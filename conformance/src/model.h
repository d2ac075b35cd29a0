/*
 * model.h - what the runner works on: vector kinds, vectors, implementations,
 * verdicts and results. Loading and judging live in their own files.
 *
 * Besides the vector kinds there is one kind the runner does not run itself:
 * `scenario`, whole resolvers judged by the scenario driver
 * (conformance/world/), whose results --scenario-results joins (scenario.h).
 */
#ifndef CONF_MODEL_H
#define CONF_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- kinds: one vector file each, then the scenarios ---- */
typedef enum conf_kind {
  KIND_TXT_RECORD,
  KIND_TXT_STRINGS,
  KIND_TXT_RRSET,
  KIND_POLICY,
  KIND_MX_MATCH,
  KIND_TLSRPT_RECORD,
  KIND_TLSRPT_RRSET,
  KIND_TLSRPT_REPORT, /* an RFC 8460 §4 aggregate report (report/) */
  KIND_SCENARIO,      /* not a vector file nor an adapter request: see scenario.h */
  KIND_COUNT
} conf_kind;

/* The vector kinds are the ones before KIND_SCENARIO: files in vectors/,
 * requests of protocol v1, `kinds` in impls.json, --diff. */
#define KIND_VECTOR_COUNT KIND_SCENARIO

const char *kind_name(conf_kind k);
/* Returns KIND_COUNT for an unknown name. */
conf_kind kind_from_name(const char *name);
/* Returns KIND_COUNT for an unknown name and for "scenario". */
conf_kind vector_kind_from_name(const char *name);

typedef enum conf_profile { PROFILE_STRICT, PROFILE_LENIENT, PROFILE_COUNT } conf_profile;

const char *profile_name(conf_profile p);
/* Returns PROFILE_COUNT for an unknown name. */
conf_profile profile_from_name(const char *name);

/* ---- verdicts ---- */
typedef enum conf_verdict {
  VERDICT_PASS,
  VERDICT_FAIL,
  VERDICT_ACCEPTABLE,
  VERDICT_UNSUPPORTED,
  VERDICT_ERROR,
  VERDICT_COUNT
} conf_verdict;

const char *verdict_name(conf_verdict v);

/* ---- vectors (and scenarios: a test case of kind KIND_SCENARIO) ---- */
typedef struct conf_vector {
  conf_kind kind;
  conf_profile profile; /* of its test group; PROFILE_STRICT for a scenario */
  long long tc_id;
  json_t *test;         /* borrowed from the loaded file */
  char *readable_input; /* the input shown to humans, escaped (owned); a scenario's domain */
} conf_vector;

typedef struct conf_vectors {
  conf_vector *items;
  size_t count;
  json_t *files[KIND_COUNT]; /* owned; NULL when the kind's file is absent */
  size_t per_kind[KIND_COUNT];
} conf_vectors;

/* ---- implementations (impls.json) ---- */
typedef enum conf_impl_status {
  IMPL_PENDING,       /* not run yet */
  IMPL_RAN,           /* its adapter was started (results are in) */
  IMPL_NOT_INSTALLED, /* the `available` probe failed: skipped, never a failure */
  IMPL_SKIPPED,       /* excluded with --only */
  IMPL_NO_KIND,       /* differential replay: it does not take the replayed kind */
  IMPL_NO_RESULTS     /* scenarios: the results file does not list it */
} conf_impl_status;

typedef struct conf_impl {
  char *name;
  char *description;
  char **argv;       /* NULL-terminated, placeholders resolved */
  char **probe_argv; /* NULL when there is no probe */
  bool kinds[KIND_COUNT];
  bool profiles[PROFILE_COUNT];
  char **acceptable; /* flags treated as valid */
  size_t acceptable_count;
  bool own; /* this project's parser: exact expectations, decides the exit status */
  /* results */
  conf_impl_status status; /* of the vector run; IMPL_PENDING when it ran no vectors at all */
  size_t counts[KIND_COUNT][VERDICT_COUNT];
  size_t totals[VERDICT_COUNT]; /* every kind, scenarios included */
  double wall_seconds;
  unsigned restarts;
  char *exit_note; /* how the adapter ended, when not "exit 0" (owned, may be NULL) */
  /* scenarios, as the results file says; IMPL_PENDING when the run has none */
  conf_impl_status scenario_status;
  double scenario_wall_seconds; /* the driver's wall time for it */
} conf_impl;

/* Its status for one kind of the run: the scenario status for KIND_SCENARIO,
 * else the vector run's. */
conf_impl_status impl_kind_status(const conf_impl *im, conf_kind kind);

/* IMPL_RAN when it has results of any kind; otherwise why not (the vector
 * run's status, or the scenario status when there was no vector run). */
conf_impl_status impl_status(const conf_impl *im);

typedef struct conf_impls {
  conf_impl *items;
  size_t count;
} conf_impls;

/* ---- results: one per implementation x vector that was considered ---- */
typedef struct conf_result {
  size_t impl; /* index into conf_impls */
  const conf_vector *vec;
  conf_verdict verdict;
  const char *expected; /* "valid" / "invalid": what this implementation should say;
                           NULL for a scenario */
  json_t *got;          /* the adapter's response object, or NULL; for a scenario the
                           results file's steps (owned) */
  char *reason;         /* why it is not a plain pass; may be NULL (owned) */
} conf_result;

typedef struct conf_results {
  conf_result *items;
  size_t count;
  size_t cap;
} conf_results;

void results_add(conf_results *rs, conf_result r);
void results_free(conf_results *rs);

/* An array whose every item is a string (answers' warnings, scenario flags). */
bool conf_is_string_array(const json_t *v);

#endif
