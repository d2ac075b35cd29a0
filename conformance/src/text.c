#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("mtasts-conformance: out of memory\n", stderr);
    exit(3);
  }
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fputs("mtasts-conformance: out of memory\n", stderr);
    exit(3);
  }
  return q;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

void sb_init(sbuf *b) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void sb_free(sbuf *b) {
  free(b->data);
  sb_init(b);
}

void sb_reset(sbuf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

static void sb_reserve(sbuf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void sb_putn(sbuf *b, const char *s, size_t n) {
  sb_reserve(b, n);
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s) {
  sb_putn(b, s, strlen(s));
}

void sb_putc(sbuf *b, char c) {
  sb_putn(b, &c, 1);
}

void sb_printf(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    sb_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

const char *sb_str(sbuf *b) {
  return b->data ? b->data : "";
}

char *sb_take(sbuf *b) {
  char *s = b->data ? b->data : xstrdup("");
  sb_init(b);
  return s;
}

void sb_put_hex(sbuf *b, const unsigned char *bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    char pair[2] = {digits[bytes[i] >> 4], digits[bytes[i] & 15]};
    sb_putn(b, pair, 2);
  }
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool hex_decode(const char *hex, size_t hex_len, unsigned char **out, size_t *out_len) {
  *out = NULL;
  *out_len = 0;
  if (hex_len % 2 != 0)
    return false;
  unsigned char *buf = xmalloc(hex_len / 2);
  for (size_t i = 0; i < hex_len; i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      free(buf);
      return false;
    }
    buf[i / 2] = (unsigned char)(hi * 16 + lo);
  }
  *out = buf;
  *out_len = hex_len / 2;
  return true;
}

void sb_put_readable(sbuf *b, const unsigned char *bytes, size_t n, size_t limit) {
  size_t shown = (limit && n > limit) ? limit : n;
  for (size_t i = 0; i < shown; i++) {
    unsigned char c = bytes[i];
    switch (c) {
    case '\\':
      sb_puts(b, "\\\\");
      break;
    case '"':
      sb_puts(b, "\\\"");
      break;
    case '\r':
      sb_puts(b, "\\r");
      break;
    case '\n':
      sb_puts(b, "\\n");
      break;
    case '\t':
      sb_puts(b, "\\t");
      break;
    default:
      if (c >= 0x20 && c < 0x7f)
        sb_putc(b, (char)c);
      else
        sb_printf(b, "\\x%02x", c);
    }
  }
  if (shown < n)
    sb_printf(b, "...(+%zu bytes)", n - shown);
}

void sb_put_xml(sbuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '&':
      sb_puts(b, "&amp;");
      break;
    case '<':
      sb_puts(b, "&lt;");
      break;
    case '>':
      sb_puts(b, "&gt;");
      break;
    case '"':
      sb_puts(b, "&quot;");
      break;
    case '\'':
      sb_puts(b, "&#39;");
      break;
    default:
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
        sb_putc(b, '?');
      else
        sb_putc(b, (char)c);
    }
  }
}

void sb_put_md_cell(sbuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '|')
      sb_puts(b, "\\|");
    else if (c == '`')
      sb_puts(b, "'");
    else if (c == '\n' || c == '\r')
      sb_putc(b, ' ');
    else if (c == '<')
      sb_puts(b, "&lt;");
    else
      sb_putc(b, c);
  }
}

bool write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return false;
  bool ok = fwrite(data, 1, len, f) == len;
  int saved = errno;
  if (fclose(f) != 0)
    ok = false;
  else
    errno = saved;
  return ok;
}
