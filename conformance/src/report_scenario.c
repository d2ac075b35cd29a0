/*
 * report_scenario.c - the reports taught the kind "scenario" (scenario.h):
 * a scenario result's row in results.json, its JUnit detail and terminal
 * entry, the scenario table (one column per implementation), and each
 * external implementation's failed scenarios grouped by the scenarios'
 * flags, like the vectors (report_external.c).
 *
 * A scenario result carries no adapter answer: its `got` is the results
 * file's steps, each with what the resolver decided (`got`) and what the
 * scenario expects (`expect`); the driver has already judged them.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "scenario.h"

/* Step objects shown in one line of the terminal and JUnit details. */
enum { STEP_JSON_LIMIT = 200 };

static const char *str_or(const json_t *obj, const char *key, const char *fallback) {
  const char *s = json_string_value(json_object_get(obj, key));
  return s ? s : fallback;
}

bool report_is_scenario(const conf_result *r) {
  return r->vec->kind == KIND_SCENARIO;
}

/* Where r's scenario is in the scenarios file. */
static size_t scenario_pos(const conf_run *run, const conf_result *r) {
  return (size_t)(r->vec - run->scenarios->items);
}

static const char *name_of(const conf_result *r) {
  return str_or(r->vec->test, "name", "");
}

void report_scenario_title(sbuf *b, const conf_result *r) {
  const char *comment = str_or(r->vec->test, "comment", "");
  sb_printf(b, "scenario #%lld %s%s%s", r->vec->tc_id, name_of(r), *comment ? ": " : "", comment);
}

/* Compact JSON (\u escapes: printable ASCII), cut after limit characters. */
static void put_json_cut(sbuf *b, const json_t *value, size_t limit) {
  if (!value || json_is_null(value)) {
    sb_puts(b, "(no answer)");
    return;
  }
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
  size_t len = strlen(text);
  sb_putn(b, text, len > limit ? limit : len);
  if (len > limit)
    sb_puts(b, "...");
  free(text);
}

/* "step 0: expect {...}" and "got {...}" lines, each after indent. */
static void put_steps(sbuf *b, const conf_result *r, const char *indent) {
  size_t i;
  json_t *step;
  json_array_foreach(r->got, i, step) {
    sb_printf(b, "%sstep %lld: expect ", indent, json_integer_value(json_object_get(step, "step")));
    put_json_cut(b, json_object_get(step, "expect"), STEP_JSON_LIMIT);
    sb_printf(b, "\n%s        got    ", indent);
    put_json_cut(b, json_object_get(step, "got"), STEP_JSON_LIMIT);
    sb_putc(b, '\n');
  }
}

void report_scenario_detail(sbuf *b, const conf_result *r) {
  sb_printf(b, "domain: %s\n", r->vec->readable_input);
  put_steps(b, r, "");
  sb_printf(b, "verdict: %s", verdict_name(r->verdict));
  if (r->reason)
    sb_printf(b, "\nwhy: %s", r->reason);
}

void report_scenario_failure(FILE *f, const conf_run *run, const conf_result *r) {
  sbuf b;
  sb_init(&b);
  sb_printf(&b, "%s %s ", r->verdict == VERDICT_ERROR ? "ERROR" : "FAIL ",
            run->impls->items[r->impl].name);
  report_scenario_title(&b, r);
  sb_printf(&b, "\n      domain: %s\n", r->vec->readable_input);
  put_steps(&b, r, "      ");
  if (r->reason)
    sb_printf(&b, "      why:    %s\n", r->reason);
  fputs(sb_str(&b), f);
  sb_free(&b);
}

/* ---------------------------------------------------------------- JSON */

json_t *report_scenario_row_json(const conf_run *run, const conf_result *r) {
  const json_t *test = r->vec->test;
  json_t *o = json_object();
  json_object_set_new(o, "impl", json_string(run->impls->items[r->impl].name));
  json_object_set_new(o, "kind", json_string(kind_name(KIND_SCENARIO)));
  json_object_set_new(o, "tcId", json_integer(r->vec->tc_id));
  json_object_set_new(o, "name", json_string(name_of(r)));
  json_object_set_new(o, "domain", json_string(str_or(test, "domain", "")));
  json_object_set_new(o, "verdict", json_string(verdict_name(r->verdict)));
  json_object_set_new(o, "comment", json_string(str_or(test, "comment", "")));
  json_t *flags = json_object_get(test, "flags");
  json_object_set_new(o, "flags", json_is_array(flags) ? json_copy(flags) : json_array());
  json_object_set_new(o, "input", json_string(r->vec->readable_input));
  json_object_set(o, "steps", r->got);
  if (r->reason)
    json_object_set_new(o, "reason", json_string(r->reason));
  return o;
}

