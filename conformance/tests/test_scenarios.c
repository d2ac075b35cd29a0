/*
 * test_scenarios - mtasts-conformance --scenario-results: the fixture
 * results file (fixtures/scenarios/: six scenarios, every verdict, a
 * not-installed resolver, a parser without scenario results, a resolver
 * without a parser) joined into a vector run and alone; the exact matrix,
 * side-by-side, JSON rows, JUnit counts and Markdown; the exit status of
 * the own implementation's scenarios; malformed files (exit 2, with the
 * message).
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner_run.h"
#include "text.h"

#define FIXTURES CONF_TESTS_DIR "/fixtures"
#define RESULTS FIXTURES "/scenarios/scenario-results.json"
#define SCENARIOS FIXTURES "/scenarios/scenarios.json"
#define NO_VECTORS FIXTURES "/scenarios" /* a directory without vector files */

/* ------------------------------------------------------------ helpers */

static char *fixture_impls(void) {
  char *text = slurp(FIXTURES "/impls-report.json");
  assert_non_null(text);
  return text;
}

/* No fixture adapter here hangs: the timeout only guards against a hang, so
 * it is generous (an answer slowed by a loaded machine must not become an
 * error). */
#define RUN_TIMEOUT "--timeout", "30"

/* The runner with impls_text and the given arguments (NULL-terminated). */
static void run_impls(run_out *o, const char *impls_text, ...) {
  static const char *const base[] = {RUN_TIMEOUT, NULL};
  va_list ap;
  va_start(ap, impls_text);
  run_with(o, impls_text, base, "results.json", ap);
  va_end(ap);
}

/* The runner with the fixture implementations and the given arguments
 * (NULL-terminated). */
static void run(run_out *o, ...) {
  static const char *const base[] = {RUN_TIMEOUT, NULL};
  char *impls = fixture_impls();
  va_list ap;
  va_start(ap, o);
  run_with(o, impls, base, "results.json", ap);
  va_end(ap);
  free(impls);
}

static char *report_file(const run_out *o, const char *name) {
  char path[160];
  snprintf(path, sizeof path, "%s/out/%s", o->dir, name);
  char *text = slurp(path);
  assert_non_null(text);
  return text;
}

static json_t *impl_entry(const run_out *o, const char *name) {
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(o->results, "implementations"), i, im) {
    if (strcmp(json_string_value(json_object_get(im, "name")), name) == 0)
      return im;
  }
  fail_msg("no implementation %s in results.json", name);
  return NULL;
}

static const char *member(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "(absent)";
}

/* "verdict[,verdict...]" of the scenario rows of impl, in row order. */
static char *scenario_verdicts(const run_out *o, const char *impl) {
  sbuf b;
  sb_init(&b);
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(o->results, "results"), i, r) {
    if (strcmp(member(r, "kind"), "scenario") == 0 && strcmp(member(r, "impl"), impl) == 0)
      sb_printf(&b, "%s%lld:%s", b.len ? " " : "", json_integer_value(json_object_get(r, "tcId")),
                member(r, "verdict"));
  }
  return sb_take(&b);
}

static json_t *scenario_row(const run_out *o, const char *impl, long long tc_id) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(o->results, "results"), i, r) {
    if (strcmp(member(r, "kind"), "scenario") == 0 && strcmp(member(r, "impl"), impl) == 0 &&
        json_integer_value(json_object_get(r, "tcId")) == tc_id)
      return r;
  }
  return NULL;
}

