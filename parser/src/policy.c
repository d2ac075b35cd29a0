/*
 * policy.c - RFC 8461 section 3.2 policy bodies (mtasts_policy_parse), and
 * the line scanners it shares with the writer (policy_scan.h).
 *
 * The contract (order of judgement, lines, fields, results, the offset of
 * every code) is parser/SPEC.md, "Policy bodies". The body is read once,
 * line by line: a line is classified by its first byte, a field dispatched
 * on its name, and a value judged whole when the scan reaches its end, so
 * that the error reported is always the first one met.
 *
 * The body is one buffer and is read by index, not through the segmented
 * cursor of cursor.h that the records use (issue 16 asked for the cursor
 * unless it costs; it does). Instructions per parse (callgrind, gcc 12
 * -O2; bench/'s policy-typical and policy-64k, and a policy of version,
 * mode, one mx, max_age and three extensions): by index 1,817 / 755,513 /
 * 2,335.
 * A one-chunk cursor kept in step line by line, the least any reading
 * through it pays: 1,861 / 783,997 / 2,370 (+2 %, +4 %, +2 %). Names, ":"
 * and WSP read with cursor_take_class / cursor_is as record.c reads them:
 * 2,157 / 784,293 / 2,971 (+19 %, +4 %, +27 %). A body is never split,
 * so the cursor's chunk walk would buy nothing for that price.
 */
#include <stddef.h>
#include <string.h>

#include "chars.h"
#include "mxname.h"
#include "policy_scan.h"

static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

/* A keyword with its length (no strlen: the library calls nothing but
 * memcpy / memcmp / memchr). */
typedef struct keyword {
  const char *text;
  size_t len;
} keyword;
#define KEYWORD(s)                                                                                 \
  { (s), sizeof(s) - 1 }

static const mtasts_policy blank_policy;

/* A run of blank lines seen in lenient mode, judged when it ends. */
typedef struct blank_run {
  bool active;
  size_t start;     /* first line of the run */
  size_t diag_mark; /* warnings->count before the run's W_POLICY_BLANK_LINE */
  bool has_wsp_line;
  size_t wsp_line; /* first whitespace-only line of the run */
} blank_run;

typedef struct parser {
  const unsigned char *s;
  size_t len;
  bool lenient;
  mtasts_diags *warnings;
  mtasts_policy *out;
  size_t err_off;
  bool seen_field;
  bool seen[FIELD_MX + 1]; /* by field kind: only version, mode, max_age are set */
  /* The first item that did not fit its array (MTASTS_OK: none yet). */
  mtasts_code overflow;
  size_t overflow_off; /* its line start */
  blank_run run;
  /* The extensions seen, stored or not: duplicates are found among these
   * names, whatever the caller's array holds (as in record.c). Last, so
   * that parser_start need not clear the tables: only entries below
   * ext_seen are read. */
  size_t ext_seen;
  size_t ext_name_off[MTASTS_MAX_EXTENSIONS];
  unsigned char ext_name_len[MTASTS_MAX_EXTENSIONS]; /* <= MTASTS_MAX_EXT_NAME_LEN */
} parser;

static void parser_start(parser *ps, const char *body, size_t len, bool lenient,
                         mtasts_diags *warnings, mtasts_policy *out) {
  memset(ps, 0, offsetof(parser, ext_name_off));
  ps->s = (const unsigned char *)body;
  ps->len = len;
  ps->lenient = lenient;
  ps->warnings = warnings;
  ps->out = out;
}

static bool is_wsp(unsigned char c) {
  return char_is(c, CHAR_WSP);
}

static bool is_digit(unsigned char c) {
  return char_is(c, CHAR_DIGIT);
}

static bool at_line_end(const parser *ps, size_t i) {
  return i == ps->len || ps->s[i] == '\n' || ps->s[i] == '\r';
}

static bool is_bare_cr(const parser *ps, size_t i) {
  return ps->s[i] == '\r' && (i + 1 == ps->len || ps->s[i + 1] != '\n');
}

static size_t skip_wsp(const parser *ps, size_t i) {
  while (i < ps->len && is_wsp(ps->s[i]))
    i++;
  return i;
}

static mtasts_span span_at(const parser *ps, size_t off, size_t len) {
  mtasts_span sp = {(const char *)ps->s + off, len, off};
  return sp;
}

