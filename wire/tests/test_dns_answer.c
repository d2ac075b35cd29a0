/*
 * test_dns_answer.c - the TXT records of a DNS answer (wire/src/dns_answer.c,
 * dns_answer_txt): character-strings kept apart, CNAME chains, other
 * types and classes skipped, malformed messages refused, the caller's
 * arrays never overrun; the TLSA records and the AD bit of an answer
 * (dns_answer_tlsa, dns_answer_authentic). The messages are built here
 * byte by byte.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"
#include "dns_msg.h"

enum { T_A = 1, T_CNAME = 5, T_TXT = 16, T_TLSA = 52, C_IN = 1, C_CH = 3 };

/* Room for the largest message's records (one string per 256 octets). */
#define RR_ROOM 64
#define CHUNK_ROOM 512
/* A message's bytes (the 65535-byte one is built apart). */
#define MSG_ROOM 4096

typedef struct txt {
  dns_answer a;
  mtasts_rr rrs[RR_ROOM];
  mtasts_chunk chunks[CHUNK_ROOM];
} txt;

static txt result;

/* Header (a response, NOERROR) and the question. */
static void begin(dns_msg *m, unsigned answers) {
  dns_msg_begin(m, DNS_MSG_ID, DNS_MSG_RESPONSE, answers, "_mta-sts.example.com", T_TXT);
}

/* A TXT RDATA from strings given as "len-prefixed" pieces. */
static void rr_txt(dns_msg *m, unsigned cls, const char *const *strings, size_t count) {
  size_t rdlen = 0;
  for (size_t i = 0; i < count; i++)
    rdlen += 1 + strlen(strings[i]);
  dns_msg_rr(m, T_TXT, cls, 300, rdlen);
  for (size_t i = 0; i < count; i++) {
    unsigned char n = (unsigned char)strlen(strings[i]);
    dns_msg_put(m, &n, 1);
    dns_msg_put(m, strings[i], n);
  }
}

static const txt *parse_ok(const dns_msg *m) {
  poison(&result, sizeof result);
  const unsigned char *p = (const unsigned char *)guard_copy(m->b, m->len);
  dns_answer_status st =
      dns_answer_txt(p, m->len, result.rrs, RR_ROOM, result.chunks, CHUNK_ROOM, &result.a);
  if (st != DNS_ANSWER_OK)
    fail_msg("refused: %s at %zu", dns_answer_error_message(result.a.error), result.a.error_at);
  assert_int_equal(result.a.rr_count, result.a.rr_needed);
  assert_int_equal(result.a.chunk_count, result.a.chunk_needed);
  return &result;
}

static void assert_chunk(const mtasts_rr *rr, size_t i, const char *want) {
  assert_true(i < rr->count);
  assert_int_equal(rr->strings[i].len, strlen(want));
  assert_memory_equal(rr->strings[i].ptr, want, strlen(want));
}

static void test_strings_kept_apart(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  static const char *const s[] = {"v=STSv1; ", "id=20240501;"};
  rr_txt(&m, C_IN, s, 2);
  const txt *t = parse_ok(&m);
  assert_int_equal(t->a.rr_count, 1);
  assert_int_equal(t->rrs[0].count, 2);
  assert_chunk(&t->rrs[0], 0, "v=STSv1; ");
  assert_chunk(&t->rrs[0], 1, "id=20240501;");
}

static void test_rrset(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 3);
  static const char *const a[] = {"v=spf1 -all"};
  static const char *const b[] = {"v=STSv1; id=1;"};
  static const char *const empty[] = {""};
  rr_txt(&m, C_IN, a, 1);
  rr_txt(&m, C_IN, b, 1);
  rr_txt(&m, C_IN, empty, 1);
  const txt *t = parse_ok(&m);
  assert_int_equal(t->a.rr_count, 3);
  assert_chunk(&t->rrs[0], 0, "v=spf1 -all");
  assert_chunk(&t->rrs[1], 0, "v=STSv1; id=1;");
  assert_int_equal(t->rrs[2].count, 1);
  assert_int_equal(t->rrs[2].strings[0].len, 0);
}

