/*
 * fuzz_smtp_reply - the SMTP reply parser of wire/ (wire/src/smtp_reply.c),
 * linked into the harness directly. It reads what an MX host sends to
 * `mtasts resolve --starttls`, so every byte is the attacker's.
 *
 * Input: the whole input is the byte stream from the server.
 *
 * The parse is checked against the header's promises, each from the
 * harness's own reading of the bytes (fuzz/README.md):
 *  - DONE: the reply's bytes [0, length) redone line by line (Reply-code
 *    digits, one code, separators, CRLF, the line and line-count limits),
 *    the line count and the STARTTLS keyword from an independent scan;
 *  - ERROR: the error is a known one at a byte of the input, and that
 *    byte (with the line it is in) is one the error names;
 *  - MORE: no complete last line, every complete line a valid "CODE-"
 *    line, and a completion built from the tail must make it DONE;
 *  - prefixes: a prefix that is not MORE has the whole input's result, a
 *    DONE reply's every shorter prefix is MORE, an early error (code,
 *    separator, bare LF, line too long, too many lines) is found once its
 *    byte has arrived;
 *  - the reply alone, and followed by other bytes, parses the same (the
 *    parser does not read past the reply);
 *  - a reply valid by construction from the input (and one line too long,
 *    one line too many) gives exactly the code, lines, STARTTLS, length
 *    or error and offset it was built with.
 *
 * Two errors the header does not list among the early ones are found only
 * later: a line with another code (at the line's end) and a line after
 * the 100th (when its first byte arrives). MORE is then said for bytes no
 * completion can make valid; by default the harness accepts exactly those
 * two cases, MTASTS_SMTP_STRICT_EARLY=1 in the environment refuses them
 * (fuzz/README.md, regress-late-*).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "smtp_model.h"
#include "smtp_reply.h"

/* Every prefix is parsed up to this reply size; past it a sample. */
#define ALL_PREFIXES_MAX 1024u
#define SAMPLED_PREFIXES 96u

/* ------------------------------------------------------------------ */
/* Parsing an exact-size copy                                          */
/* ------------------------------------------------------------------ */

static smtp_reply_status parse_copy(const uint8_t *d, size_t n, smtp_reply *out) {
  fz_poison(out, sizeof *out);
  const char *copy = fz_piece(d, n); /* NULL when n is 0, as the header allows */
  smtp_reply_status st = smtp_reply_parse(copy, n, out);
  fz_piece_free(copy);
  return st;
}

/* The same outcome, member by member (what the status defines). */
static bool same_outcome(smtp_reply_status a, const smtp_reply *ra, smtp_reply_status b,
                         const smtp_reply *rb) {
  return a == b && ra->code == rb->code && ra->lines == rb->lines && ra->starttls == rb->starttls &&
         ra->length == rb->length && ra->error == rb->error && ra->error_at == rb->error_at;
}

static bool strict_early(void) {
  static int cached = -1;
  if (cached < 0) {
    const char *v = getenv("MTASTS_SMTP_STRICT_EARLY");
    cached = v != NULL && strcmp(v, "1") == 0;
  }
  return cached == 1;
}

/* DONE: [0, r->length) is one whole reply with these code, lines, STARTTLS. */
static void check_done(const uint8_t *d, size_t n, const smtp_reply *r) {
  FZ_CHECK(r->length >= 5 && r->length <= n, "DONE length outside the input");
  FZ_CHECK(d[r->length - 2] == '\r' && d[r->length - 1] == '\n', "DONE reply not ending in CRLF");
  FZ_CHECK(r->error == SMTP_E_NONE && r->error_at == 0, "DONE with an error set");
  FZ_CHECK(r->code >= 200 && r->code <= 559 && r->code % 100 <= 59, "DONE code not a Reply-code");
  size_t at = 0, lines = 0;
  bool starttls = false;
  for (;;) {
    size_t e = sm_line_end(d, r->length, at);
    FZ_CHECK(e < r->length, "DONE reply: a line without CRLF");
    sm_line_view v = sm_view_line(d, at, e);
    FZ_CHECK(v.well_formed, "DONE reply: a malformed line");
    FZ_CHECK(v.code == r->code, "DONE reply: a line with another code");
    lines++;
    FZ_CHECK(lines <= SMTP_REPLY_LINES_MAX, "DONE reply: too many lines");
    starttls = starttls || (lines > 1 && sm_names_starttls(d + v.text, v.text_end - v.text));
    at = e + 2;
    if (v.sep != '-') {
      FZ_CHECK(at == r->length, "DONE reply: its last line is not at its end");
      break;
    }
    FZ_CHECK(at < r->length, "DONE reply: ends on a continuation line");
  }
  FZ_CHECK(lines == r->lines, "DONE line count");
  FZ_CHECK(starttls == r->starttls, "DONE starttls != the keyword scan");
}

