/*
 * test_policy.c - mtasts_policy_parse: every production at and beyond its
 * boundaries, every ruling that touches policy bodies (R4-R7, R10-R12, R17,
 * R18, lenient deviations 1-4), the storage contract of the mx and ext
 * arrays and a truncation sweep. Every input is parsed from a guard-paged copy and every output is
 * poisoned before the call.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of a string literal; offsets below are written as sums of these so
 * that each expectation shows where it comes from. */
#define L(s) (sizeof(s) - 1)
#define IN(s) .in = (s), .len = L(s)

/* The lines most bodies are built from. */
#define V "version: STSv1\n"
#define M "mode: enforce\n"
#define X "mx: mail.example.com\n"
#define A "max_age: 86400\n"
#define BODY V M X A
#define CRLF_BODY "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n"

/* Labels and names at the R12 limits. */
#define C10 "abcdefghij"
#define C61 C10 C10 C10 C10 C10 C10 "k"
#define C63 C61 "lm"
#define C64 C63 "n"
#define N253 C63 "." C63 "." C63 "." C61     /* 63+1+63+1+63+1+61 = 253 */
#define N254 C63 "." C63 "." C63 "." C61 "x" /* 254 */
#define W253 "*." C63 "." C63 "." C63 "." C10 C10 C10 C10 C10 "abcdefghi" /* 253 */
#define W254 W253 "j"

/* Ext-names at the 32 / 33 limit. */
#define NAME32 "a" C10 C10 C10 "_"
#define NAME33 NAME32 "z"

enum { P_BOTH = 0, P_STRICT, P_LENIENT };

typedef struct want_diag {
  mtasts_code code;
  size_t off;
} want_diag;

typedef struct row {
  const char *name;
  const char *in;
  size_t len;
  mtasts_code code; /* OK for valid rows */
  size_t off;
  int prof; /* P_BOTH: the same result in both profiles */
  /* Valid rows. */
  mtasts_mode mode;
  uint64_t max_age;
  const char *max_age_text; /* NULL: the decimal of max_age */
  const char *mx[4];        /* NULL-terminated */
  const char *ext[4][2];    /* NULL-terminated name/value pairs */
  /* Warnings (for valid and invalid rows), terminated by code OK. */
  want_diag warn[5];
} row;

#define MXCAP 8
#define WARNCAP 8

/* The extensions of parse_simple() and of the rows: room for every one. */
static mtasts_ext ext_store[MTASTS_MAX_EXTENSIONS];

static const char *mode_word(mtasts_mode m) {
  switch (m) {
  case MTASTS_MODE_ENFORCE:
    return "enforce";
  case MTASTS_MODE_TESTING:
    return "testing";
  case MTASTS_MODE_NONE:
    return "none";
  default:
    return "";
  }
}

static void expect_span(const char *what, const char *in, mtasts_span sp, const char *want) {
  size_t n = strlen(want);
  if (sp.len != n || sp.ptr == NULL || memcmp(sp.ptr, want, n) != 0)
    fail_msg("%s: span is \"%s\", want \"%s\"", what, sp.ptr ? show(sp.ptr, sp.len) : "(null)",
             want);
  if (sp.ptr != in + sp.off)
    fail_msg("%s: span off %zu does not match ptr", what, sp.off);
}

static void expect_unset(const char *what, mtasts_span sp) {
  if (sp.ptr != NULL || sp.len != 0 || sp.off != 0)
    fail_msg("%s: span survived a failed parse", what);
}

static void expect_warnings(const char *what, const mtasts_diags *w, const want_diag *want) {
  size_t n = 0;
  while (want[n].code != MTASTS_OK)
    n++;
  if (w->count != n)
    fail_msg("%s: %zu warnings, want %zu (first: %s@%zu)", what, w->count, n,
             w->count ? mtasts_errname(w->items[0].code) : "-",
             w->count ? w->items[0].offset : (size_t)0);
  for (size_t i = 0; i < n; i++)
    if (w->items[i].code != want[i].code || w->items[i].offset != want[i].off)
      fail_msg("%s: warning %zu is %s@%zu, want %s@%zu", what, i, mtasts_errname(w->items[i].code),
               w->items[i].offset, mtasts_errname(want[i].code), want[i].off);
}

static void expect_failed_results(const char *what, const mtasts_policy *p) {
  expect_unset(what, p->version);
  expect_unset(what, p->mode_text);
  expect_unset(what, p->max_age_text);
  if (p->mode != MTASTS_MODE_UNSET || p->max_age != 0 || p->mx_count != 0 || p->ext_count != 0)
    fail_msg("%s: results survived a failed parse", what);
  for (size_t k = 0; p->ext != NULL && k < p->ext_cap; k++) {
    expect_unset(what, p->ext[k].name);
    expect_unset(what, p->ext[k].value);
  }
}

static void expect_valid_results(const char *what, const char *in, const row *r,
                                 const mtasts_policy *p) {
  char buf[32];
  expect_span(what, in, p->version, "STSv1");
  if (p->mode != r->mode)
    fail_msg("%s: mode %d, want %d", what, (int)p->mode, (int)r->mode);
  expect_span(what, in, p->mode_text, mode_word(r->mode));
  if (p->max_age != r->max_age)
    fail_msg("%s: max_age %llu, want %llu", what, (unsigned long long)p->max_age,
             (unsigned long long)r->max_age);
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)r->max_age);
  expect_span(what, in, p->max_age_text, r->max_age_text ? r->max_age_text : buf);
  size_t nmx = 0;
  while (r->mx[nmx] != NULL)
    nmx++;
  if (p->mx_count != nmx || p->mx_needed != nmx)
    fail_msg("%s: mx_count %zu / mx_needed %zu, want %zu", what, p->mx_count, p->mx_needed, nmx);
  for (size_t i = 0; i < nmx; i++) {
    expect_span(what, in, p->mx[i].pattern, r->mx[i]);
    if (p->mx[i].wildcard != (r->mx[i][0] == '*'))
      fail_msg("%s: mx %zu wildcard flag wrong", what, i);
  }
  size_t next = 0;
  while (r->ext[next][0] != NULL)
    next++;
  if (p->ext_count != next || p->ext_needed != next)
    fail_msg("%s: ext_count %zu / ext_needed %zu, want %zu", what, p->ext_count, p->ext_needed,
             next);
  for (size_t k = 0; k < next; k++) {
    expect_span(what, in, p->ext[k].name, r->ext[k][0]);
    expect_span(what, in, p->ext[k].value, r->ext[k][1]);
  }
  if (p->err_offset != 0)
    fail_msg("%s: err_offset %zu after success", what, p->err_offset);
}

/* One row in one profile, from a copy with a guard page after it and
 * then from one with a guard page before it (a read outside the body
 * faults either way), into a result that ends at a guard page. */
static void run_row_in(const row *r, mtasts_profile prof) {
  char what[200];
  for (int front = 0; front <= 1; front++) {
    snprintf(what, sizeof what, "%s [%s%s] \"%s\"", r->name,
             prof == MTASTS_STRICT ? "strict" : "lenient", front ? ", front guard" : "",
             show(r->in, r->len));
    const char *in = front ? guard_copy_front(r->in, r->len) : guard_copy(r->in, r->len);
    mtasts_mx mx[MXCAP];
    mtasts_ext *ext = guard_object(2, MTASTS_MAX_EXTENSIONS * sizeof *ext);
    mtasts_policy *p = guard_object(1, sizeof *p);
    mtasts_diag items[WARNCAP];
    mtasts_diags w;
    poison(mx, sizeof mx);
    poison(items, sizeof items);
    poison(&w, sizeof w);
    p->mx = mx;
    p->mx_cap = MXCAP;
    p->ext = ext;
    p->ext_cap = MTASTS_MAX_EXTENSIONS;
    w.items = items;
    w.cap = WARNCAP;
    mtasts_options opt = {prof, 0, &w};
    mtasts_code rc = mtasts_policy_parse(in, r->len, &opt, p);
    assert_code_at(what, rc, p->err_offset, r->code, r->off);
    if (p->mx != mx || p->mx_cap != MXCAP || p->ext != ext || p->ext_cap != MTASTS_MAX_EXTENSIONS)
      fail_msg("%s: the parse changed the storage", what);
    expect_warnings(what, &w, r->warn);
    if (rc == MTASTS_OK) {
      expect_valid_results(what, in, r, p);
    } else {
      expect_failed_results(what, p);
      if (p->mx_needed != 0 || p->ext_needed != 0)
        fail_msg("%s: mx_needed %zu, ext_needed %zu after %s", what, p->mx_needed, p->ext_needed,
                 mtasts_errname(rc));
    }
  }
}

static void run_rows(const row *rows, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (rows[i].prof != P_LENIENT)
      run_row_in(&rows[i], MTASTS_STRICT);
    if (rows[i].prof != P_STRICT)
      run_row_in(&rows[i], MTASTS_LENIENT);
  }
}

#define RUN(table) run_rows((table), sizeof(table) / sizeof((table)[0]))

#define ENFORCE_ONE .mode = MTASTS_MODE_ENFORCE, .max_age = 86400, .mx = {"mail.example.com"}

/* ------------------------------------------------------------------ */

static void test_valid_bodies(void **state) {
  (void)state;
  static const row rows[] = {
      {"LF lines", IN(BODY), ENFORCE_ONE},
      {"R6: CRLF lines", IN(CRLF_BODY), ENFORCE_ONE},
      {"R6: mixed LF and CRLF", IN("version: STSv1\r\n" M "mx: mail.example.com\r\n" A),
       ENFORCE_ONE},
      {"no final terminator", IN(V M X "max_age: 86400"), ENFORCE_ONE},
      {"no final terminator, trailing WSP", IN(V M X "max_age: 86400 \t"), ENFORCE_ONE},
      {"RFC 8461 example",
       IN("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n"
          "mx: backupmx.example.com\nmax_age: 604800\n"),
       .mode = MTASTS_MODE_ENFORCE, .max_age = 604800,
       .mx = {"mail.example.com", "*.example.net", "backupmx.example.com"}},
      {"no WSP after colon", IN("version:STSv1\nmode:testing\nmx:a\nmax_age:0"),
       .mode = MTASTS_MODE_TESTING, .max_age = 0, .mx = {"a"}},
      {"tabs after colon, WSP after values",
       IN("version:\t STSv1 \t\nmode:  none\t\nmax_age: 5  \n"), .mode = MTASTS_MODE_NONE,
       .max_age = 5},
      {"fields in any order", IN(A X M V), ENFORCE_ONE},
      {"mx on the first line", IN(X V M A), ENFORCE_ONE},
      {"mx on the first line, HTAB after the colon", IN("mx:\tmail.example.com\n" V M A),
       ENFORCE_ONE},
      {"mx on the first line, no WSP after the colon", IN("mx:mail.example.com\n" V M A),
       ENFORCE_ONE},
      {"R17: mode none needs no mx", IN(V "mode: none\n" A), .mode = MTASTS_MODE_NONE,
       .max_age = 86400},
      {"mode none keeps its mx", IN(V "mode: none\n" X A), .mode = MTASTS_MODE_NONE,
       .max_age = 86400, .mx = {"mail.example.com"}},
      {"extensions kept in order", IN(BODY "foo: bar baz\nx-y.z_1: a:b;c=d\"e\n" NAME32 ": 1\n"),
       ENFORCE_ONE, .ext = {{"foo", "bar baz"}, {"x-y.z_1", "a:b;c=d\"e"}, {NAME32, "1"}}},
      {"extension between known fields", IN(V "e: 1\n" M X A), ENFORCE_ONE, .ext = {{"e", "1"}}},
      {"one field per line, minimal body", IN("version:STSv1\nmode:none\nmax_age:0"),
       .mode = MTASTS_MODE_NONE, .max_age = 0},
  };
  RUN(rows);
}

