/*
 * report_external.c - the parts of a vector run's report that put the
 * implementations next to each other: the side-by-side matrix (kinds x
 * implementations) and, for each external implementation, the vectors it
 * fails grouped by the vectors' flags (rulings), with their RFC sections.
 *
 * A vector with several flags is listed under each of them, so the group
 * counts of one implementation can add up to more than its failures; a
 * vector without flags is listed under "no flag".
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "vectors.h"

/* Inputs shown in the one-line entries of the terminal list. */
enum { LINE_INPUT_LIMIT = 72 };

static const char *str_or(const json_t *obj, const char *key, const char *fallback) {
  const char *s = json_string_value(json_object_get(obj, key));
  return s ? s : fallback;
}

/* ------------------------------------------------------- side by side */

void report_side_cell(sbuf *b, const conf_impl *im, conf_kind kind) {
  /* Nothing at all: its status everywhere, as the matrix shows it. */
  conf_impl_status st = impl_status(im);
  if (st == IMPL_RAN && kind != KIND_COUNT)
    st = impl_kind_status(im, kind);
  if (st != IMPL_RAN) {
    sb_puts(b, impl_status_name(st));
    return;
  }
  const size_t *n = kind == KIND_COUNT ? im->totals : im->counts[kind];
  size_t total = 0;
  for (int v = 0; v < VERDICT_COUNT; v++)
    total += n[v];
  if (total == 0) {
    sb_puts(b, "-");
    return;
  }
  if (n[VERDICT_UNSUPPORTED] == total) {
    sb_puts(b, "unsupported");
    return;
  }
  sb_printf(b, "%zu/%zu", n[VERDICT_PASS], n[VERDICT_FAIL]);
  if (n[VERDICT_ACCEPTABLE])
    sb_printf(b, " +%zua", n[VERDICT_ACCEPTABLE]);
  if (n[VERDICT_UNSUPPORTED])
    sb_printf(b, " +%zuu", n[VERDICT_UNSUPPORTED]);
  if (n[VERDICT_ERROR])
    sb_printf(b, " +%zue", n[VERDICT_ERROR]);
}

static const char side_legend[] =
    "cells: pass/fail, then +Na acceptable, +Nu unsupported, +Ne error";

void report_side_terminal(FILE *f, const conf_run *run) {
  conf_kind kinds[KIND_COUNT + 1];
  size_t nk = report_kinds(run, kinds);
  kinds[nk++] = KIND_COUNT; /* the "all" row */
  size_t ni = run->impls->count;
  size_t *width = xmalloc(ni * sizeof *width);
  sbuf cell;
  sb_init(&cell);
  for (size_t i = 0; i < ni; i++) {
    width[i] = strlen(run->impls->items[i].name);
    for (size_t k = 0; k < nk; k++) {
      sb_reset(&cell);
      report_side_cell(&cell, &run->impls->items[i], kinds[k]);
      width[i] = cell.len > width[i] ? cell.len : width[i];
    }
  }
  /* The last column is not padded: no trailing blanks. */
  fprintf(f, "\nside by side (%s):\n%-14s", side_legend, "kind");
  for (size_t i = 0; i < ni; i++)
    fprintf(f, "  %-*s", i + 1 < ni ? (int)width[i] : 0, run->impls->items[i].name);
  fputc('\n', f);
  for (size_t k = 0; k < nk; k++) {
    fprintf(f, "%-14s", kinds[k] == KIND_COUNT ? "all" : kind_name(kinds[k]));
    for (size_t i = 0; i < ni; i++) {
      sb_reset(&cell);
      report_side_cell(&cell, &run->impls->items[i], kinds[k]);
      fprintf(f, "  %-*s", i + 1 < ni ? (int)width[i] : 0, sb_str(&cell));
    }
    fputc('\n', f);
  }
  sb_free(&cell);
  free(width);
}

void report_side_markdown(sbuf *b, const conf_run *run) {
  conf_kind kinds[KIND_COUNT + 1];
  size_t nk = report_kinds(run, kinds);
  kinds[nk++] = KIND_COUNT;
  sb_printf(b, "\n## Side by side\n\n%s.\n\n| kind |", side_legend);
  for (size_t i = 0; i < run->impls->count; i++)
    sb_printf(b, " %s |", run->impls->items[i].name);
  sb_puts(b, "\n|---|");
  for (size_t i = 0; i < run->impls->count; i++)
    sb_puts(b, "---:|");
  sb_putc(b, '\n');
  for (size_t k = 0; k < nk; k++) {
    sb_printf(b, "| %s |", kinds[k] == KIND_COUNT ? "**all**" : kind_name(kinds[k]));
    for (size_t i = 0; i < run->impls->count; i++) {
      sb_putc(b, ' ');
      report_side_cell(b, &run->impls->items[i], kinds[k]);
      sb_puts(b, " |");
    }
    sb_putc(b, '\n');
  }
}

