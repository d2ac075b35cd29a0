/*
 * mtasts-conformance - runs the vectors through every configured
 * implementation's adapter and reports a matrix, joining the scenario
 * driver's results when given (--scenario-results); with --diff, replays a
 * directory of inputs through all of them and reports where they disagree.
 * See conformance/ADAPTERS.md.
 *
 * Exit status: 0 all good; 1 the own implementation failed or errored on a
 * vector or a scenario (--diff: errored on an input); 2 bad usage,
 * configuration, vectors, scenario results or inputs, or an I/O error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "runner.h"
#include "scenario.h"
#include "vectors.h"

#ifndef MTASTS_CONF_ROOT
#define MTASTS_CONF_ROOT "."
#endif
#ifndef MTASTS_CONF_BUILD
#define MTASTS_CONF_BUILD "build"
#endif
/* From the installed runner's directory to the installed suite
 * (cmake --install, the Debian package): bindir -> datadir/mtasts. */
#ifndef MTASTS_CONF_INSTALLED
#define MTASTS_CONF_INSTALLED "../share/mtasts"
#endif

typedef struct cli {
  const char *impls;
  const char *vectors;
  const char *out;
  const char *only; /* comma-separated names, or NULL */
  runner_options run;
  size_t max_listed;
  const char *scenario_results; /* NULL: no scenarios in the run */
  const char *scenarios;        /* overrides the results file's `scenarios` */
  /* --diff KIND DIR... */
  const char *diff_kind; /* NULL: the vector run */
  const char *format;
  char **dirs; /* borrowed from argv */
  size_t dir_count;
} cli;

static void usage(FILE *f) {
  fputs("usage: mtasts-conformance [options]\n"
        "       mtasts-conformance --diff KIND [options] DIR...\n"
        "  --vectors DIR      vector files <kind>.json (default: ROOT/vectors)\n"
        "  --impls FILE       implementations (default: ROOT/conformance/impls.json)\n"
        "  --root DIR         repository root: ${root}, relative commands, adapters' cwd\n"
        "                     (default: " MTASTS_CONF_ROOT ";\n"
        "                     installed: the suite beside this program)\n"
        "  --build DIR        build directory: ${build} (default: " MTASTS_CONF_BUILD ";\n"
        "                     installed: the working directory)\n"
        "  --out DIR          report directory (default: BUILD/conformance-report)\n"
        "  --only NAMES       run only these implementations (comma-separated)\n"
        "  --timeout SECONDS  per request (default 5; fractions allowed)\n"
        "  --max-restarts N   give up on an adapter after N restarts (default 20)\n"
        "  --list N           failures listed per implementation (per flag for external\n"
        "                     ones; --diff: disagreement classes), 0 = all (default 50)\n"
        "  --scenario-results FILE\n"
        "                     add the scenario driver's scenario-results.json to the run\n"
        "                     as kind \"scenario\" (no vector files: scenarios only)\n"
        "  --scenarios FILE   the scenarios file (default: the results file's `scenarios`,\n"
        "                     relative to ROOT)\n"
        "differential replay (--diff):\n"
        "  --diff KIND        replay every file of DIR... as a KIND input through every\n"
        "                     implementation taking KIND (profile strict), grouping the\n"
        "                     inputs by their answers; reports in --out (default\n"
        "                     BUILD/conformance-diff/KIND): diff.json, diff.md, diff.html\n"
        "  --input-format F   fuzz (default: the fuzz harnesses' formats, a flags byte\n"
        "                     first) or raw (no flags byte); see ADAPTERS.md\n",
        f);
}

