/*
 * fuzz_dns_answer - the DNS answer readers of wire/ (wire/src/dns_answer.c),
 * linked into the harness directly: the TXT records of an _mta-sts or
 * _smtp._tls answer (dns_answer_txt), and the TLSA records and AD bit of
 * the answers mtasts-daemon's DANE survey reads (dns_answer_tlsa,
 * dns_answer_authentic). Every byte comes from a DNS server.
 *
 * Input: *no flags byte*: the whole input is the DNS message.
 *
 * Checks (fuzz/README.md):
 *  - dns_answer_txt's counting pass (no arrays) and a pass with arrays of
 *    exactly the counted size (heap, so ASan sees a write past them) agree:
 *    OK with every record and string, each string inside the message, each
 *    record's strings the next ones of chunks[]; arrays one element short
 *    give CAPACITY with the same counts; an error is a known one at an
 *    offset inside the input (or the 65535 cap);
 *  - dns_answer_tlsa fails exactly where dns_answer_txt fails on the
 *    message or an owner name (same error, same offset), and nowhere else
 *    (past a TXT string that overruns its record, which TLSA steps over,
 *    only on a later owner name);
 *    it counts no more usable records than records, no more records than
 *    the header's answer count;
 *  - dns_answer_authentic is bit 5 of octet 3, and flipping that bit
 *    changes nothing else that either reader says;
 *  - a message read whole is refused one octet shorter.
 */
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"
#include "fuzz_common.h"

/* The message as an exact-size heap copy (NULL when empty). */
static const unsigned char *copy_of(const uint8_t *d, size_t n) {
  return (const unsigned char *)fz_piece(d, n);
}

static void release(const unsigned char *p) {
  fz_piece_free((const char *)p);
}

static bool error_in_range(const dns_answer *a, size_t n) {
  return a->error != DNS_E_NONE && (a->error_at <= n || a->error_at == DNS_MESSAGE_MAX) &&
         strcmp(dns_answer_error_message(a->error), "unknown error") != 0;
}

/* Exactly sized arrays: every record and string, inside the message. */
static void check_filled(const unsigned char *msg, size_t n, const dns_answer *counted) {
  mtasts_rr *rrs = malloc((counted->rr_needed + 1) * sizeof *rrs);
  mtasts_chunk *chunks = malloc((counted->chunk_needed + 1) * sizeof *chunks);
  FZ_CHECK(rrs != NULL && chunks != NULL, "out of memory");
  dns_answer a;
  dns_answer_status st =
      dns_answer_txt(msg, n, rrs, counted->rr_needed, chunks, counted->chunk_needed, &a);
  FZ_CHECK(st == DNS_ANSWER_OK, "exact arrays refused");
  FZ_CHECK(a.rr_count == counted->rr_needed && a.chunk_count == counted->chunk_needed,
           "the filling pass counts otherwise");
  size_t next = 0;
  for (size_t i = 0; i < a.rr_count; i++) {
    FZ_CHECK(rrs[i].count == 0 || rrs[i].strings == chunks + next, "a record's strings elsewhere");
    next += rrs[i].count;
  }
  FZ_CHECK(next == a.chunk_count, "the records do not share out the strings");
  for (size_t i = 0; i < a.chunk_count; i++) {
    const unsigned char *c = (const unsigned char *)chunks[i].ptr;
    FZ_CHECK(chunks[i].len <= 255 && c > msg && c + chunks[i].len <= msg + n,
             "a string outside the message");
  }
  /* One element short of either array: CAPACITY, the same counts. */
  if (a.rr_count > 0) {
    st = dns_answer_txt(msg, n, rrs, a.rr_count - 1, chunks, a.chunk_count, &a);
    FZ_CHECK(st == DNS_ANSWER_CAPACITY && a.rr_needed == counted->rr_needed,
             "too few records not said");
  }
  if (counted->chunk_needed > 0) {
    st = dns_answer_txt(msg, n, rrs, counted->rr_needed, chunks, counted->chunk_needed - 1, &a);
    FZ_CHECK(st == DNS_ANSWER_CAPACITY && a.chunk_needed == counted->chunk_needed,
             "too few strings not said");
  }
  free(rrs);
  free(chunks);
}

