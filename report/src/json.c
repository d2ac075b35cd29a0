/* json.c - the pull reader of json.h: RFC 8259 syntax, UTF-8, escapes,
 * depth, and duplicate member names (I-JSON, ruling R22). */
#include "json.h"

#include <string.h>

enum {
  X_VALUE,        /* a value (the top one, after ":", after "," in an array) */
  X_VALUE_OR_END, /* after "[" */
  X_KEY_OR_END,   /* after "{" */
  X_KEY,          /* after "," in an object */
  X_NEXT,         /* after a value in a container: "," or its closing bracket */
  X_DONE          /* after the top value */
};

static bool fail(jlex *l, mtasts_report_code code, size_t at) {
  l->code = code;
  l->err = at;
  return false;
}

static bool is_ws(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(jlex *l) {
  while (l->pos < l->n && is_ws(l->p[l->pos]))
    l->pos++;
}

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void jlex_begin(jlex *l, const unsigned char *p, size_t n, uint32_t (*names)[2]) {
  memset(l, 0, sizeof *l);
  l->p = p;
  l->n = n;
  l->names = names;
  l->expect = X_VALUE;
}

/* ---- strings ---- */

/* Length of the well-formed UTF-8 sequence (RFC 3629 4, UTF8-2/3/4) at
 * p[0..n), 0 when there is none. */
static size_t utf8_len(const unsigned char *p, size_t n) {
  unsigned char c = p[0], lo = 0x80, hi = 0xBF;
  size_t len;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  else
    return 0;
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F; /* no UTF-16 surrogates */
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F; /* nothing above U+10FFFF */
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return len;
}

/* The four HEXDIG of a \u escape whose "u" is at i: the value, or -1 with
 * the error set. */
static long read_u4(jlex *l, size_t i) {
  long v = 0;
  for (size_t k = 1; k <= 4; k++) {
    if (i + k >= l->n)
      return fail(l, MTASTS_E_JSON_TRUNCATED, l->n), -1;
    int h = hex_value(l->p[i + k]);
    if (h < 0)
      return fail(l, MTASTS_E_JSON_ESCAPE, i + k), -1;
    v = v * 16 + h;
  }
  return v;
}

/* An escape whose "\" is at i: its length, or 0 with the error set. */
static size_t escape_len(jlex *l, size_t i) {
  if (i + 1 >= l->n)
    return fail(l, MTASTS_E_JSON_TRUNCATED, l->n), 0;
  unsigned char c = l->p[i + 1];
  if (c != 'u') {
    if (memchr("\"\\/bfnrt", c, 8) == NULL)
      return fail(l, MTASTS_E_JSON_ESCAPE, i + 1), 0;
    return 2;
  }
  long v = read_u4(l, i + 1);
  if (v < 0)
    return 0;
  if (v < 0xD800 || v > 0xDFFF)
    return 6;
  if (v >= 0xDC00)
    return fail(l, MTASTS_E_JSON_SURROGATE, i), 0;
  /* A high surrogate: "\u" and a low one must follow at once. */
  for (size_t k = 6; k <= 7; k++) {
    if (i + k >= l->n)
      return fail(l, MTASTS_E_JSON_TRUNCATED, l->n), 0;
    if (l->p[i + k] != (k == 6 ? '\\' : 'u'))
      return fail(l, MTASTS_E_JSON_SURROGATE, i), 0;
  }
  long w = read_u4(l, i + 7);
  if (w < 0)
    return 0;
  if (w < 0xDC00 || w > 0xDFFF)
    return fail(l, MTASTS_E_JSON_SURROGATE, i), 0;
  return 12;
}

/* The string whose opening quote is at l->pos; on success l->pos is after
 * the closing quote. */
static bool scan_string(jlex *l, jtok *t) {
  size_t i = l->pos + 1;
  t->off = l->pos;
  t->start = i;
  t->escaped = false;
  for (;;) {
    while (i < l->n && l->p[i] >= 0x20 && l->p[i] < 0x80 && l->p[i] != '"' && l->p[i] != '\\')
      i++;
    if (i >= l->n)
      return fail(l, MTASTS_E_JSON_TRUNCATED, l->n);
    unsigned char c = l->p[i];
    size_t step;
    if (c == '"')
      break;
    if (c < 0x20)
      return fail(l, MTASTS_E_JSON_CONTROL, i);
    if (c == '\\') {
      t->escaped = true;
      step = escape_len(l, i);
    } else {
      step = utf8_len(l->p + i, l->n - i);
      if (step == 0)
        return fail(l, MTASTS_E_JSON_UTF8, i);
    }
    if (step == 0)
      return false;
    i += step;
  }
  t->len = i - t->start;
  l->pos = i + 1;
  return true;
}

/* ---- numbers and literals ---- */

static bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

/* 1*DIGIT at i: the index after them, or 0 with the error set. */
static size_t digits(jlex *l, size_t i) {
  if (i >= l->n)
    return fail(l, MTASTS_E_JSON_TRUNCATED, l->n), 0;
  if (!is_digit(l->p[i]))
    return fail(l, MTASTS_E_JSON_NUMBER, i), 0;
  while (i < l->n && is_digit(l->p[i]))
    i++;
  return i;
}

/* number = [ "-" ] int [ frac ] [ exp ] (RFC 8259 6). */
static bool scan_number(jlex *l, jtok *t) {
  size_t i = l->pos;
  t->off = t->start = i;
  if (l->p[i] == '-')
    i++;
  if (i < l->n && l->p[i] == '0')
    i++;
  else if ((i = digits(l, i)) == 0)
    return false;
  if (i < l->n && l->p[i] == '.' && (i = digits(l, i + 1)) == 0)
    return false;
  if (i < l->n && (l->p[i] == 'e' || l->p[i] == 'E')) {
    i++;
    if (i < l->n && (l->p[i] == '+' || l->p[i] == '-'))
      i++;
    if ((i = digits(l, i)) == 0)
      return false;
  }
  /* What ends a number is "," "]" "}" or whitespace; a byte that could
   * have been part of one ("01", "1.5.3", "1e5e") is the number's fault. */
  if (i < l->n && (is_digit(l->p[i]) || memchr(".eE+-", l->p[i], 5) != NULL))
    return fail(l, MTASTS_E_JSON_NUMBER, i);
  t->kind = J_NUM;
  t->len = i - t->start;
  l->pos = i;
  return true;
}

static bool scan_literal(jlex *l, jtok *t, const char *word, size_t wlen, jkind kind) {
  for (size_t k = 0; k < wlen; k++) {
    if (l->pos + k >= l->n)
      return fail(l, MTASTS_E_JSON_TRUNCATED, l->n);
    if (l->p[l->pos + k] != (unsigned char)word[k])
      return fail(l, MTASTS_E_JSON_LITERAL, l->pos + k);
  }
  t->kind = kind;
  t->off = t->start = l->pos;
  t->len = wlen;
  l->pos += wlen;
  return true;
}

/* ---- member names ---- */

static bool names_equal(const jlex *l, size_t a, size_t alen, bool aesc, size_t b, size_t blen,
                        bool besc) {
  if (!aesc && !besc)
    return alen == blen && memcmp(l->p + a, l->p + b, alen) == 0;
  jdec x, y;
  jdec_begin(&x, l->p + a, alen);
  jdec_begin(&y, l->p + b, blen);
  int cx, cy;
  do {
    cx = jdec_next(&x);
    cy = jdec_next(&y);
  } while (cx == cy && cx >= 0);
  return cx == cy;
}

/* A new name in the innermost object: no duplicate, room left. The
 * escaped flag rides in the top bit of the stored length. */
static bool add_name(jlex *l, const jtok *t) {
  uint32_t first = l->frame[l->depth];
  if (l->name_top - first >= MTASTS_REPORT_MAX_MEMBERS)
    return fail(l, MTASTS_E_JSON_TOO_MANY_MEMBERS, t->off);
  for (uint32_t k = first; k < l->name_top; k++) {
    uint32_t off = l->names[k][0], len = l->names[k][1] & 0x7FFFFFFFu;
    if (names_equal(l, off, len, (l->names[k][1] >> 31) != 0, t->start, t->len, t->escaped))
      return fail(l, MTASTS_E_JSON_DUPLICATE, t->off);
  }
  l->names[l->name_top][0] = (uint32_t)t->start;
  l->names[l->name_top][1] = (uint32_t)t->len | (t->escaped ? 0x80000000u : 0u);
  l->name_top++;
  return true;
}

/* ---- structure ---- */

static bool in_object(const jlex *l) {
  return ((l->is_obj >> (l->depth - 1)) & 1u) != 0;
}

static void after_value(jlex *l) {
  l->expect = l->depth == 0 ? X_DONE : X_NEXT;
}

static bool open_container(jlex *l, jtok *t, bool object) {
  if (l->depth >= MTASTS_REPORT_MAX_DEPTH)
    return fail(l, MTASTS_E_JSON_DEPTH, l->pos);
  t->kind = object ? J_OBJ : J_ARR;
  t->off = t->start = l->pos;
  t->len = 1;
  l->depth++;
  if (object) {
    l->is_obj |= 1ull << (l->depth - 1);
    l->frame[l->depth] = l->name_top;
  } else {
    l->is_obj &= ~(1ull << (l->depth - 1));
  }
  l->pos++;
  l->expect = object ? X_KEY_OR_END : X_VALUE_OR_END;
  return true;
}

static bool close_container(jlex *l, jtok *t) {
  bool object = in_object(l);
  t->kind = object ? J_OBJ_END : J_ARR_END;
  t->off = t->start = l->pos;
  t->len = 1;
  if (object)
    l->name_top = l->frame[l->depth];
  l->depth--;
  l->pos++;
  after_value(l);
  return true;
}

static bool read_value(jlex *l, jtok *t) {
  if (l->pos >= l->n)
    return fail(
        l, l->depth == 0 && l->expect == X_VALUE ? MTASTS_E_JSON_EMPTY : MTASTS_E_JSON_TRUNCATED,
        l->n);
  unsigned char c = l->p[l->pos];
  bool ok;
  if (c == '{' || c == '[')
    return open_container(l, t, c == '{');
  if (c == '"') {
    ok = scan_string(l, t);
    t->kind = J_STR;
  } else if (c == '-' || is_digit(c)) {
    ok = scan_number(l, t);
  } else if (c == 't') {
    ok = scan_literal(l, t, "true", 4, J_TRUE);
  } else if (c == 'f') {
    ok = scan_literal(l, t, "false", 5, J_FALSE);
  } else if (c == 'n') {
    ok = scan_literal(l, t, "null", 4, J_NULL);
  } else {
    return fail(l, MTASTS_E_JSON_SYNTAX, l->pos);
  }
  if (ok)
    after_value(l);
  return ok;
}

static bool read_key(jlex *l, jtok *t) {
  if (l->pos >= l->n)
    return fail(l, MTASTS_E_JSON_TRUNCATED, l->n);
  if (l->p[l->pos] != '"')
    return fail(l, MTASTS_E_JSON_SYNTAX, l->pos);
  if (!scan_string(l, t) || !add_name(l, t))
    return false;
  t->kind = J_KEY;
  skip_ws(l);
  if (l->pos >= l->n)
    return fail(l, MTASTS_E_JSON_TRUNCATED, l->n);
  if (l->p[l->pos] != ':')
    return fail(l, MTASTS_E_JSON_SYNTAX, l->pos);
  l->pos++;
  l->expect = X_VALUE;
  return true;
}

/* After a value in a container: "," (then what it announces) or the
 * container's own closing bracket. */
static bool read_next(jlex *l, jtok *t) {
  if (l->pos >= l->n)
    return fail(l, MTASTS_E_JSON_TRUNCATED, l->n);
  unsigned char c = l->p[l->pos];
  bool object = in_object(l);
  if (c == (object ? '}' : ']'))
    return close_container(l, t);
  if (c != ',')
    return fail(l, MTASTS_E_JSON_SYNTAX, l->pos);
  l->pos++;
  skip_ws(l);
  return object ? read_key(l, t) : read_value(l, t);
}

bool jlex_next(jlex *l, jtok *t) {
  skip_ws(l);
  switch (l->expect) {
  case X_DONE:
    if (l->pos < l->n)
      return fail(l, MTASTS_E_JSON_TRAILING, l->pos);
    t->kind = J_END;
    t->off = t->start = l->n;
    t->len = 0;
    return true;
  case X_NEXT:
    return read_next(l, t);
  case X_KEY_OR_END:
    if (l->pos < l->n && l->p[l->pos] == '}')
      return close_container(l, t);
    return read_key(l, t);
  case X_VALUE_OR_END:
    if (l->pos < l->n && l->p[l->pos] == ']')
      return close_container(l, t);
    return read_value(l, t);
  default: /* X_VALUE */
    return read_value(l, t);
  }
}

/* ---- decoding ---- */

void jdec_begin(jdec *d, const unsigned char *p, size_t n) {
  memset(d, 0, sizeof *d);
  d->p = p;
  d->n = n;
}

static unsigned hex4(const unsigned char *p) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++)
    v = v * 16 + (unsigned)hex_value(p[k]);
  return v;
}

