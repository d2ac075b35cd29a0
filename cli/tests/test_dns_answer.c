/*
 * test_dns_answer.c - the TXT records that `mtasts resolve` takes from
 * a DNS answer (cli/src/dns.c, dns_txt_from_answer): character-strings
 * kept apart, CNAME chains, other types and classes skipped, malformed
 * messages refused. The messages are built here byte by byte.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "dns.h"

enum { T_A = 1, T_CNAME = 5, T_TXT = 16, C_IN = 1, C_CH = 3 };

/* calloc, failing on demand (glibc's own does the work): the out-of-memory
 * path of dns_txt_from_answer cannot be reached otherwise. Not under ASan
 * or MSan, which own the allocator (valgrind tracks glibc's beneath it,
 * as for test_alloc). */
#if defined(__SANITIZE_ADDRESS__)
#define NO_CALLOC_HOOK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NO_CALLOC_HOOK 1
#endif
#endif
#ifndef NO_CALLOC_HOOK
extern void *__libc_calloc(size_t n, size_t size);
static int calloc_fails_in; /* 0: never; k: the k-th call from now fails */
void *calloc(size_t n, size_t size) {
  if (calloc_fails_in > 0 && --calloc_fails_in == 0)
    return NULL;
  return __libc_calloc(n, size);
}
#endif

typedef struct msg {
  unsigned char b[4096];
  size_t len;
} msg;

static void put(msg *m, const void *p, size_t n) {
  assert_true(m->len + n <= sizeof m->b);
  memcpy(m->b + m->len, p, n);
  m->len += n;
}

static void put16(msg *m, unsigned v) {
  unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
  put(m, b, 2);
}

/* A name as labels: "_mta-sts.example.com" -> 8_mta-sts 7example 3com 0. */
static void put_name(msg *m, const char *name) {
  while (*name != '\0') {
    const char *dot = strchr(name, '.');
    size_t n = dot != NULL ? (size_t)(dot - name) : strlen(name);
    unsigned char len = (unsigned char)n;
    put(m, &len, 1);
    put(m, name, n);
    name += n + (dot != NULL);
  }
  put(m, "", 1);
}

/* Header (a response, NOERROR) and the question. */
static void begin(msg *m, unsigned answers) {
  m->len = 0;
  put16(m, 0x1234);
  put16(m, 0x8180);
  put16(m, 1);
  put16(m, answers);
  put16(m, 0);
  put16(m, 0);
  put_name(m, "_mta-sts.example.com");
  put16(m, T_TXT);
  put16(m, C_IN);
}

/* A record owned by the question's name (compression pointer 0xc00c). */
static void rr_head(msg *m, unsigned type, unsigned cls, size_t rdlen) {
  put16(m, 0xc00c);
  put16(m, type);
  put16(m, cls);
  put16(m, 0);
  put16(m, 300);
  put16(m, (unsigned)rdlen);
}

/* A TXT RDATA from strings given as "len-prefixed" pieces. */
static void rr_txt(msg *m, unsigned cls, const char *const *strings, size_t count) {
  size_t rdlen = 0;
  for (size_t i = 0; i < count; i++)
    rdlen += 1 + strlen(strings[i]);
  rr_head(m, T_TXT, cls, rdlen);
  for (size_t i = 0; i < count; i++) {
    unsigned char n = (unsigned char)strlen(strings[i]);
    put(m, &n, 1);
    put(m, strings[i], n);
  }
}

static dns_txt parse_ok(const msg *m) {
  dns_txt t;
  poison(&t, sizeof t);
  const unsigned char *p = (const unsigned char *)guard_copy(m->b, m->len);
  if (!dns_txt_from_answer(p, m->len, &t))
    fail_msg("refused: %s", t.error);
  assert_int_equal(t.outcome, DNS_ANSWER);
  return t;
}

static void assert_chunk(const mtasts_rr *rr, size_t i, const char *want) {
  assert_true(i < rr->count);
  assert_int_equal(rr->strings[i].len, strlen(want));
  assert_memory_equal(rr->strings[i].ptr, want, strlen(want));
}

static void test_strings_kept_apart(void **state) {
  (void)state;
  msg m;
  begin(&m, 1);
  static const char *const s[] = {"v=STSv1; ", "id=20240501;"};
  rr_txt(&m, C_IN, s, 2);
  dns_txt t = parse_ok(&m);
  assert_int_equal(t.rr_count, 1);
  assert_int_equal(t.rrs[0].count, 2);
  assert_chunk(&t.rrs[0], 0, "v=STSv1; ");
  assert_chunk(&t.rrs[0], 1, "id=20240501;");
  dns_txt_free(&t);
}

