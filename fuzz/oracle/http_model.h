/*
 * http_model.h - fuzz_http_response's independent recomputation of a
 * complete response: where the head ends, which fields it holds, how the
 * body is delimited, redone from the bytes without the reader (wire/'s
 * grammar is trusted for the rest). A place where the stream does not say
 * what the reader said is a finding (FZ_CHECK).
 */
#ifndef MTASTS_FUZZ_HTTP_MODEL_H
#define MTASTS_FUZZ_HTTP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http_response.h"

typedef struct http_expect {
  int status;
  http_framing framing;
  bool has_length;
  uint64_t content_length;
  char content_type[HTTP_HEAD_MAX];
  size_t content_type_len;
  bool has_content_type;
  size_t location_off, location_len;
  bool has_location;
  char body[HTTP_BODY_MAX];
  size_t body_len;
  bool too_large;
  size_t end; /* offset just past the response, or where the reader stops */
} http_expect;

/* For a reader that completed (DONE or TOO_LARGE) on d[0, n): what the
 * stream says. */
void http_expect_response(http_expect *x, const uint8_t *d, size_t n);

#endif /* MTASTS_FUZZ_HTTP_MODEL_H */
