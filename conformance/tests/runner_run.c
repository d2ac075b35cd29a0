#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner_run.h"
#include "text.h"

char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  sbuf b;
  sb_init(&b);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    sb_putn(&b, chunk, n);
  fclose(f);
  return sb_take(&b);
}

void assert_contains(const char *haystack, const char *needle) {
  if (!haystack || !strstr(haystack, needle)) {
    fprintf(stderr, "expected to find \"%s\" in:\n%s\n", needle, haystack ? haystack : "(null)");
    fail();
  }
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void run_done(run_out *o) {
  json_decref(o->results);
  free(o->stdout_text);
  free(o->stderr_text);
  nftw(o->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void run_with(run_out *o, const char *impls_text, const char *const *base, const char *json_name,
              va_list ap) {
  memset(o, 0, sizeof *o);
  strcpy(o->dir, "/tmp/conf-test-XXXXXX");
  assert_non_null(mkdtemp(o->dir));
  char impls_path[128], out_dir[128], stdout_path[128], stderr_path[128];
  snprintf(impls_path, sizeof impls_path, "%s/impls.json", o->dir);
  snprintf(out_dir, sizeof out_dir, "%s/out", o->dir);
  snprintf(stdout_path, sizeof stdout_path, "%s/stdout.txt", o->dir);
  snprintf(stderr_path, sizeof stderr_path, "%s/stderr.txt", o->dir);
  assert_true(write_file(impls_path, impls_text, strlen(impls_text)));

  const char *argv[40] = {CONF_RUNNER, "--impls",     impls_path, "--root", CONF_TESTS_DIR,
                          "--build",   CONF_FAKE_DIR, "--out",    out_dir};
  int argc = 9;
  while (*base && argc < 39)
    argv[argc++] = *base++;
  const char *extra;
  while ((extra = va_arg(ap, const char *)) != NULL && argc < 39)
    argv[argc++] = extra;
  argv[argc] = NULL;

  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    if (!freopen(stdout_path, "w", stdout) || !freopen(stderr_path, "w", stderr))
      _exit(99);
    execv(argv[0], (char *const *)(uintptr_t)argv);
    _exit(98);
  }
  int st = 0;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  assert_true(WIFEXITED(st));
  o->status = WEXITSTATUS(st);
  o->stdout_text = slurp(stdout_path);
  o->stderr_text = slurp(stderr_path);
  char results_path[160];
  snprintf(results_path, sizeof results_path, "%s/%s", out_dir, json_name);
  json_error_t err;
  o->results = json_load_file(results_path, JSON_ALLOW_NUL, &err);
}
