/*
 * test_alloc.c - proof by execution that no public entry point allocates.
 *
 * The executable defines the allocator itself (malloc, calloc, realloc,
 * free and the aligned variants), so every allocation in the process -
 * from the library, from glibc on its behalf (strdup, stdio), from cmocka -
 * lands here first, is counted, and is forwarded to glibc's own allocator.
 * cmocka allocates too, so the count is only compared across a window that
 * holds exactly one library call (NO_ALLOC below).
 *
 * Every public function is referenced weakly and the library objects are
 * linked directly (not through the archive, where a weak reference would
 * not pull a member in): an entry point that is not written yet is
 * reported as skipped instead of breaking the build.
 */
#define _DEFAULT_SOURCE 1 /* memalign, valloc, pvalloc, reallocarray */
#include "testutil.h"

#include "alloc_counter.h"

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Weak references to the whole API                                    */
/* ------------------------------------------------------------------ */

#pragma weak mtasts_errname
#pragma weak mtasts_strerror
#pragma weak mtasts_is_warning
#pragma weak mtasts_locate
#pragma weak mtasts_profile_name
#pragma weak mtasts_rua_scheme_name
#pragma weak mtasts_match_name
#pragma weak mtasts_mode_name
#pragma weak mtasts_txt_init
#pragma weak mtasts_txt_parse
#pragma weak mtasts_txt_parse_strings
#pragma weak mtasts_txt_copy
#pragma weak mtasts_txt_select
#pragma weak mtasts_tlsrpt_init
#pragma weak mtasts_tlsrpt_parse
#pragma weak mtasts_tlsrpt_parse_strings
#pragma weak mtasts_tlsrpt_select
#pragma weak mtasts_tlsrpt_copy
#pragma weak mtasts_policy_init
#pragma weak mtasts_policy_parse
#pragma weak mtasts_mx_match
#pragma weak mtasts_policy_match
#pragma weak mtasts_policy_write
#pragma weak mtasts_txt_write
#pragma weak mtasts_tlsrpt_write