json_t *report_scenarios_json(const conf_run *run) {
  const conf_scenarios *s = run->scenarios;
  json_t *o = json_object();
  json_object_set_new(o, "file", json_string(s->scenarios_path));
  json_object_set_new(o, "resultsFile", json_string(s->results_path));
  json_object_set_new(o, "count", json_integer((json_int_t)s->count));
  json_t *tests = json_array();
  for (size_t k = 0; k < s->count; k++) {
    json_t *t = json_object();
    json_object_set_new(t, "tcId", json_integer(s->items[k].tc_id));
    json_object_set_new(t, "name", json_string(str_or(s->items[k].test, "name", "")));
    json_object_set_new(t, "domain", json_string(str_or(s->items[k].test, "domain", "")));
    json_array_append_new(tests, t);
  }
  json_object_set_new(o, "tests", tests);
  return o;
}

json_t *report_scenario_external_json(const conf_run *run, size_t impl) {
  flag_groups g;
  flag_groups_build(run, impl, true, &g);
  json_t *groups = json_array();
  for (size_t k = 0; k < g.count; k++) {
    const flag_group *grp = &g.items[k];
    const char *rfc = grp->flag ? scenarios_flag_rfc(run->scenarios, grp->flag) : NULL;
    json_t *o = json_object();
    json_object_set_new(o, "flag", grp->flag ? json_string(grp->flag) : json_null());
    json_object_set_new(o, "rfc", rfc ? json_string(rfc) : json_null());
    json_object_set_new(o, "count", json_integer((json_int_t)grp->count));
    json_t *list = json_array();
    for (size_t m = 0; m < grp->count; m++) {
      const conf_result *r = &run->results->items[grp->rows[m]];
      json_t *v = json_object();
      json_object_set_new(v, "tcId", json_integer(r->vec->tc_id));
      json_object_set_new(v, "name", json_string(name_of(r)));
      json_object_set_new(v, "verdict", json_string(verdict_name(r->verdict)));
      json_object_set_new(v, "reason", r->reason ? json_string(r->reason) : json_null());
      json_array_append_new(list, v);
    }
    json_object_set_new(o, "scenarios", list);
    json_array_append_new(groups, o);
  }
  json_t *out = json_object();
  json_object_set_new(out, "failed", json_integer((json_int_t)g.failed));
  json_object_set_new(out, "groups", groups);
  flag_groups_free(&g);
  return out;
}

/* ------------------------------------------------------------ terminal */

static bool external_ran_scenarios(const conf_impl *im) {
  return !im->own && im->scenario_status == IMPL_RAN;
}

/* "Rotation" or "Rotation (RFC 8461 §3.1)". */
static void put_group_name(sbuf *b, const conf_run *run, const flag_group *grp) {
  const char *rfc = grp->flag ? scenarios_flag_rfc(run->scenarios, grp->flag) : NULL;
  sb_puts(b, grp->flag ? grp->flag : "no flag");
  if (rfc)
    sb_printf(b, " (%s)", rfc);
}

void report_scenario_external_terminal(FILE *f, const conf_run *run, size_t max_listed) {
  for (size_t i = 0; run->scenarios && i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (!external_ran_scenarios(im))
      continue;
    flag_groups g;
    flag_groups_build(run, i, true, &g);
    fprintf(f,
            "\n-- %s: %zu scenario%s failed, by flag (a scenario appears under each of its "
            "flags) --\n",
            im->name, g.failed, g.failed == 1 ? "" : "s");
    sbuf name;
    sb_init(&name);
    for (size_t k = 0; k < g.count; k++) {
      const flag_group *grp = &g.items[k];
      sb_reset(&name);
      put_group_name(&name, run, grp);
      fprintf(f, "  %s: %zu\n", sb_str(&name), grp->count);
      size_t shown = max_listed == 0 || grp->count < max_listed ? grp->count : max_listed;
      for (size_t m = 0; m < shown; m++) {
        const conf_result *r = &run->results->items[grp->rows[m]];
        fprintf(f, "    %sscenario #%lld %s: %s\n", r->verdict == VERDICT_ERROR ? "ERROR " : "",
                r->vec->tc_id, name_of(r), r->reason ? r->reason : verdict_name(r->verdict));
      }
      if (shown < grp->count)
        fprintf(f, "    ... and %zu more (see report.md)\n", grp->count - shown);
    }
    sb_free(&name);
    flag_groups_free(&g);
  }
}