/* Where the line holding offset `at` starts, and how many lines end before. */
static size_t line_start_before(const uint8_t *d, size_t at, size_t *lines_before) {
  size_t start = 0;
  *lines_before = 0;
  for (size_t i = 0; i + 1 < at; i++)
    if (d[i] == '\r' && d[i + 1] == '\n') {
      start = i + 2;
      (*lines_before)++;
      i++;
    }
  return start;
}

/* ERROR: the byte at error_at is one the error names. */
static void check_error(const uint8_t *d, size_t n, const smtp_reply *r) {
  FZ_CHECK(r->error != SMTP_E_NONE && r->error <= SMTP_E_TOO_MANY_LINES, "ERROR code");
  FZ_CHECK(smtp_reply_error_message(r->error)[0] != '\0', "ERROR without a message");
  FZ_CHECK(r->code == 0 && r->lines == 0 && !r->starttls && r->length == 0,
           "ERROR with reply fields set");
  FZ_CHECK(r->error_at < n, "error_at not at a byte of the input");
  size_t before = 0, at = r->error_at;
  size_t start = line_start_before(d, at, &before);
  size_t pos = at - start;
  uint8_t c = d[at];
  switch (r->error) {
  case SMTP_E_CODE:
    FZ_CHECK(pos < 3 && !sm_reply_digit(pos, c), "E_CODE not at a bad code digit");
    break;
  case SMTP_E_SEPARATOR:
    FZ_CHECK(pos == 3 && c != '-' && c != ' ' && c != '\r' && c != '\n',
             "E_SEPARATOR not after the code");
    break;
  case SMTP_E_BARE_LF:
    FZ_CHECK(c == '\n' && pos >= 3 && (at == 0 || d[at - 1] != '\r'), "E_BARE_LF not at a bare LF");
    break;
  case SMTP_E_BARE_CR:
    FZ_CHECK(c == '\r' && pos >= 3 && at + 1 < n && d[at + 1] != '\n',
             "E_BARE_CR not at a bare CR");
    break;
  case SMTP_E_LINE_TOO_LONG:
    FZ_CHECK(pos == SMTP_REPLY_LINE_MAX - 2 && c != '\r' && c != '\n',
             "E_LINE_TOO_LONG not at the 511th byte of a line");
    break;
  case SMTP_E_TOO_MANY_LINES:
    FZ_CHECK(pos == 0 && before == SMTP_REPLY_LINES_MAX, "E_TOO_MANY_LINES not at line 101");
    break;
  case SMTP_E_CODE_CHANGED: {
    size_t e = sm_line_end(d, n, at);
    FZ_CHECK(pos == 0 && before >= 1 && e < n && e - at >= 3 && sm_code_at(d + at) != sm_code_at(d),
             "E_CODE_CHANGED not at a complete line with another code");
    break;
  }
  default:
    FZ_CHECK(false, "unknown error");
  }
}

/* ------------------------------------------------------------------ */
/* MORE: something valid still begins with these bytes                 */
/* ------------------------------------------------------------------ */

static uint8_t completion[SMTP_REPLY_MAX + 16];

static void put(size_t *len, const void *p, size_t k) {
  FZ_CHECK(*len + k <= sizeof completion, "completion buffer");
  memcpy(completion + *len, p, k);
  *len += k;
}

/* The input [0, n) said MORE: its complete lines are "CODE-" lines and
 * its tail could still be a line. Build the shortest completion: finish
 * the tail's code and line, and when it is a continuation line add a
 * bare-code last line. Only the two late errors (see top) may spoil it. */