/* Skip the calling test unless every named function is linked in. */
#define REQUIRE_LINKED(fn)                                                                         \
  do {                                                                                             \
    if ((fn) == NULL) {                                                                            \
      print_message("[  NOTE    ] %s is not implemented yet\n", #fn);                              \
      skip();                                                                                      \
    }                                                                                              \
  } while (0)

/* ------------------------------------------------------------------ */
/* Inputs                                                              */
/* ------------------------------------------------------------------ */

typedef struct text_case {
  const char *name;
  const char *text;
  size_t len;
  mtasts_profile profile;
  bool valid;
} text_case;

#define TEXT(s) (s), sizeof(s) - 1
#define ID33 "abcdefghijklmnopqrstuvwxyz0123456"

static const text_case txt_cases[] = {
    {"rfc 8461 example", TEXT("v=STSv1; id=20160831085700Z;"), MTASTS_STRICT, true},
    {"extension", TEXT("v=STSv1; id=abc123; x-ext.1=value;"), MTASTS_STRICT, true},
    {"duplicate id", TEXT("v=STSv1; id=a; id=b"), MTASTS_STRICT, true},
    {"wsp before delimiter", TEXT("v=STSv1 ;\tid=x"), MTASTS_STRICT, true},
    {"lenient trailing wsp", TEXT("v=STSv1; id=a  "), MTASTS_LENIENT, true},
    {"strict trailing wsp", TEXT("v=STSv1; id=a  "), MTASTS_STRICT, false},
    {"empty", TEXT(""), MTASTS_STRICT, false},
    {"empty id", TEXT("v=STSv1; id=;"), MTASTS_STRICT, false},
    {"missing id", TEXT("v=STSv1;"), MTASTS_STRICT, false},
    {"upper-case v", TEXT("V=STSv1; id=a;"), MTASTS_STRICT, false},
    {"id too long", TEXT("v=STSv1; id=" ID33 ";"), MTASTS_STRICT, false},
    {"nul", TEXT("v=STSv1; id=a\0b;"), MTASTS_LENIENT, false},
    {"empty field", TEXT("v=STSv1;; id=a;"), MTASTS_STRICT, false},
};

static const text_case tlsrpt_cases[] = {
    {"rfc 8460 mailto", TEXT("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"), MTASTS_STRICT, true},
    {"rfc 8460 https", TEXT("v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt"),
     MTASTS_STRICT, true},
    {"two uris and an extension",
     TEXT("v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.net/x; ext=1;"), MTASTS_STRICT,
     true},
    {"lenient unsupported scheme", TEXT("v=TLSRPTv1; rua=ftp://x.example,mailto:a@example.com"),
     MTASTS_LENIENT, true},
    {"strict unsupported scheme", TEXT("v=TLSRPTv1; rua=ftp://x.example,mailto:a@example.com"),
     MTASTS_STRICT, false},
    {"no rua", TEXT("v=TLSRPTv1;"), MTASTS_STRICT, false},
    {"raw bang", TEXT("v=TLSRPTv1; rua=mailto:a!b@example.com"), MTASTS_STRICT, false},
    {"empty element", TEXT("v=TLSRPTv1; rua=mailto:a@example.com,"), MTASTS_STRICT, false},
    {"no destination", TEXT("v=TLSRPTv1; rua=mailto:"), MTASTS_STRICT, false},
    {"bad percent", TEXT("v=TLSRPTv1; rua=https://r.example/%zz"), MTASTS_STRICT, false},
    {"sts version", TEXT("v=STSv1; id=a;"), MTASTS_STRICT, false},
};

#define RFC_POLICY                                                                                 \
  "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n"                       \
  "mx: backupmx.example.com\nmax_age: 604800\n"

static const text_case policy_cases[] = {
    {"rfc 8461 example", TEXT(RFC_POLICY), MTASTS_STRICT, true},
    {"crlf and an extension",
     TEXT("version: STSv1\r\nmode: testing\r\nmx: mx.example.org\r\nmax_age: 86400\r\n"
          "x-note: caf\xc3\xa9\r\n"),
     MTASTS_STRICT, true},
    {"mode none without mx", TEXT("version: STSv1\nmode: none\nmax_age: 0"), MTASTS_STRICT, true},
    {"lenient bom, blank lines, clamp",
     TEXT("\xef\xbb\xbfversion: STSv1\n\nmode: enforce\nmx: a.example\n"
          "max_age: 9999999999\n\n \n"),
     MTASTS_LENIENT, true},
    {"strict bom", TEXT("\xef\xbb\xbfversion: STSv1\nmode: none\nmax_age: 1\n"), MTASTS_STRICT,
     false},
    {"empty", TEXT(""), MTASTS_STRICT, false},
    {"bare cr", TEXT("version: STSv1\rmode: none\nmax_age: 1\n"), MTASTS_STRICT, false},
    {"missing mx", TEXT("version: STSv1\nmode: enforce\nmax_age: 1\n"), MTASTS_STRICT, false},
    {"bad mode", TEXT("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n"), MTASTS_STRICT,
     false},
    {"bad mx", TEXT("version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1\n"), MTASTS_STRICT,
     false},
    {"invalid utf-8", TEXT("version: STSv1\nmode: none\nmax_age: 1\nx: \xc0\xaf\n"), MTASTS_STRICT,
     false},
    {"folded line", TEXT("version: STSv1\n mode: none\nmax_age: 1\n"), MTASTS_LENIENT, false},
};

/* Inputs just over the size limits, built once: an _mta-sts record, an
 * unrelated record (a long SPF chain) and a policy. */
static char big_txt[MTASTS_TXT_MAX_SIZE + 1];
static char big_spf[MTASTS_TXT_MAX_SIZE + 1];
static char big_policy[MTASTS_POLICY_MAX_SIZE + 1];

static int make_big_inputs(void **state) {
  (void)state;
  static const char txt_head[] = "v=STSv1; id=a; x=";
  memset(big_txt, 'y', sizeof big_txt);
  memcpy(big_txt, txt_head, sizeof txt_head - 1);
  static const char spf_head[] = "v=spf1 ";
  memset(big_spf, 'a', sizeof big_spf);
  memcpy(big_spf, spf_head, sizeof spf_head - 1);
  /* A valid policy padded with one long extension value. */
  static const char policy_head[] = "version: STSv1\nmode: none\nmax_age: 1\nx: ";
  memset(big_policy, 'z', sizeof big_policy);
  memcpy(big_policy, policy_head, sizeof policy_head - 1);
  big_policy[sizeof big_policy - 1] = '\n';
  return 0;
}

/* Options for a case, with room for warnings so that the warning paths run. */
typedef struct case_options {
  mtasts_diag items[8];
  mtasts_diags diags;
  mtasts_options opt;
} case_options;

static const mtasts_options *options_for(case_options *co, mtasts_profile profile) {
  memset(co, 0, sizeof *co);
  co->diags.items = co->items;
  co->diags.cap = sizeof co->items / sizeof co->items[0];
  co->opt.profile = profile;
  co->opt.warnings = &co->diags;
  return &co->opt;
}

/* The character-strings of one TXT RR: `text` cut into three pieces. */
typedef struct split_text {
  mtasts_chunk chunks[3];
} split_text;

static void split_in_three(split_text *s, const char *text, size_t len) {
  size_t a = len / 3, b = 2 * len / 3;
  s->chunks[0] = (mtasts_chunk){text, a};
  s->chunks[1] = (mtasts_chunk){text + a, b - a};
  s->chunks[2] = (mtasts_chunk){text + b, len - b};
}

static void expect_result(const text_case *c, const char *entry, mtasts_code rc) {
  if (c->valid && rc != MTASTS_OK)
    fail_msg("%s(%s): got %s, want OK", entry, c->name, mtasts_errname(rc));
  if (!c->valid && rc == MTASTS_OK)
    fail_msg("%s(%s): got OK, want an error", entry, c->name);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

/* The counter must see every allocator entry point, including calls made
 * inside another library (strdup in glibc), or the proofs below prove
 * nothing. Called through volatile pointers so that the compiler cannot
 * drop a malloc/free pair. */
static void test_interposer_counts_every_allocator(void **state) {
  (void)state;
  void *(*volatile do_malloc)(size_t) = malloc;
  void *(*volatile do_calloc)(size_t, size_t) = calloc;
  void *(*volatile do_realloc)(void *, size_t) = realloc;
  void *(*volatile do_aligned)(size_t, size_t) = aligned_alloc;
  int (*volatile do_posix_memalign)(void **, size_t, size_t) = posix_memalign;
  void (*volatile do_free)(void *) = free;
  char *(*volatile do_strdup)(const char *) = strdup;

  size_t before = alloc_counter_calls();
  void *p = do_malloc(16);
  assert_int_equal(alloc_counter_calls() - before, 1);
  p = do_realloc(p, 64);
  assert_int_equal(alloc_counter_calls() - before, 2);
  do_free(p);
  assert_int_equal(alloc_counter_calls() - before, 3);
  do_free(do_calloc(4, 4));
  assert_int_equal(alloc_counter_calls() - before, 5);
  do_free(do_aligned(64, 64));
  assert_int_equal(alloc_counter_calls() - before, 7);
  void *q = NULL;
  assert_int_equal(do_posix_memalign(&q, 64, 32), 0);
  do_free(q);
  assert_int_equal(alloc_counter_calls() - before, 9);
  char *s = do_strdup("allocates inside glibc");
  assert_non_null(s);
  assert_true(alloc_counter_calls() - before >= 10);
  do_free(s);
}

static void test_errors_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_errname);
  REQUIRE_LINKED(mtasts_strerror);
  REQUIRE_LINKED(mtasts_is_warning);
  REQUIRE_LINKED(mtasts_locate);
  static const char text[] = "line one\nline two\r\nthree";
  /* One past the table and a negative value exercise the UNKNOWN paths. */
  for (int c = -1; c <= (int)MTASTS_CODE_COUNT_; c++) {
    const char *name = NULL, *message = NULL;
    bool warning = false;
    NO_ALLOC(name = mtasts_errname((mtasts_code)c));
    NO_ALLOC(message = mtasts_strerror((mtasts_code)c));
    NO_ALLOC(warning = mtasts_is_warning((mtasts_code)c));
    assert_non_null(name);
    assert_non_null(message);
    (void)warning;
  }
  for (size_t off = 0; off <= sizeof text; off++) {
    mtasts_location loc;
    NO_ALLOC(loc = mtasts_locate(text, sizeof text - 1, off));
    assert_true(loc.line >= 1 && loc.column >= 1);
  }
  mtasts_location loc;
  NO_ALLOC(loc = mtasts_locate(NULL, 0, 3));
  assert_int_equal(loc.line, 1);
}