/* ------------------------------------------------------------ Markdown */

static void md_cell(sbuf *b, const char *s) {
  sb_put_md_cell(b, s, strlen(s));
}

/* One row per scenario, one column per implementation: its verdict, or
 * why it has none. */
static void md_table(sbuf *b, const conf_run *run) {
  const conf_scenarios *s = run->scenarios;
  size_t ni = run->impls->count;
  const conf_result **cell = xmalloc(ni * s->count * sizeof *cell);
  memset(cell, 0, ni * s->count * sizeof *cell);
  for (size_t j = 0; j < run->results->count; j++) {
    const conf_result *r = &run->results->items[j];
    if (report_is_scenario(r))
      cell[r->impl * s->count + scenario_pos(run, r)] = r;
  }
  sb_puts(b, "\n| tcId | name |");
  for (size_t i = 0; i < ni; i++)
    sb_printf(b, " %s |", run->impls->items[i].name);
  sb_puts(b, "\n|---:|---|");
  for (size_t i = 0; i < ni; i++)
    sb_puts(b, "---|");
  sb_putc(b, '\n');
  for (size_t k = 0; k < s->count; k++) {
    sb_printf(b, "| %lld | ", s->items[k].tc_id);
    md_cell(b, str_or(s->items[k].test, "name", ""));
    sb_puts(b, " |");
    for (size_t i = 0; i < ni; i++) {
      const conf_result *r = cell[i * s->count + k];
      sb_printf(b, " %s |",
                r ? verdict_name(r->verdict)
                  : impl_status_name(run->impls->items[i].scenario_status));
    }
    sb_putc(b, '\n');
  }
  free(cell);
}

static void md_scenario_row(sbuf *b, const conf_result *r) {
  sb_printf(b, "| %lld | ", r->vec->tc_id);
  md_cell(b, name_of(r));
  sb_printf(b, " | %s | ", verdict_name(r->verdict));
  md_cell(b, r->reason ? r->reason : "");
  sb_puts(b, " |\n");
}

static void md_own_failures(sbuf *b, const conf_run *run) {
  size_t n = 0;
  sb_puts(b, "\n### Failures and errors of the own implementation\n");
  for (size_t j = 0; j < run->results->count; j++) {
    const conf_result *r = &run->results->items[j];
    if (!report_is_scenario(r) || !run->impls->items[r->impl].own ||
        (r->verdict != VERDICT_FAIL && r->verdict != VERDICT_ERROR))
      continue;
    if (n++ == 0)
      sb_puts(b, "\n| implementation | tcId | name | verdict | why |\n|---|---:|---|---|---|\n");
    sb_printf(b, "| %s ", run->impls->items[r->impl].name);
    md_scenario_row(b, r);
  }
  if (n == 0)
    sb_puts(b, "\nNone.\n");
}

static void md_external_failures(sbuf *b, const conf_run *run) {
  bool any = false;
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (!external_ran_scenarios(im))
      continue;
    if (!any)
      sb_puts(b, "\n### External implementations: failed scenarios by flag\n\nA scenario "
                 "appears under each of its flags; \"no flag\" holds the scenarios without "
                 "one.\n");
    any = true;
    flag_groups g;
    flag_groups_build(run, i, true, &g);
    sb_printf(b, "\n#### %s: %zu failed\n", im->name, g.failed);
    for (size_t k = 0; k < g.count; k++) {
      sb_puts(b, "\n##### ");
      put_group_name(b, run, &g.items[k]);
      sb_printf(b, ": %zu\n\n| tcId | name | verdict | why |\n|---:|---|---|---|\n",
                g.items[k].count);
      for (size_t m = 0; m < g.items[k].count; m++)
        md_scenario_row(b, &run->results->items[g.items[k].rows[m]]);
    }
    if (g.count == 0)
      sb_puts(b, "\nNone.\n");
    flag_groups_free(&g);
  }
}

void report_scenario_markdown(sbuf *b, const conf_run *run) {
  if (!run->scenarios)
    return;
  sb_printf(b,
            "\n## Scenarios\n\n%zu scenarios of `%s`, run and judged by the scenario driver "
            "(`%s`). A cell is the verdict, or why the implementation has none.\n",
            run->scenarios->count, run->scenarios->scenarios_path, run->scenarios->results_path);
  md_table(b, run);
  md_own_failures(b, run);
  md_external_failures(b, run);
}