/* The UTF-8 of code point v into d->buf. */
static void put_utf8(jdec *d, unsigned long v) {
  d->bi = 0;
  if (v < 0x80) {
    d->buf[0] = (unsigned char)v;
    d->bn = 1;
  } else if (v < 0x800) {
    d->buf[0] = (unsigned char)(0xC0 | (v >> 6));
    d->buf[1] = (unsigned char)(0x80 | (v & 0x3F));
    d->bn = 2;
  } else if (v < 0x10000) {
    d->buf[0] = (unsigned char)(0xE0 | (v >> 12));
    d->buf[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
    d->buf[2] = (unsigned char)(0x80 | (v & 0x3F));
    d->bn = 3;
  } else {
    d->buf[0] = (unsigned char)(0xF0 | (v >> 18));
    d->buf[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3F));
    d->buf[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
    d->buf[3] = (unsigned char)(0x80 | (v & 0x3F));
    d->bn = 4;
  }
}

/* The escape at d->i (validated by scan_string) into d->buf. */
static void decode_escape(jdec *d) {
  unsigned char c = d->p[d->i + 1];
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  if (c != 'u') {
    d->buf[0] = (unsigned char)to[(const char *)memchr(from, c, 8) - from];
    d->bn = 1;
    d->bi = 0;
    d->i += 2;
    return;
  }
  unsigned long v = hex4(d->p + d->i + 2);
  d->i += 6;
  if (v >= 0xD800 && v <= 0xDBFF) {
    v = 0x10000 + ((v - 0xD800) << 10) + (hex4(d->p + d->i + 2) - 0xDC00);
    d->i += 6;
  }
  put_utf8(d, v);
}

int jdec_next(jdec *d) {
  if (d->bi < d->bn)
    return d->buf[d->bi++];
  if (d->i >= d->n)
    return -1;
  if (d->p[d->i] != '\\')
    return d->p[d->i++];
  decode_escape(d);
  return d->buf[d->bi++];
}

size_t jdec_copy(const unsigned char *p, size_t n, unsigned char *dst, size_t cap) {
  if (memchr(p, '\\', n) == NULL) {
    if (dst != NULL)
      memcpy(dst, p, n < cap ? n : cap);
    return n;
  }
  jdec d;
  jdec_begin(&d, p, n);
  size_t k = 0;
  for (int c; (c = jdec_next(&d)) >= 0; k++)
    if (dst != NULL && k < cap)
      dst[k] = (unsigned char)c;
  return k;
}
