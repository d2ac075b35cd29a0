/* dns_msg.h - DNS messages built byte by byte for the unit tests of wire/,
 * resolver/ and daemon/: a response header with one question, resource
 * records owned through compression pointers, their RDATA lengths patched
 * once the RDATA is written. Every write is bounds-checked (a cmocka
 * failure, not an overrun), so a test's message cannot outgrow its buffer. */
#ifndef MTASTS_DNS_MSG_H
#define MTASTS_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

/* A message being written into b[0, cap): len bytes so far. */
typedef struct dns_msg {
  unsigned char *b;
  size_t cap;
  size_t len;
} dns_msg;

/* Declares `m`, a dns_msg writing into its own array m_room[size]. */
#define DNS_MSG(m, size)                                                                           \
  unsigned char m##_room[size];                                                                    \
  dns_msg m = {m##_room, sizeof m##_room, 0}

enum {
  DNS_MSG_ID = 0x1234,       /* the tests' query id */
  DNS_MSG_RESPONSE = 0x8180, /* QR, RD, RA; NOERROR */
  DNS_MSG_AD = 0x0020,       /* the flags' Authenticated Data bit (RFC 4035 3.2.3) */
  DNS_MSG_QUESTION = 12,     /* where the question's name starts */
  DNS_MSG_CLASS_IN = 1
};

void dns_msg_put(dns_msg *m, const void *p, size_t n);

/* v in network byte order. */
void dns_msg_put16(dns_msg *m, unsigned v);

/* A name as labels: "mx1.example.com" or "mx1.example.com." ->
 * 3mx1 7example 3com 0; "" is the root. */
void dns_msg_put_name(dns_msg *m, const char *name);

/* Starts m over: the header (id, flags, one question, `answers` answers,
 * no authority or additional records), then the question name, type, IN. */
void dns_msg_begin(dns_msg *m, unsigned id, unsigned flags, unsigned answers, const char *qname,
                   unsigned qtype);

/* A record's fixed part, owned by the name at offset `owner` (a
 * compression pointer); rdlen as given, or patched later. Returns the
 * offset of the RDATA length, for dns_msg_patch_rdlen. */
size_t dns_msg_rr_at(dns_msg *m, size_t owner, unsigned type, unsigned cls, uint32_t ttl,
                     size_t rdlen);

/* The same owned by the question's name (the pointer 0xc00c). */
size_t dns_msg_rr(dns_msg *m, unsigned type, unsigned cls, uint32_t ttl, size_t rdlen);

/* Sets the RDATA length at rdlen_at to what has been written since. */
void dns_msg_patch_rdlen(dns_msg *m, size_t rdlen_at);

#endif
