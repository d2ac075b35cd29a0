/*
 * fuzz_http_response - the resolver's incremental HTTP/1.1 response reader
 * (wire/src/http_response.c), its library linked into the harness.
 *
 * Input: byte 0 = the seed of the piece sizes, the rest = the stream.
 * The stream is read four ways: http_parse_response; one feed and EOF;
 * pieces of sizes drawn from the seed (empty ones included, each in its
 * own exact-size heap buffer, so ASan sees a read past a piece); and one
 * byte at a time. All four must give the same result, error, error
 * offset, status, framing, Content-Type, Location, body and consumed
 * count. Then the result's own invariants, and for a complete response
 * an independent recomputation of its framing, fields and body from the
 * bytes (the reader's grammar is trusted there: only where the head
 * ends, which fields it holds and how the body is delimited are redone).
 * Last, a response valid by construction, built from the input, must be
 * read exactly (fuzz/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "http_model.h"
#include "http_response.h"

/* The readers are large (head, joined Content-Type and body buffers). */
static http_reader whole, fed, pieces, bytes;

/* ------------------------------------------------------------------ */
/* Feeding                                                             */
/* ------------------------------------------------------------------ */

typedef struct run {
  http_result before_eof;
  size_t consumed;
} run;

/* After the reader stopped, more bytes are not consumed and change nothing. */
static void check_stopped(http_reader *r, const uint8_t *data, size_t n) {
  http_result res = r->result;
  size_t used = 1;
  FZ_CHECK(http_reader_feed(r, n > 0 ? (const char *)data : "x", n > 0 ? n : 1, &used) == res &&
               used == 0,
           "a stopped reader consumed more bytes");
  FZ_CHECK(http_reader_feed(r, NULL, 0, &used) == res && used == 0, "an empty feed changed it");
}

static void note_feed(run *out, http_result res, size_t len, size_t used) {
  FZ_CHECK(used <= len, "used > len");
  FZ_CHECK(res != HTTP_MORE || used == len, "HTTP_MORE without consuming every byte");
  FZ_CHECK(res == HTTP_MORE || used >= 1 || len == 0, "stopped without consuming a byte");
  out->consumed += used;
}

static run feed_at_once(http_reader *r, const uint8_t *data, size_t n) {
  run out = {HTTP_MORE, 0};
  http_reader_init(r);
  const char *copy = fz_piece(data, n);
  size_t used = 0;
  out.before_eof = http_reader_feed(r, copy, n, &used);
  note_feed(&out, out.before_eof, n, used);
  fz_piece_free(copy);
  http_reader_eof(r);
  return out;
}

/* A small deterministic generator (xorshift32): the piece sizes are a
 * function of the input, so a finding replays. */
