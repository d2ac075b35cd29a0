/*
 * test_txt.c - _mta-sts TXT records (RFC 8461 3.1): mtasts_txt_parse,
 * mtasts_txt_parse_strings, mtasts_txt_copy, mtasts_txt_select and
 * mtasts_txt_write.
 *
 * Every table row is parsed from a guard-paged copy into a poisoned
 * result, then again as every split into 2 and 3 character-strings; the
 * valid rows are also written back and reparsed, and each of their strict
 * prefixes is checked against the rule in expect_prefix().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define S MTASTS_STRICT
#define L MTASTS_LENIENT

typedef struct txt_row {
  const char *name;
  const char *in;
  size_t len; /* explicit, so a row may hold NUL */
  mtasts_profile prof;
  mtasts_code code;
  size_t off;
  const char *id;    /* valid rows: the id */
  const char *exts;  /* "name=value name=value" */
  const char *warns; /* "W_CODE@off W_CODE@off" */
} txt_row;

#define ROW(nm, input, pr, cd, of, id_, ex, wa)                                                    \
  { nm, input, sizeof(input) - 1, pr, MTASTS_##cd, of, id_, ex, wa }
#define OK_ROW(nm, input, pr, id_, ex, wa) ROW(nm, input, pr, OK, 0, id_, ex, wa)
#define ERR_ROW(nm, input, pr, cd, of) ROW(nm, input, pr, cd, of, "", "", "")

/* A literal as (guard-paged copy, length), for calls outside the tables. */
#define G(lit) guard_copy_slot(7, (lit), sizeof(lit) - 1), sizeof(lit) - 1

/* Point each chunk (at most 3) at a guard-paged copy of its bytes. */
static void guard_chunks(mtasts_chunk *ch, size_t n) {
  assert_true(n <= 3);
  for (size_t i = 0; i < n; i++)
    if (ch[i].ptr != NULL)
      ch[i].ptr = guard_copy_slot(4 + (int)i, ch[i].ptr, ch[i].len);
}

/* 32 and 33 characters. */
#define ID32 "0123456789abcdefghijABCDEFGHIJ01"
#define NAME32 "abcdefghijklmnopqrstuvwxyz012345"

static const txt_row rows[] = {
    /* ---- valid ---- */
    OK_ROW("rfc_example", "v=STSv1; id=20160831085700Z;", S, "20160831085700Z", "", ""),
    OK_ROW("no_wsp", "v=STSv1;id=a", S, "a", "", ""),
    OK_ROW("R1_wsp_before_semicolon", "v=STSv1 ; id=a", S, "a", "", ""),
    OK_ROW("R1_tabs_around_delimiters", "v=STSv1\t;\tid=a\t;\t", S, "a", "", ""),
    OK_ROW("R1_wsp_before_semicolon_lenient", "v=STSv1 ;id=a", L, "a", "", ""),
    OK_ROW("final_delimiter_then_wsp", "v=STSv1; id=a;  ", S, "a", "", ""),
    OK_ROW("id_not_first_field", "v=STSv1; e=1; id=a", S, "a", "e=1", ""),
    OK_ROW("extension_kept", "v=STSv1; id=abc; ext=val", S, "abc", "ext=val", ""),
    OK_ROW("percent_s_id_is_case_sensitive", "v=STSv1; ID=x; id=y", S, "y", "ID=x", ""),
    OK_ROW("id_1_char", "v=STSv1; id=Z", S, "Z", "", ""),
    OK_ROW("id_32_chars", "v=STSv1; id=" ID32, S, ID32, "", ""),
    OK_ROW("R16_id_case_preserved", "v=STSv1; id=AbC09", S, "AbC09", "", ""),
    OK_ROW("value_boundaries_inside", "v=STSv1; id=a; a=!; b=:; c=<; d=>; e=~", S, "a",
           "a=! b=: c=< d=> e=~", ""),
    OK_ROW("value_every_visible_class", "v=STSv1; id=a; q=\"#$%&'()*+,-./09:<>?@AZ[\\]^_`az{|}~", S,
           "a", "q=\"#$%&'()*+,-./09:<>?@AZ[\\]^_`az{|}~", ""),
    OK_ROW("name_chars", "v=STSv1; id=a; 0_-.=x; A.b-c_d=1; 9=z", S, "a", "0_-.=x A.b-c_d=1 9=z",
           ""),
    OK_ROW("name_32_chars", "v=STSv1; id=a; " NAME32 "=1", S, "a", NAME32 "=1", ""),
    OK_ROW("R3_duplicate_id_first_wins", "v=STSv1; id=first; id=second", S, "first", "",
           "W_DUPLICATE_FIELD@19"),
    OK_ROW("R3_duplicate_id_first_wins_lenient", "v=STSv1; id=first; id=second", L, "first", "",
           "W_DUPLICATE_FIELD@19"),
    OK_ROW("R3_duplicate_id_only_needs_extension_grammar", "v=STSv1; id=a; id=bad-id", S, "a", "",
           "W_DUPLICATE_FIELD@15"),
    OK_ROW("R3_duplicate_version", "v=STSv1; id=a; v=STSv2", S, "a", "", "W_DUPLICATE_FIELD@15"),
    OK_ROW("R3_duplicate_extension", "v=STSv1; id=a; e=1; e=2", S, "a", "e=1",
           "W_DUPLICATE_FIELD@20"),
    OK_ROW("R3_extension_names_compared_exactly", "v=STSv1; id=a; e=1; E=2; e.=3", S, "a",
           "e=1 E=2 e.=3", ""),
    OK_ROW("R3_all_duplicates", "v=STSv1; e=1; id=a; e=2; id=b; v=x", S, "a", "e=1",
           "W_DUPLICATE_FIELD@20 W_DUPLICATE_FIELD@25 W_DUPLICATE_FIELD@31"),
    OK_ROW("lenient5_trailing_wsp", "v=STSv1; id=a ", L, "a", "", "W_TXT_TRAILING_WSP@13"),
    OK_ROW("lenient5_trailing_wsp_run", "v=STSv1; id=a; e=x \t", L, "a", "e=x",
           "W_TXT_TRAILING_WSP@18"),
    OK_ROW("lenient5_no_warning_after_delimiter", "v=STSv1; id=a; ", L, "a", "", ""),

    /* ---- size and argument-free errors ---- */
    ERR_ROW("empty", "", S, E_EMPTY, 0),

    /* ---- version ---- */
    ERR_ROW("version_v_only", "v", S, E_TXT_VERSION, 1),
    ERR_ROW("version_strict_prefix", "v=STS", S, E_TXT_VERSION, 5),
    ERR_ROW("version_upper_V", "V=STSv1; id=a", S, E_TXT_VERSION, 0),
    ERR_ROW("version_lower_sts", "v=stsv1; id=a", S, E_TXT_VERSION, 2),
    ERR_ROW("version_lower_sts_lenient", "v=stsv1; id=a", L, E_TXT_VERSION, 2),
    ERR_ROW("version_2", "v=STSv2; id=a", S, E_TXT_VERSION, 6),
    ERR_ROW("version_10", "v=STSv10; id=a", S, E_TXT_VERSION, 7),
    ERR_ROW("version_glued_to_field", "v=STSv1id=a", S, E_TXT_VERSION, 7),
    ERR_ROW("version_tlsrpt", "v=TLSRPTv1; id=a", S, E_TXT_VERSION, 2),
    ERR_ROW("leading_wsp", " v=STSv1; id=a", S, E_TXT_VERSION, 0),
    ERR_ROW("leading_wsp_lenient", " v=STSv1; id=a", L, E_TXT_VERSION, 0),
    ERR_ROW("nul_in_version", "v=ST\0v1; id=a", S, E_NUL, 4),
    ERR_ROW("nul_after_version", "v=STSv1\0; id=a", S, E_NUL, 7),

    /* ---- required id ---- */
    ERR_ROW("missing_id_version_only", "v=STSv1", S, E_TXT_MISSING_ID, 7),
    ERR_ROW("missing_id_final_delimiter", "v=STSv1;", S, E_TXT_MISSING_ID, 8),
    ERR_ROW("missing_id_final_delimiter_wsp", "v=STSv1; ", S, E_TXT_MISSING_ID, 9),
    ERR_ROW("missing_id_extension_only", "v=STSv1; e=1", S, E_TXT_MISSING_ID, 12),
    ERR_ROW("missing_id_upper_ID_is_an_extension", "v=STSv1; ID=x", S, E_TXT_MISSING_ID, 13),

    /* ---- delimiters ---- */
    ERR_ROW("expected_delimiter_after_version_wsp", "v=STSv1 x", S, E_TXT_EXPECTED_DELIM, 8),
    ERR_ROW("expected_delimiter_after_value", "v=STSv1; id=a b", S, E_TXT_EXPECTED_DELIM, 14),
    ERR_ROW("space_inside_value", "v=STSv1; id=a; e=a b", S, E_TXT_EXPECTED_DELIM, 19),
    ERR_ROW("nul_after_value_wsp", "v=STSv1; id=a \0", S, E_NUL, 14),
    ERR_ROW("empty_field", "v=STSv1;;", S, E_TXT_EMPTY_FIELD, 8),
    ERR_ROW("empty_field_before_id", "v=STSv1;; id=a", S, E_TXT_EMPTY_FIELD, 8),
    ERR_ROW("empty_field_wsp", "v=STSv1; id=a; ;", S, E_TXT_EMPTY_FIELD, 15),
    ERR_ROW("two_final_delimiters", "v=STSv1; id=a;;", S, E_TXT_EMPTY_FIELD, 14),
    ERR_ROW("lenient5_trailing_wsp_is_strict_error", "v=STSv1; id=a ", S, E_TXT_TRAILING_WSP, 13),
    ERR_ROW("lenient5_trailing_wsp_after_version_strict", "v=STSv1 ", S, E_TXT_TRAILING_WSP, 7),
    ROW("lenient5_trailing_wsp_after_version_lenient", "v=STSv1 ", L, E_TXT_MISSING_ID, 8, "", "",
        "W_TXT_TRAILING_WSP@7"),

    /* ---- names ---- */
    ERR_ROW("name_starts_with_underscore", "v=STSv1; _a=1; id=a", S, E_TXT_FIELD_NAME, 9),
    ERR_ROW("name_starts_with_hyphen", "v=STSv1; -a=1; id=a", S, E_TXT_FIELD_NAME, 9),
    ERR_ROW("name_starts_with_dot", "v=STSv1; .a=1; id=a", S, E_TXT_FIELD_NAME, 9),
    ERR_ROW("name_empty", "v=STSv1; =a; id=a", S, E_TXT_FIELD_NAME, 9),
    ERR_ROW("name_non_ascii", "v=STSv1; \x80=1; id=a", S, E_TXT_FIELD_NAME, 9),
    ERR_ROW("name_nul", "v=STSv1; \0=1; id=a", S, E_NUL, 9),
    ERR_ROW("name_33_chars", "v=STSv1; id=a; " NAME32 "6=1", S, E_TXT_FIELD_NAME, 47),
    ERR_ROW("name_then_end", "v=STSv1; id", S, E_TXT_EXPECTED_EQUALS, 11),
    ERR_ROW("name_space_before_equals", "v=STSv1; id =a", S, E_TXT_EXPECTED_EQUALS, 11),
    ERR_ROW("name_bad_char", "v=STSv1; a$=1; id=a", S, E_TXT_EXPECTED_EQUALS, 10),
    ERR_ROW("name_then_delimiter", "v=STSv1; a; id=a", S, E_TXT_EXPECTED_EQUALS, 10),
    ERR_ROW("name_then_nul", "v=STSv1; a\0", S, E_NUL, 10),

    /* ---- values ---- */
    ERR_ROW("id_value_empty_end", "v=STSv1; id=", S, E_TXT_VALUE_EMPTY, 12),
    ERR_ROW("id_value_empty_delimiter", "v=STSv1; id=;", S, E_TXT_VALUE_EMPTY, 12),
    ERR_ROW("id_value_leading_space", "v=STSv1; id= a", S, E_TXT_VALUE_EMPTY, 12),
    ERR_ROW("ext_value_empty", "v=STSv1; id=a; e=", S, E_TXT_VALUE_EMPTY, 17),
    ERR_ROW("ext_value_x20", "v=STSv1; id=a; e= x", S, E_TXT_VALUE_EMPTY, 17),
    ERR_ROW("ext_value_x3b_ends_value", "v=STSv1; id=a; e=a;b", S, E_TXT_EXPECTED_EQUALS, 20),
    ERR_ROW("ext_value_x3d", "v=STSv1; id=a; e==", S, E_TXT_VALUE_CHAR, 17),
    ERR_ROW("ext_value_x3d_inner", "v=STSv1; id=a; e=a=b", S, E_TXT_VALUE_CHAR, 18),
    ERR_ROW("ext_value_x7f", "v=STSv1; id=a; e=\x7f", S, E_TXT_VALUE_CHAR, 17),
    ERR_ROW("ext_value_x80", "v=STSv1; id=a; e=\x80", S, E_TXT_VALUE_CHAR, 17),
    ERR_ROW("ext_value_xff", "v=STSv1; id=a; e=\xff", S, E_TXT_VALUE_CHAR, 17),
    ERR_ROW("ext_value_x1f", "v=STSv1; id=a; e=\x1f", S, E_TXT_VALUE_CHAR, 17),
    ERR_ROW("ext_value_crlf", "v=STSv1; id=a; e=a\r\n", S, E_TXT_VALUE_CHAR, 18),
    ERR_ROW("ext_value_nul", "v=STSv1; id=a; e=\0", S, E_NUL, 17),
    ERR_ROW("ext_value_x80_lenient", "v=STSv1; id=a; e=\x80", L, E_TXT_VALUE_CHAR, 17),

    /* ---- id (R4) ---- */
    ERR_ROW("id_hyphen", "v=STSv1; id=bad-id", S, E_TXT_ID_CHAR, 15),
    ERR_ROW("R4_first_id_must_be_valid", "v=STSv1; id=bad-id; id=good", S, E_TXT_ID_CHAR, 15),
    ERR_ROW("R4_first_id_must_be_valid_lenient", "v=STSv1; id=bad-id; id=good", L, E_TXT_ID_CHAR,
            15),
    ERR_ROW("id_dot", "v=STSv1; id=a.b", S, E_TXT_ID_CHAR, 13),
    ERR_ROW("id_underscore", "v=STSv1; id=a_b", S, E_TXT_ID_CHAR, 13),
    ERR_ROW("id_bang", "v=STSv1; id=a!", S, E_TXT_ID_CHAR, 13),
    ERR_ROW("id_equals", "v=STSv1; id=a=b", S, E_TXT_ID_CHAR, 13),
    ERR_ROW("id_non_ascii", "v=STSv1; id=\x80", S, E_TXT_ID_CHAR, 12),
    ERR_ROW("id_nul", "v=STSv1; id=a\0", S, E_NUL, 13),
    ERR_ROW("id_33_chars", "v=STSv1; id=" ID32 "2", S, E_TXT_ID_TOO_LONG, 44),
    ERR_ROW("id_33rd_char_invalid", "v=STSv1; id=" ID32 "-", S, E_TXT_ID_CHAR, 44),
    ERR_ROW("R4_first_id_too_long_then_valid", "v=STSv1; id=" ID32 "2; id=good", S,
            E_TXT_ID_TOO_LONG, 44),

    /* ---- R3: an ignored duplicate must still be grammatical ---- */
    ERR_ROW("R3_duplicate_id_bad_value", "v=STSv1; id=a; id=b=c", S, E_TXT_VALUE_CHAR, 19),
    ERR_ROW("R3_duplicate_id_empty", "v=STSv1; id=a; id=", S, E_TXT_VALUE_EMPTY, 18),
    ERR_ROW("R3_duplicate_version_empty", "v=STSv1; id=a; v=", S, E_TXT_VALUE_EMPTY, 17),
    ERR_ROW("R3_duplicate_extension_bad_value", "v=STSv1; id=a; e=1; e=\x80", S, E_TXT_VALUE_CHAR,
            22),
    ERR_ROW("R3_duplicate_extension_bad_value_lenient", "v=STSv1; id=a; e=1; e=\x80", L,
            E_TXT_VALUE_CHAR, 22),
};

#define NROWS (sizeof rows / sizeof rows[0])

/* ------------------------------------------------------------------ */
/* Rendering a result as strings, for comparison and messages          */
/* ------------------------------------------------------------------ */

typedef struct snap {
  mtasts_code code;
  size_t off;
  char id[64];
  char exts[16384];
  char warns[1024];
} snap;

static void append(char *buf, size_t cap, const char *s, size_t n) {
  size_t have = strlen(buf);
  if (have + n + 1 > cap)
    fail_msg("render buffer too small");
  memcpy(buf + have, s, n);
  buf[have + n] = '\0';
}

static void append_span(char *buf, size_t cap, const mtasts_txt *t, mtasts_span s) {
  char tmp[4096];
  size_t n = mtasts_txt_copy(t, s, tmp, sizeof tmp);
  assert_int_equal(n, s.len);
  append(buf, cap, tmp, n);
}

static void render_warns(char *buf, size_t cap, const mtasts_diags *w) {
  buf[0] = '\0';
  for (size_t i = 0; i < w->count && i < w->cap; i++) {
    char one[64];
    int n = snprintf(one, sizeof one, "%s%s@%zu", i ? " " : "", mtasts_errname(w->items[i].code),
                     w->items[i].offset);
    append(buf, cap, one, (size_t)n);
  }
}

static void take_snap(snap *s, mtasts_code code, const mtasts_txt *t, const mtasts_diags *w) {
  s->code = code;
  s->off = t->err_offset;
  s->id[0] = s->exts[0] = '\0';
  append_span(s->id, sizeof s->id, t, t->id);
  for (size_t i = 0; i < t->ext_count; i++) {
    if (i > 0)
      append(s->exts, sizeof s->exts, " ", 1);
    append_span(s->exts, sizeof s->exts, t, t->ext[i].name);
    append(s->exts, sizeof s->exts, "=", 1);
    append_span(s->exts, sizeof s->exts, t, t->ext[i].value);
  }
  render_warns(s->warns, sizeof s->warns, w);
}

static void assert_snap_equal(const char *name, const snap *got, const snap *want) {
  assert_code_at(name, got->code, got->off, want->code, want->off);
  if (strcmp(got->id, want->id) != 0 || strcmp(got->exts, want->exts) != 0 ||
      strcmp(got->warns, want->warns) != 0)
    fail_msg("%s: got id=[%s] exts=[%s] warns=[%s], want id=[%s] exts=[%s] warns=[%s]", name,
             got->id, got->exts, got->warns, want->id, want->exts, want->warns);
}

/* A failed parse leaves nothing but err_offset and the storage, and no
 * span in the caller's array either. */
static void assert_cleared(const char *name, const mtasts_txt *t) {
  mtasts_txt zero;
  memset(&zero, 0, sizeof zero);
  zero.ext = t->ext;
  zero.ext_cap = t->ext_cap;
  zero.err_offset = t->err_offset;
  if (memcmp(&zero, t, sizeof zero) != 0)
    fail_msg("%s: failed parse left data in the result", name);
  static const mtasts_ext blank;
  for (size_t i = 0; i < t->ext_cap; i++)
    if (memcmp(&t->ext[i], &blank, sizeof blank) != 0)
      fail_msg("%s: failed parse left ext[%zu] in the caller's array", name, i);
}

/* Storage for every extension, set in a poisoned result: the poisoned
 * ext_count says an earlier call may have filled the whole array. */
static void set_storage(mtasts_txt *t, mtasts_ext *ext) {
  t->ext = ext;
  t->ext_cap = MTASTS_MAX_EXTENSIONS;
}

/* Parse with options {prof, 0, diags of capacity 8}; everything poisoned. */
typedef struct run {
  mtasts_txt t;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_diag items[8];
  mtasts_diags w;
  mtasts_options opt;
  mtasts_code code;
  const char *in; /* the guard-paged input of run_joined */
} run;

static void run_setup(run *r, mtasts_profile prof) {
  poison(r, sizeof *r);
  set_storage(&r->t, r->ext);
  r->w.items = r->items;
  r->w.cap = 8;
  r->opt.profile = prof;
  r->opt.flags = 0;
  r->opt.warnings = &r->w;
}

static void run_joined(run *r, const char *in, size_t len, mtasts_profile prof) {
  run_setup(r, prof);
  r->in = guard_copy(in, len);
  r->code = mtasts_txt_parse(r->in, len, &r->opt, &r->t);
}

/* Each span of a strings parse: ptr into the chunk that holds its first
 * byte when it fits there, NULL when it straddles. */
static void check_span_home(const char *name, mtasts_span s, const mtasts_chunk *ch, size_t n) {
  size_t start = 0;
  for (size_t k = 0; k < n; start += ch[k].len, k++) {
    if (s.off >= start + ch[k].len)
      continue;
    const char *want = s.off + s.len <= start + ch[k].len ? ch[k].ptr + (s.off - start) : NULL;
    if (s.ptr != want)
      fail_msg("%s: span at %zu+%zu has the wrong ptr", name, s.off, s.len);
    return;
  }
  fail_msg("%s: span at %zu outside the record", name, s.off);
}

static void check_spans_home(const char *name, const mtasts_txt *t, const mtasts_chunk *ch,
                             size_t n) {
  if (t->id.len > 0)
    check_span_home(name, t->id, ch, n);
  for (size_t i = 0; i < t->ext_count; i++) {
    check_span_home(name, t->ext[i].name, ch, n);
    check_span_home(name, t->ext[i].value, ch, n);
  }
}

/* The record cut at a and b (a <= b), each piece guard-paged. */
static void run_split3(run *r, const char *in, size_t len, size_t a, size_t b, mtasts_profile prof,
                       mtasts_chunk ch[3]) {
  run_setup(r, prof);
  ch[0].ptr = guard_copy_slot(1, in, a);
  ch[0].len = a;
  ch[1].ptr = guard_copy_slot(2, in + a, b - a);
  ch[1].len = b - a;
  ch[2].ptr = guard_copy_slot(3, in + b, len - b);
  ch[2].len = len - b;
  r->code = mtasts_txt_parse_strings(ch, 3, &r->opt, &r->t);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

static void row_expectation(const txt_row *row, snap *want) {
  want->code = row->code;
  want->off = row->off;
  snprintf(want->id, sizeof want->id, "%s", row->id);
  snprintf(want->exts, sizeof want->exts, "%s", row->exts);
  snprintf(want->warns, sizeof want->warns, "%s", row->warns);
}

static void test_table_joined(void **state) {
  (void)state;
  for (size_t i = 0; i < NROWS; i++) {
    const txt_row *row = &rows[i];
    run r;
    snap got, want;
    run_joined(&r, row->in, row->len, row->prof);
    take_snap(&got, r.code, &r.t, &r.w);
    row_expectation(row, &want);
    assert_snap_equal(row->name, &got, &want);
    if (r.code != MTASTS_OK) {
      assert_cleared(row->name, &r.t);
      continue;
    }
    /* A joined parse: every span points into the input, the source is recorded. */
    mtasts_chunk one = {r.in, row->len};
    check_spans_home(row->name, &r.t, &one, 1);
    assert_ptr_equal(r.t.src_joined, r.in);
    assert_null(r.t.src_strings);
    assert_int_equal(r.t.src_count, 0);
    assert_int_equal(r.t.src_len, row->len);
  }
}

/* parse_strings: every cut into 2 and 3 strings (empty ones included) gives
 * the joined result, down to the bytes of every field. */
static void test_table_split_every_position(void **state) {
  (void)state;
  for (size_t i = 0; i < NROWS; i++) {
    const txt_row *row = &rows[i];
    run r;
    snap want, got;
    row_expectation(row, &want);
    for (size_t a = 0; a <= row->len; a++) {
      for (size_t b = a; b <= row->len; b++) {
        mtasts_chunk ch[3];
        char name[160];
        snprintf(name, sizeof name, "%s split %zu,%zu", row->name, a, b);
        run_split3(&r, row->in, row->len, a, b, row->prof, ch);
        take_snap(&got, r.code, &r.t, &r.w);
        assert_snap_equal(name, &got, &want);
        if (r.code != MTASTS_OK) {
          assert_cleared(name, &r.t);
          continue;
        }
        check_spans_home(name, &r.t, ch, 3);
        assert_ptr_equal(r.t.src_strings, ch);
        assert_int_equal(r.t.src_count, 3);
        assert_null(r.t.src_joined);
        /* Two strings: the same cut without the middle piece. */
        if (b == a) {
          mtasts_chunk two[2] = {ch[0], ch[2]};
          run_setup(&r, row->prof);
          r.code = mtasts_txt_parse_strings(two, 2, &r.opt, &r.t);
          take_snap(&got, r.code, &r.t, &r.w);
          assert_snap_equal(name, &got, &want);
          check_spans_home(name, &r.t, two, 2);
        }
      }
    }
  }
}

/* One character-string per byte: every span longer than 1 straddles. */
static void test_one_string_per_byte(void **state) {
  (void)state;
  static const char rec[] = "v=STSv1; id=abc; e=xy; f=z";
  size_t len = sizeof rec - 1;
  mtasts_chunk ch[sizeof rec - 1];
  const char *g = guard_copy(rec, len);
  for (size_t i = 0; i < len; i++) {
    ch[i].ptr = g + i;
    ch[i].len = 1;
  }
  run r;
  run_setup(&r, S);
  r.code = mtasts_txt_parse_strings(ch, len, &r.opt, &r.t);
  assert_int_equal(r.code, MTASTS_OK);
  assert_null(r.t.id.ptr);
  assert_int_equal(r.t.id.off, 12);
  assert_int_equal(r.t.id.len, 3);
  assert_ptr_equal(r.t.ext[1].value.ptr, g + 25); /* "z" fits in its string */
  snap got;
  take_snap(&got, r.code, &r.t, &r.w);
  assert_string_equal(got.id, "abc");
  assert_string_equal(got.exts, "e=xy f=z");
}

/* ------------------------------------------------------------------ */
/* Truncation sweep                                                    */
/* ------------------------------------------------------------------ */

static bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

/*
 * The result of parsing the first n bytes of a valid record p, by rule:
 *  - n == 0: E_EMPTY@0; inside "v=STSv1": E_TXT_VERSION@n;
 *  - ending inside a field name: E_TXT_EXPECTED_EQUALS@n;
 *  - ending right after "=": E_TXT_VALUE_EMPTY@n;
 *  - ending in a WSP run not yet followed by ";": strict
 *    E_TXT_TRAILING_WSP at the run's start, lenient as at the end;
 *  - otherwise (after a value, or after ";" and WSP): valid if an id value
 *    has begun, else E_TXT_MISSING_ID@n.
 * A prefix of a valid value is valid, so no other outcome exists.
 */
static void expect_prefix(const char *p, size_t n, mtasts_profile prof, mtasts_code *code,
                          size_t *off) {
  size_t i = 7;
  bool seen_id = false;
  *off = n;
  if (n == 0) {
    *code = MTASTS_E_EMPTY;
    *off = 0;
    return;
  }
  if (n < 7) {
    *code = MTASTS_E_TXT_VERSION;
    return;
  }
  for (;;) {
    size_t ws = i;
    while (i < n && is_wsp(p[i]))
      i++;
    if (i == n) {
      if (ws < n && prof == S) {
        *code = MTASTS_E_TXT_TRAILING_WSP;
        *off = ws;
        return;
      }
      break;
    }
    i++; /* the ";" */
    while (i < n && is_wsp(p[i]))
      i++;
    if (i == n)
      break;
    size_t name = i;
    while (i < n && p[i] != '=')
      i++;
    if (i == n) {
      *code = MTASTS_E_TXT_EXPECTED_EQUALS;
      return;
    }
    bool is_id = i - name == 2 && memcmp(p + name, "id", 2) == 0;
    size_t value = ++i;
    while (i < n && !is_wsp(p[i]) && p[i] != ';')
      i++;
    if (i == value) {
      *code = MTASTS_E_TXT_VALUE_EMPTY;
      return;
    }
    seen_id = seen_id || is_id;
  }
  *code = seen_id ? MTASTS_OK : MTASTS_E_TXT_MISSING_ID;
  *off = seen_id ? 0 : n;
}

static void sweep_prefixes(const char *name, const char *rec, size_t len, mtasts_profile prof) {
  for (size_t n = 0; n < len; n++) {
    run r;
    mtasts_code want;
    size_t want_off;
    char label[160];
    snprintf(label, sizeof label, "%s prefix %zu [%s]", name, n, show(rec, n));
    run_joined(&r, rec, n, prof);
    expect_prefix(rec, n, prof, &want, &want_off);
    assert_code_at(label, r.code, r.t.err_offset, want, want_off);
  }
}

static void test_truncation_sweep(void **state) {
  (void)state;
  size_t swept = 0;
  for (size_t i = 0; i < NROWS; i++) {
    if (rows[i].code != MTASTS_OK)
      continue;
    sweep_prefixes(rows[i].name, rows[i].in, rows[i].len, rows[i].prof);
    swept++;
  }
  assert_true(swept >= 20);
}

/* ------------------------------------------------------------------ */
/* Limits built in code                                                */
/* ------------------------------------------------------------------ */

/* "v=STSv1; id=a" then `n` extensions "; e<i>=<i>". */
static size_t build_extensions(char *buf, size_t cap, size_t n) {
  size_t len = (size_t)snprintf(buf, cap, "v=STSv1; id=a");
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(buf + len, cap - len, "; e%zu=%zu", i, i);
  return len;
}

static void test_32_extensions_kept_33rd_fails(void **state) {
  (void)state;
  char buf[1024];
  run r;
  size_t len = build_extensions(buf, sizeof buf, MTASTS_MAX_EXTENSIONS);
  run_joined(&r, buf, len, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.ext_count, MTASTS_MAX_EXTENSIONS);
  /* The 33rd distinct extension: error at its first byte. */
  size_t at = len + 2;
  len = build_extensions(buf, sizeof buf, MTASTS_MAX_EXTENSIONS + 1);
  run_joined(&r, buf, len, S);
  assert_code_at("33 extensions", r.code, r.t.err_offset, MTASTS_E_TOO_MANY_EXTENSIONS, at);
  assert_cleared("33 extensions", &r.t);
  run_joined(&r, buf, len, L);
  assert_code_at("33 extensions lenient", r.code, r.t.err_offset, MTASTS_E_TOO_MANY_EXTENSIONS, at);
}

static void test_R3_duplicates_do_not_count_toward_extension_limit(void **state) {
  (void)state;
  char buf[1024];
  run r;
  size_t len = build_extensions(buf, sizeof buf, MTASTS_MAX_EXTENSIONS);
  len += (size_t)snprintf(buf + len, sizeof buf - len, "; e0=x; e31=y; id=b; v=c");
  run_joined(&r, buf, len, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.ext_count, MTASTS_MAX_EXTENSIONS);
  assert_int_equal(r.w.count, 4);
}

static void test_33rd_extension_grammar_checked_first(void **state) {
  (void)state;
  char buf[1024];
  run r;
  size_t len = build_extensions(buf, sizeof buf, MTASTS_MAX_EXTENSIONS);
  len += (size_t)snprintf(buf + len, sizeof buf - len, "; x=a=b");
  run_joined(&r, buf, len, S);
  assert_code_at("33rd ext bad", r.code, r.t.err_offset, MTASTS_E_TXT_VALUE_CHAR, len - 2);
}

/* E_NUL replaces a code only when the byte at the error offset is NUL:
 * a 33rd id or name character is reported at itself, one byte behind the
 * reading position, even when a NUL follows it. */
static void test_nul_after_an_error_behind_the_cursor(void **state) {
  (void)state;
  run r;
  static const char id33[] = "v=STSv1; id="
                             "abcdefghij"
                             "abcdefghij"
                             "abcdefghij"
                             "abc"
                             "\0";
  run_joined(&r, G(id33), S);
  assert_code_at("id of 33 then NUL", r.code, r.t.err_offset, MTASTS_E_TXT_ID_TOO_LONG, 12 + 32);
  static const char name33[] = "v=STSv1; id=a; "
                               "abcdefghij"
                               "abcdefghij"
                               "abcdefghij"
                               "abc"
                               "\0=1";
  run_joined(&r, G(name33), S);
  assert_code_at("name of 33 then NUL", r.code, r.t.err_offset, MTASTS_E_TXT_FIELD_NAME, 15 + 32);
}

/* "v=STSv1; id=a; x=" padded with "y" to exactly `len` bytes. */
static char *build_sized(size_t len) {
  char *buf = malloc(len);
  assert_non_null(buf);
  memcpy(buf, "v=STSv1; id=a; x=", 17);
  memset(buf + 17, 'y', len - 17);
  return buf;
}

static void test_R18_txt_size_limit(void **state) {
  (void)state;
  char *buf = build_sized(MTASTS_TXT_MAX_SIZE + 1);
  run r;
  run_joined(&r, buf, MTASTS_TXT_MAX_SIZE, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.ext[0].value.len, MTASTS_TXT_MAX_SIZE - 17);
  run_joined(&r, buf, MTASTS_TXT_MAX_SIZE + 1, S);
  assert_code_at("4097", r.code, r.t.err_offset, MTASTS_E_TXT_TOO_LARGE, MTASTS_TXT_MAX_SIZE);
  assert_cleared("4097", &r.t);
  /* The size is decided from the length alone: no E_NUL for a NUL there. */
  buf[MTASTS_TXT_MAX_SIZE] = '\0';
  run_joined(&r, buf, MTASTS_TXT_MAX_SIZE + 1, L);
  assert_code_at("4097 nul", r.code, r.t.err_offset, MTASTS_E_TXT_TOO_LARGE, MTASTS_TXT_MAX_SIZE);

  /* Strings: the limit is on the joined length. 8 strings of 512, then
   * the last one a byte longer. */
  buf[MTASTS_TXT_MAX_SIZE] = 'y';
  mtasts_chunk ch[8];
  for (size_t extra = 0; extra < 2; extra++) {
    for (size_t i = 0; i < 8; i++) {
      ch[i].len = 512 + (i == 7 ? extra : 0);
      ch[i].ptr = guard_copy_slot((int)i, buf + i * 512, ch[i].len);
    }
    run_setup(&r, S);
    r.code = mtasts_txt_parse_strings(ch, 8, &r.opt, &r.t);
    if (extra == 0) {
      assert_int_equal(r.code, MTASTS_OK);
      assert_int_equal(r.t.src_len, MTASTS_TXT_MAX_SIZE);
      assert_int_equal(r.t.ext[0].value.off, 17);
      assert_null(r.t.ext[0].value.ptr); /* it straddles all 8 */
    } else {
      assert_code_at("8 strings, 4097", r.code, r.t.err_offset, MTASTS_E_TXT_TOO_LARGE,
                     MTASTS_TXT_MAX_SIZE);
    }
  }

  /* Lengths that would wrap a size_t sum are never read. */
  mtasts_chunk huge[3] = {{buf, SIZE_MAX / 2 + 1}, {buf, SIZE_MAX / 2 + 1}, {buf, 2}};
  run_setup(&r, S);
  r.code = mtasts_txt_parse_strings(huge, 3, &r.opt, &r.t);
  assert_code_at("wrap", r.code, r.t.err_offset, MTASTS_E_TXT_TOO_LARGE, MTASTS_TXT_MAX_SIZE);
  free(buf);
}

static void test_R16_ids_compare_byte_for_byte(void **state) {
  (void)state;
  run a, b;
  char ida[8], idb[8];
  run_joined(&a, "v=STSv1; id=abc", 15, S);
  assert_int_equal(mtasts_txt_copy(&a.t, a.t.id, ida, sizeof ida), 3);
  run_joined(&b, "v=STSv1; id=ABC", 15, S);
  assert_int_equal(mtasts_txt_copy(&b.t, b.t.id, idb, sizeof idb), 3);
  assert_int_equal(a.code, MTASTS_OK);
  assert_int_equal(b.code, MTASTS_OK);
  assert_memory_not_equal(ida, idb, 3); /* no case folding: "abc" is not "ABC" */
  assert_memory_equal(ida, "abc", 3);
  assert_memory_equal(idb, "ABC", 3);
}

/* ------------------------------------------------------------------ */
/* Arguments, options, warnings                                        */
/* ------------------------------------------------------------------ */

static void test_arguments(void **state) {
  (void)state;
  run r;
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse(NULL, 1, &r.opt, &r.t), MTASTS_E_ARGUMENT);
  assert_cleared("NULL record", &r.t);
  assert_int_equal(r.t.err_offset, 0);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a"), &r.opt, NULL), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse(NULL, 0, &r.opt, &r.t), MTASTS_E_EMPTY);
  assert_int_equal(r.t.err_offset, 0);
  assert_int_equal(r.w.count, 0);
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse_strings(NULL, 1, &r.opt, &r.t), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse_strings(NULL, 0, &r.opt, &r.t), MTASTS_E_EMPTY);
  mtasts_chunk bad[2] = {{"v=STSv1; id=a", 13}, {NULL, 1}};
  guard_chunks(bad, 2);
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse_strings(bad, 2, &r.opt, &r.t), MTASTS_E_ARGUMENT);
  assert_cleared("NULL chunk", &r.t);
  /* A NULL chunk of length 0 is an empty string. */
  mtasts_chunk empty_ok[3] = {{NULL, 0}, {"v=STSv1; id=a", 13}, {NULL, 0}};
  guard_chunks(empty_ok, 3);
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse_strings(empty_ok, 3, &r.opt, &r.t), MTASTS_OK);
  mtasts_chunk none[2] = {{NULL, 0}, {"", 0}};
  guard_chunks(none, 2);
  run_setup(&r, S);
  assert_int_equal(mtasts_txt_parse_strings(none, 2, &r.opt, &r.t), MTASTS_E_EMPTY);
}

