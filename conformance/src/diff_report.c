/*
 * diff_report.c - what a differential replay shows: the terminal summary
 * and the files diff.json, diff.md and diff.html.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"

/* Paths listed per class in diff.json (the count is always exact). */
enum { LISTED_INPUTS = 20, FIELDS_SHOWN = 160 };

static const conf_impl *participant(const diff_run *run, size_t p) {
  return &run->impls->items[run->participants[p]];
}

/* "invalid E_X at 3", "valid {...}", "unsupported", "error: why". */
static void put_answer(sbuf *b, const diff_answer *a) {
  if (!a->got) {
    sb_printf(b, "error: %s", a->reason ? a->reason : "no answer");
    return;
  }
  sb_puts(b, json_string_value(json_object_get(a->got, "result")));
  const char *error = json_string_value(json_object_get(a->got, "error"));
  json_t *offset = json_object_get(a->got, "offset");
  if (error)
    sb_printf(b, " %s", error);
  if (offset)
    sb_printf(b, " at %lld", json_integer_value(offset));
  json_t *fields = json_object_get(a->got, "fields");
  if (fields && json_object_size(fields) > 0) {
    char *text = json_dumps(fields, JSON_COMPACT | JSON_ENSURE_ASCII);
    size_t len = strlen(text);
    sb_putc(b, ' ');
    sb_putn(b, text, len > FIELDS_SHOWN ? FIELDS_SHOWN : len);
    if (len > FIELDS_SHOWN)
      sb_puts(b, "...");
    free(text);
  }
}

static size_t inputs_in(const diff_run *run, bool disagreements) {
  size_t n = 0;
  for (size_t k = 0; k < run->class_count; k++)
    if (run->classes[k].disagreement == disagreements)
      n += run->classes[k].count;
  return n;
}

static size_t classes_in(const diff_run *run, bool disagreements) {
  size_t n = 0;
  for (size_t k = 0; k < run->class_count; k++)
    n += run->classes[k].disagreement == disagreements;
  return n;
}

static void put_skips(sbuf *b, const diff_inputs *in) {
  bool any = false;
  for (int s = SKIP_NONE + 1; s < SKIP_COUNT; s++)
    if (in->skipped[s]) {
      sb_printf(b, "%s%zu %s", any ? ", " : "", in->skipped[s], input_skip_name((input_skip)s));
      any = true;
    }
  if (!any)
    sb_puts(b, "none");
}

static void put_dirs(sbuf *b, const diff_run *run) {
  for (size_t d = 0; d < run->dir_count; d++)
    sb_printf(b, "%s%s", d ? " " : "", run->dirs[d]);
}

/* ------------------------------------------------------------ terminal */

static size_t name_width(const diff_run *run) {
  size_t w = 14;
  for (size_t p = 0; p < run->participant_count; p++) {
    size_t n = strlen(participant(run, p)->name);
    w = n > w ? n : w;
  }
  return w;
}

static void print_class(FILE *f, const diff_run *run, size_t k, size_t width) {
  const diff_class *c = &run->classes[k];
  const diff_input *ex = &run->inputs->items[c->example];
  fprintf(f, "\n#%zu  %zu input%s%s   shortest: %s (%zu bytes)\n", k + 1, c->count,
          c->count == 1 ? "" : "s", c->disagreement ? "" : " (agreement)", ex->path,
          ex->payload_len);
  fprintf(f, "    input: %s\n", ex->vec.readable_input);
  size_t token_width = 7;
  for (size_t p = 0; p < run->participant_count; p++) {
    size_t n = strlen(c->tokens[p]);
    token_width = n > token_width ? n : token_width;
  }
  for (size_t p = 0; p < run->participant_count; p++) {
    sbuf got;
    sb_init(&got);
    put_answer(&got, diff_answer_at(run, c->example, p));
    fprintf(f, "    %-*s  %-*s  %s\n", (int)width, participant(run, p)->name, (int)token_width,
            c->tokens[p], sb_str(&got));
    sb_free(&got);
  }
}

static void print_participants(FILE *f, const diff_run *run) {
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    size_t p = 0;
    while (p < run->participant_count && run->participants[p] != i)
      p++;
    if (p == run->participant_count) {
      fprintf(f, "  %-26s (%s)\n", im->name, impl_status_name(im->status));
      continue;
    }
    fprintf(f, "  %-26s", im->name);
    for (int a = 0; a < ANSWER_COUNT; a++)
      fprintf(f, " %s %zu%s", answer_kind_name((diff_answer_kind)a), run->answer_counts[p][a],
              a + 1 < ANSWER_COUNT ? "," : "");
    fprintf(f, "; %.3f s, %u restart%s%s%s\n", im->wall_seconds, im->restarts,
            im->restarts == 1 ? "" : "s", im->exit_note ? "; adapter " : "",
            im->exit_note ? im->exit_note : "");
  }
}