static void test_names_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_profile_name);
  REQUIRE_LINKED(mtasts_rua_scheme_name);
  REQUIRE_LINKED(mtasts_match_name);
  REQUIRE_LINKED(mtasts_mode_name);
  /* Every value and one past each end. */
  for (int v = -3; v <= 4; v++) {
    const char *name = NULL;
    NO_ALLOC(name = mtasts_profile_name((mtasts_profile)v));
    assert_non_null(name);
    NO_ALLOC(name = mtasts_rua_scheme_name((mtasts_rua_scheme)v));
    assert_non_null(name);
    NO_ALLOC(name = mtasts_match_name((mtasts_match)v));
    assert_non_null(name);
    NO_ALLOC(name = mtasts_mode_name((mtasts_mode)v));
    assert_non_null(name);
  }
}

/* Copy and rewrite a parsed TXT record, with too little room and enough. */
static void copy_and_write_txt(const mtasts_txt *t) {
  char small[4], big[MTASTS_TXT_MAX_SIZE + 64];
  size_t copied = 0, needed = 0;
  mtasts_code rc;
  NO_ALLOC(copied = mtasts_txt_copy(t, t->id, small, sizeof small));
  assert_int_equal(copied, t->id.len);
  for (size_t i = 0; i < t->ext_count; i++)
    NO_ALLOC(copied = mtasts_txt_copy(t, t->ext[i].value, big, sizeof big));
  NO_ALLOC(rc = mtasts_txt_write(t, small, sizeof small, &needed));
  assert_int_equal(rc, MTASTS_E_WRITE_SPACE);
  NO_ALLOC(rc = mtasts_txt_write(t, big, sizeof big, &needed));
  assert_int_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_txt_write(t, big, needed, NULL));
  assert_int_equal(rc, MTASTS_OK);
}

