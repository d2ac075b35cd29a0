/*
 * test_conformance - the runner against the fixture vectors and the fake
 * adapter (good, crashing, hanging, garbage, wrong tcId, wrong answers,
 * missing, not installed), plus unit tests of its pure parts. The runs go
 * through runner_run.h.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "impls.h"
#include "inputs.h"
#include "model.h"
#include "proc.h"
#include "runner_run.h"
#include "text.h"
#include "vectors.h"
#include "verdict.h"

/* ------------------------------------------------------------ helpers */

/* The fake adapter's command line, as impls.json JSON, with extra args. */
#define FAKE_CMD(extra)                                                                            \
  "[\"${build}/conformance-fake-adapter\", \"--vectors\", \"${root}/fixtures/vectors\"" extra "]"

#define ALL_KINDS "[\"txt-record\", \"policy\", \"mx-match\"]"

/* An impls.json with one implementation. */
static char *one_impl(const char *name, bool own, const char *command, const char *kinds,
                      const char *profiles, const char *acceptable, const char *probe) {
  sbuf b;
  sb_init(&b);
  sb_printf(&b,
            "{\"implementations\": [{\"name\": \"%s\", \"own\": %s, \"command\": %s, "
            "\"kinds\": %s, \"profiles\": %s, \"acceptable\": %s",
            name, own ? "true" : "false", command, kinds, profiles, acceptable);
  if (probe)
    sb_printf(&b, ", \"available\": %s", probe);
  sb_puts(&b, "}]}");
  return sb_take(&b);
}

/* Runs the runner on the fixture vectors with impls_text; extra args end
 * with NULL. */
static void run_runner(run_out *o, const char *impls_text, ...) {
  static const char *const base[] = {"--vectors", CONF_TESTS_DIR "/fixtures/vectors", NULL};
  va_list ap;
  va_start(ap, impls_text);
  run_with(o, impls_text, base, "results.json", ap);
  va_end(ap);
}

/* A differential replay with impls_text; arguments (--diff KIND DIR...)
 * end with NULL. Reads diff.json. */
static void run_diff(run_out *o, const char *impls_text, ...) {
  static const char *const base[] = {NULL};
  va_list ap;
  va_start(ap, impls_text);
  run_with(o, impls_text, base, "diff.json", ap);
  va_end(ap);
}

static json_t *impl_entry(const run_out *o, size_t i) {
  return json_array_get(json_object_get(o->results, "implementations"), i);
}

static long long count_of(const run_out *o, size_t impl, const char *kind, const char *verdict) {
  json_t *im = impl_entry(o, impl);
  json_t *counts =
      kind ? json_object_get(json_object_get(im, "kinds"), kind) : json_object_get(im, "counts");
  json_t *n = json_object_get(counts, verdict);
  return json_is_integer(n) ? json_integer_value(n) : -1;
}

/* The result row of one vector. */
static json_t *row(const run_out *o, const char *impl, const char *kind, long long tc_id) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(o->results, "results"), i, r) {
    if (strcmp(json_string_value(json_object_get(r, "impl")), impl) == 0 &&
        strcmp(json_string_value(json_object_get(r, "kind")), kind) == 0 &&
        json_integer_value(json_object_get(r, "tcId")) == tc_id)
      return r;
  }
  return NULL;
}

static const char *verdict_of(const run_out *o, const char *impl, const char *kind,
                              long long tc_id) {
  json_t *r = row(o, impl, kind, tc_id);
  return r ? json_string_value(json_object_get(r, "verdict")) : "(no row)";
}

static const char *reason_of(const run_out *o, const char *impl, const char *kind,
                             long long tc_id) {
  const char *s = json_string_value(json_object_get(row(o, impl, kind, tc_id), "reason"));
  return s ? s : "";
}

/* The fixture has 12 vectors: txt-record 4 (1 lenient), policy 5 (1
 * lenient), mx-match 3. */
enum { FIXTURE_ALL = 12, FIXTURE_STRICT = 10 };

/* ------------------------------------------------------ runner: good */

static void good_adapter_passes_everything(void **state) {
  (void)state;
  char *impls = one_impl("fake", true, FAKE_CMD(", \"--split-at\", \"policy:1\", \"--stderr\""),
                         ALL_KINDS, "[\"strict\", \"lenient\"]", "[\"R1-WspBeforeDelim\"]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 0);
  assert_non_null(o.results);
  assert_int_equal(json_array_size(json_object_get(o.results, "results")), FIXTURE_ALL);
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_ALL);
  assert_int_equal(count_of(&o, 0, "txt-record", "pass"), 4);
  assert_int_equal(count_of(&o, 0, "policy", "pass"), 5);
  assert_int_equal(count_of(&o, 0, "mx-match", "pass"), 3);
  for (const char *const *v =
           (const char *const[]){"fail", "acceptable", "unsupported", "error", NULL};
       *v; v++)
    assert_int_equal(count_of(&o, 0, NULL, *v), 0);
  json_t *im = impl_entry(&o, 0);
  assert_string_equal(json_string_value(json_object_get(im, "status")), "ran");
  assert_int_equal(json_integer_value(json_object_get(im, "restarts")), 0);
  assert_null(json_object_get(im, "adapterExit"));
  /* the NUL inside the mx-match host went through the protocol intact */
  assert_string_equal(verdict_of(&o, "fake", "mx-match", 3), "pass");
  assert_contains(json_string_value(json_object_get(row(&o, "fake", "mx-match", 3), "input")),
                  "host \"a\\x00.example.com\"");
  assert_contains(json_string_value(json_object_get(row(&o, "fake", "policy", 4), "input")),
                  "\"version: STSv1\\rmode: none\\x00\\n\"");
  /* every report file is written */
  const char *files[] = {"junit.xml", "report.md", "report.html", "fake.stderr.log"};
  for (size_t i = 0; i < 4; i++) {
    char path[160];
    snprintf(path, sizeof path, "%s/out/%s", o.dir, files[i]);
    char *text = slurp(path);
    assert_non_null(text);
    if (i == 0) {
      assert_contains(text, "<testsuite name=\"fake\" tests=\"12\" failures=\"0\" errors=\"0\"");
      assert_contains(text,
                      "classname=\"fake.policy\" name=\"policy #4 [strict] bare CR and a NUL\"");
    }
    if (i == 3)
      assert_contains(text, "fake-adapter: request policy 1");
    free(text);
  }
  assert_contains(o.stdout_text, "fake: 12 vectors in ");
  assert_contains(o.stdout_text, "wall time");
  run_done(&o);
  free(impls);
}

/* ------------------------------------------------ runner: misbehaving */

static void crash_is_an_error_and_the_run_goes_on(void **state) {
  (void)state;
  char *impls = one_impl("fake", true, FAKE_CMD(", \"--crash-at\", \"policy:2\""), ALL_KINDS,
                         "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 1);
  assert_string_equal(verdict_of(&o, "fake", "policy", 2), "error");
  assert_contains(reason_of(&o, "fake", "policy", 2), "closed its output");
  assert_contains(reason_of(&o, "fake", "policy", 2), "killed by signal 6");
  assert_int_equal(count_of(&o, 0, NULL, "error"), 1);
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_ALL - 1);
  assert_string_equal(verdict_of(&o, "fake", "policy", 3), "pass"); /* after the restart */
  assert_int_equal(json_integer_value(json_object_get(impl_entry(&o, 0), "restarts")), 1);
  assert_contains(o.stdout_text, "ERROR fake policy #2 [strict] enforce without mx");
  assert_contains(o.stdout_text, "input:  \"version: STSv1\\r\\nmode: enforce\\r\\n");
  run_done(&o);
  free(impls);
}