static void test_missing_fields(void **state) {
  (void)state;
  static const row rows[] = {
      {"missing version", IN(M X A), MTASTS_E_POLICY_MISSING_VERSION, L(M X A)},
      {"missing mode", IN(V X A), MTASTS_E_POLICY_MISSING_MODE, L(V X A)},
      {"missing max_age", IN(V M X), MTASTS_E_POLICY_MISSING_MAX_AGE, L(V M X)},
      {"R17: missing mx, mode enforce", IN(V M A), MTASTS_E_POLICY_MISSING_MX, L(V M A)},
      {"R17: missing mx, mode testing", IN(V "mode: testing\n" A), MTASTS_E_POLICY_MISSING_MX,
       L(V "mode: testing\n" A)},
      {"order: version first", IN("e: 1\n"), MTASTS_E_POLICY_MISSING_VERSION, L("e: 1\n")},
      {"order: mode before max_age", IN(V), MTASTS_E_POLICY_MISSING_MODE, L(V)},
      {"order: max_age before mx", IN(V M), MTASTS_E_POLICY_MISSING_MAX_AGE, L(V M)},
      {"no terminator: offset is len", IN(V M "max_age: 1"), MTASTS_E_POLICY_MISSING_MX,
       L(V M "max_age: 1")},
  };
  RUN(rows);
}

static void test_r4_name_based(void **state) {
  (void)state;
  static const row rows[] = {
      {"R4: first version STSv2", IN("version: STSv2\n" M X A), MTASTS_E_POLICY_VERSION, 9},
      {"R4: version STSv1 then junk", IN("version: STSv1 x\n" M X A), MTASTS_E_POLICY_VERSION, 9},
      {"R4: version stsv1 (case)", IN("version: stsv1\n" M X A), MTASTS_E_POLICY_VERSION, 9},
      {"R4: version STSV1 (case)", IN("version: STSV1\n" M X A), MTASTS_E_POLICY_VERSION, 9},
      {"R4: version STSv1x", IN("version: STSv1x\n" M X A), MTASTS_E_POLICY_VERSION, 9},
      {"R4: version STSv", IN("version: STSv\n" M X A), MTASTS_E_POLICY_VERSION, 9},
      {"R4: mode bogus", IN(V "mode: bogus\n" X A), MTASTS_E_POLICY_MODE, L(V) + 6},
      {"R4: mode Enforce (case)", IN(V "mode: Enforce\n" X A), MTASTS_E_POLICY_MODE, L(V) + 6},
      {"R4: mode enforce x", IN(V "mode: enforce x\n" X A), MTASTS_E_POLICY_MODE, L(V) + 6},
      {"R4: mode nonee", IN(V "mode: nonee\n" A), MTASTS_E_POLICY_MODE, L(V) + 6},
      {"R4: first mode bad, second good", IN(V "mode: bogus\n" M X A), MTASTS_E_POLICY_MODE,
       L(V) + 6},
      {"R4: second mode bad is ignored", IN(V M "mode: bogus\n" X A), ENFORCE_ONE,
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V M)}}},
      {"R4: second mode empty", IN(V M "mode:\n" X A), MTASTS_E_POLICY_VALUE_EMPTY, L(V M "mode:")},
      {"R4: second mode with HTAB inside", IN(V M "mode: en\tforce\n" X A),
       MTASTS_E_POLICY_VALUE_CHAR, L(V M "mode: en")},
      {"R4: second version STSv2 ignored", IN(BODY "version: STSv2\n"), ENFORCE_ONE,
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(BODY)}}},
      {"R4: second max_age of 11 digits ignored", IN(BODY "max_age: 99999999999\n"), ENFORCE_ONE,
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(BODY)}}},
      {"R4: second max_age with invalid UTF-8", IN(BODY "max_age: 1\xff\n"),
       MTASTS_E_POLICY_VALUE_UTF8, L(BODY "max_age: 1")},
      {"R4: first max_age of 11 digits", IN(V M X "max_age: 99999999999\n"),
       MTASTS_E_POLICY_MAX_AGE, L(V M X "max_age: 9999999999")},
      {"R4: every mx is checked (2nd bad)", IN(V M X "mx: bad_host.example.com\n" A),
       MTASTS_E_POLICY_MX_SYNTAX, L(V M X "mx: bad")},
      {"R4: mode none with a bad mx", IN(V "mode: none\nmx: bad_host\n" A),
       MTASTS_E_POLICY_MX_SYNTAX, L(V "mode: none\nmx: bad")},
      {"R4: mx with a U-label", IN(V M "mx: m\xc3\xbcnchen.example\n" A), MTASTS_E_POLICY_MX_SYNTAX,
       L(V M "mx: m")},
      {"R4: Mode is an extension (case)", IN(V "Mode: enforce\n" X A), MTASTS_E_POLICY_MISSING_MODE,
       L(V "Mode: enforce\n" X A)},
      {"R4: MX is an extension (case)", IN(V M "MX: mail.example.com\n" A),
       MTASTS_E_POLICY_MISSING_MX, L(V M "MX: mail.example.com\n" A)},
      {"R4: VERSION is an extension (case)", IN("VERSION: STSv1\n" M X A),
       MTASTS_E_POLICY_MISSING_VERSION, L("VERSION: STSv1\n" M X A)},
      {"R4: Max_Age is an extension (case)", IN(V M X "Max_Age: 1\n"),
       MTASTS_E_POLICY_MISSING_MAX_AGE, L(V M X "Max_Age: 1\n")},
      {"R4: case variants kept as extensions", IN(BODY "Mode: Enforce\nMX: a\nVersion: STSV1\n"),
       ENFORCE_ONE, .ext = {{"Mode", "Enforce"}, {"MX", "a"}, {"Version", "STSV1"}}},
      {"R4: modes is an extension", IN(BODY "modes: x\n"), ENFORCE_ONE, .ext = {{"modes", "x"}}},
  };
  RUN(rows);
}