static char *dumps(const json_t *v) {
  return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static void assert_json(const json_t *v, const char *want) {
  char *text = dumps(v);
  assert_non_null(text);
  assert_string_equal(text, want);
  free(text);
}

/* ------------------------------------------------ a temporary results file */

typedef struct edited {
  char dir[64];
  char path[96];
} edited;

/*
 * Sets the member at path ("implementations/0/status": object keys and
 * array indices) of doc to value (JSON text), or removes it (value NULL).
 */
static void set_at(json_t *doc, const char *path, const char *value) {
  char *copy = xstrdup(path);
  json_t *parent = doc;
  char *key = copy;
  for (char *slash; (slash = strchr(key, '/')) != NULL; key = slash + 1) {
    *slash = '\0';
    parent = json_is_array(parent) ? json_array_get(parent, strtoul(key, NULL, 10))
                                   : json_object_get(parent, key);
    assert_non_null(parent);
  }
  json_error_t err;
  json_t *v = value ? json_loads(value, JSON_DECODE_ANY, &err) : NULL;
  if (value && !v)
    fail_msg("bad test value %s: %s", value, err.text);
  if (json_is_array(parent)) {
    size_t index = strtoul(key, NULL, 10);
    assert_int_equal(v ? json_array_set_new(parent, index, v) : json_array_remove(parent, index),
                     0);
  } else if (v) {
    json_object_set_new(parent, key, v);
  } else {
    assert_int_equal(json_object_del(parent, key), 0);
  }
  free(copy);
}

/* A copy of the fixture file `from` with one edit, in a fresh directory. */
static void write_edited(edited *e, const char *from, const char *path, const char *value) {
  strcpy(e->dir, "/tmp/conf-scen-XXXXXX");
  assert_non_null(mkdtemp(e->dir));
  snprintf(e->path, sizeof e->path, "%s/edited.json", e->dir);
  json_error_t err;
  json_t *doc = json_load_file(from, 0, &err);
  assert_non_null(doc);
  if (path)
    set_at(doc, path, value);
  assert_int_equal(json_dump_file(doc, e->path, JSON_INDENT(1)), 0);
  json_decref(doc);
}

static void write_text(edited *e, const char *text) {
  strcpy(e->dir, "/tmp/conf-scen-XXXXXX");
  assert_non_null(mkdtemp(e->dir));
  snprintf(e->path, sizeof e->path, "%s/edited.json", e->dir);
  assert_true(write_file(e->path, text, strlen(text)));
}

static void edited_done(edited *e) {
  remove(e->path);
  rmdir(e->dir);
}

/* ------------------------------------------------- joined to the vectors */

static void scenarios_join_the_vector_run(void **state) {
  (void)state;
  run_out o;
  run(&o, "--vectors", FIXTURES "/vectors", "--scenario-results", RESULTS, NULL);
  assert_int_equal(o.status, 1); /* the own fake fails vectors and scenarios */
  assert_non_null(o.results);
  /* the matrix: a scenario row under each implementation, or its status */
  assert_contains(o.stdout_text,
                  "                           mx-match                 2           0           0   "
                  "        0           1\n"
                  "                           scenario                 3           1           1   "
                  "        0           1\n"
                  "                           all                     11           3           1   "
                  "        0           3   wall ");
  assert_contains(o.stdout_text, " restarts; scenarios 4.200 s (driver)\nother ");
  assert_contains(o.stdout_text, "                           scenario                 1           "
                                 "2           1           1           1\n"
                                 "                           all                      5           "
                                 "3           3           4           1   wall ");
  assert_contains(o.stdout_text, "absent                     (not installed)\nparser-only ");
  assert_contains(o.stdout_text, "                           scenario       (no results)\n"
                                 "                           all                      3           "
                                 "0           0           7           0   wall ");
  assert_contains(o.stdout_text,
                  "resolver-only              txt-record     (not installed)\n"
                  "                           policy         (not installed)\n"
                  "                           mx-match       (not installed)\n"
                  "                           scenario                 5           0           0   "
                  "        1           0\n"
                  "                           all                      5           0           0   "
                  "        1           0   scenarios 3.500 s (driver)\n");
  /* side by side: one more row */
  assert_contains(o.stdout_text,
                  "kind            fake          other            absent         parser-only  "
                  "resolver-only\n"
                  "txt-record      2/2           2/0 +1a          not installed  unsupported  "
                  "not installed\n"
                  "policy          4/0 +1e       2/1 +1a          not installed  unsupported  "
                  "not installed\n"
                  "mx-match        2/0 +1e       unsupported      not installed  3/0          "
                  "not installed\n"
                  "scenario        3/1 +1a +1e   1/2 +1a +1u +1e  not installed  no results   "
                  "5/0 +1u\n"
                  "all             11/3 +1a +3e  5/3 +3a +4u +1e  not installed  3/0 +7u      "
                  "5/0 +1u\n");
  /* the own failures list the scenarios after the vectors */
  assert_contains(
      o.stdout_text,
      "FAIL  fake scenario #3 outage-keeps-cache: the policy host fails after the "
      "first fetch: the cached policy still applies\n"
      "      domain: s03.world.test, 2 steps\n"
      "      step 0: expect {\"apply\":\"new\",\"mode\":\"enforce\",\"id\":\"1\",\"mx\":["
      "\"mx1.s03.world.test\"],\"rpt\":\"\",\"mxMatch\":{\"mx1.s03.world.test\":true}}"
      "\n");
  assert_contains(o.stdout_text,
                  "              got    {\"apply\":\"none\",\"mode\":\"none\",\"mx\":"
                  "[],\"rpt\":\"sts-policy-fetch-error\",\"mxMatch\":{}}\n"
                  "      why:    step 1: apply: expected cached, got none\n"
                  "ERROR fake scenario #4 wrong-name-cert: ");
  assert_contains(o.stdout_text, "result: own implementation FAILED");

  /* results.json: statuses per kind, counts with the scenarios in "all" */
  json_t *fake = impl_entry(&o, "fake");
  assert_string_equal(member(fake, "status"), "ran");
  assert_string_equal(member(fake, "scenarioStatus"), "ran");
  assert_json(json_object_get(json_object_get(fake, "kinds"), "scenario"),
              "{\"pass\":3,\"fail\":1,\"acceptable\":1,\"unsupported\":0,\"error\":1}");
  assert_json(json_object_get(fake, "counts"),
              "{\"pass\":11,\"fail\":3,\"acceptable\":1,\"unsupported\":0,\"error\":3}");
  assert_true(json_number_value(json_object_get(fake, "scenarioWallSeconds")) == 4.2);
  assert_null(json_object_get(fake, "kindStatus"));
  json_t *parser_only = impl_entry(&o, "parser-only");
  assert_string_equal(member(parser_only, "scenarioStatus"), "no results");
  assert_json(json_object_get(parser_only, "kindStatus"), "{\"scenario\":\"no results\"}");
  assert_null(json_object_get(parser_only, "failedScenariosByFlag"));
  json_t *resolver_only = impl_entry(&o, "resolver-only");
  assert_string_equal(member(resolver_only, "status"), "ran");
  assert_json(json_object_get(resolver_only, "kindStatus"),
              "{\"txt-record\":\"not installed\",\"policy\":\"not installed\",\"mx-match\":\"not "
              "installed\"}");
  assert_null(json_object_get(resolver_only, "wallSeconds"));
  json_t *absent = impl_entry(&o, "absent");
  assert_string_equal(member(absent, "status"), "not installed");
  assert_string_equal(member(absent, "scenarioStatus"), "not installed");
  assert_null(json_object_get(absent, "counts"));
  assert_json(json_object_get(o.results, "vectors"),
              "{\"txt-record\":4,\"policy\":5,\"mx-match\":3}");
  assert_int_equal(
      json_integer_value(json_object_get(json_object_get(o.results, "scenarios"), "count")), 6);

  /* results.json rows: in the scenarios file's order, whatever the driver's */
  char *v = scenario_verdicts(&o, "other");
  assert_string_equal(v, "1:pass 2:fail 3:fail 4:unsupported 5:error 6:acceptable");
  free(v);
  v = scenario_verdicts(&o, "fake");
  assert_string_equal(v, "1:pass 2:pass 3:fail 4:error 5:pass 6:acceptable");
  free(v);
  v = scenario_verdicts(&o, "absent");
  assert_string_equal(v, "");
  free(v);
  json_t *r = scenario_row(&o, "other", 2);
  assert_non_null(r);
  assert_string_equal(member(r, "name"), "rotation");
  assert_string_equal(member(r, "domain"), "s02.world.test");
  assert_string_equal(member(r, "reason"), "step 1: apply: expected new, got cached");
  assert_json(json_object_get(r, "flags"), "[\"Rotation\",\"Cache\"]");
  json_t *step1 = json_array_get(json_object_get(r, "steps"), 1);
  assert_json(json_object_get(step1, "got"),
              "{\"apply\":\"cached\",\"mode\":\"testing\",\"mx\":[\"mx1.s02.world.test\"]}");
  assert_json(
      json_object_get(step1, "expect"),
      "{\"apply\":\"new\",\"mode\":\"enforce\",\"id\":\"2\",\"mx\":[\"mx1.s02.world.test\"],"
      "\"rpt\":\"\",\"mxMatch\":{\"mx1.s02.world.test\":true}}");
  assert_null(json_object_get(scenario_row(&o, "fake", 1), "reason"));
  assert_json(json_object_get(
                  json_array_get(json_object_get(scenario_row(&o, "other", 5), "steps"), 0), "got"),
              "null");
  /* an external's failed scenarios by flag: most first, by name, no flag last */
  assert_json(json_object_get(impl_entry(&o, "other"), "failedScenariosByFlag"),
              "{\"failed\":3,\"groups\":["
              "{\"flag\":\"Cache\",\"rfc\":\"RFC 8461 §5.1\",\"count\":2,\"scenarios\":["
              "{\"tcId\":2,\"name\":\"rotation\",\"verdict\":\"fail\",\"reason\":\"step 1: apply: "
              "expected new, got cached\"},"
              "{\"tcId\":3,\"name\":\"outage-keeps-cache\",\"verdict\":\"fail\",\"reason\":\"step "
              "1: apply: expected cached, got none\"}]},"
              "{\"flag\":\"Outage\",\"rfc\":\"RFC 8461 §5.1\",\"count\":1,\"scenarios\":["
              "{\"tcId\":3,\"name\":\"outage-keeps-cache\",\"verdict\":\"fail\",\"reason\":\"step "
              "1: apply: expected cached, got none\"}]},"
              "{\"flag\":\"Rotation\",\"rfc\":\"RFC 8461 §3.1\",\"count\":1,\"scenarios\":["
              "{\"tcId\":2,\"name\":\"rotation\",\"verdict\":\"fail\",\"reason\":\"step 1: apply: "
              "expected new, got cached\"}]},"
              "{\"flag\":null,\"rfc\":null,\"count\":1,\"scenarios\":["
              "{\"tcId\":5,\"name\":\"testing-mode\",\"verdict\":\"error\",\"reason\":\"step 0: no "
              "answer within 30 s\"}]}]}");
  /* the vectors' own groups keep only vectors */
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(impl_entry(&o, "other"), "failedByFlag"), "failed")),
                   1);

  /* JUnit: a suite per implementation, vectors and scenarios together */
  char *junit = report_file(&o, "junit.xml");
  assert_contains(junit, "<testsuites name=\"mtasts-conformance\" tests=\"50\" failures=\"6\" "
                         "errors=\"4\" skipped=\"12\">");
  assert_contains(junit, "<testsuite name=\"fake\" tests=\"18\" failures=\"3\" errors=\"3\" "
                         "skipped=\"0\"");
  assert_contains(junit,
                  "<testsuite name=\"resolver-only\" tests=\"6\" failures=\"0\" errors=\"0\" "
                  "skipped=\"1\" time=\"3.500\">");
  assert_contains(junit,
                  "<testcase classname=\"other.scenario\" name=\"scenario #2 rotation: the id "
                  "changes and the new policy replaces the cached one\" time=\"0\">\n"
                  "      <failure message=\"step 1: apply: expected new, got cached\">"
                  "domain: s02.world.test, 2 steps\nstep 0: expect ");
  assert_contains(junit,
                  "<testcase classname=\"other.scenario\" name=\"scenario #4 "
                  "wrong-name-cert: the policy host&#39;s certificate names another host: no "
                  "policy, a webpki report\" time=\"0\">\n      <skipped ");
  free(junit);

  /* Markdown: the scenario table and the externals' failures by flag */
  char *md = report_file(&o, "report.md");
  assert_contains(md, "| resolver-only | txt-record: *not installed* | | | | | |\n");
  assert_contains(md, "| parser-only | scenario: *no results* | | | | | |\n");
  assert_contains(md, "| scenario | 3/1 +1a +1e | 1/2 +1a +1u +1e | not installed | no results | "
                      "5/0 +1u |\n");
  assert_contains(md,
                  "| tcId | name | fake | other | absent | parser-only | resolver-only |\n"
                  "|---:|---|---|---|---|---|---|\n"
                  "| 1 | enforce-basic | pass | pass | not installed | no results | pass |\n"
                  "| 2 | rotation | pass | fail | not installed | no results | pass |\n"
                  "| 3 | outage-keeps-cache | fail | fail | not installed | no results | pass |\n"
                  "| 4 | wrong-name-cert | error | unsupported | not installed | no results | "
                  "unsupported |\n"
                  "| 5 | testing-mode | pass | error | not installed | no results | pass |\n"
                  "| 6 | refresh-after-expiry | acceptable | acceptable | not installed | no "
                  "results | pass |\n");
  assert_contains(md, "| fake | 3 | outage-keeps-cache | fail | step 1: apply: expected cached, "
                      "got none |\n| fake | 4 | wrong-name-cert | error | step 0: adapter closed "
                      "its output |\n");
  assert_contains(md, "#### other: 3 failed\n\n##### Cache (RFC 8461 §5.1): 2\n\n"
                      "| tcId | name | verdict | why |\n|---:|---|---|---|\n"
                      "| 2 | rotation | fail | step 1: apply: expected new, got cached |\n"
                      "| 3 | outage-keeps-cache | fail | step 1: apply: expected cached, got none "
                      "|\n");
  assert_contains(md, "##### no flag: 1\n\n| tcId | name | verdict | why |\n|---:|---|---|---|\n"
                      "| 5 | testing-mode | error | step 0: no answer within 30 s |\n");
  assert_contains(md, "#### resolver-only: 0 failed\n\nNone.\n");
  /* the vector lists stay vectors */
  assert_true(strstr(md, "| fake | scenario | 3 | strict |") == NULL);
  free(md);
  run_done(&o);
}