static void warn(parser *ps, mtasts_code code, size_t off) {
  mtasts_diags *w = ps->warnings;
  if (w == NULL)
    return;
  if (w->count < w->cap) {
    w->items[w->count].code = code;
    w->items[w->count].offset = off;
  }
  w->count++;
}

/* Record an error at a byte of the body, applying the two overrides every
 * context shares: NUL is E_NUL, a bare CR is E_POLICY_BARE_CR. */
static mtasts_code fail(parser *ps, mtasts_code code, size_t off) {
  if (off < ps->len) {
    if (ps->s[off] == 0)
      code = MTASTS_E_NUL;
    else if (is_bare_cr(ps, off))
      code = MTASTS_E_POLICY_BARE_CR;
  }
  ps->err_off = off;
  return code;
}

/* At i is CR, LF or the end: step over the terminator. */
static mtasts_code take_terminator(parser *ps, size_t i, size_t *next) {
  if (i == ps->len) {
    *next = i;
  } else if (ps->s[i] == '\n') {
    *next = i + 1;
  } else if (!is_bare_cr(ps, i)) {
    *next = i + 2;
  } else {
    return fail(ps, MTASTS_E_POLICY_BARE_CR, i);
  }
  return MTASTS_OK;
}

/* ---- blank lines (R7, lenient deviations 1 and 3) ---- */

static void note_lenient_blank(parser *ps, size_t start, bool empty) {
  blank_run *run = &ps->run;
  if (!run->active) {
    run->active = true;
    run->start = start;
    /* mutant-equivalent(const): diag_mark is read only when warnings is not NULL (finish) */
    run->diag_mark = ps->warnings != NULL ? ps->warnings->count : 0;
    /* mutant-equivalent(drop): it is already false: ps starts zeroed, and a run that ends with
     * it set fails the parse (end_blank_run) */
    run->has_wsp_line = false;
  }
  if (empty) {
    /* Provisional: withdrawn if the run turns out to be trailing. */
    warn(ps, MTASTS_W_POLICY_BLANK_LINE, start);
  } else if (!run->has_wsp_line) {
    run->has_wsp_line = true;
    run->wsp_line = start;
  }
}

/* A line that starts with SP, HTAB, CR or LF. */
static mtasts_code take_blank_line(parser *ps, size_t start, size_t *next) {
  size_t end = skip_wsp(ps, start);
  if (!at_line_end(ps, end))
    return fail(ps, MTASTS_E_POLICY_LEADING_WSP, start);
  mtasts_code rc = take_terminator(ps, end, next);
  if (rc != MTASTS_OK)
    return rc;
  if (!ps->lenient || !ps->seen_field)
    return fail(ps, MTASTS_E_POLICY_BLANK_LINE, start);
  note_lenient_blank(ps, start, end == start);
  return MTASTS_OK;
}

/* A field line follows a lenient blank run: the run was between fields. */
static mtasts_code end_blank_run(parser *ps) {
  if (ps->run.has_wsp_line)
    return fail(ps, MTASTS_E_POLICY_BLANK_LINE, ps->run.wsp_line);
  ps->run.active = false;
  return MTASTS_OK;
}

/* ---- values ---- */

/* The bytes of a version / mode value: up to the terminator, less WSP. */
static size_t whole_value_end(const parser *ps, size_t value, size_t *eol) {
  size_t i = value;
  while (!at_line_end(ps, i))
    i++;
  *eol = i;
  while (is_wsp(ps->s[i - 1]))
    i--;
  return i;
}

static bool value_is(const parser *ps, size_t value, size_t end, keyword word) {
  return end - value == word.len && memcmp(ps->s + value, word.text, word.len) == 0;
}

/* The first occurrence of each field kind; all share one signature so that
 * field_value() can dispatch through a table. */

static mtasts_code field_version(parser *ps, size_t line, size_t name_len, size_t value,
                                 size_t *eol) {
  (void)line;
  (void)name_len;
  size_t end = whole_value_end(ps, value, eol);
  static const keyword stsv1 = KEYWORD("STSv1");
  if (!value_is(ps, value, end, stsv1))
    return fail(ps, MTASTS_E_POLICY_VERSION, value);
  ps->seen[FIELD_VERSION] = true;
  ps->out->version = span_at(ps, value, end - value);
  return MTASTS_OK;
}