static void test_r5_max_age(void **state) {
  (void)state;
  static const row rows[] = {
      {"R5: zero", IN(V M X "max_age: 0\n"), .mode = MTASTS_MODE_ENFORCE, .max_age = 0,
       .mx = {"mail.example.com"}},
      {"R5: leading zeros", IN(V M X "max_age: 007\n"), .mode = MTASTS_MODE_ENFORCE, .max_age = 7,
       .max_age_text = "007", .mx = {"mail.example.com"}},
      {"R5: 10 digits with leading zeros", IN(V M X "max_age: 0031557600\n"),
       .mode = MTASTS_MODE_ENFORCE, .max_age = 31557600, .max_age_text = "0031557600",
       .mx = {"mail.example.com"}},
      {"R5: 11 digits of zeros", IN(V M X "max_age: 00000000000\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 0000000000")},
      {"R5: 11 digits, leading zeros", IN(V M X "max_age: 00031557600\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 0003155760")},
      {"R5: 31557600 is the limit", IN(V M X "max_age: 31557600\n"), .mode = MTASTS_MODE_ENFORCE,
       .max_age = 31557600, .mx = {"mail.example.com"}},
      {"R5: 31557601 strict", IN(V M X "max_age: 31557601\n"), MTASTS_E_POLICY_MAX_AGE_RANGE,
       L(V M X "max_age: "), .prof = P_STRICT},
      {"R5/lenient 4: 31557601 clamped", IN(V M X "max_age: 31557601\n"), .prof = P_LENIENT,
       .mode = MTASTS_MODE_ENFORCE, .max_age = 31557600, .max_age_text = "31557601",
       .mx = {"mail.example.com"},
       .warn = {{MTASTS_W_POLICY_MAX_AGE_CLAMPED, L(V M X "max_age: ")}}},
      {"R5: 9999999999 strict", IN(V M X "max_age: 9999999999\n"), MTASTS_E_POLICY_MAX_AGE_RANGE,
       L(V M X "max_age: "), .prof = P_STRICT},
      {"R5/lenient 4: 9999999999 clamped", IN(V M X "max_age: 9999999999\n"), .prof = P_LENIENT,
       .mode = MTASTS_MODE_ENFORCE, .max_age = 31557600, .max_age_text = "9999999999",
       .mx = {"mail.example.com"},
       .warn = {{MTASTS_W_POLICY_MAX_AGE_CLAMPED, L(V M X "max_age: ")}}},
      /* A 32-bit parser sees 0 and 1 here and accepts them. */
      {"R5: 4294967296 does not wrap (strict)", IN(V M X "max_age: 4294967296\n"),
       MTASTS_E_POLICY_MAX_AGE_RANGE, L(V M X "max_age: "), .prof = P_STRICT},
      {"R5: 4294967297 does not wrap (strict)", IN(V M X "max_age: 4294967297\n"),
       MTASTS_E_POLICY_MAX_AGE_RANGE, L(V M X "max_age: "), .prof = P_STRICT},
      {"R5: 4294967296 does not wrap (lenient)", IN(V M X "max_age: 4294967296\n"),
       .prof = P_LENIENT, .mode = MTASTS_MODE_ENFORCE, .max_age = 31557600,
       .max_age_text = "4294967296", .mx = {"mail.example.com"},
       .warn = {{MTASTS_W_POLICY_MAX_AGE_CLAMPED, L(V M X "max_age: ")}}},
      {"R5: 12345678901", IN(V M X "max_age: 12345678901"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 1234567890")},
      {"R5: 11 digits beats the range", IN(V M X "max_age: 99999999999"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 9999999999"), .prof = P_STRICT},
      {"R5: letter after digits", IN(V M X "max_age: 12x\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 12")},
      {"R5: junk after WSP", IN(V M X "max_age: 12 \tx\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 12 \t")},
      {"R5: two numbers", IN(V M X "max_age: 1 2\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 1 ")},
      {"R5: sign", IN(V M X "max_age: -1\n"), MTASTS_E_POLICY_MAX_AGE, L(V M X "max_age: ")},
      {"R5: plus", IN(V M X "max_age: +1\n"), MTASTS_E_POLICY_MAX_AGE, L(V M X "max_age: ")},
      {"R5: decimal point", IN(V M X "max_age: 1.5\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: 1")},
      {"R5: hex", IN(V M X "max_age: 0x10\n"), MTASTS_E_POLICY_MAX_AGE, L(V M X "max_age: 0")},
      {"R5: word", IN(V M X "max_age: week\n"), MTASTS_E_POLICY_MAX_AGE, L(V M X "max_age: ")},
      {"R5: non-ASCII digit", IN(V M X "max_age: \xd9\xa1\n"), MTASTS_E_POLICY_MAX_AGE,
       L(V M X "max_age: ")},
      {"R5: empty", IN(V M X "max_age:\n"), MTASTS_E_POLICY_VALUE_EMPTY, L(V M X "max_age:")},
      {"R5: WSP only", IN(V M X "max_age: \t "), MTASTS_E_POLICY_VALUE_EMPTY,
       L(V M X "max_age: \t ")},
      {"R5: NUL after digits", IN(V M X "max_age: 1\0\n"), MTASTS_E_NUL, L(V M X "max_age: 1")},
      {"R5: range is judged at the first max_age only", IN(V M X "max_age: 1\nmax_age: 31557601\n"),
       .mode = MTASTS_MODE_ENFORCE, .max_age = 1, .mx = {"mail.example.com"},
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V M X "max_age: 1\n")}}},
  };
  RUN(rows);
}

static void test_r6_line_ends(void **state) {
  (void)state;
  static const row rows[] = {
      {"R6: bare CR ends line 1", IN("version: STSv1\rmode: enforce\n" X A),
       MTASTS_E_POLICY_BARE_CR, L("version: STSv1")},
      {"R6: bare CR at the end", IN(V M X "max_age: 86400\r"), MTASTS_E_POLICY_BARE_CR,
       L(V M X "max_age: 86400")},
      {"R6: CR CR LF", IN("version: STSv1\r\r\n" M X A), MTASTS_E_POLICY_BARE_CR,
       L("version: STSv1")},
      {"R6: CR inside a name", IN("vers\rion: STSv1\n" M X A), MTASTS_E_POLICY_BARE_CR, 4},
      {"R6: CR right after a name", IN(V "mode\r: enforce\n" X A), MTASTS_E_POLICY_BARE_CR,
       L(V "mode")},
      {"R6: CRLF right after a name", IN(V "mode\r\n" X A), MTASTS_E_POLICY_EXPECTED_COLON,
       L(V "mode")},
      {"R6: CR as the value", IN(V "mode:\r" X A), MTASTS_E_POLICY_BARE_CR, L(V "mode:")},
      {"R6: CR inside an extension value", IN(BODY "e: a\rb\n"), MTASTS_E_POLICY_BARE_CR,
       L(BODY "e: a")},
      {"R6: CR after an mx", IN(V M "mx: a.example\rb\n" A), MTASTS_E_POLICY_BARE_CR,
       L(V M "mx: a.example")},
      {"R6: CR after max_age digits", IN(V M X "max_age: 1\r2\n"), MTASTS_E_POLICY_BARE_CR,
       L(V M X "max_age: 1")},
      {"R6: CR where a label must continue", IN(V M "mx: a-\r\n" A), MTASTS_E_POLICY_MX_SYNTAX,
       L(V M "mx: a-")},
      {"R6: CR after a dangling hyphen", IN(V M "mx: a-\rb\n" A), MTASTS_E_POLICY_BARE_CR,
       L(V M "mx: a-")},
      /* A whole value is judged before its line's terminator. */
      {"R6: version judged before its CR", IN("version: STS\rv1\n" M X A), MTASTS_E_POLICY_VERSION,
       9},
      {"R6: bare CR after STSv1", IN("version: STSv1\rx\n" M X A), MTASTS_E_POLICY_BARE_CR, 14},
      {"R6: bare CR at a line start", IN(V "\r" M X A), MTASTS_E_POLICY_BARE_CR, L(V)},
      {"R6: bare CR after leading WSP", IN(V " \r" M X A), MTASTS_E_POLICY_BARE_CR, L(V " ")},
      {"R6: bare CR alone", IN("\r"), MTASTS_E_POLICY_BARE_CR, 0},
      {"R6: LF CR at the end", IN(BODY "\r"), MTASTS_E_POLICY_BARE_CR, L(BODY)},
      {"R6: CRLF after the value's WSP", IN(V M X "max_age: 86400 \r\n"), ENFORCE_ONE},
  };
  RUN(rows);
}

static void test_r7_blank_lines_and_lenient_1_2_3(void **state) {
  (void)state;
  static const row rows[] = {
      /* Before the first field: invalid in both profiles. */
      {"R7: leading empty line", IN("\n" BODY), MTASTS_E_POLICY_BLANK_LINE, 0},
      {"R7: leading CRLF line", IN("\r\n" BODY), MTASTS_E_POLICY_BLANK_LINE, 0},
      {"R7: leading WSP-only line", IN(" \n" BODY), MTASTS_E_POLICY_BLANK_LINE, 0},
      {"R7: only an empty line", IN("\n"), MTASTS_E_POLICY_BLANK_LINE, 0},
      {"R7: only WSP", IN(" \t "), MTASTS_E_POLICY_BLANK_LINE, 0},
      {"R7: leading WSP on line 1", IN(" version: STSv1\n" M X A), MTASTS_E_POLICY_LEADING_WSP, 0},
      {"R7: leading HTAB on line 2", IN(V "\tmode: enforce\n" X A), MTASTS_E_POLICY_LEADING_WSP,
       L(V)},
      {"R7: folded value", IN(V M "mx:\n mail.example.com\n" A), MTASTS_E_POLICY_VALUE_EMPTY,
       L(V M "mx:")},
      {"R7: continuation line", IN(BODY "e: a\n b\n"), MTASTS_E_POLICY_LEADING_WSP,
       L(BODY "e: a\n")},
      /* Between fields. */
      {"R7: empty line between (strict)", IN(V "\n" M X A), MTASTS_E_POLICY_BLANK_LINE, L(V),
       .prof = P_STRICT},
      {"lenient 3: empty line between", IN(V "\n" M X A), ENFORCE_ONE, .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)}}},
      {"lenient 3: two empty lines, LF and CRLF", IN(V "\n\r\n" M X A), ENFORCE_ONE,
       .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)}, {MTASTS_W_POLICY_BLANK_LINE, L(V "\n")}}},
      {"lenient 3: empty lines in two places", IN(V "\n" M "\n" X A), ENFORCE_ONE,
       .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)}, {MTASTS_W_POLICY_BLANK_LINE, L(V "\n" M)}}},
      {"R7: WSP-only line between", IN(V " \n" M X A), MTASTS_E_POLICY_BLANK_LINE, L(V)},
      {"R7: WSP-only CRLF line between", IN(V "\t\r\n" M X A), MTASTS_E_POLICY_BLANK_LINE, L(V)},
      {"R7: empty then WSP-only between (strict)", IN(V "\n \t\n" M X A),
       MTASTS_E_POLICY_BLANK_LINE, L(V), .prof = P_STRICT},
      {"R7: empty then WSP-only between (lenient)", IN(V "\n \t\n" M X A),
       MTASTS_E_POLICY_BLANK_LINE, L(V "\n"), .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)}}},
      {"R7: WSP-only then empty between (lenient)", IN(V " \n\n" M X A), MTASTS_E_POLICY_BLANK_LINE,
       L(V), .prof = P_LENIENT, .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V " \n")}}},
      {"R7: blank run then leading WSP (lenient)", IN(V "\n mode: enforce\n" X A),
       MTASTS_E_POLICY_LEADING_WSP, L(V "\n"), .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)}}},
      {"R7: blank run then bad name (lenient)", IN(V "\n_mode: enforce\n" X A),
       MTASTS_E_POLICY_FIELD_NAME, L(V "\n"), .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)}}},
      /* After the last field. */
      {"R7: second terminator (strict)", IN(BODY "\n"), MTASTS_E_POLICY_BLANK_LINE, L(BODY),
       .prof = P_STRICT},
      {"R7: second CRLF terminator (strict)", IN(CRLF_BODY "\r\n"), MTASTS_E_POLICY_BLANK_LINE,
       L(CRLF_BODY), .prof = P_STRICT},
      {"R7: trailing WSP-only line (strict)", IN(BODY "  "), MTASTS_E_POLICY_BLANK_LINE, L(BODY),
       .prof = P_STRICT},
      {"R7: WSP after the last terminator", IN(BODY " x"), MTASTS_E_POLICY_LEADING_WSP, L(BODY)},
      {"lenient 1: trailing empty line", IN(BODY "\n"), ENFORCE_ONE, .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_TRAILING_BLANK, L(BODY)}}},
      {"lenient 1: trailing CRLF line", IN(CRLF_BODY "\r\n"), ENFORCE_ONE, .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_TRAILING_BLANK, L(CRLF_BODY)}}},
      {"lenient 1: trailing WSP-only line", IN(BODY "  "), ENFORCE_ONE, .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_TRAILING_BLANK, L(BODY)}}},
      {"lenient 1: trailing mixed blank lines", IN(BODY "\n \n\t\r\n\n"), ENFORCE_ONE,
       .prof = P_LENIENT, .warn = {{MTASTS_W_POLICY_TRAILING_BLANK, L(BODY)}}},
      {"lenient 1+3: blank between and trailing", IN(V "\n" M X A "\n\n"), ENFORCE_ONE,
       .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BLANK_LINE, L(V)},
                {MTASTS_W_POLICY_TRAILING_BLANK, L(V "\n" M X A)}}},
      {"lenient 1: trailing blank after a value without WSP", IN(V M X "max_age: 86400\n\t\n"),
       ENFORCE_ONE, .prof = P_LENIENT, .warn = {{MTASTS_W_POLICY_TRAILING_BLANK, L(BODY)}}},
      /* BOM (R7, lenient deviation 2). */
      {"R7: BOM (strict)", IN("\xef\xbb\xbf" BODY), MTASTS_E_POLICY_BOM, 0, .prof = P_STRICT},
      {"lenient 2: BOM skipped", IN("\xef\xbb\xbf" BODY), ENFORCE_ONE, .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BOM, 0}}},
      {"lenient 2: BOM then a blank line", IN("\xef\xbb\xbf\n" BODY), MTASTS_E_POLICY_BLANK_LINE, 3,
       .prof = P_LENIENT, .warn = {{MTASTS_W_POLICY_BOM, 0}}},
      {"lenient 2: BOM alone", IN("\xef\xbb\xbf"), MTASTS_E_POLICY_MISSING_VERSION, 3,
       .prof = P_LENIENT, .warn = {{MTASTS_W_POLICY_BOM, 0}}},
      {"R7: BOM alone (strict)", IN("\xef\xbb\xbf"), MTASTS_E_POLICY_BOM, 0, .prof = P_STRICT},
      {"R7: partial BOM", IN("\xef\xbb" BODY), MTASTS_E_POLICY_FIELD_NAME, 0},
      {"R7: BOM on line 2", IN(V "\xef\xbb\xbf" M X A), MTASTS_E_POLICY_FIELD_NAME, L(V)},
      {"lenient 1+2+3 together", IN("\xef\xbb\xbf" V "\n" M X A "\n"), ENFORCE_ONE,
       .prof = P_LENIENT,
       .warn = {{MTASTS_W_POLICY_BOM, 0},
                {MTASTS_W_POLICY_BLANK_LINE, L("\xef\xbb\xbf" V)},
                {MTASTS_W_POLICY_TRAILING_BLANK, L("\xef\xbb\xbf" V "\n" M X A)}}},
  };
  RUN(rows);
}