static void test_bad_options(void **state) {
  (void)state;
  run r;
  run_setup(&r, S);
  r.opt.profile = (mtasts_profile)2;
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a"), &r.opt, &r.t), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  r.opt.flags = 0x2;
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a"), &r.opt, &r.t), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  r.w.items = NULL; /* cap 8 */
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a"), &r.opt, &r.t), MTASTS_E_ARGUMENT);
  /* The known flag is accepted (and means nothing to a single record). */
  run_setup(&r, S);
  r.opt.flags = MTASTS_OPT_LITERAL_PREFIX;
  assert_int_equal(mtasts_txt_parse(G("v=STSv1 ; id=a"), &r.opt, &r.t), MTASTS_OK);
  /* NULL options: strict, no warnings. */
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  poison(&t, sizeof t);
  set_storage(&t, t_ext);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a "), NULL, &t), MTASTS_E_TXT_TRAILING_WSP);
  assert_int_equal(t.err_offset, 13);
  poison(&t, sizeof t);
  set_storage(&t, t_ext);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a; id=b"), NULL, &t), MTASTS_OK);
  /* Options without a warnings array. */
  mtasts_options quiet = {L, 0, NULL};
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a; id=b "), &quiet, &t), MTASTS_OK);
}

static void test_warnings_capacity(void **state) {
  (void)state;
  static const char rec[] = "v=STSv1; id=a; id=b; id=c; v=d ";
  mtasts_diag items[3];
  mtasts_diags w = {items, 1, 99};
  mtasts_options opt = {L, 0, &w};
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  poison(items, sizeof items);
  poison(&t, sizeof t);
  set_storage(&t, t_ext);
  assert_int_equal(mtasts_txt_parse(G(rec), &opt, &t), MTASTS_OK);
  assert_int_equal(w.count, 4); /* all counted */
  assert_int_equal(items[0].code, MTASTS_W_DUPLICATE_FIELD);
  assert_int_equal(items[0].offset, 15);
  unsigned char poisoned[sizeof items[1]];
  poison(poisoned, sizeof poisoned);
  assert_memory_equal(&items[1], poisoned, sizeof poisoned); /* only cap stored */
  /* Counting only. */
  mtasts_diags count_only = {NULL, 0, 7};
  opt.warnings = &count_only;
  assert_int_equal(mtasts_txt_parse(G(rec), &opt, &t), MTASTS_OK);
  assert_int_equal(count_only.count, 4);
  /* On failure the count reflects what came before the error. */
  static const char bad[] = "v=STSv1; id=a; id=b; id=c=";
  assert_int_equal(mtasts_txt_parse(G(bad), &opt, &t), MTASTS_E_TXT_VALUE_CHAR);
  assert_int_equal(count_only.count, 1);
  assert_int_equal(t.err_offset, 25);
}

