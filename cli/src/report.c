/* report.c - diagnostics in compiler style, or as JSON. */
#define _POSIX_C_SOURCE 200809L

#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hints.h"

/* A long line is shown around the offset, not in full. */
#define CONTEXT_BEFORE 60u
#define CONTEXT_AFTER 40u

/* ------------------------------------------------------------------ */
/* Set-up and collection                                               */
/* ------------------------------------------------------------------ */

static bool no_color_env(void) {
  /* https://no-color.org: set and not empty. */
  const char *v = getenv("NO_COLOR");
  return v != NULL && v[0] != '\0';
}

void report_init(cli_report *r, const cli_options *o, cli_kind kind, FILE *out) {
  memset(r, 0, sizeof *r);
  r->opt = o;
  r->kind = kind;
  r->out = out;
  if (o->color == COLOR_ALWAYS)
    r->color = true;
  else if (o->color == COLOR_AUTO)
    r->color = isatty(fileno(out)) && !no_color_env();
  r->warnings.items = r->warning_items;
  r->warnings.cap = REPORT_MAX_WARNINGS;
}

mtasts_options report_parse_options(cli_report *r, uint32_t flags) {
  mtasts_options opt;
  memset(&opt, 0, sizeof opt);
  opt.profile = r->opt->profile;
  opt.flags = flags;
  opt.warnings = &r->warnings;
  return opt;
}

cli_diag *report_add(cli_report *r, mtasts_code code, size_t offset, const cli_source *src) {
  /* The array holds every stored warning plus the one error. */
  cli_diag *d = &r->diags[r->count < REPORT_MAX_DIAGS ? r->count++ : REPORT_MAX_DIAGS - 1];
  d->code = code;
  d->offset = offset;
  d->src = src;
  d->at = src->map != NULL ? src->map(src->map_ctx, offset) : offset;
  if (d->at > src->len)
    d->at = src->len;
  d->record = -1;
  d->note[0] = '\0';
  return d;
}

void report_add_warnings(cli_report *r, const cli_source *src, long record) {
  size_t stored = r->warnings.count < r->warnings.cap ? r->warnings.count : r->warnings.cap;
  for (size_t i = 0; i < stored; i++)
    report_add(r, r->warnings.items[i].code, r->warnings.items[i].offset, src)->record = record;
  r->warnings_not_shown += r->warnings.count - stored;
}

size_t report_errors(const cli_report *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->count; i++)
    n += !mtasts_is_warning(r->diags[i].code);
  return n;
}

size_t report_warning_count(const cli_report *r) {
  return r->count - report_errors(r) + r->warnings_not_shown;
}

/* ------------------------------------------------------------------ */
/* Showing bytes                                                       */
/* ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p (1-4), or 0; *cp gets its
 * code point. Overlong forms, surrogates and > U+10FFFF are invalid. */
static size_t utf8_sequence(const unsigned char *p, size_t n, unsigned long *cp) {
  unsigned char b = p[0];
  size_t len;
  unsigned long min;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2, min = 0x80, *cp = b & 0x1Fu;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3, min = 0x800, *cp = b & 0x0Fu;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4, min = 0x10000, *cp = b & 0x07u;
  } else {
    return 0;
  }
  if (n < len)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0u) != 0x80u)
      return 0;
    *cp = (*cp << 6) | (p[i] & 0x3Fu);
  }
  if (*cp < min || *cp > 0x10FFFFul || (*cp >= 0xD800ul && *cp <= 0xDFFFul))
    return 0;
  return len;
}

static bool in(unsigned long cp, unsigned long lo, unsigned long hi) {
  return cp >= lo && cp <= hi;
}

/* Code points shown as themselves. Controls, the invisible ones that could
 * hide or reorder text on a terminal (soft hyphen, zero-width and
 * bidirectional marks, BOM) and the combining marks (no width of their
 * own: the caret would drift) are shown escaped. */
static bool shown_as_is(unsigned long cp) {
  return cp >= 0xA0 && cp != 0xAD && !in(cp, 0x0300, 0x036F) && !in(cp, 0x1AB0, 0x1AFF) &&
         !in(cp, 0x1DC0, 0x1DFF) && !in(cp, 0x200B, 0x200F) && !in(cp, 0x2028, 0x202E) &&
         !in(cp, 0x2060, 0x206F) && !in(cp, 0x20D0, 0x20FF) && !in(cp, 0xFE00, 0xFE0F) &&
         !in(cp, 0xFE20, 0xFE2F) && cp != 0xFEFF && !in(cp, 0xFFF9, 0xFFFB);
}

