/*
 * record.h - internal: the engine shared by the _mta-sts (txt.c) and
 * _smtp._tls (tlsrpt.c) TXT record parsers and their writers.
 *
 * A record is a list of chunks (the character-strings of one TXT RR; an
 * already-joined record is the one-chunk case). Every byte is read through
 * record_cursor, which walks the chunks without copying them and never
 * reads outside [chunk.ptr, chunk.ptr + chunk.len).
 */
#ifndef MTASTS_RECORD_H
#define MTASTS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chars.h"
#include "mtasts.h"

/* ------------------------------------------------------------------ */
/* The cursor                                                          */
/* ------------------------------------------------------------------ */

/* A position: chunk index, offset inside that chunk, offset in the
 * joined record. Away from the end, chunks[chunk] has a byte at `at`. */
typedef struct record_pos {
  size_t chunk;
  size_t at;
  size_t off;
} record_pos;

typedef struct record_cursor {
  const mtasts_chunk *chunks;
  size_t count;
  size_t len; /* joined offset where reading stops (the record length) */
  record_pos pos;
} record_cursor;

static inline bool record_at_end(const record_cursor *c) {
  return c->pos.off >= c->len;
}

/* Move off exhausted and empty chunks, so that pos names a real byte. While
 * off < len a later chunk still holds bytes, so chunk stays < count. */
static inline void record_settle(record_cursor *c) {
  while (c->pos.off < c->len && c->pos.at == c->chunks[c->pos.chunk].len) {
    c->pos.chunk++;
    c->pos.at = 0;
  }
}

/* Position the cursor at joined offset `off` (<= the chunks' total). */
static inline void record_seek(record_cursor *c, size_t off) {
  size_t rest = off;
  c->pos.chunk = 0;
  while (c->pos.chunk < c->count && rest >= c->chunks[c->pos.chunk].len) {
    rest -= c->chunks[c->pos.chunk].len;
    c->pos.chunk++;
  }
  c->pos.at = rest;
  c->pos.off = off;
  record_settle(c);
}

static inline void record_cursor_init(record_cursor *c, const mtasts_chunk *chunks, size_t count,
                                      size_t len) {
  c->chunks = chunks;
  c->count = count;
  c->len = len;
  record_seek(c, 0);
}

/* The current byte. Only when !record_at_end(c). */
static inline unsigned char record_byte(const record_cursor *c) {
  return (unsigned char)c->chunks[c->pos.chunk].ptr[c->pos.at];
}

static inline void record_next(record_cursor *c) {
  c->pos.at++;
  c->pos.off++;
  record_settle(c);
}

static inline bool record_is(const record_cursor *c, unsigned char b) {
  return !record_at_end(c) && record_byte(c) == b;
}

static inline bool record_in(const record_cursor *c, unsigned cls) {
  return !record_at_end(c) && mtasts_is(record_byte(c), cls);
}

/*
 * Advance over at most `max` bytes of class `cls`; returns how many. The
 * hot loops of the parsers (names, ids, values, WSP) go through here: it
 * scans the current chunk with a plain bounded index, so the chunk walk of
 * record_next is paid once per chunk instead of once per byte. Each step is
 * bounded by the chunk, the record length and the cap.
 */
static inline size_t record_take_class(record_cursor *c, unsigned cls, size_t max) {
  size_t taken = 0;
  while (taken < max && !record_at_end(c)) {
    const mtasts_chunk *ch = &c->chunks[c->pos.chunk];
    const unsigned char *bytes = (const unsigned char *)ch->ptr + c->pos.at;
    size_t avail = ch->len - c->pos.at; /* >= 1: the cursor is settled */
    if (avail > c->len - c->pos.off)
      avail = c->len - c->pos.off;
    if (avail > max - taken)
      avail = max - taken;
    size_t k = 0;
    while (k < avail && mtasts_is(bytes[k], cls))
      k++;
    c->pos.at += k;
    c->pos.off += k;
    taken += k;
    record_settle(c);
    if (k < avail)
      break; /* stopped on a byte outside the class */
  }
  return taken;
}

static inline void record_skip_wsp(record_cursor *c) {
  (void)record_take_class(c, MTASTS_C_WSP, SIZE_MAX);
}

/* The bytes from `start` to joined offset `end` (> start.off). A span that
 * does not fit in start's chunk straddles a boundary: ptr NULL. */