/* Extension values: the value starts at L(BODY "e: "). */
#define EV L(BODY "e: ")
static void test_r10_extension_values(void **state) {
  (void)state;
  static const row rows[] = {
      {"R10: %x21", IN(BODY "e: !\n"), ENFORCE_ONE, .ext = {{"e", "!"}}},
      {"R10: %x7E", IN(BODY "e: ~\n"), ENFORCE_ONE, .ext = {{"e", "~"}}},
      {"R10: interior SP", IN(BODY "e: a b  c\n"), ENFORCE_ONE, .ext = {{"e", "a b  c"}}},
      {"R10: leading SP belongs to the delimiter", IN(BODY "e:   a\n"), ENFORCE_ONE,
       .ext = {{"e", "a"}}},
      {"R10: trailing SP and HTAB are *WSP", IN(BODY "e: a \t \n"), ENFORCE_ONE,
       .ext = {{"e", "a"}}},
      {"R10: trailing WSP before CRLF", IN(BODY "e: a \t\r\n"), ENFORCE_ONE, .ext = {{"e", "a"}}},
      {"R10: trailing HTAB at the end of the body", IN(BODY "e: a\t"), ENFORCE_ONE,
       .ext = {{"e", "a"}}},
      {"R10: HTAB inside", IN(BODY "e: a\tb\n"), MTASTS_E_POLICY_VALUE_CHAR, EV + 1},
      {"R10: SP HTAB inside", IN(BODY "e: a \tb\n"), MTASTS_E_POLICY_VALUE_CHAR, EV + 2},
      {"R10: HTAB HTAB inside", IN(BODY "e: a\t\tb\n"), MTASTS_E_POLICY_VALUE_CHAR, EV + 1},
      {"R10: DEL", IN(BODY "e: a\x7f\n"), MTASTS_E_POLICY_VALUE_CHAR, EV + 1},
      {"R10: CTL 0x01", IN(BODY "e: a\x01z\n"), MTASTS_E_POLICY_VALUE_CHAR, EV + 1},
      {"R10: ESC", IN(BODY "e: \x1b[0m\n"), MTASTS_E_POLICY_VALUE_CHAR, EV},
      {"R10: VT", IN(BODY "e: a\vb\n"), MTASTS_E_POLICY_VALUE_CHAR, EV + 1},
      {"R10: NUL", IN(BODY "e: a\0b\n"), MTASTS_E_NUL, EV + 1},
      {"R10: lone 0x80", IN(BODY "e: \x80\n"), MTASTS_E_POLICY_VALUE_UTF8, EV},
      {"R10: C2 80 (C1 control) is valid", IN(BODY "e: \xc2\x80\n"), ENFORCE_ONE,
       .ext = {{"e", "\xc2\x80"}}},
      {"R10: C2 A0 (NBSP) may lead and trail", IN(BODY "e: \xc2\xa0z\xc2\xa0\n"), ENFORCE_ONE,
       .ext = {{"e", "\xc2\xa0z\xc2\xa0"}}},
      {"R10: E0 A0 80 is the smallest 3-byte", IN(BODY "e: \xe0\xa0\x80\n"), ENFORCE_ONE,
       .ext = {{"e", "\xe0\xa0\x80"}}},
      {"R10: E0 9F BF is overlong", IN(BODY "e: \xe0\x9f\xbf\n"), MTASTS_E_POLICY_VALUE_UTF8, EV},
      {"R10: ED 9F BF is below the surrogates", IN(BODY "e: \xed\x9f\xbf\n"), ENFORCE_ONE,
       .ext = {{"e", "\xed\x9f\xbf"}}},
      {"R10: ED A0 80 is a surrogate", IN(BODY "e: a\xed\xa0\x80\n"), MTASTS_E_POLICY_VALUE_UTF8,
       EV + 1},
      {"R10: F4 8F BF BF is U+10FFFF", IN(BODY "e: \xf4\x8f\xbf\xbf\n"), ENFORCE_ONE,
       .ext = {{"e", "\xf4\x8f\xbf\xbf"}}},
      {"R10: F4 90 80 80 is above U+10FFFF", IN(BODY "e: \xf4\x90\x80\x80\n"),
       MTASTS_E_POLICY_VALUE_UTF8, EV},
      {"R10: C0 80 is overlong", IN(BODY "e: \xc0\x80\n"), MTASTS_E_POLICY_VALUE_UTF8, EV},
      {"R10: F5 is never a lead byte", IN(BODY "e: \xf5\x80\x80\x80\n"), MTASTS_E_POLICY_VALUE_UTF8,
       EV},
      {"R10: FF", IN(BODY "e: a\xff\n"), MTASTS_E_POLICY_VALUE_UTF8, EV + 1},
      {"R10: stray continuation after a char", IN(BODY "e: \xc3\xa9\xa9\n"),
       MTASTS_E_POLICY_VALUE_UTF8, EV + 2},
      {"R10: 2-byte truncated by LF", IN(BODY "e: a\xc3\n"), MTASTS_E_POLICY_VALUE_UTF8, EV + 1},
      {"R10: 3-byte truncated by SP", IN(BODY "e: a\xe2\x82 b\n"), MTASTS_E_POLICY_VALUE_UTF8,
       EV + 1},
      {"R10: 4-byte truncated at the end of the body", IN(BODY "e: a\xf0\x9f\x98"),
       MTASTS_E_POLICY_VALUE_UTF8, EV + 1},
      {"R10: 2-byte truncated at the end of the body", IN(BODY "e: \xc3"),
       MTASTS_E_POLICY_VALUE_UTF8, EV},
      {"R10: emoji", IN(BODY "e: \xf0\x9f\x98\x80!\n"), ENFORCE_ONE,
       .ext = {{"e", "\xf0\x9f\x98\x80!"}}},
      {"R10: U+FEFF inside a value", IN(BODY "e: \xef\xbb\xbf\n"), ENFORCE_ONE,
       .ext = {{"e", "\xef\xbb\xbf"}}},
      {"R10: empty value", IN(BODY "e:\n"), MTASTS_E_POLICY_VALUE_EMPTY, L(BODY "e:")},
      {"R10: WSP-only value", IN(BODY "e: \t \n"), MTASTS_E_POLICY_VALUE_EMPTY, L(BODY "e: \t ")},
      {"R10: empty value at the end of the body", IN(BODY "e:"), MTASTS_E_POLICY_VALUE_EMPTY,
       L(BODY "e:")},
  };
  RUN(rows);
}

/* R11: ext-name is alnum *31(alnum / "_" / "-" / "."). */
static void test_r11_field_names(void **state) {
  (void)state;
  static const row rows[] = {
      {"R11: 32-byte name", IN(BODY NAME32 ": v\n"), ENFORCE_ONE, .ext = {{NAME32, "v"}}},
      {"R11: 33-byte name", IN(BODY NAME33 ": v\n"), MTASTS_E_POLICY_FIELD_NAME, L(BODY NAME32)},
      {"R11: 1-byte name", IN(BODY "9: v\n"), ENFORCE_ONE, .ext = {{"9", "v"}}},
      {"R11: inner _ - .", IN(BODY "a_-.9: v\n"), ENFORCE_ONE, .ext = {{"a_-.9", "v"}}},
      {"R11: name ends with a dot", IN(BODY "a.: v\n"), ENFORCE_ONE, .ext = {{"a.", "v"}}},
      {"R11: empty name", IN(BODY ": v\n"), MTASTS_E_POLICY_FIELD_NAME, L(BODY)},
      {"R11: leading _", IN(BODY "_a: v\n"), MTASTS_E_POLICY_FIELD_NAME, L(BODY)},
      {"R11: leading -", IN(BODY "-a: v\n"), MTASTS_E_POLICY_FIELD_NAME, L(BODY)},
      {"R11: leading .", IN(BODY ".a: v\n"), MTASTS_E_POLICY_FIELD_NAME, L(BODY)},
      {"R11: leading non-ASCII", IN(BODY "\xc3\xa9: v\n"), MTASTS_E_POLICY_FIELD_NAME, L(BODY)},
      {"R11: leading NUL", IN(BODY "\0a: v\n"), MTASTS_E_NUL, L(BODY)},
      {"R11: WSP before the colon", IN("version : STSv1\n" M X A), MTASTS_E_POLICY_EXPECTED_COLON,
       7},
      /* One byte off a known name: an extension, or no field at all. */
      {"R11: my is an extension, not mx", IN(BODY "my: mail.example.com\n"), ENFORCE_ONE,
       .ext = {{"my", "mail.example.com"}}},
      {"R11: modx is an extension", IN(BODY "modx: 1\n"), ENFORCE_ONE, .ext = {{"modx", "1"}}},
      {"R11: versioX is an extension", IN(BODY "versioX: 1\n"), ENFORCE_ONE,
       .ext = {{"versioX", "1"}}},
      {"R11: max_agX is an extension", IN(BODY "max_agX: 1\n"), ENFORCE_ONE,
       .ext = {{"max_agX", "1"}}},
      {"R11: mx, WSP, colon", IN(V M "mx : mail.example.com\n" A), MTASTS_E_POLICY_EXPECTED_COLON,
       L(V M "mx")},
      {"R11: mx= is not mx:", IN(V M "mx= mail.example.com\n" A), MTASTS_E_POLICY_EXPECTED_COLON,
       L(V M "mx")},
      {"R11: mx, two SP, no colon", IN(V M "mx  mail.example.com\n" A),
       MTASTS_E_POLICY_EXPECTED_COLON, L(V M "mx")},
      {"R11: equals sign", IN("version=STSv1\n" M X A), MTASTS_E_POLICY_EXPECTED_COLON, 7},
      {"R11: space inside a name", IN(BODY "fo o: v\n"), MTASTS_E_POLICY_EXPECTED_COLON,
       L(BODY "fo")},
      {"R11: non-ASCII inside a name", IN(BODY "fo\xc3\xa9: v\n"), MTASTS_E_POLICY_EXPECTED_COLON,
       L(BODY "fo")},
      {"R11: NUL inside a name", IN(BODY "fo\0: v\n"), MTASTS_E_NUL, L(BODY "fo")},
      {"R11: no colon, end of body", IN(BODY "foo"), MTASTS_E_POLICY_EXPECTED_COLON, L(BODY "foo")},
      {"R11: no colon, end of line", IN(BODY "foo\n"), MTASTS_E_POLICY_EXPECTED_COLON,
       L(BODY "foo")},
      {"R11: 32-byte name without colon", IN(BODY NAME32), MTASTS_E_POLICY_EXPECTED_COLON,
       L(BODY NAME32)},
  };
  RUN(rows);
}

/* mx values: the pattern starts at MXV. */
#define MXP V M "mx: "
#define MXV L(MXP)
#define MXROW(pat) IN(MXP pat "\n" A)
#define MX_OK(pat) MXROW(pat), .mode = MTASTS_MODE_ENFORCE, .max_age = 86400, .mx = {pat}
static void test_r12_mx_values(void **state) {
  (void)state;
  static const row rows[] = {
      {"R12: wildcard", MX_OK("*.example.com")},
      {"R12: single label", MX_OK("localhost")},
      {"R12: single character", MX_OK("a")},
      {"R12: all-digit labels", MX_OK("1.2.3.4")},
      {"R12: upper case", MX_OK("MAIL.Example.COM")},
      {"R12: inner double hyphen", MX_OK("a--b.x")},
      {"R12: A-label", MX_OK("xn--bcher-kva.example")},
      {"R12: label of 63", MX_OK(C63 ".example")},
      {"R12: name of 253", MX_OK(N253)},
      {"R12: wildcard name of 253 with *.", MX_OK(W253)},
      {"R12: wildcard on a single label", MX_OK("*.com")},
      {"R12: trailing WSP", MXROW("mail.example.com \t"), ENFORCE_ONE},
      {"R12: label of 64", MXROW(C64 ".example"), MTASTS_E_POLICY_MX_LABEL_TOO_LONG, MXV},
      {"R12: last label of 64", MXROW("a." C64), MTASTS_E_POLICY_MX_LABEL_TOO_LONG, MXV + 2},
      {"R12: label of 64 then _", MXROW(C64 "_"), MTASTS_E_POLICY_MX_LABEL_TOO_LONG, MXV},
      {"R12: name of 254", MXROW(N254), MTASTS_E_POLICY_MX_TOO_LONG, MXV},
      {"R12: wildcard name of 254 with *.", MXROW(W254), MTASTS_E_POLICY_MX_TOO_LONG, MXV},
      {"R12: name of 254 then _", MXROW(N254 "_"), MTASTS_E_POLICY_MX_SYNTAX, MXV + L(N254)},
      {"R12: trailing dot", MXROW("mail.example.com."), MTASTS_E_POLICY_MX_TRAILING_DOT,
       MXV + L("mail.example.com")},
      {"R12: trailing dot, then WSP", MXROW("a.b. "), MTASTS_E_POLICY_MX_TRAILING_DOT, MXV + 3},
      {"R12: trailing dot at the end of the body", IN(V M A "mx: a."),
       MTASTS_E_POLICY_MX_TRAILING_DOT, L(V M A "mx: a")},
      {"R12: wildcard with a trailing dot", MXROW("*.a."), MTASTS_E_POLICY_MX_TRAILING_DOT,
       MXV + 3},
      {"R12: two trailing dots", MXROW("a.b.."), MTASTS_E_POLICY_MX_SYNTAX, MXV + 4},
      {"R12: dot then _", MXROW("a.b._"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 4},
      {"R12: just a dot", MXROW("."), MTASTS_E_POLICY_MX_SYNTAX, MXV},
      {"R12: leading dot", MXROW(".example.com"), MTASTS_E_POLICY_MX_SYNTAX, MXV},
      {"R12: empty label", MXROW("a..b"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 2},
      {"R12: leading hyphen", MXROW("-a.x"), MTASTS_E_POLICY_MX_SYNTAX, MXV},
      {"R12: trailing hyphen", MXROW("a-.x"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 2},
      {"R12: xn-- alone", MXROW("xn--"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 4},
      {"R12: label starting with a dot after *.", MXROW("*..x"), MTASTS_E_POLICY_MX_SYNTAX,
       MXV + 2},
      {"R12: *example.com", MXROW("*example.com"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 1},
      {"R12: a.*.example.com", MXROW("a.*.example.com"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 2},
      {"R12: *", MXROW("*"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 1},
      {"R12: * at the end of the body", IN(V M A "mx: *"), MTASTS_E_POLICY_MX_SYNTAX,
       L(V M A "mx: *")},
      {"R12: *.", MXROW("*."), MTASTS_E_POLICY_MX_SYNTAX, MXV + 2},
      {"R12: **.x", MXROW("**.x"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 1},
      {"R12: *.*.x", MXROW("*.*.x"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 2},
      {"R12: partial-label wildcard", MXROW("mx*.example.com"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 2},
      {"R12: underscore", MXROW("a_b.x"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 1},
      {"R12: port", MXROW("a.b:25"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 3},
      {"R12: address literal", MXROW("[192.0.2.1]"), MTASTS_E_POLICY_MX_SYNTAX, MXV},
      {"R12: list", MXROW("a.example, b.example"), MTASTS_E_POLICY_MX_SYNTAX, MXV + 9},
      {"R12: second word", MXROW("mail.example.com x"), MTASTS_E_POLICY_MX_SYNTAX,
       MXV + L("mail.example.com ")},
      {"R12: U-label", MXROW("\xc3\xa9.example"), MTASTS_E_POLICY_MX_SYNTAX, MXV},
      {"R12: NUL", MXROW("a\0"), MTASTS_E_NUL, MXV + 1},
      {"R12: empty", MXROW(""), MTASTS_E_POLICY_VALUE_EMPTY, MXV},
  };
  RUN(rows);
}

static void test_r17_duplicates(void **state) {
  (void)state;
  static const row rows[] = {
      {"R17: first mode wins", IN(V M "mode: testing\n" X A), ENFORCE_ONE,
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V M)}}},
      {"R17: first mode none: mx not required", IN(V "mode: none\n" M A), .mode = MTASTS_MODE_NONE,
       .max_age = 86400, .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V "mode: none\n")}}},
      {"R17: first mode enforce: mx required", IN(V M "mode: none\n" A), MTASTS_E_POLICY_MISSING_MX,
       L(V M "mode: none\n" A), .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V M)}}},
      {"R17: first max_age wins", IN(V M X "max_age: 5\nmax_age: 6\n"), .mode = MTASTS_MODE_ENFORCE,
       .max_age = 5, .mx = {"mail.example.com"},
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V M X "max_age: 5\n")}}},
      {"R17: duplicate version", IN(V V M X A), ENFORCE_ONE,
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(V)}}},
      {"R17: duplicate extension, first wins", IN(BODY "e: 1\ne: 2\n"), ENFORCE_ONE,
       .ext = {{"e", "1"}}, .warn = {{MTASTS_W_DUPLICATE_FIELD, L(BODY "e: 1\n")}}},
      {"R17: extension names are case-sensitive", IN(BODY "e: 1\nE: 2\n"), ENFORCE_ONE,
       .ext = {{"e", "1"}, {"E", "2"}}},
      {"R17: mx repeats are not duplicates", IN(V M X X A), .mode = MTASTS_MODE_ENFORCE,
       .max_age = 86400, .mx = {"mail.example.com", "mail.example.com"}},
      {"R17: duplicate with a bad value", IN(BODY "e: 1\ne: \x01\n"), MTASTS_E_POLICY_VALUE_CHAR,
       L(BODY "e: 1\ne: ")},
      {"R17: duplicate with a bare CR", IN(BODY "version: x\r"), MTASTS_E_POLICY_BARE_CR,
       L(BODY "version: x")},
      {"R17: many duplicates, in order", IN(V M X A V M A "e: 1\ne: 2\n"), ENFORCE_ONE,
       .ext = {{"e", "1"}},
       .warn = {{MTASTS_W_DUPLICATE_FIELD, L(BODY)},
                {MTASTS_W_DUPLICATE_FIELD, L(BODY V)},
                {MTASTS_W_DUPLICATE_FIELD, L(BODY V M)},
                {MTASTS_W_DUPLICATE_FIELD, L(BODY V M A "e: 1\n")}}},
  };
  RUN(rows);
}

