/*
 * tlsrpt_verdicts.c - what the summary means for the domain: each
 * sender over the whole period, the MX hosts failing for every sender,
 * and whether the domain is ready for enforce (the rules: mtasts.1,
 * report, VERDICTS).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsrpt_run.h"

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

static int org_order(const void *a, const void *b) {
  return strcmp(((const org_sum *)a)->org, ((const org_sum *)b)->org);
}

static void sum_orgs(const run *x, verdicts *v) {
  v->orgs = rpt_xrealloc(NULL, (x->nrows ? x->nrows : 1) * sizeof *v->orgs);
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    size_t k = 0;
    while (k < v->norgs && strcmp(v->orgs[k].org, d->org) != 0)
      k++;
    if (k == v->norgs)
      v->orgs[v->norgs++] = (org_sum){d->org, 0, 0, 0, 0, 0, NULL};
    org_sum *o = &v->orgs[k];
    o->successful += d->successful;
    o->failed += d->failed;
    o->current += d->current;
    o->old += d->old;
    o->none += d->none;
    if (o->old_how == NULL)
      o->old_how = d->old_how;
  }
  if (v->norgs > 0)
    qsort(v->orgs, v->norgs, sizeof *v->orgs, org_order);
}

static bool failed_at(const run *x, const char *org, const char *mx) {
  for (size_t i = 0; i < x->nrows; i++)
    for (size_t k = 0; strcmp(x->rows[i].org, org) == 0 && k < x->rows[i].nf; k++)
      if (x->rows[i].f[k].sessions > 0 && strcmp(x->rows[i].f[k].mx, mx) == 0)
        return true;
  return false;
}

static int str_order(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* MX hosts in failures where every sender of the period failed. */
static void mx_failing_for_all(const run *x, verdicts *v) {
  size_t cap = 1;
  for (size_t i = 0; i < x->nrows; i++)
    cap += x->rows[i].nf;
  v->mx_all = rpt_xrealloc(NULL, cap * sizeof *v->mx_all);
  for (size_t i = 0; v->norgs >= 2 && i < x->nrows; i++)
    for (size_t k = 0; k < x->rows[i].nf; k++) {
      const char *mx = x->rows[i].f[k].mx;
      bool all = mx[0] != '\0';
      for (size_t j = 0; j < v->nmx_all && all; j++)
        all = strcmp(v->mx_all[j], mx) != 0;
      for (size_t j = 0; j < v->norgs && all; j++)
        all = failed_at(x, v->orgs[j].org, mx);
      if (all)
        v->mx_all[v->nmx_all++] = mx;
    }
  if (v->nmx_all > 0)
    qsort(v->mx_all, v->nmx_all, sizeof *v->mx_all, str_order);
}

__attribute__((format(printf, 2, 3))) static void reason(verdicts *v, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->reasons[v->nreasons++], sizeof v->reasons[0], fmt, ap);
  va_end(ap);
}

/* Ready for enforce: reports were read, none rejected, no session failed,
 * and (with --policy) every sender applied the policy published now. */
static void judge(const run *x, verdicts *v) {
  unsigned long long failed = 0;
  size_t failing = 0, old = 0, none = 0;
  for (size_t i = 0; i < v->norgs; i++) {
    failed += v->orgs[i].failed;
    failing += v->orgs[i].failed > 0;
    old += v->orgs[i].old > 0;
    none += v->orgs[i].none > 0;
  }
  if (x->reports == 0)
    reason(v, "no report read");
  if (x->rejected > 0)
    reason(v, "%zu report(s) rejected", x->rejected);
  if (failed > 0)
    reason(v, "%llu failed session(s), from %zu of %zu sender(s)", failed, failing, v->norgs);
  if (!x->have_now)
    reason(v, "the policies senders applied are not compared (no --policy FILE)");
  if (old > 0)
    reason(v, "%zu sender(s) applied another policy than yours", old);
  if (none > 0)
    reason(v, "%zu sender(s) found no policy", none);
}

void rpt_verdicts_of(const run *x, verdicts *v) {
  memset(v, 0, sizeof *v);
  sum_orgs(x, v);
  mx_failing_for_all(x, v);
  judge(x, v);
}

void rpt_verdicts_free(verdicts *v) {
  free(v->orgs);
  free(v->mx_all);
}