static void test_txt_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_txt_parse);
  REQUIRE_LINKED(mtasts_txt_parse_strings);
  REQUIRE_LINKED(mtasts_txt_init);
  REQUIRE_LINKED(mtasts_txt_copy);
  REQUIRE_LINKED(mtasts_txt_write);
  for (size_t i = 0; i < sizeof txt_cases / sizeof txt_cases[0]; i++) {
    const text_case *c = &txt_cases[i];
    case_options co;
    const mtasts_options *opt = options_for(&co, c->profile);
    mtasts_txt t;
    mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
    NO_ALLOC(mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS));
    mtasts_code rc;

    NO_ALLOC(rc = mtasts_txt_parse(c->text, c->len, opt, &t));
    expect_result(c, "mtasts_txt_parse", rc);
    if (rc == MTASTS_OK)
      copy_and_write_txt(&t);

    split_text s;
    split_in_three(&s, c->text, c->len);
    NO_ALLOC(rc = mtasts_txt_parse_strings(s.chunks, 3, opt, &t));
    expect_result(c, "mtasts_txt_parse_strings", rc);
    if (rc == MTASTS_OK)
      copy_and_write_txt(&t); /* spans may straddle the pieces */
  }
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
  NO_ALLOC(mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS));
  mtasts_code rc;
  NO_ALLOC(rc = mtasts_txt_parse(big_txt, sizeof big_txt, NULL, &t));
  assert_int_equal(rc, MTASTS_E_TXT_TOO_LARGE);
  NO_ALLOC(rc = mtasts_txt_parse(NULL, 7, NULL, &t));
  assert_int_equal(rc, MTASTS_E_ARGUMENT);
  NO_ALLOC(rc = mtasts_txt_parse_strings(NULL, 0, NULL, &t));
  assert_int_not_equal(rc, MTASTS_OK);
  memset(&t, 0, sizeof t); /* not a parse result */
  char out[64];
  size_t needed = 0;
  NO_ALLOC(rc = mtasts_txt_write(&t, out, sizeof out, &needed));
  assert_int_not_equal(rc, MTASTS_OK);
}

