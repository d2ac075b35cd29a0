#include "scenario.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RESULTS_FORMAT "mtasts-scenario-results/1"

/* No row yet for this implementation x scenario. */
#define NO_ROW SIZE_MAX

/* ------------------------------------------------------------ helpers */

static bool is_count(const json_t *v) {
  return json_is_integer(v) && json_integer_value(v) >= 0;
}

static json_t *load_json(const char *path, sbuf *err) {
  json_error_t jerr;
  json_t *doc = json_load_file(path, JSON_ALLOW_NUL, &jerr);
  if (!doc)
    sb_printf(err, "%s:%d: %s", path, jerr.line, jerr.text);
  else if (!json_is_object(doc)) {
    sb_printf(err, "%s: not a JSON object", path);
    json_decref(doc);
    doc = NULL;
  }
  return doc;
}

static conf_verdict verdict_from_name(const char *name) {
  for (int v = 0; v < VERDICT_COUNT; v++)
    if (name && strcmp(name, verdict_name((conf_verdict)v)) == 0)
      return (conf_verdict)v;
  return VERDICT_COUNT;
}

/* The results file spells statuses with a hyphen; the reports with a blank. */
static bool status_from_name(const char *name, conf_impl_status *out) {
  static const struct {
    const char *name;
    conf_impl_status status;
  } table[] = {{"ran", IMPL_RAN}, {"not-installed", IMPL_NOT_INSTALLED}, {"skipped", IMPL_SKIPPED}};
  for (size_t i = 0; name && i < sizeof table / sizeof table[0]; i++)
    if (strcmp(name, table[i].name) == 0) {
      *out = table[i].status;
      return true;
    }
  return false;
}

static size_t impl_index(const conf_impls *impls, const char *name) {
  for (size_t i = 0; name && i < impls->count; i++)
    if (strcmp(impls->items[i].name, name) == 0)
      return i;
  return SIZE_MAX;
}

static size_t scenario_index(const conf_scenarios *s, long long tc_id) {
  for (size_t i = 0; i < s->count; i++)
    if (s->items[i].tc_id == tc_id)
      return i;
  return SIZE_MAX;
}

/* ------------------------------------------------------ scenarios file */

static char *readable_scenario(const json_t *test) {
  sbuf b;
  sb_init(&b);
  size_t steps = json_array_size(json_object_get(test, "steps"));
  sb_printf(&b, "%s, %zu step%s", json_string_value(json_object_get(test, "domain")), steps,
            steps == 1 ? "" : "s");
  return sb_take(&b);
}

/* What the reports use of a scenario: tcId, name, domain, steps, and
 * comment and flags when present. */
static bool check_scenario(const json_t *test, size_t index, sbuf *why) {
  if (!json_is_object(test) || !json_is_integer(json_object_get(test, "tcId")))
    sb_printf(why, "scenario %zu has no integer tcId", index);
  else if (!json_is_string(json_object_get(test, "name")) ||
           !json_is_string(json_object_get(test, "domain")) ||
           !json_is_array(json_object_get(test, "steps")))
    sb_printf(why, "scenario %lld needs a name, a domain and steps",
              json_integer_value(json_object_get(test, "tcId")));
  else if (json_object_get(test, "comment") && !json_is_string(json_object_get(test, "comment")))
    sb_printf(why, "scenario %lld: comment must be a string",
              json_integer_value(json_object_get(test, "tcId")));
  else if (json_object_get(test, "flags") && !conf_is_string_array(json_object_get(test, "flags")))
    sb_printf(why, "scenario %lld: flags must be an array of strings",
              json_integer_value(json_object_get(test, "tcId")));
  return why->len == 0;
}

static void push_scenario(conf_scenarios *s, json_t *test) {
  s->items = xrealloc(s->items, (s->count + 1) * sizeof *s->items);
  s->items[s->count++] = (conf_vector){
      .kind = KIND_SCENARIO,
      .profile = PROFILE_STRICT,
      .tc_id = json_integer_value(json_object_get(test, "tcId")),
      .test = test,
      .readable_input = readable_scenario(test),
  };
}