static void check_more(const uint8_t *d, size_t n, const smtp_reply *r) {
  FZ_CHECK(r->error == SMTP_E_NONE && r->error_at == 0 && r->code == 0 && r->lines == 0 &&
               !r->starttls && r->length == 0,
           "MORE with fields set");
  size_t at = 0, lines = 0;
  int first = -1;
  for (;;) {
    size_t e = sm_line_end(d, n, at);
    if (e == n)
      break;
    sm_line_view v = sm_view_line(d, at, e);
    FZ_CHECK(v.well_formed && v.sep == '-', "MORE after a complete bad or last line");
    if (first < 0)
      first = v.code;
    lines++;
    at = e + 2;
  }
  /* The tail [at, n): a line in the making. */
  size_t tail = n - at;
  for (size_t i = at; i < n; i++) {
    FZ_CHECK(d[i] != '\n', "MORE with a bare LF");
    FZ_CHECK(d[i] != '\r' || i == n - 1, "MORE with a bare CR");
    if (i - at < 3)
      FZ_CHECK(sm_reply_digit(i - at, d[i]), "MORE with a bad code digit");
    else if (i - at == 3)
      FZ_CHECK(d[i] == '-' || d[i] == ' ' || d[i] == '\r', "MORE with a bad separator");
  }
  bool ends_in_cr = tail > 0 && d[n - 1] == '\r';
  FZ_CHECK(tail + (ends_in_cr ? 1u : 2u) <= SMTP_REPLY_LINE_MAX, "MORE with a line too long");

  size_t len = 0;
  put(&len, d, n);
  /* The first line's code, or on the first line its digits so far then
   * "250"'s (valid in every position). */
  char code[3] = {'2', '5', '0'};
  if (first >= 0) {
    code[0] = (char)('0' + first / 100);
    code[1] = (char)('0' + first / 10 % 10);
    code[2] = (char)('0' + first % 10);
  } else {
    for (size_t i = 0; i < tail && i < 3; i++)
      code[i] = (char)d[at + i];
  }
  if (tail < 3)
    put(&len, code + tail, 3 - tail);
  bool continued = tail >= 4 && d[at + 3] == '-';
  if (ends_in_cr)
    put(&len, "\n", 1);
  else
    put(&len, "\r\n", 2);
  if (continued)
    put(&len, code, 3), put(&len, "\r\n", 2);

  smtp_reply done;
  smtp_reply_status st = parse_copy(completion, len, &done);
  if (st == SMTP_REPLY_ERROR && !strict_early()) {
    /* The two late errors: another code on the tail's line, a line 101. */
    bool other_code = first >= 0 && tail > 0 && memcmp(d + at, code, tail < 3 ? tail : 3) != 0;
    if (done.error == SMTP_E_CODE_CHANGED && other_code && done.error_at == at)
      return;
    size_t new_lines = lines + 1 + (continued ? 1u : 0u);
    if (done.error == SMTP_E_TOO_MANY_LINES && new_lines > SMTP_REPLY_LINES_MAX &&
        done.error_at == (lines == SMTP_REPLY_LINES_MAX ? at : len - 5))
      return;
  }
  FZ_CHECK(st == SMTP_REPLY_DONE, st == SMTP_REPLY_ERROR ? smtp_reply_error_message(done.error)
                                                         : "completed reply still MORE");
  FZ_CHECK(done.length == len, "completed reply: length");
}

/* ------------------------------------------------------------------ */
/* Prefixes and suffixes                                               */
/* ------------------------------------------------------------------ */

/* A DONE reply: shorter prefixes are MORE; alone and with other bytes
 * after it, the same outcome. */
static void check_reply_bounds(const uint8_t *d, size_t n, const smtp_reply *r) {
  size_t len = r->length;
  smtp_reply alone;
  smtp_reply_status st = parse_copy(d, len, &alone);
  FZ_CHECK(same_outcome(st, &alone, SMTP_REPLY_DONE, r), "the reply alone parses otherwise");
  static const char *const tails[] = {"\n", "\r", "999 x\r\n", "250 again\r\n"};
  for (size_t k = 0; k < 4; k++) {
    size_t tl = strlen(tails[k]);
    memcpy(completion, d, len);
    memcpy(completion + len, tails[k], tl);
    st = parse_copy(completion, len + tl, &alone);
    FZ_CHECK(same_outcome(st, &alone, SMTP_REPLY_DONE, r), "bytes after the reply changed it");
  }
  (void)n;
}