static mtasts_code field_mode(parser *ps, size_t line, size_t name_len, size_t value, size_t *eol) {
  (void)line;
  (void)name_len;
  static const struct {
    keyword word;
    mtasts_mode mode;
  } modes[] = {
      {KEYWORD("enforce"), MTASTS_MODE_ENFORCE},
      {KEYWORD("testing"), MTASTS_MODE_TESTING},
      {KEYWORD("none"), MTASTS_MODE_NONE},
  };
  size_t end = whole_value_end(ps, value, eol);
  /* mutant-equivalent(const): every element has the same size */
  for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++) {
    if (value_is(ps, value, end, modes[k].word)) {
      ps->seen[FIELD_MODE] = true;
      ps->out->mode = modes[k].mode;
      ps->out->mode_text = span_at(ps, value, end - value);
      return MTASTS_OK;
    }
  }
  return fail(ps, MTASTS_E_POLICY_MODE, value);
}

static mtasts_code field_max_age(parser *ps, size_t line, size_t name_len, size_t value,
                                 size_t *eol) {
  (void)line;
  (void)name_len;
  uint64_t seconds = 0;
  size_t i = value;
  for (; i < ps->len && is_digit(ps->s[i]); i++) {
    if (i - value == MTASTS_MAX_AGE_DIGITS)
      return fail(ps, MTASTS_E_POLICY_MAX_AGE, i);
    seconds = seconds * 10u + (uint64_t)(ps->s[i] - '0');
  }
  size_t digits_end = i;
  i = skip_wsp(ps, i);
  if (!at_line_end(ps, i))
    return fail(ps, MTASTS_E_POLICY_MAX_AGE, i);
  if (seconds > MTASTS_MAX_AGE_LIMIT) {
    if (!ps->lenient)
      return fail(ps, MTASTS_E_POLICY_MAX_AGE_RANGE, value);
    seconds = MTASTS_MAX_AGE_LIMIT;
    warn(ps, MTASTS_W_POLICY_MAX_AGE_CLAMPED, value);
  }
  ps->seen[FIELD_MAX_AGE] = true;
  ps->out->max_age = seconds;
  ps->out->max_age_text = span_at(ps, value, digits_end - value);
  *eol = i;
  return MTASTS_OK;
}

/* The first item, of either list, that did not fit the caller's array:
 * the capacity error, reported if the body is otherwise valid (finish). */
static void note_overflow(parser *ps, mtasts_code code, size_t line) {
  if (ps->overflow == MTASTS_OK) {
    ps->overflow = code;
    ps->overflow_off = line;
  }
}

/* Keep a valid pattern of `n` bytes at `value`, or note the first that does
 * not fit the caller's array. */
static void store_mx(parser *ps, size_t line, size_t value, size_t n) {
  mtasts_policy *out = ps->out;
  if (out->mx_needed < out->mx_cap) {
    out->mx[out->mx_needed].pattern = span_at(ps, value, n);
    out->mx[out->mx_needed].wildcard = ps->s[value] == '*';
  } else {
    note_overflow(ps, MTASTS_E_MX_CAPACITY, line);
  }
  out->mx_needed++;
}

static mtasts_code field_mx(parser *ps, size_t line, size_t name_len, size_t value, size_t *eol) {
  (void)name_len;
  size_t pos;
  mtasts_code rc = mxname_scan(ps->s + value, ps->len - value, true, &pos);
  if (rc != MTASTS_OK)
    return fail(ps, rc, value + pos);
  size_t after = skip_wsp(ps, value + pos);
  if (!at_line_end(ps, after))
    return fail(ps, MTASTS_E_POLICY_MX_SYNTAX, after);
  store_mx(ps, line, value, pos);
  *eol = after;
  return MTASTS_OK;
}

/* Validate an extension value (also a duplicate's); *vlen may be NULL. */
static mtasts_code ext_value(parser *ps, size_t value, size_t *vlen, size_t *eol) {
  size_t n, stop;
  mtasts_code rc = policy_value_scan(ps->s + value, ps->len - value, &n, &stop);
  if (rc != MTASTS_OK)
    return fail(ps, rc, value + stop);
  if (vlen != NULL)
    *vlen = n;
  *eol = value + stop;
  return MTASTS_OK;
}