/* Extensions go to the caller's array as mx patterns do (the mx model): a
 * sizing pass, a short array, the retry; the capacity error only for an
 * otherwise valid record, at the first extension that did not fit. */
static void test_ext_capacity(void **state) {
  (void)state;
  static const char rec[] = "v=STSv1; id=a; x=1; y=2; x=3; z=4";
  mtasts_txt t;
  mtasts_txt_init(&t, NULL, 0);
  assert_int_equal(mtasts_txt_parse(G(rec), NULL, &t), MTASTS_E_EXT_CAPACITY);
  assert_int_equal(t.err_offset, 15);
  assert_int_equal(t.ext_needed, 3); /* the duplicate x does not count */
  assert_int_equal(t.ext_count, 0);
  assert_int_equal(t.id.len, 0);
  mtasts_ext ext[3] = {0};
  mtasts_txt_init(&t, ext, 2);
  assert_int_equal(mtasts_txt_parse(G(rec), NULL, &t), MTASTS_E_EXT_CAPACITY);
  assert_int_equal(t.err_offset, 30);
  assert_int_equal(t.ext_needed, 3);
  assert_int_equal(t.ext_count, 0);
  assert_int_equal(ext[0].name.len, 0); /* no span of a failed parse */
  assert_int_equal(ext[1].value.len, 0);
  mtasts_txt_init(&t, ext, t.ext_needed);
  assert_int_equal(mtasts_txt_parse(G(rec), NULL, &t), MTASTS_OK);
  assert_int_equal(t.ext_count, 3);
  assert_int_equal(t.ext_needed, 3);
  assert_int_equal(t.ext[2].name.off, 30);
  /* A record without extensions needs no array. */
  mtasts_txt_init(&t, NULL, 0);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a"), NULL, &t), MTASTS_OK);
  assert_int_equal(t.ext_needed, 0);
  /* Any other error comes first, wherever it is, and keeps no count. */
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; x=1; id=a;;"), NULL, &t), MTASTS_E_TXT_EMPTY_FIELD);
  assert_int_equal(t.err_offset, 19);
  assert_int_equal(t.ext_needed, 0);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; x=1"), NULL, &t), MTASTS_E_TXT_MISSING_ID);
  /* E_TOO_MANY_EXTENSIONS is the record's, whatever the array. */
  char buf[1024];
  size_t len = build_extensions(buf, sizeof buf, MTASTS_MAX_EXTENSIONS + 1);
  assert_int_equal(mtasts_txt_parse(guard_copy(buf, len), len, NULL, &t),
                   MTASTS_E_TOO_MANY_EXTENSIONS);
  /* An array NULL with a capacity is refused. */
  mtasts_txt_init(&t, NULL, 1);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a"), NULL, &t), MTASTS_E_ARGUMENT);
  assert_int_equal(t.ext_cap, 1);
  mtasts_txt_init(NULL, ext, 1); /* nothing to do */
}