/* Terminal columns of a code point shown as is: 2 for the East Asian wide
 * and fullwidth blocks and for emoji, 1 otherwise. */
static size_t columns(unsigned long cp) {
  bool wide = in(cp, 0x1100, 0x115F) || in(cp, 0x2E80, 0x303E) || in(cp, 0x3041, 0x33FF) ||
              in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) || in(cp, 0xA000, 0xA4CF) ||
              in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) || in(cp, 0xFE30, 0xFE4F) ||
              in(cp, 0xFF00, 0xFF60) || in(cp, 0xFFE0, 0xFFE6) || in(cp, 0x1F300, 0x1F64F) ||
              in(cp, 0x1F900, 0x1F9FF) || in(cp, 0x20000, 0x3FFFD);
  return wide ? 2 : 1;
}

/* The display form of the item at p[0]: writes it to out (NUL-terminated),
 * returns the bytes it stands for; *width gets its columns. */
static size_t display_item(const unsigned char *p, size_t n, char out[16], size_t *width) {
  unsigned char b = p[0];
  if (b >= 0x20 && b < 0x7F) {
    out[0] = (char)b, out[1] = '\0', *width = 1;
    return 1;
  }
  if (b == '\t' || b == '\r' || b == '\n') {
    out[0] = '\\';
    out[1] = b == '\t' ? 't' : b == '\r' ? 'r' : 'n';
    out[2] = '\0', *width = 2;
    return 1;
  }
  unsigned long cp = 0;
  size_t len = b >= 0x80 ? utf8_sequence(p, n, &cp) : 0;
  if (len > 0 && shown_as_is(cp)) {
    memcpy(out, p, len);
    out[len] = '\0', *width = columns(cp);
    return len;
  }
  snprintf(out, 16, "\\x%02x", b);
  *width = 4;
  return 1;
}

void print_escaped(FILE *f, const char *p, size_t n) {
  const unsigned char *u = (const unsigned char *)p;
  for (size_t i = 0; i < n;) {
    char item[16];
    size_t width;
    i += display_item(u + i, n - i, item, &width);
    fputs(item, f);
  }
}

/* ------------------------------------------------------------------ */
/* Human form                                                          */
/* ------------------------------------------------------------------ */

const char *report_style(const cli_report *r, const char *which) {
  if (!r->color)
    return "";
  if (strcmp(which, "bold") == 0)
    return "\033[1m";
  if (strcmp(which, "error") == 0)
    return "\033[1;31m";
  if (strcmp(which, "warning") == 0)
    return "\033[1;35m";
  if (strcmp(which, "caret") == 0)
    return "\033[1;32m";
  if (strcmp(which, "hint") == 0)
    return "\033[1;36m";
  if (strcmp(which, "valid") == 0)
    return "\033[1;32m";
  return "\033[0m";
}

static size_t digits(size_t n) {
  size_t d = 1;
  while (n >= 10)
    n /= 10, d++;
  return d;
}

static void print_spaces(FILE *f, size_t n) {
  while (n-- > 0)
    fputc(' ', f);
}

/* Where to start showing the line [start, ...) so that at most
 * CONTEXT_BEFORE columns come before `at`: the earliest item that starts
 * within that many columns. Every item is at least one column wide, so
 * the last CONTEXT_BEFORE + 1 item starts are all that need keeping. */
static size_t window_start(const unsigned char *t, size_t start, size_t end, size_t at) {
  enum { RING = CONTEXT_BEFORE + 1 };
  size_t ring_at[RING], ring_col[RING];
  size_t n = 0, col = 0;
  for (size_t i = start; i < at;) {
    char item[16];
    size_t width;
    ring_at[n % RING] = i;
    ring_col[n % RING] = col;
    n++;
    i += display_item(t + i, end - i, item, &width);
    col += width;
  }
  if (col <= CONTEXT_BEFORE)
    return start;
  for (size_t k = n > RING ? n - RING : 0; k < n; k++)
    if (col - ring_col[k % RING] <= CONTEXT_BEFORE)
      return ring_at[k % RING];
  return at;
}

/* The line holding src->text[at], escaped, with a caret under `at`, in
 * the style of gcc: "    3 | text" then "      |     ^". A long line is
 * shown around `at`, with "..." where it is cut. */