/* TLSA against TXT: the same message errors, and sane counts. */
static void check_tlsa(const unsigned char *msg, size_t n, dns_answer_status txt_st,
                       const dns_answer *txt) {
  dns_tlsa t;
  fz_poison(&t, sizeof t);
  dns_answer_status st = dns_answer_tlsa(msg, n, &t);
  if (txt_st == DNS_ANSWER_ERROR && txt->error == DNS_E_STRING) {
    /* TXT stopped at a record TLSA steps over: a later name may fail. */
    FZ_CHECK(st == DNS_ANSWER_OK || (t.error == DNS_E_RECORD && t.error_at > txt->error_at),
             "TLSA failed before a TXT string did");
    if (st != DNS_ANSWER_OK)
      return;
  } else if (txt_st == DNS_ANSWER_ERROR || st == DNS_ANSWER_ERROR) {
    FZ_CHECK(st == txt_st && t.error == txt->error && t.error_at == txt->error_at,
             "TLSA and TXT disagree on the message");
    return;
  }
  FZ_CHECK(st == DNS_ANSWER_OK && t.error == DNS_E_NONE, "TLSA neither OK nor ERROR");
  FZ_CHECK(t.usable <= t.rr_count, "more usable records than records");
  FZ_CHECK(t.rr_count + txt->rr_needed <= ((size_t)msg[6] << 8 | msg[7]),
           "more records than the answer count");
}

/* Both readers on msg: returns the TXT status and result. */
static dns_answer_status read_both(const unsigned char *msg, size_t n, dns_answer *a, dns_tlsa *t) {
  dns_answer_status st = dns_answer_txt(msg, n, NULL, 0, NULL, 0, a);
  dns_answer_tlsa(msg, n, t);
  return st;
}

/* The AD bit is read as itself, and nothing else reads it. */
static void check_authentic(const uint8_t *data, size_t size) {
  bool want = size >= 12 && (data[3] & 0x20u) != 0;
  FZ_CHECK(dns_answer_authentic(data, size) == want, "the AD bit misread");
  if (size < 12)
    return;
  uint8_t *flipped = malloc(size);
  FZ_CHECK(flipped != NULL, "out of memory");
  memcpy(flipped, data, size);
  flipped[3] ^= 0x20u;
  dns_answer a1, a2;
  dns_tlsa t1, t2;
  dns_answer_status s1 = read_both(data, size, &a1, &t1);
  dns_answer_status s2 = read_both(flipped, size, &a2, &t2);
  FZ_CHECK(s1 == s2 && a1.rr_needed == a2.rr_needed && a1.chunk_needed == a2.chunk_needed &&
               a1.error == a2.error && a1.error_at == a2.error_at,
           "the AD bit changed the TXT reading");
  FZ_CHECK(t1.rr_count == t2.rr_count && t1.usable == t2.usable && t1.error == t2.error &&
               t1.error_at == t2.error_at,
           "the AD bit changed the TLSA reading");
  FZ_CHECK(dns_answer_authentic(flipped, size) != want, "the flipped AD bit misread");
  free(flipped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const unsigned char *msg = copy_of(data, size);
  dns_answer counted;
  fz_poison(&counted, sizeof counted);
  dns_answer_status st = dns_answer_txt(msg, size, NULL, 0, NULL, 0, &counted);
  if (st == DNS_ANSWER_ERROR) {
    FZ_CHECK(error_in_range(&counted, size), "an error outside the input");
  } else {
    FZ_CHECK(counted.error == DNS_E_NONE, "an error set without failing");
    FZ_CHECK(st == (counted.rr_needed > 0 ? DNS_ANSWER_CAPACITY : DNS_ANSWER_OK),
             "the counting pass's status");
    check_filled(msg, size, &counted);
    if (size > 0) { /* whole at `size`, so cut one octet short */
      dns_answer cut;
      FZ_CHECK(dns_answer_txt(msg, size - 1, NULL, 0, NULL, 0, &cut) == DNS_ANSWER_ERROR &&
                   cut.error == DNS_E_MESSAGE,
               "a message one octet short read");
    }
  }
  check_tlsa(msg, size, st, &counted);
  check_authentic(data, size);
  release(msg);
  return 0;
}