/* ------------------------------------------------------ scenarios alone */

static void scenario_only_report(void **state) {
  (void)state;
  run_out o;
  run(&o, "--vectors", NO_VECTORS, "--scenario-results", RESULTS, NULL);
  assert_int_equal(o.status, 1);
  assert_contains(o.stdout_text, "mtasts-conformance: no vectors in " NO_VECTORS
                                 ": scenarios only\nmtasts-conformance: 6 scenarios from " SCENARIOS
                                 "; the scenario driver's results: " RESULTS "\n");
  /* no adapter was started, no probe run: the results file says it all */
  assert_true(strstr(o.stdout_text, "wall time") == NULL);
  assert_true(strstr(o.stdout_text, "availability probe") == NULL);
  assert_contains(
      o.stdout_text,
      "implementation             kind                  pass        fail  acceptable unsupported "
      "      error\n"
      "fake                       scenario                 3           1           1           0   "
      "        1\n"
      "                           all                      3           1           1           0   "
      "        1   scenarios 4.200 s (driver)\n"
      "other                      scenario                 1           2           1           1   "
      "        1\n"
      "                           all                      1           2           1           1   "
      "        1   scenarios 7.250 s (driver)\n"
      "absent                     (not installed)\n"
      "parser-only                (no results)\n"
      "resolver-only              scenario                 5           0           0           1   "
      "        0\n"
      "                           all                      5           0           0           1   "
      "        0   scenarios 3.500 s (driver)\n\n"
      "side by side (cells: pass/fail, then +Na acceptable, +Nu unsupported, +Ne error):\n"
      "kind            fake         other            absent         parser-only  resolver-only\n"
      "scenario        3/1 +1a +1e  1/2 +1a +1u +1e  not installed  no results   5/0 +1u\n"
      "all             3/1 +1a +1e  1/2 +1a +1u +1e  not installed  no results   5/0 +1u\n");
  assert_contains(o.stdout_text,
                  "-- other: 3 scenarios failed, by flag (a scenario appears under each of its "
                  "flags) --\n"
                  "  Cache (RFC 8461 §5.1): 2\n"
                  "    scenario #2 rotation: step 1: apply: expected new, got cached\n"
                  "    scenario #3 outage-keeps-cache: step 1: apply: expected cached, got none\n"
                  "  Outage (RFC 8461 §5.1): 1\n"
                  "    scenario #3 outage-keeps-cache: step 1: apply: expected cached, got none\n"
                  "  Rotation (RFC 8461 §3.1): 1\n"
                  "    scenario #2 rotation: step 1: apply: expected new, got cached\n"
                  "  no flag: 1\n"
                  "    ERROR scenario #5 testing-mode: step 0: no answer within 30 s\n");
  assert_true(strstr(o.stdout_text, "vectors failed") == NULL);
  assert_json(json_object_get(o.results, "vectors"), "{}");
  json_t *fake = impl_entry(&o, "fake");
  assert_string_equal(member(fake, "status"), "ran");
  assert_null(json_object_get(fake, "wallSeconds"));
  assert_null(json_object_get(impl_entry(&o, "other"), "failedByFlag"));
  assert_string_equal(member(impl_entry(&o, "parser-only"), "status"), "no results");
  assert_int_equal(json_array_size(json_object_get(o.results, "results")), 18);
  char *junit = report_file(&o, "junit.xml");
  assert_contains(junit, "<testsuites name=\"mtasts-conformance\" tests=\"18\" failures=\"3\" "
                         "errors=\"2\" skipped=\"2\">\n"
                         "  <testsuite name=\"fake\" tests=\"6\" failures=\"1\" errors=\"1\" "
                         "skipped=\"0\" time=\"4.200\">\n");
  free(junit);
  char *md = report_file(&o, "report.md");
  /* the vector-only sections are left out */
  assert_true(strstr(md, "## Acceptable differences") == NULL);
  assert_contains(md, "| absent | *not installed* | | | | | |\n"
                      "| parser-only | *no results* | | | | | |\n");
  free(md);
  run_done(&o);
}

