/*
 * test_http_response.c - the HTTP/1.1 response reader of the resolver
 * (wire/src/http_response.c) on well-formed and hostile responses. Every
 * row is also fed in two pieces at every split point and one byte at a
 * time (the same result), and every strict prefix of a complete
 * response must end in HTTP_E_TRUNCATED (or, for a body that runs to
 * the end of the stream, in a shorter body). Inputs sit right before a
 * guard page.
 */
#include "testutil.h"
#include "wire_testutil.h"

#include <stdlib.h>
#include <string.h>

#include "http_response.h"

typedef struct row {
  const char *name;
  const char *input;
  size_t len;
  http_result want;
  http_error error;
  size_t error_at;
  int status;
  const char *ctype; /* NULL: no Content-Type */
  const char *body;  /* NULL: not checked (too large, error) */
  http_framing framing;
} row;

#define OK200 "HTTP/1.1 200 OK\r\n"
#define TP "Content-Type: text/plain\r\n"
#define POLICY "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n"
#define POLICY_LEN "69"
#define DONE_ROW(st, ct, body, framing) HTTP_DONE, HTTP_E_NONE, 0, st, ct, body, framing
#define ERR(e, at) HTTP_ERROR, HTTP_E_##e, at, 0, NULL, NULL, HTTP_FRAMING_NONE

