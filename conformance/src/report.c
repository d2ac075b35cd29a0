#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenario.h"
#include "vectors.h"

const char *impl_status_name(conf_impl_status s) {
  switch (s) {
  case IMPL_RAN:
    return "ran";
  case IMPL_NOT_INSTALLED:
    return "not installed";
  case IMPL_SKIPPED:
    return "skipped";
  case IMPL_NO_KIND:
    return "kind not supported";
  case IMPL_NO_RESULTS:
    return "no results";
  case IMPL_PENDING:
    break;
  }
  return "pending";
}

size_t report_kinds(const conf_run *run, conf_kind kinds[KIND_COUNT]) {
  size_t n = 0;
  for (int k = 0; k < KIND_VECTOR_COUNT; k++)
    if (run->vectors->per_kind[k] > 0)
      kinds[n++] = (conf_kind)k;
  if (run->scenarios)
    kinds[n++] = KIND_SCENARIO;
  return n;
}

/* How long it took: the vector run's wall time and restarts, the scenario
 * driver's wall time; "; " between the two. */
static void put_run_times(sbuf *b, const conf_impl *im, const char *exit_prefix) {
  if (im->status == IMPL_RAN) {
    sb_printf(b, "wall %.3f s, %u restart%s", im->wall_seconds, im->restarts,
              im->restarts == 1 ? "" : "s");
    if (im->exit_note)
      sb_printf(b, "%s%s", exit_prefix, im->exit_note);
  }
  if (im->scenario_status == IMPL_RAN)
    sb_printf(b, "%sscenarios %.3f s (driver)", im->status == IMPL_RAN ? "; " : "",
              im->scenario_wall_seconds);
}

static const char *str_or(const json_t *obj, const char *key, const char *fallback) {
  const char *s = json_string_value(json_object_get(obj, key));
  return s ? s : fallback;
}

void report_put_got(sbuf *b, const conf_result *r) {
  if (!r->got) {
    sb_puts(b, "no answer");
    return;
  }
  sb_puts(b, str_or(r->got, "result", "?"));
  const char *error = json_string_value(json_object_get(r->got, "error"));
  json_t *offset = json_object_get(r->got, "offset");
  if (error)
    sb_printf(b, " %s", error);
  if (offset)
    sb_printf(b, " at %lld", json_integer_value(offset));
  json_t *fields = json_object_get(r->got, "fields");
  if (fields && json_object_size(fields) > 0) {
    /* JSON with \u escapes is already printable ASCII. */
    char *text = json_dumps(fields, JSON_COMPACT | JSON_ENSURE_ASCII);
    size_t len = strlen(text);
    sb_putc(b, ' ');
    sb_putn(b, text, len > 160 ? 160 : len);
    if (len > 160)
      sb_puts(b, "...");
    free(text);
  }
}

/* ------------------------------------------------------------ terminal */

static void print_counts_row(FILE *f, const char *impl, const char *kind,
                             const size_t counts[VERDICT_COUNT], const char *tail) {
  fprintf(f, "%-26s %-14s", impl, kind);
  for (int v = 0; v < VERDICT_COUNT; v++)
    fprintf(f, " %11zu", counts[v]);
  fprintf(f, "%s\n", tail);
}

static void print_matrix(FILE *f, const conf_run *run) {
  conf_kind kinds[KIND_COUNT];
  size_t nk = report_kinds(run, kinds);
  fprintf(f, "%-26s %-14s", "implementation", "kind");
  for (int v = 0; v < VERDICT_COUNT; v++)
    fprintf(f, " %11s", verdict_name((conf_verdict)v));
  fputc('\n', f);
  sbuf tail;
  sb_init(&tail);
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (impl_status(im) != IMPL_RAN) {
      fprintf(f, "%-26s (%s)\n", im->name, impl_status_name(impl_status(im)));
      continue;
    }
    for (size_t k = 0; k < nk; k++) {
      const char *label = k ? "" : im->name;
      conf_impl_status st = impl_kind_status(im, kinds[k]);
      if (st == IMPL_RAN)
        print_counts_row(f, label, kind_name(kinds[k]), im->counts[kinds[k]], "");
      else
        fprintf(f, "%-26s %-14s (%s)\n", label, kind_name(kinds[k]), impl_status_name(st));
    }
    sb_reset(&tail);
    sb_puts(&tail, "   ");
    put_run_times(&tail, im, "; adapter ");
    print_counts_row(f, "", "all", im->totals, sb_str(&tail));
  }
  sb_free(&tail);
}