static void test_nul_and_empty(void **state) {
  (void)state;
  static const row rows[] = {
      {"NUL as the first byte", IN("\0"), MTASTS_E_NUL, 0},
      {"NUL in the version value", IN("version: \0\n"), MTASTS_E_NUL, 9},
      {"NUL after STSv1 is a version error", IN("version: STSv1\0\n"), MTASTS_E_POLICY_VERSION, 9},
      {"NUL after the colon", IN(V "mode:\0"), MTASTS_E_NUL, L(V "mode:")},
      {"NUL on its own line", IN(V "\0\n"), MTASTS_E_NUL, L(V)},
      {"NUL after a name", IN("version\0: STSv1\n"), MTASTS_E_NUL, 7},
  };
  RUN(rows);

  /* E_EMPTY, with and without a pointer. */
  mtasts_policy p;
  poison(&p, sizeof p);
  p.mx = NULL;
  p.mx_cap = 0;
  p.ext = NULL;
  p.ext_cap = 0;
  assert_int_equal(mtasts_policy_parse(NULL, 0, NULL, &p), MTASTS_E_EMPTY);
  assert_int_equal(p.err_offset, 0);
  expect_failed_results("empty (NULL)", &p);
  poison(&p, sizeof p);
  p.mx = NULL;
  p.mx_cap = 0;
  p.ext = NULL;
  p.ext_cap = 0;
  assert_int_equal(mtasts_policy_parse(guard_copy("", 0), 0, NULL, &p), MTASTS_E_EMPTY);
  assert_int_equal(p.err_offset, 0);
}

/* ------------------------------------------------------------------ */

/* The guard-paged copy the last parse_simple() read: spans point into it. */
static const char *parsed;

/* Parse a guard-paged copy into a poisoned result with this storage. */
static mtasts_code parse_into(const char *body, size_t len, mtasts_policy *p, mtasts_mx *mx,
                              size_t cap, mtasts_ext *ext, size_t ext_cap,
                              const mtasts_options *opt) {
  poison(p, sizeof *p);
  if (mx != NULL)
    poison(mx, cap * sizeof *mx);
  if (ext != NULL)
    poison(ext, ext_cap * sizeof *ext);
  p->mx = mx;
  p->mx_cap = cap;
  p->ext = ext;
  p->ext_cap = ext_cap;
  parsed = guard_copy(body, len);
  return mtasts_policy_parse(parsed, len, opt, p);
}

/* The same with room for every extension. */
static mtasts_code parse_simple(const char *body, size_t len, mtasts_policy *p, mtasts_mx *mx,
                                size_t cap, const mtasts_options *opt) {
  return parse_into(body, len, p, mx, cap, ext_store, MTASTS_MAX_EXTENSIONS, opt);
}

static void test_arguments(void **state) {
  (void)state;
  static const char body[] = BODY;
  mtasts_policy p;
  mtasts_mx mx[2];
  mtasts_diag items[2];
  mtasts_diags w = {items, 2, 99};

  assert_int_equal(mtasts_policy_parse(body, L(body), NULL, NULL), MTASTS_E_ARGUMENT);
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, NULL), MTASTS_OK);

  poison(&p, sizeof p);
  p.mx = mx;
  p.mx_cap = 2;
  p.ext = ext_store;
  p.ext_cap = MTASTS_MAX_EXTENSIONS;
  assert_int_equal(mtasts_policy_parse(NULL, 5, NULL, &p), MTASTS_E_ARGUMENT);
  assert_int_equal(p.err_offset, 0);
  expect_failed_results("NULL body", &p);

  mtasts_options bad_profile = {(mtasts_profile)2, 0, &w};
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, &bad_profile), MTASTS_E_ARGUMENT);
  assert_int_equal(w.count, 0); /* reset even when the options are refused */

  mtasts_options bad_flags = {MTASTS_LENIENT, 0x80000000u, NULL};
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, &bad_flags), MTASTS_E_ARGUMENT);
  mtasts_options literal = {MTASTS_STRICT, MTASTS_OPT_LITERAL_PREFIX, NULL};
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, &literal), MTASTS_OK);

  /* NULL storage with a capacity, NULL warning items with a capacity. */
  assert_int_equal(parse_simple(body, L(body), &p, NULL, 2, NULL), MTASTS_E_ARGUMENT);
  assert_int_equal(parse_simple(body, L(body), &p, NULL, 1, NULL), MTASTS_E_ARGUMENT);
  assert_int_equal(parse_simple(body, L(body), &p, NULL, 0, NULL), MTASTS_E_MX_CAPACITY);
  assert_int_equal(parse_into(body, L(body), &p, mx, 2, NULL, 1, NULL), MTASTS_E_ARGUMENT);
  expect_failed_results("NULL ext with a capacity", &p);
  assert_int_equal(parse_into(body, L(body), &p, mx, 2, NULL, 0, NULL), MTASTS_OK);
  mtasts_diags no_items = {NULL, 3, 7};
  mtasts_options o = {MTASTS_STRICT, 0, &no_items};
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, &o), MTASTS_E_ARGUMENT);
  assert_int_equal(no_items.count, 0);

  /* init */
  mtasts_ext ext[3];
  mtasts_policy_init(NULL, mx, 2, ext, 3); /* no crash */
  poison(&p, sizeof p);
  mtasts_policy_init(&p, mx, 2, ext, 3);
  assert_ptr_equal(p.mx, mx);
  assert_int_equal(p.mx_cap, 2);
  assert_ptr_equal(p.ext, ext);
  assert_int_equal(p.ext_cap, 3);
  assert_int_equal(p.mode, MTASTS_MODE_UNSET);
  assert_int_equal(p.mx_count, 0);
  assert_int_equal(p.mx_needed, 0);
  assert_int_equal(p.ext_count, 0);
  assert_int_equal(p.ext_needed, 0);
  assert_int_equal(p.err_offset, 0);
  expect_unset("init", p.version);
  expect_unset("init", p.max_age_text);
  assert_int_equal(mtasts_policy_parse(body, L(body), NULL, &p), MTASTS_OK);
  assert_int_equal(p.mx_count, 1);
}

static void test_warnings_storage(void **state) {
  (void)state;
  /* Four warnings; only the first cap are stored, all are counted. */
  static const char body[] = "\xef\xbb\xbf" V "\n" M X A "max_age: 1\n\n";
  mtasts_policy p;
  mtasts_mx mx[2];
  mtasts_diag items[2];
  poison(items, sizeof items);
  mtasts_diags w = {items, 2, 1234};
  mtasts_options opt = {MTASTS_LENIENT, 0, &w};
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, &opt), MTASTS_OK);
  assert_int_equal(w.count, 4);
  assert_int_equal(items[0].code, MTASTS_W_POLICY_BOM);
  assert_int_equal(items[0].offset, 0);
  assert_int_equal(items[1].code, MTASTS_W_POLICY_BLANK_LINE);
  assert_int_equal(items[1].offset, L("\xef\xbb\xbf" V));

  /* Counting only. */
  mtasts_diags count_only = {NULL, 0, 1234};
  opt.warnings = &count_only;
  assert_int_equal(parse_simple(body, L(body), &p, mx, 2, &opt), MTASTS_OK);
  assert_int_equal(count_only.count, 4);

  /* A trailing run withdraws its provisional warnings even when they did
   * not fit: cap 1 keeps the BOM warning, then one trailing warning. */
  static const char trailing[] = "\xef\xbb\xbf" BODY "\n\n\n";
  mtasts_diags one = {items, 1, 77};
  opt.warnings = &one;
  assert_int_equal(parse_simple(trailing, L(trailing), &p, mx, 2, &opt), MTASTS_OK);
  assert_int_equal(one.count, 2);
  assert_int_equal(items[0].code, MTASTS_W_POLICY_BOM);

  /* No warnings object at all. */
  opt.warnings = NULL;
  assert_int_equal(parse_simple(trailing, L(trailing), &p, mx, 2, &opt), MTASTS_OK);
  assert_int_equal(p.mx_count, 1);
}

