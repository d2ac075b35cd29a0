/*
 * mtasts-html-check REPORT_DIR - renders REPORT_DIR/report.html in headless
 * Chromium and checks that the page drew itself and that every count it
 * shows equals results.json:
 *
 *  - results.json is consistent with itself (summary counts = its rows);
 *  - the page rendered (body data-rendered="true", no render error);
 *  - every matrix cell (implementation x kind x verdict, and the totals)
 *    shows the count from results.json, and there is no other cell;
 *  - implementations that did not run are shown with their status;
 *  - the vector table has one row per result, all shown by default, and
 *    filters preset in the address (#verdict=..., #impl=...) show exactly
 *    the matching rows.
 *
 *  - the side-by-side matrix shows every implementation's pass / fail per
 *    kind (or its status), and each external implementation's failed
 *    vectors by flag show the counts of results.json's rows, as do the
 *    flag filter links.
 *
 *  - with scenario results: an implementation without results of one kind
 *    shows that kind's status (kindStatus), the scenario table shows every
 *    implementation x scenario's verdict (or its scenario status), each
 *    external implementation's failed scenarios by flag show the counts of
 *    the scenario rows, and #kind=scenario and a scenario flag link show
 *    exactly those rows.
 *
 * mtasts-html-check --diff DIFF_DIR checks diff.html against diff.json the
 * same way: one row per class with its count and kind (disagreement or
 * not), every implementation with its status, and the preset #dis=1
 * showing exactly the disagreements.
 *
 * Exit: 0 ok, 1 a check failed, 77 Chromium is not installed (ctest SKIP).
 * Chromium: --chromium PATH, else $CHROMIUM, else chromium / chromium-browser
 * / google-chrome on PATH.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model.h"
#include "proc.h"
#include "text.h"

enum { SKIP = 77, CHROMIUM_TIMEOUT_SECONDS = 90 };

static int failures;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...) {
  if (ok)
    return;
  failures++;
  fputs("html-check: FAIL: ", stderr);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* ------------------------------------------------------ finding chromium */

static char *find_on_path(const char *name) {
  const char *path = getenv("PATH");
  if (!path)
    return NULL;
  char *copy = xstrdup(path);
  char *found = NULL;
  for (char *dir = strtok(copy, ":"); dir && !found; dir = strtok(NULL, ":")) {
    sbuf candidate;
    sb_init(&candidate);
    sb_printf(&candidate, "%s/%s", dir, name);
    if (access(sb_str(&candidate), X_OK) == 0)
      found = sb_take(&candidate);
    else
      sb_free(&candidate);
  }
  free(copy);
  return found;
}

static char *find_chromium(const char *given) {
  if (given)
    return access(given, X_OK) == 0 ? xstrdup(given) : NULL;
  const char *env = getenv("CHROMIUM");
  if (env && *env)
    return access(env, X_OK) == 0 ? xstrdup(env) : NULL;
  const char *names[] = {"chromium", "chromium-browser", "google-chrome"};
  for (size_t i = 0; i < 3; i++) {
    char *p = find_on_path(names[i]);
    if (p)
      return p;
  }
  return NULL;
}

/* ------------------------------------------------------ running chromium */

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

/* Runs chromium --dump-dom on url with a fresh profile; the DOM goes to dom.
 * False when it failed or took too long. */