/* owner CNAME target: returns the offset of the target name. */
static size_t rr_cname(dns_msg *m, size_t owner, const char *target) {
  size_t rdlen_at = dns_msg_rr_at(m, owner, T_CNAME, C_IN, 300, 0);
  size_t at = m->len;
  dns_msg_put_name(m, target);
  dns_msg_patch_rdlen(m, rdlen_at);
  return at;
}

/* RFC 8461 3.1: senders "MUST follow the CNAME pointers": the server
 * did, and the TXT records are owned by the chain's target. */
static void test_cname_chain(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 3);
  size_t first = rr_cname(&m, 12, "a.example.net");
  size_t second = rr_cname(&m, first, "b.example.org");
  size_t rdlen_at = dns_msg_rr_at(&m, second, T_TXT, C_IN, 300, 0);
  dns_msg_put(&m, "\x0ev=STSv1; id=2;", 15);
  dns_msg_patch_rdlen(&m, rdlen_at);
  const txt *t = parse_ok(&m);
  assert_int_equal(t->a.rr_count, 1);
  assert_chunk(&t->rrs[0], 0, "v=STSv1; id=2;");
}

/* A CNAME whose target has no TXT record: an answer without records. */
static void test_cname_only(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  rr_cname(&m, 12, "elsewhere.example.net");
  const txt *t = parse_ok(&m);
  assert_int_equal(t->a.rr_count, 0);
}

static void test_other_types_and_classes(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 3);
  dns_msg_rr(&m, T_A, C_IN, 300, 4);
  dns_msg_put(&m, "\x7f\0\0\x01", 4);
  static const char *const chaos[] = {"v=STSv1; id=chaos;"};
  rr_txt(&m, C_CH, chaos, 1);
  static const char *const in[] = {"v=STSv1; id=in;"};
  rr_txt(&m, C_IN, in, 1);
  const txt *t = parse_ok(&m);
  assert_int_equal(t->a.rr_count, 1);
  assert_chunk(&t->rrs[0], 0, "v=STSv1; id=in;");
}

/* A TXT RDATA with no character-string at all: a record of 0 chunks. */
static void test_empty_rdata(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  dns_msg_rr(&m, T_TXT, C_IN, 300, 0);
  const txt *t = parse_ok(&m);
  assert_int_equal(t->a.rr_count, 1);
  assert_int_equal(t->rrs[0].count, 0);
}

static void expect_refused(const dns_msg *m, size_t len, dns_answer_error want, size_t at) {
  dns_answer a;
  poison(&a, sizeof a);
  const unsigned char *p = (const unsigned char *)guard_copy(m->b, len);
  assert_int_equal(dns_answer_txt(p, len, result.rrs, RR_ROOM, result.chunks, CHUNK_ROOM, &a),
                   DNS_ANSWER_ERROR);
  assert_int_equal(a.error, want);
  assert_int_equal(a.error_at, at);
  assert_int_equal(a.rr_count, 0);
  assert_int_equal(a.chunk_count, 0);
}

static void test_string_overruns(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  dns_msg_rr(&m, T_TXT, C_IN, 300, 5);
  size_t rdata = m.len;
  dns_msg_put(&m,
              "\x05"
              "abcd",
              5); /* says 5, has 4 */
  expect_refused(&m, m.len, DNS_E_STRING, rdata);
  assert_string_equal(dns_answer_error_message(DNS_E_STRING),
                      "a TXT character-string overruns its record");
}

static void test_counts_lie(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 2);
  static const char *const s[] = {"v=STSv1; id=1;"};
  rr_txt(&m, C_IN, s, 1);
  expect_refused(&m, m.len, DNS_E_MESSAGE, m.len);
  assert_string_equal(dns_answer_error_message(DNS_E_MESSAGE), "the message does not parse");
}

/* Bytes after the last section: the counts do not describe the message. */
static void test_trailing_bytes(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  static const char *const s[] = {"v=STSv1; id=1;"};
  rr_txt(&m, C_IN, s, 1);
  size_t end = m.len;
  dns_msg_put(&m, "\0", 1);
  expect_refused(&m, m.len, DNS_E_MESSAGE, end);
}

