/*
 * fuzz_socketmap - the socketmap request reader of wire/
 * (wire/src/socketmap.c) and its reply writer, linked into the harness
 * directly. It reads what a client of mtasts-daemon sends, so every byte
 * is the attacker's.
 *
 * Input: the whole input is the byte stream from the client.
 *
 * The parse is checked against the header's promises, each from the
 * harness's own reading of the bytes:
 *  - a byte-at-a-time state machine of the grammar (model() below) gives
 *    exactly the same status, fields, error and offset;
 *  - prefixes: every strict prefix of a DONE request, and every prefix
 *    that stops before an error's byte, is MORE; the prefix that ends at
 *    the error's byte has the same error (errors are found at their byte);
 *  - the request alone, and followed by other bytes, parses the same;
 *  - a request valid by construction from the input (name and key bytes
 *    mapped into their classes) gives exactly the fields it was built with;
 *  - socketmap_reply_format writes "LEN:WORD SP data," with LEN right.
 */
#include <string.h>

#include "fuzz_common.h"
#include "socketmap.h"

/* ------------------------------------------------------------------ */
/* The model: one byte at a time, one state at a time                  */
/* ------------------------------------------------------------------ */

enum { M_FIRST, M_LEN, M_NAME, M_KEY };

static bool m_name_byte(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '_' || c == '.';
}

static socketmap_status m_fail(socketmap_request *r, socketmap_error e, size_t at) {
  memset(r, 0, sizeof *r);
  r->error = e;
  r->error_at = at;
  return SOCKETMAP_ERROR;
}

/* One byte of the name: ERROR, or DONE when it is the SP that ends it. */
static socketmap_status m_name(uint8_t c, size_t i, size_t name_start, size_t end,
                               socketmap_request *r) {
  size_t nl = i - name_start;
  if (c == ' ' ? nl == 0 : (!m_name_byte(c) || nl >= SOCKETMAP_NAME_MAX))
    return m_fail(r, SOCKETMAP_E_NAME, i);
  if (i + 1 == end)
    return m_fail(r, SOCKETMAP_E_NO_KEY, i);
  return c == ' ' ? SOCKETMAP_DONE : SOCKETMAP_MORE;
}

static socketmap_status model(const uint8_t *d, size_t n, socketmap_request *r) {
  memset(r, 0, sizeof *r);
  int state = M_FIRST;
  size_t value = 0, name_start = 0, end = 0, name_len = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = d[i];
    if (state == M_FIRST) {
      if (c < '1' || c > '9')
        return m_fail(r, SOCKETMAP_E_LENGTH, i);
      value = (size_t)(c - '0');
      state = M_LEN;
    } else if (state == M_LEN) {
      if (c == ':') {
        name_start = i + 1;
        end = name_start + value;
        state = M_NAME;
      } else if (c < '0' || c > '9') {
        return m_fail(r, SOCKETMAP_E_COLON, i);
      } else if ((value = value * 10 + (size_t)(c - '0')) > SOCKETMAP_PAYLOAD_MAX) {
        return m_fail(r, SOCKETMAP_E_TOO_LONG, i);
      }
    } else if (state == M_NAME) {
      socketmap_status st = m_name(c, i, name_start, end, r);
      if (st == SOCKETMAP_ERROR)
        return st;
      if (st == SOCKETMAP_DONE) {
        name_len = i - name_start;
        state = M_KEY;
      }
    } else if (i == end) {
      if (c != ',')
        return m_fail(r, SOCKETMAP_E_COMMA, i);
      r->name = name_start;
      r->name_len = name_len;
      r->key = name_start + name_len + 1;
      r->key_len = end - r->key;
      r->length = i + 1;
      return SOCKETMAP_DONE;
    } else if (c < 0x21 || c > 0x7e) {
      return m_fail(r, SOCKETMAP_E_KEY, i);
    }
  }
  return SOCKETMAP_MORE;
}

/* ------------------------------------------------------------------ */
/* The checks                                                          */
/* ------------------------------------------------------------------ */

static socketmap_status parse_copy(const uint8_t *d, size_t n, socketmap_request *out) {
  fz_poison(out, sizeof *out);
  const char *copy = fz_piece(d, n); /* NULL when n is 0, as the header allows */
  socketmap_status st = socketmap_request_parse(copy, n, out);
  fz_piece_free(copy);
  return st;
}

static bool same(socketmap_status a, const socketmap_request *ra, socketmap_status b,
                 const socketmap_request *rb) {
  return a == b && ra->name == rb->name && ra->name_len == rb->name_len && ra->key == rb->key &&
         ra->key_len == rb->key_len && ra->length == rb->length && ra->error == rb->error &&
         ra->error_at == rb->error_at;
}