void diff_report_terminal(FILE *f, const diff_run *run, size_t max_listed) {
  sbuf line;
  sb_init(&line);
  put_dirs(&line, run);
  fprintf(f, "differential replay of %s (profile strict, %s format): %zu inputs from %s\n",
          kind_name(run->kind), input_format_name(run->format), run->inputs->count, sb_str(&line));
  sb_reset(&line);
  put_skips(&line, run->inputs);
  fprintf(f, "files: %zu; skipped: %s\n", run->inputs->files, sb_str(&line));
  sb_free(&line);
  print_participants(f, run);
  if (run->participant_count < 2) {
    fprintf(f, "\nfewer than two implementations take %s: nothing to compare\n",
            kind_name(run->kind));
    return;
  }
  size_t nd = classes_in(run, true);
  fprintf(f, "\n%zu disagreement class%s over %zu inputs; %zu agreement class%s over %zu inputs\n",
          nd, nd == 1 ? "" : "es", inputs_in(run, true), classes_in(run, false),
          classes_in(run, false) == 1 ? "" : "es", inputs_in(run, false));
  size_t width = name_width(run);
  size_t listed = 0;
  for (size_t k = 0; k < run->class_count && run->classes[k].disagreement; k++)
    if (max_listed == 0 || listed < max_listed) {
      print_class(f, run, k, width);
      listed++;
    }
  if (listed < nd)
    fprintf(f, "\n... and %zu more disagreement classes (see diff.md)\n", nd - listed);
  if (nd < run->class_count)
    fputs("\nagreements:\n", f);
  for (size_t k = nd; k < run->class_count; k++) {
    const diff_class *c = &run->classes[k];
    fprintf(f, "  #%zu  %zu input%s:", k + 1, c->count, c->count == 1 ? "" : "s");
    for (size_t p = 0; p < run->participant_count; p++)
      fprintf(f, "%s %s", p ? " |" : "", c->tokens[p]);
    fputc('\n', f);
  }
}

/* ---------------------------------------------------------------- JSON */

static json_t *answer_json(const diff_answer *a) {
  if (a->got)
    return json_incref(a->got);
  json_t *o = json_object();
  json_object_set_new(o, "result", json_string("error"));
  json_object_set_new(o, "reason", json_string(a->reason ? a->reason : "no answer"));
  return o;
}

static json_t *class_json(const diff_run *run, size_t k) {
  const diff_class *c = &run->classes[k];
  const diff_input *ex = &run->inputs->items[c->example];
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer((json_int_t)k + 1));
  json_object_set_new(o, "disagreement", json_boolean(c->disagreement));
  json_object_set_new(o, "count", json_integer((json_int_t)c->count));
  json_t *verdicts = json_object();
  json_t *answers = json_object();
  for (size_t p = 0; p < run->participant_count; p++) {
    json_object_set_new(verdicts, participant(run, p)->name, json_string(c->tokens[p]));
    json_object_set_new(answers, participant(run, p)->name,
                        answer_json(diff_answer_at(run, c->example, p)));
  }
  json_object_set_new(o, "verdicts", verdicts);
  json_t *example = json_object();
  json_object_set_new(example, "path", json_string(ex->path));
  json_object_set_new(example, "bytes", json_integer((json_int_t)ex->payload_len));
  json_object_set_new(example, "input", json_string(ex->vec.readable_input));
  json_object_set_new(example, "answers", answers);
  json_object_set_new(o, "example", example);
  json_t *paths = json_array();
  for (size_t m = 0; m < c->count && m < LISTED_INPUTS; m++)
    json_array_append_new(paths, json_string(run->inputs->items[c->members[m]].path));
  json_object_set_new(o, "inputs", paths);
  return o;
}