/* No wall-clock upper bound here: that --timeout 2 is used, not the default
 * 5 s, shows in the outcome. The slow answer comes 3.5 s after its request
 * (fake_adapter.c, SLOW_MS), however loaded the machine: an error under a 2 s
 * timeout, a pass under 5 s. Every other answer has 2 s, hundreds of times
 * what it needs. The lower bound is decided too: the runner waits out each
 * timeout before it gives up. */
static void hang_times_out_and_the_run_goes_on(void **state) {
  (void)state;
  char *impls = one_impl("fake", true,
                         FAKE_CMD(", \"--hang-at\", \"txt-record:2\", \"--slow-at\", \"policy:3\""),
                         ALL_KINDS, "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  double start = now_seconds();
  run_runner(&o, impls, "--timeout", "2", NULL);
  double took = now_seconds() - start;
  assert_int_equal(o.status, 1);
  assert_string_equal(verdict_of(&o, "fake", "txt-record", 2), "error");
  assert_contains(reason_of(&o, "fake", "txt-record", 2), "no answer within the timeout");
  assert_string_equal(verdict_of(&o, "fake", "txt-record", 3), "pass");
  assert_string_equal(verdict_of(&o, "fake", "policy", 3), "error");
  assert_contains(reason_of(&o, "fake", "policy", 3), "no answer within the timeout");
  assert_string_equal(verdict_of(&o, "fake", "policy", 4), "pass");
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_ALL - 2);
  assert_int_equal(json_integer_value(json_object_get(impl_entry(&o, 0), "restarts")), 2);
  assert_true(json_real_value(json_object_get(o.results, "timeoutSeconds")) == 2.0);
  assert_true(took >= 2 * 2.0);
  run_done(&o);
  free(impls);
}

static void garbage_and_wrong_ids_are_errors(void **state) {
  (void)state;
  char *impls = one_impl(
      "fake", true, FAKE_CMD(", \"--garbage-at\", \"mx-match:1\", \"--wrong-id-at\", \"policy:5\""),
      ALL_KINDS, "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 1);
  assert_string_equal(verdict_of(&o, "fake", "mx-match", 1), "error");
  assert_contains(reason_of(&o, "fake", "mx-match", 1), "answer is not JSON: \"this is not JSON\"");
  assert_string_equal(verdict_of(&o, "fake", "policy", 5), "error");
  assert_contains(reason_of(&o, "fake", "policy", 5), "answer is for another tcId (sent 5)");
  assert_string_equal(verdict_of(&o, "fake", "mx-match", 2), "pass");
  assert_int_equal(count_of(&o, 0, NULL, "error"), 2);
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_ALL - 2);
  assert_int_equal(json_integer_value(json_object_get(impl_entry(&o, 0), "restarts")), 2);
  run_done(&o);
  free(impls);
}

