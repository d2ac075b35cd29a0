/* http_response.c - the HTTP/1.1 response reader (see http_response.h). */
#include "http_response.h"

#include <string.h>

static const char *const error_messages[] = {
#define HTTP_X_MSG(name, msg) msg,
    HTTP_ERROR_MAP(HTTP_X_MSG)
#undef HTTP_X_MSG
};

const char *http_error_message(http_error e) {
  size_t i = (size_t)e;
  /* mutant-equivalent(const): every element has the same size */
  return i < sizeof error_messages / sizeof error_messages[0] ? error_messages[i] : "unknown error";
}

enum {
  ST_HEAD,
  ST_BODY_LENGTH,
  ST_BODY_CLOSE,
  ST_CHUNK_SIZE,
  ST_CHUNK_BWS, /* whitespace after the size: only ";" may follow */
  ST_CHUNK_EXT,
  ST_CHUNK_SIZE_LF,
  ST_CHUNK_DATA,
  ST_CHUNK_DATA_CR,
  ST_CHUNK_DATA_LF,
  ST_TRAILER_START, /* at the start of a trailer line, or of the final CRLF */
  ST_TRAILER_NAME,
  ST_TRAILER_VALUE,
  ST_TRAILER_LF,
  ST_END_LF,
  ST_FINISHED
};

/* ------------------------------------------------------------------ */
/* Character classes (RFC 9110 5.6.2, 5.5), without <ctype.h>          */
/* ------------------------------------------------------------------ */

static bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_tchar(unsigned char c) {
  static const char punct[] = "!#$%&'*+-.^_`|~";
  /* memchr with the length, not strchr: wire/ calls only memcpy, memcmp,
   * memchr and memset (ci/check_symbols.sh), and the NUL is not a tchar */
  return is_alpha(c) || is_digit(c) || memchr(punct, c, sizeof punct - 1) != NULL;
}

static bool is_wsp(unsigned char c) {
  return c == ' ' || c == '\t';
}

/* field-vchar / SP / HTAB: VCHAR, obs-text, SP, HTAB. */
static bool is_value_char(unsigned char c) {
  /* mutant-equivalent(const=0x20): 0x20 is SP, which is_wsp takes already */
  return is_wsp(c) || (c >= 0x21 && c != 0x7F);
}

static int hex_value(unsigned char c) {
  if (is_digit(c))
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  /* mutant-equivalent(const): callers only ask v >= 0 */
  return -1;
}