/* R18: the size limit is judged before any byte. */
static void test_r18_size(void **state) {
  (void)state;
  const size_t max = MTASTS_POLICY_MAX_SIZE;
  char *buf = malloc(max + 1);
  assert_non_null(buf);
  /* A valid body of exactly 65536 octets: BODY and one long extension. */
  memcpy(buf, BODY "e: ", L(BODY "e: "));
  memset(buf + L(BODY "e: "), 'x', max - L(BODY "e: ") - 1);
  buf[max - 1] = '\n';
  mtasts_policy p;
  mtasts_mx mx[1];
  assert_int_equal(parse_simple(buf, max, &p, mx, 1, NULL), MTASTS_OK);
  assert_int_equal(p.ext_count, 1);
  assert_int_equal(p.ext[0].value.len, max - L(BODY "e: ") - 1);

  /* 65537 octets: too large, whatever they are. */
  buf[max] = 'x';
  mtasts_code rc = parse_simple(buf, max + 1, &p, mx, 1, NULL);
  assert_code_at("R18: 65537", rc, p.err_offset, MTASTS_E_POLICY_TOO_LARGE, 65536);
  expect_failed_results("R18: 65537", &p);
  memset(buf, 0, max + 1);
  rc = parse_simple(buf, max + 1, &p, mx, 1, NULL);
  assert_code_at("R18: 65537 NULs", rc, p.err_offset, MTASTS_E_POLICY_TOO_LARGE, 65536);
  rc = parse_simple(buf, max, &p, mx, 1, NULL);
  assert_code_at("R18: 65536 NULs", rc, p.err_offset, MTASTS_E_NUL, 0);
  /* Arguments are judged before the size. */
  poison(&p, sizeof p);
  p.mx = mx;
  p.mx_cap = 1;
  p.ext = ext_store;
  p.ext_cap = MTASTS_MAX_EXTENSIONS;
  assert_int_equal(mtasts_policy_parse(NULL, max + 1, NULL, &p), MTASTS_E_ARGUMENT);
  free(buf);
}

static void test_too_many_extensions(void **state) {
  (void)state;
  char body[2048];
  size_t n = (size_t)snprintf(body, sizeof body, "%s", BODY);
  for (int k = 0; k < 32; k++)
    n += (size_t)snprintf(body + n, sizeof body - n, "e%02d: %d\n", k, k);
  /* Duplicates do not count. */
  n += (size_t)snprintf(body + n, sizeof body - n, "e05: again\n");
  /* The ext array ends at a guard page: nothing may touch a 33rd slot
   * past it when the 33rd name arrives. */
  mtasts_policy *p = guard_object(1, sizeof *p);
  mtasts_ext *ext = guard_object(2, MTASTS_MAX_EXTENSIONS * sizeof *ext);
  mtasts_mx mx[1];
  mtasts_diag items[2];
  mtasts_diags w = {items, 2, 0};
  mtasts_options opt = {MTASTS_STRICT, 0, &w};
  assert_int_equal(parse_into(body, n, p, mx, 1, ext, MTASTS_MAX_EXTENSIONS, &opt), MTASTS_OK);
  assert_int_equal(p->ext_count, MTASTS_MAX_EXTENSIONS);
  expect_span("ext 31", parsed, p->ext[31].name, "e31");
  assert_int_equal(w.count, 1);
  assert_int_equal(items[0].code, MTASTS_W_DUPLICATE_FIELD);
  assert_int_equal(items[0].offset, n - L("e05: again\n"));

  /* The 33rd distinct name fails at its line start, whatever its value. */
  size_t line = n;
  n += (size_t)snprintf(body + n, sizeof body - n, "e32: \x01\n");
  mtasts_code rc = parse_into(body, n, p, mx, 1, ext, MTASTS_MAX_EXTENSIONS, &opt);
  assert_code_at("33rd extension", rc, p->err_offset, MTASTS_E_TOO_MANY_EXTENSIONS, line);
  expect_failed_results("33rd extension", p);
  /* The limit is the input's, whatever the array: a one-slot array or a
   * sizing pass meets the 33rd name the same way, not a capacity error. */
  rc = parse_into(body, n, p, mx, 1, ext, 1, &opt);
  assert_code_at("33rd extension, ext_cap 1", rc, p->err_offset, MTASTS_E_TOO_MANY_EXTENSIONS,
                 line);
  assert_int_equal(p->ext_needed, 0);
  rc = parse_into(body, n, p, NULL, 0, NULL, 0, &opt);
  assert_code_at("33rd extension, sizing", rc, p->err_offset, MTASTS_E_TOO_MANY_EXTENSIONS, line);
}

/*
 * The "mx: " fast path (policy.c, take_plain_mx_line) must judge a line as
 * the general path does. "mx:" SP pattern has the fast shape; "mx:" HTAB
 * pattern, the same length, goes the general way: every result, offsets
 * included, must be the same, for good and bad patterns, every line end,
 * on the first line and on the last.
 */
static void parse_mx_variant(const char *pat, const char *end, bool first, char sep,
                             mtasts_profile prof, mtasts_policy *p, mtasts_mx *mx,
                             mtasts_code *rc) {
  static const char rest[] = V M A;
  char body[600];
  size_t n = 0;
  if (!first) {
    memcpy(body, rest, L(rest));
    n = L(rest);
  }
  n += (size_t)snprintf(body + n, sizeof body - n, "mx:%c%s%s", sep, pat, end);
  if (first) {
    memcpy(body + n, rest, L(rest));
    n += L(rest);
  }
  mtasts_options opt = {prof, 0, NULL};
  *rc = parse_simple(body, n, p, mx, 4, &opt);
}

static void test_mx_fast_path_agrees(void **state) {
  (void)state;
  static const char *const patterns[] = {"a",
                                         "mail.example.com",
                                         "*.example.net",
                                         "MX1.Example.NET",
                                         "a-",
                                         "-a",
                                         "a..b",
                                         "a.",
                                         ".a",
                                         "*",
                                         "*.",
                                         "*a.b",
                                         "a.*.b",
                                         "a_b",
                                         "",
                                         " a",
                                         "a b",
                                         "a\tb",
                                         "\xc3\xa9.example",
                                         C63 ".x",
                                         C64 ".x",
                                         N253,
                                         N254,
                                         W253,
                                         W254,
                                         "a;b",
                                         "a:b"};
  static const char *const ends[] = {"\n", "\r\n", "", "\r", " \n", "\t\r\n", "x\n", "\r\r\n"};
  size_t agreed_ok = 0;
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
    for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++)
      for (int first = 0; first <= 1; first++)
        for (int prof = MTASTS_STRICT; prof <= MTASTS_LENIENT; prof++) {
          mtasts_policy fast, slow;
          mtasts_mx fast_mx[4], slow_mx[4];
          mtasts_code fast_rc, slow_rc;
          parse_mx_variant(patterns[i], ends[e], first, ' ', (mtasts_profile)prof, &fast, fast_mx,
                           &fast_rc);
          parse_mx_variant(patterns[i], ends[e], first, '\t', (mtasts_profile)prof, &slow, slow_mx,
                           &slow_rc);
          char what[400];
          snprintf(what, sizeof what, "mx \"%s\" end %zu first %d",
                   show(patterns[i], strlen(patterns[i])), e, first);
          assert_code_at(what, fast_rc, fast.err_offset, slow_rc, slow.err_offset);
          if (fast.mx_count != slow.mx_count || fast.ext_count != slow.ext_count)
            fail_msg("%s: %zu mx / %zu ext, general path %zu / %zu", what, fast.mx_count,
                     fast.ext_count, slow.mx_count, slow.ext_count);
          for (size_t k = 0; k < fast.mx_count; k++)
            if (fast_mx[k].pattern.off != slow_mx[k].pattern.off ||
                fast_mx[k].pattern.len != slow_mx[k].pattern.len ||
                fast_mx[k].wildcard != slow_mx[k].wildcard)
              fail_msg("%s: mx %zu differs from the general path's", what, k);
          agreed_ok += fast_rc == MTASTS_OK;
        }
  /* Not vacuous: the good patterns parse, with every terminator. */
  assert_true(agreed_ok >= 40);
}

/* ---- mx storage ---- */

#define THREE_MX V M "mx: a.example\nmx: *.b.example\nmx: c.example\n" A
static void test_mx_capacity(void **state) {
  (void)state;
  static const char body[] = THREE_MX;
  const size_t third = L(V M "mx: a.example\nmx: *.b.example\n");
  mtasts_policy p;
  mtasts_mx mx[4];

  /* Sizing pass: NULL storage, capacity 0. */
  mtasts_code rc = parse_simple(body, L(body), &p, NULL, 0, NULL);
  assert_code_at("sizing pass", rc, p.err_offset, MTASTS_E_MX_CAPACITY, L(V M));
  assert_int_equal(p.mx_needed, 3);
  assert_int_equal(p.mx_count, 0);
  expect_failed_results("sizing pass", &p);
  /* Capacity 0 with an array is the same. */
  rc = parse_simple(body, L(body), &p, mx, 0, NULL);
  assert_code_at("capacity 0", rc, p.err_offset, MTASTS_E_MX_CAPACITY, L(V M));
  assert_int_equal(p.mx_needed, 3);

  /* Too small: the first mx that did not fit; nothing survives. */
  rc = parse_simple(body, L(body), &p, mx, 2, NULL);
  assert_code_at("capacity 2", rc, p.err_offset, MTASTS_E_MX_CAPACITY, third);
  assert_int_equal(p.mx_needed, 3);
  assert_int_equal(p.mx_count, 0);
  expect_unset("capacity 2: mx[0]", mx[0].pattern);
  expect_unset("capacity 2: mx[1]", mx[1].pattern);
  expect_failed_results("capacity 2", &p);

  /* Exactly enough, and more than enough. */
  for (size_t cap = 3; cap <= 4; cap++) {
    rc = parse_simple(body, L(body), &p, mx, cap, NULL);
    assert_int_equal(rc, MTASTS_OK);
    assert_int_equal(p.mx_count, 3);
    assert_int_equal(p.mx_needed, 3);
    expect_span("mx 0", parsed, p.mx[0].pattern, "a.example");
    expect_span("mx 1", parsed, p.mx[1].pattern, "*.b.example");
    expect_span("mx 2", parsed, p.mx[2].pattern, "c.example");
    assert_false(p.mx[0].wildcard);
    assert_true(p.mx[1].wildcard);
  }

  /* A sizing pass on a valid policy without mx succeeds. */
  static const char none[] = V "mode: none\n" A;
  assert_int_equal(parse_simple(none, L(none), &p, NULL, 0, NULL), MTASTS_OK);
  assert_int_equal(p.mx_needed, 0);

  /* The capacity error only comes for an otherwise valid policy. */
  static const char broken[] = V M "mx: a.example\nmx: b.example\n";
  rc = parse_simple(broken, L(broken), &p, mx, 1, NULL);
  assert_code_at("capacity and missing max_age", rc, p.err_offset, MTASTS_E_POLICY_MISSING_MAX_AGE,
                 L(broken));
  assert_int_equal(p.mx_needed, 0);
  static const char broken2[] = V M "mx: a.example\nmx: b.example\nmx: bad_\n" A;
  rc = parse_simple(broken2, L(broken2), &p, mx, 1, NULL);
  assert_code_at("capacity and bad mx", rc, p.err_offset, MTASTS_E_POLICY_MX_SYNTAX,
                 L(V M "mx: a.example\nmx: b.example\nmx: bad"));
  expect_unset("bad mx: mx[0]", mx[0].pattern);
}

/* ---- ext storage: the mx model for extensions ---- */

