/* media_model.c - the reference media-type recogniser (see media_model.h). */
#include "media_model.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Reference media-type recogniser (RFC 9110 8.3.1, 5.6.2, 5.6.4)       */
/* ------------------------------------------------------------------ */

/* A state machine over the grammar, byte by byte, rather than the
 * engine's skip-the-token functions, so that a shared misreading is
 * unlikely:
 *   OWS type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] ) OWS */
typedef enum ref_state {
  R_LEAD,        /* OWS before the type */
  R_TYPE,        /* in the type */
  R_SUB_START,   /* after "/" */
  R_SUB,         /* in the subtype */
  R_AFTER,       /* OWS after the subtype or a parameter: ";" or the end */
  R_PARAM_START, /* after ";": OWS, ";", a name, or the end */
  R_NAME,        /* in a parameter name */
  R_VALUE_START, /* after "=" */
  R_TOKEN_VALUE, /* in a token value */
  R_QUOTED,      /* in a quoted-string */
  R_QUOTED_ESC   /* after "\" in a quoted-string */
} ref_state;

bool ref_tchar(unsigned char c) {
  if (c >= '0' && c <= '9')
    return true;
  if ((c | 0x20u) >= 'a' && (c | 0x20u) <= 'z')
    return true;
  switch (c) {
  case '!':
  case '#':
  case '$':
  case '%':
  case '&':
  case '\'':
  case '*':
  case '+':
  case '-':
  case '.':
  case '^':
  case '_':
  case '`':
  case '|':
  case '~':
    return true;
  default:
    return false;
  }
}

static bool ref_ows(unsigned char c) {
  return c == 0x20 || c == 0x09;
}

static bool ref_qdtext(unsigned char c) {
  return ref_ows(c) || c == 0x21 || (c >= 0x23 && c <= 0x7E && c != 0x5C) || c >= 0x80;
}

static bool ref_pair_char(unsigned char c) {
  return ref_ows(c) || (c >= 0x21 && c <= 0x7E) || c >= 0x80;
}

static unsigned char ref_fold(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20u) : c;
}

static bool ref_ieq(const char *p, size_t n, const char *lower) {
  size_t k = 0;
  for (; k < n && lower[k] != '\0'; k++)
    if (ref_fold((unsigned char)p[k]) != (unsigned char)lower[k])
      return false;
  return k == n && lower[k] == '\0';
}

/* A parameter ends: count it, and judge it when it is a charset. */
static void ref_end_param(ref_media *m, const char *v, size_t name_off, size_t name_len,
                          size_t value_off, size_t value_end, bool quoted) {
  m->params++;
  if (!ref_ieq(v + name_off, name_len, "charset"))
    return;
  size_t from = quoted ? value_off + 1 : value_off;
  size_t to = quoted ? value_end - 1 : value_end;
  if (!m->has_charset) {
    m->has_charset = true;
    m->charset_off = from;
    m->charset_len = to - from;
  }
  /* The value as meant: quoted-pairs resolved; longer than "us-ascii"
   * cannot be either name. */
  char plain[9];
  size_t n = 0;
  bool too_long = false;
  for (size_t i = from; i < to; i++) {
    if (quoted && v[i] == '\\')
      i++;
    if (n == sizeof plain) {
      too_long = true;
      break;
    }
    plain[n++] = v[i];
  }
  if (too_long || !(ref_ieq(plain, n, "utf-8") || ref_ieq(plain, n, "us-ascii")))
    m->charset_other = true;
}

void ref_media_parse(const char *v, size_t len, ref_media *m) {
  memset(m, 0, sizeof *m);
  ref_state s = R_LEAD;
  size_t name_off = 0, name_len = 0, value_off = 0;
  size_t i = 0;
  for (; i < len; i++) {
    unsigned char c = (unsigned char)v[i];
    ref_state next = s;
    bool ok = true;
    switch (s) {
    case R_LEAD:
      if (ref_tchar(c)) {
        next = R_TYPE;
        m->type_off = i;
      } else
        ok = ref_ows(c);
      break;
    case R_TYPE:
      if (c == '/') {
        next = R_SUB_START;
        m->type_len = i - m->type_off;
      } else
        ok = ref_tchar(c);
      break;
    case R_SUB_START:
      ok = ref_tchar(c);
      next = R_SUB;
      m->sub_off = i;
      break;
    case R_SUB:
      if (!ref_tchar(c)) {
        m->sub_len = i - m->sub_off;
        next = c == ';' ? R_PARAM_START : R_AFTER;
        ok = c == ';' || ref_ows(c);
      }
      break;
    case R_AFTER:
      next = c == ';' ? R_PARAM_START : R_AFTER;
      ok = c == ';' || ref_ows(c);
      break;
    case R_PARAM_START:
      if (ref_tchar(c)) {
        next = R_NAME;
        name_off = i;
      } else
        ok = c == ';' || ref_ows(c);
      break;
    case R_NAME:
      if (c == '=') {
        next = R_VALUE_START;
        name_len = i - name_off;
      } else
        ok = ref_tchar(c);
      break;
    case R_VALUE_START:
      value_off = i;
      next = c == '"' ? R_QUOTED : R_TOKEN_VALUE;
      ok = c == '"' || ref_tchar(c);
      break;
    case R_TOKEN_VALUE:
      if (!ref_tchar(c)) {
        ok = c == ';' || ref_ows(c);
        if (ok)
          ref_end_param(m, v, name_off, name_len, value_off, i, false);
        next = c == ';' ? R_PARAM_START : R_AFTER;
      }
      break;
    case R_QUOTED:
      if (c == '"') {
        ref_end_param(m, v, name_off, name_len, value_off, i + 1, true);
        next = R_AFTER;
      } else if (c == '\\') {
        next = R_QUOTED_ESC;
      } else
        ok = ref_qdtext(c);
      break;
    case R_QUOTED_ESC:
      ok = ref_pair_char(c);
      next = R_QUOTED;
      break;
    }
    if (!ok)
      break;
    s = next;
  }
  m->reject_at = i;
  if (i < len)
    return;
  if (s == R_SUB)
    m->sub_len = len - m->sub_off;
  if (s == R_TOKEN_VALUE)
    ref_end_param(m, v, name_off, name_len, value_off, len, false);
  m->valid = s == R_SUB || s == R_AFTER || s == R_PARAM_START || s == R_TOKEN_VALUE;
}

bool ref_is_text_plain(const char *v, const ref_media *m) {
  return m->valid && ref_ieq(v + m->type_off, m->type_len, "text") &&
         ref_ieq(v + m->sub_off, m->sub_len, "plain");
}