/* An answer record's fixed part after its owner name, RDATA empty. */
static void rr_rest(dns_msg *m) {
  dns_msg_put16(m, T_TXT);
  dns_msg_put16(m, C_IN);
  dns_msg_put16(m, 0);
  dns_msg_put16(m, 300);
  dns_msg_put16(m, 0);
}

/* An answer record whose owner is a pointer at itself, forward, past the
 * end, or a name of label types 01 / 10: the record does not parse. */
static void test_bad_owner_names(void **state) {
  (void)state;
  for (unsigned i = 0; i < 3; i++) {
    DNS_MSG(m, MSG_ROOM);
    begin(&m, 1);
    size_t at = m.len;
    static const unsigned past[] = {0, 2, 0x3fff};
    dns_msg_put16(&m, 0xc000 | (i < 2 ? (unsigned)at + past[i] : past[i]));
    rr_rest(&m);
    expect_refused(&m, m.len, DNS_E_RECORD, at);
  }
  for (unsigned type = 0x40; type <= 0x80; type += 0x40) {
    DNS_MSG(m, MSG_ROOM);
    begin(&m, 1);
    size_t at = m.len;
    unsigned char label = (unsigned char)type;
    dns_msg_put(&m, &label, 1);
    rr_rest(&m);
    expect_refused(&m, m.len, DNS_E_MESSAGE, at);
  }
  assert_string_equal(dns_answer_error_message(DNS_E_RECORD),
                      "a record of the answer section does not parse");
  assert_string_equal(dns_answer_error_message((dns_answer_error)99), "unknown error");
}

/* A name of `total` octets on the wire: labels of 63, then the rest. */
static void put_long_name(dns_msg *m, size_t total) {
  size_t left = total - 1; /* the root label */
  while (left > 0) {
    size_t n = left > 64 ? 63 : left - 1;
    unsigned char len = (unsigned char)n;
    dns_msg_put(m, &len, 1);
    for (size_t k = 0; k < n; k++)
      dns_msg_put(m, "a", 1);
    left -= 1 + n;
  }
  dns_msg_put(m, "", 1);
}

/* A name of 255 octets is taken, one of 256 is not (RFC 1035 3.1); so is
 * a label followed by a pointer back to it, which would never end. */
static void test_name_length(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  for (size_t total = 254; total <= 256; total++) {
    begin(&m, 1);
    size_t owner = m.len;
    put_long_name(&m, total);
    assert_int_equal(m.len - owner, total);
    rr_rest(&m);
    if (total <= DNS_NAME_MAX)
      parse_ok(&m);
    else
      expect_refused(&m, m.len, DNS_E_RECORD, owner);
  }
  begin(&m, 1);
  size_t loop = m.len;
  dns_msg_put(&m,
              "\x03"
              "abc",
              4);
  dns_msg_put16(&m, 0xc000 | (unsigned)loop);
  rr_rest(&m);
  expect_refused(&m, m.len, DNS_E_RECORD, loop);
}

/* The counts come first: arrays too small (or none) say what is needed,
 * and exactly that is enough; nothing is written past a capacity. */
static void test_capacity(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 3);
  static const char *const a[] = {"v=STSv1; ", "id=1;"};
  static const char *const b[] = {"other"};
  rr_txt(&m, C_IN, a, 2);
  dns_msg_rr(&m, T_TXT, C_IN, 300, 0);
  rr_txt(&m, C_IN, b, 1);
  const unsigned char *p = (const unsigned char *)guard_copy(m.b, m.len);
  dns_answer a0;
  assert_int_equal(dns_answer_txt(p, m.len, NULL, 0, NULL, 0, &a0), DNS_ANSWER_CAPACITY);
  assert_int_equal(a0.rr_needed, 3);
  assert_int_equal(a0.chunk_needed, 3);
  assert_int_equal(a0.rr_count, 0);
  for (size_t rc = 0; rc <= 3; rc++)
    for (size_t cc = 0; cc <= 3; cc++) {
      mtasts_rr *rrs = rc > 0 ? (mtasts_rr *)guard_object(1, rc * sizeof(mtasts_rr)) : NULL;
      mtasts_chunk chunks[4];
      memset(chunks, 0xa5, sizeof chunks);
      dns_answer x;
      dns_answer_status st = dns_answer_txt(p, m.len, rrs, rc, chunks, cc, &x);
      assert_int_equal(st, rc == 3 && cc == 3 ? DNS_ANSWER_OK : DNS_ANSWER_CAPACITY);
      assert_int_equal(chunks[3].len, (size_t)0xa5a5a5a5a5a5a5a5u);
      if (st == DNS_ANSWER_OK) {
        assert_int_equal(x.rr_count, 3);
        assert_int_equal(rrs[1].count, 0);
        assert_ptr_equal(rrs[2].strings, chunks + 2);
      }
    }
  /* A message without a TXT record needs no array at all. */
  begin(&m, 0);
  p = (const unsigned char *)guard_copy(m.b, m.len);
  assert_int_equal(dns_answer_txt(p, m.len, NULL, 0, NULL, 0, &a0), DNS_ANSWER_OK);
  assert_int_equal(dns_answer_txt(NULL, 0, NULL, 0, NULL, 0, &a0), DNS_ANSWER_ERROR);
  assert_int_equal(a0.error_at, 0);
}