static bool parse_number(const char *s, double min, double max, double *out) {
  char *end;
  errno = 0;
  double d = strtod(s, &end);
  if (errno || end == s || *end || d < min || d > max)
    return false;
  *out = d;
  return true;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, cli *c) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    }
    if (a[0] != '-') {
      /* The directories of --diff; their count is checked after the loop. */
      c->dirs[c->dir_count++] = argv[i];
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "mtasts-conformance: %s needs a value (or is unknown)\n", a);
      usage(stderr);
      return 2;
    }
    const char *val = argv[++i];
    double d;
    if (strcmp(a, "--vectors") == 0)
      c->vectors = val;
    else if (strcmp(a, "--impls") == 0)
      c->impls = val;
    else if (strcmp(a, "--root") == 0)
      c->run.paths.root = val;
    else if (strcmp(a, "--build") == 0)
      c->run.paths.build = val;
    else if (strcmp(a, "--out") == 0)
      c->out = val;
    else if (strcmp(a, "--only") == 0)
      c->only = val;
    else if (strcmp(a, "--diff") == 0)
      c->diff_kind = val;
    else if (strcmp(a, "--input-format") == 0)
      c->format = val;
    else if (strcmp(a, "--scenario-results") == 0)
      c->scenario_results = val;
    else if (strcmp(a, "--scenarios") == 0)
      c->scenarios = val;
    else if (strcmp(a, "--timeout") == 0 && parse_number(val, 0.001, 3600, &d))
      c->run.timeout_ms = (int)(d * 1000.0 + 0.5);
    else if (strcmp(a, "--max-restarts") == 0 && parse_number(val, 1, 1e6, &d))
      c->run.max_restarts = (unsigned)d;
    else if (strcmp(a, "--list") == 0 && parse_number(val, 0, 1e9, &d))
      c->max_listed = (size_t)d;
    else {
      fprintf(stderr, "mtasts-conformance: bad option %s %s\n", a, val);
      usage(stderr);
      return 2;
    }
  }
  const char *misuse = NULL;
  if (c->diff_kind && c->dir_count == 0)
    misuse = "--diff needs at least one directory";
  else if (c->diff_kind && vector_kind_from_name(c->diff_kind) == KIND_COUNT)
    misuse = "--diff: unknown kind";
  else if (c->diff_kind && c->vectors)
    misuse = "--vectors is not used with --diff";
  else if (!c->diff_kind && (c->dir_count || c->format))
    misuse = "directories and --input-format need --diff";
  else if (c->format && input_format_from_name(c->format) == INPUT_FORMAT_COUNT)
    misuse = "--input-format: fuzz or raw";
  else if (c->diff_kind && c->scenario_results)
    misuse = "--scenario-results is not used with --diff";
  else if (c->scenarios && !c->scenario_results)
    misuse = "--scenarios needs --scenario-results";
  if (misuse) {
    fprintf(stderr, "mtasts-conformance: %s\n", misuse);
    usage(stderr);
    return 2;
  }
  return -1;
}

static bool mkdir_p(const char *path) {
  char *p = xstrdup(path);
  bool ok = true;
  for (char *s = p + 1; ok; s++) {
    if (*s != '/' && *s != '\0')
      continue;
    char saved = *s;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
      ok = false;
    *s = saved;
    if (saved == '\0')
      break;
  }
  free(p);
  return ok;
}

/* Adapters run in the root, so ${root} and ${build} must not depend on the
 * runner's own working directory. Caller frees. */
static char *absolute(const char *path) {
  char *real = realpath(path, NULL);
  if (real)
    return real;
  if (path[0] == '/')
    return xstrdup(path);
  char cwd[4096];
  sbuf b;
  sb_init(&b);
  sb_printf(&b, "%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", path);
  return sb_take(&b);
}

/* An installed runner finds the suite beside itself, wherever the prefix was
 * put (an install is relocatable): <its directory>/MTASTS_CONF_INSTALLED holds
 * conformance/impls.json. Then ROOT is that suite and BUILD (reports, work
 * files) the working directory; --root and --build still win. The runner in
 * a build tree has nothing there and keeps the source tree it was built from.
 * Returns the root to free; NULL: not installed, `paths` unchanged. */
static char *use_installed_suite(conf_paths *paths) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  sbuf b;
  sb_init(&b);
  sb_printf(&b, "%s/" MTASTS_CONF_INSTALLED "/conformance/impls.json", exe);
  bool found = access(sb_str(&b), R_OK) == 0;
  sb_reset(&b);
  sb_printf(&b, "%s/" MTASTS_CONF_INSTALLED, exe);
  if (!found) {
    sb_free(&b);
    return NULL;
  }
  char *root = sb_take(&b);
  paths->root = root;
  paths->build = ".";
  return root;
}

/* --only: the others are skipped, for vectors and scenarios alike. */
static void skip_unselected(const cli *c, conf_impls *impls) {
  for (size_t i = 0; c->only && i < impls->count; i++)
    if (!impl_name_in_list(impls->items[i].name, c->only))
      impls->items[i].status = IMPL_SKIPPED;
}