static bool dump_dom(const char *chromium, const char *url, sbuf *dom) {
  char profile[] = "/tmp/mtasts-html-check-XXXXXX";
  if (!mkdtemp(profile)) {
    perror("html-check: mkdtemp");
    return false;
  }
  char user_data[sizeof profile + 32];
  snprintf(user_data, sizeof user_data, "--user-data-dir=%s", profile);
  char *argv[] = {(char *)(uintptr_t)chromium,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-quic",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  user_data,
                  "--dump-dom",
                  (char *)(uintptr_t)url,
                  NULL};
  int out[2];
  if (pipe(out) != 0)
    return false;
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out[1], STDOUT_FILENO);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDERR_FILENO); /* Chromium is chatty; the DOM is what counts */
    }
    close(out[0]);
    close(out[1]);
    execv(chromium, argv);
    _exit(127);
  }
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return false;
  }
  setpgid(pid, pid);
  double deadline = now_seconds() + CHROMIUM_TIMEOUT_SECONDS;
  bool timed_out = false;
  for (;;) {
    double left = deadline - now_seconds();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd p = {.fd = out[0], .events = POLLIN};
    int rc = poll(&p, 1, (int)(left * 1000) + 1);
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc <= 0)
      continue;
    char chunk[65536];
    ssize_t n = read(out[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    sb_putn(dom, chunk, (size_t)n);
  }
  close(out[0]);
  kill(-pid, SIGKILL); /* its helper processes too */
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  nftw(profile, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (timed_out)
    fprintf(stderr, "html-check: chromium took more than %d s\n", CHROMIUM_TIMEOUT_SECONDS);
  return !timed_out && dom->len > 0;
}

/* ------------------------------------------------------ reading the DOM */

/* The value of attribute `name` inside the tag [tag, end), or NULL. The
 * values compared here are plain names and numbers, so no unescaping. */
static char *attr(const char *tag, const char *end, const char *name) {
  sbuf key;
  sb_init(&key);
  sb_printf(&key, " %s=\"", name);
  const char *p = tag;
  char *value = NULL;
  while ((p = strstr(p, sb_str(&key))) != NULL && p < end) {
    const char *v = p + key.len;
    const char *q = memchr(v, '"', (size_t)(end - v));
    if (q) {
      value = xmalloc((size_t)(q - v) + 1);
      memcpy(value, v, (size_t)(q - v));
      value[q - v] = '\0';
    }
    break;
  }
  sb_free(&key);
  return value;
}

typedef struct cell {
  char *impl, *kind, *verdict;
  long long count;
  bool matched;
} cell;

typedef struct page {
  cell *cells;
  size_t cell_count;
  size_t rows;
  size_t rows_shown;
  long long shown_attr;
  size_t not_ran_rows;
  size_t kind_status_rows;
  bool rendered;
  bool render_error;
} page;

static void page_free(page *pg) {
  for (size_t i = 0; i < pg->cell_count; i++) {
    free(pg->cells[i].impl);
    free(pg->cells[i].kind);
    free(pg->cells[i].verdict);
  }
  free(pg->cells);
  memset(pg, 0, sizeof *pg);
}

static const json_t *impl_named(const json_t *doc, const char *name);

/* A matrix row standing for one kind an implementation has no results
 * of: its status must be results.json's kindStatus. */
static void check_kind_status_row(const json_t *doc, const char *tag, const char *end,
                                  const char *status) {
  char *impl = attr(tag, end, "data-impl");
  char *kind = attr(tag, end, "data-kind");
  const json_t *im = impl ? impl_named(doc, impl) : NULL;
  const char *want =
      json_string_value(json_object_get(json_object_get(im, "kindStatus"), kind ? kind : ""));
  check(want && strcmp(want, status) == 0, "page: %s/%s shown as %s, results.json: %s",
        impl ? impl : "?", kind ? kind : "?", status, want ? want : "(ran)");
  free(impl);
  free(kind);
}

static void read_page(const char *whole, const json_t *doc, page *pg) {
  memset(pg, 0, sizeof *pg);
  /* Only the drawn document counts: the scripts at its end hold the same
   * markup as source text. */
  char *dom = xstrdup(whole);
  char *script = strstr(dom, "<script");
  if (script)
    *script = '\0';
  pg->shown_attr = -1;
  const char *body = strstr(dom, "<body");
  if (body) {
    const char *end = strchr(body, '>');
    char *rendered = attr(body, end, "data-rendered");
    char *error = attr(body, end, "data-render-error");
    pg->rendered = rendered && strcmp(rendered, "true") == 0;
    pg->render_error = error != NULL;
    if (error)
      fprintf(stderr, "html-check: the page reports: %s\n", error);
    free(rendered);
    free(error);
  }
  size_t cap = 0;
  for (const char *p = dom; (p = strstr(p, "<t")) != NULL; p++) {
    const char *end = strchr(p, '>');
    if (!end)
      break;
    if (strncmp(p, "<td ", 4) == 0 && strstr(p, " data-cell=\"") &&
        strstr(p, " data-cell=\"") < end) {
      if (pg->cell_count == cap) {
        cap = cap ? cap * 2 : 64;
        pg->cells = xrealloc(pg->cells, cap * sizeof *pg->cells);
      }
      cell *c = &pg->cells[pg->cell_count++];
      c->impl = attr(p, end, "data-impl");
      c->kind = attr(p, end, "data-kind");
      c->verdict = attr(p, end, "data-verdict");
      c->count = strtoll(end + 1, NULL, 10);
      c->matched = false;
    } else if (strncmp(p, "<tr ", 4) == 0) {
      char *row = attr(p, end, "data-row");
      char *status = attr(p, end, "data-impl-status");
      char *kind_status = attr(p, end, "data-kind-status");
      if (kind_status) {
        pg->kind_status_rows++;
        if (doc)
          check_kind_status_row(doc, p, end, kind_status);
      }
      free(kind_status);
      if (row) {
        pg->rows++;
        /* A hidden row carries the boolean attribute `hidden`. */
        const char *h = strstr(p, " hidden");
        if (!h || h > end)
          pg->rows_shown++;
      }
      if (status)
        pg->not_ran_rows++;
      free(row);
      free(status);
    }
  }
  const char *shown = strstr(dom, "id=\"shown\"");
  if (shown) {
    const char *tag = shown;
    while (tag > dom && *tag != '<')
      tag--;
    char *v = attr(tag, strchr(shown, '>'), "data-shown");
    if (v)
      pg->shown_attr = strtoll(v, NULL, 10);
    free(v);
  }
  free(dom);
}

/* ------------------------------------------------------ the expectations */

static long long count_rows(const json_t *doc, const char *impl, const char *kind,
                            const char *verdict, bool not_verdict) {
  long long n = 0;
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(doc, "results"), i, r) {
    const char *v = json_string_value(json_object_get(r, "verdict"));
    bool verdict_ok = !verdict || ((strcmp(v, verdict) == 0) != not_verdict);
    if ((!impl || strcmp(json_string_value(json_object_get(r, "impl")), impl) == 0) &&
        (!kind || strcmp(json_string_value(json_object_get(r, "kind")), kind) == 0) && verdict_ok)
      n++;
  }
  return n;
}