static void restarts_are_capped(void **state) {
  (void)state;
  char *impls = one_impl("fake", true, FAKE_CMD(", \"--crash-always\""), ALL_KINDS,
                         "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, "--max-restarts", "3", NULL);
  assert_int_equal(o.status, 1);
  assert_int_equal(count_of(&o, 0, NULL, "error"), FIXTURE_ALL);
  assert_int_equal(json_integer_value(json_object_get(impl_entry(&o, 0), "restarts")), 3);
  assert_contains(reason_of(&o, "fake", "txt-record", 1), "killed by signal 6");
  assert_contains(reason_of(&o, "fake", "mx-match", 3), "not sent: the adapter was restarted 3");
  run_done(&o);
  free(impls);
}

static void missing_command_is_an_error_not_a_hang(void **state) {
  (void)state;
  char *impls = one_impl("ghost", true, "[\"${build}/no-such-adapter\"]", ALL_KINDS, "[\"strict\"]",
                         "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 1);
  assert_int_equal(count_of(&o, 0, NULL, "error"), FIXTURE_STRICT);
  assert_contains(reason_of(&o, "ghost", "txt-record", 1), "cannot execute");
  assert_contains(reason_of(&o, "ghost", "txt-record", 1), "No such file or directory");
  assert_int_equal(json_integer_value(json_object_get(impl_entry(&o, 0), "restarts")), 0);
  run_done(&o);
  free(impls);
}

static void unclean_exit_fails_the_own_run(void **state) {
  (void)state;
  char *impls = one_impl("fake", true, FAKE_CMD(", \"--exit\", \"3\""), ALL_KINDS,
                         "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 1);
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_ALL);
  assert_string_equal(json_string_value(json_object_get(impl_entry(&o, 0), "adapterExit")),
                      "exited with status 3");
  run_done(&o);
  free(impls);
}

/* ------------------------------------------------- runner: verdicts */

static void own_wrong_answers_fail(void **state) {
  (void)state;
  char *impls =
      one_impl("fake", true,
               FAKE_CMD(", \"--wrong-at\", \"policy:1\", \"--wrong-error-at\", \"txt-record:2\", "
                        "\"--wrong-at\", \"txt-record:3\", \"--nul-field-at\", \"txt-record:4\""),
               ALL_KINDS, "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 1);
  assert_string_equal(verdict_of(&o, "fake", "policy", 1), "fail");
  assert_contains(reason_of(&o, "fake", "policy", 1), "expected valid, got invalid");
  /* our own parser must name the error the vector hints at */
  assert_string_equal(verdict_of(&o, "fake", "txt-record", 2), "fail");
  assert_contains(reason_of(&o, "fake", "txt-record", 2),
                  "expected invalid E_TXT_MISSING_ID, got invalid E_WRONG at 7");
  /* and match acceptableResult exactly on acceptable vectors */
  assert_string_equal(verdict_of(&o, "fake", "txt-record", 3), "fail");
  /* bytes the fields should never hold still reach the report intact */
  assert_string_equal(verdict_of(&o, "fake", "txt-record", 4), "fail");
  assert_string_equal(reason_of(&o, "fake", "txt-record", 4),
                      "fields differ: expected {\"id\":\"abc\"}, got {\"id\":\"a\\u0000b\"}");
  assert_int_equal(count_of(&o, 0, NULL, "fail"), 4);
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_ALL - 4);
  assert_contains(o.stdout_text, "FAIL  fake policy #1 [strict] minimal policy");
  run_done(&o);
  free(impls);
}

static void externals_get_acceptable_and_never_fail_the_run(void **state) {
  (void)state;
  /* An external that rejects every acceptable vector it is told to accept,
   * answers one vector wrongly and names errors its own way. */
  char *impls = one_impl("other", false,
                         FAKE_CMD(", \"--wrong-at\", \"mx-match:2\", \"--wrong-error-at\", "
                                  "\"policy:2\", \"--unsupported\", \"txt-record\""),
                         ALL_KINDS, "[\"strict\"]", "[\"R4-KnownFieldBadValue\"]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 0); /* external results never fail the run */
  assert_string_equal(verdict_of(&o, "other", "mx-match", 2), "fail");
  assert_string_equal(verdict_of(&o, "other", "policy", 2), "pass"); /* errorHint is ours only */
  /* R4 is in its acceptable list: it should accept policy 3, but rejects */
  assert_string_equal(verdict_of(&o, "other", "policy", 3), "acceptable");
  assert_contains(reason_of(&o, "other", "policy", 3), "invalid where its acceptable flags");
  assert_int_equal(count_of(&o, 0, "txt-record", "unsupported"), 3);
  assert_null(row(&o, "other", "policy", 5)); /* lenient group not run */
  assert_int_equal(json_array_size(json_object_get(o.results, "results")), FIXTURE_STRICT);
  run_done(&o);
  free(impls);
}

static void externals_accepting_acceptable_vectors(void **state) {
  (void)state;
  char *impls = one_impl("other", false, FAKE_CMD(", \"--accept-acceptable\""), ALL_KINDS,
                         "[\"strict\"]", "[\"R4-KnownFieldBadValue\"]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 0);
  /* accepts, as its flags say: pass, fields compared */
  assert_string_equal(verdict_of(&o, "other", "policy", 3), "pass");
  /* accepts R1 without listing the flag: allowed */
  assert_string_equal(verdict_of(&o, "other", "txt-record", 3), "acceptable");
  assert_int_equal(count_of(&o, 0, NULL, "acceptable"), 1);
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_STRICT - 1);
  run_done(&o);
  free(impls);
}

static void kinds_not_listed_are_unsupported_without_asking(void **state) {
  (void)state;
  char *impls = one_impl("fake", true, FAKE_CMD(", \"--crash-at\", \"policy:1\""), "[\"mx-match\"]",
                         "[\"strict\", \"lenient\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 0); /* policy 1 would crash, but it is never sent */
  assert_int_equal(count_of(&o, 0, "policy", "unsupported"), 5);
  assert_int_equal(count_of(&o, 0, "txt-record", "unsupported"), 4);
  assert_int_equal(count_of(&o, 0, "mx-match", "pass"), 3);
  assert_contains(reason_of(&o, "fake", "policy", 1), "kind not listed");
  run_done(&o);
  free(impls);
}

static void own_adapter_saying_unsupported_is_an_error(void **state) {
  (void)state;
  char *impls = one_impl("fake", true, FAKE_CMD(", \"--unsupported\", \"mx-match\""), ALL_KINDS,
                         "[\"strict\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 1);
  assert_int_equal(count_of(&o, 0, "mx-match", "error"), 3);
  assert_contains(reason_of(&o, "fake", "mx-match", 1), "adapter answered unsupported");
  run_done(&o);
  free(impls);
}

static void not_installed_is_skipped_not_failed(void **state) {
  (void)state;
  const char *impls =
      "{\"implementations\": ["
      "{\"name\": \"fake\", \"own\": true, \"command\": " FAKE_CMD(
          "") ", \"kinds\": " ALL_KINDS ", \"profiles\": [\"strict\", \"lenient\"]},"
              "{\"name\": \"absent\", \"command\": [\"/nonexistent/adapter\"], "
              "\"kinds\": " ALL_KINDS ", \"available\": [\"sh\", \"-c\", \"exit 1\"]}]}";
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 0);
  json_t *absent = impl_entry(&o, 1);
  assert_string_equal(json_string_value(json_object_get(absent, "status")), "not installed");
  assert_null(json_object_get(absent, "counts"));
  assert_null(row(&o, "absent", "policy", 1));
  assert_int_equal(json_array_size(json_object_get(o.results, "results")), FIXTURE_ALL);
  assert_contains(o.stdout_text, "absent: not installed");
  assert_contains(o.stdout_text, "absent                     (not installed)");
  run_done(&o);
}

static void only_selects_implementations(void **state) {
  (void)state;
  const char *impls = "["
                      "{\"name\": \"fake\", \"own\": true, \"command\": " FAKE_CMD(
                          "") ", \"kinds\": " ALL_KINDS "},"
                              "{\"name\": \"crashy\", \"own\": true, \"command\": " FAKE_CMD(
                                  ", \"--crash-always\"") ", \"kinds\": " ALL_KINDS "}]";
  run_out o;
  run_runner(&o, impls, "--only", "fake", NULL);
  assert_int_equal(o.status, 0);
  assert_string_equal(json_string_value(json_object_get(impl_entry(&o, 1), "status")), "skipped");
  assert_int_equal(count_of(&o, 0, NULL, "pass"), FIXTURE_STRICT);
  run_done(&o);
}

static void bad_configuration_exits_2(void **state) {
  (void)state;
  const char *bad[] = {
      "not json",
      "[]",
      "[{\"name\": \"x\", \"command\": [\"a\"], \"kinds\": [\"no-such-kind\"]}]",
      "[{\"name\": \"x y\", \"command\": [\"a\"], \"kinds\": [\"policy\"]}]",
      "[{\"name\": \"x\", \"command\": [], \"kinds\": [\"policy\"]}]",
      "[{\"name\": \"x\", \"command\": [\"a\"], \"kinds\": [\"policy\"], \"profiles\": "
      "[\"loose\"]}]",
      "[{\"name\": \"x\", \"command\": [\"a\"], \"kinds\": [\"policy\"]},"
      " {\"name\": \"x\", \"command\": [\"a\"], \"kinds\": [\"policy\"]}]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    run_out o;
    run_runner(&o, bad[i], NULL);
    if (o.status != 2)
      fprintf(stderr, "config %zu: %s\n", i, bad[i]);
    assert_int_equal(o.status, 2);
    assert_null(o.results);
    run_done(&o);
  }
  char *impls = one_impl("fake", true, FAKE_CMD(""), ALL_KINDS, "[\"strict\"]", "[]", NULL);
  run_out o;
  run_runner(&o, impls, "--vectors", "/nonexistent-vectors", NULL);
  assert_int_equal(o.status, 2); /* no vectors at all is not a pass */
  run_done(&o);
  run_runner(&o, impls, "--timeout", "soon", NULL);
  assert_int_equal(o.status, 2);
  run_done(&o);
  free(impls);
}

static void bad_vector_files_exit_2(void **state) {
  (void)state;
  const char *bad[] = {
      "{\"kind\": \"policy\", \"testGroups\": [",
      "{\"kind\": \"txt-record\", \"testGroups\": []}",
      "{\"kind\": \"policy\"}",
      "{\"kind\": \"policy\", \"testGroups\": [{\"profile\": \"loose\", \"tests\": []}]}",
      "{\"kind\": \"policy\", \"testGroups\": [{\"tests\": [{\"result\": \"valid\"}]}]}",
      /* one element split over two lines: parentheses tell clang so */
      ("{\"kind\": \"policy\", \"testGroups\": [{\"tests\": [{\"tcId\": 1, \"result\": "
       "\"maybe\"}]}]}"),
  };
  char *impls = one_impl("fake", true, FAKE_CMD(""), ALL_KINDS, "[\"strict\"]", "[]", NULL);
  char dir[] = "/tmp/conf-vectors-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/policy.json", dir);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_true(write_file(path, bad[i], strlen(bad[i])));
    run_out o;
    run_runner(&o, impls, "--vectors", dir, NULL);
    if (o.status != 2)
      fprintf(stderr, "vector file %zu: %s\n", i, bad[i]);
    assert_int_equal(o.status, 2);
    assert_null(o.results);
    run_done(&o);
  }
  /* an inconsistent but usable file runs, with warnings */
  const char *odd = "{\"kind\": \"policy\", \"numberOfTests\": 5, \"testGroups\": [{\"tests\": ["
                    "{\"tcId\": 2, \"result\": \"invalid\", \"inputHex\": \"\"},"
                    "{\"tcId\": 1, \"result\": \"invalid\", \"inputHex\": \"\"}]}]}";
  assert_true(write_file(path, odd, strlen(odd)));
  run_out o;
  run_runner(&o, impls, "--vectors", dir, NULL);
  /* the fake answers from the fixture: policy 1 valid (a fail here), 2 invalid */
  assert_int_equal(o.status, 1);
  assert_int_equal(count_of(&o, 0, "policy", "fail"), 1);
  assert_int_equal(count_of(&o, 0, "policy", "pass"), 1);
  assert_string_equal(verdict_of(&o, "fake", "policy", 1), "fail");
  run_done(&o);
  remove(path);
  rmdir(dir);
  free(impls);
}

/* ------------------------------------------- runner: external reports */

static const char *flag_of(const json_t *group) {
  json_t *f = json_object_get(group, "flag");
  return json_is_string(f) ? json_string_value(f) : "(null)";
}

/* One group of failedByFlag: its flag, count and vectors "kind#tcId". */
static void assert_group(const json_t *groups, size_t i, const char *flag, const char *vectors) {
  json_t *g = json_array_get(groups, i);
  assert_non_null(g);
  assert_string_equal(flag_of(g), flag);
  sbuf b;
  sb_init(&b);
  size_t j;
  json_t *v;
  json_array_foreach(json_object_get(g, "vectors"), j, v) {
    sb_printf(&b, "%s%s#%lld", j ? " " : "", json_string_value(json_object_get(v, "kind")),
              json_integer_value(json_object_get(v, "tcId")));
  }
  assert_string_equal(sb_str(&b), vectors);
  assert_int_equal(json_integer_value(json_object_get(g, "count")),
                   json_array_size(json_object_get(g, "vectors")));
  sb_free(&b);
}

static void externals_failures_grouped_by_flag(void **state) {
  (void)state;
  /* policy 4 has flags R6-BareCR and Nul, mx-match 2 R13-WildcardOneLabel,
   * mx-match 3 Nul; policy 1 and txt-record 1 have none. */
  const char *impls =
      "{\"implementations\": ["
      "{\"name\": \"fake\", \"own\": true, \"command\": " FAKE_CMD(
          "") ", \"kinds\": " ALL_KINDS ", \"profiles\": [\"strict\", \"lenient\"]},"
              "{\"name\": \"other\", \"command\": " FAKE_CMD(
                  ", \"--wrong-at\", \"policy:4\", \"--wrong-at\", \"mx-match:2\", \"--wrong-at\", "
                  "\"mx-match:3\", \"--wrong-at\", \"policy:1\", \"--crash-at\", "
                  "\"txt-record:1\"") ", \"kinds\": " ALL_KINDS "},"
                                      "{\"name\": \"absent\", \"command\": [\"/nonexistent\"], "
                                      "\"kinds\": " ALL_KINDS
                                      ", \"available\": [\"sh\", \"-c\", \"exit 1\"]}]}";
  run_out o;
  run_runner(&o, impls, NULL);
  assert_int_equal(o.status, 0);
  json_t *fb = json_object_get(impl_entry(&o, 1), "failedByFlag");
  assert_int_equal(json_integer_value(json_object_get(fb, "failed")), 5);
  json_t *groups = json_object_get(fb, "groups");
  assert_int_equal(json_array_size(groups), 4);
  /* most failures first, then by name, "no flag" last; vectors in run order */
  assert_group(groups, 0, "Nul", "policy#4 mx-match#3");
  assert_group(groups, 1, "R13-WildcardOneLabel", "mx-match#2");
  assert_group(groups, 2, "R6-BareCR", "policy#4");
  assert_group(groups, 3, "(null)", "txt-record#1 policy#1");
  json_t *first = json_array_get(json_object_get(json_array_get(groups, 3), "vectors"), 0);
  assert_string_equal(json_string_value(json_object_get(first, "verdict")), "error");
  assert_string_equal(json_string_value(json_object_get(first, "rfc")), "RFC 8461 §3.1");
  /* the own implementation has no such list; rows carry their RFC section */
  assert_null(json_object_get(impl_entry(&o, 0), "failedByFlag"));
  assert_string_equal(json_string_value(json_object_get(row(&o, "other", "mx-match", 2), "rfc")),
                      "RFC 8461 §4.1");

  /* terminal: side by side, then the groups */
  assert_contains(o.stdout_text, "kind            fake  other        absent\n"
                                 "txt-record      4/0   1/0 +1a +1e  not installed\n"
                                 "policy          5/0   2/2          not installed\n"
                                 "mx-match        3/0   1/2          not installed\n"
                                 "all             12/0  4/4 +1a +1e  not installed\n");
  assert_contains(o.stdout_text, "-- other: 5 vectors failed, by flag");
  assert_contains(o.stdout_text,
                  "  Nul: 2\n    policy #4  RFC 8461 §3.2  \"version: STSv1\\rmode: none\\x00\\n\" "
                  "-> valid; expected invalid\n    mx-match #3  RFC 8461 §4.1");
  assert_contains(o.stdout_text, "  no flag: 2\n    ERROR txt-record #1  RFC 8461 §3.1  \"v=STSv1; "
                                 "id=abc;\" -> no answer (adapter closed its output");
  assert_true(strstr(o.stdout_text, "-- fake:") == NULL);    /* nothing failed */
  assert_true(strstr(o.stdout_text, "FAIL  other") == NULL); /* externals: grouped only */

  char path[160];
  snprintf(path, sizeof path, "%s/out/report.md", o.dir);
  char *md = slurp(path);
  assert_contains(md, "## Side by side");
  assert_contains(md, "| policy | 5/0 | 2/2 | not installed |");
  assert_contains(md, "### other: 5 failed");
  assert_contains(md, "#### Nul (2)\n\n| kind | tcId | RFC | comment | input | expected | got |");
  assert_contains(md, "| mx-match | 2 | RFC 8461 §4.1 | wildcard does not match the parent | "
                      "`pattern \"*.example.com\" host \"example.com\"` | invalid | valid |");
  assert_contains(md, "#### no flag (2)");
  free(md);
  run_done(&o);
}

/* The real impls.json on a machine without Node.js (no node on PATH): the
 * npm-based implementations are "not installed", never a failure. */
static void real_externals_without_node_are_not_installed(void **state) {
  (void)state;
  char *impls = slurp(CONF_SOURCE_ROOT "/conformance/impls.json");
  assert_non_null(impls);
  char *saved = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
  setenv("PATH", "/nonexistent-bin", 1);
  run_out o;
  run_runner(&o, impls, "--root", CONF_SOURCE_ROOT, "--build", CONF_BUILD_ROOT, "--only",
             "mailauth,email-domain-check", NULL);
  if (saved)
    setenv("PATH", saved, 1);
  free(saved);
  assert_int_equal(o.status, 0);
  assert_contains(o.stdout_text, "mailauth: not installed (its availability probe failed); "
                                 "skipped\nemail-domain-check: not installed");
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(o.results, "implementations"), i, im) {
    const char *name = json_string_value(json_object_get(im, "name"));
    const char *status = json_string_value(json_object_get(im, "status"));
    if (strcmp(name, "mailauth") == 0 || strcmp(name, "email-domain-check") == 0)
      assert_string_equal(status, "not installed");
    else
      assert_string_equal(status, "skipped");
  }
  assert_int_equal(json_array_size(json_object_get(o.results, "results")), 0);
  assert_contains(o.stdout_text, "not installed  not installed\n");
  run_done(&o);
  free(impls);
}

/* ------------------------------------------- differential replay */

#define DIFF_DIR CONF_TESTS_DIR "/fixtures/diff/txt-record"

static char *fixture_impls(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/fixtures/%s", CONF_TESTS_DIR, name);
  char *text = slurp(path);
  assert_non_null(text);
  return text;
}

static json_t *diff_class(const run_out *o, size_t i) {
  return json_array_get(json_object_get(o->results, "classes"), i);
}

/* A class: its verdict tuple "own | other", count, kind and example file. */
static void assert_class(const run_out *o, size_t i, const char *verdicts, long long count,
                         bool disagreement, const char *example) {
  json_t *c = diff_class(o, i);
  assert_non_null(c);
  assert_int_equal(json_integer_value(json_object_get(c, "id")), (long long)i + 1);
  sbuf b;
  sb_init(&b);
  const char *name;
  json_t *v;
  json_object_foreach(json_object_get(c, "verdicts"), name, v) {
    sb_printf(&b, "%s%s", b.len ? " | " : "", json_string_value(v));
  }
  assert_string_equal(sb_str(&b), verdicts);
  sb_free(&b);
  assert_int_equal(json_integer_value(json_object_get(c, "count")), count);
  assert_int_equal(json_is_true(json_object_get(c, "disagreement")), disagreement);
  const char *path = json_string_value(json_object_get(json_object_get(c, "example"), "path"));
  assert_string_equal(path, example);
}

static long long answers_of(const run_out *o, size_t impl, const char *answer) {
  json_t *n = json_object_get(json_object_get(impl_entry(o, impl), "answers"), answer);
  return json_is_integer(n) ? json_integer_value(n) : -1;
}

static void diff_groups_inputs_by_answers(void **state) {
  (void)state;
  char *impls = fixture_impls("impls-diff.json");
  run_out o;
  run_diff(&o, impls, "--diff", "txt-record", DIFF_DIR, NULL);
  assert_int_equal(o.status, 0); /* disagreements are findings, not failures */
  assert_non_null(o.results);
  json_t *inputs = json_object_get(o.results, "inputs");
  /* .hidden and sub/ are not inputs; the empty file is skipped as the
   * fuzz harnesses skip it */
  assert_int_equal(json_integer_value(json_object_get(inputs, "files")), 9);
  assert_int_equal(json_integer_value(json_object_get(inputs, "sent")), 8);
  assert_int_equal(
      json_integer_value(json_object_get(json_object_get(inputs, "skipped"), "empty fuzz input")),
      1);
  assert_string_equal(json_string_value(json_object_get(impl_entry(&o, 2), "status")),
                      "kind not supported");
  assert_string_equal(json_string_value(json_object_get(impl_entry(&o, 3), "status")),
                      "not installed");
  assert_int_equal(answers_of(&o, 0, "valid"), 5);
  assert_int_equal(answers_of(&o, 0, "invalid"), 3);
  assert_int_equal(answers_of(&o, 1, "valid"), 4);
  assert_int_equal(answers_of(&o, 1, "invalid"), 2);
  assert_int_equal(answers_of(&o, 1, "unsupported"), 1);
  assert_int_equal(answers_of(&o, 1, "error"), 1);
  assert_int_equal(json_integer_value(json_object_get(impl_entry(&o, 1), "restarts")), 1);

  /* disagreements first, most inputs first, then by first input */
  assert_int_equal(json_array_size(json_object_get(o.results, "classes")), 6);
  assert_class(&o, 0, "valid [A] | valid [B: id]", 2, true, DIFF_DIR "/dup-short");
  assert_class(&o, 1, "valid | error", 1, true, DIFF_DIR "/boom");
  assert_class(&o, 2, "invalid | valid", 1, true, DIFF_DIR "/upper-v");
  assert_class(&o, 3, "invalid | invalid", 2, false, DIFF_DIR "/agree-invalid");
  assert_class(&o, 4, "valid | valid", 1, false, DIFF_DIR "/agree-valid");
  /* unsupported is a gap, not a disagreement */
  assert_class(&o, 5, "valid | unsupported", 1, false, DIFF_DIR "/maybe");
  json_t *summary = json_object_get(o.results, "summary");
  assert_int_equal(json_integer_value(json_object_get(summary, "disagreements")), 3);
  assert_int_equal(json_integer_value(json_object_get(summary, "disagreeingInputs")), 4);
  assert_int_equal(json_integer_value(json_object_get(summary, "agreements")), 3);
  assert_int_equal(json_integer_value(json_object_get(summary, "agreeingInputs")), 4);

  /* the shortest example, without its flags byte, and every answer to it */
  json_t *ex = json_object_get(diff_class(&o, 0), "example");
  assert_int_equal(json_integer_value(json_object_get(ex, "bytes")), 19);
  assert_string_equal(json_string_value(json_object_get(ex, "input")), "\"v=STSv1; id=a; id=b\"");
  json_t *answers = json_object_get(ex, "answers");
  assert_string_equal(json_string_value(json_object_get(
                          json_object_get(json_object_get(answers, "own"), "fields"), "id")),
                      "a");
  assert_string_equal(json_string_value(json_object_get(
                          json_object_get(json_object_get(answers, "other"), "fields"), "id")),
                      "b");
  json_t *crash = json_object_get(
      json_object_get(json_object_get(diff_class(&o, 1), "example"), "answers"), "other");
  assert_string_equal(json_string_value(json_object_get(crash, "result")), "error");
  assert_contains(json_string_value(json_object_get(crash, "reason")), "killed by signal 6");
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(diff_class(&o, 2), "example"), "input")),
      "\"V=STSv1; id=q\\r\\n\"");
  json_t *members = json_object_get(diff_class(&o, 0), "inputs");
  assert_int_equal(json_array_size(members), 2);
  assert_string_equal(json_string_value(json_array_get(members, 0)), DIFF_DIR "/dup-long");

  /* terminal */
  assert_contains(o.stdout_text,
                  "differential replay of txt-record (profile strict, fuzz format): "
                  "8 inputs from " DIFF_DIR "\nfiles: 9; skipped: 1 empty fuzz input\n");
  assert_contains(o.stdout_text, "  policy-only                (kind not supported)\n"
                                 "  absent                     (not installed)\n");
  assert_contains(o.stdout_text,
                  "3 disagreement classes over 4 inputs; 3 agreement classes over 4 inputs");
  assert_contains(o.stdout_text, "#1  2 inputs   shortest: " DIFF_DIR "/dup-short (19 bytes)\n"
                                 "    input: \"v=STSv1; id=a; id=b\"\n"
                                 "    own             valid [A]      valid {\"id\":\"a\"}\n"
                                 "    other           valid [B: id]  valid {\"id\":\"b\"}\n");
  assert_contains(o.stdout_text, "  #6  1 input: valid | unsupported\n");

  char path[160];
  snprintf(path, sizeof path, "%s/out/diff.md", o.dir);
  char *md = slurp(path);
  assert_contains(md, "| **1** | 2 | valid [A] | valid [B: id] | `\"v=STSv1; id=a; id=b\"` |");
  assert_contains(md, "| 4 | 2 | invalid | invalid | `\"hello\"` |");
  assert_contains(md, "### #2: 1 input");
  free(md);
  snprintf(path, sizeof path, "%s/out/diff.html", o.dir);
  char *html = slurp(path);
  assert_contains(html, "<script id=\"report-data\" type=\"application/json\">\n{\"runner\"");
  free(html);
  run_done(&o);

  /* --list 1: one disagreement class in the terminal, the rest counted */
  run_diff(&o, impls, "--diff", "txt-record", DIFF_DIR, "--list", "1", NULL);
  assert_contains(o.stdout_text, "... and 2 more disagreement classes (see diff.md)");
  assert_true(strstr(o.stdout_text, "#2  1 input") == NULL);
  run_done(&o);
  free(impls);
}