/* mtasts_txt_init leaves the result as its contract says (mtasts.h):
 * zeroed, the storage set, whatever the memory held. */
static void test_init_zeroes_all_but_storage(void **state) {
  (void)state;
  mtasts_txt t, want;
  mtasts_ext ext[2];
  poison(&t, sizeof t);
  mtasts_txt_init(&t, ext, 2);
  memset(&want, 0, sizeof want);
  want.ext = ext;
  want.ext_cap = 2;
  assert_memory_equal(&t, &want, sizeof t);
}

static void test_failure_clears_earlier_result(void **state) {
  (void)state;
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a; e=1"), NULL, &t), MTASTS_OK);
  assert_int_equal(t.ext_count, 1);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=a; e=1;;"), NULL, &t), MTASTS_E_TXT_EMPTY_FIELD);
  assert_cleared("reuse", &t);
  assert_int_equal(t.err_offset, 19);
}

/* ------------------------------------------------------------------ */
/* mtasts_txt_copy                                                      */
/* ------------------------------------------------------------------ */

static void test_copy(void **state) {
  (void)state;
  mtasts_chunk ch[2] = {{"v=STSv1; id=ab", 14}, {"cd; e=1", 7}};
  guard_chunks(ch, 2);
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  char out[8];
  assert_int_equal(mtasts_txt_parse_strings(ch, 2, NULL, &t), MTASTS_OK);
  assert_null(t.id.ptr);
  /* Partial copy: min(len, cap) bytes, the full length returned, nothing after. */
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_copy(&t, t.id, out, 3), 4);
  assert_memory_equal(out, "abc", 3);
  assert_int_equal((unsigned char)out[3], 0xA5);
  assert_int_equal(mtasts_txt_copy(&t, t.id, NULL, 0), 4);
  assert_int_equal(mtasts_txt_copy(&t, t.id, out, 0), 4);
  assert_int_equal((unsigned char)out[0], 'a');
  /* Spans with a pointer need no source. */
  assert_int_equal(mtasts_txt_copy(NULL, t.ext[0].value, out, sizeof out), 1);
  assert_int_equal(out[0], '1');
  /* A straddling span without its source cannot be gathered: 0, nothing copied. */
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_copy(NULL, t.id, out, sizeof out), 0);
  assert_int_equal((unsigned char)out[0], 0xA5);
  mtasts_span outside = {NULL, 4, 20};
  assert_int_equal(mtasts_txt_copy(&t, outside, out, sizeof out), 0);
  assert_int_equal((unsigned char)out[0], 0xA5);
  mtasts_span unset = {NULL, 0, 0};
  assert_int_equal(mtasts_txt_copy(&t, unset, out, sizeof out), 0);
  /* A pointerless span over a joined source is gathered from src_joined. */
  mtasts_txt j;
  mtasts_ext j_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&j, j_ext, MTASTS_MAX_EXTENSIONS);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=xyz"), NULL, &j), MTASTS_OK);
  mtasts_span by_off = {NULL, 3, 12};
  assert_int_equal(mtasts_txt_copy(&j, by_off, out, sizeof out), 3);
  assert_memory_equal(out, "xyz", 3);
  j.src_joined = NULL;
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_copy(&j, by_off, out, sizeof out), 0);
  assert_int_equal((unsigned char)out[0], 0xA5);
  /* A source with a NULL string of non-zero length is refused. */
  mtasts_chunk broken[2] = {{NULL, 14}, {"cd; e=1", 7}};
  t.src_strings = broken;
  assert_int_equal(mtasts_txt_copy(&t, t.id, out, sizeof out), 0);
  assert_int_equal((unsigned char)out[0], 0xA5);
  mtasts_chunk broken1[2] = {{NULL, 1}, {"cd; e=1", 7}};
  t.src_strings = broken1;
  mtasts_span inside = {NULL, 2, 0}; /* within the 8 octets the two claim */
  assert_int_equal(mtasts_txt_copy(&t, inside, out, sizeof out), 0);
  assert_int_equal((unsigned char)out[0], 0xA5);
}