static uint32_t next_random(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* Sizes from 0 up to a few KiB, mostly small: every state of the reader
 * sees a piece boundary somewhere across the corpus. */
static size_t piece_size(uint32_t *state) {
  uint32_t r = next_random(state);
  if ((r & 15u) == 0)
    return 0;
  unsigned bits = (r >> 4) % 13u;
  return 1 + (size_t)((r >> 8) & ((1u << bits) - 1u));
}

static run feed_in_pieces(http_reader *r, const uint8_t *data, size_t n, uint8_t seed) {
  run out = {HTTP_MORE, 0};
  http_reader_init(r);
  uint32_t state = 0x9E3779B9u ^ ((uint32_t)seed << 16) ^ (uint32_t)n;
  size_t at = 0;
  while (out.before_eof == HTTP_MORE && at < n) {
    size_t len = piece_size(&state);
    if (len > n - at)
      len = n - at;
    const char *piece = fz_piece(data + at, len); /* NULL for an empty piece */
    size_t used = 0;
    out.before_eof = http_reader_feed(r, piece, len, &used);
    note_feed(&out, out.before_eof, len, used);
    fz_piece_free(piece);
    at += len;
  }
  if (out.before_eof != HTTP_MORE)
    check_stopped(r, data + out.consumed, n - out.consumed);
  http_reader_eof(r);
  return out;
}

static run feed_bytewise(http_reader *r, const uint8_t *data, size_t n) {
  run out = {HTTP_MORE, 0};
  http_reader_init(r);
  char *one = malloc(1);
  if (one == NULL)
    abort();
  for (size_t i = 0; i < n && out.before_eof == HTTP_MORE; i++) {
    one[0] = (char)data[i];
    size_t used = 0;
    out.before_eof = http_reader_feed(r, one, 1, &used);
    note_feed(&out, out.before_eof, 1, used);
  }
  free(one);
  http_reader_eof(r);
  return out;
}

/* ------------------------------------------------------------------ */
/* Comparing two readers                                               */
/* ------------------------------------------------------------------ */

static bool same_text(http_text a, http_text b) {
  if ((a.ptr == NULL) != (b.ptr == NULL) || a.len != b.len)
    return false;
  return a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0;
}

static void check_same(const http_reader *a, run ra, const http_reader *b, run rb,
                       const char *how) {
  FZ_CHECK(ra.before_eof == rb.before_eof, how);
  FZ_CHECK(ra.consumed == rb.consumed, how);
  FZ_CHECK(a->result == b->result && a->error == b->error && a->error_at == b->error_at, how);
  FZ_CHECK(a->head_done == b->head_done && a->status == b->status && a->framing == b->framing &&
               a->content_length == b->content_length,
           how);
  FZ_CHECK(same_text(a->content_type, b->content_type) && same_text(a->location, b->location), how);
  FZ_CHECK(a->body_len == b->body_len, how);
  size_t n = a->body_len <= HTTP_BODY_MAX ? a->body_len : HTTP_BODY_MAX;
  FZ_CHECK(memcmp(a->body, b->body, n) == 0, how);
}

/* ------------------------------------------------------------------ */
/* One reader's result                                                 */
/* ------------------------------------------------------------------ */

static bool text_inside(http_text t, const char *buf, size_t cap) {
  if (t.ptr == NULL)
    return t.len == 0;
  return t.ptr >= buf && t.len <= cap && (size_t)(t.ptr - buf) <= cap - t.len;
}

static void check_result(const http_reader *r, run ru, size_t n) {
  FZ_CHECK(r->result == HTTP_DONE || r->result == HTTP_TOO_LARGE || r->result == HTTP_ERROR,
           "HTTP_MORE after EOF");
  FZ_CHECK(ru.consumed <= n, "consumed more than the stream");
  FZ_CHECK(strcmp(http_error_message(r->error), "unknown error") != 0, "unknown error code");
  FZ_CHECK((r->error == HTTP_E_NONE) == (r->result != HTTP_ERROR), "error code vs result");
  FZ_CHECK(text_inside(r->content_type, r->head, sizeof r->head) ||
               text_inside(r->content_type, r->joined_type, sizeof r->joined_type),
           "Content-Type outside the reader's buffers");
  FZ_CHECK(text_inside(r->location, r->head, sizeof r->head), "Location outside the head");
  switch (r->result) {
  case HTTP_ERROR:
    if (r->error == HTTP_E_TRUNCATED)
      FZ_CHECK(ru.before_eof == HTTP_MORE && ru.consumed == n && r->error_at == n,
               "TRUNCATED before the end of the stream");
    else
      FZ_CHECK(ru.before_eof == HTTP_ERROR && r->error_at < ru.consumed,
               "error offset not at a byte that was read");
    break;
  case HTTP_TOO_LARGE:
    FZ_CHECK(ru.before_eof == HTTP_TOO_LARGE, "TOO_LARGE at EOF");
    FZ_CHECK(r->head_done && r->body_len == HTTP_BODY_MAX + 1, "TOO_LARGE body_len");
    FZ_CHECK(r->framing != HTTP_FRAMING_NONE, "TOO_LARGE without a body");
    FZ_CHECK(r->framing != HTTP_FRAMING_LENGTH || r->content_length > HTTP_BODY_MAX,
             "TOO_LARGE with a Content-Length that fits");
    break;
  default: /* HTTP_DONE */
    FZ_CHECK(ru.before_eof == HTTP_DONE || r->framing == HTTP_FRAMING_CLOSE,
             "DONE at EOF without a body framed by the end of the stream");
    FZ_CHECK(r->head_done && r->status >= 200 && r->status <= 599, "DONE status");
    FZ_CHECK(r->body_len <= HTTP_BODY_MAX, "body longer than HTTP_BODY_MAX");
    FZ_CHECK(r->framing != HTTP_FRAMING_NONE ||
                 (r->body_len == 0 && (r->status == 204 || r->status == 304)),
             "no framing, yet a body or a status with one");
    FZ_CHECK(r->framing != HTTP_FRAMING_LENGTH || r->body_len == r->content_length,
             "body_len != Content-Length");
    FZ_CHECK(r->framing != HTTP_FRAMING_CLOSE || (ru.before_eof == HTTP_MORE && ru.consumed == n),
             "a body to the end of the stream that ended early");
  }
}

static http_expect want;

static void check_against_expect(const http_reader *r, run ru, const uint8_t *d, size_t n) {
  http_expect_response(&want, d, n);
  FZ_CHECK((r->result == HTTP_TOO_LARGE) == want.too_large, "TOO_LARGE vs the stream");
  FZ_CHECK(r->status == want.status, "status vs the stream");
  FZ_CHECK(r->framing == want.framing, "framing vs the stream");
  FZ_CHECK(!want.has_length || r->content_length == want.content_length,
           "Content-Length vs the stream");
  FZ_CHECK(ru.consumed == want.end, "consumed != the end of the response");
  if (r->result == HTTP_DONE)
    FZ_CHECK(r->body_len == want.body_len && memcmp(r->body, want.body, want.body_len) == 0,
             "body != the de-framed stream");
  FZ_CHECK(want.has_content_type == (r->content_type.ptr != NULL) &&
               r->content_type.len == want.content_type_len &&
               (want.content_type_len == 0 ||
                memcmp(r->content_type.ptr, want.content_type, want.content_type_len) == 0),
           "Content-Type != the fields joined with \", \"");
  FZ_CHECK(want.has_location == (r->location.ptr != NULL) && r->location.len == want.location_len &&
               (want.location_len == 0 ||
                memcmp(r->location.ptr, d + want.location_off, want.location_len) == 0),
           "Location != the first Location field");
}

/* ------------------------------------------------------------------ */
/* A valid response built from the input                               */
/* ------------------------------------------------------------------ */

/* The checks above cannot see a valid response refused. So each input
 * also becomes one response that is valid by construction (interim
 * responses, field case and OWS, every framing, chunk sizes with leading
 * zeros and either case, extensions, trailers), with the input as its
 * body, which must be read exactly. */
#define SYNTH_BODY_MAX 4096u
#define SYNTH_EXT_CHUNKS 64u /* extensions on the first chunks only: far below the budget */
#define SYNTH_CAP (SYNTH_BODY_MAX * 40u + 8192u) /* 1-octet chunks with 16-digit sizes */

typedef struct synth {
  uint8_t bytes[SYNTH_CAP];
  size_t len;
  int status;
  http_framing framing;
  char type[HTTP_HEAD_MAX];
  size_t type_len;
  bool has_type;
  const uint8_t *body;
  size_t body_len;
} synth;

static synth gen;

static void put(synth *g, const void *p, size_t n) {
  FZ_CHECK(n <= SYNTH_CAP - g->len, "harness: synthesised response too long");
  memcpy(g->bytes + g->len, p, n);
  g->len += n;
}

static void put_str(synth *g, const char *z) {
  put(g, z, strlen(z));
}

static const char *pick(uint32_t *st, const char *const *options, size_t count) {
  return options[next_random(st) % count];
}

/* A field value from input bytes: VCHAR and obs-text kept, the rest '_'
 * (so no OWS to trim at either end). */
static void put_value_from(synth *g, const uint8_t *p, size_t n, char *copy_to, size_t *copied) {
  for (size_t i = 0; i < n; i++) {
    char c = (char)((p[i] > 0x20 && p[i] != 0x7F) ? p[i] : '_');
    put(g, &c, 1);
    if (copy_to != NULL)
      copy_to[(*copied)++] = c;
  }
}

static void synth_interim(synth *g, uint32_t *st) {
  static const char *const interim[] = {"HTTP/1.1 100 Continue\r\n\r\n",
                                        "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
                                        "HTTP/1.0 102 X\r\n\r\n"};
  uint32_t r = next_random(st);
  for (unsigned k = (r & 3u) == 3u ? 1u + ((r >> 2) & 1u) : 0u; k > 0; k--)
    put_str(g, pick(st, interim, 3));
}

static void synth_head(synth *g, uint32_t *st, const uint8_t *d, size_t n) {
  static const int statuses[] = {200, 200, 200, 200, 203, 404, 500, 599};
  static const char *const colon[] = {":", ": ", ":\t", ":  \t"};
  static const char *const eol[] = {"\r\n", " \r\n", "\t\r\n"};
  g->status = statuses[next_random(st) % 8u];
  uint32_t r = next_random(st);
  g->framing = (http_framing)(HTTP_FRAMING_LENGTH + r % 3u);
  bool minor0 = g->framing != HTTP_FRAMING_CHUNKED && (r & 8u);
  char line[32];
  size_t k = (size_t)(minor0 ? 0 : 1);
  memcpy(line, "HTTP/1.0 ", 9);
  line[7] = (char)('0' + k);
  line[9] = (char)('0' + g->status / 100);
  line[10] = (char)('0' + g->status / 10 % 10);
  line[11] = (char)('0' + g->status % 10);
  put(g, line, 12);
  put_str(g, (r & 16u) ? " Some Reason\r\n" : "\r\n");
  /* Zero to two Content-Type fields, their values from the input. */
  g->has_type = false;
  g->type_len = 0;
  for (unsigned t = (r >> 5) % 3u; t > 0; t--) {
    if (g->has_type) {
      memcpy(g->type + g->type_len, ", ", 2);
      g->type_len += 2;
    }
    g->has_type = true;
    put_str(g, (next_random(st) & 1u) ? "Content-Type" : "content-TYPE");
    put_str(g, pick(st, colon, 4));
    size_t from = n ? next_random(st) % n : 0, len = next_random(st) % 24u;
    if (len > n - from)
      len = n - from;
    put_value_from(g, d + from, len, g->type, &g->type_len);
    put_str(g, pick(st, eol, 3));
  }
  put_str(g, "X-Other:");
  put_value_from(g, d, n < 8 ? n : 8, NULL, NULL);
  put_str(g, "\r\n");
}

static void put_hex(synth *g, uint32_t *st, size_t v) {
  char digits[16];
  size_t k = 0;
  bool upper = next_random(st) & 1u;
  do {
    unsigned x = (unsigned)(v & 15u);
    digits[k++] = (char)(x < 10 ? '0' + x : (upper ? 'A' : 'a') + x - 10);
    v >>= 4;
  } while (v != 0);
  size_t zeros = next_random(st) % 8u == 0 ? (size_t)(16u - k) : 0; /* 16 digits in all */
  for (size_t z = 0; z < zeros; z++)
    put_str(g, "0");
  while (k > 0)
    put(g, &digits[--k], 1);
}

static void synth_chunked(synth *g, uint32_t *st) {
  static const char *const ext[] = {"", "", "", ";a=b", " ;name=\"v v\"", "\t; x", ";"};
  size_t at = 0, chunks = 0;
  while (at < g->body_len) {
    size_t size = piece_size(st);
    if (size == 0)
      size = 1;
    if (size > g->body_len - at)
      size = g->body_len - at;
    put_hex(g, st, size);
    put_str(g, chunks++ < SYNTH_EXT_CHUNKS ? pick(st, ext, 7) : "");
    put_str(g, "\r\n");
    put(g, g->body + at, size);
    put_str(g, "\r\n");
    at += size;
  }
  put_hex(g, st, 0);
  put_str(g, pick(st, ext, 7));
  put_str(g, "\r\n");
  static const char *const trailers[] = {"", "", "Expires: never\r\n", "A:\r\nB: 1 2\r\n"};
  put_str(g, pick(st, trailers, 4));
  put_str(g, "\r\n");
}

static void synth_response(synth *g, uint8_t seed, const uint8_t *d, size_t n) {
  uint32_t st = 0x85EBCA6Bu ^ ((uint32_t)seed << 8) ^ (uint32_t)n;
  g->len = 0;
  g->body = d;
  g->body_len = n < SYNTH_BODY_MAX ? n : SYNTH_BODY_MAX;
  synth_interim(g, &st);
  synth_head(g, &st, d, n);
  if (g->framing == HTTP_FRAMING_LENGTH) {
    char cl[48];
    size_t k = 0, v = g->body_len;
    char rev[24];
    do {
      rev[k++] = (char)('0' + v % 10);
      v /= 10;
    } while (v != 0);
    size_t m = 0;
    memcpy(cl, "Content-Length: 00", 18);
    m = (next_random(&st) & 1u) ? 18 : 16; /* leading zeros or not */
    while (k > 0)
      cl[m++] = rev[--k];
    put(g, cl, m);
    put_str(g, "\r\n\r\n");
    put(g, g->body, g->body_len);
  } else if (g->framing == HTTP_FRAMING_CHUNKED) {
    put_str(g, (next_random(&st) & 1u) ? "Transfer-Encoding: chunked\r\n\r\n"
                                       : "transfer-encoding:CHUNKED \r\n\r\n");
    synth_chunked(g, &st);
  } else {
    put_str(g, "\r\n");
    put(g, g->body, g->body_len);
  }
}

static void check_synthesised(uint8_t seed, const uint8_t *d, size_t n) {
  synth_response(&gen, seed, d, n);
  run ru = feed_in_pieces(&pieces, gen.bytes, gen.len, seed);
  const http_reader *r = &pieces;
  FZ_CHECK(r->result == HTTP_DONE,
           r->result == HTTP_ERROR ? http_error_message(r->error) : "valid response not DONE");
  FZ_CHECK(ru.consumed == gen.len, "valid response: consumed != its length");
  FZ_CHECK(r->status == gen.status && r->framing == gen.framing, "valid response: status, framing");
  FZ_CHECK(r->body_len == gen.body_len &&
               (gen.body_len == 0 || memcmp(r->body, gen.body, gen.body_len) == 0),
           "valid response: body");
  FZ_CHECK(gen.has_type == (r->content_type.ptr != NULL) && r->content_type.len == gen.type_len &&
               (gen.type_len == 0 || memcmp(r->content_type.ptr, gen.type, gen.type_len) == 0),
           "valid response: Content-Type");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  uint8_t seed = data[0];
  const uint8_t *stream = data + 1;
  size_t n = size - 1;

  const char *copy = fz_piece(stream, n);
  http_result convenience = http_parse_response(&whole, copy, n);
  fz_piece_free(copy);
  FZ_CHECK(convenience == whole.result, "http_parse_response's return != result");

  run r_fed = feed_at_once(&fed, stream, n);
  run r_pieces = feed_in_pieces(&pieces, stream, n, seed);
  run r_bytes = feed_bytewise(&bytes, stream, n);

  check_result(&fed, r_fed, n);
  run r_whole = {r_fed.before_eof, r_fed.consumed}; /* not observable through the convenience */
  check_same(&fed, r_fed, &whole, r_whole, "http_parse_response != feed + eof");
  check_same(&fed, r_fed, &pieces, r_pieces, "pieces != one feed");
  check_same(&fed, r_fed, &bytes, r_bytes, "byte at a time != one feed");
  FZ_CHECK(http_reader_eof(&fed) == fed.result, "a second EOF changed the result");
  check_stopped(&fed, stream, n);

  if (fed.result != HTTP_ERROR)
    check_against_expect(&fed, r_fed, stream, n);

  check_synthesised(seed, stream, n);
  return 0;
}