static cell *find_cell(page *pg, const char *impl, const char *kind, const char *verdict) {
  for (size_t i = 0; i < pg->cell_count; i++) {
    cell *c = &pg->cells[i];
    if (c->impl && c->kind && c->verdict && strcmp(c->impl, impl) == 0 &&
        strcmp(c->kind, kind) == 0 && strcmp(c->verdict, verdict) == 0)
      return c;
  }
  return NULL;
}

/* One implementation's cells: each present once, equal to results.json's
 * summary, and the summary equal to its rows. */
static void check_impl_cells(page *pg, const json_t *doc, const json_t *im) {
  const char *name = json_string_value(json_object_get(im, "name"));
  json_t *kinds = json_object_get(im, "kinds");
  json_t *verdicts = json_object_get(doc, "verdicts");
  const char *kind;
  json_t *counts;
  size_t vi;
  json_t *vname;
  json_object_foreach(kinds, kind, counts) {
    json_array_foreach(verdicts, vi, vname) {
      const char *verdict = json_string_value(vname);
      long long want = json_integer_value(json_object_get(counts, verdict));
      check(count_rows(doc, name, kind, verdict, false) == want,
            "results.json: %s/%s summary disagrees with its rows (%lld vs %lld)", name, kind, want,
            count_rows(doc, name, kind, verdict, false));
      cell *c = find_cell(pg, name, kind, verdict);
      check(c != NULL, "page: no cell for %s/%s/%s", name, kind, verdict);
      if (c) {
        check(c->count == want, "page: %s/%s shows %lld, results.json says %lld", name, kind,
              c->count, want);
        c->matched = true;
      }
    }
  }
  json_array_foreach(verdicts, vi, vname) {
    const char *verdict = json_string_value(vname);
    long long want = json_integer_value(json_object_get(json_object_get(im, "counts"), verdict));
    check(count_rows(doc, name, NULL, verdict, false) == want,
          "results.json: %s total %s disagrees with its rows (%lld vs %lld)", name, verdict, want,
          count_rows(doc, name, NULL, verdict, false));
    cell *c = find_cell(pg, name, "*", verdict);
    check(c != NULL, "page: no total cell for %s %s", name, verdict);
    if (c) {
      check(c->count == want, "page: %s total %s shows %lld, results.json says %lld", name, verdict,
            c->count, want);
      c->matched = true;
    }
  }
}