/* Every vector through every selected implementation. */
static void run_all_vectors(const cli *c, conf_run *run) {
  printf("mtasts-conformance: %zu vectors from %s\n", run->vectors->count, c->vectors);
  for (size_t i = 0; i < run->impls->count; i++) {
    conf_impl *im = &run->impls->items[i];
    if (im->status == IMPL_SKIPPED)
      continue;
    run_impl(run, i, &c->run);
    if (im->status == IMPL_RAN) {
      size_t sent = 0;
      for (int v = 0; v < VERDICT_COUNT; v++)
        sent += im->totals[v];
      printf("%s: %zu vectors in %.3f s wall time\n", im->name, sent, im->wall_seconds);
    } else {
      printf("%s: not installed (its availability probe failed); skipped\n", im->name);
    }
  }
}

/* "result: ..." - what the exit status means. */
static void print_result(const conf_run *run, int status) {
  bool own_ran = false;
  for (size_t i = 0; i < run->impls->count; i++)
    own_ran =
        own_ran || (run->impls->items[i].own && impl_status(&run->impls->items[i]) == IMPL_RAN);
  const char *what = !run->scenarios       ? "vector"
                     : run->vectors->count ? "vector and scenario"
                                           : "scenario";
  if (status != 0)
    puts("result: own implementation FAILED (see above)");
  else if (own_ran)
    printf("result: own implementation passed every %s it ran\n", what);
  else
    puts("result: no own implementation ran");
}

/* The vector run: every vector through every implementation, and the
 * scenario results joined when given. */
static int run_vectors(const cli *c, conf_impls *impls) {
  conf_vectors vectors;
  conf_scenarios scenarios = {0};
  conf_results results = {0};
  sbuf err, warnings;
  sb_init(&err);
  sb_init(&warnings);
  int status = 2;
  if (!vectors_load(c->vectors, &vectors, &err, &warnings)) {
    fprintf(stderr, "mtasts-conformance: %s\n", sb_str(&err));
    goto done_nothing;
  }
  fputs(sb_str(&warnings), stderr);
  /* Before any adapter runs: a bad results file is bad usage. */
  if (c->scenario_results && !scenarios_load(c->scenario_results, c->scenarios, c->run.paths.root,
                                             impls, &scenarios, &err)) {
    fprintf(stderr, "mtasts-conformance: %s\n", sb_str(&err));
    goto done_vectors;
  }
  if (vectors.count == 0 && !c->scenario_results) {
    fprintf(stderr, "mtasts-conformance: no vectors in %s (expected <kind>.json files)\n",
            c->vectors);
    goto done_vectors;
  }
  if (!mkdir_p(c->out)) {
    fprintf(stderr, "mtasts-conformance: cannot create %s: %s\n", c->out, strerror(errno));
    goto done_vectors;
  }

  conf_run run = {
      .impls = impls,
      .vectors = &vectors,
      .results = &results,
      .vectors_dir = c->vectors,
      .impls_path = c->impls,
      .out_dir = c->out,
      .timeout_seconds = c->run.timeout_ms / 1000.0,
      .scenarios = c->scenario_results ? &scenarios : NULL,
  };
  skip_unselected(c, impls);
  if (vectors.count > 0)
    run_all_vectors(c, &run);
  else
    printf("mtasts-conformance: no vectors in %s: scenarios only\n", c->vectors);
  if (run.scenarios) {
    scenarios_join(&scenarios, &run);
    printf("mtasts-conformance: %zu scenarios from %s; the scenario driver's results: %s\n",
           scenarios.count, scenarios.scenarios_path, scenarios.results_path);
  }
  fflush(stdout);
  putchar('\n');
  report_terminal(stdout, &run, c->max_listed);
  if (!report_write_files(&run, &err)) {
    fprintf(stderr, "mtasts-conformance: %s\n", sb_str(&err));
    goto done_results;
  }
  status = run_exit_status(&run);
  printf("\nreports: %s/{results.json,junit.xml,report.md,report.html}\n", c->out);
  print_result(&run, status);

done_results:
  results_free(&results);
done_vectors:
  scenarios_free(&scenarios);
  vectors_free(&vectors);
done_nothing:
  sb_free(&err);
  sb_free(&warnings);
  return status;
}