static void print_failure(FILE *f, const conf_run *run, const conf_result *r) {
  const conf_impl *im = &run->impls->items[r->impl];
  const conf_vector *v = r->vec;
  fprintf(f, "%s %s %s #%lld [%s] %s\n", r->verdict == VERDICT_ERROR ? "ERROR" : "FAIL ", im->name,
          kind_name(v->kind), v->tc_id, profile_name(v->profile), str_or(v->test, "comment", ""));
  fprintf(f, "      input:  %s\n", v->readable_input);
  sbuf got;
  sb_init(&got);
  report_put_got(&got, r);
  fprintf(f, "      expect: %s%s%s    got: %s\n", r->expected,
          json_string_value(json_object_get(v->test, "errorHint")) ? " " : "",
          str_or(v->test, "errorHint", ""), sb_str(&got));
  if (r->reason)
    fprintf(f, "      why:    %s\n", r->reason);
  sb_free(&got);
}

void report_terminal(FILE *f, const conf_run *run, size_t max_listed) {
  print_matrix(f, run);
  report_side_terminal(f, run);
  /* External implementations' failures come grouped by flag, below. */
  for (size_t i = 0; i < run->impls->count; i++) {
    if (!run->impls->items[i].own)
      continue;
    size_t listed = 0, total = 0;
    for (size_t j = 0; j < run->results->count; j++) {
      const conf_result *r = &run->results->items[j];
      if (r->impl != i || (r->verdict != VERDICT_FAIL && r->verdict != VERDICT_ERROR))
        continue;
      if (total++ == 0)
        fprintf(f, "\n-- %s: failures and errors --\n", run->impls->items[i].name);
      if (max_listed == 0 || listed < max_listed) {
        if (report_is_scenario(r))
          report_scenario_failure(f, run, r);
        else
          print_failure(f, run, r);
        listed++;
      }
    }
    if (listed < total)
      fprintf(f, "... and %zu more (see report.md)\n", total - listed);
  }
  report_external_terminal(f, run, max_listed);
  report_scenario_external_terminal(f, run, max_listed);
}

/* ---------------------------------------------------------------- JSON */

static json_t *counts_json(const size_t counts[VERDICT_COUNT]) {
  json_t *o = json_object();
  for (int v = 0; v < VERDICT_COUNT; v++)
    json_object_set_new(o, verdict_name((conf_verdict)v), json_integer((json_int_t)counts[v]));
  return o;
}

/* kinds: the counts of each kind of the run it ran; kindStatus: why it
 * has none for the others (a not-installed resolver next to a parser that
 * ran, or the other way round). */
static void impl_kinds_json(json_t *o, const conf_run *run, const conf_impl *im) {
  json_t *kinds = json_object();
  json_t *kind_status = json_object();
  conf_kind ks[KIND_COUNT];
  size_t nk = report_kinds(run, ks);
  for (size_t k = 0; k < nk; k++) {
    conf_impl_status st = impl_kind_status(im, ks[k]);
    if (st == IMPL_RAN)
      json_object_set_new(kinds, kind_name(ks[k]), counts_json(im->counts[ks[k]]));
    else
      json_object_set_new(kind_status, kind_name(ks[k]), json_string(impl_status_name(st)));
  }
  json_object_set_new(o, "kinds", kinds);
  if (json_object_size(kind_status) > 0)
    json_object_set_new(o, "kindStatus", kind_status);
  else
    json_decref(kind_status);
}

static json_t *impl_json(const conf_run *run, size_t index) {
  const conf_impl *im = &run->impls->items[index];
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(im->name));
  json_object_set_new(o, "description", json_string(im->description));
  json_object_set_new(o, "own", json_boolean(im->own));
  json_object_set_new(o, "status", json_string(impl_status_name(impl_status(im))));
  if (run->scenarios)
    json_object_set_new(o, "scenarioStatus", json_string(impl_status_name(im->scenario_status)));
  if (im->status == IMPL_RAN) {
    json_object_set_new(o, "wallSeconds", json_real(im->wall_seconds));
    json_object_set_new(o, "restarts", json_integer(im->restarts));
    if (im->exit_note)
      json_object_set_new(o, "adapterExit", json_string(im->exit_note));
  }
  if (im->scenario_status == IMPL_RAN)
    json_object_set_new(o, "scenarioWallSeconds", json_real(im->scenario_wall_seconds));
  if (impl_status(im) == IMPL_RAN) {
    json_object_set_new(o, "counts", counts_json(im->totals));
    impl_kinds_json(o, run, im);
  }
  if (!im->own && im->status == IMPL_RAN)
    json_object_set_new(o, "failedByFlag", report_external_json(run, index));
  if (!im->own && im->scenario_status == IMPL_RAN)
    json_object_set_new(o, "failedScenariosByFlag", report_scenario_external_json(run, index));
  return o;
}

