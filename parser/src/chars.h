/*
 * chars.h - byte classes for the RFC 8461 / 8460 grammars (internal).
 *
 * A 256-entry table instead of <ctype.h>: the classes are the ABNF's,
 * not the C locale's, and a table lookup cannot read outside itself.
 */
#ifndef MTASTS_CHARS_H
#define MTASTS_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  CHAR_ALPHA = 1u << 0,   /* %x41-5A / %x61-7A */
  CHAR_DIGIT = 1u << 1,   /* %x30-39 */
  CHAR_WSP = 1u << 2,     /* SP / HTAB */
  CHAR_EXTNAME = 1u << 3, /* ALPHA / DIGIT / "_" / "-" / "." */
  CHAR_TXTVAL = 1u << 4,  /* %x21-3A / %x3C / %x3E-7E */
  CHAR_VCHAR = 1u << 5,   /* %x21-7E */
  CHAR_URI = 1u << 6,     /* RFC 3986 unreserved / sub-delims / gen-delims,
                                 minus "," "!" ";" (RFC 8460 MUST-encode) */
  CHAR_HEX = 1u << 7,     /* HEXDIG, either case */
  /* The URI's runs, which uri.c passes over a run at a time: */
  CHAR_SCHEME = 1u << 8,  /* a scheme byte after the first: ALPHA / DIGIT / "+" / "-" / "." */
  CHAR_REGNAME = 1u << 9, /* unreserved / sub-delims, minus "," "!" ";" */
  CHAR_PATH = 1u << 10    /* REGNAME / ":" / "@" / "/": the URI bytes other than "%" "[" "]"
                             "?" "#", which change no state in a path, query or fragment */
};

extern const uint16_t char_class[256];

static inline bool char_is(unsigned char c, unsigned cls) {
  return (char_class[c] & cls) != 0;
}

static inline bool char_is_alnum(unsigned char c) {
  return char_is(c, CHAR_ALPHA | CHAR_DIGIT);
}

static inline unsigned char char_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * Length of the well-formed UTF-8 multi-byte sequence (UTF8-2 / UTF8-3 /
 * UTF8-4 of RFC 3629 section 4) at p[0..n), or 0 if there is none there.
 * ASCII bytes return 0: callers handle them by class.
 */
size_t utf8_multibyte(const unsigned char *p, size_t n);

#endif