/* A pointerless span is gathered only when it lies inside the record:
 * from its last byte, not one byte further, in both kinds of source. */
static void test_copy_span_bounds(void **state) {
  (void)state;
  char out[8];
  mtasts_txt j;
  mtasts_ext j_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&j, j_ext, MTASTS_MAX_EXTENSIONS);
  assert_int_equal(mtasts_txt_parse(G("v=STSv1; id=xyz"), NULL, &j), MTASTS_OK);
  static const struct {
    size_t off, len, want;
  } spans[] = {{14, 1, 1}, {12, 3, 3}, {0, 15, 15}, {15, 1, 0}, {14, 2, 0}, {0, 16, 0}, {16, 0, 0}};
  for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
    mtasts_span s = {NULL, spans[i].len, spans[i].off};
    poison(out, sizeof out);
    poison_stack(); /* a read past the copy's one-chunk view would find non-zero bytes */
    if (mtasts_txt_copy(&j, s, out, 1) != spans[i].want)
      fail_msg("joined span %zu+%zu: want %zu", s.off, s.len, spans[i].want);
    if (spans[i].want == 0)
      assert_int_equal((unsigned char)out[0], 0xA5);
    else
      assert_int_equal(out[0], "v=STSv1; id=xyz"[s.off]);
  }
  mtasts_chunk ch[2] = {{"v=STSv1; id=", 12}, {"xyz", 3}};
  guard_chunks(ch, 2);
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  assert_int_equal(mtasts_txt_parse_strings(ch, 2, NULL, &t), MTASTS_OK);
  for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
    mtasts_span s = {NULL, spans[i].len, spans[i].off};
    poison(out, sizeof out);
    if (mtasts_txt_copy(&t, s, out, 1) != spans[i].want)
      fail_msg("split span %zu+%zu: want %zu", s.off, s.len, spans[i].want);
  }
}