static void test_rrset(void **state) {
  (void)state;
  msg m;
  begin(&m, 3);
  static const char *const a[] = {"v=spf1 -all"};
  static const char *const b[] = {"v=STSv1; id=1;"};
  static const char *const empty[] = {""};
  rr_txt(&m, C_IN, a, 1);
  rr_txt(&m, C_IN, b, 1);
  rr_txt(&m, C_IN, empty, 1);
  dns_txt t = parse_ok(&m);
  assert_int_equal(t.rr_count, 3);
  assert_chunk(&t.rrs[0], 0, "v=spf1 -all");
  assert_chunk(&t.rrs[1], 0, "v=STSv1; id=1;");
  assert_int_equal(t.rrs[2].count, 1);
  assert_int_equal(t.rrs[2].strings[0].len, 0);
  dns_txt_free(&t);
}

/* A record owned by the name at offset `owner`, its RDATA length to be
 * patched once known: returns where that length sits. */
static size_t rr_at(msg *m, size_t owner, unsigned type) {
  put16(m, 0xc000 | (unsigned)owner);
  put16(m, type);
  put16(m, C_IN);
  put16(m, 0);
  put16(m, 300);
  size_t rdlen_at = m->len;
  put16(m, 0);
  return rdlen_at;
}

static void patch_rdlen(msg *m, size_t rdlen_at) {
  size_t n = m->len - rdlen_at - 2;
  m->b[rdlen_at] = (unsigned char)(n >> 8);
  m->b[rdlen_at + 1] = (unsigned char)n;
}

/* owner CNAME target: returns the offset of the target name. */
static size_t rr_cname(msg *m, size_t owner, const char *target) {
  size_t rdlen_at = rr_at(m, owner, T_CNAME);
  size_t at = m->len;
  put_name(m, target);
  patch_rdlen(m, rdlen_at);
  return at;
}

/* RFC 8461 3.1: senders "MUST follow the CNAME pointers": the server
 * did, and the TXT records are owned by the chain's target. */
static void test_cname_chain(void **state) {
  (void)state;
  msg m;
  begin(&m, 3);
  size_t first = rr_cname(&m, 12, "a.example.net");
  size_t second = rr_cname(&m, first, "b.example.org");
  size_t rdlen_at = rr_at(&m, second, T_TXT);
  put(&m, "\x0ev=STSv1; id=2;", 15);
  patch_rdlen(&m, rdlen_at);
  dns_txt t = parse_ok(&m);
  assert_int_equal(t.rr_count, 1);
  assert_chunk(&t.rrs[0], 0, "v=STSv1; id=2;");
  dns_txt_free(&t);
}

/* A CNAME whose target has no TXT record: an answer without records. */
static void test_cname_only(void **state) {
  (void)state;
  msg m;
  begin(&m, 1);
  rr_cname(&m, 12, "elsewhere.example.net");
  dns_txt t = parse_ok(&m);
  assert_int_equal(t.rr_count, 0);
  dns_txt_free(&t);
}

static void test_other_types_and_classes(void **state) {
  (void)state;
  msg m;
  begin(&m, 3);
  rr_head(&m, T_A, C_IN, 4);
  put(&m, "\x7f\0\0\x01", 4);
  static const char *const chaos[] = {"v=STSv1; id=chaos;"};
  rr_txt(&m, C_CH, chaos, 1);
  static const char *const in[] = {"v=STSv1; id=in;"};
  rr_txt(&m, C_IN, in, 1);
  dns_txt t = parse_ok(&m);
  assert_int_equal(t.rr_count, 1);
  assert_chunk(&t.rrs[0], 0, "v=STSv1; id=in;");
  dns_txt_free(&t);
}

/* A TXT RDATA with no character-string at all: a record of 0 chunks. */
static void test_empty_rdata(void **state) {
  (void)state;
  msg m;
  begin(&m, 1);
  rr_head(&m, T_TXT, C_IN, 0);
  dns_txt t = parse_ok(&m);
  assert_int_equal(t.rr_count, 1);
  assert_int_equal(t.rrs[0].count, 0);
  dns_txt_free(&t);
}

static void expect_refused(const msg *m, size_t len, const char *want) {
  dns_txt t;
  poison(&t, sizeof t);
  const unsigned char *p = (const unsigned char *)guard_copy(m->b, len);
  assert_false(dns_txt_from_answer(p, len, &t));
  assert_int_equal(t.outcome, DNS_ERROR);
  assert_string_equal(t.error, want);
  assert_null(t.rrs);
  assert_null(t.chunks);
}