static void check_main_page(page *pg, const json_t *doc) {
  check(pg->rendered, "page: did not finish drawing");
  check(!pg->render_error, "page: reports a render error");
  size_t i;
  json_t *im;
  long long not_ran = 0;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    if (strcmp(json_string_value(json_object_get(im, "status")), "ran") == 0)
      check_impl_cells(pg, doc, im);
    else
      not_ran++;
  }
  for (size_t c = 0; c < pg->cell_count; c++)
    check(pg->cells[c].matched, "page: a cell %s/%s that results.json does not have",
          pg->cells[c].impl ? pg->cells[c].impl : "?", pg->cells[c].kind ? pg->cells[c].kind : "?");
  check((long long)pg->not_ran_rows == not_ran,
        "page: %zu implementations shown as not run, results.json has %lld", pg->not_ran_rows,
        not_ran);
  size_t kind_statuses = 0;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    kind_statuses += json_object_size(json_object_get(im, "kindStatus"));
  }
  check(pg->kind_status_rows == kind_statuses,
        "page: %zu kinds shown without results, results.json's kindStatus has %zu",
        pg->kind_status_rows, kind_statuses);
  long long results = (long long)json_array_size(json_object_get(doc, "results"));
  check((long long)pg->rows == results, "page: %zu vector rows, results.json has %lld", pg->rows,
        results);
  check((long long)pg->rows_shown == results && pg->shown_attr == results,
        "page: unfiltered, %zu rows shown (counter %lld), results.json has %lld", pg->rows_shown,
        pg->shown_attr, results);
}

/* ------------------------------------- side by side and externals */

static bool is_scenario_row(const json_t *r) {
  return strcmp(json_string_value(json_object_get(r, "kind")), "scenario") == 0;
}

/* The kinds of the run: the vector kinds, then "scenario" with scenarios. */
static long long run_kinds(const json_t *doc) {
  return (long long)json_object_size(json_object_get(doc, "vectors")) +
         (json_object_get(doc, "scenarios") ? 1 : 0);
}

static const json_t *impl_named(const json_t *doc, const char *name) {
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    if (strcmp(json_string_value(json_object_get(im, "name")), name) == 0)
      return im;
  }
  return NULL;
}

/* flag "-": a row without flags; NULL: any row. */
static bool row_has_flag(const json_t *r, const char *flag) {
  json_t *flags = json_object_get(r, "flags");
  if (!flag)
    return true;
  if (strcmp(flag, "-") == 0)
    return json_array_size(flags) == 0;
  for (size_t i = 0; i < json_array_size(flags); i++)
    if (strcmp(json_string_value(json_array_get(flags, i)), flag) == 0)
      return true;
  return false;
}

/* Vector rows - or scenario rows - of impl that are fail or error, under
 * flag. */
static long long count_failed(const json_t *doc, const char *impl, const char *flag,
                              bool scenarios) {
  long long n = 0;
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(doc, "results"), i, r) {
    const char *v = json_string_value(json_object_get(r, "verdict"));
    if (strcmp(json_string_value(json_object_get(r, "impl")), impl) == 0 &&
        (strcmp(v, "fail") == 0 || strcmp(v, "error") == 0) && row_has_flag(r, flag) &&
        is_scenario_row(r) == scenarios)
      n++;
  }
  return n;
}

/* What results.json says an implementation has for one kind ("*": all):
 * "ran", or why not. */
static const char *kind_status(const json_t *im, const char *kind) {
  const char *status = json_string_value(json_object_get(im, "status"));
  const char *of_kind = json_string_value(json_object_get(json_object_get(im, "kindStatus"), kind));
  if (strcmp(status, "ran") != 0 || strcmp(kind, "*") == 0 || !of_kind)
    return status;
  return of_kind;
}

static long long attr_number(const char *tag, const char *end, const char *name) {
  char *v = attr(tag, end, name);
  long long n = v ? strtoll(v, NULL, 10) : -1;
  free(v);
  return n;
}