static bool extension_seen(const parser *ps, size_t name, size_t name_len) {
  for (size_t k = 0; k < ps->ext_seen; k++)
    if (ps->ext_name_len[k] == name_len &&
        memcmp(ps->s + ps->ext_name_off[k], ps->s + name, name_len) == 0)
      return true;
  return false;
}

static mtasts_code field_extension(parser *ps, size_t line, size_t name_len, size_t value,
                                   size_t *eol) {
  if (ps->ext_seen == MTASTS_MAX_EXTENSIONS)
    return fail(ps, MTASTS_E_TOO_MANY_EXTENSIONS, line);
  size_t vlen;
  mtasts_code rc = ext_value(ps, value, &vlen, eol);
  if (rc != MTASTS_OK)
    return rc;
  ps->ext_name_off[ps->ext_seen] = line;
  ps->ext_name_len[ps->ext_seen++] = (unsigned char)name_len; /* field_name: at most 32 */
  mtasts_policy *out = ps->out;
  if (out->ext_needed < out->ext_cap) {
    out->ext[out->ext_needed].name = span_at(ps, line, name_len);
    out->ext[out->ext_needed].value = span_at(ps, value, vlen);
  } else {
    note_overflow(ps, MTASTS_E_EXT_CAPACITY, line);
  }
  out->ext_needed++;
  return MTASTS_OK;
}

typedef mtasts_code field_handler(parser *ps, size_t line, size_t name_len, size_t value,
                                  size_t *eol);

/* Dispatch on the field name. A repeated version / mode / max_age or
 * extension name is a duplicate (R4, R17): *duplicate is set and the value
 * only has to be a grammatical extension value. mx is never a duplicate. */
static mtasts_code field_value(parser *ps, policy_field kind, size_t line, size_t name_len,
                               size_t value, size_t *eol, bool *duplicate) {
  static field_handler *const first[] = {
      [FIELD_EXTENSION] = field_extension,
      [FIELD_VERSION] = field_version,
      [FIELD_MODE] = field_mode,
      [FIELD_MAX_AGE] = field_max_age,
  };
  if (kind == FIELD_MX) {
    /* The common line, called directly so that it can be inlined. */
    *duplicate = false;
    return field_mx(ps, line, name_len, value, eol);
  }
  *duplicate = kind == FIELD_EXTENSION ? extension_seen(ps, line, name_len) : ps->seen[kind];
  if (*duplicate)
    return ext_value(ps, value, NULL, eol);
  return first[kind](ps, line, name_len, value, eol);
}

/* "mx:" opens almost every line of a large policy: three byte compares
 * stand for the name scan, the colon check and the keyword lookup, which
 * would find the same. Every other line takes field_name(). */
static bool starts_mx_field(const parser *ps, size_t line) {
  /* mutant-equivalent(rel,const): a shortcut; when it is not taken, field_name() finds the
   * same "mx" (test_mx_fast_path_agrees), and one byte cannot be two of 'm', 'x', ':' */
  return ps->len - line >= 3 && ps->s[line] == 'm' && ps->s[line + 1] == 'x' &&
         ps->s[line + 2] == ':';
}

/* The name of a field line and the ":" after it. */
static mtasts_code field_name(parser *ps, size_t line, size_t *name_len) {
  size_t n = policy_name_scan(ps->s + line, ps->len - line);
  if (n == 0)
    return fail(ps, MTASTS_E_POLICY_FIELD_NAME, line);
  if (n > MTASTS_MAX_EXT_NAME_LEN)
    return fail(ps, MTASTS_E_POLICY_FIELD_NAME, line + MTASTS_MAX_EXT_NAME_LEN);
  size_t colon = line + n;
  if (colon == ps->len || ps->s[colon] != ':')
    return fail(ps, MTASTS_E_POLICY_EXPECTED_COLON, colon);
  *name_len = n;
  return MTASTS_OK;
}

/*
 * The shape of nearly every line of a large policy, "mx: " pattern LF (or
 * CRLF), taken in one pass: the general path would find exactly this (one
 * SP, a valid pattern, the terminator right after it) through its WSP skips
 * and line-end checks. Any other shape, or an invalid pattern, returns false
 * with nothing consumed or stored, and the general path judges the line.
 */
