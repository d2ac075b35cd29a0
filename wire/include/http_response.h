/*
 * http_response.h - an HTTP/1.1 response (RFC 9112) read from a server
 * we do not trust: the policy host of some domain. A state machine fed
 * the bytes as they arrive, in pieces of any size, with fixed limits:
 * no allocation (the caller provides the reader), no I/O, no recursion.
 *
 * What it accepts, and nothing else:
 *  - zero or more interim 1xx responses (skipped; 101 is an error), then
 *    a final one: "HTTP/1." DIGIT SP 3DIGIT [SP reason-phrase] CRLF,
 *    status 100-599;
 *  - field lines "name: value" (name a token, no space before the colon,
 *    value of VCHAR / obs-text / SP / HTAB), every line ending in CRLF;
 *    a line that starts with SP or HTAB (obsolete folding) is an error;
 *  - framing: Transfer-Encoding exactly "chunked" (HTTP/1.1 only), or
 *    one Content-Length of 1-19 digits, or neither (the body runs to the
 *    end of the stream). Both, two Content-Length fields, or another
 *    transfer coding are errors: framing that two readers could
 *    understand differently is refused rather than guessed;
 *  - 204 and 304 responses have no body, whatever their fields say;
 *  - chunked: chunk-size is 1-16 hex digits, then optional extensions
 *    (BWS ";" then any VCHAR / obs-text / SP / HTAB, ignored), then CRLF;
 *    each chunk's data is followed by CRLF; trailer fields are checked
 *    as field lines and ignored.
 * The status line, the fields and every interim response together are
 * at most HTTP_HEAD_MAX bytes; all chunk extensions and trailers of the
 * response together, too. A body longer than HTTP_BODY_MAX bytes
 * stops the reader with HTTP_TOO_LARGE as soon as that is known (from
 * Content-Length or a chunk size, before the bytes are read).
 */
#ifndef MTASTS_WIRE_HTTP_RESPONSE_H
#define MTASTS_WIRE_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

#define HTTP_HEAD_MAX 16384u
#define HTTP_BODY_MAX MTASTS_POLICY_MAX_SIZE

/* X(NAME, "message"): the ways a response can be malformed. */
#define HTTP_ERROR_MAP(X)                                                                          \
  X(NONE, "no error")                                                                              \
  X(STATUS_LINE, "malformed status line")                                                          \
  X(VERSION, "not an HTTP/1.x response")                                                           \
  X(SWITCHING_PROTOCOLS, "unexpected 101 (Switching Protocols)")                                   \
  X(LINE_ENDING, "a line does not end in CRLF (bare CR or LF)")                                    \
  X(HEAD_TOO_LARGE, "status line and header fields longer than 16384 bytes")                       \
  X(FOLDING, "obsolete line folding (a field line starting with a space or tab)")                  \
  X(FIELD_NAME, "malformed field name (a token, then \":\" without a space)")                      \
  X(FIELD_VALUE, "control character in a field value")                                             \
  X(CONTENT_LENGTH, "Content-Length is not 1-19 digits")                                           \
  X(DUPLICATE_CONTENT_LENGTH, "more than one Content-Length field")                                \
  X(TRANSFER_ENCODING, "Transfer-Encoding other than a single \"chunked\"")                        \
  X(LENGTH_AND_CHUNKED, "both Content-Length and Transfer-Encoding")                               \
  X(CHUNK_SIZE, "malformed chunk size (1-16 hex digits, then extensions or CRLF)")                 \
  X(CHUNK_EXTENSION, "malformed or too long chunk extensions")                                     \
  X(CHUNK_END, "chunk data not followed by CRLF")                                                  \
  X(TRAILER, "malformed or too long trailer fields")                                               \
  X(TRUNCATED, "the response ended before its end")

typedef enum http_error {
#define HTTP_X_ENUM(name, msg) HTTP_E_##name,
  HTTP_ERROR_MAP(HTTP_X_ENUM)
#undef HTTP_X_ENUM
} http_error;

const char *http_error_message(http_error e);

typedef enum http_result {
  HTTP_MORE = 0,  /* give it more bytes, or call http_reader_eof */
  HTTP_DONE,      /* a complete response */
  HTTP_TOO_LARGE, /* the body is longer than HTTP_BODY_MAX: stop reading */
  HTTP_ERROR      /* malformed: see error and error_at */
} http_result;

typedef enum http_framing {
  HTTP_FRAMING_NONE = 0, /* no body (204, 304), or the head is not read yet */
  HTTP_FRAMING_LENGTH,
  HTTP_FRAMING_CHUNKED,
  HTTP_FRAMING_CLOSE /* until the end of the stream */
} http_framing;

/* Spans into the reader's own head buffer. */
typedef struct http_text {
  const char *ptr; /* NULL when absent */
  size_t len;
} http_text;

typedef struct http_reader {
  /* ---- results ---- */
  http_result result;
  bool head_done; /* status, fields and framing are known */
  int status;
  http_text content_type; /* several fields: joined with ", " (RFC 9110 5.3) */
  http_text location;
  http_framing framing;
  uint64_t content_length;
  size_t body_len; /* HTTP_BODY_MAX + 1 with HTTP_TOO_LARGE */
  http_error error;
  uint64_t error_at; /* with HTTP_ERROR: offset of the byte in the stream */
  /* ---- state ---- */
  int state;
  uint64_t offset; /* bytes consumed so far */
  size_t head_len;
  size_t head_budget_used; /* bytes of the interim responses before this head */
  size_t framing_used;     /* bytes of chunk extensions and trailers */
  uint64_t chunk_left;
  unsigned chunk_digits;
  bool line_cr; /* the previous byte was a CR */
  char head[HTTP_HEAD_MAX];
  char joined_type[HTTP_HEAD_MAX];
  char body[HTTP_BODY_MAX + 1];
} http_reader;

void http_reader_init(http_reader *r);

/*
 * Feed the next `len` bytes of the stream. Returns r->result; *used (if
 * not NULL) is how many bytes were consumed: all of them with
 * HTTP_MORE, fewer once the response is complete, too large or
 * malformed (later calls consume nothing and return the same result).
 */
http_result http_reader_feed(http_reader *r, const char *data, size_t len, size_t *used);

/* The stream ended: a body framed by the end of the stream is complete;
 * anything else unfinished is HTTP_E_TRUNCATED. Returns r->result. */
http_result http_reader_eof(http_reader *r);

/* The whole stream at once: init, feed, eof. */
http_result http_parse_response(http_reader *r, const char *data, size_t len);

#endif /* MTASTS_WIRE_HTTP_RESPONSE_H */
