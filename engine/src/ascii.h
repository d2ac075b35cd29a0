/* ascii.h - the few byte classes the engine needs that chars.h lacks
 * (HTTP tokens, OWS, quoted-string text); internal. */
#ifndef MTASTS_ENGINE_ASCII_H
#define MTASTS_ENGINE_ASCII_H

#include <stdbool.h>
#include <stddef.h>

static inline unsigned char ascii_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32u) : c;
}

/* Case-insensitive comparison of n bytes with a lower-case literal. */
static inline bool ascii_ieq(const char *s, size_t n, const char *lower_lit, size_t lit_len) {
  if (n != lit_len)
    return false;
  for (size_t i = 0; i < n; i++)
    if (ascii_lower((unsigned char)s[i]) != (unsigned char)lower_lit[i])
      return false;
  return true;
}

#endif