#define THREE_EXT BODY "a: 1\nb: 2\nc: 3\n"
static void test_ext_capacity(void **state) {
  (void)state;
  static const char body[] = THREE_EXT;
  const size_t first = L(BODY), second = L(BODY "a: 1\n"), third = L(BODY "a: 1\nb: 2\n");
  mtasts_policy p;
  mtasts_mx mx[2];
  mtasts_ext ext[4];

  /* Sizing pass: NULL storage, capacity 0; the mx array has room. */
  mtasts_code rc = parse_into(body, L(body), &p, mx, 2, NULL, 0, NULL);
  assert_code_at("ext sizing pass", rc, p.err_offset, MTASTS_E_EXT_CAPACITY, first);
  assert_int_equal(p.ext_needed, 3);
  assert_int_equal(p.mx_needed, 1);
  assert_int_equal(p.ext_count, 0);
  expect_failed_results("ext sizing pass", &p);
  expect_unset("ext sizing pass: mx[0]", mx[0].pattern);
  /* Capacity 0 with an array is the same. */
  rc = parse_into(body, L(body), &p, mx, 2, ext, 0, NULL);
  assert_code_at("ext capacity 0", rc, p.err_offset, MTASTS_E_EXT_CAPACITY, first);
  assert_int_equal(p.ext_needed, 3);

  /* Too small (1, and needed - 1): the first extension that did not fit,
   * at its line start; nothing survives, in the caller's array either. */
  rc = parse_into(body, L(body), &p, mx, 2, ext, 1, NULL);
  assert_code_at("ext capacity 1", rc, p.err_offset, MTASTS_E_EXT_CAPACITY, second);
  assert_int_equal(p.ext_needed, 3);
  expect_unset("ext capacity 1: ext[0]", ext[0].name);
  expect_failed_results("ext capacity 1", &p);
  rc = parse_into(body, L(body), &p, mx, 2, ext, 2, NULL);
  assert_code_at("ext capacity 2", rc, p.err_offset, MTASTS_E_EXT_CAPACITY, third);
  assert_int_equal(p.ext_needed, 3);
  assert_int_equal(p.mx_needed, 1);
  expect_unset("ext capacity 2: ext[1]", ext[1].value);

  /* Exactly enough, and more than enough. */
  for (size_t cap = 3; cap <= 4; cap++) {
    rc = parse_into(body, L(body), &p, mx, 2, ext, cap, NULL);
    assert_int_equal(rc, MTASTS_OK);
    assert_int_equal(p.ext_count, 3);
    assert_int_equal(p.ext_needed, 3);
    expect_span("ext 0", parsed, p.ext[0].name, "a");
    expect_span("ext 2", parsed, p.ext[2].value, "3");
  }

  /* A sizing pass of both arrays on a policy with neither succeeds. */
  static const char bare[] = V "mode: none\n" A;
  assert_int_equal(parse_into(bare, L(bare), &p, NULL, 0, NULL, 0, NULL), MTASTS_OK);
  assert_int_equal(p.ext_needed, 0);

  /* A duplicate of an extension that did not fit is still a duplicate:
   * it warns and does not count. */
  static const char dups[] = BODY "a: 1\nb: 2\na: 3\nb: 4\n";
  mtasts_diag items[4];
  mtasts_diags w = {items, 4, 0};
  mtasts_options opt = {MTASTS_STRICT, 0, &w};
  rc = parse_into(dups, L(dups), &p, mx, 2, ext, 1, &opt);
  assert_code_at("dup of an unstored ext", rc, p.err_offset, MTASTS_E_EXT_CAPACITY, second);
  assert_int_equal(p.ext_needed, 2);
  assert_int_equal(w.count, 2);
  assert_int_equal(items[1].code, MTASTS_W_DUPLICATE_FIELD);
  assert_int_equal(items[1].offset, L(BODY "a: 1\nb: 2\na: 3\n"));
  assert_int_equal(parse_into(dups, L(dups), &p, mx, 2, ext, 2, &opt), MTASTS_OK);
  assert_int_equal(p.ext_count, 2);
}

/* Both arrays short: the capacity error is the one at the smaller offset,
 * and both counts are set for the retry. */
#define MIXED V M "e: 1\nmx: a.example\nmx: b.example\n" A "f: 2\n"
static void test_both_capacities(void **state) {
  (void)state;
  static const char body[] = MIXED;
  const size_t e = L(V M), a = L(V M "e: 1\n"), b = L(V M "e: 1\nmx: a.example\n");
  const size_t f = L(V M "e: 1\nmx: a.example\nmx: b.example\n" A);
  mtasts_policy p;
  mtasts_mx mx[2];
  mtasts_ext ext[2];
  static const struct {
    size_t mx_cap, ext_cap;
    mtasts_code code;
    size_t off;
  } rows[] = {
      {0, 0, MTASTS_E_EXT_CAPACITY, e}, /* the sizing pass: e comes first */
      {0, 1, MTASTS_E_MX_CAPACITY, a},  {1, 0, MTASTS_E_EXT_CAPACITY, e},
      {1, 1, MTASTS_E_MX_CAPACITY, b},  {2, 1, MTASTS_E_EXT_CAPACITY, f},
      {1, 2, MTASTS_E_MX_CAPACITY, b},  {2, 2, MTASTS_OK, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char what[64];
    snprintf(what, sizeof what, "mx_cap %zu, ext_cap %zu", rows[i].mx_cap, rows[i].ext_cap);
    mtasts_code rc = parse_into(body, L(body), &p, rows[i].mx_cap ? mx : NULL, rows[i].mx_cap,
                                rows[i].ext_cap ? ext : NULL, rows[i].ext_cap, NULL);
    assert_code_at(what, rc, p.err_offset, rows[i].code, rows[i].off);
    assert_int_equal(p.mx_needed, 2);
    assert_int_equal(p.ext_needed, 2);
    if (rc != MTASTS_OK)
      expect_failed_results(what, &p);
  }
}

/* A capacity error never hides another: it is judged last, for a body
 * that is otherwise valid, and any other error leaves both counts 0. */
static void test_capacity_after_errors(void **state) {
  (void)state;
  static const struct {
    const char *name;
    const char *in;
    size_t len;
    mtasts_code code;
    size_t off;
  } rows[] = {
      {"missing max_age", IN(V M "a: 1\nb: 2\n" X), MTASTS_E_POLICY_MISSING_MAX_AGE,
       L(V M "a: 1\nb: 2\n" X)},
      {"bad value after the overflow", IN(BODY "a: 1\nb: 2\nc: \x01\n"), MTASTS_E_POLICY_VALUE_CHAR,
       L(BODY "a: 1\nb: 2\nc: ")},
      {"blank line after the overflow", IN(BODY "a: 1\nb: 2\n\n"), MTASTS_E_POLICY_BLANK_LINE,
       L(BODY "a: 1\nb: 2\n")},
      {"bad mx after the overflow", IN(V M "a: 1\nb: 2\nmx: a..b\n" A), MTASTS_E_POLICY_MX_SYNTAX,
       L(V M "a: 1\nb: 2\nmx: a.")},
      {"missing mx", IN(V M A "a: 1\nb: 2\n"), MTASTS_E_POLICY_MISSING_MX, L(V M A "a: 1\nb: 2\n")},
  };
  mtasts_policy p;
  mtasts_mx mx[2];
  mtasts_ext ext[1];
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    for (size_t ext_cap = 0; ext_cap <= 1; ext_cap++) {
      mtasts_code rc =
          parse_into(rows[i].in, rows[i].len, &p, mx, 2, ext_cap ? ext : NULL, ext_cap, NULL);
      assert_code_at(rows[i].name, rc, p.err_offset, rows[i].code, rows[i].off);
      assert_int_equal(p.ext_needed, 0);
      assert_int_equal(p.mx_needed, 0);
      expect_failed_results(rows[i].name, &p);
    }
  }
}

static void test_mx_many(void **state) {
  (void)state;
  /* 2700 mx lines, then the most a 64 KiB body can hold. */
  enum { MANY = 2700 };
  char *body = malloc(MTASTS_POLICY_MAX_SIZE);
  mtasts_mx *mx = malloc(MTASTS_POLICY_MAX_MX * sizeof *mx);
  assert_non_null(body);
  assert_non_null(mx);
  size_t n = (size_t)snprintf(body, 64, "%s", V M);
  size_t last_line = 0;
  for (int k = 0; k < MANY; k++) {
    last_line = n;
    n += (size_t)snprintf(body + n, 64, "mx: m%04d.example.net\n", k);
  }
  n += (size_t)snprintf(body + n, 64, "%s", A);
  assert_true(n <= MTASTS_POLICY_MAX_SIZE);
  mtasts_policy p;
  assert_int_equal(parse_simple(body, n, &p, mx, MANY, NULL), MTASTS_OK);
  assert_int_equal(p.mx_count, MANY);
  expect_span("mx 0", parsed, p.mx[0].pattern, "m0000.example.net");
  expect_span("mx 2699", parsed, p.mx[MANY - 1].pattern, "m2699.example.net");
  mtasts_code rc = parse_simple(body, n, &p, mx, MANY - 1, NULL);
  assert_code_at("2700 mx, cap 2699", rc, p.err_offset, MTASTS_E_MX_CAPACITY, last_line);
  assert_int_equal(p.mx_needed, MANY);
  rc = parse_simple(body, n, &p, NULL, 0, NULL);
  assert_int_equal(rc, MTASTS_E_MX_CAPACITY);
  assert_int_equal(p.mx_needed, MANY);

  /* MTASTS_POLICY_MAX_MX is enough for any body of MTASTS_POLICY_MAX_SIZE. */
  static const char head[] = "version:STSv1\nmode:none\nmax_age:1\n";
  memcpy(body, head, L(head));
  n = L(head);
  size_t count = 0;
  while (n + 5 <= MTASTS_POLICY_MAX_SIZE) {
    memcpy(body + n, "mx:a\n", 5);
    n += 5;
    count++;
  }
  /* Lengthen the last pattern ("mx:a" LF becomes "mx:aaa" LF) to fill
   * the body exactly. */
  memset(body + n - 1, 'a', MTASTS_POLICY_MAX_SIZE - n + 1);
  body[MTASTS_POLICY_MAX_SIZE - 1] = '\n';
  assert_int_equal(parse_simple(body, MTASTS_POLICY_MAX_SIZE, &p, mx, MTASTS_POLICY_MAX_MX, NULL),
                   MTASTS_OK);
  assert_int_equal(p.mx_count, count);
  assert_true(count <= MTASTS_POLICY_MAX_MX);
  free(mx);
  free(body);
}

/* A second parse into the same structure leaves nothing of the first. */
static void test_no_stale_spans(void **state) {
  (void)state;
  static const char good[] = BODY "e: 1\n";
  static const char bad[] = V M "mx: a\nmx: b\n"
                                "max_age: x\n";
  mtasts_mx mx[4];
  mtasts_ext ext[2] = {0}; /* ext[1] is never stored: zero, as the check of every slot wants */
  mtasts_policy p;
  mtasts_policy_init(&p, mx, 4, ext, 2);
  assert_int_equal(mtasts_policy_parse(good, L(good), NULL, &p), MTASTS_OK);
  assert_int_equal(p.ext_count, 1);
  mtasts_code rc = mtasts_policy_parse(bad, L(bad), NULL, &p);
  assert_code_at("stale", rc, p.err_offset, MTASTS_E_POLICY_MAX_AGE,
                 L(V M "mx: a\nmx: b\nmax_age: "));
  expect_failed_results("stale", &p);
  expect_unset("stale mx[0]", mx[0].pattern);
  expect_unset("stale mx[1]", mx[1].pattern);
  expect_unset("stale ext[0]", ext[0].name);
  expect_unset("stale ext[0]", ext[0].value);
  assert_int_equal(p.mx_needed, 0);
}

/* ------------------------------------------------------------------ */
/* Truncation sweep.
 *
 * Each policy below is valid and written one field per line as
 * `name ":" SP value LF` (the last line may use CRLF). For a strict prefix
 * of k bytes, the expected result follows from this rule, applied to the
 * line the cut falls in:
 *   k == 0                               E_EMPTY at 0
 *   the cut leaves a CR as the last byte E_POLICY_BARE_CR at k - 1
 *   the cut is inside the name           E_POLICY_EXPECTED_COLON at k
 *   the cut is right after ":" or ": "   E_POLICY_VALUE_EMPTY at k
 *   the cut is inside the value of the first version or mode
 *                                        E_POLICY_VERSION / E_POLICY_MODE
 *                                        at the value start (no keyword is a
 *                                        prefix of another)
 *   the cut is inside an mx value and the kept part ends with
 *     "."                                E_POLICY_MX_TRAILING_DOT at k - 1
 *     "*" or "*." or "-"                 E_POLICY_MX_SYNTAX at k
 *   the cut splits a UTF-8 character of an extension value
 *                                        E_POLICY_VALUE_UTF8 at its lead byte
 * otherwise the kept part of the line is a complete field, and the result
 * is that of the end checks over the fields kept: the first missing of
 * version, mode, max_age, mx (unless the first mode is none) at k, else OK.
 * The same holds in both profiles (no policy here relies on a deviation).
 * ------------------------------------------------------------------ */