/* The prefix lengths to try for a reply or error reached at `upto`. */
static bool prefix_wanted(const uint8_t *d, size_t k, size_t upto) {
  if (upto <= ALL_PREFIXES_MAX)
    return true;
  /* Line boundaries and their neighbours, the head of each line, and an
   * even spread. */
  if (k < 8 || k + 8 > upto || k % (upto / SAMPLED_PREFIXES + 1) == 0)
    return true;
  return d[k - 1] == '\n' || d[k - 1] == '\r' || (k >= 5 && d[k - 5] == '\n');
}

/* Prefixes of the input against the whole input's outcome. */
static void check_prefixes(const uint8_t *d, size_t n, smtp_reply_status whole,
                           const smtp_reply *r) {
  /* Past the reply's end, or the byte that decides the error, nothing
   * new can be learnt: the outcome must already be the whole one. */
  size_t decided = n;
  if (whole == SMTP_REPLY_DONE)
    decided = r->length;
  else if (whole == SMTP_REPLY_ERROR) {
    if (r->error == SMTP_E_BARE_CR)
      decided = r->error_at + 2;
    else if (r->error == SMTP_E_CODE_CHANGED)
      decided = sm_line_end(d, n, r->error_at) + 2;
    else
      decided = r->error_at + 1;
  }
  FZ_CHECK(decided <= n, "the outcome needs bytes past the input");
  size_t upto = decided + 2 <= n ? decided + 2 : n;
  smtp_reply p;
  for (size_t k = 0; k <= upto; k++) {
    if (!prefix_wanted(d, k, upto))
      continue;
    smtp_reply_status st = parse_copy(d, k, &p);
    if (k < decided)
      FZ_CHECK(st == SMTP_REPLY_MORE, "a prefix before the deciding byte is not MORE");
    else
      FZ_CHECK(same_outcome(st, &p, whole, r), "a prefix decided otherwise than the input");
  }
}

/* ------------------------------------------------------------------ */
/* A reply valid by construction                                        */
/* ------------------------------------------------------------------ */

static uint8_t synth[SMTP_REPLY_MAX + 1024];