static void diff_raw_format_keeps_the_first_byte(void **state) {
  (void)state;
  char *impls = fixture_impls("impls-diff.json");
  run_out o;
  run_diff(&o, impls, "--diff", "txt-record", DIFF_DIR, "--input-format", "raw", "--only",
           "own,other", NULL);
  assert_int_equal(o.status, 0);
  /* every record now starts with its flags byte: nobody reads a v=STSv1 */
  json_t *inputs = json_object_get(o.results, "inputs");
  assert_int_equal(json_integer_value(json_object_get(inputs, "sent")), 9);
  assert_int_equal(json_object_size(json_object_get(inputs, "skipped")), 0);
  assert_string_equal(json_string_value(json_object_get(impl_entry(&o, 3), "status")), "skipped");
  assert_int_equal(json_array_size(json_object_get(o.results, "classes")), 3);
  assert_class(&o, 0, "invalid | error", 1, true, DIFF_DIR "/boom");
  assert_class(&o, 1, "invalid | invalid", 7, false, DIFF_DIR "/empty");
  assert_class(&o, 2, "invalid | unsupported", 1, false, DIFF_DIR "/maybe");
  assert_int_equal(
      json_integer_value(json_object_get(json_object_get(diff_class(&o, 1), "example"), "bytes")),
      0);
  run_done(&o);
  free(impls);
}