static void check_side_cell(const json_t *doc, const char *tag, const char *end) {
  char *impl = attr(tag, end, "data-sbs-impl");
  char *kind = attr(tag, end, "data-sbs-kind");
  char *status = attr(tag, end, "data-sbs-status");
  const json_t *im = impl ? impl_named(doc, impl) : NULL;
  check(im && kind, "side by side: a cell for an unknown implementation %s", impl ? impl : "?");
  if (im && kind) {
    const char *want_status = kind_status(im, kind);
    if (status || strcmp(want_status, "ran") != 0) {
      check(status && strcmp(want_status, status) == 0,
            "side by side: %s/%s shown as %s, results.json: %s", impl, kind,
            status ? status : "counts", want_status);
    } else {
      json_t *counts = strcmp(kind, "*") == 0 ? json_object_get(im, "counts")
                                              : json_object_get(json_object_get(im, "kinds"), kind);
      long long pass = json_integer_value(json_object_get(counts, "pass"));
      long long fail = json_integer_value(json_object_get(counts, "fail"));
      check(counts && attr_number(tag, end, "data-pass") == pass &&
                attr_number(tag, end, "data-fail") == fail,
            "side by side: %s/%s shows %lld/%lld, results.json says %lld/%lld", impl, kind,
            attr_number(tag, end, "data-pass"), attr_number(tag, end, "data-fail"), pass, fail);
    }
  }
  free(impl);
  free(kind);
  free(status);
}

/* The section of an external implementation's failed vectors (or, with
 * data-ext-scen-impl, scenarios), and the flag groups inside it. */
typedef struct ext_section {
  char *impl;
  bool scenarios;
} ext_section;

static void check_external_tag(const json_t *doc, const char *tag, const char *end,
                               ext_section *section) {
  if (strncmp(tag, "<section ", 9) == 0) {
    free(section->impl);
    section->impl = attr(tag, end, "data-ext-impl");
    section->scenarios = section->impl == NULL;
    if (!section->impl)
      section->impl = attr(tag, end, "data-ext-scen-impl");
    long long want =
        section->impl ? count_failed(doc, section->impl, NULL, section->scenarios) : -1;
    check(section->impl && attr_number(tag, end, "data-failed") == want,
          "externals: %s shows %lld failed %s, results.json has %lld",
          section->impl ? section->impl : "(a section without an implementation)",
          attr_number(tag, end, "data-failed"), section->scenarios ? "scenarios" : "vectors", want);
    return;
  }
  char *flag = attr(tag, end, "data-flag");
  if (flag && section->impl) {
    long long want = count_failed(doc, section->impl, flag, section->scenarios);
    check(attr_number(tag, end, "data-count") == want,
          "externals: %s / %s shows %lld, results.json has %lld", section->impl, flag,
          attr_number(tag, end, "data-count"), want);
  }
  free(flag);
}

/* The scenario row of impl x tcId, or NULL. */
static const json_t *scenario_row(const json_t *doc, const char *impl, long long tc_id) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(doc, "results"), i, r) {
    if (is_scenario_row(r) && strcmp(json_string_value(json_object_get(r, "impl")), impl) == 0 &&
        json_integer_value(json_object_get(r, "tcId")) == tc_id)
      return r;
  }
  return NULL;
}

/* A cell of the scenario table: the row's verdict, or (no row) the
 * implementation's scenarioStatus. */
static void check_scenario_cell(const json_t *doc, const char *tag, const char *end) {
  char *impl = attr(tag, end, "data-scen-impl");
  char *verdict = attr(tag, end, "data-scen-verdict");
  char *status = attr(tag, end, "data-scen-status");
  long long tc_id = attr_number(tag, end, "data-scen-tcid");
  const json_t *im = impl ? impl_named(doc, impl) : NULL;
  const json_t *r = im ? scenario_row(doc, impl, tc_id) : NULL;
  const char *want = r ? json_string_value(json_object_get(r, "verdict"))
                       : json_string_value(json_object_get(im, "scenarioStatus"));
  const char *shown = verdict ? verdict : status;
  check(im && want && shown && (verdict != NULL) == (r != NULL) && strcmp(want, shown) == 0,
        "scenarios: %s #%lld shows %s, results.json: %s", impl ? impl : "?", tc_id,
        shown ? shown : "nothing", want ? want : "nothing");
  free(impl);
  free(verdict);
  free(status);
}

