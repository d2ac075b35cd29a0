/*
 * fuzz_report - the TLS-RPT aggregate report reader (report/,
 * mtasts_report.h). A report comes from any sender on the Internet, so
 * every byte is the attacker's.
 *
 * Input: the whole input is the JSON document (no flags byte).
 *
 * Checked, each parse on an exact-size copy with the outputs poisoned:
 *  - success: every span (top level, each policy and detail) lies inside
 *    the input and its offset says where; counts within the caller's
 *    arrays; each policy's details are its range of details[] and name it;
 *    walking policy-string and mx-host gives their counts, each string
 *    inside its array; decoding a string never grows it; each warning is a
 *    W_ code at an offset inside the input, and strict gives only those of
 *    both profiles;
 *  - failure: a known error (not a warning) at an offset inside the input
 *    (MTASTS_REPORT_MAX_SIZE for E_REPORT_TOO_LARGE), every result reset;
 *  - profiles: strict OK implies lenient OK with the same fields (the sts
 *    re-parse's own result aside, as the policy parser's profiles differ);
 *  - the sizing pass (NULL arrays) fails as the full parse does, or, where
 *    that succeeds, with E_REPORT_POLICY_CAPACITY and the same counts;
 *  - the writer (each profile's success): the length it asks for is what
 *    it writes; its output reads in the same profile with the same fields
 *    (strings decoded, dates by time) and is written again byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mtasts_report.h"

#define POLICIES 64
#define DETAILS 256
#define WARNINGS 64

static mtasts_report_work work;

typedef struct run {
  mtasts_report r;
  mtasts_report_policy pol[POLICIES];
  mtasts_report_detail det[DETAILS];
  mtasts_report_diag items[WARNINGS];
  mtasts_report_diags warn;
  mtasts_report_code code;
} run;

static run strict_run, lenient_run;

static void parse(const char *copy, size_t n, mtasts_profile profile, bool sizing, run *x) {
  fz_poison(x, sizeof *x);
  mtasts_report_init(&x->r, &work, sizing ? NULL : x->pol, sizing ? 0 : POLICIES,
                     sizing ? NULL : x->det, sizing ? 0 : DETAILS);
  x->warn.items = x->items;
  x->warn.cap = WARNINGS;
  x->warn.count = 0;
  mtasts_report_options o = {profile, &x->warn};
  x->code = mtasts_report_parse(copy, n, &o, &x->r);
}

/* s is unset, or a piece of copy[0, n) whose offset says where. */
static void check_span(const char *copy, size_t n, mtasts_span s) {
  if (s.ptr == NULL) {
    FZ_CHECK(s.len == 0 && s.off == 0, "unset span with a length or offset");
    return;
  }
  FZ_CHECK(s.ptr >= copy && s.off <= n && s.len <= n - s.off, "span outside the input");
  FZ_CHECK(s.ptr == copy + s.off, "span offset does not say where it is");
  FZ_CHECK(mtasts_report_copy(s, NULL, 0) <= s.len, "decoding grew a string");
}

/* An array of strings: its count of strings, each inside it. */
static void check_array(const char *copy, size_t n, mtasts_span a, size_t count) {
  check_span(copy, n, a);
  size_t pos = 0, seen = 0;
  mtasts_span item;
  while (mtasts_report_next(a, &pos, &item)) {
    FZ_CHECK(item.off >= a.off && item.off + item.len <= a.off + a.len, "string outside its array");
    check_span(copy, n, item);
    seen++;
  }
  FZ_CHECK(seen == count, "array walk does not give its count");
}

