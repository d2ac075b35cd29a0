/*
 * baselines.c - the least work a parser of these inputs can do, timed in the
 * same process as the parser (issue 7):
 *
 *  - memchr splitting: find every line (policies) or field (TXT records)
 *    boundary with memchr, the least any line-oriented parser must do;
 *  - a byte-class check: one 256-entry table lookup per byte, the least a
 *    parser that validates every byte must do.
 *
 * This file is its own translation unit (and the build has no LTO), so a
 * baseline is an opaque call exactly like a call into libmtasts: neither
 * can be inlined into the timing loop or hoisted out of it.
 */
#include "bench.h"

#include <string.h>

size_t baseline_memchr_split(const char *p, size_t len, char delim) {
  size_t pieces = 0;
  size_t total = 0;
  const char *end = p + len;
  while (p < end) {
    const char *hit = memchr(p, delim, (size_t)(end - p));
    size_t piece = hit != NULL ? (size_t)(hit - p) : (size_t)(end - p);
    pieces++;
    total += piece;
    p += piece + (hit != NULL ? 1u : 0u);
  }
  return pieces + total;
}

/* 1 for a byte no policy or record may hold: the controls other than HTAB,
 * LF and CR, and DEL. Bytes >= 0x80 are allowed (UTF-8 in policy values). */
static const unsigned char forbidden[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* 0x70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xa0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xb0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xc0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xd0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xe0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xf0 */
};

size_t baseline_byteclass(const char *p, size_t len) {
  const unsigned char *u = (const unsigned char *)p;
  size_t bad = 0;
  for (size_t i = 0; i < len; i++)
    bad += forbidden[u[i]];
  return bad;
}