static void test_string_overruns(void **state) {
  (void)state;
  msg m;
  begin(&m, 1);
  rr_head(&m, T_TXT, C_IN, 5);
  put(&m,
      "\x05"
      "abcd",
      5); /* says 5, has 4 */
  expect_refused(&m, m.len, "malformed DNS answer: a TXT character-string overruns its record");
}

static void test_counts_lie(void **state) {
  (void)state;
  msg m;
  begin(&m, 2);
  static const char *const s[] = {"v=STSv1; id=1;"};
  rr_txt(&m, C_IN, s, 1);
  expect_refused(&m, m.len, "malformed DNS answer: the message does not parse");
}

/* Every strict prefix of a valid answer is refused, cleanly. */
static void test_prefixes(void **state) {
  (void)state;
  msg m;
  begin(&m, 2);
  static const char *const a[] = {"v=STSv1; ", "id=1;"};
  static const char *const b[] = {"other"};
  rr_txt(&m, C_IN, a, 2);
  rr_txt(&m, C_IN, b, 1);
  for (size_t n = 0; n < m.len; n++) {
    dns_txt t;
    const unsigned char *p = (const unsigned char *)guard_copy(m.b, n);
    if (dns_txt_from_answer(p, n, &t)) {
      fail_msg("a prefix of %zu bytes of %zu is accepted", n, m.len);
    }
    assert_int_equal(t.outcome, DNS_ERROR);
  }
}

/* Random changes to a valid answer: never a crash, and every chunk that
 * comes out lies inside the message. */
static void test_noise(void **state) {
  (void)state;
  msg base;
  begin(&base, 2);
  static const char *const a[] = {"v=STSv1; ", "id=1;"};
  rr_txt(&base, C_IN, a, 2);
  rr_txt(&base, C_IN, a, 2);
  unsigned seed = 7;
  for (int round = 0; round < 20000; round++) {
    msg m = base;
    for (int k = 0; k < 3; k++) {
      seed = seed * 1103515245u + 12345u;
      m.b[(seed >> 8) % m.len] = (unsigned char)(seed >> 20);
    }
    const unsigned char *p = (const unsigned char *)guard_copy(m.b, m.len);
    dns_txt t;
    if (dns_txt_from_answer(p, m.len, &t)) {
      for (size_t i = 0; i < t.rr_count; i++)
        for (size_t j = 0; j < t.rrs[i].count; j++) {
          const unsigned char *c = (const unsigned char *)t.rrs[i].strings[j].ptr;
          assert_true(c >= p && c + t.rrs[i].strings[j].len <= p + m.len);
        }
      dns_txt_free(&t);
    }
  }
}

/* Either allocation failing: an error, nothing kept, nothing leaked. */
static void test_out_of_memory(void **state) {
  (void)state;
#ifdef NO_CALLOC_HOOK
  skip();
#else
  msg m;
  begin(&m, 1);
  static const char *const s[] = {"v=STSv1; id=1;"};
  rr_txt(&m, C_IN, s, 1);
  for (int k = 1; k <= 2; k++) {
    calloc_fails_in = k;
    expect_refused(&m, m.len, "out of memory");
    calloc_fails_in = 0;
  }
  dns_txt t = parse_ok(&m); /* and calloc works again */
  dns_txt_free(&t);
#endif
}

/* The largest DNS message, 65535 bytes, is read; one more byte is not. */
static void test_largest_message(void **state) {
  (void)state;
  size_t cap = 65536 + 16;
  unsigned char *b = malloc(cap);
  assert_non_null(b);
  msg m;
  begin(&m, 1);
  size_t head = m.len + 12; /* the question, then the RR's fixed part */
  size_t rdlen = 65535 - head;
  rr_head(&m, T_TXT, C_IN, rdlen);
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
  dns_txt t;
  const unsigned char *p = (const unsigned char *)guard_copy(b, n);
  if (!dns_txt_from_answer(p, n, &t))
    fail_msg("65535 bytes refused: %s", t.error);
  assert_int_equal(t.rr_count, 1);
  assert_int_equal(t.rrs[0].count, strings);
  dns_txt_free(&t);
  /* One byte more (the message still says 65535): refused unread. */
  b[n] = 0;
  p = (const unsigned char *)guard_copy(b, n + 1);
  assert_false(dns_txt_from_answer(p, n + 1, &t));
  assert_string_equal(t.error, "malformed DNS answer: the message does not parse");
  free(b);
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
      cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_noise),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_largest_message),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