/* ------------------------------------------------------------------ */
/* RRset selection                                                     */
/* ------------------------------------------------------------------ */

#define STR(s)                                                                                     \
  { s, sizeof(s) - 1 }

static const mtasts_chunk spf[] = {STR("v=spf1 -all")};
static const mtasts_chunk sts_a[] = {STR("v=STSv1; id=a")};
static const mtasts_chunk sts_b[] = {STR("v=STSv1;id=b")};
static const mtasts_chunk sts_wsp[] = {STR("v=STSv1 ; id=w")};
static const mtasts_chunk sts_upper[] = {STR("V=STSv1; id=u")};
static const mtasts_chunk sts_split[] = {STR("v=ST"), STR("Sv1; id=1")};
static const mtasts_chunk sts_bare[] = {STR("v=STSv1")};
static const mtasts_chunk sts_bad[] = {STR("v=STSv1; id=bad-id")};
static const mtasts_chunk empty_string[] = {STR("")};

typedef struct sel_run {
  mtasts_rrset_result sel;
  mtasts_txt t;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_diag items[4];
  mtasts_diags w;
  mtasts_options opt;
  mtasts_code code;
  mtasts_rr rrs[4];        /* the RRs as passed, */
  mtasts_chunk strings[8]; /* every string guard-paged */
} sel_run;

static void select_rrs(sel_run *r, const mtasts_rr *rrs, size_t n, uint32_t flags) {
  poison(r, sizeof *r);
  set_storage(&r->t, r->ext);
  r->w.items = r->items;
  r->w.cap = 4;
  r->opt.profile = S;
  r->opt.flags = flags;
  r->opt.warnings = &r->w;
  size_t slot = 0;
  for (size_t i = 0; rrs != NULL && i < n; i++) {
    assert_true(i < 4 && slot + rrs[i].count <= 8);
    r->rrs[i].strings = rrs[i].strings != NULL ? &r->strings[slot] : NULL;
    r->rrs[i].count = rrs[i].count;
    for (size_t k = 0; rrs[i].strings != NULL && k < rrs[i].count; k++, slot++) {
      const mtasts_chunk *c = &rrs[i].strings[k];
      r->strings[slot].len = c->len;
      r->strings[slot].ptr = c->ptr != NULL ? guard_copy_slot((int)slot, c->ptr, c->len) : NULL;
    }
  }
  r->code = mtasts_txt_select(rrs != NULL ? r->rrs : NULL, n, &r->opt, &r->sel, &r->t);
}

static void assert_selected(const char *name, const sel_run *r, size_t index, const char *id) {
  char buf[64];
  if (r->code != MTASTS_OK)
    fail_msg("%s: %s", name, mtasts_errname(r->code));
  assert_int_equal(r->sel.candidates, 1);
  assert_int_equal(r->sel.index, index);
  assert_int_equal(r->sel.err_rr, 0);
  size_t n = mtasts_txt_copy(&r->t, r->t.id, buf, sizeof buf);
  if (n != strlen(id) || memcmp(buf, id, n) != 0)
    fail_msg("%s: wrong id", name);
}

static void assert_rejected(const char *name, const sel_run *r, mtasts_code code, size_t candidates,
                            size_t err_rr, size_t off) {
  assert_code_at(name, r->code, r->t.err_offset, code, off);
  assert_int_equal(r->sel.candidates, candidates);
  assert_int_equal(r->sel.err_rr, err_rr);
  assert_int_equal(r->sel.index, 0);
  assert_cleared(name, &r->t);
}

static void test_select_counts(void **state) {
  (void)state;
  sel_run r;
  mtasts_rr none[] = {{spf, 1}, {empty_string, 1}, {NULL, 0}, {sts_bare, 1}};
  select_rrs(&r, none, 4, 0);
  assert_rejected("0 candidates", &r, MTASTS_E_RRSET_NONE, 0, 4, 0);
  assert_int_equal(r.w.count, 0);
  select_rrs(&r, NULL, 0, 0);
  assert_rejected("no RR", &r, MTASTS_E_RRSET_NONE, 0, 0, 0);

  mtasts_rr one[] = {{spf, 1}, {empty_string, 1}, {sts_a, 1}, {NULL, 0}};
  select_rrs(&r, one, 4, 0);
  assert_selected("1 candidate among unrelated", &r, 2, "a");
  assert_ptr_equal(r.t.src_strings, r.rrs[2].strings);
  assert_ptr_equal(r.t.id.ptr, r.rrs[2].strings[0].ptr + 12);

  mtasts_rr two[] = {{sts_a, 1}, {spf, 1}, {sts_b, 1}};
  select_rrs(&r, two, 3, 0);
  assert_rejected("2 candidates", &r, MTASTS_E_RRSET_MULTIPLE, 2, 3, 0);

  mtasts_rr three[] = {{sts_a, 1}, {sts_b, 1}, {sts_split, 2}};
  select_rrs(&r, three, 3, 0);
  assert_rejected("3 candidates", &r, MTASTS_E_RRSET_MULTIPLE, 3, 3, 0);
}

static void test_select_joined_view(void **state) {
  (void)state;
  sel_run r;
  /* The version prefix split across two strings still selects. */
  mtasts_rr rrs[] = {{spf, 1}, {sts_split, 2}};
  select_rrs(&r, rrs, 2, 0);
  assert_selected("split prefix", &r, 1, "1");
  assert_ptr_equal(r.t.id.ptr, r.rrs[1].strings[1].ptr + 8);
  assert_int_equal(r.t.id.off, 12);
}