static void test_txt_select_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_txt_select);
  REQUIRE_LINKED(mtasts_txt_init);
  static const mtasts_chunk spf[] = {{TEXT("v=spf1 -all")}};
  static const mtasts_chunk sts[] = {{TEXT("v=STSv1; ")}, {TEXT("id=abc;")}};
  static const mtasts_chunk bad[] = {{TEXT("v=STSv1; id=;")}};
  const mtasts_rr one[] = {{spf, 1}, {sts, 2}};
  const mtasts_rr none[] = {{spf, 1}};
  const mtasts_rr two[] = {{sts, 2}, {spf, 1}, {sts, 2}};
  const mtasts_rr invalid[] = {{bad, 1}};
  const mtasts_chunk huge_sts[] = {{big_txt, sizeof big_txt}};
  const mtasts_chunk huge_spf[] = {{big_spf, sizeof big_spf}};
  const mtasts_rr too_large[] = {{huge_sts, 1}, {spf, 1}};
  const mtasts_rr large_other[] = {{huge_spf, 1}, {sts, 2}};
  mtasts_rrset_result sel;
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
  NO_ALLOC(mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS));
  mtasts_code rc;
  mtasts_options literal = {MTASTS_STRICT, MTASTS_OPT_LITERAL_PREFIX, NULL};

  NO_ALLOC(rc = mtasts_txt_select(one, 2, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_txt_select(one, 2, &literal, &sel, &t));
  assert_int_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_txt_select(none, 1, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_E_RRSET_NONE);
  NO_ALLOC(rc = mtasts_txt_select(two, 3, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_E_RRSET_MULTIPLE);
  NO_ALLOC(rc = mtasts_txt_select(invalid, 1, NULL, &sel, &t));
  assert_int_not_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_txt_select(too_large, 2, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_E_TXT_TOO_LARGE);
  NO_ALLOC(rc = mtasts_txt_select(large_other, 2, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_txt_select(NULL, 0, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_E_RRSET_NONE);
}

static void copy_and_write_tlsrpt(const mtasts_tlsrpt *t) {
  char small[4], big[MTASTS_TXT_MAX_SIZE + 64];
  size_t needed = 0;
  mtasts_code rc;
  for (size_t i = 0; i < t->rua_count; i++) {
    size_t copied;
    NO_ALLOC(copied = mtasts_tlsrpt_copy(t, t->rua[i].uri, small, sizeof small));
    assert_int_equal(copied, t->rua[i].uri.len);
  }
  NO_ALLOC(rc = mtasts_tlsrpt_write(t, small, sizeof small, &needed));
  assert_int_equal(rc, MTASTS_E_WRITE_SPACE);
  NO_ALLOC(rc = mtasts_tlsrpt_write(t, big, sizeof big, &needed));
  assert_int_equal(rc, MTASTS_OK);
}

static void test_tlsrpt_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_tlsrpt_parse);
  REQUIRE_LINKED(mtasts_tlsrpt_parse_strings);
  REQUIRE_LINKED(mtasts_tlsrpt_init);
  REQUIRE_LINKED(mtasts_tlsrpt_copy);
  REQUIRE_LINKED(mtasts_tlsrpt_write);
  for (size_t i = 0; i < sizeof tlsrpt_cases / sizeof tlsrpt_cases[0]; i++) {
    const text_case *c = &tlsrpt_cases[i];
    case_options co;
    const mtasts_options *opt = options_for(&co, c->profile);
    mtasts_tlsrpt t;
    mtasts_rua t_rua[MTASTS_MAX_RUA];
    mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
    NO_ALLOC(mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS));
    mtasts_code rc;

    NO_ALLOC(rc = mtasts_tlsrpt_parse(c->text, c->len, opt, &t));
    expect_result(c, "mtasts_tlsrpt_parse", rc);
    if (rc == MTASTS_OK)
      copy_and_write_tlsrpt(&t);

    split_text s;
    split_in_three(&s, c->text, c->len);
    NO_ALLOC(rc = mtasts_tlsrpt_parse_strings(s.chunks, 3, opt, &t));
    expect_result(c, "mtasts_tlsrpt_parse_strings", rc);
    if (rc == MTASTS_OK)
      copy_and_write_tlsrpt(&t);
  }
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA];
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
  NO_ALLOC(mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS));
  mtasts_code rc;
  NO_ALLOC(rc = mtasts_tlsrpt_parse(big_txt, sizeof big_txt, NULL, &t));
  assert_int_equal(rc, MTASTS_E_TXT_TOO_LARGE);
  memset(&t, 0, sizeof t); /* not a parse result */
  char out[64];
  size_t needed = 0;
  NO_ALLOC(rc = mtasts_tlsrpt_write(&t, out, sizeof out, &needed));
  assert_int_not_equal(rc, MTASTS_OK);
}

