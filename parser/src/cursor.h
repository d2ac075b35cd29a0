/*
 * cursor.h - internal: the segmented cursor through which the TXT record
 * engine (record.c) and the writers (write_txt.c) read every byte.
 *
 * A record is a list of chunks (the character-strings of one TXT RR; an
 * already-joined record is the one-chunk case). The cursor walks the
 * chunks without copying them and never reads outside
 * [chunk.ptr, chunk.ptr + chunk.len).
 */
#ifndef MTASTS_CURSOR_H
#define MTASTS_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chars.h"
#include "mtasts.h"

/* The cursor's helpers run once or more per byte. Under the fuzzers'
 * instrumentation (ASan, UBSan, SanitizerCoverage) the compiler stops
 * inlining them, and every call then re-checks the cursor's alignment with a
 * traced comparison: forced inline, fuzz_txt_record runs 1.5 times as many
 * inputs per CPU-second (bench/README.md). */
#if defined(__GNUC__)
#define CURSOR_INLINE static inline __attribute__((always_inline))
#else
#define CURSOR_INLINE static inline
#endif

/* A position: chunk index, offset inside that chunk, offset in the
 * joined record. Away from the end, chunks[chunk] has a byte at `at`. */
typedef struct cursor_pos {
  size_t chunk;
  size_t at;
  size_t off;
} cursor_pos;

typedef struct cursor {
  const mtasts_chunk *chunks;
  size_t count;
  size_t len; /* joined offset where reading stops (the record length) */
  cursor_pos pos;
} cursor;

CURSOR_INLINE bool cursor_at_end(const cursor *c) {
  return c->pos.off >= c->len;
}

/* Move off exhausted and empty chunks, so that pos names a real byte. While
 * off < len a later chunk still holds bytes, so chunk stays < count. */
CURSOR_INLINE void cursor_settle(cursor *c) {
  while (c->pos.off < c->len && c->pos.at == c->chunks[c->pos.chunk].len) {
    c->pos.chunk++;
    c->pos.at = 0;
  }
}

/* Position the cursor at joined offset `off` (<= the chunks' total). */
CURSOR_INLINE void cursor_seek(cursor *c, size_t off) {
  size_t rest = off;
  c->pos.chunk = 0;
  while (c->pos.chunk < c->count && rest >= c->chunks[c->pos.chunk].len) {
    rest -= c->chunks[c->pos.chunk].len;
    c->pos.chunk++;
  }
  c->pos.at = rest;
  c->pos.off = off;
  cursor_settle(c);
}

CURSOR_INLINE void cursor_init(cursor *c, const mtasts_chunk *chunks, size_t count, size_t len) {
  c->chunks = chunks;
  c->count = count;
  c->len = len;
  cursor_seek(c, 0);
}

/* The current byte. Only when !cursor_at_end(c). */
CURSOR_INLINE unsigned char cursor_byte(const cursor *c) {
  return (unsigned char)c->chunks[c->pos.chunk].ptr[c->pos.at];
}

CURSOR_INLINE void cursor_next(cursor *c) {
  c->pos.at++;
  c->pos.off++;
  cursor_settle(c);
}

CURSOR_INLINE bool cursor_is(const cursor *c, unsigned char b) {
  return !cursor_at_end(c) && cursor_byte(c) == b;
}

CURSOR_INLINE bool cursor_in(const cursor *c, unsigned cls) {
  return !cursor_at_end(c) && char_is(cursor_byte(c), cls);
}

/* The bytes from the cursor to the end of its chunk, or of the record if
 * that comes first: a hot loop reads them with a plain bounded index, so
 * the chunk walk of cursor_next is paid once per chunk instead of once per
 * byte. Only when !cursor_at_end(c); the count is then >= 1 (settled). */
CURSOR_INLINE size_t cursor_run(const cursor *c, const unsigned char **bytes) {
  const mtasts_chunk *ch = &c->chunks[c->pos.chunk];
  size_t avail = ch->len - c->pos.at;
  if (avail > c->len - c->pos.off)
    avail = c->len - c->pos.off;
  *bytes = (const unsigned char *)ch->ptr + c->pos.at;
  return avail;
}

/* Advance over the first k bytes of the run cursor_run gave. */
CURSOR_INLINE void cursor_skip(cursor *c, size_t k) {
  c->pos.at += k;
  c->pos.off += k;
  cursor_settle(c);
}

/* Advance over at most `max` bytes of class `cls`; returns how many. The
 * hot loops of the parsers (names, ids, values, WSP) go through here. */
CURSOR_INLINE size_t cursor_take_class(cursor *c, unsigned cls, size_t max) {
  size_t taken = 0;
  while (taken < max && !cursor_at_end(c)) {
    const unsigned char *bytes;
    size_t avail = cursor_run(c, &bytes);
    if (avail > max - taken)
      avail = max - taken;
    size_t k = 0;
    while (k < avail && char_is(bytes[k], cls))
      k++;
    taken += k;
    cursor_skip(c, k);
    if (k < avail)
      break; /* stopped on a byte outside the class */
  }
  return taken;
}

CURSOR_INLINE void cursor_skip_wsp(cursor *c) {
  /* Most places it is called hold no WSP: one test, not a run. */
  /* mutant-equivalent(drop): a shortcut; the run takes no byte when there is no WSP */
  if (cursor_in(c, CHAR_WSP))
    (void)cursor_take_class(c, CHAR_WSP, SIZE_MAX);
}

/* Are the `len` bytes at `at` (len >= 1, all inside the record, so that
 * `at` names a byte of a real chunk) `lit`? With `fold`,
 * ASCII letters compare case-insensitively and `lit` is in lower case.
 * The bytes are short names, almost always inside one chunk: indexed
 * there, walked with the cursor only when they straddle a boundary. */
CURSOR_INLINE bool cursor_equals(const cursor *c, cursor_pos at, const char *lit, size_t len,
                                 bool fold) {
  const mtasts_chunk *ch = &c->chunks[at.chunk];
  if (len <= ch->len - at.at) {
    const unsigned char *bytes = (const unsigned char *)ch->ptr + at.at;
    for (size_t i = 0; i < len; i++)
      if ((fold ? char_lower(bytes[i]) : bytes[i]) != (unsigned char)lit[i])
        return false;
    return true;
  }
  cursor r = *c;
  r.pos = at;
  for (size_t i = 0; i < len; i++, cursor_next(&r))
    if ((fold ? char_lower(cursor_byte(&r)) : cursor_byte(&r)) != (unsigned char)lit[i])
      return false;
  return true;
}

/* The bytes from `start` to joined offset `end` (> start.off). A span that
 * does not fit in start's chunk straddles a boundary: ptr NULL. */
CURSOR_INLINE mtasts_span cursor_span(const cursor *c, cursor_pos start, size_t end) {
  const mtasts_chunk *ch = &c->chunks[start.chunk];
  mtasts_span s = {NULL, end - start.off, start.off};
  if (s.len <= ch->len - start.at)
    s.ptr = ch->ptr + start.at;
  return s;
}

#endif