static bool read_scenarios(conf_scenarios *s, sbuf *why) {
  json_t *doc = s->scenarios_doc;
  const char *kind = json_string_value(json_object_get(doc, "kind"));
  if (!kind || strcmp(kind, "scenario") != 0) {
    sb_puts(why, "kind must be \"scenario\"");
    return false;
  }
  json_t *groups = json_object_get(doc, "testGroups");
  if (!json_is_array(groups)) {
    sb_puts(why, "no testGroups array");
    return false;
  }
  size_t gi;
  json_t *group;
  json_array_foreach(groups, gi, group) {
    json_t *tests = json_object_get(group, "tests");
    if (!json_is_array(tests)) {
      sb_printf(why, "test group %zu has no tests array", gi);
      return false;
    }
    size_t ti;
    json_t *test;
    json_array_foreach(tests, ti, test) {
      if (!check_scenario(test, s->count, why))
        return false;
      if (scenario_index(s, json_integer_value(json_object_get(test, "tcId"))) != SIZE_MAX) {
        sb_printf(why, "tcId %lld appears twice",
                  json_integer_value(json_object_get(test, "tcId")));
        return false;
      }
      push_scenario(s, test);
    }
  }
  return true;
}

/* -------------------------------------------------------- results file */

static bool read_header(const conf_scenarios *s, sbuf *why) {
  json_t *doc = s->results_doc;
  const char *format = json_string_value(json_object_get(doc, "format"));
  if (!format || strcmp(format, RESULTS_FORMAT) != 0)
    sb_puts(why, "format must be \"" RESULTS_FORMAT "\"");
  else if (!json_is_string(json_object_get(doc, "scenarios")))
    sb_puts(why, "scenarios must be the path of the scenarios file (a string)");
  else if (!is_count(json_object_get(doc, "numberOfScenarios")))
    sb_puts(why, "numberOfScenarios must be a non-negative integer");
  else if (!json_is_array(json_object_get(doc, "implementations")))
    sb_puts(why, "implementations must be an array");
  else if (!json_is_array(json_object_get(doc, "results")))
    sb_puts(why, "results must be an array");
  return why->len == 0;
}

/* counts: every verdict, a non-negative integer. */
static bool check_counts(const json_t *counts) {
  if (!json_is_object(counts))
    return false;
  for (int v = 0; v < VERDICT_COUNT; v++)
    if (!is_count(json_object_get(counts, verdict_name((conf_verdict)v))))
      return false;
  return true;
}

static bool read_impl(conf_scenarios *s, const conf_impls *impls, size_t index, const json_t *e,
                      sbuf *why) {
  const char *name = json_string_value(json_object_get(e, "name"));
  scenario_impl im = {.impl = impl_index(impls, name)};
  sb_printf(why, "implementations[%zu]", index);
  size_t prefix = why->len;
  if (!json_is_object(e) || !name)
    sb_puts(why, ": needs a name");
  else if (im.impl == SIZE_MAX)
    sb_printf(why, ": \"%s\" is not in the implementations file", name);
  else if (!status_from_name(json_string_value(json_object_get(e, "status")), &im.status))
    sb_printf(why, " (%s): status must be ran, not-installed or skipped", name);
  else if (im.status == IMPL_RAN && (!json_is_number(json_object_get(e, "wall_seconds")) ||
                                     json_number_value(json_object_get(e, "wall_seconds")) < 0))
    sb_printf(why, " (%s): wall_seconds must be a non-negative number", name);
  else if (im.status == IMPL_RAN && !check_counts(json_object_get(e, "counts")))
    sb_printf(why, " (%s): counts must give every verdict as a non-negative integer", name);
  for (size_t i = 0; why->len == prefix && i < s->impl_count; i++)
    if (s->impls[i].impl == im.impl)
      sb_printf(why, " (%s): listed twice", name);
  if (why->len > prefix)
    return false;
  sb_reset(why);
  if (im.status == IMPL_RAN)
    im.wall_seconds = json_number_value(json_object_get(e, "wall_seconds"));
  s->impls = xrealloc(s->impls, (s->impl_count + 1) * sizeof *s->impls);
  s->impls[s->impl_count++] = im;
  return true;
}

static const scenario_impl *listed(const conf_scenarios *s, size_t impl) {
  for (size_t i = 0; i < s->impl_count; i++)
    if (s->impls[i].impl == impl)
      return &s->impls[i];
  return NULL;
}