static void test_tlsrpt_select_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_tlsrpt_select);
  REQUIRE_LINKED(mtasts_tlsrpt_init);
  static const mtasts_chunk sts[] = {{TEXT("v=STSv1; id=abc;")}};
  static const mtasts_chunk rpt[] = {{TEXT("v=TLSRPTv1;")}, {TEXT("rua=mailto:r@example.com")}};
  const mtasts_rr one[] = {{sts, 1}, {rpt, 2}};
  const mtasts_rr two[] = {{rpt, 2}, {rpt, 2}};
  mtasts_rrset_result sel;
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA];
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
  NO_ALLOC(mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS));
  mtasts_code rc;
  NO_ALLOC(rc = mtasts_tlsrpt_select(one, 2, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_tlsrpt_select(one, 1, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_E_RRSET_NONE);
  NO_ALLOC(rc = mtasts_tlsrpt_select(two, 2, NULL, &sel, &t));
  assert_int_equal(rc, MTASTS_E_RRSET_MULTIPLE);
}

/* Match a few hosts against a parsed policy, then write it out. */
static void match_and_write_policy(const mtasts_policy *p) {
  static const char *const hosts[] = {"mail.example.com", "x.example.net.", "MX.EXAMPLE.ORG",
                                      "nowhere.example",  "bad..host",      ""};
  for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
    long index;
    NO_ALLOC(index = mtasts_policy_match(p, hosts[i], strlen(hosts[i])));
    assert_true(index >= -1 && index < (long)p->mx_count);
  }
  char small[4], out[1024];
  size_t needed = 0;
  mtasts_code rc;
  NO_ALLOC(rc = mtasts_policy_write(p, small, sizeof small, &needed));
  assert_int_equal(rc, MTASTS_E_WRITE_SPACE);
  NO_ALLOC(rc = mtasts_policy_write(p, out, sizeof out, &needed));
  assert_int_equal(rc, MTASTS_OK);
}