static void diff_own_error_exits_1(void **state) {
  (void)state;
  const char *impls = "[{\"name\": \"own\", \"own\": true, \"command\": "
                      "[\"${build}/conformance-fake-adapter\", \"--by-input\", \"first\", "
                      "\"--crash-on\", \"abc\"], \"kinds\": [\"txt-record\"]},"
                      "{\"name\": \"other\", \"command\": "
                      "[\"${build}/conformance-fake-adapter\", \"--by-input\", \"first\"], "
                      "\"kinds\": [\"txt-record\"]}]";
  run_out o;
  run_diff(&o, impls, "--diff", "txt-record", DIFF_DIR, NULL);
  assert_int_equal(o.status, 1);
  assert_class(&o, 0, "error | valid", 1, true, DIFF_DIR "/agree-valid");
  assert_contains(o.stdout_text, "own implementation ERRORED");
  run_done(&o);
}

static void diff_with_one_taker_compares_nothing(void **state) {
  (void)state;
  char *impls = fixture_impls("impls-diff.json");
  run_out o;
  run_diff(&o, impls, "--diff", "txt-record", DIFF_DIR, "--only", "own,policy-only", NULL);
  assert_int_equal(o.status, 0);
  assert_contains(o.stdout_text, "fewer than two implementations take txt-record");
  assert_int_equal(
      json_integer_value(json_object_get(json_object_get(o.results, "summary"), "disagreements")),
      0);
  run_done(&o);
  free(impls);
}