static bool tag_has(const char *tag, const char *end, const char *attribute) {
  const char *hit = strstr(tag, attribute);
  return hit && hit < end;
}

/* Every side-by-side cell, every external flag group, every scenario cell. */
static void check_side_and_external(const char *whole, const json_t *doc) {
  char *dom = xstrdup(whole);
  char *script = strstr(dom, "<script");
  if (script)
    *script = '\0';
  long long cells = 0, sections = 0, scenario_cells = 0;
  ext_section section = {0};
  for (const char *p = dom; (p = strchr(p, '<')) != NULL; p++) {
    const char *end = strchr(p, '>');
    if (!end)
      break;
    if (strncmp(p, "<td ", 4) == 0 && tag_has(p, end, " data-sbs-impl=\"")) {
      check_side_cell(doc, p, end);
      cells++;
    } else if (strncmp(p, "<td ", 4) == 0 && tag_has(p, end, " data-scen-impl=\"")) {
      check_scenario_cell(doc, p, end);
      scenario_cells++;
    } else if (strncmp(p, "<section ", 9) == 0 || strncmp(p, "<details ", 9) == 0) {
      sections += strncmp(p, "<section ", 9) == 0;
      check_external_tag(doc, p, end, &section);
    }
  }
  free(section.impl);
  free(dom);
  long long impls = (long long)json_array_size(json_object_get(doc, "implementations"));
  long long kinds = run_kinds(doc);
  check(cells == impls * (kinds + 1), "side by side: %lld cells, expected %lld", cells,
        impls * (kinds + 1));
  long long scenarios =
      json_integer_value(json_object_get(json_object_get(doc, "scenarios"), "count"));
  check(scenario_cells == impls * scenarios, "scenarios: %lld cells, expected %lld", scenario_cells,
        impls * scenarios);
  long long externals = 0;
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    if (json_is_true(json_object_get(im, "own")))
      continue;
    /* one section for its vectors, one for its scenarios, for each it ran */
    bool ran_vectors = false;
    const char *kind;
    json_t *counts;
    json_object_foreach(json_object_get(im, "kinds"), kind, counts) {
      ran_vectors = ran_vectors || strcmp(kind, "scenario") != 0;
    }
    const char *scenario_status = json_string_value(json_object_get(im, "scenarioStatus"));
    externals += ran_vectors + (scenario_status && strcmp(scenario_status, "ran") == 0);
  }
  check(sections == externals, "externals: %lld sections, results.json has %lld external runs",
        sections, externals);
}

/* The page with a filter preset in its address shows exactly the rows
 * results.json has for it. */
static void check_filtered(const char *chromium, const char *html, const char *hash,
                           long long want) {
  sbuf url, dom;
  sb_init(&url);
  sb_init(&dom);
  sb_printf(&url, "file://%s#%s", html, hash);
  if (!dump_dom(chromium, sb_str(&url), &dom)) {
    check(false, "chromium failed on %s", sb_str(&url));
  } else {
    page pg;
    read_page(sb_str(&dom), NULL, &pg);
    check(pg.rendered, "page #%s did not finish drawing", hash);
    check((long long)pg.rows_shown == want && pg.shown_attr == want,
          "page #%s shows %zu rows (counter %lld), results.json has %lld", hash, pg.rows_shown,
          pg.shown_attr, want);
    page_free(&pg);
  }
  sb_free(&url);
  sb_free(&dom);
}

/* What the first external flag group's "show in the table" link presets
 * (vectors, or with scenarios the scenario groups) shows exactly its rows. */
static void check_flag_link(const char *chromium, const char *html, const json_t *doc,
                            bool scenarios) {
  const char *ext = NULL, *ext_flag = NULL;
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    json_t *groups = json_object_get(
        json_object_get(im, scenarios ? "failedScenariosByFlag" : "failedByFlag"), "groups");
    if (!ext && json_array_size(groups) > 0) {
      ext = json_string_value(json_object_get(im, "name"));
      json_t *flag = json_object_get(json_array_get(groups, 0), "flag");
      ext_flag = json_is_string(flag) ? json_string_value(flag) : "-";
    }
  }
  if (!ext)
    return;
  sbuf hash;
  sb_init(&hash);
  sb_printf(&hash, "impl=%s%s&verdict=fail%%2Berror&flag=%s", ext,
            scenarios ? "&kind=scenario" : "", ext_flag);
  check_filtered(chromium, html, sb_str(&hash), count_failed(doc, ext, ext_flag, scenarios));
  sb_free(&hash);
}