static void test_policy_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_policy_init);
  REQUIRE_LINKED(mtasts_policy_parse);
  REQUIRE_LINKED(mtasts_policy_match);
  REQUIRE_LINKED(mtasts_policy_write);
  for (size_t i = 0; i < sizeof policy_cases / sizeof policy_cases[0]; i++) {
    const text_case *c = &policy_cases[i];
    case_options co;
    const mtasts_options *opt = options_for(&co, c->profile);
    mtasts_mx mx[8];
    mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
    mtasts_policy p;
    mtasts_code rc;

    NO_ALLOC(mtasts_policy_init(&p, mx, 8, ext, MTASTS_MAX_EXTENSIONS));
    NO_ALLOC(rc = mtasts_policy_parse(c->text, c->len, opt, &p));
    expect_result(c, "mtasts_policy_parse", rc);
    if (rc == MTASTS_OK)
      match_and_write_policy(&p);

    /* The sizing pass and a too-small array walk the whole body too. */
    NO_ALLOC(mtasts_policy_init(&p, NULL, 0, NULL, 0));
    NO_ALLOC(rc = mtasts_policy_parse(c->text, c->len, opt, &p));
    NO_ALLOC(mtasts_policy_init(&p, mx, 1, ext, 1));
    NO_ALLOC(rc = mtasts_policy_parse(c->text, c->len, opt, &p));
  }
  mtasts_policy p;
  mtasts_ext one_ext[1]; /* big_policy has one extension */
  mtasts_code rc;
  NO_ALLOC(mtasts_policy_init(&p, NULL, 0, one_ext, 1));
  NO_ALLOC(rc = mtasts_policy_parse(big_policy, sizeof big_policy, NULL, &p));
  assert_int_equal(rc, MTASTS_E_POLICY_TOO_LARGE);
  NO_ALLOC(rc = mtasts_policy_parse(big_policy, sizeof big_policy - 1, NULL, &p));
  assert_int_equal(rc, MTASTS_OK);
  NO_ALLOC(rc = mtasts_policy_parse(NULL, 1, NULL, &p));
  assert_int_equal(rc, MTASTS_E_ARGUMENT);
  memset(&p, 0, sizeof p); /* not a parse result */
  char out[64];
  size_t needed = 0;
  NO_ALLOC(rc = mtasts_policy_write(&p, out, sizeof out, &needed));
  assert_int_equal(rc, MTASTS_E_WRITE_INVALID);
  long index;
  NO_ALLOC(index = mtasts_policy_match(&p, "a.example", 9));
  assert_int_equal(index, -1);
}

static void test_mx_match_api(void **state) {
  (void)state;
  REQUIRE_LINKED(mtasts_mx_match);
  static const struct {
    const char *pattern, *host;
    mtasts_match want;
  } cases[] = {
      {"mail.example.com", "MAIL.example.com.", MTASTS_MATCH_EXACT},
      {"*.example.net", "mx1.example.net", MTASTS_MATCH_WILDCARD},
      {"*.example.net", "a.b.example.net", MTASTS_MATCH_NONE},
      {"*.example.net", "example.net", MTASTS_MATCH_NONE},
      {"mail.example.com", "mail..example.com", MTASTS_MATCH_BAD_HOST},
      {"mail.example.com.", "mail.example.com", MTASTS_MATCH_BAD_PATTERN},
      {"", "a.example", MTASTS_MATCH_BAD_PATTERN},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mtasts_match m;
    NO_ALLOC(m = mtasts_mx_match(cases[i].pattern, strlen(cases[i].pattern), cases[i].host,
                                 strlen(cases[i].host)));
    if (m != cases[i].want)
      fail_msg("mtasts_mx_match(%s, %s) = %d, want %d", cases[i].pattern, cases[i].host, (int)m,
               (int)cases[i].want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_interposer_counts_every_allocator),
      cmocka_unit_test(test_errors_api),
      cmocka_unit_test(test_txt_api),
      cmocka_unit_test(test_names_api),
      cmocka_unit_test(test_txt_select_api),
      cmocka_unit_test(test_tlsrpt_api),
      cmocka_unit_test(test_tlsrpt_select_api),
      cmocka_unit_test(test_policy_api),
      cmocka_unit_test(test_mx_match_api),
  };
  return cmocka_run_group_tests(tests, make_big_inputs, NULL);
}