static char lower(char c) {
  /* mutant-equivalent(rel): no name compared here (content-length, transfer-encoding,
   * content-type, location, chunked) has a "z": a "Z" fails to match either way */
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The name's length from its literal (NAME_IS): no strlen, which an
 * unoptimised build would call. */
#define NAME_IS(p, n, lit) name_is((p), (n), (lit), sizeof(lit) - 1)

static bool name_is(const char *p, size_t n, const char *name, size_t name_len) {
  if (name_len != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (lower(p[i]) != name[i])
      return false;
  return true;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

static void fail(http_reader *r, http_error e, uint64_t at) {
  r->result = HTTP_ERROR;
  r->error = e;
  r->error_at = at;
  /* mutant-equivalent(drop): once result is set, feed and eof return before state is read */
  r->state = ST_FINISHED;
}

static void finish(http_reader *r) {
  r->result = HTTP_DONE;
  /* mutant-equivalent(drop): once result is set, feed and eof return before state is read */
  r->state = ST_FINISHED;
}

static void too_large(http_reader *r) {
  r->result = HTTP_TOO_LARGE;
  r->body_len = HTTP_BODY_MAX + 1;
  /* mutant-equivalent(drop): once result is set, feed and eof return before state is read */
  r->state = ST_FINISHED;
}

/* Chunk extensions and trailers share one budget of HTTP_HEAD_MAX bytes:
 * a server cannot pad a small body with endless framing. */
static bool spend_budget(http_reader *r, http_error e) {
  if (r->framing_used >= HTTP_HEAD_MAX) {
    fail(r, e, r->offset);
    return false;
  }
  r->framing_used++;
  return true;
}

/* ------------------------------------------------------------------ */
/* The head: status line and field lines, parsed once complete          */
/* ------------------------------------------------------------------ */

typedef struct head_fields {
  int minor;
  size_t content_lengths;
  size_t transfer_encodings;
  bool chunked;
} head_fields;

/* A line of the head: [start, end) without its CRLF. */
typedef struct head_line {
  size_t start;
  size_t end;
} head_line;

static uint64_t head_offset(const http_reader *r, size_t at) {
  /* The head is complete: offset is just past its last byte. */
  return r->offset + 1 - r->head_len + at;
}

static bool next_line(const http_reader *r, size_t *pos, head_line *line) {
  /* mutant-equivalent(arith): a CR is always found before head_len (each line of a complete
   * head ends in CRLF and the loop stops at the empty one), so a longer bound finds the same */
  const char *cr = memchr(r->head + *pos, '\r', r->head_len - *pos);
  /* No CR (never, in a complete head) is the end of the lines: the line
   * is then the rest of the head, and the caller stops. */
  line->start = *pos;
  line->end = cr != NULL ? (size_t)(cr - r->head) : r->head_len;
  *pos = line->end + 2; /* every CR is followed by LF: checked while reading */
  return cr != NULL;
}

/* "HTTP/1." DIGIT SP 3DIGIT [SP reason-phrase] */
static bool parse_status_line(http_reader *r, head_line l, head_fields *f) {
  /* mutant-equivalent(arith): the status line starts the head: l.start is 0 */
  const unsigned char *p = (const unsigned char *)r->head + l.start;
  /* mutant-equivalent(arith): the status line starts the head: l.start is 0 */
  size_t n = l.end - l.start;
  /* mutant-equivalent(const=4): a line of 4 bytes is followed by its CR, which the memcmp finds
   * unequal to "/": the same error */
  if (n < 5 || memcmp(p, "HTTP/", 5) != 0) {
    fail(r, HTTP_E_VERSION, head_offset(r, l.start));
    return false;
  }
  /* mutant-equivalent(const=7): at n == 7, p[7] is the line's CR, not a digit: the same error */
  if (n < 8 || !is_digit(p[5]) || p[6] != '.' || !is_digit(p[7])) {
    fail(r, HTTP_E_STATUS_LINE, head_offset(r, l.start + 5));
    return false;
  }
  if (p[5] != '1') {
    fail(r, HTTP_E_VERSION, head_offset(r, l.start + 5));
    return false;
  }
  f->minor = p[7] - '0';
  /* mutant-equivalent(const=11): at n == 11, p[11] is the line's CR, not a digit: the same error */
  if (n < 12 || p[8] != ' ' || !is_digit(p[9]) || !is_digit(p[10]) || !is_digit(p[11])) {
    fail(r, HTTP_E_STATUS_LINE, head_offset(r, l.start + 8));
    return false;
  }
  int status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
  if (status < 100 || status > 599) {
    fail(r, HTTP_E_STATUS_LINE, head_offset(r, l.start + 9));
    return false;
  }
  if (n > 12 && p[12] != ' ') {
    fail(r, HTTP_E_STATUS_LINE, head_offset(r, l.start + 12));
    return false;
  }
  /* mutant-equivalent(const=12): p[12] is the SP checked above, a value byte */
  for (size_t i = 13; i < n; i++) {
    if (!is_value_char(p[i])) {
      fail(r, HTTP_E_STATUS_LINE, head_offset(r, l.start + i));
      return false;
    }
  }
  r->status = status;
  return true;
}

static bool parse_content_length(http_reader *r, const char *v, size_t n, size_t at) {
  if (n == 0 || n > 19) {
    fail(r, HTTP_E_CONTENT_LENGTH, head_offset(r, at));
    return false;
  }
  uint64_t value = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit((unsigned char)v[i])) {
      fail(r, HTTP_E_CONTENT_LENGTH, head_offset(r, at + i));
      return false;
    }
    value = value * 10 + (uint64_t)(v[i] - '0'); /* 19 digits fit in 64 bits */
  }
  r->content_length = value;
  return true;
}

static void add_content_type(http_reader *r, const char *v, size_t n) {
  if (r->content_type.ptr == NULL) {
    r->content_type = (http_text){v, n};
    return;
  }
  /* RFC 9110 5.3: repeated fields combine as one comma-separated list;
   * the media-type parser then says that the list is not text/plain. */
  size_t have = r->content_type.len;
  /* The first value lies in head[], another array: memcpy is enough. */
  if (r->content_type.ptr != r->joined_type)
    memcpy(r->joined_type, r->content_type.ptr, have);
  /* mutant-equivalent(arith,const,rel): defensive: a head of at most HTTP_HEAD_MAX bytes holds
   * its Content-Type values and a ", " between each in fewer bytes than joined_type has, so the
   * test always passes */
  if (have + 2 + n <= sizeof r->joined_type) {
    /* mutant-equivalent(const): a third byte, the literal's NUL, is overwritten by the value
     * copied next or lies past the length */
    memcpy(r->joined_type + have, ", ", 2);
    memcpy(r->joined_type + have + 2, v, n);
    have += 2 + n;
  }
  r->content_type = (http_text){r->joined_type, have};
}

static bool use_field(http_reader *r, head_fields *f, const char *name, size_t name_len,
                      const char *v, size_t n, size_t value_at) {
  if (NAME_IS(name, name_len, "content-length")) {
    if (++f->content_lengths > 1) {
      fail(r, HTTP_E_DUPLICATE_CONTENT_LENGTH, head_offset(r, (size_t)(name - r->head)));
      return false;
    }
    return parse_content_length(r, v, n, value_at);
  }
  if (NAME_IS(name, name_len, "transfer-encoding")) {
    if (++f->transfer_encodings > 1 || !NAME_IS(v, n, "chunked")) {
      fail(r, HTTP_E_TRANSFER_ENCODING, head_offset(r, value_at));
      return false;
    }
    f->chunked = true;
  } else if (NAME_IS(name, name_len, "content-type")) {
    add_content_type(r, v, n);
  } else if (NAME_IS(name, name_len, "location") && r->location.ptr == NULL) {
    r->location = (http_text){v, n};
  }
  return true;
}

/* field-name ":" OWS field-value OWS */
static bool parse_field_line(http_reader *r, head_line l, head_fields *f) {
  const unsigned char *p = (const unsigned char *)r->head;
  if (is_wsp(p[l.start])) {
    fail(r, HTTP_E_FOLDING, head_offset(r, l.start));
    return false;
  }
  size_t i = l.start;
  /* mutant-equivalent(rel): p[l.end] is the line's CR, not a tchar */
  while (i < l.end && is_tchar(p[i]))
    i++;
  if (i == l.start || i == l.end || p[i] != ':') {
    fail(r, HTTP_E_FIELD_NAME, head_offset(r, i));
    return false;
  }
  size_t name_end = i++;
  /* mutant-equivalent(rel): p[l.end] is the line's CR, not WSP */
  while (i < l.end && is_wsp(p[i]))
    i++;
  size_t value_start = i, value_end = l.end;
  for (size_t j = value_start; j < l.end; j++) {
    if (!is_value_char(p[j])) {
      fail(r, HTTP_E_FIELD_VALUE, head_offset(r, j));
      return false;
    }
  }
  while (value_end > value_start && is_wsp(p[value_end - 1]))
    value_end--;
  return use_field(r, f, r->head + l.start, name_end - l.start, r->head + value_start,
                   value_end - value_start, value_start);
}

static void start_body(http_reader *r, const head_fields *f) {
  r->head_done = true;
  if (r->status == 204 || r->status == 304) {
    /* mutant-equivalent(drop): framing is still NONE (0): init zeroes it and only start_body,
     * called once, sets it */
    r->framing = HTTP_FRAMING_NONE; /* RFC 9112 6.3 rule 1 */
    finish(r);
  } else if (f->chunked) {
    r->framing = HTTP_FRAMING_CHUNKED;
    /* mutant-equivalent(drop): chunk_left is still 0: only start_body, called once, sets it
     * before a body */
    r->chunk_left = 0;
    r->state = ST_CHUNK_SIZE;
  } else if (f->content_lengths > 0) {
    r->framing = HTTP_FRAMING_LENGTH;
    r->chunk_left = r->content_length;
    if (r->content_length > HTTP_BODY_MAX)
      too_large(r); /* decided from the length: the body is never read */
    else if (r->content_length == 0)
      finish(r);
    else
      r->state = ST_BODY_LENGTH;
  } else {
    r->framing = HTTP_FRAMING_CLOSE;
    r->state = ST_BODY_CLOSE;
  }
}

/* An interim 1xx response is skipped (RFC 9110 15.2: "A client MUST be
 * able to parse one or more 1xx responses"); its bytes stay counted. */
static void skip_interim(http_reader *r) {
  r->head_budget_used += r->head_len;
  r->head_len = 0;
  r->status = 0;
  r->content_type = (http_text){NULL, 0};
  r->location = (http_text){NULL, 0};
  r->content_length = 0;
}

static void parse_head(http_reader *r) {
  head_fields f;
  memset(&f, 0, sizeof f);
  size_t pos = 0;
  /* mutant-equivalent(const): next_line sets it before any use */
  head_line l = {0, 0};
  /* The head ends in CRLF CRLF, so its first line is there. */
  if (!next_line(r, &pos, &l) || !parse_status_line(r, l, &f))
    return;
  while (next_line(r, &pos, &l) && l.end > l.start)
    if (!parse_field_line(r, l, &f))
      return;
  if (f.chunked && f.content_lengths > 0)
    fail(r, HTTP_E_LENGTH_AND_CHUNKED, head_offset(r, 0));
  else if (f.chunked && f.minor == 0) /* HTTP/1.0 has no transfer codings */
    fail(r, HTTP_E_TRANSFER_ENCODING, head_offset(r, 0));
  else if (r->status == 101)
    fail(r, HTTP_E_SWITCHING_PROTOCOLS, head_offset(r, 9));
  else if (r->status < 200)
    skip_interim(r);
  else
    start_body(r, &f);
}

static void head_byte(http_reader *r, unsigned char c) {
  if (r->head_budget_used + r->head_len >= HTTP_HEAD_MAX) {
    fail(r, HTTP_E_HEAD_TOO_LARGE, r->offset);
    return;
  }
  if ((c == '\n') != r->line_cr) {
    fail(r, HTTP_E_LINE_ENDING, c == '\n' ? r->offset : r->offset - 1);
    return;
  }
  r->line_cr = c == '\r';
  r->head[r->head_len++] = (char)c;
  /* mutant-equivalent(rel,const=3,const=5): a head never is CR LF CR LF alone (an empty status
   * line fails at 2) nor starts with LF, and every CR is followed by LF: the bounds 3, 4, 5 and
   * a 3-byte compare find the same end */
  if (r->head_len >= 4 && memcmp(r->head + r->head_len - 4, "\r\n\r\n", 4) == 0)
    parse_head(r);
  else if (r->head_len == 2 && c == '\n')
    fail(r, HTTP_E_STATUS_LINE, r->offset - 1); /* an empty status line */
}

/* ------------------------------------------------------------------ */
/* The body                                                            */
/* ------------------------------------------------------------------ */

static size_t copy_body(http_reader *r, const char *p, size_t n) {
  memcpy(r->body + r->body_len, p, n);
  r->body_len += n;
  return n;
}

static size_t body_bytes(http_reader *r, const char *p, size_t n) {
  if (r->state == ST_BODY_CLOSE) {
    size_t room = HTTP_BODY_MAX + 1 - r->body_len;
    /* mutant-equivalent(rel): when the two are equal, either one is the count */
    size_t used = copy_body(r, p, n < room ? n : room);
    if (r->body_len > HTTP_BODY_MAX)
      too_large(r);
    return used;
  }
  /* mutant-equivalent(rel): when the two are equal, either one is the count */
  size_t take = r->chunk_left < n ? (size_t)r->chunk_left : n;
  copy_body(r, p, take); /* chunk_left was checked against the room */
  r->chunk_left -= take;
  if (r->chunk_left == 0) {
    if (r->state == ST_BODY_LENGTH)
      finish(r);
    else
      r->state = ST_CHUNK_DATA_CR;
  }
  return take;
}

static void chunk_size_byte(http_reader *r, unsigned char c) {
  int v = hex_value(c);
  if (v >= 0) {
    if (++r->chunk_digits > 16)
      fail(r, HTTP_E_CHUNK_SIZE, r->offset);
    else
      r->chunk_left = r->chunk_left * 16 + (uint64_t)v;
  } else if (r->chunk_digits == 0) {
    fail(r, HTTP_E_CHUNK_SIZE, r->offset);
  } else if (c == '\r') {
    r->state = ST_CHUNK_SIZE_LF;
  } else if (c == ';') {
    r->state = ST_CHUNK_EXT;
  } else if (is_wsp(c)) {
    r->state = ST_CHUNK_BWS;
  } else {
    fail(r, HTTP_E_CHUNK_SIZE, r->offset);
  }
}

static void chunk_line_end(http_reader *r, unsigned char c) {
  if (c != '\n')
    fail(r, HTTP_E_LINE_ENDING, r->offset - 1);
  else if (r->chunk_left == 0)
    r->state = ST_TRAILER_START; /* the last chunk */
  else if (r->chunk_left > HTTP_BODY_MAX - r->body_len)
    too_large(r); /* known before the chunk's data is read */
  else
    r->state = ST_CHUNK_DATA;
}

static void chunk_ext_byte(http_reader *r, unsigned char c) {
  if (!spend_budget(r, HTTP_E_CHUNK_EXTENSION))
    return;
  if (c == '\r')
    r->state = ST_CHUNK_SIZE_LF;
  else if (r->state == ST_CHUNK_BWS && c == ';')
    r->state = ST_CHUNK_EXT;
  else if (r->state == ST_CHUNK_BWS ? !is_wsp(c) : !is_value_char(c))
    fail(r, HTTP_E_CHUNK_EXTENSION, r->offset);
}

static void trailer_byte(http_reader *r, unsigned char c) {
  if (!spend_budget(r, HTTP_E_TRAILER))
    return;
  switch (r->state) {
  case ST_TRAILER_START:
    if (c == '\r')
      r->state = ST_END_LF;
    else if (is_tchar(c))
      r->state = ST_TRAILER_NAME;
    else
      fail(r, HTTP_E_TRAILER, r->offset);
    break;
  case ST_TRAILER_NAME:
    if (c == ':')
      r->state = ST_TRAILER_VALUE;
    else if (!is_tchar(c))
      fail(r, HTTP_E_TRAILER, r->offset);
    break;
  case ST_TRAILER_VALUE:
    if (c == '\r')
      r->state = ST_TRAILER_LF;
    else if (!is_value_char(c))
      fail(r, HTTP_E_TRAILER, r->offset);
    break;
  default: /* ST_TRAILER_LF */
    if (c == '\n')
      r->state = ST_TRAILER_START;
    else
      fail(r, HTTP_E_LINE_ENDING, r->offset - 1);
  }
}

static void framing_byte(http_reader *r, unsigned char c) {
  switch (r->state) {
  case ST_HEAD:
    head_byte(r, c);
    break;
  case ST_CHUNK_SIZE:
    chunk_size_byte(r, c);
    break;
  case ST_CHUNK_BWS:
  case ST_CHUNK_EXT:
    chunk_ext_byte(r, c);
    break;
  case ST_CHUNK_SIZE_LF:
    chunk_line_end(r, c);
    break;
  case ST_CHUNK_DATA_CR:
    if (c == '\r')
      r->state = ST_CHUNK_DATA_LF;
    else
      fail(r, HTTP_E_CHUNK_END, r->offset);
    break;
  case ST_CHUNK_DATA_LF:
    if (c != '\n') {
      fail(r, HTTP_E_CHUNK_END, r->offset);
      break;
    }
    r->state = ST_CHUNK_SIZE;
    r->chunk_digits = 0;
    break;
  case ST_END_LF:
    if (!spend_budget(r, HTTP_E_TRAILER))
      break;
    if (c == '\n')
      finish(r);
    else
      fail(r, HTTP_E_LINE_ENDING, r->offset - 1);
    break;
  default:
    trailer_byte(r, c);
  }
}

/* Consume at least one byte of p[0..n). */
static size_t consume(http_reader *r, const char *p, size_t n) {
  if (r->state == ST_BODY_LENGTH || r->state == ST_BODY_CLOSE || r->state == ST_CHUNK_DATA) {
    size_t used = body_bytes(r, p, n);
    r->offset += used;
    return used;
  }
  framing_byte(r, (unsigned char)p[0]);
  r->offset++;
  return 1;
}

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */

void http_reader_init(http_reader *r) {
  memset(r, 0, sizeof *r);
  /* mutant-equivalent(drop): ST_HEAD is 0, and the memset above zeroed state */
  r->state = ST_HEAD;
}

http_result http_reader_feed(http_reader *r, const char *data, size_t len, size_t *used) {
  size_t i = 0;
  while (i < len && r->result == HTTP_MORE)
    i += consume(r, data + i, len - i);
  if (used != NULL)
    *used = i;
  return r->result;
}

http_result http_reader_eof(http_reader *r) {
  if (r->result != HTTP_MORE)
    return r->result;
  if (r->state == ST_BODY_CLOSE)
    finish(r);
  else
    fail(r, HTTP_E_TRUNCATED, r->offset);
  return r->result;
}

http_result http_parse_response(http_reader *r, const char *data, size_t len) {
  http_reader_init(r);
  http_reader_feed(r, data, len, NULL);
  return http_reader_eof(r);
}