static void diff_bad_usage_exits_2(void **state) {
  (void)state;
  char *impls = fixture_impls("impls-diff.json");
  const char *const cases[][6] = {
      {"--diff", "txt-record", NULL},                                    /* no directory */
      {"--diff", "txt-recrod", DIFF_DIR, NULL},                          /* unknown kind */
      {"--diff", "txt-record", "/nonexistent-dir", NULL},                /* unreadable */
      {"--diff", "txt-record", DIFF_DIR, "--input-format", "hex", NULL}, /* bad format */
      {"--diff", "txt-record", DIFF_DIR, "--vectors", "/tmp", NULL},     /* not with --diff */
      {DIFF_DIR, NULL},                                                  /* no --diff */
      {"--diff", "txt-record", CONF_TESTS_DIR "/fixtures/diff/txt-record/sub/..", "--input-format",
       "fuzz", NULL}, /* fine: a sanity case, see below */
  };
  for (size_t i = 0; i + 1 < sizeof cases / sizeof cases[0]; i++) {
    run_out o;
    run_diff(&o, impls, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4],
             cases[i][5]);
    if (o.status != 2)
      fprintf(stderr, "case %zu exited %d\n", i, o.status);
    assert_int_equal(o.status, 2);
    assert_null(o.results);
    run_done(&o);
  }
  /* a directory without usable inputs is no replay either */
  char dir[] = "/tmp/conf-diff-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/empty", dir);
  assert_true(write_file(path, "", 0));
  run_out o;
  run_diff(&o, impls, "--diff", "policy", dir, NULL);
  assert_int_equal(o.status, 2);
  run_done(&o);
  run_diff(&o, impls, "--diff", "txt-record", cases[6][2], NULL);
  assert_int_equal(o.status, 0);
  run_done(&o);
  remove(path);
  rmdir(dir);
  free(impls);
}

/* ------------------------------------------------------ unit: pieces */