static void check_policy(const char *copy, size_t n, const run *x, size_t i, size_t *next) {
  const mtasts_report_policy *p = &x->r.policies[i];
  FZ_CHECK(p->type >= MTASTS_REPORT_POLICY_STS && p->type <= MTASTS_REPORT_POLICY_OTHER,
           "policy type unset");
  check_span(copy, n, p->type_text);
  check_span(copy, n, p->domain);
  check_array(copy, n, p->policy_string, p->policy_string_count);
  check_array(copy, n, p->mx_host, p->mx_host_count);
  FZ_CHECK(p->detail_first == *next, "policy details are not the next range");
  FZ_CHECK(p->total_successful <= MTASTS_REPORT_MAX_COUNT &&
               p->total_failure <= MTASTS_REPORT_MAX_COUNT,
           "count above 2^53 - 1");
  for (size_t k = 0; k < p->detail_count; k++) {
    const mtasts_report_detail *d = &x->r.details[p->detail_first + k];
    FZ_CHECK(d->policy == i, "detail names another policy");
    FZ_CHECK(d->result != MTASTS_REPORT_RESULT_UNSET, "result type unset");
    FZ_CHECK(d->failed_session_count <= MTASTS_REPORT_MAX_COUNT, "count above 2^53 - 1");
    const mtasts_span *spans[] = {&d->result_text,        &d->sending_mta_ip,
                                  &d->receiving_ip,       &d->receiving_mx_hostname,
                                  &d->receiving_mx_helo,  &d->additional_information,
                                  &d->failure_reason_code};
    for (size_t j = 0; j < sizeof spans / sizeof spans[0]; j++)
      check_span(copy, n, *spans[j]);
  }
  *next += p->detail_count;
}

static void check_ok(const char *copy, size_t n, const run *x) {
  const mtasts_report *r = &x->r;
  FZ_CHECK(r->policy_count == r->policy_needed && r->policy_count >= 1 &&
               r->policy_count <= POLICIES,
           "policy count");
  FZ_CHECK(r->detail_count == r->detail_needed && r->detail_count <= DETAILS, "detail count");
  FZ_CHECK(r->err_offset == 0 && r->err_member == NULL, "success with an error set");
  FZ_CHECK(r->start_time < r->end_time, "start not before end");
  mtasts_span top[] = {r->organization_name, r->start_datetime, r->end_datetime, r->contact_info,
                       r->report_id};
  for (size_t j = 0; j < sizeof top / sizeof top[0]; j++)
    check_span(copy, n, top[j]);
  size_t next = 0;
  for (size_t i = 0; i < r->policy_count; i++)
    check_policy(copy, n, x, i, &next);
  FZ_CHECK(next == r->detail_count, "the policies' detail ranges do not cover details[]");
}

static bool both_profiles_warning(mtasts_report_code c) {
  return c == MTASTS_W_REPORT_NOT_ONE_DAY || c == MTASTS_W_REPORT_RESULT_TYPE ||
         c == MTASTS_W_REPORT_POLICY_STRING_INVALID;
}

static void check_warnings(size_t n, const run *x, bool strict) {
  size_t stored = x->warn.count < WARNINGS ? x->warn.count : WARNINGS;
  for (size_t i = 0; i < stored; i++) {
    FZ_CHECK(mtasts_report_is_warning(x->items[i].code), "a warning that is not a W_ code");
    FZ_CHECK(x->items[i].offset < n, "warning offset outside the input");
    FZ_CHECK(!strict || both_profiles_warning(x->items[i].code), "strict gave a lenient warning");
  }
}

static void check_failed(size_t n, const run *x) {
  const mtasts_report *r = &x->r;
  FZ_CHECK(strcmp(mtasts_report_errname(x->code), "UNKNOWN") != 0, "unknown code");
  FZ_CHECK(!mtasts_report_is_warning(x->code), "a warning returned");
  FZ_CHECK(x->code != MTASTS_E_REPORT_ARGUMENT, "argument error on good arguments");
  FZ_CHECK(x->code == MTASTS_E_REPORT_TOO_LARGE ? r->err_offset == MTASTS_REPORT_MAX_SIZE
                                                : r->err_offset <= n,
           "error offset outside the input");
  FZ_CHECK(r->organization_name.ptr == NULL && r->report_id.ptr == NULL &&
               r->contact_info.ptr == NULL && r->policy_count == 0 && r->detail_count == 0,
           "a failed parse left a result");
}

