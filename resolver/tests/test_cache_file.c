/*
 * test_cache_file.c - the cache file of the resolver
 * (resolver/src/cache_file.c): the exact format, round trips, corrupt and
 * truncated files, and the atomic file operations.
 */
#define _POSIX_C_SOURCE 200809L

#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resolver_cache.h"

#define T(s) ((cache_text){(s), sizeof(s) - 1})

static const char policy_body[] = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                                  "max_age: 86400\r\n";

static const char full_file[] = "mtasts-cache 1\n"
                                "domain: example.com\n"
                                "policy-id: 20240501T120000\n"
                                "policy-fetched-at: 1796083200\n"
                                "policy-max-age: 86400\n"
                                "policy-mode: enforce\n"
                                "policy-body: 69\n"
                                "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                                "max_age: 86400\r\n\n"
                                "failure-id: 20240601T000000\n"
                                "failure-at: 1796083500\n"
                                "end\n";

static cache_record full_record(void) {
  cache_record r;
  memset(&r, 0, sizeof r);
  r.domain = T("example.com");
  r.has_policy = true;
  r.id = T("20240501T120000");
  r.fetched_at = 1796083200;
  r.max_age = 86400;
  r.mode = MTASTS_MODE_ENFORCE;
  r.body = (cache_text){policy_body, sizeof policy_body - 1};
  r.has_failure = true;
  r.failure_id = T("20240601T000000");
  r.failure_at = 1796083500;
  return r;
}