/* A step: {"step": N, "got": {...} or null, "expect": {...}, "compared": [...]}. */
static bool check_steps(const json_t *steps) {
  if (!json_is_array(steps))
    return false;
  size_t i;
  json_t *step;
  json_array_foreach(steps, i, step) {
    json_t *got = json_object_get(step, "got");
    json_t *compared = json_object_get(step, "compared");
    if (!json_is_object(step) || !is_count(json_object_get(step, "step")) || !got ||
        !(json_is_object(got) || json_is_null(got)) ||
        !json_is_object(json_object_get(step, "expect")) ||
        (compared && !conf_is_string_array(compared)))
      return false;
  }
  return true;
}

static bool read_row(conf_scenarios *s, const conf_impls *impls, size_t index, const json_t *e,
                     size_t *row_of, sbuf *why) {
  const char *name = json_string_value(json_object_get(e, "impl"));
  json_t *reason = json_object_get(e, "reason");
  scenario_row row = {
      .impl = impl_index(impls, name),
      .scenario = scenario_index(s, json_integer_value(json_object_get(e, "tcId"))),
      .verdict = verdict_from_name(json_string_value(json_object_get(e, "verdict"))),
      .reason = json_string_value(reason),
      .steps = json_object_get(e, "steps"),
  };
  const scenario_impl *im = row.impl == SIZE_MAX ? NULL : listed(s, row.impl);
  sb_printf(why, "results[%zu]", index);
  size_t prefix = why->len;
  if (!json_is_object(e) || !name || !im)
    sb_puts(why, ": impl must name an implementation of implementations[]");
  else if (im->status != IMPL_RAN)
    sb_printf(why, ": %s did not run (its status is not ran) but has a result", name);
  else if (!json_is_integer(json_object_get(e, "tcId")))
    sb_puts(why, ": needs an integer tcId");
  else if (row.scenario == SIZE_MAX)
    sb_printf(why, ": tcId %lld is not a scenario of %s",
              json_integer_value(json_object_get(e, "tcId")), s->scenarios_path);
  else if (row.verdict == VERDICT_COUNT)
    sb_puts(why, ": verdict must be pass, fail, acceptable, unsupported or error");
  else if (!reason || !(json_is_null(reason) || json_is_string(reason)))
    sb_puts(why, ": reason must be a string or null");
  else if (!check_steps(row.steps))
    sb_puts(why, ": steps must be an array of {step, got (object or null), expect, compared}");
  else if (row_of[row.impl * s->count + row.scenario] != NO_ROW)
    sb_printf(why, ": a second result for %s, tcId %lld", name, s->items[row.scenario].tc_id);
  if (why->len > prefix)
    return false;
  sb_reset(why);
  row_of[row.impl * s->count + row.scenario] = s->row_count;
  s->rows = xrealloc(s->rows, (s->row_count + 1) * sizeof *s->rows);
  s->rows[s->row_count++] = row;
  return true;
}

/* Each implementation that ran has one result per scenario, and its counts
 * are those of its results. */
static bool check_complete(const conf_scenarios *s, const conf_impls *impls, const size_t *row_of,
                           sbuf *why) {
  json_t *list = json_object_get(s->results_doc, "implementations");
  for (size_t i = 0; i < s->impl_count; i++) {
    const scenario_impl *im = &s->impls[i];
    if (im->status != IMPL_RAN)
      continue;
    const char *name = impls->items[im->impl].name;
    size_t tally[VERDICT_COUNT] = {0};
    for (size_t k = 0; k < s->count; k++) {
      size_t r = row_of[im->impl * s->count + k];
      if (r == NO_ROW) {
        sb_printf(why, "results: %s ran but has no result for tcId %lld", name, s->items[k].tc_id);
        return false;
      }
      tally[s->rows[r].verdict]++;
    }
    json_t *counts = json_object_get(json_array_get(list, i), "counts");
    for (int v = 0; v < VERDICT_COUNT; v++) {
      long long said = json_integer_value(json_object_get(counts, verdict_name((conf_verdict)v)));
      if (said != (long long)tally[v]) {
        sb_printf(why, "implementations[%zu] (%s): counts.%s is %lld but its results have %zu", i,
                  name, verdict_name((conf_verdict)v), said, tally[v]);
        return false;
      }
    }
  }
  return true;
}