static void test_R1_select_wsp_before_semicolon(void **state) {
  (void)state;
  sel_run r;
  mtasts_rr rrs[] = {{spf, 1}, {sts_wsp, 1}};
  select_rrs(&r, rrs, 2, 0);
  assert_selected("R1 default", &r, 1, "w");
  select_rrs(&r, rrs, 2, MTASTS_OPT_LITERAL_PREFIX);
  assert_rejected("R1 literal prefix", &r, MTASTS_E_RRSET_NONE, 0, 2, 0);
  mtasts_rr both[] = {{sts_wsp, 1}, {sts_b, 1}};
  select_rrs(&r, both, 2, 0);
  assert_rejected("R1 both kept", &r, MTASTS_E_RRSET_MULTIPLE, 2, 2, 0);
  select_rrs(&r, both, 2, MTASTS_OPT_LITERAL_PREFIX);
  assert_selected("R1 literal keeps one", &r, 1, "b");
}

static void test_R2_select_case_sensitive(void **state) {
  (void)state;
  sel_run r;
  mtasts_rr rrs[] = {{sts_upper, 1}, {sts_a, 1}};
  select_rrs(&r, rrs, 2, 0);
  assert_selected("R2 V= discarded", &r, 1, "a");
  mtasts_rr only_upper[] = {{sts_upper, 1}};
  select_rrs(&r, only_upper, 1, 0);
  assert_rejected("R2 only V=", &r, MTASTS_E_RRSET_NONE, 0, 1, 0);
}

static void test_select_candidate_errors(void **state) {
  (void)state;
  sel_run r;
  mtasts_rr rrs[] = {{spf, 1}, {sts_bad, 1}};
  select_rrs(&r, rrs, 2, 0);
  assert_code_at("bad candidate", r.code, r.t.err_offset, MTASTS_E_TXT_ID_CHAR, 15);
  assert_int_equal(r.sel.candidates, 1);
  assert_int_equal(r.sel.index, 1);
  assert_int_equal(r.sel.err_rr, 1); /* the error is in the candidate */
  assert_cleared("bad candidate", &r.t);
  /* A candidate by the filter can still lack an id. */
  static const mtasts_chunk tab[] = {STR("v=STSv1\t;")};
  mtasts_rr tabs[] = {{tab, 1}, {spf, 1}};
  select_rrs(&r, tabs, 2, 0);
  assert_code_at("no id", r.code, r.t.err_offset, MTASTS_E_TXT_MISSING_ID, 9);
  assert_int_equal(r.sel.err_rr, 0);
}

static void test_select_size_and_arguments(void **state) {
  (void)state;
  sel_run r;
  char *big = malloc(MTASTS_TXT_MAX_SIZE + 1); /* not a candidate */
  assert_non_null(big);
  memset(big, 'y', MTASTS_TXT_MAX_SIZE + 1);
  mtasts_chunk big_rr[2] = {{big, MTASTS_TXT_MAX_SIZE}, {big, 1}};
  mtasts_rr rrs[] = {{sts_a, 1}, {spf, 1}, {big_rr, 2}};
  /* RFC 8461 3.1 discards non-candidates whatever their size: a huge
   * unrelated record must not switch MTA-STS off. */
  select_rrs(&r, rrs, 3, 0);
  assert_selected("oversized non-candidate discarded", &r, 0, "a");
  big_rr[1].len = 0;
  select_rrs(&r, rrs, 3, 0);
  assert_selected("4096 is fine", &r, 0, "a");
  /* A candidate over the limit fails its own parse, in its own RR. */
  memcpy(big, "v=STSv1; id=a; x=", 17);
  big_rr[1].len = 1;
  mtasts_rr big_candidate[] = {{spf, 1}, {big_rr, 2}};
  select_rrs(&r, big_candidate, 2, 0);
  assert_code_at("oversized candidate", r.code, r.t.err_offset, MTASTS_E_TXT_TOO_LARGE,
                 MTASTS_TXT_MAX_SIZE);
  assert_int_equal(r.sel.candidates, 1);
  assert_int_equal(r.sel.index, 1);
  assert_int_equal(r.sel.err_rr, 1);
  assert_cleared("oversized candidate", &r.t);
  free(big);

  mtasts_rr null_strings[] = {{sts_a, 1}, {NULL, 1}};
  select_rrs(&r, null_strings, 2, 0);
  assert_rejected("RR strings NULL", &r, MTASTS_E_ARGUMENT, 0, 1, 0);
  mtasts_chunk null_chunk[] = {{NULL, 3}};
  mtasts_rr rr_null_chunk[] = {{null_chunk, 1}};
  select_rrs(&r, rr_null_chunk, 1, 0);
  assert_rejected("chunk NULL", &r, MTASTS_E_ARGUMENT, 0, 0, 0);
  select_rrs(&r, NULL, 1, 0);
  assert_rejected("rrs NULL", &r, MTASTS_E_ARGUMENT, 0, 0, 0);
  select_rrs(&r, rrs, 1, 0x8);
  assert_rejected("bad flag", &r, MTASTS_E_ARGUMENT, 0, 0, 0);

  mtasts_rrset_result sel;
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  mtasts_chunk one_string[1] = {sts_a[0]};
  guard_chunks(one_string, 1);
  mtasts_rr one[] = {{one_string, 1}};
  poison(&t, sizeof t);
  set_storage(&t, t_ext);
  assert_int_equal(mtasts_txt_select(one, 1, NULL, NULL, &t), MTASTS_E_ARGUMENT);
  assert_cleared("sel NULL", &t);
  assert_int_equal(mtasts_txt_select(one, 1, NULL, &sel, NULL), MTASTS_E_ARGUMENT);
  /* NULL options: defaults. */
  poison(&sel, sizeof sel);
  assert_int_equal(mtasts_txt_select(one, 1, NULL, &sel, &t), MTASTS_OK);
  assert_int_equal(sel.index, 0);
  /* The defaults include R1's reading (WSP before ";"), not the literal
   * prefix: NULL options are not flags 1. */
  mtasts_chunk wsp_string[1] = {sts_wsp[0]};
  guard_chunks(wsp_string, 1);
  mtasts_rr wsp_set[] = {{spf, 1}, {wsp_string, 1}};
  poison(&sel, sizeof sel);
  assert_int_equal(mtasts_txt_select(wsp_set, 2, NULL, &sel, &t), MTASTS_OK);
  assert_int_equal(sel.index, 1);
  assert_int_equal(sel.candidates, 1);
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

static void test_write_exact_bytes(void **state) {
  (void)state;
  static const char rec[] = "v=STSv1 ;id=abc;e=1;f=x\t;e=2;";
  static const char want[] = "v=STSv1; id=abc; e=1; f=x;";
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  char out[64];
  size_t needed = 0;
  assert_int_equal(mtasts_txt_parse(G(rec), NULL, &t), MTASTS_OK);
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_write(&t, out, sizeof out, &needed), MTASTS_OK);
  assert_int_equal(needed, sizeof want - 1);
  assert_memory_equal(out, want, sizeof want - 1);
  assert_int_equal((unsigned char)out[sizeof want - 1], 0xA5); /* no NUL written */
  /* Exactly enough room. */
  assert_int_equal(mtasts_txt_write(&t, out, sizeof want - 1, NULL), MTASTS_OK);
  /* One byte short: E_WRITE_SPACE, the exact size, nothing past cap. */
  poison(out, sizeof out);
  needed = 0;
  assert_int_equal(mtasts_txt_write(&t, out, sizeof want - 2, &needed), MTASTS_E_WRITE_SPACE);
  assert_int_equal(needed, sizeof want - 1);
  assert_int_equal((unsigned char)out[sizeof want - 2], 0xA5);
  /* Sizing call. */
  needed = 0;
  assert_int_equal(mtasts_txt_write(&t, NULL, 0, &needed), MTASTS_E_WRITE_SPACE);
  assert_int_equal(needed, sizeof want - 1);
  /* Every cap below the size fails; the prefix written is the output's. */
  for (size_t cap = 0; cap < sizeof want - 1; cap++) {
    poison(out, sizeof out);
    assert_int_equal(mtasts_txt_write(&t, out, cap, &needed), MTASTS_E_WRITE_SPACE);
    assert_memory_equal(out, want, cap);
    assert_int_equal((unsigned char)out[cap], 0xA5);
  }
}

static void test_write_gathers_straddling_spans(void **state) {
  (void)state;
  mtasts_chunk ch[3] = {{"v=STSv1; id=a", 13}, {"bc; na", 6}, {"me=val", 6}};
  guard_chunks(ch, 3);
  static const char want[] = "v=STSv1; id=abc; name=val;";
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  char out[64];
  size_t needed;
  assert_int_equal(mtasts_txt_parse_strings(ch, 3, NULL, &t), MTASTS_OK);
  assert_null(t.id.ptr);
  assert_null(t.ext[0].name.ptr);
  assert_int_equal(mtasts_txt_write(&t, out, sizeof out, &needed), MTASTS_OK);
  assert_int_equal(needed, sizeof want - 1);
  assert_memory_equal(out, want, needed);
  /* Cut inside a gathered span. */
  poison(out, sizeof out);
  assert_int_equal(mtasts_txt_write(&t, out, 14, &needed), MTASTS_E_WRITE_SPACE);
  assert_memory_equal(out, want, 14);
  assert_int_equal((unsigned char)out[14], 0xA5);
}