static inline mtasts_span record_span(const record_cursor *c, record_pos start, size_t end) {
  const mtasts_chunk *ch = &c->chunks[start.chunk];
  mtasts_span s = {NULL, end - start.off, start.off};
  if (s.len <= ch->len - start.at)
    s.ptr = ch->ptr + start.at;
  return s;
}

/* ------------------------------------------------------------------ */
/* Reading the spans of a result (copy and writers)                    */
/* ------------------------------------------------------------------ */

/* Where a parse result came from (its src_* fields). */
typedef struct record_source {
  const mtasts_chunk *strings; /* NULL for a joined record */
  size_t count;
  const char *joined;
  size_t len;
} record_source;

/* Open a cursor over the bytes of span `s`: directly through s.ptr, or
 * gathered from the source. `one` is storage for a single chunk. False if
 * the bytes cannot be reached (no source, or the span lies outside it). */
bool record_open_span(const record_source *src, mtasts_span s, mtasts_chunk *one, record_cursor *c);

/* mtasts_txt_copy / mtasts_tlsrpt_copy. */
size_t record_copy(const record_source *src, mtasts_span s, char *dst, size_t cap);

/* ------------------------------------------------------------------ */
/* The engine: version, then ";"-separated name=value fields           */
/* ------------------------------------------------------------------ */

typedef struct record_parser record_parser;

/* What differs between _mta-sts and _smtp._tls records. */
typedef struct record_kind {
  const char *version; /* "v=STSv1" / "v=TLSRPTv1" */
  size_t version_len;
  const char *known; /* the one required field: "id" / "rua" */
  size_t known_len;
  mtasts_code missing; /* when `known` never occurs */
  /* The value of the first `known` field; the cursor is just after "=". */
  mtasts_code (*parse_known)(record_parser *p);
  /* The value of a later `known` field (R3: its own production or the
   * generic extension production). */
  mtasts_code (*check_duplicate)(record_parser *p);
} record_kind;

struct record_parser {
  record_cursor cur;
  mtasts_profile profile;
  mtasts_diags *warnings; /* may be NULL */
  size_t err_offset;
  bool known_seen;
  mtasts_ext *ext; /* the result's extension array and count */
  size_t *ext_count;
  record_pos ext_name_pos[MTASTS_MAX_EXTENSIONS]; /* to compare names in place */
  void *result;                                   /* mtasts_txt / mtasts_tlsrpt */
};

/* Check the options and the chunk list, reset the warning count and
 * measure the joined record. Returns MTASTS_OK, or an error whose offset
 * is stored in *err_offset (E_ARGUMENT, E_EMPTY, E_TXT_TOO_LARGE). */
mtasts_code record_prepare(const mtasts_chunk *chunks, size_t count, const mtasts_options *opt,
                           size_t *len, size_t *err_offset);

void record_parser_init(record_parser *p, const mtasts_chunk *chunks, size_t count, size_t len,
                        const mtasts_options *opt, mtasts_ext *ext, size_t *ext_count,
                        void *result);

/* Parse the whole record. On failure p->err_offset says where. */
mtasts_code record_run(const record_kind *k, record_parser *p);

/* Fail with `code` at `off` (E_NUL instead if the byte there is NUL). */
mtasts_code record_fail(record_parser *p, mtasts_code code, size_t off);

/* Fail at the cursor. */
static inline mtasts_code record_fail_here(record_parser *p, mtasts_code code) {
  return record_fail(p, code, p->cur.pos.off);
}

void record_warn(record_parser *p, mtasts_code code, size_t off);

/* The end of a field value: end of record, WSP or ";". */
static inline bool record_value_ends(const record_cursor *c) {
  return record_at_end(c) || record_in(c, MTASTS_C_WSP) || record_is(c, ';');
}

/* sts-ext-value / tlsrpt-ext-value at the cursor. */
mtasts_code record_generic_value(record_parser *p);

/* RRset selection shared by mtasts_txt_select and mtasts_tlsrpt_select:
 * checks the arguments and the sizes, counts the RRs that begin with the
 * version (R1, R2). MTASTS_OK means exactly one, at sel->index. */
mtasts_code record_select(const record_kind *k, const mtasts_rr *rrs, size_t count,
                          const mtasts_options *opt, mtasts_rrset_result *sel, size_t *err_offset);

/* True if the cursor's bytes are exactly one usable rua URI (tlsrpt.c);
 * its kind goes to *kind. For the writer's plausibility check. */
bool record_rua_usable(record_cursor *c, mtasts_rua_scheme *kind);

#endif