static bool take_plain_mx_line(parser *ps, size_t line, size_t *next) {
  const unsigned char *s = ps->s;
  size_t len = ps->len;
  /* mutant-equivalent(rel,const): these only send more lines to the general path, which judges
   * them the same (test_mx_fast_path_agrees): no line shorter than 6 is taken, one byte cannot
   * be two of 'm', 'x', ':', ' ', and a pattern cannot start with the SP at line + 4 */
  if (len - line < 6 || s[line] != 'm' || s[line + 1] != 'x' || s[line + 2] != ':' ||
      s[line + 3] != ' ')
    return false;
  /* mutant-equivalent(const): a pattern at line + 3 starts with the space, which the scan
   * refuses: the general path takes the line */
  size_t value = line + 4, n;
  if (mxname_scan(s + value, len - value, true, &n) != MTASTS_OK)
    return false;
  size_t end = value + n;
  if (end < len && s[end] == '\n') {
    *next = end + 1;
    /* mutant-equivalent(rel,const,eq,arith): (the else-if below) a final CRLF, or WSP then LF,
     * left to the general path gives the same result (test_mx_fast_path_agrees); s[end - 1]
     * ends the pattern and s[end] cannot be both CR and LF */
  } else if (len - end >= 2 && s[end] == '\r' && s[end + 1] == '\n') {
    *next = end + 2;
  } else {
    return false;
  }
  store_mx(ps, line, value, n);
  return true;
}

static mtasts_code take_field_line(parser *ps, size_t line, size_t *next) {
  mtasts_code rc;
  if (ps->run.active && (rc = end_blank_run(ps)) != MTASTS_OK)
    return rc;
  ps->seen_field = true;
  if (take_plain_mx_line(ps, line, next))
    return MTASTS_OK;
  /* mutant-equivalent(const): both branches below set it before any use */
  size_t name_len = 0;
  policy_field kind;
  if (starts_mx_field(ps, line)) {
    name_len = 2;
    kind = FIELD_MX;
  } else {
    rc = field_name(ps, line, &name_len);
    if (rc != MTASTS_OK)
      return rc;
    kind = policy_field_kind(ps->s + line, name_len);
  }
  size_t colon = line + name_len;
  size_t value = skip_wsp(ps, colon + 1);
  if (at_line_end(ps, value))
    return fail(ps, MTASTS_E_POLICY_VALUE_EMPTY, value);
  size_t eol;
  bool duplicate;
  rc = field_value(ps, kind, line, name_len, value, &eol, &duplicate);
  if (rc == MTASTS_OK)
    rc = take_terminator(ps, eol, next);
  if (rc == MTASTS_OK && duplicate)
    warn(ps, MTASTS_W_DUPLICATE_FIELD, line);
  return rc;
}

/* ---- the body ---- */

static mtasts_code finish(parser *ps) {
  if (ps->run.active) {
    /* Only lenient gets here with a run open: it is trailing (deviation 1),
     * so its provisional W_POLICY_BLANK_LINE warnings give way to one. */
    if (ps->warnings != NULL)
      ps->warnings->count = ps->run.diag_mark;
    warn(ps, MTASTS_W_POLICY_TRAILING_BLANK, ps->run.start);
  }
  const mtasts_policy *out = ps->out;
  if (!ps->seen[FIELD_VERSION])
    return fail(ps, MTASTS_E_POLICY_MISSING_VERSION, ps->len);
  if (!ps->seen[FIELD_MODE])
    return fail(ps, MTASTS_E_POLICY_MISSING_MODE, ps->len);
  if (!ps->seen[FIELD_MAX_AGE])
    return fail(ps, MTASTS_E_POLICY_MISSING_MAX_AGE, ps->len);
  if (out->mode != MTASTS_MODE_NONE && out->mx_needed == 0)
    return fail(ps, MTASTS_E_POLICY_MISSING_MX, ps->len);
  /* A capacity error only for an otherwise valid body (the mx model). */
  if (ps->overflow != MTASTS_OK)
    return fail(ps, ps->overflow, ps->overflow_off);
  return MTASTS_OK;
}

static mtasts_code parse_lines(parser *ps, size_t pos) {
  while (pos < ps->len) {
    unsigned char c = ps->s[pos];
    mtasts_code rc = (is_wsp(c) || c == '\n' || c == '\r') ? take_blank_line(ps, pos, &pos)
                                                           : take_field_line(ps, pos, &pos);
    if (rc != MTASTS_OK)
      return rc;
  }
  return finish(ps);
}

