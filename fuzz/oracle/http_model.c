/* http_model.c - the recomputation of a complete response (see http_model.h). */
#include "http_model.h"

#include <string.h>

#include "fuzz_common.h"

/* ------------------------------------------------------------------ */
/* Independent recomputation of a complete response                    */
/* ------------------------------------------------------------------ */

/* Offset of the first `pat` at or after `from`, or n. */
static size_t find(const uint8_t *d, size_t n, size_t from, const char *pat) {
  size_t m = strlen(pat);
  for (size_t i = from; i + m <= n; i++)
    if (memcmp(d + i, pat, m) == 0)
      return i;
  return n;
}

static bool name_eq(const uint8_t *p, size_t n, const char *lower) {
  if (strlen(lower) != n)
    return false;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i] >= 'A' && p[i] <= 'Z' ? (uint8_t)(p[i] + 32) : p[i];
    if (c != (uint8_t)lower[i])
      return false;
  }
  return true;
}

static uint64_t hex_number(const uint8_t *d, size_t n, size_t *at) {
  uint64_t v = 0;
  for (; *at < n; (*at)++) {
    uint8_t c = d[*at];
    unsigned digit = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
    if (digit == 16u)
      break;
    v = v * 16u + digit;
  }
  return v;
}

/* The reader stopped where the stream does not say it can: a finding,
 * reported as such rather than as a read past the input. */
static void expect_at(bool cond, const char *what) {
  FZ_CHECK(cond, what);
}

/* One field line [s, e) of the final head. */
static void expect_field(http_expect *x, const uint8_t *d, size_t s, size_t e) {
  size_t colon = s;
  while (colon < e && d[colon] != ':')
    colon++;
  size_t v = colon + 1, ve = e;
  while (v < ve && (d[v] == ' ' || d[v] == '\t'))
    v++;
  while (ve > v && (d[ve - 1] == ' ' || d[ve - 1] == '\t'))
    ve--;
  const uint8_t *name = d + s;
  size_t nlen = colon - s;
  if (name_eq(name, nlen, "content-length")) {
    x->has_length = true;
    for (size_t i = v; i < ve; i++)
      x->content_length = x->content_length * 10u + (uint64_t)(d[i] - '0');
  } else if (name_eq(name, nlen, "transfer-encoding")) {
    x->framing = HTTP_FRAMING_CHUNKED;
  } else if (name_eq(name, nlen, "content-type")) {
    expect_at(x->content_type_len + 2 + (ve - v) <= sizeof x->content_type,
              "joined Content-Type longer than the head");
    if (x->has_content_type) {
      memcpy(x->content_type + x->content_type_len, ", ", 2);
      x->content_type_len += 2;
    }
    x->has_content_type = true;
    memcpy(x->content_type + x->content_type_len, d + v, ve - v);
    x->content_type_len += ve - v;
  } else if (name_eq(name, nlen, "location") && !x->has_location) {
    x->has_location = true;
    x->location_off = v;
    x->location_len = ve - v;
  }
}

/* Offset of the next CRLF at or after `from`; there must be one. */
static size_t crlf_from(const uint8_t *d, size_t n, size_t from) {
  size_t at = find(d, n, from, "\r\n");
  expect_at(at < n, "no CRLF where the reader saw a line end");
  return at;
}

/* The chunks from `at`: the body, and the end of the response or, when
 * a chunk would take the body past HTTP_BODY_MAX, the end of that
 * chunk's size line (the reader stops there without reading the data). */
static size_t expect_chunked(http_expect *x, const uint8_t *d, size_t n, size_t at) {
  for (;;) {
    uint64_t size = hex_number(d, n, &at);
    at = crlf_from(d, n, at) + 2;
    if (size == 0)
      break;
    if (size > HTTP_BODY_MAX - x->body_len) {
      x->too_large = true;
      return at;
    }
    expect_at(size + 2 <= n - at, "chunk data past the end of the stream");
    memcpy(x->body + x->body_len, d + at, (size_t)size);
    x->body_len += (size_t)size;
    at += (size_t)size + 2;
  }
  /* Trailer lines up to the empty one. */
  for (;;) {
    expect_at(at + 2 <= n, "trailers past the end of the stream");
    if (d[at] == '\r' && d[at + 1] == '\n')
      return at + 2;
    at = crlf_from(d, n, at) + 2;
  }
}

/* The final head [head, head_end): status, fields, framing. */
static void expect_head(http_expect *x, const uint8_t *d, size_t n, size_t *head_end) {
  size_t head = 0;
  /* Interim 1xx responses come first; each head ends at CRLF CRLF. */
  for (;;) {
    size_t end = find(d, n, head, "\r\n\r\n");
    expect_at(end < n && end >= head + 12, "no complete head where the reader saw one");
    *head_end = end + 4;
    x->status = (d[head + 9] - '0') * 100 + (d[head + 10] - '0') * 10 + (d[head + 11] - '0');
    if (x->status >= 200)
      break;
    head = *head_end;
  }
  x->framing = HTTP_FRAMING_CLOSE;
  size_t line = crlf_from(d, n, head) + 2;
  while (line < *head_end - 2) {
    size_t e = crlf_from(d, n, line);
    expect_field(x, d, line, e);
    line = e + 2;
  }
  if (x->framing == HTTP_FRAMING_CLOSE && x->has_length)
    x->framing = HTTP_FRAMING_LENGTH;
  if (x->status == 204 || x->status == 304)
    x->framing = HTTP_FRAMING_NONE;
}

/* For a reader that completed (DONE or TOO_LARGE): what the stream says,
 * redone without the reader. */
void http_expect_response(http_expect *x, const uint8_t *d, size_t n) {
  /* Field by field: the two buffers need no clearing. */
  x->has_length = x->has_content_type = x->has_location = x->too_large = false;
  x->content_length = 0;
  x->content_type_len = x->location_off = x->location_len = x->body_len = 0;
  size_t head_end = 0;
  expect_head(x, d, n, &head_end);
  size_t rest = n - head_end;
  switch (x->framing) {
  case HTTP_FRAMING_NONE:
    x->end = head_end;
    break;
  case HTTP_FRAMING_LENGTH:
    x->too_large = x->content_length > HTTP_BODY_MAX;
    if (x->too_large) {
      x->end = head_end; /* decided from the length alone */
      break;
    }
    expect_at(x->content_length <= rest, "Content-Length past the end of the stream");
    x->body_len = (size_t)x->content_length;
    memcpy(x->body, d + head_end, x->body_len);
    x->end = head_end + x->body_len;
    break;
  case HTTP_FRAMING_CHUNKED:
    x->end = expect_chunked(x, d, n, head_end);
    break;
  default: /* HTTP_FRAMING_CLOSE */
    x->too_large = rest > HTTP_BODY_MAX;
    x->body_len = x->too_large ? HTTP_BODY_MAX : rest;
    memcpy(x->body, d + head_end, x->body_len);
    x->end = head_end + (x->too_large ? HTTP_BODY_MAX + 1 : rest);
  }
}