/* ---------------------------------------------------- failures by flag */

static bool is_failure(const conf_result *r) {
  return r->verdict == VERDICT_FAIL || r->verdict == VERDICT_ERROR;
}

static void group_add(flag_groups *g, const char *flag, size_t row) {
  flag_group *grp = NULL;
  for (size_t i = 0; i < g->count && !grp; i++)
    if ((flag == NULL) == (g->items[i].flag == NULL) &&
        (!flag || strcmp(flag, g->items[i].flag) == 0))
      grp = &g->items[i];
  if (!grp) {
    g->items = xrealloc(g->items, (g->count + 1) * sizeof *g->items);
    grp = &g->items[g->count++];
    memset(grp, 0, sizeof *grp);
    grp->flag = flag;
  }
  grp->rows = xrealloc(grp->rows, (grp->count + 1) * sizeof *grp->rows);
  grp->rows[grp->count++] = row;
}

/* Most failures first; equal counts by name; "no flag" last. */
static int group_order(const void *pa, const void *pb) {
  const flag_group *a = pa, *b = pb;
  if (!a->flag || !b->flag)
    return !a->flag - !b->flag;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return strcmp(a->flag, b->flag);
}

void flag_groups_build(const conf_run *run, size_t impl, bool scenarios, flag_groups *out) {
  memset(out, 0, sizeof *out);
  for (size_t j = 0; j < run->results->count; j++) {
    const conf_result *r = &run->results->items[j];
    /* Scenario flags name resolver behaviours, vector flags grammar
     * rulings: two lists, never one mixed group. */
    if (r->impl != impl || !is_failure(r) || report_is_scenario(r) != scenarios)
      continue;
    out->failed++;
    json_t *flags = json_object_get(r->vec->test, "flags");
    size_t named = 0;
    for (size_t i = 0; i < json_array_size(flags); i++) {
      const char *flag = json_string_value(json_array_get(flags, i));
      if (flag) {
        group_add(out, flag, j);
        named++;
      }
    }
    if (named == 0)
      group_add(out, NULL, j);
  }
  if (out->count > 1)
    qsort(out->items, out->count, sizeof *out->items, group_order);
}

void flag_groups_free(flag_groups *g) {
  for (size_t i = 0; i < g->count; i++)
    free(g->items[i].rows);
  free(g->items);
  memset(g, 0, sizeof *g);
}

/* "valid {"id":"a"}" or "invalid": what the vector expects of this
 * implementation. */
static void put_expected(sbuf *b, const conf_result *r) {
  sb_puts(b, r->expected);
  json_t *expected = json_object_get(r->vec->test, "expected");
  if (strcmp(r->expected, "valid") == 0 && expected && json_object_size(expected) > 0) {
    char *text = json_dumps(expected, JSON_COMPACT | JSON_ENSURE_ASCII);
    sb_printf(b, " %s", text);
    free(text);
  }
}

/* What it answered, or why there was no answer. */
static void put_got_or_why(sbuf *b, const conf_result *r) {
  report_put_got(b, r);
  if (!r->got && r->reason)
    sb_printf(b, " (%s)", r->reason);
}

/* One line per vector. */
static void print_entry(FILE *f, const conf_result *r) {
  const conf_vector *v = r->vec;
  sbuf input, got, want;
  sb_init(&input);
  sb_init(&got);
  sb_init(&want);
  size_t len = strlen(v->readable_input);
  sb_putn(&input, v->readable_input, len > LINE_INPUT_LIMIT ? LINE_INPUT_LIMIT : len);
  if (len > LINE_INPUT_LIMIT)
    sb_puts(&input, "...");
  put_got_or_why(&got, r);
  put_expected(&want, r);
  fprintf(f, "    %s%s #%lld  %s  %s -> %s; expected %s\n",
          r->verdict == VERDICT_ERROR ? "ERROR " : "", kind_name(v->kind), v->tc_id,
          str_or(v->test, "rfc", "(no rfc)"), sb_str(&input), sb_str(&got), sb_str(&want));
  sb_free(&input);
  sb_free(&got);
  sb_free(&want);
}