static void print_source_line(cli_report *r, const cli_source *src, size_t at, size_t line_no) {
  const unsigned char *t = (const unsigned char *)src->text;
  size_t start = at, end = at;
  while (start > 0 && t[start - 1] != '\n')
    start--;
  while (end < src->len && t[end] != '\n')
    end++;
  /* The CR of a CRLF ending is part of the line ending, not of the line,
   * unless it is what the diagnostic is about. */
  if (end < src->len && end > start && t[end - 1] == '\r' && at != end - 1)
    end--;
  size_t from = window_start(t, start, end, at);
  size_t gutter = digits(line_no) + 1 < 5 ? 5 : digits(line_no) + 1;
  FILE *f = r->out;
  /* No space after the bar on an empty line: no trailing blanks. */
  fprintf(f, "%*zu |%s", (int)gutter, line_no, start < end ? " " : "");
  size_t col = 0, caret_col = 0, caret_width = 1;
  bool caret_set = false;
  if (from > start) {
    fputs("...", f);
    col = 3;
  }
  size_t i = from;
  while (i < end && !(caret_set && col > caret_col + CONTEXT_AFTER)) {
    char item[16];
    size_t width, used = display_item(t + i, end - i, item, &width);
    if (!caret_set && at < i + used) {
      caret_col = col, caret_width = width, caret_set = true;
    }
    fputs(item, f);
    col += width;
    i += used;
  }
  if (!caret_set)
    caret_col = col;
  if (i < end)
    fputs("...", f);
  fputc('\n', f);
  print_spaces(f, gutter + 1);
  fputs("| ", f);
  print_spaces(f, caret_col);
  fputs(report_style(r, "caret"), f);
  fputc('^', f);
  for (size_t k = 1; k < caret_width; k++)
    fputc('~', f);
  fputs(report_style(r, "reset"), f);
  fputc('\n', f);
}

static void print_diag(cli_report *r, const cli_diag *d) {
  FILE *f = r->out;
  bool warning = mtasts_is_warning(d->code);
  mtasts_location loc = mtasts_locate(d->src->text, d->src->len, d->at);
  fprintf(f, "%s%s:%zu:%zu:%s %s%s[%s]:%s %s%s%s\n", report_style(r, "bold"), d->src->name,
          loc.line, loc.column, report_style(r, "reset"),
          report_style(r, warning ? "warning" : "error"), warning ? "warning" : "error",
          mtasts_errname(d->code), report_style(r, "reset"), report_style(r, "bold"),
          mtasts_strerror(d->code), report_style(r, "reset"));
  print_source_line(r, d->src, d->at, loc.line);
  fprintf(f, "  %shint:%s %s\n", report_style(r, "hint"), report_style(r, "reset"),
          hint_for(d->code));
  fprintf(f, "  %ssee:%s %s\n", report_style(r, "hint"), report_style(r, "reset"),
          rfc_for(d->code, r->kind));
  if (d->note[0] != '\0')
    fprintf(f, "  %snote:%s %s\n", report_style(r, "hint"), report_style(r, "reset"), d->note);
}

/* Diagnostics in the order of the input: the library reports warnings in
 * order, and the error (which ends the parse) may point before them. */
static void sort_diags(cli_report *r) {
  for (size_t i = 1; i < r->count; i++) {
    cli_diag d = r->diags[i];
    size_t j = i;
    while (j > 0 && r->diags[j - 1].src == d.src && r->diags[j - 1].at > d.at) {
      r->diags[j] = r->diags[j - 1];
      j--;
    }
    r->diags[j] = d;
  }
}

void report_print(cli_report *r) {
  sort_diags(r);
  for (size_t i = 0; i < r->count; i++)
    print_diag(r, &r->diags[i]);
  if (r->warnings_not_shown > 0)
    fprintf(r->out, "(%zu more warnings not shown)\n", r->warnings_not_shown);
}

void report_print_verdict(cli_report *r, const char *input, const char *what, bool valid) {
  FILE *f = r->out;
  size_t e = report_errors(r), w = report_warning_count(r);
  fprintf(f, "%s%s:%s %s%s%s %s", report_style(r, "bold"), input, report_style(r, "reset"),
          report_style(r, valid ? "valid" : "error"), valid ? "valid" : "invalid",
          report_style(r, "reset"), what);
  if (e > 0)
    fprintf(f, ": %zu error%s%s", e, e == 1 ? "" : "s", w > 0 ? ", " : "");
  else if (w > 0)
    fputs(" with ", f);
  if (w > 0)
    fprintf(f, "%zu warning%s", w, w == 1 ? "" : "s");
  fprintf(f, " (profile: %s)\n", profile_name(r->opt->profile));
}