static void check_prefixes(const uint8_t *d, socketmap_status st, const socketmap_request *r) {
  size_t end = st == SOCKETMAP_DONE ? r->length : st == SOCKETMAP_ERROR ? r->error_at : 0;
  socketmap_request p;
  for (size_t k = 0; k < end; k++)
    FZ_CHECK(parse_copy(d, k, &p) == SOCKETMAP_MORE && p.length == 0 && p.error == 0,
             "a strict prefix is not MORE");
  if (st == SOCKETMAP_ERROR) {
    socketmap_status at = parse_copy(d, r->error_at + 1, &p);
    FZ_CHECK(same(at, &p, st, r), "the error is not found at its byte");
  }
}

static void check_alone(const uint8_t *d, size_t n, const socketmap_request *r) {
  socketmap_request a;
  socketmap_status st = parse_copy(d, r->length, &a);
  FZ_CHECK(same(st, &a, SOCKETMAP_DONE, r), "the request alone parses otherwise");
  uint8_t more[SOCKETMAP_REQUEST_MAX + 8];
  memcpy(more, d, r->length);
  memcpy(more + r->length, "9:\x00\xff", 4);
  st = parse_copy(more, r->length + 4, &a);
  FZ_CHECK(same(st, &a, SOCKETMAP_DONE, r), "bytes after the request changed it");
  (void)n;
}

/* "LEN:NAME SP KEY," from the input's bytes mapped into their classes. */
static void check_built(const uint8_t *d, size_t n) {
  static const char name_bytes[] = "abcXYZ019-_.";
  size_t name_len = 1 + (n > 0 ? d[0] % SOCKETMAP_NAME_MAX : 0);
  size_t key_len = n > 1 ? n - 1 : 1;
  if (name_len + 1 + key_len > SOCKETMAP_PAYLOAD_MAX)
    key_len = SOCKETMAP_PAYLOAD_MAX - 1 - name_len;
  uint8_t req[SOCKETMAP_REQUEST_MAX];
  size_t payload = name_len + 1 + key_len;
  size_t digits = payload >= 1000 ? 4 : payload >= 100 ? 3 : payload >= 10 ? 2 : 1;
  for (size_t i = 0, v = payload; i < digits; i++, v /= 10)
    req[digits - 1 - i] = (uint8_t)('0' + v % 10);
  req[digits] = ':';
  size_t at = digits + 1;
  for (size_t i = 0; i < name_len; i++)
    req[at++] = (uint8_t)name_bytes[(i < n ? d[i] : i) % (sizeof name_bytes - 1)];
  req[at++] = ' ';
  for (size_t i = 0; i < key_len; i++)
    req[at++] = (uint8_t)(0x21 + (i + 1 < n ? d[i + 1] : i) % 94);
  req[at++] = ',';
  socketmap_request r;
  socketmap_status st = parse_copy(req, at, &r);
  FZ_CHECK(st == SOCKETMAP_DONE && r.name == digits + 1 && r.name_len == name_len &&
               r.key == digits + 2 + name_len && r.key_len == key_len && r.length == at,
           "a request built valid does not parse as built");
}

static void check_reply(const uint8_t *d, size_t n) {
  char out[SOCKETMAP_REPLY_MAX];
  socketmap_reply_status s = (socketmap_reply_status)(n > 0 ? d[0] % 6 : 0);
  size_t len = socketmap_reply_format(out, sizeof out, s, (const char *)d, n);
  if (s > SOCKETMAP_PERM || n > SOCKETMAP_REPLY_MAX - 16) {
    FZ_CHECK(s <= SOCKETMAP_PERM || len == 0, "an unknown status was written");
    return;
  }
  FZ_CHECK(len > 0 && out[len - 1] == ',', "a reply that fits was not written");
  size_t colon = 0, value = 0;
  while (out[colon] != ':')
    value = value * 10 + (size_t)(out[colon++] - '0');
  FZ_CHECK(colon + 1 + value + 1 == len, "the reply's length is wrong");
  FZ_CHECK(n == 0 || memcmp(out + len - 1 - n, d, n) == 0, "the reply's data is not the data");
  FZ_CHECK(out[len - 2 - n] == ' ', "no SP before the data");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  socketmap_request r, m;
  socketmap_status st = parse_copy(data, size, &r);
  socketmap_status want = model(data, size, &m);
  FZ_CHECK(same(st, &r, want, &m), "the reader and the model disagree");
  FZ_CHECK(st != SOCKETMAP_ERROR || r.error_at < size, "an error outside the input");
  FZ_CHECK(strcmp(socketmap_error_message(r.error), "unknown error") != 0, "an unknown error");
  check_prefixes(data, st, &r);
  if (st == SOCKETMAP_DONE)
    check_alone(data, size, &r);
  check_built(data, size);
  check_reply(data, size);
  return 0;
}