/* The own implementation's scenario verdicts decide the exit status like
 * its vectors: fail or error is 1, and so is unsupported (our resolver must
 * run every scenario); acceptable is not. */
static void own_scenario_verdicts_decide_the_exit_status(void **state) {
  (void)state;
  static const struct {
    const char *row3, *row4; /* fake's verdicts for tcIds 3 and 4 */
    const char *counts;
    int status;
    const char *says;
  } cases[] = {
      {"pass", "pass",
       "{\"pass\": 5, \"fail\": 0, \"acceptable\": 1, \"unsupported\": 0, \"error\": 0}", 0,
       "result: own implementation passed every scenario it ran"},
      {"pass", "unsupported",
       "{\"pass\": 4, \"fail\": 0, \"acceptable\": 1, \"unsupported\": 1, \"error\": 0}", 1,
       "result: own implementation FAILED"},
      {"fail", "pass",
       "{\"pass\": 4, \"fail\": 1, \"acceptable\": 1, \"unsupported\": 0, \"error\": 0}", 1,
       "result: own implementation FAILED"},
      {"pass", "error",
       "{\"pass\": 4, \"fail\": 0, \"acceptable\": 1, \"unsupported\": 0, \"error\": 1}", 1,
       "result: own implementation FAILED"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    /* results[2] and [3] are fake's tcIds 3 and 4 */
    json_error_t err;
    json_t *doc = json_load_file(RESULTS, 0, &err);
    assert_non_null(doc);
    char verdict[32];
    snprintf(verdict, sizeof verdict, "\"%s\"", cases[i].row3);
    set_at(doc, "results/2/verdict", verdict);
    snprintf(verdict, sizeof verdict, "\"%s\"", cases[i].row4);
    set_at(doc, "results/3/verdict", verdict);
    set_at(doc, "implementations/0/counts", cases[i].counts);
    edited e;
    write_text(&e, "");
    assert_int_equal(json_dump_file(doc, e.path, 0), 0);
    json_decref(doc);
    run_out o;
    run(&o, "--vectors", NO_VECTORS, "--scenario-results", e.path, NULL);
    if (o.status != cases[i].status)
      fprintf(stderr, "case %zu: exit %d\n%s", i, o.status, o.stdout_text);
    assert_int_equal(o.status, cases[i].status);
    assert_contains(o.stdout_text, cases[i].says);
    run_done(&o);
    edited_done(&e);
  }
}

/* Own vectors that all pass do not hide a failed own scenario. */
static void own_vectors_pass_own_scenario_fails(void **state) {
  (void)state;
  static const char impls[] =
      "[{\"name\": \"fake\", \"own\": true, \"command\": [\"${build}/conformance-fake-adapter\", "
      "\"--vectors\", \"${root}/fixtures/vectors\"], \"kinds\": [\"txt-record\", \"policy\", "
      "\"mx-match\"], \"profiles\": [\"strict\", \"lenient\"], \"acceptable\": "
      "[\"R1-WspBeforeDelim\"]},"
      "{\"name\": \"other\", \"command\": [\"x\"], \"kinds\": [\"policy\"]},"
      "{\"name\": \"absent\", \"command\": [\"x\"], \"kinds\": [\"policy\"]},"
      "{\"name\": \"resolver-only\", \"command\": [\"x\"], \"kinds\": [\"policy\"]}]";
  run_out o;
  run_impls(&o, impls, "--vectors", FIXTURES "/vectors", "--only", "fake", "--scenario-results",
            RESULTS, NULL);
  assert_int_equal(o.status, 1);
  assert_contains(o.stdout_text, "                           all                     15           "
                                 "1           1           0           1   wall ");
  assert_contains(o.stdout_text, "-- fake: failures and errors --\nFAIL  fake scenario #3 ");
  assert_contains(o.stdout_text, "result: own implementation FAILED");
  run_done(&o);
  /* --only leaves the others' scenarios out too */
  run(&o, "--vectors", FIXTURES "/vectors", "--only", "parser-only,resolver-only",
      "--scenario-results", RESULTS, NULL);
  assert_int_equal(o.status, 0); /* externals never fail the run */
  assert_string_equal(member(impl_entry(&o, "fake"), "scenarioStatus"), "skipped");
  assert_string_equal(member(impl_entry(&o, "other"), "status"), "skipped");
  char *v = scenario_verdicts(&o, "fake");
  assert_string_equal(v, "");
  free(v);
  v = scenario_verdicts(&o, "resolver-only");
  assert_string_equal(v, "1:pass 2:pass 3:pass 4:unsupported 5:pass 6:pass");
  free(v);
  assert_contains(o.stdout_text, "result: no own implementation ran");
  run_done(&o);
}

/* --scenarios names another scenarios file than the results file does. */
static void scenarios_option_overrides_the_results_file(void **state) {
  (void)state;
  edited e;
  write_edited(&e, SCENARIOS, "testGroups/0/tests/1/name", "\"renamed\"");
  run_out o;
  run(&o, "--vectors", NO_VECTORS, "--scenario-results", RESULTS, "--scenarios", e.path, NULL);
  assert_int_equal(o.status, 1);
  assert_string_equal(member(scenario_row(&o, "other", 2), "name"), "renamed");
  assert_string_equal(member(json_object_get(o.results, "scenarios"), "file"), e.path);
  run_done(&o);
  edited_done(&e);
}

/* ------------------------------------------------------- malformed files */

typedef struct bad_edit {
  const char *path;  /* member to change, NULL: the whole file is `value` */
  const char *value; /* JSON text; NULL removes the member */
  const char *says;  /* in the message on stderr */
} bad_edit;

static void assert_exit_2(run_out *o, const char *says, size_t i) {
  if (o->status != 2 || !o->stderr_text || !strstr(o->stderr_text, says))
    fprintf(stderr, "case %zu: exit %d, stderr:\n%s\n", i, o->status,
            o->stderr_text ? o->stderr_text : "");
  assert_int_equal(o->status, 2);
  assert_null(o->results); /* nothing ran, nothing written */
  assert_contains(o->stderr_text, says);
}

static void malformed_results_exit_2(void **state) {
  (void)state;
  static const bad_edit bad[] = {
      {NULL, "{\"format\": ", "edited.json:1: "},
      {NULL, "[]", "edited.json: not a JSON object"},
      {"format", "\"mtasts-scenario-results/2\"",
       "edited.json: format must be \"mtasts-scenario-results/1\""},
      {"format", NULL, "format must be \"mtasts-scenario-results/1\""},
      {"scenarios", NULL, "scenarios must be the path of the scenarios file (a string)"},
      {"scenarios", "\"fixtures/scenarios/none.json\"", "fixtures/scenarios/none.json"},
      {"numberOfScenarios", "\"6\"", "numberOfScenarios must be a non-negative integer"},
      {"numberOfScenarios", "7", "numberOfScenarios is 7 but " SCENARIOS " has 6 scenarios"},
      {"implementations", "{}", "implementations must be an array"},
      {"results", NULL, "results must be an array"},
      {"implementations/0/name", "\"ghost\"",
       "implementations[0]: \"ghost\" is not in the implementations file"},
      {"implementations/0/name", NULL, "implementations[0]: needs a name"},
      {"implementations/0/status", "\"installed\"",
       "implementations[0] (fake): status must be ran, not-installed or skipped"},
      {"implementations/0/wall_seconds", NULL,
       "implementations[0] (fake): wall_seconds must be a non-negative number"},
      {"implementations/0/wall_seconds", "-1", "wall_seconds must be a non-negative number"},
      {"implementations/1/counts/error", NULL,
       "implementations[1] (other): counts must give every verdict as a non-negative integer"},
      {"implementations/2/name", "\"fake\"", "implementations[2] (fake): listed twice"},
      {"implementations/0/counts/pass", "4",
       "implementations[0] (fake): counts.pass is 4 but its results have 3"},
      {"results/0/impl", "\"absent\"",
       "results[0]: absent did not run (its status is not ran) but has a result"},
      {"results/0/impl", "\"parser-only\"",
       "results[0]: impl must name an implementation of implementations[]"},
      {"results/0/tcId", "99", "results[0]: tcId 99 is not a scenario of " SCENARIOS},
      {"results/0/tcId", "\"1\"", "results[0]: needs an integer tcId"},
      {"results/0/tcId", "2", "results[1]: a second result for fake, tcId 2"},
      {"results/5", NULL, "results: fake ran but has no result for tcId 6"},
      {"results/0/verdict", "\"maybe\"",
       "results[0]: verdict must be pass, fail, acceptable, unsupported or error"},
      {"results/0/reason", NULL, "results[0]: reason must be a string or null"},
      {"results/0/reason", "false", "results[0]: reason must be a string or null"},
      {"results/0/steps", "{}", "results[0]: steps must be an array of"},
      {"results/0/steps/0/expect", NULL, "results[0]: steps must be an array of"},
      {"results/0/steps/0/got", NULL, "results[0]: steps must be an array of"},
      {"results/0/steps/0/got", "\"new\"", "results[0]: steps must be an array of"},
      {"results/0/steps/0/step", "-1", "results[0]: steps must be an array of"},
      {"results/0/steps/0/compared", "[1]", "results[0]: steps must be an array of"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    edited e;
    if (bad[i].path)
      write_edited(&e, RESULTS, bad[i].path, bad[i].value);
    else
      write_text(&e, bad[i].value);
    run_out o;
    run(&o, "--vectors", FIXTURES "/vectors", "--scenario-results", e.path, NULL);
    assert_exit_2(&o, bad[i].says, i);
    /* a bad results file stops the run before any adapter starts */
    assert_true(strstr(o.stdout_text, "wall time") == NULL);
    run_done(&o);
    edited_done(&e);
  }
}

static void malformed_scenarios_exit_2(void **state) {
  (void)state;
  static const bad_edit bad[] = {
      {"kind", "\"txt-record\"", "edited.json: kind must be \"scenario\""},
      {"testGroups", NULL, "edited.json: no testGroups array"},
      {"testGroups/0/tests", NULL, "edited.json: test group 0 has no tests array"},
      {"testGroups/0/tests/1/tcId", "1", "edited.json: tcId 1 appears twice"},
      {"testGroups/0/tests/0/tcId", "\"1\"", "edited.json: scenario 0 has no integer tcId"},
      {"testGroups/0/tests/0/name", NULL, "scenario 1 needs a name, a domain and steps"},
      {"testGroups/0/tests/0/domain", "7", "scenario 1 needs a name, a domain and steps"},
      {"testGroups/0/tests/2/flags", "\"Cache\"", "scenario 3: flags must be an array of strings"},
      {"testGroups/0/tests/2/comment", "[]", "scenario 3: comment must be a string"},
      /* consistent, but not the file the results are about */
      {"testGroups/0/tests/5", NULL, "numberOfScenarios is 6 but "},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    edited e;
    write_edited(&e, SCENARIOS, bad[i].path, bad[i].value);
    run_out o;
    run(&o, "--vectors", FIXTURES "/vectors", "--scenario-results", RESULTS, "--scenarios", e.path,
        NULL);
    assert_exit_2(&o, bad[i].says, i);
    run_done(&o);
    edited_done(&e);
  }
}

static void bad_usage_exits_2(void **state) {
  (void)state;
  static const struct {
    const char *args[6];
    const char *says;
  } cases[] = {
      {{"--scenarios", SCENARIOS, NULL}, "--scenarios needs --scenario-results"},
      {{"--scenario-results", RESULTS, "--diff", "txt-record", FIXTURES "/diff/txt-record", NULL},
       "--scenario-results is not used with --diff"},
      {{"--scenario-results", "/nonexistent/scenario-results.json", NULL},
       "/nonexistent/scenario-results.json:"},
      {{"--scenario-results", NULL}, "--scenario-results needs a value"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *const *a = cases[i].args;
    run_out o;
    run(&o, a[0], a[1], a[2], a[3], a[4], a[5]);
    assert_exit_2(&o, cases[i].says, i);
    run_done(&o);
  }
  /* "scenario" is not a kind an adapter takes, nor one to replay */
  run_out o;
  run_impls(&o, "[{\"name\": \"x\", \"command\": [\"a\"], \"kinds\": [\"policy\", \"scenario\"]}]",
            NULL);
  assert_exit_2(&o, "x: unknown kind \"scenario\"", 0);
  run_done(&o);
  char *impls = fixture_impls();
  run_impls(&o, impls, "--diff", "scenario", FIXTURES "/diff/txt-record", NULL);
  assert_exit_2(&o, "--diff: unknown kind", 1);
  run_done(&o);
  free(impls);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(scenarios_join_the_vector_run),
      cmocka_unit_test(scenario_only_report),
      cmocka_unit_test(own_scenario_verdicts_decide_the_exit_status),
      cmocka_unit_test(own_vectors_pass_own_scenario_fails),
      cmocka_unit_test(scenarios_option_overrides_the_results_file),
      cmocka_unit_test(malformed_results_exit_2),
      cmocka_unit_test(malformed_scenarios_exit_2),
      cmocka_unit_test(bad_usage_exits_2),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