/* The differential replay: every input of the directories through every
 * implementation that takes the kind. */
static int run_diff(const cli *c, conf_impls *impls) {
  conf_kind kind = vector_kind_from_name(c->diff_kind);
  input_format format = c->format ? input_format_from_name(c->format) : INPUT_FUZZ;
  diff_inputs inputs;
  sbuf err;
  sb_init(&err);
  int status = 2;
  if (!inputs_load(kind, format, c->dirs, c->dir_count, &inputs, &err)) {
    fprintf(stderr, "mtasts-conformance: %s\n", sb_str(&err));
    sb_free(&err);
    return 2;
  }
  for (size_t i = 0; i < inputs.skipped_paths_count; i++)
    fprintf(stderr, "mtasts-conformance: warning: cannot read %s\n", inputs.skipped_paths[i]);
  diff_run run = {
      .kind = kind,
      .format = format,
      .dirs = c->dirs,
      .dir_count = c->dir_count,
      .impls = impls,
      .inputs = &inputs,
      .impls_path = c->impls,
      .out_dir = c->out,
      .timeout_seconds = c->run.timeout_ms / 1000.0,
  };
  if (inputs.count == 0) {
    fprintf(stderr, "mtasts-conformance: no usable %s inputs in the directories given\n",
            kind_name(kind));
    goto done;
  }
  if (!mkdir_p(c->out)) {
    fprintf(stderr, "mtasts-conformance: cannot create %s: %s\n", c->out, strerror(errno));
    goto done;
  }
  diff_execute(&run, &c->run, c->only);
  diff_classify(&run);
  diff_report_terminal(stdout, &run, c->max_listed);
  if (!diff_report_write_files(&run, &err)) {
    fprintf(stderr, "mtasts-conformance: %s\n", sb_str(&err));
    goto done;
  }
  status = diff_exit_status(&run);
  printf("\nreports: %s/{diff.json,diff.md,diff.html}\n", c->out);
  if (status != 0)
    puts("result: own implementation ERRORED on some inputs (see above)");

done:
  diff_free(&run);
  inputs_free(&inputs);
  sb_free(&err);
  return status;
}

int main(int argc, char **argv) {
  /* A dead adapter must not kill us through a write on its pipe. */
  signal(SIGPIPE, SIG_IGN);
  cli c = {
      .run = {.paths = {MTASTS_CONF_ROOT, MTASTS_CONF_BUILD},
              .timeout_ms = 5000,
              .max_restarts = 20,
              .probe_timeout_ms = 10000},
      .max_listed = 50,
      .dirs = xmalloc((size_t)argc * sizeof(char *)),
  };
  char *installed = use_installed_suite(&c.run.paths);
  int status = parse_args(argc, argv, &c);
  if (status >= 0) {
    free(installed);
    free(c.dirs);
    return status;
  }

  char *root = absolute(c.run.paths.root);
  char *build = absolute(c.run.paths.build);
  c.run.paths.root = root;
  c.run.paths.build = build;
  sbuf impls_default, vectors_default, out_default, err;
  sb_init(&impls_default);
  sb_init(&vectors_default);
  sb_init(&out_default);
  sb_init(&err);
  sb_printf(&impls_default, "%s/conformance/impls.json", c.run.paths.root);
  sb_printf(&vectors_default, "%s/vectors", c.run.paths.root);
  if (c.diff_kind)
    sb_printf(&out_default, "%s/conformance-diff/%s", c.run.paths.build, c.diff_kind);
  else
    sb_printf(&out_default, "%s/conformance-report", c.run.paths.build);
  if (!c.impls)
    c.impls = sb_str(&impls_default);
  if (!c.vectors)
    c.vectors = sb_str(&vectors_default);
  if (!c.out)
    c.out = sb_str(&out_default);

  conf_impls impls;
  if (impls_load(c.impls, &c.run.paths, &impls, &err)) {
    status = c.diff_kind ? run_diff(&c, &impls) : run_vectors(&c, &impls);
    impls_free(&impls);
  } else {
    fprintf(stderr, "mtasts-conformance: %s\n", sb_str(&err));
    status = 2;
  }
  sb_free(&impls_default);
  sb_free(&vectors_default);
  sb_free(&out_default);
  sb_free(&err);
  free(root);
  free(build);
  free(installed);
  free(c.dirs);
  return status;
}