static size_t min_size(size_t a, size_t b) {
  /* mutant-equivalent(rel): when a == b either one is the minimum */
  return a < b ? a : b;
}

static size_t max_size(size_t a, size_t b) {
  /* mutant-equivalent(rel): when a == b either one is the maximum */
  return a > b ? a : b;
}

/* The caller's storage, as the call found it: each array, its capacity and
 * the slots an earlier call stored there (below its count, which
 * mtasts_policy_init made 0). */
typedef struct storage {
  mtasts_mx *mx;
  size_t mx_cap, mx_earlier;
  mtasts_ext *ext;
  size_t ext_cap, ext_earlier;
} storage;

/* Zero every result field, keeping the caller's storage. */
static void clear_results(mtasts_policy *p, const storage *st) {
  *p = blank_policy;
  p->mx = st->mx;
  p->mx_cap = st->mx_cap;
  p->ext = st->ext;
  p->ext_cap = st->ext_cap;
}

/*
 * The reset at entry. The repeated items live in the caller's arrays, so
 * the result is small and cleared whole. The slots an earlier call stored
 * are cleared when this call ends, but for those it overwrites
 * (end_call): clearing them all at entry would write the whole mx array
 * again on every parse of a large policy.
 */
static void begin_call(mtasts_policy *p, storage *st) {
  st->mx = p->mx;
  st->mx_cap = p->mx_cap;
  st->mx_earlier = p->mx != NULL ? min_size(p->mx_count, p->mx_cap) : 0;
  st->ext = p->ext;
  st->ext_cap = p->ext_cap;
  st->ext_earlier = p->ext != NULL ? min_size(p->ext_count, p->ext_cap) : 0;
  clear_results(p, st);
}

static void zero_slots(void *array, size_t item_size, size_t from, size_t to) {
  /* mutant-equivalent(rel): from == to clears nothing; the test keeps a sizing pass's NULL array
   * from memset (undefined even for 0 bytes: only a sanitizer would see it) */
  if (from < to)
    memset((char *)array + from * item_size, 0, (to - from) * item_size);
}

/* Set the counts, or on failure leave no span in the result nor in the
 * caller's arrays; a capacity error keeps both *_needed for the retry. */
static mtasts_code end_call(mtasts_policy *p, const storage *st, mtasts_code code, size_t err) {
  size_t mx_stored = min_size(p->mx_needed, st->mx_cap);
  size_t ext_stored = min_size(p->ext_needed, st->ext_cap);
  if (code == MTASTS_OK) {
    p->mx_count = mx_stored;
    p->ext_count = ext_stored;
    zero_slots(st->mx, sizeof *st->mx, mx_stored, st->mx_earlier);
    zero_slots(st->ext, sizeof *st->ext, ext_stored, st->ext_earlier);
    return code;
  }
  zero_slots(st->mx, sizeof *st->mx, 0, max_size(mx_stored, st->mx_earlier));
  zero_slots(st->ext, sizeof *st->ext, 0, max_size(ext_stored, st->ext_earlier));
  size_t mx_needed = p->mx_needed, ext_needed = p->ext_needed;
  clear_results(p, st);
  p->err_offset = err;
  if (code == MTASTS_E_MX_CAPACITY || code == MTASTS_E_EXT_CAPACITY) {
    p->mx_needed = mx_needed;
    p->ext_needed = ext_needed;
  }
  return code;
}

static bool options_ok(const mtasts_options *opt) {
  if (opt == NULL)
    return true;
  if (opt->profile != MTASTS_STRICT && opt->profile != MTASTS_LENIENT)
    return false;
  if ((opt->flags & ~(uint32_t)MTASTS_OPT_LITERAL_PREFIX) != 0)
    return false;
  return opt->warnings == NULL || opt->warnings->items != NULL || opt->warnings->cap == 0;
}

