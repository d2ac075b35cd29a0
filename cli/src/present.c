/* present.c - TXT records written as text (see present.h). */
#include "present.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* End of the line that starts at `at`: the offset of its LF, or len; a CR
 * right before the LF is not part of the line. */
static size_t line_end(const char *text, size_t len, size_t at, size_t *next) {
  const char *lf = memchr(text + at, '\n', len - at);
  size_t end = lf != NULL ? (size_t)(lf - text) : len;
  *next = lf != NULL ? end + 1 : len;
  if (end > at && text[end - 1] == '\r')
    end--;
  return end;
}

/* Decode one byte of a quoted string at text[*at] (before `end`, and not
 * the closing quote). Returns false for a malformed escape. */
static bool decode_quoted_byte(const char *text, size_t end, size_t *at, unsigned char *out) {
  if (text[*at] != '\\') {
    *out = (unsigned char)text[(*at)++];
    return true;
  }
  if (*at + 1 >= end)
    return false;
  if (!is_digit(text[*at + 1])) {
    *out = (unsigned char)text[*at + 1];
    *at += 2;
    return true;
  }
  if (*at + 3 >= end || !is_digit(text[*at + 2]) || !is_digit(text[*at + 3]))
    return false;
  unsigned value = (unsigned)(text[*at + 1] - '0') * 100u + (unsigned)(text[*at + 2] - '0') * 10u +
                   (unsigned)(text[*at + 3] - '0');
  if (value > 255u)
    return false;
  *out = (unsigned char)value;
  *at += 4;
  return true;
}

typedef struct decoder {
  cli_rrset *r;
  size_t nbytes;
  size_t nchunks;
  const char *err;
  size_t err_at;
} decoder;

static void add_chunk(decoder *d, size_t src, bool quoted, size_t start) {
  d->r->chunks[d->nchunks].ptr = d->r->bytes + start;
  d->r->chunks[d->nchunks].len = d->nbytes - start;
  d->r->chunk_src[d->nchunks] = src;
  d->r->chunk_quoted[d->nchunks] = quoted;
  d->nchunks++;
}

static bool error(decoder *d, const char *msg, size_t at) {
  d->err = msg;
  d->err_at = at;
  return false;
}

/* The quoted strings of the line [at, end). */
static bool decode_quoted_line(decoder *d, const char *text, size_t at, size_t end) {
  while (at < end) {
    if (text[at] != '"')
      return error(d, "expected a quoted string (\"...\") or the end of the line", at);
    size_t open = at++;
    size_t start = d->nbytes;
    while (at < end && text[at] != '"') {
      unsigned char byte;
      size_t esc = at;
      if (!decode_quoted_byte(text, end, &at, &byte))
        return error(d, "bad escape: use \\\" \\\\ or \\DDD (a decimal byte, 000-255)", esc);
      d->r->bytes[d->nbytes++] = (char)byte;
    }
    if (at >= end)
      return error(d, "unterminated quoted string", open);
    add_chunk(d, open + 1, true, start);
    at++;
    while (at < end && is_blank(text[at]))
      at++;
  }
  return true;
}

static bool decode_line(decoder *d, const char *text, size_t start, size_t end) {
  size_t first = start;
  while (first < end && is_blank(text[first]))
    first++;
  if (first < end && text[first] == '"')
    return decode_quoted_line(d, text, first, end);
  size_t at = d->nbytes;
  memcpy(d->r->bytes + at, text + start, end - start);
  d->nbytes += end - start;
  add_chunk(d, start, false, at);
  return true;
}

static bool allocate(cli_rrset *r, size_t len) {
  size_t lines = 1, quotes = 0;
  for (size_t i = 0; i < len; i++) {
    lines += r->text[i] == '\n';
    quotes += r->text[i] == '"';
  }
  /* A line is one raw string, or quoted strings of two quotes each. */
  size_t max_chunks = lines + quotes / 2;
  r->bytes = malloc(len > 0 ? len : 1);
  r->chunks = calloc(max_chunks, sizeof *r->chunks);
  r->chunk_src = calloc(max_chunks, sizeof *r->chunk_src);
  r->chunk_quoted = calloc(max_chunks, sizeof *r->chunk_quoted);
  r->rrs = calloc(lines, sizeof *r->rrs);
  r->rr_line = calloc(lines, sizeof *r->rr_line);
  r->rr_start = calloc(lines, sizeof *r->rr_start);
  return r->bytes != NULL && r->chunks != NULL && r->chunk_src != NULL && r->chunk_quoted != NULL &&
         r->rrs != NULL && r->rr_line != NULL && r->rr_start != NULL;
}

bool rrset_decode(const char *text, size_t len, cli_rrset *out, const char **err, size_t *err_at) {
  memset(out, 0, sizeof *out);
  out->text = text;
  out->len = len;
  decoder d = {out, 0, 0, NULL, 0};
  if (!allocate(out, len)) {
    *err = "out of memory";
    *err_at = 0;
    return false;
  }
  size_t line = 1;
  for (size_t at = 0, next = 0; at < len; at = next, line++) {
    size_t end = line_end(text, len, at, &next);
    size_t first = at;
    while (first < end && is_blank(text[first]))
      first++;
    if (first == end)
      continue;
    size_t first_chunk = d.nchunks;
    if (!decode_line(&d, text, at, end)) {
      *err = d.err;
      *err_at = d.err_at;
      return false;
    }
    out->rrs[out->count].strings = out->chunks + first_chunk;
    out->rrs[out->count].count = d.nchunks - first_chunk;
    out->rr_line[out->count] = line;
    out->rr_start[out->count] = at;
    out->count++;
  }
  return true;
}

void rrset_free(cli_rrset *r) {
  free(r->bytes);
  free(r->chunks);
  free(r->chunk_src);
  free(r->chunk_quoted);
  free(r->rrs);
  free(r->rr_line);
  free(r->rr_start);
  memset(r, 0, sizeof *r);
}

/* Where decoded byte `k` of chunk c is written in the text: walk its
 * source again, one decoded byte at a time. */
static size_t chunk_source_offset(const cli_rrset *r, size_t c, size_t k) {
  size_t at = r->chunk_src[c];
  if (!r->chunk_quoted[c])
    return at + k;
  for (size_t i = 0; i < k; i++) {
    unsigned char ignored;
    /* The chunk decoded once already, so its escapes are well formed. */
    (void)decode_quoted_byte(r->text, r->len, &at, &ignored);
  }
  return at;
}

size_t rrset_source_offset(const cli_rrset *r, size_t rr, size_t off) {
  const mtasts_rr *record = &r->rrs[rr];
  size_t first = (size_t)(record->strings - r->chunks);
  for (size_t i = 0; i < record->count; i++) {
    size_t n = record->strings[i].len;
    bool last = i + 1 == record->count;
    if (off < n || (last && off == n))
      return chunk_source_offset(r, first + i, off);
    off -= n;
  }
  return r->rr_start[rr];
}
