/*
 * text.h - growable byte buffers and the escapings the reports need.
 *
 * The runner is a tool, not the library: it allocates freely, and an
 * allocation failure ends the process (there is nothing useful to do).
 */
#ifndef CONF_TEXT_H
#define CONF_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sbuf {
  char *data; /* always NUL-terminated once anything was written */
  size_t len;
  size_t cap;
} sbuf;

void sb_init(sbuf *b);
void sb_free(sbuf *b);
void sb_reset(sbuf *b);
void sb_putn(sbuf *b, const char *s, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_putc(sbuf *b, char c);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty); valid until the next write. */
const char *sb_str(sbuf *b);
/* Hands the buffer to the caller (free() it) and leaves b empty. */
char *sb_take(sbuf *b);

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Appends n bytes as lowercase hex. */
void sb_put_hex(sbuf *b, const unsigned char *bytes, size_t n);

/* Decodes hex (either case, even length) into a fresh buffer of *out_len
 * bytes (never NULL, even for ""). Returns false on a bad digit or an odd
 * length. */
bool hex_decode(const char *hex, size_t hex_len, unsigned char **out, size_t *out_len);

/*
 * Appends bytes as a C-like string body: printable ASCII as is, `\\` and
 * `"` escaped, \r \n \t, every other byte as \xNN. The result is pure
 * printable ASCII, so the other escapers below never see control bytes
 * coming from vector inputs. At most `limit` input bytes are shown (0:
 * no limit), followed by "...(+N bytes)".
 */
void sb_put_readable(sbuf *b, const unsigned char *bytes, size_t n, size_t limit);

/* Escapes for XML/HTML text and attribute values (& < > " '). Control
 * bytes other than TAB/LF/CR become "?", because XML 1.0 cannot carry
 * them at all, not even as character references. */
void sb_put_xml(sbuf *b, const char *s, size_t n);

/* Escapes for a Markdown table cell: | and ` and newlines. */
void sb_put_md_cell(sbuf *b, const char *s, size_t n);

/* Writes the whole buffer to path. Returns false (errno set) on failure. */
bool write_file(const char *path, const char *data, size_t len);

#endif