static json_t *result_json(const conf_run *run, const conf_result *r) {
  if (report_is_scenario(r))
    return report_scenario_row_json(run, r);
  const conf_vector *v = r->vec;
  json_t *o = json_object();
  json_object_set_new(o, "impl", json_string(run->impls->items[r->impl].name));
  json_object_set_new(o, "kind", json_string(kind_name(v->kind)));
  json_object_set_new(o, "tcId", json_integer(v->tc_id));
  json_object_set_new(o, "profile", json_string(profile_name(v->profile)));
  json_object_set_new(o, "verdict", json_string(verdict_name(r->verdict)));
  json_object_set_new(o, "vectorResult", json_string(vector_result(v)));
  json_object_set_new(o, "expected", json_string(r->expected));
  const char *hint = json_string_value(json_object_get(v->test, "errorHint"));
  if (hint)
    json_object_set_new(o, "errorHint", json_string(hint));
  json_object_set_new(o, "comment", json_string(str_or(v->test, "comment", "")));
  json_object_set_new(o, "rfc", json_string(str_or(v->test, "rfc", "")));
  json_t *flags = json_object_get(v->test, "flags");
  json_object_set_new(o, "flags", json_is_array(flags) ? json_copy(flags) : json_array());
  json_object_set_new(o, "input", json_string(v->readable_input));
  json_object_set(o, "got", r->got ? r->got : json_null());
  if (r->reason)
    json_object_set_new(o, "reason", json_string(r->reason));
  return o;
}