static void hex_and_readable(void **state) {
  (void)state;
  unsigned char *bytes;
  size_t n;
  assert_true(hex_decode("00Ff0d0a5c22", 12, &bytes, &n));
  assert_int_equal(n, 6);
  sbuf b;
  sb_init(&b);
  sb_put_readable(&b, bytes, n, 0);
  assert_string_equal(sb_str(&b), "\\x00\\xff\\r\\n\\\\\\\"");
  free(bytes);
  assert_false(hex_decode("abc", 3, &bytes, &n));
  assert_false(hex_decode("zz", 2, &bytes, &n));
  assert_true(hex_decode("", 0, &bytes, &n));
  assert_int_equal(n, 0);
  free(bytes);
  sb_reset(&b);
  sb_put_readable(&b, (const unsigned char *)"abcdef", 6, 4);
  assert_string_equal(sb_str(&b), "abcd...(+2 bytes)");
  sb_reset(&b);
  sb_put_xml(&b, "<a href=\"x\">&'\x01", 15);
  assert_string_equal(sb_str(&b), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;?");
  sb_reset(&b);
  sb_put_md_cell(&b, "a|b`c\nd", 7);
  assert_string_equal(sb_str(&b), "a\\|b'c d");
  sb_free(&b);
}

static void readable_inputs_per_kind(void **state) {
  (void)state;
  json_error_t err;
  json_t *t =
      json_loads("{\"stringsHex\": [\"763d\", \"0d\"], \"rrsetHex\": [[\"61\"], [\"62\", "
                 "\"\"]], \"inputHex\": \"4a\", \"pattern\": \"*.x\", \"host\": \"a\\u0000\"}",
                 JSON_ALLOW_NUL, &err);
  assert_non_null(t);
  char *s = vector_readable_input(KIND_TXT_STRINGS, t);
  assert_string_equal(s, "[\"v=\", \"\\r\"]");
  free(s);
  s = vector_readable_input(KIND_TLSRPT_RRSET, t);
  assert_string_equal(s, "[[\"a\"], [\"b\", \"\"]]");
  free(s);
  s = vector_readable_input(KIND_POLICY, t);
  assert_string_equal(s, "\"J\"");
  free(s);
  s = vector_readable_input(KIND_MX_MATCH, t);
  assert_string_equal(s, "pattern \"*.x\" host \"a\\x00\"");
  free(s);
  json_t *empty = json_object();
  s = vector_readable_input(KIND_TXT_RRSET, empty);
  assert_string_equal(s, "<missing>");
  free(s);
  json_decref(empty);
  json_decref(t);
}

static void request_carries_the_inputs(void **state) {
  (void)state;
  json_error_t err;
  json_t *t = json_loads("{\"tcId\": 9, \"result\": \"valid\", \"comment\": \"c\", \"rrsetHex\": "
                         "[[\"61\"]], \"rrset\": [[\"a\"]], \"expected\": {\"id\": \"a\"}}",
                         0, &err);
  conf_vector v = {.kind = KIND_TLSRPT_RRSET, .profile = PROFILE_LENIENT, .tc_id = 9, .test = t};
  json_t *req = vector_request(&v);
  char *text = json_dumps(req, JSON_COMPACT | JSON_SORT_KEYS);
  assert_string_equal(text, "{\"kind\":\"tlsrpt-rrset\",\"profile\":\"lenient\",\"rrsetHex\":[["
                            "\"61\"]],\"tcId\":9}");
  free(text);
  json_decref(req);
  json_decref(t);
}

static void response_parse_rejects_off_protocol(void **state) {
  (void)state;
  struct {
    const char *line;
    const char *why;
  } bad[] = {
      {"", "not JSON"},
      {"[1]", "not a JSON object"},
      {"{\"tcId\": 2, \"result\": \"valid\"}", "another tcId (sent 1)"},
      {"{\"tcId\": \"1\", \"result\": \"valid\"}", "another tcId"},
      {"{\"tcId\": 1, \"result\": \"maybe\"}", "no result"},
      {"{\"tcId\": 1}", "no result"},
      {"{\"tcId\": 1, \"result\": \"valid\", \"fields\": []}", "wrong type"},
      {"{\"tcId\": 1, \"result\": \"invalid\", \"offset\": -1}", "wrong type"},
      {"{\"tcId\": 1, \"result\": \"invalid\", \"error\": 5}", "wrong type"},
      {"{\"tcId\": 1, \"result\": \"valid\", \"warnings\": [1]}", "wrong type"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sbuf why;
    sb_init(&why);
    json_t *r = response_parse(bad[i].line, strlen(bad[i].line), 1, &why);
    assert_null(r);
    assert_contains(sb_str(&why), bad[i].why);
    sb_free(&why);
  }
  sbuf why;
  sb_init(&why);
  const char *ok = "{\"tcId\": 1, \"result\": \"invalid\", \"error\": \"E_X\", \"offset\": 0}";
  json_t *r = response_parse(ok, strlen(ok), 1, &why);
  assert_non_null(r);
  assert_int_equal(why.len, 0);
  json_decref(r);
  sb_free(&why);
}

/* judge() on hand-made vectors and answers. */
static conf_verdict judge_text(bool own, const char *acceptable_flag, const char *test_text,
                               const char *resp_text, sbuf *reason) {
  json_error_t err;
  json_t *test = json_loads(test_text, 0, &err);
  json_t *resp = json_loads(resp_text, 0, &err);
  assert_non_null(test);
  assert_non_null(resp);
  char *flags[2] = {(char *)(uintptr_t)acceptable_flag, NULL};
  conf_impl im = {.name = (char *)(uintptr_t) "x",
                  .own = own,
                  .acceptable = flags,
                  .acceptable_count = acceptable_flag ? 1 : 0};
  conf_vector v = {.kind = KIND_POLICY, .tc_id = 1, .test = test};
  sb_reset(reason);
  conf_verdict verdict = judge(&im, &v, resp, reason);
  json_decref(test);
  json_decref(resp);
  return verdict;
}

static void judge_rules(void **state) {
  (void)state;
  sbuf r;
  sb_init(&r);
  const char *valid = "{\"result\": \"valid\", \"expected\": {\"id\": \"a\"}}";
  const char *valid_warn =
      "{\"result\": \"valid\", \"expected\": {\"id\": \"a\"}, \"warnings\": [\"W_X\"]}";
  const char *invalid = "{\"result\": \"invalid\", \"errorHint\": \"E_A\"}";
  const char *acc = "{\"result\": \"acceptable\", \"flags\": [\"F\"], \"expected\": {\"id\": "
                    "\"a\"}, \"errorHint\": \"E_A\", \"acceptableResult\": \"invalid\"}";
  const char *got_a = "{\"result\": \"valid\", \"fields\": {\"id\": \"a\"}}";
  const char *got_a_warn =
      "{\"result\": \"valid\", \"fields\": {\"id\": \"a\"}, \"warnings\": [\"W_X\"]}";
  const char *got_b = "{\"result\": \"valid\", \"fields\": {\"id\": \"b\"}}";
  const char *got_ea = "{\"result\": \"invalid\", \"error\": \"E_A\", \"offset\": 3}";
  const char *got_eb = "{\"result\": \"invalid\", \"error\": \"E_B\"}";
  const char *got_un = "{\"result\": \"unsupported\"}";

  assert_int_equal(judge_text(true, NULL, valid, got_a, &r), VERDICT_PASS);
  assert_int_equal(judge_text(true, NULL, valid, got_b, &r), VERDICT_FAIL);
  assert_string_equal(sb_str(&r), "fields differ: expected {\"id\":\"a\"}, got {\"id\":\"b\"}");
  assert_int_equal(judge_text(false, NULL, valid, got_b, &r), VERDICT_FAIL);
  assert_int_equal(judge_text(true, NULL, valid, got_ea, &r), VERDICT_FAIL);
  assert_string_equal(sb_str(&r), "expected valid, got invalid E_A at 3");
  /* warnings: compared for our own parser only, when the vector lists them */
  assert_int_equal(judge_text(true, NULL, valid_warn, got_a_warn, &r), VERDICT_PASS);
  assert_int_equal(judge_text(true, NULL, valid_warn, got_a, &r), VERDICT_FAIL);
  assert_int_equal(judge_text(false, NULL, valid_warn, got_a, &r), VERDICT_PASS);
  assert_int_equal(judge_text(true, NULL, valid, got_a_warn, &r), VERDICT_PASS);
  /* errorHint: ours only */
  assert_int_equal(judge_text(true, NULL, invalid, got_ea, &r), VERDICT_PASS);
  assert_int_equal(judge_text(true, NULL, invalid, got_eb, &r), VERDICT_FAIL);
  assert_string_equal(sb_str(&r), "expected invalid E_A, got invalid E_B");
  assert_int_equal(judge_text(false, NULL, invalid, got_eb, &r), VERDICT_PASS);
  assert_int_equal(judge_text(false, NULL, invalid, got_a, &r), VERDICT_FAIL);
  /* acceptable: own follows acceptableResult exactly */
  assert_int_equal(judge_text(true, NULL, acc, got_ea, &r), VERDICT_PASS);
  assert_int_equal(judge_text(true, NULL, acc, got_eb, &r), VERDICT_FAIL);
  assert_int_equal(judge_text(true, "F", acc, got_a, &r), VERDICT_FAIL);
  /* acceptable: externals by their flags, differences allowed */
  assert_int_equal(judge_text(false, NULL, acc, got_eb, &r), VERDICT_PASS);
  assert_int_equal(judge_text(false, NULL, acc, got_a, &r), VERDICT_ACCEPTABLE);
  assert_int_equal(judge_text(false, "F", acc, got_a, &r), VERDICT_PASS);
  assert_int_equal(judge_text(false, "F", acc, got_ea, &r), VERDICT_ACCEPTABLE);
  assert_string_equal(sb_str(&r), "invalid where its acceptable flags expect valid: allowed");
  /* ... but accepting with wrong fields is wrong even there */
  assert_int_equal(judge_text(false, NULL, acc, got_b, &r), VERDICT_FAIL);
  assert_int_equal(judge_text(false, "F", acc, got_b, &r), VERDICT_FAIL);
  /* unsupported */
  assert_int_equal(judge_text(false, NULL, valid, got_un, &r), VERDICT_UNSUPPORTED);
  assert_int_equal(judge_text(true, NULL, valid, got_un, &r), VERDICT_ERROR);
  sb_free(&r);
}

static void arguments_are_resolved(void **state) {
  (void)state;
  conf_paths p = {"/repo", "/repo/b"};
  char *s = resolve_arg("${build}/conformance/mtasts-adapter", &p, true);
  assert_string_equal(s, "/repo/b/conformance/mtasts-adapter");
  free(s);
  s = resolve_arg("--x=${root}/a:${build}", &p, false);
  assert_string_equal(s, "--x=/repo/a:/repo/b");
  free(s);
  s = resolve_arg("python3", &p, true);
  assert_string_equal(s, "python3");
  free(s);
  /* relative with a slash: under the root if it is there, else the build */
  s = resolve_arg("conformance/none", &p, true);
  assert_string_equal(s, "/repo/b/conformance/none");
  free(s);
  conf_paths here = {CONF_TESTS_DIR, "/elsewhere"};
  s = resolve_arg("fixtures/vectors/policy.json", &here, true);
  assert_string_equal(s, "/elsewhere/fixtures/vectors/policy.json"); /* not executable */
  free(s);
  s = resolve_arg("relative/script.py", &p, false);
  assert_string_equal(s, "relative/script.py"); /* arguments: the adapter's cwd is the root */
  free(s);
}

static char *mapped(conf_kind kind, input_format format, const char *data, size_t n,
                    size_t *payload, input_skip *skip) {
  json_t *test = input_to_test(kind, format, (const unsigned char *)data, n, payload, skip);
  if (!test)
    return NULL;
  char *text = json_dumps(test, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(test);
  return text;
}

static void inputs_map_like_the_fuzz_harnesses(void **state) {
  (void)state;
  size_t payload;
  input_skip skip;
  char *s = mapped(KIND_POLICY, INPUT_FUZZ, "\x01mode", 5, &payload, &skip);
  assert_string_equal(s, "{\"inputHex\":\"6d6f6465\"}");
  assert_int_equal(payload, 4);
  free(s);
  s = mapped(KIND_TLSRPT_RECORD, INPUT_RAW, "\x01v", 2, &payload, &skip);
  assert_string_equal(s, "{\"inputHex\":\"0176\"}");
  free(s);
  assert_null(mapped(KIND_TXT_RECORD, INPUT_FUZZ, "", 0, &payload, &skip));
  assert_int_equal(skip, SKIP_EMPTY);
  s = mapped(KIND_TXT_RECORD, INPUT_RAW, "", 0, &payload, &skip);
  assert_string_equal(s, "{\"inputHex\":\"\"}");
  free(s);
  /* wire-format strings: length octets, the last one cut short */
  s = mapped(KIND_TXT_STRINGS, INPUT_FUZZ, "\x00\x02v=\x00\x05STS", 9, &payload, &skip);
  assert_string_equal(s, "{\"stringsHex\":[\"763d\",\"\",\"535453\"]}");
  assert_int_equal(payload, 8);
  free(s);
  s = mapped(KIND_TXT_STRINGS, INPUT_FUZZ, "\x00", 1, &payload, &skip);
  assert_string_equal(s, "{\"stringsHex\":[]}");
  free(s);
  /* RRs: a 2-octet length, then wire-format RDATA; a lone last octet is dropped */
  s = mapped(KIND_TXT_RRSET, INPUT_FUZZ, "\x02\x00\x03\x02v=\x00\x09\x01x\x07", 11, &payload,
             &skip);
  assert_string_equal(s, "{\"rrsetHex\":[[\"763d\"],[\"78\",\"\"]]}");
  free(s);
  s = mapped(KIND_TLSRPT_RRSET, INPUT_RAW, "\x00\x00\x05", 3, &payload, &skip);
  assert_string_equal(s, "{\"rrsetHex\":[[]]}");
  free(s);
  /* mx-match: no flags byte; pattern LF host, or the whole input as both */
  s = mapped(KIND_MX_MATCH, INPUT_FUZZ, "*.a\nb.a\n", 8, &payload, &skip);
  assert_string_equal(s, "{\"host\":\"b.a\\n\",\"pattern\":\"*.a\"}");
  assert_int_equal(payload, 8);
  free(s);
  s = mapped(KIND_MX_MATCH, INPUT_RAW, "a\0b", 3, &payload, &skip);
  assert_string_equal(s, "{\"host\":\"a\\u0000b\",\"pattern\":\"a\\u0000b\"}");
  free(s);
  assert_null(mapped(KIND_MX_MATCH, INPUT_FUZZ, "a\n\xff", 3, &payload, &skip));
  assert_int_equal(skip, SKIP_NOT_UTF8);
  assert_int_equal(input_format_from_name("raw"), INPUT_RAW);
  assert_int_equal(input_format_from_name("hex"), INPUT_FORMAT_COUNT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(good_adapter_passes_everything),
      cmocka_unit_test(crash_is_an_error_and_the_run_goes_on),
      cmocka_unit_test(hang_times_out_and_the_run_goes_on),
      cmocka_unit_test(garbage_and_wrong_ids_are_errors),
      cmocka_unit_test(restarts_are_capped),
      cmocka_unit_test(missing_command_is_an_error_not_a_hang),
      cmocka_unit_test(unclean_exit_fails_the_own_run),
      cmocka_unit_test(own_wrong_answers_fail),
      cmocka_unit_test(externals_get_acceptable_and_never_fail_the_run),
      cmocka_unit_test(externals_accepting_acceptable_vectors),
      cmocka_unit_test(kinds_not_listed_are_unsupported_without_asking),
      cmocka_unit_test(own_adapter_saying_unsupported_is_an_error),
      cmocka_unit_test(not_installed_is_skipped_not_failed),
      cmocka_unit_test(only_selects_implementations),
      cmocka_unit_test(bad_configuration_exits_2),
      cmocka_unit_test(bad_vector_files_exit_2),
      cmocka_unit_test(externals_failures_grouped_by_flag),
      cmocka_unit_test(real_externals_without_node_are_not_installed),
      cmocka_unit_test(diff_groups_inputs_by_answers),
      cmocka_unit_test(diff_raw_format_keeps_the_first_byte),
      cmocka_unit_test(diff_own_error_exits_1),
      cmocka_unit_test(diff_with_one_taker_compares_nothing),
      cmocka_unit_test(diff_bad_usage_exits_2),
      cmocka_unit_test(hex_and_readable),
      cmocka_unit_test(readable_inputs_per_kind),
      cmocka_unit_test(request_carries_the_inputs),
      cmocka_unit_test(response_parse_rejects_off_protocol),
      cmocka_unit_test(judge_rules),
      cmocka_unit_test(arguments_are_resolved),
      cmocka_unit_test(inputs_map_like_the_fuzz_harnesses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