/* ------------------------------------------------------------------ */
/* JSON form                                                           */
/* ------------------------------------------------------------------ */

json_t *json_bytes(const char *p, size_t n) {
  json_t *s = json_stringn(p, n);
  if (s != NULL)
    return s;
  /* Not UTF-8 (or a NUL): each invalid byte becomes U+FFFD. */
  char *clean = malloc(n * 3 + 1);
  size_t m = 0;
  const unsigned char *u = (const unsigned char *)p;
  for (size_t i = 0; clean != NULL && i < n;) {
    unsigned long cp;
    size_t len = u[i] >= 0x80 ? utf8_sequence(u + i, n - i, &cp) : (u[i] != 0 ? 1 : 0);
    if (len == 0) {
      memcpy(clean + m, "\xef\xbf\xbd", 3);
      m += 3, i++;
    } else {
      memcpy(clean + m, u + i, len);
      m += len, i += len;
    }
  }
  s = clean != NULL ? json_stringn(clean, m) : NULL;
  free(clean);
  return s != NULL ? s : json_string("");
}

static json_t *json_size(size_t n) {
  return json_integer((json_int_t)n);
}

static json_t *diag_json(const cli_report *r, const cli_diag *d) {
  mtasts_location loc = mtasts_locate(d->src->text, d->src->len, d->at);
  json_t *o = json_object();
  json_object_set_new(o, "severity", json_string(mtasts_is_warning(d->code) ? "warning" : "error"));
  json_object_set_new(o, "name", json_string(mtasts_errname(d->code)));
  json_object_set_new(o, "code", json_integer((json_int_t)d->code));
  json_object_set_new(o, "message", json_string(mtasts_strerror(d->code)));
  json_object_set_new(o, "source", json_bytes(d->src->name, strlen(d->src->name)));
  json_object_set_new(o, "offset", json_size(d->offset));
  json_object_set_new(o, "line", json_size(loc.line));
  json_object_set_new(o, "column", json_size(loc.column));
  json_object_set_new(o, "hint", json_string(hint_for(d->code)));
  json_object_set_new(o, "rfc", json_string(rfc_for(d->code, r->kind)));
  if (d->record >= 0)
    json_object_set_new(o, "record", json_integer((json_int_t)d->record));
  if (d->note[0] != '\0')
    json_object_set_new(o, "note", json_bytes(d->note, strlen(d->note)));
  return o;
}

static json_t *json_head(const cli_report *r, const char *input, const char *verdict) {
  json_t *root = json_object();
  json_object_set_new(root, "tool", json_string("mtasts"));
  json_object_set_new(root, "version", json_string(MTASTS_VERSION_STRING));
  json_object_set_new(root, "command", json_string(r->opt->command));
  json_object_set_new(root, "input", json_bytes(input, strlen(input)));
  json_object_set_new(root, "profile", json_string(profile_name(r->opt->profile)));
  json_object_set_new(root, "verdict", json_string(verdict));
  return root;
}

static void dump(json_t *root) {
  json_dumpf(root, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(root);
}

void report_print_json(cli_report *r, const char *input, const char *verdict, json_t *result,
                       json_t *extra) {
  sort_diags(r);
  json_t *root = json_head(r, input, verdict);
  json_object_set_new(root, "result", result != NULL ? result : json_null());
  json_t *list = json_array();
  for (size_t i = 0; i < r->count; i++)
    json_array_append_new(list, diag_json(r, &r->diags[i]));
  json_object_set_new(root, "diagnostics", list);
  json_object_set_new(root, "warnings_not_shown", json_size(r->warnings_not_shown));
  if (extra != NULL) {
    json_object_update(root, extra);
    json_decref(extra);
  }
  dump(root);
}

int report_trouble(cli_report *r, const char *input, const char *message) {
  if (r->opt->quiet)
    return EXIT_TROUBLE;
  fprintf(stderr, "mtasts: %s\n", message);
  if (r->opt->json) {
    json_t *root = json_head(r, input, "error");
    json_object_set_new(root, "error", json_bytes(message, strlen(message)));
    json_object_set_new(root, "result", json_null());
    json_object_set_new(root, "diagnostics", json_array());
    json_object_set_new(root, "warnings_not_shown", json_integer(0));
    dump(root);
  }
  return EXIT_TROUBLE;
}