/* Everything after the reset; on failure *err is the offset. */
static mtasts_code parse_body(const char *body, size_t len, const mtasts_options *opt,
                              mtasts_policy *p, size_t *err) {
  mtasts_diags *warnings = opt != NULL ? opt->warnings : NULL;
  if (warnings != NULL)
    warnings->count = 0;
  if (!options_ok(opt) || (body == NULL && len > 0) || (p->mx == NULL && p->mx_cap > 0) ||
      (p->ext == NULL && p->ext_cap > 0))
    return MTASTS_E_ARGUMENT;
  if (len > MTASTS_POLICY_MAX_SIZE) {
    *err = MTASTS_POLICY_MAX_SIZE;
    return MTASTS_E_POLICY_TOO_LARGE;
  }
  if (len == 0)
    return MTASTS_E_EMPTY;

  parser ps;
  parser_start(&ps, body, len, opt != NULL && opt->profile == MTASTS_LENIENT, warnings, p);

  size_t pos = 0;
  if (len >= sizeof bom && memcmp(body, bom, sizeof bom) == 0) {
    if (!ps.lenient)
      return MTASTS_E_POLICY_BOM;
    warn(&ps, MTASTS_W_POLICY_BOM, 0);
    pos = sizeof bom;
  }
  mtasts_code rc = parse_lines(&ps, pos);
  *err = ps.err_off;
  return rc;
}

mtasts_code mtasts_policy_parse(const char *body, size_t len, const mtasts_options *opt,
                                mtasts_policy *p) {
  if (p == NULL)
    return MTASTS_E_ARGUMENT;
  storage st;
  begin_call(p, &st);
  size_t err = 0;
  mtasts_code rc = parse_body(body, len, opt, p, &err);
  return end_call(p, &st, rc, err);
}

void mtasts_policy_init(mtasts_policy *p, mtasts_mx *mx, size_t mx_cap, mtasts_ext *ext,
                        size_t ext_cap) {
  if (p == NULL)
    return;
  storage st = {.mx = mx, .mx_cap = mx_cap, .ext = ext, .ext_cap = ext_cap};
  clear_results(p, &st);
}

/* ---- scanners shared with write.c (policy_scan.h) ---- */

policy_field policy_field_kind(const unsigned char *name, size_t n) {
  /* By length first: every line goes through here, and an mx line (the
   * common one) is decided by two byte compares. */
  switch (n) {
  case 2:
    return name[0] == 'm' && name[1] == 'x' ? FIELD_MX : FIELD_EXTENSION;
  case 4:
    return memcmp(name, "mode", 4) == 0 ? FIELD_MODE : FIELD_EXTENSION;
  case 7:
    if (memcmp(name, "version", 7) == 0)
      return FIELD_VERSION;
    return memcmp(name, "max_age", 7) == 0 ? FIELD_MAX_AGE : FIELD_EXTENSION;
  default:
    return FIELD_EXTENSION;
  }
}

size_t policy_name_scan(const unsigned char *p, size_t n) {
  if (n == 0 || !char_is_alnum(p[0]))
    return 0;
  /* mutant-equivalent(const): from 0 the loop re-checks p[0], an alnum, which CHAR_EXTNAME
   * includes */
  size_t i = 1;
  while (i < n && i <= MTASTS_MAX_EXT_NAME_LEN && char_is(p[i], CHAR_EXTNAME))
    i++;
  return i;
}

mtasts_code policy_value_scan(const unsigned char *p, size_t n, size_t *value_len, size_t *stop) {
  size_t i = 0, end = 0;
  while (i < n && p[i] != '\n' && p[i] != '\r') {
    unsigned char c = p[i];
    if (is_wsp(c)) {
      size_t first_tab = n; /* n: no HTAB in this run */
      for (; i < n && is_wsp(p[i]); i++)
        if (p[i] == '\t' && first_tab == n)
          first_tab = i;
      bool more_value = i < n && p[i] != '\n' && p[i] != '\r';
      if (more_value && first_tab != n) {
        *stop = first_tab;
        return MTASTS_E_POLICY_VALUE_CHAR;
      }
      continue;
    }
    size_t step = 1;
    if (c >= 0x80) {
      step = utf8_multibyte(p + i, n - i);
      if (step == 0) {
        *stop = i;
        return MTASTS_E_POLICY_VALUE_UTF8;
      }
    } else if (!char_is(c, CHAR_VCHAR)) {
      *stop = i;
      return MTASTS_E_POLICY_VALUE_CHAR;
    }
    i += step;
    end = i;
  }
  *value_len = end;
  *stop = i;
  return MTASTS_OK;
}