/* Every strict prefix of a valid answer is refused, cleanly. */
static void test_prefixes(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 2);
  static const char *const a[] = {"v=STSv1; ", "id=1;"};
  static const char *const b[] = {"other"};
  rr_txt(&m, C_IN, a, 2);
  rr_txt(&m, C_IN, b, 1);
  for (size_t n = 0; n < m.len; n++) {
    dns_answer x;
    const unsigned char *p = (const unsigned char *)guard_copy(m.b, n);
    if (dns_answer_txt(p, n, result.rrs, RR_ROOM, result.chunks, CHUNK_ROOM, &x) !=
        DNS_ANSWER_ERROR)
      fail_msg("a prefix of %zu bytes of %zu is accepted", n, m.len);
    assert_int_equal(x.error, DNS_E_MESSAGE);
    assert_true(x.error_at <= n);
  }
}

/* Random changes to a valid answer: never a crash, and every chunk that
 * comes out lies inside the message. */
static void test_noise(void **state) {
  (void)state;
  DNS_MSG(base, MSG_ROOM);
  begin(&base, 2);
  static const char *const a[] = {"v=STSv1; ", "id=1;"};
  rr_txt(&base, C_IN, a, 2);
  rr_txt(&base, C_IN, a, 2);
  unsigned seed = 7;
  for (int round = 0; round < 20000; round++) {
    DNS_MSG(m, MSG_ROOM);
    memcpy(m.b, base.b, base.len);
    m.len = base.len;
    for (int k = 0; k < 3; k++) {
      seed = seed * 1103515245u + 12345u;
      m.b[(seed >> 8) % m.len] = (unsigned char)(seed >> 20);
    }
    const unsigned char *p = (const unsigned char *)guard_copy(m.b, m.len);
    dns_answer x;
    if (dns_answer_txt(p, m.len, result.rrs, RR_ROOM, result.chunks, CHUNK_ROOM, &x) ==
        DNS_ANSWER_OK) {
      for (size_t i = 0; i < x.rr_count; i++)
        for (size_t j = 0; j < result.rrs[i].count; j++) {
          const unsigned char *c = (const unsigned char *)result.rrs[i].strings[j].ptr;
          assert_true(c >= p && c + result.rrs[i].strings[j].len <= p + m.len);
        }
    } else {
      assert_true(x.error_at <= m.len);
    }
  }
}