static uint32_t next_random(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

typedef struct builder {
  size_t len;
  const uint8_t *src; /* the input, for line texts */
  size_t src_len, src_at;
} builder;

static void add(builder *b, const void *p, size_t k) {
  FZ_CHECK(b->len + k <= sizeof synth, "synth buffer");
  memcpy(synth + b->len, p, k);
  b->len += k;
}

/* Text bytes from the input, CR and LF made '_' (any other byte is text). */
static void add_text(builder *b, size_t k) {
  for (size_t i = 0; i < k; i++) {
    uint8_t c = b->src_len ? b->src[b->src_at++ % b->src_len] : (uint8_t)'t';
    if (c == '\r' || c == '\n')
      c = '_';
    add(b, &c, 1);
  }
}

/* STARTTLS in a random case, then what makes it the keyword or not
 * (SP, the line's end) or not (another byte); *ends_line when nothing
 * may follow on the line. */
static void add_keyword_text(builder *b, uint32_t *st, size_t room, bool *ends_line) {
  static const char *const after[] = {"", " ", " PIPELINING", "X", "\t", "-1"};
  uint32_t r = next_random(st);
  char kw[8];
  memcpy(kw, "STARTTLS", 8);
  for (size_t i = 0; i < 8; i++)
    if ((r >> i) & 1u)
      kw[i] = (char)(kw[i] | 0x20);
  const char *a = after[(r >> 8) % 6u];
  if (8 + strlen(a) > room)
    return;
  add(b, kw, 8);
  add(b, a, strlen(a));
  *ends_line = a[0] == '\0';
}

typedef enum synth_kind { SYNTH_VALID, SYNTH_LONG_LINE, SYNTH_EXTRA_LINE } synth_kind;

static void check_synthesised(const uint8_t *d, size_t n) {
  uint32_t st = 0x811C9DC5u ^ (uint32_t)n;
  for (size_t i = 0; i < n && i < 64; i++)
    st = (st ^ d[i]) * 16777619u;
  if (st == 0)
    st = 1;
  uint32_t r = next_random(&st);
  synth_kind kind = (r & 7u) == 0   ? SYNTH_LONG_LINE
                    : (r & 7u) == 1 ? SYNTH_EXTRA_LINE
                                    : SYNTH_VALID;
  static const size_t counts[] = {1, 1, 2, 3, 5, 9, 99, SMTP_REPLY_LINES_MAX};
  size_t lines = kind == SYNTH_EXTRA_LINE ? SMTP_REPLY_LINES_MAX + 1 : counts[(r >> 3) & 7u];
  int code = 200 + (int)((r >> 6) % 4u) * 100 + (int)((r >> 8) % 6u) * 10 + (int)((r >> 11) % 10u);
  char digits[3] = {(char)('0' + code / 100), (char)('0' + code / 10 % 10),
                    (char)('0' + code % 10)};
  size_t long_line = kind == SYNTH_LONG_LINE ? (size_t)(next_random(&st) % lines) : lines;

  builder b = {0, d, n, 0};
  bool starttls = false;
  size_t error_at = 0;
  for (size_t i = 0; i < lines; i++) {
    bool last = i + 1 == lines;
    size_t line_start = b.len;
    if (kind == SYNTH_EXTRA_LINE && i == SMTP_REPLY_LINES_MAX)
      error_at = line_start;
    add(&b, digits, 3);
    uint32_t s = next_random(&st);
    /* Text length: mostly short, sometimes the most a line holds. */
    size_t most = SMTP_REPLY_LINE_MAX - 6;
    size_t text = (s & 15u) == 0 ? most : (s >> 4) % 24u;
    if (i == long_line) {
      text = most + 1;
      error_at = line_start + SMTP_REPLY_LINE_MAX - 2;
    }
    bool bare = last && text == 0 && (s & 0x100u); /* "250" CRLF */
    if (!bare)
      add(&b, last ? " " : "-", 1);
    size_t text_start = b.len;
    if ((s & 0x600u) == 0x200u && i != long_line) {
      size_t before = b.len;
      bool ends_line = false;
      add_keyword_text(&b, &st, text, &ends_line);
      text = ends_line ? 0 : text - (b.len - before);
    }
    add_text(&b, text);
    /* Text from the input can name the keyword too: the scan decides. */
    starttls = starttls || (i > 0 && sm_names_starttls(synth + text_start, b.len - text_start));
    add(&b, "\r\n", 2);
  }
  add(&b, "250 after\r\n", 11); /* not read */

  smtp_reply out;
  smtp_reply_status got = parse_copy(synth, b.len, &out);
  if (kind == SYNTH_VALID) {
    FZ_CHECK(got == SMTP_REPLY_DONE,
             got == SMTP_REPLY_ERROR ? smtp_reply_error_message(out.error) : "valid reply MORE");
    FZ_CHECK(out.code == code && out.lines == lines && out.starttls == starttls &&
                 out.length == b.len - 11,
             "valid reply: code, lines, starttls or length");
  } else {
    smtp_reply_error want = kind == SYNTH_LONG_LINE ? SMTP_E_LINE_TOO_LONG : SMTP_E_TOO_MANY_LINES;
    FZ_CHECK(got == SMTP_REPLY_ERROR && out.error == want && out.error_at == error_at,
             "over a limit: not the error at the limit");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  smtp_reply r;
  smtp_reply_status st = parse_copy(data, size, &r);
  switch (st) {
  case SMTP_REPLY_DONE:
    check_done(data, size, &r);
    check_reply_bounds(data, size, &r);
    break;
  case SMTP_REPLY_ERROR:
    check_error(data, size, &r);
    break;
  case SMTP_REPLY_MORE:
    check_more(data, size, &r);
    break;
  default:
    FZ_CHECK(false, "unknown status");
  }
  check_prefixes(data, size, st, &r);
  check_synthesised(data, size);
  return 0;
}