static const row rows[] = {
    /* ---- well-formed */
    {"Content-Length", S(OK200 TP "Content-Length: " POLICY_LEN "\r\n\r\n" POLICY),
     DONE_ROW(200, "text/plain", POLICY, HTTP_FRAMING_LENGTH)},
    {"chunked",
     S(OK200 TP "Transfer-Encoding: chunked\r\n\r\n10\r\nversion: STSv1\r\n\r\n"
                "35\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n\r\n"
                "0\r\n\r\n"),
     DONE_ROW(200, "text/plain", POLICY, HTTP_FRAMING_CHUNKED)},
    {"chunked, upper-case hex, leading zeros, extensions, trailer",
     S(OK200 TP "Transfer-Encoding: Chunked\r\n\r\n000A ; a=b;c\r\n0123456789\r\n"
                "0;last\r\nX-Trailer: yes\r\n\r\n"),
     DONE_ROW(200, "text/plain", "0123456789", HTTP_FRAMING_CHUNKED)},
    {"body to the end of the stream", S(OK200 TP "\r\n" POLICY),
     DONE_ROW(200, "text/plain", POLICY, HTTP_FRAMING_CLOSE)},
    {"HTTP/1.0, no reason phrase", S("HTTP/1.0 200\r\nContent-Length: 2\r\n\r\nab"),
     DONE_ROW(200, NULL, "ab", HTTP_FRAMING_LENGTH)},
    {"empty reason phrase", S("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n"),
     DONE_ROW(404, NULL, "", HTTP_FRAMING_LENGTH)},
    {"field names are case-insensitive, OWS trimmed, obs-text kept",
     S("HTTP/1.1 200 OK\r\nCONTENT-type: \t text/plain; charset=\"\xe9\" \t\r\n"
       "content-LENGTH:1\r\n\r\nx"),
     DONE_ROW(200, "text/plain; charset=\"\xe9\"", "x", HTTP_FRAMING_LENGTH)},
    {"two Content-Type fields are one list", S(OK200 TP "Content-Type: text/html\r\n\r\n"),
     DONE_ROW(200, "text/plain, text/html", "", HTTP_FRAMING_CLOSE)},
    {"a longer second Content-Type joins too",
     S(OK200 "Content-Type: a/b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"),
     DONE_ROW(200, "a/b, text/plain; charset=utf-8", "", HTTP_FRAMING_CLOSE)},
    {"an interim 100 and 103 are skipped",
     S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" OK200 TP
       "Content-Length: 1\r\n\r\nz"),
     DONE_ROW(200, "text/plain", "z", HTTP_FRAMING_LENGTH)},
    {"204 has no body whatever Content-Length says",
     S("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"),
     DONE_ROW(204, NULL, "", HTTP_FRAMING_NONE)},
    {"a redirect is just a status", S("HTTP/1.1 301 Moved\r\nLocation: https://x/\r\n\r\n"),
     DONE_ROW(301, NULL, "", HTTP_FRAMING_CLOSE)},
    {"bytes after Content-Length are not read", S(OK200 "Content-Length: 1\r\n\r\nab"),
     DONE_ROW(200, NULL, "a", HTTP_FRAMING_LENGTH)},
    {"letters at both ends of the alphabet in a field name",
     S(OK200 "Zz-Aa: 1\r\nContent-Length: 0\r\n\r\n"),
     DONE_ROW(200, NULL, "", HTTP_FRAMING_LENGTH)},
    {"\"!\" (the lowest VCHAR) in a field value", S(OK200 "X: !\r\nContent-Length: 0\r\n\r\n"),
     DONE_ROW(200, NULL, "", HTTP_FRAMING_LENGTH)},
    {"field name and coding in capitals", S(OK200 "TRANSFER-ENCODING: CHUNKED\r\n\r\n0\r\n\r\n"),
     DONE_ROW(200, NULL, "", HTTP_FRAMING_CHUNKED)},
    {"a name one letter off Content-Length is another field", S(OK200 "Xontent-Length: x\r\n\r\n"),
     DONE_ROW(200, NULL, "", HTTP_FRAMING_CLOSE)},
    {"304 has no body whatever Content-Length says",
     S("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"),
     DONE_ROW(304, NULL, "", HTTP_FRAMING_NONE)},
    {"199 is an interim response too",
     S("HTTP/1.1 199 Odd\r\n\r\n" OK200 "Content-Length: 1\r\n\r\nz"),
     DONE_ROW(200, NULL, "z", HTTP_FRAMING_LENGTH)},
    {"an interim response's Content-Type does not carry over",
     S("HTTP/1.1 103 Early Hints\r\nContent-Type: text/html\r\n\r\n" OK200 "\r\n"),
     DONE_ROW(200, NULL, "", HTTP_FRAMING_CLOSE)},
    {"a chunk of 65536 bytes is not too large",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n10000\r\n"), HTTP_ERROR, HTTP_E_TRUNCATED, 54, 200,
     NULL, NULL, HTTP_FRAMING_CHUNKED},

    /* ---- too large: known before the body is read */
    {"Content-Length 65537", S(OK200 TP "Content-Length: 65537\r\n\r\n"), HTTP_TOO_LARGE,
     HTTP_E_NONE, 0, 200, "text/plain", NULL, HTTP_FRAMING_LENGTH},
    {"Content-Length of 19 nines", S(OK200 "Content-Length: 9999999999999999999\r\n\r\n"),
     HTTP_TOO_LARGE, HTTP_E_NONE, 0, 200, NULL, NULL, HTTP_FRAMING_LENGTH},
    {"one chunk of 65537", S(OK200 "Transfer-Encoding: chunked\r\n\r\n10001\r\n"), HTTP_TOO_LARGE,
     HTTP_E_NONE, 0, 200, NULL, NULL, HTTP_FRAMING_CHUNKED},
    {"16 hex digits of chunk size",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n"), HTTP_TOO_LARGE, HTTP_E_NONE,
     0, 200, NULL, NULL, HTTP_FRAMING_CHUNKED},

    /* ---- status line */
    {"empty input", S(""), ERR(TRUNCATED, 0)},
    {"HTML instead of HTTP", S("<html>\r\n\r\n"), ERR(VERSION, 0)},
    {"lower-case http", S("http/1.1 200 OK\r\n\r\n"), ERR(VERSION, 0)},
    {"HTTP/2", S("HTTP/2 200\r\n\r\n"), ERR(STATUS_LINE, 5)},
    {"HTTP/2.0", S("HTTP/2.0 200 OK\r\n\r\n"), ERR(VERSION, 5)},
    {"HTTP/0.9", S("HTTP/0.9 200 OK\r\n\r\n"), ERR(VERSION, 5)},
    {"two spaces before the status", S("HTTP/1.1  200 OK\r\n\r\n"), ERR(STATUS_LINE, 8)},
    {"two-digit status", S("HTTP/1.1 20 OK\r\n\r\n"), ERR(STATUS_LINE, 8)},
    {"four-digit status", S("HTTP/1.1 2000 OK\r\n\r\n"), ERR(STATUS_LINE, 12)},
    {"status 099", S("HTTP/1.1 099 X\r\n\r\n"), ERR(STATUS_LINE, 9)},
    {"status 600", S("HTTP/1.1 600 X\r\n\r\n"), ERR(STATUS_LINE, 9)},
    {"control character in the reason", S("HTTP/1.1 200 O\x01K\r\n\r\n"), ERR(STATUS_LINE, 14)},
    {"empty status line", S("\r\nHTTP/1.1 200 OK\r\n\r\n"), ERR(STATUS_LINE, 0)},
    {"101 Switching Protocols", S("HTTP/1.1 101 Switching\r\n\r\n"), ERR(SWITCHING_PROTOCOLS, 9)},
    {"HTTP/ alone", S("HTTP/\r\n\r\n"), ERR(STATUS_LINE, 5)},
    {"HTTPx1.1", S("HTTPx1.1 200 OK\r\n\r\n"), ERR(VERSION, 0)},
    {"HTTP/1.1 alone", S("HTTP/1.1\r\n\r\n"), ERR(STATUS_LINE, 8)},
    {"a letter inside the status", S("HTTP/1.1 2x0 OK\r\n\r\n"), ERR(STATUS_LINE, 8)},
    {"a letter right after the status", S("HTTP/1.1 200X\r\n\r\n"), ERR(STATUS_LINE, 12)},
    {"a control character first in the reason", S("HTTP/1.1 200 \x01\r\n\r\n"),
     ERR(STATUS_LINE, 13)},

    /* ---- line endings */
    {"bare LF ends the status line", S("HTTP/1.1 200 OK\n\n"), ERR(LINE_ENDING, 15)},
    {"bare CR in a field", S(OK200 "A: b\rc\r\n\r\n"), ERR(LINE_ENDING, 21)},
    {"bare LF ends the head", S(OK200 "A: b\r\n\n"), ERR(LINE_ENDING, 23)},

    /* ---- fields */
    {"obsolete line folding", S(OK200 "A: b\r\n c\r\n\r\n"), ERR(FOLDING, 23)},
    {"folding by a tab", S(OK200 "Content-Type: text/plain\r\n\t; charset=utf-8\r\n\r\n"),
     ERR(FOLDING, 43)},
    {"space before the colon", S(OK200 "Content-Length : 1\r\n\r\nx"), ERR(FIELD_NAME, 31)},
    {"no colon", S(OK200 "Content-Length\r\n\r\n"), ERR(FIELD_NAME, 31)},
    {"empty field name", S(OK200 ": x\r\n\r\n"), ERR(FIELD_NAME, 17)},
    {"non-token in a field name", S(OK200 "Conte(nt: x\r\n\r\n"), ERR(FIELD_NAME, 22)},
    {"NUL in a field value", S(OK200 "A: b\0c\r\n\r\n"), ERR(FIELD_VALUE, 21)},
    {"NUL in a field name", S(OK200 "A\0: b\r\n\r\n"), ERR(FIELD_NAME, 18)},
    {"DEL in a field value", S(OK200 "A: b\x7f\r\n\r\n"), ERR(FIELD_VALUE, 21)},

    /* ---- framing */
    {"two Content-Length fields", S(OK200 "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx"),
     ERR(DUPLICATE_CONTENT_LENGTH, 36)},
    {"two different Content-Length fields",
     S(OK200 "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy"),
     ERR(DUPLICATE_CONTENT_LENGTH, 36)},
    {"Content-Length as a list", S(OK200 "Content-Length: 1, 1\r\n\r\nx"), ERR(CONTENT_LENGTH, 34)},
    {"negative Content-Length", S(OK200 "Content-Length: -1\r\n\r\n"), ERR(CONTENT_LENGTH, 33)},
    {"empty Content-Length", S(OK200 "Content-Length: \r\n\r\n"), ERR(CONTENT_LENGTH, 33)},
    {"Content-Length of 20 digits", S(OK200 "Content-Length: 00000000000000000001\r\n\r\n"),
     ERR(CONTENT_LENGTH, 33)},
    {"Content-Length in hex", S(OK200 "Content-Length: 0x10\r\n\r\n"), ERR(CONTENT_LENGTH, 34)},
    {"Content-Length and chunked",
     S(OK200 "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
     ERR(LENGTH_AND_CHUNKED, 0)},
    {"gzip, chunked", S(OK200 "Transfer-Encoding: gzip, chunked\r\n\r\n"),
     ERR(TRANSFER_ENCODING, 36)},
    {"two Transfer-Encoding fields",
     S(OK200 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
     ERR(TRANSFER_ENCODING, 64)},
    {"chunked in HTTP/1.0", S("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
     ERR(TRANSFER_ENCODING, 0)},

    /* ---- chunks (the head is 47 bytes) */
    {"empty chunk size", S(OK200 "Transfer-Encoding: chunked\r\n\r\n\r\n"), ERR(CHUNK_SIZE, 47)},
    {"chunk size with a sign",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n+5\r\nabcde\r\n0\r\n\r\n"), ERR(CHUNK_SIZE, 47)},
    {"chunk size 0x5", S(OK200 "Transfer-Encoding: chunked\r\n\r\n0x5\r\nabcde\r\n0\r\n\r\n"),
     ERR(CHUNK_SIZE, 48)},
    {"space before the chunk size",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n 5\r\nabcde\r\n0\r\n\r\n"), ERR(CHUNK_SIZE, 47)},
    {"17 hex digits", S(OK200 "Transfer-Encoding: chunked\r\n\r\n00000000000000005\r\nabcde\r\n"),
     ERR(CHUNK_SIZE, 63)},
    {"chunk size ended by a bare LF",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n5\nabcde\r\n0\r\n\r\n"), ERR(CHUNK_SIZE, 48)},
    {"chunk size then a space then junk",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n5 x\r\nabcde\r\n0\r\n\r\n"),
     ERR(CHUNK_EXTENSION, 49)},
    {"control character in an extension",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n5;a\x01\r\nabcde\r\n0\r\n\r\n"),
     ERR(CHUNK_EXTENSION, 50)},
    {"chunk data longer than its size",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n3\r\nabcde\r\n0\r\n\r\n"), ERR(CHUNK_END, 53)},
    {"chunk data shorter than its size",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n6\r\nabcde\r\n0\r\n\r\n"), ERR(CHUNK_END, 56)},
    {"chunk size line ended by CR CR",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n5\r\rabcde\r\n0\r\n\r\n"), ERR(LINE_ENDING, 48)},
    {"folded trailer", S(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n"),
     ERR(TRAILER, 56)},
    {"trailer without a colon", S(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\nAb\r\n\r\n"),
     ERR(TRAILER, 52)},
    {"no final CRLF after the last chunk", S(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\n"),
     ERR(TRUNCATED, 50)},
    {"final CR then junk", S(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\n\rx"),
     ERR(LINE_ENDING, 50)},
    {"control character in a trailer value",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\x01\r\n\r\n"), ERR(TRAILER, 54)},
    {"trailer line ended by CR and a letter",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\rX\r\n\r\n"), ERR(LINE_ENDING, 54)},
    {"chunk data then CR and a letter",
     S(OK200 "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\rX\n0\r\n\r\n"), ERR(CHUNK_END, 54)},

    /* ---- truncation */
    {"head cut", S(OK200 "Content-Length: 3\r\n"), ERR(TRUNCATED, 36)},
    {"body cut", S(OK200 "Content-Length: 3\r\n\r\nab"), ERR(TRUNCATED, 40)},
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static http_reader *reader(void) {
  static http_reader *r;
  if (r == NULL)
    r = malloc(sizeof *r);
  assert_non_null(r);
  poison(r, sizeof *r);
  return r;
}

static void check(const row *t, const http_reader *r, const char *how) {
  if (r->result != t->want || r->error != t->error ||
      (t->want == HTTP_ERROR && r->error_at != t->error_at))
    fail_msg("%s (%s): got result %d %s@%llu, want %d %s@%zu", t->name, how, (int)r->result,
             http_error_message(r->error), (unsigned long long)r->error_at, (int)t->want,
             http_error_message(t->error), t->error_at);
  if (t->want == HTTP_ERROR)
    return;
  if (!r->head_done)
    fail_msg("%s (%s): head_done not set", t->name, how);
  if (r->status != t->status || r->framing != t->framing)
    fail_msg("%s (%s): status %d framing %d, want %d %d", t->name, how, r->status, (int)r->framing,
             t->status, (int)t->framing);
  bool ct_ok = t->ctype == NULL
                   ? r->content_type.ptr == NULL
                   : r->content_type.ptr != NULL && r->content_type.len == strlen(t->ctype) &&
                         memcmp(r->content_type.ptr, t->ctype, r->content_type.len) == 0;
  if (!ct_ok)
    fail_msg("%s (%s): Content-Type %s", t->name, how,
             r->content_type.ptr ? show(r->content_type.ptr, r->content_type.len) : "(none)");
  if (t->want == HTTP_TOO_LARGE && r->body_len != HTTP_BODY_MAX + 1)
    fail_msg("%s (%s): body_len %zu with HTTP_TOO_LARGE", t->name, how, r->body_len);
  if (t->body != NULL && (r->body_len != strlen(t->body) || memcmp(r->body, t->body, r->body_len)))
    fail_msg("%s (%s): body %s", t->name, how, show(r->body, r->body_len));
}

static void test_rows_whole(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *t = &rows[i];
    http_reader *r = reader();
    http_parse_response(r, guard_copy(t->input, t->len), t->len);
    check(t, r, "whole");
  }
}

/* Feed in pieces: first `split` bytes, then the rest one call or one
 * byte at a time; stop feeding once a result is there, as a caller does. */
static void feed_split(http_reader *r, const char *p, size_t len, size_t split, bool bytewise) {
  http_reader_init(r);
  size_t used = 0;
  http_reader_feed(r, p, split, &used);
  if (r->result == HTTP_MORE && used != split)
    fail_msg("consumed %zu of %zu bytes without a result", used, split);
  for (size_t at = split; at < len && r->result == HTTP_MORE;) {
    size_t n = bytewise ? 1 : len - at;
    http_reader_feed(r, p + at, n, &used);
    at += used;
  }
  http_reader_eof(r);
}

static void test_rows_split(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *t = &rows[i];
    const char *p = guard_copy(t->input, t->len);
    http_reader *r = reader();
    for (size_t split = 0; split <= t->len; split++) {
      feed_split(r, p, t->len, split, false);
      check(t, r, "split");
    }
    feed_split(r, p, t->len, 0, true);
    check(t, r, "bytewise");
  }
}

/* Every strict prefix of a complete framed response is truncated. */
static void test_prefixes_truncated(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *t = &rows[i];
    if (t->want != HTTP_DONE || t->framing == HTTP_FRAMING_CLOSE)
      continue;
    http_reader *r = reader();
    /* The complete response's own length: bytes past it are ignored. */
    http_parse_response(r, t->input, t->len);
    size_t full = (size_t)r->offset;
    for (size_t n = 0; n < full; n++) {
      http_parse_response(r, guard_copy(t->input, n), n);
      if (r->result != HTTP_ERROR || r->error != HTTP_E_TRUNCATED || r->error_at != n)
        fail_msg("%s: prefix of %zu bytes: result %d %s@%llu", t->name, n, (int)r->result,
                 http_error_message(r->error), (unsigned long long)r->error_at);
    }
  }
}

/* A body running to the end of the stream: a prefix is a shorter body. */
static void test_close_prefixes(void **state) {
  (void)state;
  static const char in[] = OK200 TP "\r\n" POLICY;
  size_t head = L(OK200 TP "\r\n");
  http_reader *r = reader();
  for (size_t n = head; n <= L(in); n++) {
    http_parse_response(r, guard_copy(in, n), n);
    assert_int_equal(r->result, HTTP_DONE);
    assert_int_equal(r->body_len, n - head);
  }
}

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

static char *repeat(const char *head, char fill, size_t n, const char *tail, size_t *len) {
  size_t hn = strlen(head), tn = strlen(tail);
  char *p = malloc(hn + n + tn);
  assert_non_null(p);
  memcpy(p, head, hn);
  memset(p + hn, fill, n);
  memcpy(p + hn + n, tail, tn);
  *len = hn + n + tn;
  return p;
}

/* p[0, len) parsed whole from a guard-page copy, then freed. */
static void parse_and_free(http_reader *r, char *p, size_t len) {
  http_parse_response(r, guard_copy(p, len), len);
  free(p);
}

/* repeat()'s input parsed whole; *len gets its length. */
static void parse_repeat(http_reader *r, const char *head, char fill, size_t n, const char *tail,
                         size_t *len) {
  /* repeat() sets *len: read after it, not beside it in one call's arguments. */
  char *p = repeat(head, fill, n, tail, len);
  parse_and_free(r, p, *len);
}

/* The reader ended in HTTP_ERROR with `e` (a macro: a failure names the
 * caller's line). */
#define assert_http_error(r, e)                                                                    \
  do {                                                                                             \
    assert_int_equal((r)->result, HTTP_ERROR);                                                     \
    assert_int_equal((r)->error, (e));                                                             \
  } while (0)

static void test_head_limit(void **state) {
  (void)state;
  http_reader *r = reader();
  /* The head of exactly 16384 bytes is read; one more is too large. */
  const char *head = OK200 "X: ";
  size_t fill = HTTP_HEAD_MAX - strlen(head) - 4, len;
  parse_repeat(r, head, 'a', fill, "\r\n\r\n", &len);
  assert_int_equal(len, HTTP_HEAD_MAX);
  assert_int_equal(r->result, HTTP_DONE);
  parse_repeat(r, head, 'a', fill + 1, "\r\n\r\n", &len);
  assert_http_error(r, HTTP_E_HEAD_TOO_LARGE);
  assert_int_equal(r->error_at, HTTP_HEAD_MAX);
}

/* Interim responses count towards the head's limit: an endless stream
 * of 100 Continue cannot keep the reader busy. */
static void test_interim_flood(void **state) {
  (void)state;
  static const char one[] = "HTTP/1.1 100 Continue\r\n\r\n";
  size_t n = HTTP_HEAD_MAX / L(one) + 2, len = n * L(one);
  char *p = malloc(len);
  assert_non_null(p);
  for (size_t i = 0; i < n; i++)
    memcpy(p + i * L(one), one, L(one));
  http_reader *r = reader();
  parse_and_free(r, p, len);
  assert_http_error(r, HTTP_E_HEAD_TOO_LARGE);
  assert_int_equal(r->error_at, HTTP_HEAD_MAX);
}

static void test_body_limits(void **state) {
  (void)state;
  http_reader *r = reader();
  size_t len;
  /* To the end of the stream: 65536 bytes is a body, 65537 too large. */
  parse_repeat(r, OK200 "\r\n", 'a', HTTP_BODY_MAX, "", &len);
  assert_int_equal(r->result, HTTP_DONE);
  assert_int_equal(r->body_len, HTTP_BODY_MAX);
  char *p = repeat(OK200 "\r\n", 'a', HTTP_BODY_MAX + 10, "", &len);
  size_t used;
  http_reader_init(r);
  http_reader_feed(r, guard_copy(p, len), len, &used);
  assert_int_equal(r->result, HTTP_TOO_LARGE);
  assert_int_equal(r->body_len, HTTP_BODY_MAX + 1);
  assert_int_equal(used, L(OK200 "\r\n") + HTTP_BODY_MAX + 1); /* not one byte more */
  /* The same in two calls: the room left counts what the first one read. */
  const char *g = guard_copy(p, len);
  http_reader_init(r);
  http_reader_feed(r, g, L(OK200 "\r\n") + 100, &used);
  assert_int_equal(r->result, HTTP_MORE);
  http_reader_feed(r, g + used, len - used, &used);
  assert_int_equal(r->result, HTTP_TOO_LARGE);
  assert_int_equal(r->body_len, HTTP_BODY_MAX + 1);
  assert_int_equal(used, HTTP_BODY_MAX + 1 - 100);
  free(p);
  /* Content-Length 65536 is read in full. */
  parse_repeat(r, OK200 "Content-Length: 65536\r\n\r\n", 'b', HTTP_BODY_MAX, "", &len);
  assert_int_equal(r->result, HTTP_DONE);
  assert_int_equal(r->body_len, HTTP_BODY_MAX);
}

/* Many small chunks add up: the sum, not each chunk, is limited. */
static void test_chunks_add_up(void **state) {
  (void)state;
  static const char chunk[] = "1000\r\n"; /* 4096 bytes each */
  size_t head = L(OK200 "Transfer-Encoding: chunked\r\n\r\n");
  size_t per = L(chunk) + 4096 + 2, count = 17, len = head + per * count;
  char *p = malloc(len);
  assert_non_null(p);
  memcpy(p, OK200 "Transfer-Encoding: chunked\r\n\r\n", head);
  for (size_t i = 0; i < count; i++) {
    char *c = p + head + i * per;
    memcpy(c, chunk, L(chunk));
    memset(c + L(chunk), 'x', 4096);
    memcpy(c + L(chunk) + 4096, "\r\n", 2);
  }
  http_reader *r = reader();
  size_t used;
  http_reader_init(r);
  http_reader_feed(r, guard_copy(p, len), len, &used);
  /* 16 chunks are 65536 bytes; the 17th is refused at its size line. */
  assert_int_equal(r->result, HTTP_TOO_LARGE);
  assert_int_equal(used, head + per * 16 + L(chunk));
  free(p);
}

/* Chunk extensions cannot grow without bound either. */
static void test_extension_budget(void **state) {
  (void)state;
  size_t len;
  http_reader *r = reader();
  parse_repeat(r, OK200 "Transfer-Encoding: chunked\r\n\r\n1;", 'e', HTTP_HEAD_MAX, "\r\nx\r\n",
               &len);
  assert_http_error(r, HTTP_E_CHUNK_EXTENSION);
}

/* Trailers share that budget: a trailer section of 16384 bytes is the
 * most a response may have, with no extension at all. */
static void test_trailer_budget(void **state) {
  (void)state;
  const char *head = OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\nX: ";
  size_t fill = HTTP_HEAD_MAX - L("X: \r\n\r\n"), len;
  http_reader *r = reader();
  parse_repeat(r, head, 't', fill, "\r\n\r\n", &len);
  assert_int_equal(r->result, HTTP_DONE);
  parse_repeat(r, head, 't', fill + 1, "\r\n\r\n", &len);
  assert_http_error(r, HTTP_E_TRAILER);
  /* The budget runs out inside a trailer value: refused at that byte. */
  parse_repeat(r, head, 't', fill + 8, "\r\n\r\n", &len);
  assert_http_error(r, HTTP_E_TRAILER);
  assert_int_equal(r->error_at, L(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\n") + HTTP_HEAD_MAX);
  /* An extension of 10 bytes leaves 10 fewer for the trailers. */
  parse_repeat(r, OK200 "Transfer-Encoding: chunked\r\n\r\n0;123456789\r\nX: ", 't', fill - 9,
               "\r\n\r\n", &len);
  assert_http_error(r, HTTP_E_TRAILER);
}

/* Noise must never crash, and every result is one of the four. */
static void test_noise(void **state) {
  (void)state;
  http_reader *r = reader();
  unsigned seed = 12345;
  char buf[512];
  for (int round = 0; round < 20000; round++) {
    size_t n = (size_t)(seed % sizeof buf);
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      /* Mostly the bytes that matter to the grammar. */
      static const char alphabet[] = "HTTP/1.1 200\r\n:;0a ChunkedContent-Length\t\x7f\x01";
      buf[i] = (seed >> 16) % 4 ? alphabet[(seed >> 8) % L(alphabet)] : (char)(seed >> 8);
    }
    seed = seed * 1103515245u + 12345u;
    const char *prefix = round % 2 ? OK200 "Transfer-Encoding: chunked\r\n\r\n" : "";
    char in[600];
    size_t pn = strlen(prefix);
    memcpy(in, prefix, pn);
    memcpy(in + pn, buf, n);
    http_parse_response(r, guard_copy(in, pn + n), pn + n);
    assert_true(r->result == HTTP_DONE || r->result == HTTP_ERROR || r->result == HTTP_TOO_LARGE);
    assert_true(r->body_len <= HTTP_BODY_MAX + 1);
  }
}

static void test_error_messages(void **state) {
  (void)state;
  for (int e = HTTP_E_NONE; e <= HTTP_E_TRUNCATED; e++)
    assert_true(strlen(http_error_message((http_error)e)) > 0);
  /* HTTP_E_TRUNCATED is the last code: the one after it is unknown. */
  assert_string_equal(http_error_message((http_error)(HTTP_E_TRUNCATED + 1)), "unknown error");
  assert_string_equal(http_error_message((http_error)999), "unknown error");
}

/* Location: the first one, as written; and nothing of an interim
 * response (Content-Type, Location, Content-Length) carries over. */
static void test_location_and_interim_fields(void **state) {
  (void)state;
  http_reader *r = reader();
  static const char two[] = "HTTP/1.1 302 Found\r\nLocation: /a\r\nlocation: /b\r\n\r\n";
  http_parse_response(r, guard_copy(two, L(two)), L(two));
  assert_int_equal(r->result, HTTP_DONE);
  assert_int_equal(r->status, 302);
  assert_non_null(r->location.ptr);
  assert_int_equal(r->location.len, 2);
  assert_memory_equal(r->location.ptr, "/a", 2);
  static const char interim[] = "HTTP/1.1 103 Early Hints\r\nContent-Type: text/html\r\n"
                                "Location: /x\r\nContent-Length: 5\r\n\r\n" OK200 "\r\n";
  http_parse_response(r, guard_copy(interim, L(interim)), L(interim));
  assert_int_equal(r->result, HTTP_DONE);
  assert_int_equal(r->status, 200);
  assert_null(r->content_type.ptr);
  assert_null(r->location.ptr);
  assert_int_equal(r->content_length, 0);
  assert_int_equal(r->framing, HTTP_FRAMING_CLOSE);
  /* An interim response, then the stream ends: no status is known. */
  static const char cut[] = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2";
  http_parse_response(r, guard_copy(cut, L(cut)), L(cut));
  assert_int_equal(r->result, HTTP_ERROR);
  assert_int_equal(r->error, HTTP_E_TRUNCATED);
  assert_int_equal(r->status, 0);
  assert_false(r->head_done);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows_whole),
      cmocka_unit_test(test_rows_split),
      cmocka_unit_test(test_prefixes_truncated),
      cmocka_unit_test(test_close_prefixes),
      cmocka_unit_test(test_head_limit),
      cmocka_unit_test(test_interim_flood),
      cmocka_unit_test(test_body_limits),
      cmocka_unit_test(test_chunks_add_up),
      cmocka_unit_test(test_extension_budget),
      cmocka_unit_test(test_trailer_budget),
      cmocka_unit_test(test_noise),
      cmocka_unit_test(test_error_messages),
      cmocka_unit_test(test_location_and_interim_fields),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