/* ------------------------------------------------------ diff.html */

typedef struct diff_page {
  bool rendered;
  long long rows, rows_shown, shown_attr, impl_rows;
} diff_page;

static void read_diff_page(const char *whole, const json_t *doc, diff_page *pg) {
  memset(pg, 0, sizeof *pg);
  pg->shown_attr = -1;
  char *dom = xstrdup(whole);
  char *script = strstr(dom, "<script");
  if (script)
    *script = '\0';
  const char *body = strstr(dom, "<body");
  if (body) {
    char *rendered = attr(body, strchr(body, '>'), "data-rendered");
    pg->rendered = rendered && strcmp(rendered, "true") == 0;
    free(rendered);
  }
  json_t *classes = json_object_get(doc, "classes");
  for (const char *p = dom; (p = strstr(p, "<tr ")) != NULL; p++) {
    const char *end = strchr(p, '>');
    if (!end)
      break;
    char *id = attr(p, end, "data-class");
    char *impl = attr(p, end, "data-impl");
    if (id) {
      pg->rows++;
      const char *h = strstr(p, " hidden");
      if (!h || h > end)
        pg->rows_shown++;
      long long n = strtoll(id, NULL, 10);
      json_t *c = json_array_get(classes, (size_t)(n - 1));
      char *dis = attr(p, end, "data-disagreement");
      check(c && json_integer_value(json_object_get(c, "id")) == n &&
                attr_number(p, end, "data-count") ==
                    json_integer_value(json_object_get(c, "count")) &&
                dis &&
                strcmp(dis, json_is_true(json_object_get(c, "disagreement")) ? "true" : "false") ==
                    0,
            "diff page: class %s shows %lld inputs (%s), diff.json disagrees", id,
            attr_number(p, end, "data-count"), dis ? dis : "?");
      free(dis);
    }
    if (impl) {
      pg->impl_rows++;
      const json_t *im = impl_named(doc, impl);
      char *status = attr(p, end, "data-status");
      check(im && status && strcmp(json_string_value(json_object_get(im, "status")), status) == 0,
            "diff page: %s shown as %s", impl, status ? status : "?");
      free(status);
    }
    free(id);
    free(impl);
  }
  const char *shown = strstr(dom, "id=\"shown\"");
  if (shown) {
    const char *tag = shown;
    while (tag > dom && *tag != '<')
      tag--;
    pg->shown_attr = attr_number(tag, strchr(shown, '>'), "data-shown");
  }
  free(dom);
}