json_t *report_json(const conf_run *run) {
  json_t *doc = json_object();
  json_object_set_new(doc, "runner", json_string("mtasts-conformance"));
  json_object_set_new(doc, "protocol", json_integer(1));
  char stamp[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json_object_set_new(doc, "generated", json_string(stamp));
  json_object_set_new(doc, "vectorsDir", json_string(run->vectors_dir));
  json_object_set_new(doc, "implsFile", json_string(run->impls_path));
  json_object_set_new(doc, "timeoutSeconds", json_real(run->timeout_seconds));
  json_t *verdicts = json_array();
  for (int v = 0; v < VERDICT_COUNT; v++)
    json_array_append_new(verdicts, json_string(verdict_name((conf_verdict)v)));
  json_object_set_new(doc, "verdicts", verdicts);
  json_t *kinds = json_object();
  conf_kind ks[KIND_COUNT];
  size_t nk = report_kinds(run, ks);
  for (size_t k = 0; k < nk; k++)
    if (ks[k] != KIND_SCENARIO)
      json_object_set_new(kinds, kind_name(ks[k]),
                          json_integer((json_int_t)run->vectors->per_kind[ks[k]]));
  json_object_set_new(doc, "vectors", kinds);
  if (run->scenarios)
    json_object_set_new(doc, "scenarios", report_scenarios_json(run));
  json_t *impls = json_array();
  for (size_t i = 0; i < run->impls->count; i++)
    json_array_append_new(impls, impl_json(run, i));
  json_object_set_new(doc, "implementations", impls);
  json_t *rows = json_array();
  for (size_t i = 0; i < run->results->count; i++)
    json_array_append_new(rows, result_json(run, &run->results->items[i]));
  json_object_set_new(doc, "results", rows);
  return doc;
}

/* --------------------------------------------------------------- JUnit */

static void junit_case(sbuf *b, const conf_run *run, const conf_result *r) {
  const conf_impl *im = &run->impls->items[r->impl];
  const conf_vector *v = r->vec;
  sbuf name, detail;
  sb_init(&name);
  sb_init(&detail);
  if (report_is_scenario(r)) {
    report_scenario_title(&name, r);
    report_scenario_detail(&detail, r);
  } else {
    sb_printf(&name, "%s #%lld [%s] %s", kind_name(v->kind), v->tc_id, profile_name(v->profile),
              str_or(v->test, "comment", ""));
    sb_printf(&detail, "input: %s\nexpected: %s\ngot: ", v->readable_input, r->expected);
    report_put_got(&detail, r);
    if (r->reason)
      sb_printf(&detail, "\nwhy: %s", r->reason);
  }
  sb_puts(b, "    <testcase classname=\"");
  sb_put_xml(b, im->name, strlen(im->name));
  sb_printf(b, ".%s\" name=\"", kind_name(v->kind));
  sb_put_xml(b, name.data, name.len);
  sb_puts(b, "\" time=\"0\"");
  const char *tag = NULL;
  switch (r->verdict) {
  case VERDICT_FAIL:
    tag = "failure";
    break;
  case VERDICT_ERROR:
    tag = "error";
    break;
  case VERDICT_UNSUPPORTED:
    tag = "skipped";
    break;
  case VERDICT_ACCEPTABLE:
  case VERDICT_PASS:
  case VERDICT_COUNT:
    break;
  }
  if (tag) {
    sb_printf(b, ">\n      <%s message=\"", tag);
    sb_put_xml(b, r->reason ? r->reason : verdict_name(r->verdict),
               strlen(r->reason ? r->reason : verdict_name(r->verdict)));
    sb_puts(b, "\">");
    sb_put_xml(b, detail.data, detail.len);
    sb_printf(b, "</%s>\n    </testcase>\n", tag);
  } else if (r->verdict == VERDICT_ACCEPTABLE) {
    sb_puts(b, ">\n      <system-out>acceptable: ");
    sb_put_xml(b, detail.data, detail.len);
    sb_puts(b, "</system-out>\n    </testcase>\n");
  } else {
    sb_puts(b, "/>\n");
  }
  sb_free(&name);
  sb_free(&detail);
}

static void junit(sbuf *b, const conf_run *run) {
  size_t all[VERDICT_COUNT] = {0};
  size_t tests = 0;
  for (size_t i = 0; i < run->impls->count; i++)
    for (int v = 0; v < VERDICT_COUNT; v++) {
      all[v] += run->impls->items[i].totals[v];
      tests += run->impls->items[i].totals[v];
    }
  sb_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  sb_printf(b,
            "<testsuites name=\"mtasts-conformance\" tests=\"%zu\" failures=\"%zu\" "
            "errors=\"%zu\" skipped=\"%zu\">\n",
            tests, all[VERDICT_FAIL], all[VERDICT_ERROR], all[VERDICT_UNSUPPORTED]);
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (impl_status(im) != IMPL_RAN)
      continue;
    size_t n = 0;
    for (int v = 0; v < VERDICT_COUNT; v++)
      n += im->totals[v];
    sb_puts(b, "  <testsuite name=\"");
    sb_put_xml(b, im->name, strlen(im->name));
    sb_printf(b,
              "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
              n, im->totals[VERDICT_FAIL], im->totals[VERDICT_ERROR],
              im->totals[VERDICT_UNSUPPORTED], im->wall_seconds + im->scenario_wall_seconds);
    for (size_t j = 0; j < run->results->count; j++)
      if (run->results->items[j].impl == i)
        junit_case(b, run, &run->results->items[j]);
    sb_puts(b, "  </testsuite>\n");
  }
  sb_puts(b, "</testsuites>\n");
}

/* ------------------------------------------------------------ Markdown */

static void md_counts_row(sbuf *b, const char *impl, const char *kind,
                          const size_t counts[VERDICT_COUNT]) {
  sb_printf(b, "| %s | %s |", impl, kind);
  for (int v = 0; v < VERDICT_COUNT; v++)
    sb_printf(b, " %zu |", counts[v]);
  sb_putc(b, '\n');
}

static void md_row(sbuf *b, const conf_run *run, const conf_result *r) {
  const conf_vector *v = r->vec;
  sbuf got;
  sb_init(&got);
  report_put_got(&got, r);
  sb_printf(b, "| %s | %s | %lld | %s | ", run->impls->items[r->impl].name, kind_name(v->kind),
            v->tc_id, profile_name(v->profile));
  const char *comment = str_or(v->test, "comment", "");
  sb_put_md_cell(b, comment, strlen(comment));
  sb_puts(b, " | `");
  sb_put_md_cell(b, v->readable_input, strlen(v->readable_input));
  sb_printf(b, "` | %s", r->expected);
  const char *hint = json_string_value(json_object_get(v->test, "errorHint"));
  if (hint)
    sb_printf(b, " %s", hint);
  sb_puts(b, " | ");
  sb_put_md_cell(b, got.data ? got.data : "", got.len);
  sb_puts(b, " | ");
  if (r->reason)
    sb_put_md_cell(b, r->reason, strlen(r->reason));
  sb_puts(b, " |\n");
  sb_free(&got);
}

