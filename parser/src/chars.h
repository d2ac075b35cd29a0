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
  MTASTS_C_ALPHA = 1u << 0,   /* %x41-5A / %x61-7A */
  MTASTS_C_DIGIT = 1u << 1,   /* %x30-39 */
  MTASTS_C_WSP = 1u << 2,     /* SP / HTAB */
  MTASTS_C_EXTNAME = 1u << 3, /* ALPHA / DIGIT / "_" / "-" / "." */
  MTASTS_C_TXTVAL = 1u << 4,  /* %x21-3A / %x3C / %x3E-7E */
  MTASTS_C_VCHAR = 1u << 5,   /* %x21-7E */
  MTASTS_C_URI = 1u << 6,     /* RFC 3986 unreserved / sub-delims / gen-delims,
                                 minus "," "!" ";" (RFC 8460 MUST-encode) */
  MTASTS_C_HEX = 1u << 7      /* HEXDIG, either case */
};

extern const uint8_t mtasts_char_class[256];

static inline bool mtasts_is(unsigned char c, unsigned cls) {
  return (mtasts_char_class[c] & cls) != 0;
}

static inline bool mtasts_is_alnum(unsigned char c) {
  return mtasts_is(c, MTASTS_C_ALPHA | MTASTS_C_DIGIT);
}

static inline unsigned char mtasts_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * Length of the well-formed UTF-8 multi-byte sequence (UTF8-2 / UTF8-3 /
 * UTF8-4 of RFC 3629 section 4) at p[0..n), or 0 if there is none there.
 * ASCII bytes return 0: callers handle them by class.
 */
size_t mtasts_utf8_multibyte(const unsigned char *p, size_t n);

#endif