/* The largest DNS message, 65535 bytes, is read; one more byte is not. */
static void test_largest_message(void **state) {
  (void)state;
  size_t cap = 65536 + 16;
  unsigned char *b = malloc(cap);
  assert_non_null(b);
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  size_t head = m.len + 12; /* the question, then the RR's fixed part */
  size_t rdlen = 65535 - head;
  dns_msg_rr(&m, T_TXT, C_IN, 300, rdlen);
  memcpy(b, m.b, m.len);
  size_t n = m.len, strings = 0;
  while (n < 65535) {
    size_t len = 65535 - n - 1 < 255 ? 65535 - n - 1 : 255;
    b[n++] = (unsigned char)len;
    memset(b + n, 'x', len);
    n += len;
    strings++;
  }
  assert_int_equal(n, 65535);
  const unsigned char *p = (const unsigned char *)guard_copy(b, n);
  dns_answer x;
  if (dns_answer_txt(p, n, result.rrs, RR_ROOM, result.chunks, CHUNK_ROOM, &x) != DNS_ANSWER_OK)
    fail_msg("65535 bytes refused: %s", dns_answer_error_message(x.error));
  assert_int_equal(x.rr_count, 1);
  assert_int_equal(result.rrs[0].count, strings);
  /* One byte more (the message still says 65535): refused unread. */
  b[n] = 0;
  p = (const unsigned char *)guard_copy(b, n + 1);
  assert_int_equal(dns_answer_txt(p, n + 1, result.rrs, RR_ROOM, result.chunks, CHUNK_ROOM, &x),
                   DNS_ANSWER_ERROR);
  assert_int_equal(x.error, DNS_E_MESSAGE);
  assert_int_equal(x.error_at, DNS_MESSAGE_MAX);
  free(b);
}

/* A TLSA RDATA: usage, selector, matching type, then `data` octets of 0xab. */
static void rr_tlsa(dns_msg *m, unsigned cls, unsigned usage, unsigned selector, unsigned mtype,
                    size_t data) {
  dns_msg_rr(m, T_TLSA, cls, 300, 3 + data);
  unsigned char fixed[3] = {(unsigned char)usage, (unsigned char)selector, (unsigned char)mtype};
  dns_msg_put(m, fixed, 3);
  for (size_t i = 0; i < data; i++)
    dns_msg_put(m, "\xab", 1);
}

static dns_tlsa tlsa_of(const dns_msg *m) {
  const unsigned char *p = (const unsigned char *)guard_copy(m->b, m->len);
  dns_tlsa t;
  poison(&t, sizeof t);
  if (dns_answer_tlsa(p, m->len, &t) != DNS_ANSWER_OK)
    fail_msg("refused: %s at %zu", dns_answer_error_message(t.error), t.error_at);
  return t;
}

/* Which TLSA records an SMTP client can use (RFC 7672 3.1.3, RFC 7671 4). */
static void test_tlsa_usable(void **state) {
  (void)state;
  static const struct {
    unsigned usage, selector, mtype;
    size_t data;
    bool usable;
  } rows[] = {
      {3, 1, 1, 32, true},  {2, 0, 1, 32, true},  {3, 0, 0, 300, true},       {3, 1, 2, 64, true},
      {2, 1, 0, 1, true},   {0, 1, 1, 32, false}, {1, 0, 1, 32, false},       {4, 1, 1, 32, false},
      {3, 2, 1, 32, false}, {3, 1, 3, 32, false}, {3, 1, 1, 31, false},       {3, 1, 1, 33, false},
      {3, 1, 2, 32, false}, {3, 1, 0, 0, false},  {255, 255, 255, 32, false},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    DNS_MSG(m, MSG_ROOM);
    begin(&m, 1);
    rr_tlsa(&m, C_IN, rows[i].usage, rows[i].selector, rows[i].mtype, rows[i].data);
    dns_tlsa t = tlsa_of(&m);
    assert_int_equal(t.rr_count, 1);
    if (t.usable != (rows[i].usable ? 1u : 0u))
      fail_msg("row %zu: usable %zu", i, t.usable);
  }
  /* A record too short for its fixed fields is unusable, not an error. */
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  dns_msg_rr(&m, T_TLSA, C_IN, 300, 2);
  dns_msg_put(&m, "\x03\x01", 2);
  dns_tlsa t = tlsa_of(&m);
  assert_int_equal(t.rr_count, 1);
  assert_int_equal(t.usable, 0);
}

/* Only TLSA IN records count, after a CNAME; TXT and other classes do not. */
static void test_tlsa_rrset(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 5);
  dns_msg_rr(&m, T_CNAME, C_IN, 300, 2);
  dns_msg_put16(&m, 0xc00c);
  rr_tlsa(&m, C_IN, 3, 1, 1, 32);
  rr_tlsa(&m, C_CH, 3, 1, 1, 32);
  rr_tlsa(&m, C_IN, 0, 0, 1, 32);
  static const char *const a[] = {"v=STSv1;"};
  rr_txt(&m, C_IN, a, 1);
  dns_tlsa t = tlsa_of(&m);
  assert_int_equal(t.rr_count, 2);
  assert_int_equal(t.usable, 1);
  begin(&m, 0);
  t = tlsa_of(&m);
  assert_int_equal(t.rr_count, 0);
  assert_int_equal(t.usable, 0);
}