static bool same_span(mtasts_span a, mtasts_span b) {
  return a.ptr == b.ptr && a.len == b.len && a.off == b.off;
}

/* Strict OK: lenient reads the same report. */
static void check_same(const run *a, const run *b) {
  const mtasts_report *x = &a->r, *y = &b->r;
  FZ_CHECK(x->policy_count == y->policy_count && x->detail_count == y->detail_count &&
               same_span(x->organization_name, y->organization_name) &&
               same_span(x->contact_info, y->contact_info) &&
               same_span(x->report_id, y->report_id) && x->start_time == y->start_time &&
               x->end_time == y->end_time,
           "lenient reads another report than strict");
  for (size_t i = 0; i < x->policy_count; i++) {
    const mtasts_report_policy *p = &x->policies[i], *q = &y->policies[i];
    FZ_CHECK(p->type == q->type && same_span(p->domain, q->domain) &&
                 same_span(p->policy_string, q->policy_string) &&
                 same_span(p->mx_host, q->mx_host) && p->total_successful == q->total_successful &&
                 p->total_failure == q->total_failure && p->detail_count == q->detail_count,
             "lenient reads another policy than strict");
  }
  for (size_t i = 0; i < x->detail_count; i++)
    FZ_CHECK(x->details[i].result == y->details[i].result &&
                 same_span(x->details[i].sending_mta_ip, y->details[i].sending_mta_ip) &&
                 x->details[i].failed_session_count == y->details[i].failed_session_count,
             "lenient reads another detail than strict");
}

static void check_sizing(const char *copy, size_t n, const run *full, mtasts_profile profile) {
  static run sizing;
  parse(copy, n, profile, true, &sizing);
  if (full->code == MTASTS_REPORT_OK || full->code == MTASTS_E_REPORT_POLICY_CAPACITY ||
      full->code == MTASTS_E_REPORT_DETAIL_CAPACITY) {
    FZ_CHECK(sizing.code == MTASTS_E_REPORT_POLICY_CAPACITY, "sizing pass of a valid report");
    FZ_CHECK(sizing.r.policy_needed == full->r.policy_needed &&
                 sizing.r.detail_needed == full->r.detail_needed,
             "sizing pass counts differ");
  } else {
    FZ_CHECK(sizing.code == full->code && sizing.r.err_offset == full->r.err_offset,
             "sizing pass fails otherwise");
  }
}

/* Both unset, or both set with the same decoded content. */
static bool same_text(mtasts_span a, mtasts_span b) {
  if ((a.ptr == NULL) != (b.ptr == NULL))
    return false;
  size_t na = mtasts_report_copy(a, NULL, 0), nb = mtasts_report_copy(b, NULL, 0);
  if (na != nb)
    return false;
  char *da = malloc(na + 1), *db = malloc(nb + 1);
  FZ_CHECK(da != NULL && db != NULL, "out of memory");
  mtasts_report_copy(a, da, na);
  mtasts_report_copy(b, db, nb);
  bool same = memcmp(da, db, na) == 0;
  free(da);
  free(db);
  return same;
}

static bool same_array(mtasts_span a, mtasts_span b) {
  size_t pa = 0, pb = 0;
  mtasts_span ia, ib;
  for (;;) {
    bool ma = mtasts_report_next(a, &pa, &ia), mb = mtasts_report_next(b, &pb, &ib);
    if (ma != mb || (ma && !same_text(ia, ib)))
      return false;
    if (!ma)
      return true;
  }
}