static void test_write_invalid(void **state) {
  (void)state;
  static const char rec[] = "v=STSv1; id=abc; e=1; f=2";
  mtasts_txt good, t;
  mtasts_ext good_ext[MTASTS_MAX_EXTENSIONS], t_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_txt_init(&good, good_ext, MTASTS_MAX_EXTENSIONS);
  char out[64];
  size_t needed;
  assert_int_equal(mtasts_txt_parse(G(rec), NULL, &good), MTASTS_OK);

#define EXPECT_INVALID(what, mutate)                                                               \
  do {                                                                                             \
    t = good; /* and a copy of its extensions to change */                                         \
    memcpy(t_ext, good_ext, sizeof t_ext);                                                         \
    t.ext = t_ext;                                                                                 \
    mutate;                                                                                        \
    needed = 99;                                                                                   \
    if (mtasts_txt_write(&t, out, sizeof out, &needed) != MTASTS_E_WRITE_INVALID)                  \
      fail_msg("%s: not refused", what);                                                           \
    assert_int_equal(needed, 0);                                                                   \
  } while (0)

  EXPECT_INVALID("id empty", t.id.len = 0);
  EXPECT_INVALID("id 33", (t.id.ptr = ID32 "2", t.id.len = 33));
  EXPECT_INVALID("id char", t.id.ptr = "a-c");
  EXPECT_INVALID("id first char", t.id.ptr = "-bc");
  EXPECT_INVALID("id unreachable", (t.id.ptr = NULL, t.src_joined = NULL));
  EXPECT_INVALID("id outside source", (t.id.ptr = NULL, t.id.off = 30));
  EXPECT_INVALID("33 extensions", t.ext_count = MTASTS_MAX_EXTENSIONS + 1);
  EXPECT_INVALID("more extensions than ext_cap", t.ext_cap = 1);
  EXPECT_INVALID("extensions without an array", t.ext = NULL);
  EXPECT_INVALID("name first char", t.ext[0].name.ptr = "_");
  EXPECT_INVALID("name char", (t.ext[0].name.ptr = "a$", t.ext[0].name.len = 2));
  EXPECT_INVALID("name 33", (t.ext[0].name.ptr = NAME32 "6", t.ext[0].name.len = 33));
  EXPECT_INVALID("name empty", t.ext[0].name.len = 0);
  EXPECT_INVALID("value char", t.ext[0].value.ptr = "=");
  EXPECT_INVALID("value empty", t.ext[0].value.len = 0);
  EXPECT_INVALID("value too long", t.ext[0].value.len = MTASTS_TXT_MAX_SIZE + 1);
  EXPECT_INVALID("name v", t.ext[0].name.ptr = "v");
  EXPECT_INVALID("name id", (t.ext[0].name.ptr = "id", t.ext[0].name.len = 2));
  EXPECT_INVALID("duplicate names", t.ext[1].name = t.ext[0].name);

  /* Distinct names of equal length pass; a different length is never equal. */
  t = good;
  memcpy(t_ext, good_ext, sizeof t_ext);
  t.ext = t_ext;
  t.ext[1].name.ptr = "ee";
  t.ext[1].name.len = 2;
  assert_int_equal(mtasts_txt_write(&t, out, sizeof out, &needed), MTASTS_OK);
  assert_memory_equal(out, "v=STSv1; id=abc; e=1; ee=2;", needed);

  needed = 99;
  assert_int_equal(mtasts_txt_write(NULL, out, sizeof out, &needed), MTASTS_E_ARGUMENT);
  assert_int_equal(needed, 0);
  assert_int_equal(mtasts_txt_write(&good, NULL, 1, &needed), MTASTS_E_ARGUMENT);
  assert_int_equal(mtasts_txt_write(&good, NULL, 1, NULL), MTASTS_E_ARGUMENT);
#undef EXPECT_INVALID
}

/* parse(write(parse(x))) == parse(x), field by field, for every valid row
 * and for every 3-string cut of it. */
static void round_trip(const char *name, const mtasts_txt *t, mtasts_code code,
                       const mtasts_diags *w, mtasts_profile prof) {
  snap first, again;
  char out[8192];
  size_t needed = 0;
  take_snap(&first, code, t, w);
  if (mtasts_txt_write(t, out, sizeof out, &needed) != MTASTS_OK)
    fail_msg("%s: write failed", name);
  run r;
  run_joined(&r, out, needed, prof);
  take_snap(&again, r.code, &r.t, &r.w);
  /* Ignored duplicates and trailing WSP are gone, so are their warnings. */
  again.warns[0] = first.warns[0] = '\0';
  assert_snap_equal(name, &again, &first);
  if (r.w.count != 0)
    fail_msg("%s: canonical output warns", name);
}

static void test_round_trip(void **state) {
  (void)state;
  size_t trips = 0;
  for (size_t i = 0; i < NROWS; i++) {
    const txt_row *row = &rows[i];
    if (row->code != MTASTS_OK)
      continue;
    run r;
    run_joined(&r, row->in, row->len, row->prof);
    round_trip(row->name, &r.t, r.code, &r.w, row->prof);
    for (size_t a = 0; a <= row->len; a += 3) {
      mtasts_chunk ch[3];
      run_split3(&r, row->in, row->len, a, a + (row->len - a) / 2, row->prof, ch);
      round_trip(row->name, &r.t, r.code, &r.w, row->prof);
      trips++;
    }
  }
  char buf[1024];
  size_t len = build_extensions(buf, sizeof buf, MTASTS_MAX_EXTENSIONS);
  run r;
  run_joined(&r, buf, len, S);
  round_trip("32 extensions", &r.t, r.code, &r.w, S);
  assert_true(trips > 100);
}

/* The reset at entry clears only the slots an earlier call can have used
 * (those below its ext_count); this pins that nothing of an earlier call
 * survives anyway: not past a smaller count, not after a failure, and a
 * poisoned (never initialised) result is cleared whole. */
static bool ext_slots_zero_from(const mtasts_txt *t, size_t from) {
  static const mtasts_ext zero_ext;
  for (size_t i = from; i < MTASTS_MAX_EXTENSIONS; i++)
    if (memcmp(&t->ext[i], &zero_ext, sizeof zero_ext) != 0)
      return false;
  return true;
}

static void test_reset_leaves_no_earlier_span(void **state) {
  (void)state;
  static const char three[] = "v=STSv1; id=a; x=1; y=2; z=3;";
  static const char one[] = "v=STSv1; id=b; w=4;";
  static const char bad[] = "v=STSv1; x=1;";
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  poison(&t, sizeof t);
  set_storage(&t, t_ext);
  assert_int_equal(mtasts_txt_parse(three, sizeof three - 1, NULL, &t), MTASTS_OK);
  assert_int_equal(t.ext_count, 3);
  assert_true(ext_slots_zero_from(&t, 3));
  assert_int_equal(mtasts_txt_parse(one, sizeof one - 1, NULL, &t), MTASTS_OK);
  assert_int_equal(t.ext_count, 1);
  assert_int_equal(t.ext[0].name.off, 15);
  assert_true(ext_slots_zero_from(&t, 1));
  assert_int_equal(mtasts_txt_parse(three, sizeof three - 1, NULL, &t), MTASTS_OK);
  assert_int_equal(mtasts_txt_parse(bad, sizeof bad - 1, NULL, &t), MTASTS_E_TXT_MISSING_ID);
  assert_cleared("failure after three extensions", &t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reset_leaves_no_earlier_span),
      cmocka_unit_test(test_table_joined),
      cmocka_unit_test(test_table_split_every_position),
      cmocka_unit_test(test_one_string_per_byte),
      cmocka_unit_test(test_truncation_sweep),
      cmocka_unit_test(test_32_extensions_kept_33rd_fails),
      cmocka_unit_test(test_R3_duplicates_do_not_count_toward_extension_limit),
      cmocka_unit_test(test_33rd_extension_grammar_checked_first),
      cmocka_unit_test(test_R18_txt_size_limit),
      cmocka_unit_test(test_R16_ids_compare_byte_for_byte),
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_bad_options),
      cmocka_unit_test(test_warnings_capacity),
      cmocka_unit_test(test_failure_clears_earlier_result),
      cmocka_unit_test(test_ext_capacity),
      cmocka_unit_test(test_init_zeroes_all_but_storage),
      cmocka_unit_test(test_copy),
      cmocka_unit_test(test_copy_span_bounds),
      cmocka_unit_test(test_nul_after_an_error_behind_the_cursor),
      cmocka_unit_test(test_select_counts),
      cmocka_unit_test(test_select_joined_view),
      cmocka_unit_test(test_R1_select_wsp_before_semicolon),
      cmocka_unit_test(test_R2_select_case_sensitive),
      cmocka_unit_test(test_select_candidate_errors),
      cmocka_unit_test(test_select_size_and_arguments),
      cmocka_unit_test(test_write_exact_bytes),
      cmocka_unit_test(test_write_gathers_straddling_spans),
      cmocka_unit_test(test_write_invalid),
      cmocka_unit_test(test_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