/* The checks of dns_answer_txt, with the same errors and offsets. */
static void test_tlsa_malformed(void **state) {
  (void)state;
  dns_tlsa t;
  assert_int_equal(dns_answer_tlsa(NULL, 0, &t), DNS_ANSWER_ERROR);
  assert_int_equal(t.error, DNS_E_MESSAGE);
  assert_int_equal(t.error_at, 0);
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 1);
  rr_tlsa(&m, C_IN, 3, 1, 1, 32);
  const unsigned char *p = (const unsigned char *)guard_copy(m.b, m.len - 1);
  assert_int_equal(dns_answer_tlsa(p, m.len - 1, &t), DNS_ANSWER_ERROR);
  assert_int_equal(t.error, DNS_E_MESSAGE);
  /* An owner name pointing at itself. */
  size_t owner = m.len - (12 + 3 + 32);
  m.b[owner] = (unsigned char)(0xc0 | owner >> 8);
  m.b[owner + 1] = (unsigned char)owner;
  p = (const unsigned char *)guard_copy(m.b, m.len);
  assert_int_equal(dns_answer_tlsa(p, m.len, &t), DNS_ANSWER_ERROR);
  assert_int_equal(t.error, DNS_E_RECORD);
  assert_int_equal(t.error_at, owner);
  /* Random changes: never a crash, never more usable records than records. */
  DNS_MSG(base, MSG_ROOM);
  begin(&base, 2);
  rr_tlsa(&base, C_IN, 3, 1, 1, 32);
  rr_tlsa(&base, C_IN, 2, 0, 2, 64);
  unsigned seed = 11;
  for (int round = 0; round < 20000; round++) {
    memcpy(m.b, base.b, base.len);
    m.len = base.len;
    for (int k = 0; k < 3; k++) {
      seed = seed * 1103515245u + 12345u;
      m.b[(seed >> 8) % m.len] = (unsigned char)(seed >> 20);
    }
    p = (const unsigned char *)guard_copy(m.b, m.len);
    if (dns_answer_tlsa(p, m.len, &t) == DNS_ANSWER_OK)
      assert_true(t.usable <= t.rr_count && t.rr_count <= 2);
    else
      assert_true(t.error_at <= m.len);
  }
}

/* The AD bit, and nothing else of the header. */
static void test_authentic(void **state) {
  (void)state;
  DNS_MSG(m, MSG_ROOM);
  begin(&m, 0);
  assert_false(dns_answer_authentic(m.b, m.len));
  m.b[3] |= 0x20;
  assert_true(dns_answer_authentic(m.b, m.len));
  assert_true(dns_answer_authentic(m.b, 12));
  assert_false(dns_answer_authentic(m.b, 11));
  assert_false(dns_answer_authentic(NULL, 0));
  m.b[3] = 0xff & ~0x20;
  m.b[2] = 0xff;
  assert_false(dns_answer_authentic(m.b, m.len));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strings_kept_apart),
      cmocka_unit_test(test_rrset),
      cmocka_unit_test(test_cname_chain),
      cmocka_unit_test(test_cname_only),
      cmocka_unit_test(test_other_types_and_classes),
      cmocka_unit_test(test_empty_rdata),
      cmocka_unit_test(test_string_overruns),
      cmocka_unit_test(test_counts_lie),
      cmocka_unit_test(test_trailing_bytes),
      cmocka_unit_test(test_bad_owner_names),
      cmocka_unit_test(test_name_length),
      cmocka_unit_test(test_capacity),
      cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_noise),
      cmocka_unit_test(test_largest_message),
      cmocka_unit_test(test_tlsa_usable),
      cmocka_unit_test(test_tlsa_rrset),
      cmocka_unit_test(test_tlsa_malformed),
      cmocka_unit_test(test_authentic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