/* The reader's fields of a report and of its written form agree. */
static void check_written(const mtasts_report *x, const mtasts_report *y) {
  FZ_CHECK(same_text(x->organization_name, y->organization_name) &&
               same_text(x->contact_info, y->contact_info) &&
               same_text(x->report_id, y->report_id) && x->start_time == y->start_time &&
               x->end_time == y->end_time && x->policy_count == y->policy_count &&
               x->detail_count == y->detail_count,
           "the written report reads otherwise");
  for (size_t i = 0; i < x->policy_count; i++) {
    const mtasts_report_policy *p = &x->policies[i], *q = &y->policies[i];
    FZ_CHECK(
        p->type == q->type && same_text(p->type_text, q->type_text) &&
            same_text(p->domain, q->domain) && same_array(p->policy_string, q->policy_string) &&
            same_array(p->mx_host, q->mx_host) && p->policy_code == q->policy_code &&
            p->total_successful == q->total_successful && p->total_failure == q->total_failure &&
            p->detail_first == q->detail_first && p->detail_count == q->detail_count,
        "the written report reads another policy");
  }
  for (size_t i = 0; i < x->detail_count; i++) {
    const mtasts_report_detail *d = &x->details[i], *e = &y->details[i];
    FZ_CHECK(d->result == e->result && same_text(d->result_text, e->result_text) &&
                 same_text(d->sending_mta_ip, e->sending_mta_ip) &&
                 same_text(d->receiving_ip, e->receiving_ip) &&
                 same_text(d->receiving_mx_hostname, e->receiving_mx_hostname) &&
                 same_text(d->receiving_mx_helo, e->receiving_mx_helo) &&
                 same_text(d->additional_information, e->additional_information) &&
                 same_text(d->failure_reason_code, e->failure_reason_code) &&
                 d->failed_session_count == e->failed_session_count,
             "the written report reads another detail");
  }
}

/* Write, read the output back, write again. */
static void check_writer(const run *x, mtasts_profile profile) {
  static run back;
  size_t needed = 0, again = 0;
  FZ_CHECK(mtasts_report_write(&x->r, NULL, 0, &needed) == MTASTS_E_REPORT_WRITE_CAPACITY &&
               needed > 0,
           "writer sizing");
  char *out = malloc(needed), *out2 = malloc(needed);
  FZ_CHECK(out != NULL && out2 != NULL, "out of memory");
  FZ_CHECK(mtasts_report_write(&x->r, out, needed, &again) == MTASTS_REPORT_OK && again == needed,
           "the writer wrote another length than it asked for");
  parse(out, needed, profile, false, &back);
  FZ_CHECK(back.code == MTASTS_REPORT_OK, "the written report does not read");
  check_written(&x->r, &back.r);
  FZ_CHECK(mtasts_report_write(&back.r, out2, needed, &again) == MTASTS_REPORT_OK &&
               again == needed && memcmp(out, out2, needed) == 0,
           "written twice differs");
  free(out);
  free(out2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *copy = fz_piece(data, size);
  parse(copy, size, MTASTS_STRICT, false, &strict_run);
  parse(copy, size, MTASTS_LENIENT, false, &lenient_run);
  run *runs[2] = {&strict_run, &lenient_run};
  for (int k = 0; k < 2; k++) {
    if (runs[k]->code == MTASTS_REPORT_OK) {
      check_ok(copy, size, runs[k]);
      check_warnings(size, runs[k], k == 0);
      check_writer(runs[k], k == 0 ? MTASTS_STRICT : MTASTS_LENIENT);
    } else if (runs[k]->code != MTASTS_E_REPORT_POLICY_CAPACITY &&
               runs[k]->code != MTASTS_E_REPORT_DETAIL_CAPACITY) {
      check_failed(size, runs[k]);
    }
  }
  if (strict_run.code == MTASTS_REPORT_OK) {
    FZ_CHECK(lenient_run.code == MTASTS_REPORT_OK, "strict accepts what lenient rejects");
    check_same(&strict_run, &lenient_run);
  }
  check_sizing(copy, size, &strict_run, MTASTS_STRICT);
  fz_piece_free(copy);
  return 0;
}