static json_t *impl_json(const diff_run *run, size_t i) {
  const conf_impl *im = &run->impls->items[i];
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(im->name));
  json_object_set_new(o, "description", json_string(im->description));
  json_object_set_new(o, "own", json_boolean(im->own));
  json_object_set_new(o, "status", json_string(impl_status_name(im->status)));
  for (size_t p = 0; p < run->participant_count; p++) {
    if (run->participants[p] != i)
      continue;
    json_object_set_new(o, "wallSeconds", json_real(im->wall_seconds));
    json_object_set_new(o, "restarts", json_integer(im->restarts));
    if (im->exit_note)
      json_object_set_new(o, "adapterExit", json_string(im->exit_note));
    json_t *counts = json_object();
    for (int a = 0; a < ANSWER_COUNT; a++)
      json_object_set_new(counts, answer_kind_name((diff_answer_kind)a),
                          json_integer((json_int_t)run->answer_counts[p][a]));
    json_object_set_new(o, "answers", counts);
  }
  return o;
}

json_t *diff_report_json(const diff_run *run) {
  json_t *doc = json_object();
  json_object_set_new(doc, "runner", json_string("mtasts-conformance"));
  json_object_set_new(doc, "mode", json_string("diff"));
  json_object_set_new(doc, "protocol", json_integer(1));
  char stamp[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json_object_set_new(doc, "generated", json_string(stamp));
  json_object_set_new(doc, "kind", json_string(kind_name(run->kind)));
  json_object_set_new(doc, "profile", json_string("strict"));
  json_object_set_new(doc, "format", json_string(input_format_name(run->format)));
  json_t *dirs = json_array();
  for (size_t d = 0; d < run->dir_count; d++)
    json_array_append_new(dirs, json_string(run->dirs[d]));
  json_object_set_new(doc, "dirs", dirs);
  json_object_set_new(doc, "implsFile", json_string(run->impls_path));
  json_object_set_new(doc, "timeoutSeconds", json_real(run->timeout_seconds));
  json_t *inputs = json_object();
  json_object_set_new(inputs, "files", json_integer((json_int_t)run->inputs->files));
  json_object_set_new(inputs, "sent", json_integer((json_int_t)run->inputs->count));
  json_t *skipped = json_object();
  for (int s = SKIP_NONE + 1; s < SKIP_COUNT; s++)
    if (run->inputs->skipped[s])
      json_object_set_new(skipped, input_skip_name((input_skip)s),
                          json_integer((json_int_t)run->inputs->skipped[s]));
  json_object_set_new(inputs, "skipped", skipped);
  json_object_set_new(doc, "inputs", inputs);
  json_t *impls = json_array();
  for (size_t i = 0; i < run->impls->count; i++)
    json_array_append_new(impls, impl_json(run, i));
  json_object_set_new(doc, "implementations", impls);
  json_t *names = json_array();
  for (size_t p = 0; p < run->participant_count; p++)
    json_array_append_new(names, json_string(participant(run, p)->name));
  json_object_set_new(doc, "participants", names);
  json_t *summary = json_object();
  json_object_set_new(summary, "classes", json_integer((json_int_t)run->class_count));
  json_object_set_new(summary, "disagreements", json_integer((json_int_t)classes_in(run, true)));
  json_object_set_new(summary, "disagreeingInputs", json_integer((json_int_t)inputs_in(run, true)));
  json_object_set_new(summary, "agreements", json_integer((json_int_t)classes_in(run, false)));
  json_object_set_new(summary, "agreeingInputs", json_integer((json_int_t)inputs_in(run, false)));
  json_object_set_new(doc, "summary", summary);
  json_t *classes = json_array();
  for (size_t k = 0; k < run->class_count; k++)
    json_array_append_new(classes, class_json(run, k));
  json_object_set_new(doc, "classes", classes);
  return doc;
}

/* ------------------------------------------------------------ Markdown */

static void md_cell(sbuf *b, const char *s) {
  sb_put_md_cell(b, s, strlen(s));
}

static void md_participants(sbuf *b, const diff_run *run) {
  sb_puts(b, "| implementation | status | valid | invalid | unsupported | error | wall |\n"
             "|---|---|---:|---:|---:|---:|---:|\n");
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    size_t p = 0;
    while (p < run->participant_count && run->participants[p] != i)
      p++;
    if (p == run->participant_count) {
      sb_printf(b, "| %s | *%s* | | | | | |\n", im->name, impl_status_name(im->status));
      continue;
    }
    sb_printf(b, "| %s | ran%s%s |", im->name, im->exit_note ? ", adapter " : "",
              im->exit_note ? im->exit_note : "");
    for (int a = 0; a < ANSWER_COUNT; a++)
      sb_printf(b, " %zu |", run->answer_counts[p][a]);
    sb_printf(b, " %.3f s |\n", im->wall_seconds);
  }
}