static int check_diff(const char *chromium, const char *dir) {
  sbuf json_path, html_path, url, dom;
  sb_init(&json_path);
  sb_init(&html_path);
  sb_init(&url);
  sb_init(&dom);
  sb_printf(&json_path, "%s/diff.json", dir);
  sb_printf(&html_path, "%s/diff.html", dir);
  json_error_t err;
  json_t *doc = json_load_file(sb_str(&json_path), JSON_ALLOW_NUL, &err);
  if (!doc) {
    fprintf(stderr, "html-check: %s: %s\n", sb_str(&json_path), err.text);
    return 1;
  }
  long long classes = (long long)json_array_size(json_object_get(doc, "classes"));
  long long disagreements =
      json_integer_value(json_object_get(json_object_get(doc, "summary"), "disagreements"));
  long long counted = 0;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(doc, "classes"), i, c) {
    counted += json_is_true(json_object_get(c, "disagreement"));
  }
  check(counted == disagreements, "diff.json: summary says %lld disagreements, classes %lld",
        disagreements, counted);
  const char *hashes[] = {"", "#dis=1"};
  long long want[] = {classes, disagreements};
  for (size_t h = 0; h < 2; h++) {
    sb_reset(&url);
    sb_reset(&dom);
    sb_printf(&url, "file://%s%s", sb_str(&html_path), hashes[h]);
    if (!dump_dom(chromium, sb_str(&url), &dom)) {
      check(false, "chromium failed on %s", sb_str(&url));
      continue;
    }
    diff_page pg;
    read_diff_page(sb_str(&dom), doc, &pg);
    check(pg.rendered, "diff page%s did not finish drawing", hashes[h]);
    check(pg.rows == classes, "diff page%s: %lld class rows, diff.json has %lld", hashes[h],
          pg.rows, classes);
    check(pg.rows_shown == want[h] && pg.shown_attr == want[h],
          "diff page%s shows %lld rows (counter %lld), expected %lld", hashes[h], pg.rows_shown,
          pg.shown_attr, want[h]);
    check(pg.impl_rows == (long long)json_array_size(json_object_get(doc, "implementations")),
          "diff page%s: %lld implementation rows", hashes[h], pg.impl_rows);
  }
  printf("html-check: %s: %s (%lld classes, %lld disagreements)\n", sb_str(&html_path),
         failures ? "FAILED" : "the page shows what diff.json says", classes, disagreements);
  json_decref(doc);
  sb_free(&json_path);
  sb_free(&html_path);
  sb_free(&url);
  sb_free(&dom);
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  bool diff = argc >= 2 && strcmp(argv[1], "--diff") == 0;
  if (diff) {
    argv++;
    argc--;
  }
  if (argc < 2) {
    fputs("usage: mtasts-html-check [--diff] REPORT_DIR [--chromium PATH]\n", stderr);
    return 2;
  }
  const char *given = argc >= 4 && strcmp(argv[2], "--chromium") == 0 ? argv[3] : NULL;
  char *chromium = find_chromium(given);
  if (!chromium) {
    puts("html-check: SKIPPED: Chromium is not installed (Debian package chromium)");
    return SKIP;
  }
  char *dir = realpath(argv[1], NULL);
  if (!dir) {
    fprintf(stderr, "html-check: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  if (diff) {
    int status = check_diff(chromium, dir);
    free(dir);
    free(chromium);
    return status;
  }
  sbuf results_path, html_path, dom;
  sb_init(&results_path);
  sb_init(&html_path);
  sb_init(&dom);
  sb_printf(&results_path, "%s/results.json", dir);
  sb_printf(&html_path, "%s/report.html", dir);
  json_error_t err;
  json_t *doc = json_load_file(sb_str(&results_path), JSON_ALLOW_NUL, &err);
  if (!doc) {
    fprintf(stderr, "html-check: %s: %s\n", sb_str(&results_path), err.text);
    return 1;
  }
  sbuf url;
  sb_init(&url);
  sb_printf(&url, "file://%s", sb_str(&html_path));
  if (!dump_dom(chromium, sb_str(&url), &dom)) {
    fprintf(stderr, "html-check: chromium (%s) produced no DOM\n", chromium);
    return 1;
  }
  page pg;
  read_page(sb_str(&dom), doc, &pg);
  check_main_page(&pg, doc);
  page_free(&pg);
  check_side_and_external(sb_str(&dom), doc);

  const char *first = NULL;
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    if (!first && strcmp(json_string_value(json_object_get(im, "status")), "ran") == 0)
      first = json_string_value(json_object_get(im, "name"));
  }
  check_filtered(chromium, sb_str(&html_path), "verdict=pass",
                 count_rows(doc, NULL, NULL, "pass", false));
  check_flag_link(chromium, sb_str(&html_path), doc, false);
  if (json_object_get(doc, "scenarios")) {
    check_filtered(chromium, sb_str(&html_path), "kind=scenario",
                   count_rows(doc, NULL, "scenario", NULL, false));
    check_flag_link(chromium, sb_str(&html_path), doc, true);
  }
  if (first) {
    sbuf hash;
    sb_init(&hash);
    sb_printf(&hash, "impl=%s&verdict=%%21pass", first);
    check_filtered(chromium, sb_str(&html_path), sb_str(&hash),
                   count_rows(doc, first, NULL, "pass", true));
    sb_free(&hash);
  }
  printf("html-check: %s: %s (%zu results, %zu implementations)\n", sb_str(&html_path),
         failures ? "FAILED" : "the page shows what results.json says",
         json_array_size(json_object_get(doc, "results")),
         json_array_size(json_object_get(doc, "implementations")));
  json_decref(doc);
  sb_free(&url);
  sb_free(&dom);
  sb_free(&results_path);
  sb_free(&html_path);
  free(dir);
  free(chromium);
  return failures ? 1 : 0;
}
