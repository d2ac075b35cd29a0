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

static void read_page(const char *whole, page *pg) {
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
  long long results = (long long)json_array_size(json_object_get(doc, "results"));
  check((long long)pg->rows == results, "page: %zu vector rows, results.json has %lld", pg->rows,
        results);
  check((long long)pg->rows_shown == results && pg->shown_attr == results,
        "page: unfiltered, %zu rows shown (counter %lld), results.json has %lld", pg->rows_shown,
        pg->shown_attr, results);
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
    read_page(sb_str(&dom), &pg);
    check(pg.rendered, "page #%s did not finish drawing", hash);
    check((long long)pg.rows_shown == want && pg.shown_attr == want,
          "page #%s shows %zu rows (counter %lld), results.json has %lld", hash, pg.rows_shown,
          pg.shown_attr, want);
    page_free(&pg);
  }
  sb_free(&url);
  sb_free(&dom);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: mtasts-html-check REPORT_DIR [--chromium PATH]\n", stderr);
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
  read_page(sb_str(&dom), &pg);
  check_main_page(&pg, doc);
  page_free(&pg);

  const char *first = NULL;
  size_t i;
  json_t *im;
  json_array_foreach(json_object_get(doc, "implementations"), i, im) {
    if (!first && strcmp(json_string_value(json_object_get(im, "status")), "ran") == 0)
      first = json_string_value(json_object_get(im, "name"));
  }
  check_filtered(chromium, sb_str(&html_path), "verdict=pass",
                 count_rows(doc, NULL, NULL, "pass", false));
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