static void md_classes_table(sbuf *b, const diff_run *run) {
  sb_puts(b, "| # | inputs |");
  for (size_t p = 0; p < run->participant_count; p++)
    sb_printf(b, " %s |", participant(run, p)->name);
  sb_puts(b, " shortest input |\n|---:|---:|");
  for (size_t p = 0; p < run->participant_count; p++)
    sb_puts(b, "---|");
  sb_puts(b, "---|\n");
  for (size_t k = 0; k < run->class_count; k++) {
    const diff_class *c = &run->classes[k];
    sb_printf(b, "| %s%zu%s | %zu |", c->disagreement ? "**" : "", k + 1,
              c->disagreement ? "**" : "", c->count);
    for (size_t p = 0; p < run->participant_count; p++) {
      sb_putc(b, ' ');
      md_cell(b, c->tokens[p]);
      sb_puts(b, " |");
    }
    sb_puts(b, " `");
    md_cell(b, run->inputs->items[c->example].vec.readable_input);
    sb_puts(b, "` |\n");
  }
}

static void md_class_details(sbuf *b, const diff_run *run, size_t k) {
  const diff_class *c = &run->classes[k];
  const diff_input *ex = &run->inputs->items[c->example];
  sb_printf(b, "\n### #%zu: %zu input%s\n\nShortest: `", k + 1, c->count, c->count == 1 ? "" : "s");
  md_cell(b, ex->path);
  sb_printf(b, "` (%zu bytes): `", ex->payload_len);
  md_cell(b, ex->vec.readable_input);
  sb_puts(b,
          "`\n\n| implementation | verdict | its answer to the shortest input |\n|---|---|---|\n");
  for (size_t p = 0; p < run->participant_count; p++) {
    sbuf got;
    sb_init(&got);
    put_answer(&got, diff_answer_at(run, c->example, p));
    sb_printf(b, "| %s | ", participant(run, p)->name);
    md_cell(b, c->tokens[p]);
    sb_puts(b, " | `");
    md_cell(b, sb_str(&got));
    sb_puts(b, "` |\n");
    sb_free(&got);
  }
}

static void markdown(sbuf *b, const diff_run *run) {
  sb_printf(b, "# Differential replay: %s\n\nInputs: `", kind_name(run->kind));
  put_dirs(b, run);
  sb_printf(b, "` (%s format, profile strict): %zu files, %zu sent; skipped: ",
            input_format_name(run->format), run->inputs->files, run->inputs->count);
  put_skips(b, run->inputs);
  sb_printf(b, ". Implementations: `%s`.\n\n", run->impls_path);
  md_participants(b, run);
  if (run->participant_count < 2) {
    sb_printf(b, "\nFewer than two implementations take %s: nothing to compare.\n",
              kind_name(run->kind));
    return;
  }
  sb_printf(b,
            "\n## Classes\n\n%zu disagreement classes over %zu inputs (in bold), %zu agreement "
            "classes over %zu inputs. `valid [A]` / `valid [B: f]`: valid with different "
            "fields (B differs from A in f).\n\n",
            classes_in(run, true), inputs_in(run, true), classes_in(run, false),
            inputs_in(run, false));
  md_classes_table(b, run);
  if (classes_in(run, true) > 0)
    sb_puts(b, "\n## Disagreements\n");
  for (size_t k = 0; k < run->class_count && run->classes[k].disagreement; k++)
    md_class_details(b, run, k);
}

/* --------------------------------------------------------------- files */

static bool save(const diff_run *run, const char *name, const char *data, size_t len, sbuf *err) {
  sbuf path;
  sb_init(&path);
  sb_printf(&path, "%s/%s", run->out_dir, name);
  bool ok = write_file(sb_str(&path), data ? data : "", len);
  if (!ok)
    sb_printf(err, "cannot write %s: %s", sb_str(&path), strerror(errno));
  sb_free(&path);
  return ok;
}

bool diff_report_write_files(const diff_run *run, sbuf *err) {
  json_t *doc = diff_report_json(run);
  char *text = json_dumps(doc, JSON_INDENT(1));
  bool ok = save(run, "diff.json", text, strlen(text), err);
  free(text);
  sbuf b;
  sb_init(&b);
  markdown(&b, run);
  ok = ok && save(run, "diff.md", b.data, b.len, err);
  sb_reset(&b);
  diff_report_html(&b, doc);
  ok = ok && save(run, "diff.html", b.data, b.len, err);
  sb_free(&b);
  json_decref(doc);
  return ok;
}