typedef struct sweep_state {
  bool version, mode, max_age, mode_none, mx;
} sweep_state;

static void sweep_note_field(sweep_state *st, const char *name, const char *value) {
  if (strcmp(name, "version") == 0)
    st->version = true;
  if (strcmp(name, "max_age") == 0)
    st->max_age = true;
  if (strcmp(name, "mx") == 0)
    st->mx = true;
  if (strcmp(name, "mode") == 0 && !st->mode) {
    st->mode = true;
    st->mode_none = strcmp(value, "none") == 0;
  }
}

static mtasts_code sweep_end(const sweep_state *st) {
  if (!st->version)
    return MTASTS_E_POLICY_MISSING_VERSION;
  if (!st->mode)
    return MTASTS_E_POLICY_MISSING_MODE;
  if (!st->max_age)
    return MTASTS_E_POLICY_MISSING_MAX_AGE;
  if (!st->mode_none && !st->mx)
    return MTASTS_E_POLICY_MISSING_MX;
  return MTASTS_OK;
}

/* Start of the UTF-8 character that a cut at `cut` splits, or SIZE_MAX. */
static size_t split_utf8_lead(const char *v, size_t cut) {
  size_t i = 0;
  while (i < cut) {
    unsigned char c = (unsigned char)v[i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + n > cut)
      return i;
    i += n;
  }
  return SIZE_MAX;
}

/* The expected result of parsing the first k bytes of the policy. */
static mtasts_code sweep_expect(const char *const (*lines)[2], size_t nlines, bool crlf_last,
                                size_t k, size_t *off) {
  sweep_state st = {0};
  size_t pos = 0;
  *off = k;
  if (k == 0) {
    *off = 0;
    return MTASTS_E_EMPTY;
  }
  for (size_t i = 0; i < nlines && pos < k; i++) {
    const char *name = lines[i][0], *value = lines[i][1];
    size_t nl = strlen(name), vl = strlen(value);
    size_t vstart = pos + nl + 2;
    size_t term = (i + 1 == nlines && crlf_last) ? 2 : 1;
    size_t end = vstart + vl + term;
    if (k < pos + nl + 1) /* inside the name, or nothing after the colon yet */
      return MTASTS_E_POLICY_EXPECTED_COLON;
    if (k <= vstart)
      return MTASTS_E_POLICY_VALUE_EMPTY;
    if (k < vstart + vl) {
      size_t cut = k - vstart;
      bool first_version = strcmp(name, "version") == 0 && !st.version;
      bool first_mode = strcmp(name, "mode") == 0 && !st.mode;
      if (first_version || first_mode) {
        *off = vstart;
        return first_version ? MTASTS_E_POLICY_VERSION : MTASTS_E_POLICY_MODE;
      }
      if (strcmp(name, "mx") == 0) {
        char last = value[cut - 1];
        if (last == '.' && !(cut == 2 && value[0] == '*')) {
          *off = k - 1;
          return MTASTS_E_POLICY_MX_TRAILING_DOT;
        }
        if (last == '*' || last == '.' || last == '-')
          return MTASTS_E_POLICY_MX_SYNTAX;
      }
      size_t lead = split_utf8_lead(value, cut);
      if (lead != SIZE_MAX) {
        *off = vstart + lead;
        return MTASTS_E_POLICY_VALUE_UTF8;
      }
    }
    if (term == 2 && k == end - 1) {
      *off = k - 1;
      return MTASTS_E_POLICY_BARE_CR;
    }
    char kept[256];
    size_t kv = k < vstart + vl ? k - vstart : vl;
    memcpy(kept, value, kv);
    kept[kv] = '\0';
    sweep_note_field(&st, name, kept);
    pos = end;
  }
  return sweep_end(&st);
}

static const char *const sweep1[][2] = {
    {"version", "STSv1"},    {"mode", "enforce"}, {"mx", "mail.example.com"},
    {"mx", "*.example.net"}, {"mx", "a-b.x"},     {"max_age", "604800"},
};
static const char *const sweep2[][2] = {
    {"max_age", "31557600"}, {"note", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80!"},
    {"mode", "none"},        {"version", "STSv1"},
    {"mode", "testing"},     {"mx", "*.x"},
};
static const char *const sweep3[][2] = {
    {"mode", "testing"}, {"version", "STSv1"}, {"mx", "x.y"}, {"max_age", "0"}, {"e", "v"},
};

static size_t build_policy(char *buf, const char *const (*lines)[2], size_t n, bool crlf_last) {
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    len += (size_t)sprintf(buf + len, "%s: %s%s", lines[i][0], lines[i][1],
                           (i + 1 == n && crlf_last) ? "\r\n" : "\n");
  return len;
}

static void sweep_one(const char *const (*lines)[2], size_t nlines, bool crlf_last) {
  char body[512];
  size_t len = build_policy(body, lines, nlines, crlf_last);
  for (int prof = MTASTS_STRICT; prof <= MTASTS_LENIENT; prof++) {
    mtasts_options opt = {(mtasts_profile)prof, 0, NULL};
    for (size_t k = 0; k <= len; k++) {
      size_t want_off;
      mtasts_code want = sweep_expect(lines, nlines, crlf_last, k, &want_off);
      if (want == MTASTS_OK)
        want_off = 0;
      if (k == len)
        assert_int_equal(want, MTASTS_OK); /* the rule agrees the whole policy is valid */
      mtasts_policy p;
      mtasts_mx mx[8];
      mtasts_code rc = parse_simple(body, k, &p, mx, 8, &opt);
      char what[600];
      snprintf(what, sizeof what, "prefix %zu/%zu [%d] \"%s\"", k, len, prof, show(body, k));
      assert_code_at(what, rc, p.err_offset, want, want_off);
    }
  }
}

static void test_truncation_sweep(void **state) {
  (void)state;
  sweep_one(sweep1, sizeof sweep1 / sizeof sweep1[0], false);
  sweep_one(sweep1, sizeof sweep1 / sizeof sweep1[0], true);
  sweep_one(sweep2, sizeof sweep2 / sizeof sweep2[0], true);
  sweep_one(sweep3, sizeof sweep3 / sizeof sweep3[0], false);
}

/* The caller's mx[] keeps no span of an earlier parse: not past a smaller
 * mx_count after a success, and none after a failure, even the entries this
 * call never reached. Likewise ext[] past ext_count. */
static bool mx_zero_from(const mtasts_mx *mx, size_t from, size_t cap) {
  static const mtasts_mx zero_mx;
  for (size_t i = from; i < cap; i++)
    if (memcmp(&mx[i], &zero_mx, sizeof zero_mx) != 0)
      return false;
  return true;
}

static bool ext_zero_from(const mtasts_ext *ext, size_t from, size_t cap) {
  static const mtasts_ext zero_ext;
  for (size_t i = from; i < cap; i++)
    if (memcmp(&ext[i], &zero_ext, sizeof zero_ext) != 0)
      return false;
  return true;
}

static void test_reset_leaves_no_earlier_span(void **state) {
  (void)state;
  static const char three[] = "version: STSv1\nmode: enforce\nmx: a.example\nmx: b.example\n"
                              "mx: c.example\nmax_age: 1\nx: 1\ny: 2\n";
  static const char one[] = "version: STSv1\nmode: enforce\nmx: z.example\nmax_age: 1\n";
  static const char bad[] = "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: x\n";
  mtasts_mx mx[4];
  mtasts_ext ext[3];
  poison(mx, sizeof mx);
  poison(ext, sizeof ext);
  mtasts_policy p;
  poison(&p, sizeof p);
  mtasts_policy_init(&p, mx, 4, ext, 3);
  assert_int_equal(mtasts_policy_parse(three, sizeof three - 1, NULL, &p), MTASTS_OK);
  assert_int_equal(p.mx_count, 3);
  assert_int_equal(p.ext_count, 2);
  assert_int_equal(mtasts_policy_parse(one, sizeof one - 1, NULL, &p), MTASTS_OK);
  assert_int_equal(p.mx_count, 1);
  assert_int_equal(p.mx[0].pattern.off, 33);
  assert_true(mx_zero_from(mx, 1, 3)); /* mx[3] was never the parser's */
  assert_int_equal(p.ext_count, 0);
  assert_true(ext_zero_from(ext, 0, 2)); /* ext[2] was never the parser's */
  assert_int_equal(mtasts_policy_parse(three, sizeof three - 1, NULL, &p), MTASTS_OK);
  /* This failure stores one mx; the two after it came from the call before. */
  assert_int_equal(mtasts_policy_parse(bad, sizeof bad - 1, NULL, &p), MTASTS_E_POLICY_MAX_AGE);
  assert_true(mx_zero_from(mx, 0, 3));
  assert_true(ext_zero_from(ext, 0, 2));
  assert_int_equal(mtasts_policy_parse(three, sizeof three - 1, NULL, &p), MTASTS_OK);
  /* A failure clears what it stored itself, on a fresh result too (no
   * earlier call to clear after). */
  poison(mx, sizeof mx);
  mtasts_policy_init(&p, mx, 4, ext, 3);
  assert_int_equal(mtasts_policy_parse(bad, sizeof bad - 1, NULL, &p), MTASTS_E_POLICY_MAX_AGE);
  assert_true(mx_zero_from(mx, 0, 1));
  assert_int_equal(mtasts_policy_parse(three, sizeof three - 1, NULL, &p), MTASTS_OK);
  /* An argument error, before any line is read, clears them too. */
  mtasts_options bad_opt = {(mtasts_profile)7, 0, NULL};
  assert_int_equal(mtasts_policy_parse(one, sizeof one - 1, &bad_opt, &p), MTASTS_E_ARGUMENT);
  assert_true(mx_zero_from(mx, 0, 3));
  assert_true(ext_zero_from(ext, 0, 2));
  /* A failure after extensions were stored clears them too. */
  static const char ext_then_bad[] = "version: STSv1\nmode: none\nx: 1\ny: 2\nmax_age: x\n";
  poison(ext, sizeof ext);
  mtasts_policy_init(&p, mx, 4, ext, 3);
  assert_int_equal(mtasts_policy_parse(ext_then_bad, sizeof ext_then_bad - 1, NULL, &p),
                   MTASTS_E_POLICY_MAX_AGE);
  assert_true(ext_zero_from(ext, 0, 2));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reset_leaves_no_earlier_span),
      cmocka_unit_test(test_valid_bodies),
      cmocka_unit_test(test_missing_fields),
      cmocka_unit_test(test_r4_name_based),
      cmocka_unit_test(test_r5_max_age),
      cmocka_unit_test(test_r6_line_ends),
      cmocka_unit_test(test_r7_blank_lines_and_lenient_1_2_3),
      cmocka_unit_test(test_r10_extension_values),
      cmocka_unit_test(test_r11_field_names),
      cmocka_unit_test(test_r12_mx_values),
      cmocka_unit_test(test_r17_duplicates),
      cmocka_unit_test(test_nul_and_empty),
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_warnings_storage),
      cmocka_unit_test(test_r18_size),
      cmocka_unit_test(test_too_many_extensions),
      cmocka_unit_test(test_mx_capacity),
      cmocka_unit_test(test_ext_capacity),
      cmocka_unit_test(test_both_capacities),
      cmocka_unit_test(test_capacity_after_errors),
      cmocka_unit_test(test_mx_many),
      cmocka_unit_test(test_mx_fast_path_agrees),
      cmocka_unit_test(test_no_stale_spans),
      cmocka_unit_test(test_truncation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