static bool text_equal(cache_text a, cache_text b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static void assert_records_equal(const char *name, const cache_record *a, const cache_record *b) {
  bool same = text_equal(a->domain, b->domain) && a->has_policy == b->has_policy &&
              a->has_failure == b->has_failure;
  if (same && a->has_policy)
    same = text_equal(a->id, b->id) && a->fetched_at == b->fetched_at && a->max_age == b->max_age &&
           a->mode == b->mode && text_equal(a->body, b->body);
  if (same && a->has_failure)
    same = text_equal(a->failure_id, b->failure_id) && a->failure_at == b->failure_at;
  if (!same)
    fail_msg("%s: the record read back differs", name);
}

/* Format, check the size contract, parse back, compare, format again. */
static void round_trip(const char *name, const cache_record *rec) {
  size_t need = cache_format(rec, NULL, 0);
  assert_true(need > 0);
  char *text = malloc(need); /* exact size: ASan sees any overrun */
  assert_non_null(text);
  assert_int_equal(cache_format(rec, text, need - 1), need); /* too small: nothing written */
  assert_int_equal(cache_format(rec, text, need), need);
  cache_record back;
  size_t line;
  poison(&back, sizeof back);
  const char *why = cache_parse(guard_copy(text, need), need, &back, &line);
  if (why != NULL)
    fail_msg("%s: does not read back: line %zu: %s", name, line, why);
  assert_records_equal(name, rec, &back);
  char *again = malloc(need);
  assert_non_null(again);
  assert_int_equal(cache_format(&back, again, need), need);
  assert_memory_equal(text, again, need);
  free(again);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Format                                                              */
/* ------------------------------------------------------------------ */

static void test_exact_format(void **state) {
  (void)state;
  cache_record r = full_record();
  char buf[1024];
  size_t n = cache_format(&r, buf, sizeof buf);
  assert_int_equal(n, sizeof full_file - 1);
  assert_memory_equal(buf, full_file, n);
}

static void test_round_trips(void **state) {
  (void)state;
  cache_record r = full_record();
  round_trip("policy and failure", &r);
  r.has_failure = false;
  round_trip("policy only", &r);
  r.mode = MTASTS_MODE_NONE;
  r.max_age = 0;
  r.body = T("version: STSv1\nmode: none\nmax_age: 0\n");
  round_trip("mode none, max_age 0", &r);
  r.mode = MTASTS_MODE_TESTING;
  r.max_age = MTASTS_MAX_AGE_LIMIT;
  r.fetched_at = UINT64_MAX;
  round_trip("largest numbers", &r);
  r.body = T("");
  round_trip("empty body", &r);
  r.body = T("end\n\nend\n");
  round_trip("a body that looks like the end", &r);
  r = full_record();
  r.has_policy = false;
  r.failure_id = T("");
  r.failure_at = 0;
  round_trip("failure with an empty id", &r);
  r.has_failure = false;
  round_trip("nothing but the domain", &r);
  r.domain = T("a-b.c0.example");
  round_trip("domain with digits and hyphens", &r);
}

static void test_largest_body(void **state) {
  (void)state;
  char *body = malloc(MTASTS_POLICY_MAX_SIZE);
  assert_non_null(body);
  memset(body, '\n', MTASTS_POLICY_MAX_SIZE);
  cache_record r = full_record();
  r.body = (cache_text){body, MTASTS_POLICY_MAX_SIZE};
  round_trip("a body of 65536 line feeds", &r);
  assert_true(cache_format(&r, NULL, 0) <= CACHE_FILE_MAX);
  r.body.len++;
  assert_int_equal(cache_format(&r, NULL, 0), 0);
  free(body);
}

/* full_record() with `field` set to `value` is not written (a macro: a
 * failure names the caller's line). */
#define assert_unwritable(field, value)                                                            \
  do {                                                                                             \
    cache_record r_ = full_record();                                                               \
    r_.field = (value);                                                                            \
    assert_int_equal(cache_format(&r_, NULL, 0), 0);                                               \
  } while (0)

static void test_unwritable_records(void **state) {
  (void)state;
  assert_unwritable(domain, T("Example.com"));
  assert_unwritable(domain, T(""));
  assert_unwritable(domain, T("a/b"));
  assert_unwritable(id, T(""));
  assert_unwritable(id, T("with-hyphen"));
  assert_unwritable(id, T("123456789012345678901234567890123"));
  assert_unwritable(max_age, MTASTS_MAX_AGE_LIMIT + 1);
  assert_unwritable(mode, MTASTS_MODE_UNSET);
  assert_unwritable(failure_id, T("a b"));
}

/* ------------------------------------------------------------------ */
/* Corrupt files                                                       */
/* ------------------------------------------------------------------ */

typedef struct bad {
  const char *name;
  const char *text;
  size_t line;
  const char *why_starts;
} bad;

#define HEAD "mtasts-cache 1\ndomain: example.com\n"
#define POL "policy-id: a\npolicy-fetched-at: 1\npolicy-max-age: 2\npolicy-mode: none\n"

static const bad bads[] = {
    {"empty", "", 1, "not an mtasts cache file"},
    {"another file", "version: STSv1\n", 1, "not an mtasts cache file"},
    {"version 2", "mtasts-cache 2\ndomain: example.com\nend\n", 1, "a cache format version"},
    {"version with a space", "mtasts-cache 1 \ndomain: example.com\nend\n", 1,
     "a cache format version"},
    {"no domain", "mtasts-cache 1\nend\n", 2, "no \"domain: \" line"},
    {"upper-case domain", "mtasts-cache 1\ndomain: Example.com\nend\n", 2, "the domain is not"},
    {"domain with a slash", "mtasts-cache 1\ndomain: ../x\nend\n", 2, "the domain is not"},
    {"no end", HEAD, 3, "expected the \"end\" line"},
    {"end without LF", HEAD "end", 3, "expected the \"end\" line"},
    {"CRLF line endings", "mtasts-cache 1\r\ndomain: example.com\r\nend\r\n", 1,
     "a cache format version"},
    {"end then more", HEAD "end\nx", 4, "data after the \"end\" line"},
    {"two end lines", HEAD "end\nend\n", 4, "data after the \"end\" line"},
    {"unknown line", HEAD "colour: blue\nend\n", 3, "expected the \"end\" line"},
    {"id with a hyphen", HEAD "policy-id: a-b\n", 3, "the policy id"},
    {"id of 33", HEAD "policy-id: 123456789012345678901234567890123\n", 3, "the policy id"},
    {"empty id", HEAD "policy-id: \n", 3, "the policy id"},
    {"leading zero", HEAD "policy-id: a\npolicy-fetched-at: 01\n", 4, "not a number"},
    {"negative", HEAD "policy-id: a\npolicy-fetched-at: -1\n", 4, "not a number"},
    {"overflow", HEAD "policy-id: a\npolicy-fetched-at: 18446744073709551616\n", 4, "not a number"},
    {"max_age above a year", HEAD "policy-id: a\npolicy-fetched-at: 1\npolicy-max-age: 31557601\n",
     5, "max_age is above"},
    {"reordered", HEAD "policy-id: a\npolicy-max-age: 2\npolicy-fetched-at: 1\n", 4,
     "expected another line"},
    {"bad mode",
     HEAD "policy-id: a\npolicy-fetched-at: 1\npolicy-max-age: 2\npolicy-mode: Enforce\n", 6,
     "the mode is not"},
    {"body too long", HEAD POL "policy-body: 65537\n", 7, "the policy body is longer"},
    {"body shorter than its length", HEAD POL "policy-body: 10\nabc\nend\n", 7,
     "the policy body is not as long"},
    {"body without its LF", HEAD POL "policy-body: 3\nabcend\n", 7,
     "the policy body is not as long"},
    {"policy without body", HEAD POL "end\n", 7, "expected another line"},
    {"failure without time", HEAD "failure-id: a\nend\n", 4, "expected another line"},
    {"failure id with a space", HEAD "failure-id: a b\nfailure-at: 1\nend\n", 3, "the failure id"},
    {"failure before policy", HEAD "failure-id: a\nfailure-at: 1\n" POL, 5,
     "expected the \"end\" line"},
    {"NUL byte", "mtasts-cache 1\ndomain: exa\0mple.com\nend\n", 2, "the domain is not"},
};

static void test_corrupt(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
    const bad *b = &bads[i];
    size_t len = strcmp(b->name, "NUL byte") == 0 ? 40 : strlen(b->text);
    cache_record r;
    size_t line = 0;
    poison(&r, sizeof r);
    const char *why = cache_parse(guard_copy(b->text, len), len, &r, &line);
    if (why == NULL || strncmp(why, b->why_starts, strlen(b->why_starts)) != 0 || line != b->line)
      fail_msg("%s: got line %zu \"%s\", want line %zu \"%s...\"", b->name, line,
               why ? why : "(accepted)", b->line, b->why_starts);
    /* A failed parse leaves no span behind. */
    assert_false(r.has_policy || r.has_failure || r.domain.ptr != NULL);
  }
}

/* Every strict prefix of a valid file is corrupt: a file cut by a full
 * disk or a crash is never read as a smaller valid one. */
static void test_prefixes(void **state) {
  (void)state;
  size_t len = sizeof full_file - 1;
  for (size_t n = 0; n < len; n++) {
    cache_record r;
    size_t line;
    if (cache_parse(guard_copy(full_file, n), n, &r, &line) == NULL)
      fail_msg("a prefix of %zu bytes of %zu is accepted", n, len);
  }
  cache_record r;
  size_t line;
  assert_null(cache_parse(guard_copy(full_file, len), len, &r, &line));
}

/* Every byte changed to every value: never a crash, and a change
 * outside the body, ids and numbers is caught. */
static void test_mutations(void **state) {
  (void)state;
  size_t len = sizeof full_file - 1;
  char *copy = malloc(len);
  assert_non_null(copy);
  size_t accepted = 0;
  for (size_t i = 0; i < len; i++) {
    for (int v = 0; v < 256; v++) {
      memcpy(copy, full_file, len);
      if ((unsigned char)copy[i] == v)
        continue;
      copy[i] = (char)v;
      cache_record r;
      size_t line;
      accepted += cache_parse(guard_copy(copy, len), len, &r, &line) == NULL;
    }
  }
  /* What may change and still parse: a body byte, an id or domain
   * letter to another letter/digit, a digit to a digit. */
  assert_true(accepted > 0);
  assert_true(accepted < len * 255 / 2);
  free(copy);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

static char scratch[] = "/tmp/mtasts-cache-test-XXXXXX";

static int make_scratch(void **state) {
  (void)state;
  return mkdtemp(scratch) == NULL ? -1 : 0;
}

static int remove_scratch(void **state) {
  (void)state;
  DIR *d = opendir(scratch);
  if (d != NULL) {
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
      if (unlink(path) != 0)
        rmdir(path);
    }
    closedir(d);
  }
  return rmdir(scratch);
}

static size_t files_in_scratch(void) {
  size_t n = 0;
  DIR *d = opendir(scratch);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
}

/* Loading `path` gives `want` and the message before + path + after. */
static void expect_load(const char *path, cache_load_result want, const char *before,
                        const char *after) {
  char msg[600], text[600];
  char *data;
  cache_record got;
  assert_int_equal(cache_load(path, &data, &got, msg, sizeof msg), want);
  free(data);
  snprintf(text, sizeof text, "%s%s%s", before, path, after);
  assert_string_equal(msg, text);
}

static void test_path(void **state) {
  (void)state;
  char path[64];
  assert_true(cache_path("/var/cache/x", "Mail.Example.COM", 16, path, sizeof path));
  assert_string_equal(path, "/var/cache/x/mail.example.com");
  assert_true(cache_path("dir/", "a.b", 3, path, sizeof path));
  assert_string_equal(path, "dir/a.b");
  assert_true(cache_path("dir", "a.b", 3, path, 8));
  assert_false(cache_path("dir", "a.b", 3, path, 7));
}

static void test_save_load(void **state) {
  (void)state;
  char path[512], msg[600];
  assert_true(cache_path(scratch, "example.com", 11, path, sizeof path));
  char *data;
  cache_record got;
  assert_int_equal(cache_load(path, &data, &got, msg, sizeof msg), CACHE_MISSING);
  free(data);

  cache_record rec = full_record();
  char err[600];
  assert_true(cache_save(path, &rec, err, sizeof err));
  assert_int_equal(files_in_scratch(), 1); /* no temporary file left behind */
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_size, sizeof full_file - 1);
  assert_int_equal(cache_load(path, &data, &got, msg, sizeof msg), CACHE_LOADED);
  assert_records_equal("saved file", &rec, &got);
  free(data);

  /* A record with nothing in it removes the file. */
  rec.has_policy = rec.has_failure = false;
  assert_true(cache_save(path, &rec, err, sizeof err));
  assert_int_equal(files_in_scratch(), 0);
  assert_true(cache_save(path, &rec, err, sizeof err)); /* and its absence is fine */
}

