/*
 * tlsrpt_summary.c - the summary of `mtasts report`: one row per
 * organisation and day, one per distinct failure, and with --policy the
 * sessions under the policy published now, under another one (how it
 * differs) and under none.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "tlsrpt_run.h"

void *rpt_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) {
    fputs("mtasts: out of memory\n", stderr);
    exit(EXIT_TROUBLE);
  }
  return q;
}

bool rpt_reserve(bytes *b, size_t n) {
  if (n <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 65536;
  while (cap < n)
    cap *= 2;
  b->p = rpt_xrealloc(b->p, cap);
  b->cap = cap;
  return true;
}

char *rpt_span_dup(mtasts_span s) {
  size_t n = mtasts_report_copy(s, NULL, 0);
  char *out = rpt_xrealloc(NULL, n + 1);
  mtasts_report_copy(s, out, n);
  out[n] = '\0';
  return out;
}

/* ------------------------------------------------------------------ */
/* The summary                                                         */
/* ------------------------------------------------------------------ */

/* The row of (org, day), made when new (it then owns org). */
static day_row *day_of(run *x, char *org, int64_t day) {
  for (size_t i = 0; i < x->nrows; i++)
    if (x->rows[i].day == day && strcmp(x->rows[i].org, org) == 0)
      return &x->rows[i];
  if (x->nrows == x->caprows) {
    x->caprows = x->caprows ? x->caprows * 2 : 16;
    x->rows = rpt_xrealloc(x->rows, x->caprows * sizeof *x->rows);
  }
  day_row *d = &x->rows[x->nrows++];
  memset(d, 0, sizeof *d);
  d->org = org;
  d->day = day;
  return d;
}

static bool same(const char *a, const char *b) {
  return strcmp(a, b) == 0;
}

static void add_failure(day_row *d, const mtasts_report_detail *det) {
  char *f[4] = {rpt_span_dup(det->result_text), rpt_span_dup(det->receiving_mx_hostname),
                rpt_span_dup(det->sending_mta_ip),
                rpt_span_dup(det->failure_reason_code.ptr ? det->failure_reason_code
                                                          : det->additional_information)};
  for (size_t i = 0; i < d->nf; i++) {
    failure_row *r = &d->f[i];
    if (same(r->result, f[0]) && same(r->mx, f[1]) && same(r->ip, f[2]) && same(r->reason, f[3])) {
      r->sessions += det->failed_session_count;
      for (int k = 0; k < 4; k++)
        free(f[k]);
      return;
    }
  }
  if (d->nf == d->capf) {
    d->capf = d->capf ? d->capf * 2 : 4;
    d->f = rpt_xrealloc(d->f, d->capf * sizeof *d->f);
  }
  d->f[d->nf++] = (failure_row){f[0], f[1], f[2], f[3], det->failed_session_count};
}

/* ------------------------------------------------------------------ */
/* The policy you publish (--policy)                                   */
/* ------------------------------------------------------------------ */