void report_external_terminal(FILE *f, const conf_run *run, size_t max_listed) {
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (im->own || im->status != IMPL_RAN)
      continue;
    flag_groups g;
    flag_groups_build(run, i, false, &g);
    fprintf(f,
            "\n-- %s: %zu vector%s failed, by flag (a vector appears under each of its flags) --\n",
            im->name, g.failed, g.failed == 1 ? "" : "s");
    for (size_t k = 0; k < g.count; k++) {
      const flag_group *grp = &g.items[k];
      fprintf(f, "  %s: %zu\n", grp->flag ? grp->flag : "no flag", grp->count);
      size_t shown = max_listed == 0 || grp->count < max_listed ? grp->count : max_listed;
      for (size_t m = 0; m < shown; m++)
        print_entry(f, &run->results->items[grp->rows[m]]);
      if (shown < grp->count)
        fprintf(f, "    ... and %zu more (see report.md)\n", grp->count - shown);
    }
    flag_groups_free(&g);
  }
}

static void md_cell(sbuf *b, const char *s) {
  sb_put_md_cell(b, s, strlen(s));
}

void report_external_markdown(sbuf *b, const conf_run *run) {
  bool any = false;
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    if (im->own || im->status != IMPL_RAN)
      continue;
    if (!any)
      sb_puts(b, "\n## External implementations: failed vectors by flag\n\nA vector appears "
                 "under each of its flags; \"no flag\" holds the vectors without one.\n");
    any = true;
    flag_groups g;
    flag_groups_build(run, i, false, &g);
    sb_printf(b, "\n### %s: %zu failed\n", im->name, g.failed);
    for (size_t k = 0; k < g.count; k++) {
      const flag_group *grp = &g.items[k];
      sb_printf(b,
                "\n#### %s (%zu)\n\n| kind | tcId | RFC | comment | input | expected | got |\n"
                "|---|---:|---|---|---|---|---|\n",
                grp->flag ? grp->flag : "no flag", grp->count);
      for (size_t m = 0; m < grp->count; m++) {
        const conf_result *r = &run->results->items[grp->rows[m]];
        sbuf got, want;
        sb_init(&got);
        sb_init(&want);
        put_got_or_why(&got, r);
        put_expected(&want, r);
        sb_printf(b, "| %s | %lld | ", kind_name(r->vec->kind), r->vec->tc_id);
        md_cell(b, str_or(r->vec->test, "rfc", ""));
        sb_puts(b, " | ");
        md_cell(b, str_or(r->vec->test, "comment", ""));
        sb_puts(b, " | `");
        md_cell(b, r->vec->readable_input);
        sb_puts(b, "` | ");
        md_cell(b, sb_str(&want));
        sb_puts(b, " | ");
        md_cell(b, sb_str(&got));
        sb_puts(b, " |\n");
        sb_free(&got);
        sb_free(&want);
      }
    }
    if (g.count == 0)
      sb_puts(b, "\nNone.\n");
    flag_groups_free(&g);
  }
}

json_t *report_external_json(const conf_run *run, size_t impl) {
  flag_groups g;
  flag_groups_build(run, impl, false, &g);
  json_t *groups = json_array();
  for (size_t k = 0; k < g.count; k++) {
    const flag_group *grp = &g.items[k];
    json_t *o = json_object();
    json_object_set_new(o, "flag", grp->flag ? json_string(grp->flag) : json_null());
    json_object_set_new(o, "count", json_integer((json_int_t)grp->count));
    json_t *vectors = json_array();
    for (size_t m = 0; m < grp->count; m++) {
      const conf_result *r = &run->results->items[grp->rows[m]];
      json_t *v = json_object();
      json_object_set_new(v, "kind", json_string(kind_name(r->vec->kind)));
      json_object_set_new(v, "tcId", json_integer(r->vec->tc_id));
      json_object_set_new(v, "profile", json_string(profile_name(r->vec->profile)));
      json_object_set_new(v, "verdict", json_string(verdict_name(r->verdict)));
      json_object_set_new(v, "rfc", json_string(str_or(r->vec->test, "rfc", "")));
      json_object_set_new(v, "comment", json_string(str_or(r->vec->test, "comment", "")));
      json_array_append_new(vectors, v);
    }
    json_object_set_new(o, "vectors", vectors);
    json_array_append_new(groups, o);
  }
  json_t *out = json_object();
  json_object_set_new(out, "failed", json_integer((json_int_t)g.failed));
  json_object_set_new(out, "groups", groups);
  flag_groups_free(&g);
  return out;
}