static void md_list(sbuf *b, const conf_run *run, const char *title, conf_verdict a, conf_verdict c,
                    bool own_only) {
  size_t n = 0;
  for (size_t j = 0; j < run->results->count; j++) {
    const conf_result *r = &run->results->items[j];
    /* Scenarios have their own section (report_scenario_markdown). */
    if (report_is_scenario(r) || (r->verdict != a && r->verdict != c) ||
        (own_only && !run->impls->items[r->impl].own))
      continue;
    if (n++ == 0)
      sb_printf(b,
                "\n## %s\n\n| implementation | kind | tcId | profile | comment | input | "
                "expected | got | why |\n|---|---|---|---|---|---|---|---|---|\n",
                title);
    md_row(b, run, r);
  }
  if (n == 0)
    sb_printf(b, "\n## %s\n\nNone.\n", title);
}

static void markdown(sbuf *b, const conf_run *run) {
  conf_kind kinds[KIND_COUNT];
  size_t nk = report_kinds(run, kinds);
  sb_printf(b, "# Conformance report\n\nVectors: `%s` (%zu). Implementations: `%s`.\n",
            run->vectors_dir, run->vectors->count, run->impls_path);
  if (run->scenarios)
    sb_printf(b, "Scenarios: `%s` (%zu), results of the scenario driver: `%s`.\n",
              run->scenarios->scenarios_path, run->scenarios->count, run->scenarios->results_path);
  sb_putc(b, '\n');
  sb_puts(b, "| implementation | kind |");
  for (int v = 0; v < VERDICT_COUNT; v++)
    sb_printf(b, " %s |", verdict_name((conf_verdict)v));
  sb_puts(b, "\n|---|---|---:|---:|---:|---:|---:|\n");
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (impl_status(im) != IMPL_RAN) {
      sb_printf(b, "| %s | *%s* | | | | | |\n", im->name, impl_status_name(impl_status(im)));
      continue;
    }
    for (size_t k = 0; k < nk; k++) {
      conf_impl_status st = impl_kind_status(im, kinds[k]);
      if (st == IMPL_RAN)
        md_counts_row(b, im->name, kind_name(kinds[k]), im->counts[kinds[k]]);
      else
        sb_printf(b, "| %s | %s: *%s* | | | | | |\n", im->name, kind_name(kinds[k]),
                  impl_status_name(st));
    }
    md_counts_row(b, im->name, "**all**", im->totals);
  }
  sb_puts(b, "\n");
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (impl_status(im) == IMPL_RAN) {
      sb_printf(b, "- %s: ", im->name);
      put_run_times(b, im, ", adapter ");
      sb_putc(b, '\n');
    }
  }
  report_side_markdown(b, run);
  if (run->vectors->count > 0) {
    md_list(b, run, "Failures and errors of the own implementation", VERDICT_FAIL, VERDICT_ERROR,
            true);
    report_external_markdown(b, run);
    md_list(b, run, "Acceptable differences", VERDICT_ACCEPTABLE, VERDICT_ACCEPTABLE, false);
  }
  report_scenario_markdown(b, run);
}

/* --------------------------------------------------------------- files */

static bool save(const conf_run *run, const char *name, const char *data, size_t len, sbuf *err) {
  sbuf path;
  sb_init(&path);
  sb_printf(&path, "%s/%s", run->out_dir, name);
  bool ok = write_file(sb_str(&path), data ? data : "", len);
  if (!ok)
    sb_printf(err, "cannot write %s: %s", sb_str(&path), strerror(errno));
  sb_free(&path);
  return ok;
}

bool report_write_files(const conf_run *run, sbuf *err) {
  json_t *doc = report_json(run);
  char *text = json_dumps(doc, JSON_INDENT(1));
  bool ok = save(run, "results.json", text, strlen(text), err);
  free(text);
  sbuf b;
  sb_init(&b);
  junit(&b, run);
  ok = ok && save(run, "junit.xml", b.data, b.len, err);
  sb_reset(&b);
  markdown(&b, run);
  ok = ok && save(run, "report.md", b.data, b.len, err);
  sb_reset(&b);
  report_html(&b, doc);
  ok = ok && save(run, "report.html", b.data, b.len, err);
  sb_free(&b);
  json_decref(doc);
  return ok;
}
