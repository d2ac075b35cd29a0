/* chars.c - the byte-class table and the UTF-8 checker (see chars.h). */
#include "chars.h"

#define RP (CHAR_REGNAME | CHAR_PATH)
#define A (CHAR_ALPHA | CHAR_EXTNAME | CHAR_TXTVAL | CHAR_VCHAR | CHAR_URI | RP | CHAR_SCHEME)
#define AH (A | CHAR_HEX)
#define D                                                                                          \
  (CHAR_DIGIT | CHAR_EXTNAME | CHAR_TXTVAL | CHAR_VCHAR | CHAR_URI | CHAR_HEX | RP | CHAR_SCHEME)
#define W CHAR_WSP
/* visible, allowed in a TXT value, in a URI */
#define VU (CHAR_TXTVAL | CHAR_VCHAR | CHAR_URI)
/* visible, allowed in a TXT value, not in a URI */
#define VT (CHAR_TXTVAL | CHAR_VCHAR)
/* a sub-delim other than "=" (not TXTVAL) */
#define SD (VU | RP)
/* gen-delims ":" "/" "@", plain in a path */
#define GP (VU | CHAR_PATH)
/* "_", and "-" "." (also scheme bytes): ext-name characters that are also URI unreserved */
#define N (CHAR_EXTNAME | VU | RP)
#define NS (N | CHAR_SCHEME)

/* clang-format off: one row per 16 bytes reads better than the formatter's layout. */
// clang-format off
const uint16_t char_class[256] = {
    /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, W, 0, 0, 0, 0, 0, 0,
    /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x20   SP  !   "   #   $   %   &   '   (   )   *   +   ,   -   .   / */
    W, VT, VT, VU, SD, VU, SD, SD, SD, SD, SD, SD | CHAR_SCHEME, VT, NS, NS, GP,
    /* 0x30   0-9, :  ;  <  =  >  ? */
    D, D, D, D, D, D, D, D, D, D, GP, CHAR_VCHAR, VT, CHAR_VCHAR | CHAR_URI | RP, VT, VU,
    /* 0x40   @  A-O */
    GP, AH, AH, AH, AH, AH, AH, A, A, A, A, A, A, A, A, A,
    /* 0x50   P-Z  [  \  ]  ^  _ */
    A, A, A, A, A, A, A, A, A, A, A, VU, VT, VU, VT, N,
    /* 0x60   `  a-o */
    VT, AH, AH, AH, AH, AH, AH, A, A, A, A, A, A, A, A, A,
    /* 0x70   p-z  {  |  }  ~  DEL */
    A, A, A, A, A, A, A, A, A, A, A, VT, VT, VT, VU | RP, 0,
    /* 0x80-0xff: none of the ASCII classes */
};
// clang-format on

size_t utf8_multibyte(const unsigned char *p, size_t n) {
  if (n == 0)
    return 0;
  unsigned char b0 = p[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) { /* mutant-equivalent(const): DF is taken above */
    need = 3;
    if (b0 == 0xE0)
      lo = 0xA0; /* no overlongs */
    else if (b0 == 0xED)
      hi = 0x9F;                         /* no surrogates */
  } else if (b0 >= 0xF0 && b0 <= 0xF4) { /* mutant-equivalent(const): EF is taken above */
    need = 4;
    if (b0 == 0xF0)
      lo = 0x90; /* no overlongs */
    else if (b0 == 0xF4)
      hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    return 0;
  }
  if (n < need || p[1] < lo || p[1] > hi)
    return 0;
  /* mutant-equivalent(const): from 1, the loop re-checks p[1], already inside [lo, hi], which
   * lies inside 80-BF */
  for (size_t i = 2; i < need; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return need;
}