static bool read_results(conf_scenarios *s, const conf_impls *impls, sbuf *why) {
  json_t *doc = s->results_doc;
  long long declared = json_integer_value(json_object_get(doc, "numberOfScenarios"));
  if (declared != (long long)s->count) {
    sb_printf(why, "numberOfScenarios is %lld but %s has %zu scenarios", declared,
              s->scenarios_path, s->count);
    return false;
  }
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(doc, "implementations"), i, e) {
    if (!read_impl(s, impls, i, e, why))
      return false;
  }
  size_t cells = impls->count * s->count;
  size_t *row_of = xmalloc(cells * sizeof *row_of);
  for (size_t c = 0; c < cells; c++)
    row_of[c] = NO_ROW;
  bool ok = true;
  json_array_foreach(json_object_get(doc, "results"), i, e) {
    if (!(ok = read_row(s, impls, i, e, row_of, why)))
      break;
  }
  ok = ok && check_complete(s, impls, row_of, why);
  free(row_of);
  return ok;
}

/* ------------------------------------------------------------- loading */

static char *scenarios_file_path(const json_t *results, const char *given, const char *root) {
  if (given)
    return xstrdup(given);
  const char *named = json_string_value(json_object_get(results, "scenarios"));
  if (named[0] == '/')
    return xstrdup(named);
  sbuf b;
  sb_init(&b);
  sb_printf(&b, "%s/%s", root, named);
  return sb_take(&b);
}

/* Both files, checked; a message naming the file at fault in err. */
static bool load_checked(conf_scenarios *out, const char *scenarios_path, const char *root,
                         const conf_impls *impls, sbuf *why, sbuf *err) {
  if (!(out->results_doc = load_json(out->results_path, err)))
    return false;
  const char *at_fault = out->results_path;
  bool ok = read_header(out, why);
  if (ok) {
    out->scenarios_path = scenarios_file_path(out->results_doc, scenarios_path, root);
    if (!(out->scenarios_doc = load_json(out->scenarios_path, err)))
      return false;
    at_fault = out->scenarios_path;
    ok = read_scenarios(out, why);
  }
  if (ok) {
    at_fault = out->results_path;
    ok = read_results(out, impls, why);
  }
  if (!ok)
    sb_printf(err, "%s: %s", at_fault, sb_str(why));
  return ok;
}

bool scenarios_load(const char *results_path, const char *scenarios_path, const char *root,
                    const conf_impls *impls, conf_scenarios *out, sbuf *err) {
  memset(out, 0, sizeof *out);
  out->results_path = xstrdup(results_path);
  sbuf why;
  sb_init(&why);
  bool ok = load_checked(out, scenarios_path, root, impls, &why, err);
  sb_free(&why);
  if (!ok)
    scenarios_free(out);
  return ok;
}

void scenarios_free(conf_scenarios *s) {
  for (size_t i = 0; i < s->count; i++)
    free(s->items[i].readable_input);
  free(s->items);
  free(s->impls);
  free(s->rows);
  json_decref(s->results_doc);
  json_decref(s->scenarios_doc);
  free(s->results_path);
  free(s->scenarios_path);
  memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- join */

static void add_result(conf_run *run, const conf_scenarios *s, const scenario_row *row) {
  conf_impl *im = &run->impls->items[row->impl];
  conf_result r = {
      .impl = row->impl,
      .vec = &s->items[row->scenario],
      .verdict = row->verdict,
      .expected = NULL,
      .got = json_incref(row->steps),
      .reason = row->reason && *row->reason ? xstrdup(row->reason) : NULL,
  };
  results_add(run->results, r);
  im->counts[KIND_SCENARIO][row->verdict]++;
  im->totals[row->verdict]++;
}

void scenarios_join(const conf_scenarios *s, conf_run *run) {
  for (size_t i = 0; i < run->impls->count; i++) {
    conf_impl *im = &run->impls->items[i];
    const scenario_impl *entry = listed(s, i);
    if (im->status == IMPL_SKIPPED) {
      im->scenario_status = IMPL_SKIPPED; /* --only: the whole implementation */
      continue;
    }
    im->scenario_status = entry ? entry->status : IMPL_NO_RESULTS;
    if (im->scenario_status != IMPL_RAN)
      continue;
    im->scenario_wall_seconds = entry->wall_seconds;
    /* Scenario file order, whatever order the driver wrote. */
    for (size_t k = 0; k < s->count; k++)
      for (size_t r = 0; r < s->row_count; r++)
        if (s->rows[r].impl == i && s->rows[r].scenario == k)
          add_result(run, s, &s->rows[r]);
  }
}

const char *scenarios_flag_rfc(const conf_scenarios *s, const char *flag) {
  json_t *note = json_object_get(json_object_get(s->scenarios_doc, "notes"), flag);
  return json_string_value(json_object_get(note, "rfc"));
}