static void test_corrupt_file(void **state) {
  (void)state;
  char path[512];
  assert_true(cache_path(scratch, "cut.example", 11, path, sizeof path));
  write_file(path, full_file, 40);
  expect_load(path, CACHE_CORRUPT, "",
              ":3: expected the \"end\" line (the file is cut, or has a line it should not)");

  /* One byte over the largest file: not even parsed. */
  char *big = malloc(CACHE_FILE_MAX + 1);
  assert_non_null(big);
  memset(big, 'x', CACHE_FILE_MAX + 1);
  write_file(path, big, CACHE_FILE_MAX + 1);
  free(big);
  expect_load(path, CACHE_CORRUPT, "", ": larger than a cache file can be");
  unlink(path);
}

static void test_unreadable(void **state) {
  (void)state;
  char path[512], want[600];
  assert_true(cache_path(scratch, "dir.example", 11, path, sizeof path));
  assert_int_equal(mkdir(path, 0700), 0);
  expect_load(path, CACHE_UNREADABLE, "cannot read the cache file '", "': not a regular file");
  /* Saving onto a directory fails, and leaves no temporary file. */
  cache_record rec = full_record();
  char err[600];
  assert_false(cache_save(path, &rec, err, sizeof err));
  snprintf(want, sizeof want, "cannot write the cache file '%s': Is a directory", path);
  assert_string_equal(err, want);
  assert_int_equal(files_in_scratch(), 1);
  rmdir(path);

  /* A directory that does not exist. */
  snprintf(path, sizeof path, "%s/missing/example.com", scratch);
  assert_false(cache_save(path, &rec, err, sizeof err));
  snprintf(want, sizeof want, "cannot write the cache file '%s': No such file or directory", path);
  assert_string_equal(err, want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exact_format), cmocka_unit_test(test_round_trips),
      cmocka_unit_test(test_largest_body), cmocka_unit_test(test_unwritable_records),
      cmocka_unit_test(test_corrupt),      cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_mutations),    cmocka_unit_test(test_path),
      cmocka_unit_test(test_save_load),    cmocka_unit_test(test_corrupt_file),
      cmocka_unit_test(test_unreadable),
  };
  return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