/* Parse a policy, the mx array grown when it is too small. */
static mtasts_code parse_policy(run *x, const char *text, size_t len, mtasts_policy *p) {
  mtasts_options o = {x->opt->profile, 0, NULL};
  mtasts_policy_init(p, x->mx, x->cap_mx, x->ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse(text, len, &o, p);
  if (code == MTASTS_E_MX_CAPACITY) {
    x->cap_mx = p->mx_needed;
    x->mx = rpt_xrealloc(x->mx, x->cap_mx * sizeof *x->mx);
    mtasts_policy_init(p, x->mx, x->cap_mx, x->ext, MTASTS_MAX_EXTENSIONS);
    code = mtasts_policy_parse(text, len, &o, p);
  }
  return code;
}

/* Host names compare without case (RFC 4343): the pattern lower-cased. */
static char *lower_dup(mtasts_span s) {
  char *out = rpt_xrealloc(NULL, s.len + 1);
  for (size_t i = 0; i < s.len; i++)
    out[i] = s.ptr[i] >= 'A' && s.ptr[i] <= 'Z' ? (char)(s.ptr[i] - 'A' + 'a') : s.ptr[i];
  out[s.len] = '\0';
  return out;
}

static bool mx_in_list(char *const *list, size_t n, mtasts_span s) {
  char *pattern = lower_dup(s);
  bool found = false;
  for (size_t i = 0; i < n && !found; i++)
    found = strcmp(list[i], pattern) == 0;
  free(pattern);
  return found;
}

static bool mx_in_policy(const mtasts_policy *p, const char *lower) {
  bool found = false;
  for (size_t i = 0; i < p->mx_count && !found; i++) {
    char *pattern = lower_dup(p->mx[i].pattern);
    found = strcmp(pattern, lower) == 0;
    free(pattern);
  }
  return found;
}

/* The policy of FILE, kept as what is compared: mode, max_age and the
 * set of mx patterns (version is always STSv1; extensions change
 * nothing a sender does). A policy that cannot be used ends the run. */
bool rpt_load_policy(run *x, const char *path) {
  cli_input in;
  char err[300];
  if (!input_read(path, MTASTS_POLICY_MAX_SIZE + 1, &in, err, sizeof err)) {
    fprintf(stderr, "mtasts: --policy: %s\n", err);
    return false;
  }
  mtasts_policy p;
  mtasts_code code = parse_policy(x, in.data, in.len, &p);
  if (code != MTASTS_OK) {
    fprintf(stderr, "mtasts: --policy %s: not a valid policy: %s at byte %zu (see mtasts policy)\n",
            input_name(path), mtasts_errname(code), p.err_offset);
    input_free(&in);
    return false;
  }
  x->have_now = true;
  x->now_mode = p.mode;
  x->now_max_age = p.max_age;
  x->now_mx = rpt_xrealloc(NULL, (p.mx_count ? p.mx_count : 1) * sizeof *x->now_mx);
  for (size_t i = 0; i < p.mx_count; i++)
    x->now_mx[x->now_nmx++] = lower_dup(p.mx[i].pattern); /* the spans are into in.data */
  input_free(&in);
  return true;
}

/* How p differs from the policy published now (the first difference),
 * or NULL when it is the same policy. */
static char *policy_difference(const run *x, const mtasts_policy *p) {
  char buf[600];
  bool differs = true;
  if (p->mode != x->now_mode) {
    snprintf(buf, sizeof buf, "mode %s, yours %s", mtasts_mode_name(p->mode),
             mtasts_mode_name(x->now_mode));
  } else if (p->max_age != x->now_max_age) {
    snprintf(buf, sizeof buf, "max_age %llu, yours %llu", (unsigned long long)p->max_age,
             (unsigned long long)x->now_max_age);
  } else {
    differs = false;
    for (size_t i = 0; i < p->mx_count && !differs; i++)
      if ((differs = !mx_in_list(x->now_mx, x->now_nmx, p->mx[i].pattern)))
        snprintf(buf, sizeof buf, "mx %.*s, not in yours", (int)p->mx[i].pattern.len,
                 p->mx[i].pattern.ptr);
    for (size_t i = 0; i < x->now_nmx && !differs; i++)
      if ((differs = !mx_in_policy(p, x->now_mx[i])))
        snprintf(buf, sizeof buf, "no mx %s, in yours", x->now_mx[i]);
  }
  return differs ? strdup(buf) : NULL;
}

/* Sessions under each policy of r against the policy published now. */
static void add_policies(run *x, day_row *d, const mtasts_report *r) {
  for (size_t i = 0; i < r->policy_count; i++) {
    const mtasts_report_policy *rp = &r->policies[i];
    uint64_t sessions = rp->total_successful + rp->total_failure;
    if (rp->type == MTASTS_REPORT_POLICY_NONE_FOUND)
      d->none += sessions;
    if (rp->type != MTASTS_REPORT_POLICY_STS || rp->policy_string.ptr == NULL)
      continue; /* tlsa: DANE's; a lenient sts without policy-string: unknown */
    char *how = NULL;
    if (rp->policy_code != MTASTS_OK) {
      how = strdup("its policy-string does not parse");
    } else {
      size_t n = mtasts_report_policy_text(rp, NULL, 0);
      rpt_reserve(&x->ptext, n);
      mtasts_report_policy_text(rp, (char *)x->ptext.p, n);
      mtasts_policy p;
      how = parse_policy(x, (char *)x->ptext.p, n, &p) == MTASTS_OK
                ? policy_difference(x, &p)
                : strdup("its policy-string does not parse");
    }
    if (how == NULL) {
      d->current += sessions;
      continue;
    }
    d->old += sessions;
    if (d->old_how == NULL)
      d->old_how = how;
    else
      free(how);
  }
}

void rpt_add_report(run *x, const mtasts_report *r) {
  char *org = rpt_span_dup(r->organization_name);
  int64_t day = r->start_time >= 0 ? r->start_time / 86400 : (r->start_time - 86399) / 86400;
  day_row *d = day_of(x, org, day);
  if (d->org != org)
    free(org); /* a row of its own keeps it */
  d->reports++;
  for (size_t i = 0; i < r->policy_count; i++) {
    d->successful += r->policies[i].total_successful;
    d->failed += r->policies[i].total_failure;
  }
  for (size_t i = 0; i < r->detail_count; i++)
    add_failure(d, &r->details[i]);
  if (x->have_now)
    add_policies(x, d, r);
}

/* ------------------------------------------------------------------ */
/* Order and end                                                       */
/* ------------------------------------------------------------------ */

static int row_order(const void *a, const void *b) {
  const day_row *x = a, *y = b;
  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  return strcmp(x->org, y->org);
}

static int failure_order(const void *a, const void *b) {
  const failure_row *x = a, *y = b;
  if (x->sessions != y->sessions)
    return x->sessions > y->sessions ? -1 : 1;
  int c = strcmp(x->result, y->result);
  c = c ? c : strcmp(x->mx, y->mx);
  c = c ? c : strcmp(x->ip, y->ip);
  return c ? c : strcmp(x->reason, y->reason);
}

void rpt_sort(run *x) {
  /* qsort wants a pointer even for no rows: none is sorted without it. */
  if (x->nrows > 0)
    qsort(x->rows, x->nrows, sizeof *x->rows, row_order);
  for (size_t i = 0; i < x->nrows; i++)
    if (x->rows[i].nf > 0)
      qsort(x->rows[i].f, x->rows[i].nf, sizeof *x->rows[i].f, failure_order);
}

void rpt_free(run *x) {
  for (size_t i = 0; i < x->nrows; i++) {
    for (size_t k = 0; k < x->rows[i].nf; k++) {
      failure_row *f = &x->rows[i].f[k];
      free(f->result);
      free(f->mx);
      free(f->ip);
      free(f->reason);
    }
    free(x->rows[i].f);
    free(x->rows[i].org);
    free(x->rows[i].old_how);
  }
  for (size_t i = 0; i < x->now_nmx; i++)
    free(x->now_mx[i]);
  free(x->now_mx);
  free(x->mx);
  free(x->ptext.p);
  free(x->rows);
  free(x->pol);
  free(x->det);
  free(x->file.p);
  free(x->plain.p);
  json_decref(x->diags);
}
