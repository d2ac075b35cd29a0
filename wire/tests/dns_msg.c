/* dns_msg.c - DNS messages built byte by byte for the unit tests. */
#include "dns_msg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

void dns_msg_put(dns_msg *m, const void *p, size_t n) {
  assert_true(m->len <= m->cap && n <= m->cap - m->len);
  memcpy(m->b + m->len, p, n);
  m->len += n;
}

void dns_msg_put16(dns_msg *m, unsigned v) {
  unsigned char x[2] = {(unsigned char)(v >> 8), (unsigned char)v};
  dns_msg_put(m, x, 2);
}

void dns_msg_put_name(dns_msg *m, const char *name) {
  while (*name != '\0') {
    size_t len = strcspn(name, ".");
    assert_true(len > 0 && len < 64); /* no empty or over-long label by mistake */
    unsigned char l = (unsigned char)len;
    dns_msg_put(m, &l, 1);
    dns_msg_put(m, name, len);
    name += len + (name[len] == '.');
  }
  dns_msg_put(m, "", 1);
}

void dns_msg_begin(dns_msg *m, unsigned id, unsigned flags, unsigned answers, const char *qname,
                   unsigned qtype) {
  m->len = 0;
  const unsigned head[6] = {id, flags, 1, answers, 0, 0};
  for (size_t i = 0; i < 6; i++)
    dns_msg_put16(m, head[i]);
  dns_msg_put_name(m, qname);
  dns_msg_put16(m, qtype);
  dns_msg_put16(m, DNS_MSG_CLASS_IN);
}

size_t dns_msg_rr_at(dns_msg *m, size_t owner, unsigned type, unsigned cls, uint32_t ttl,
                     size_t rdlen) {
  assert_true(owner < 0x4000 && rdlen <= 0xffff);
  dns_msg_put16(m, 0xc000 | (unsigned)owner);
  dns_msg_put16(m, type);
  dns_msg_put16(m, cls);
  dns_msg_put16(m, (unsigned)(ttl >> 16));
  dns_msg_put16(m, (unsigned)(ttl & 0xffff));
  size_t rdlen_at = m->len;
  dns_msg_put16(m, (unsigned)rdlen);
  return rdlen_at;
}

size_t dns_msg_rr(dns_msg *m, unsigned type, unsigned cls, uint32_t ttl, size_t rdlen) {
  return dns_msg_rr_at(m, DNS_MSG_QUESTION, type, cls, ttl, rdlen);
}

void dns_msg_patch_rdlen(dns_msg *m, size_t rdlen_at) {
  assert_true(rdlen_at + 2 <= m->len && m->len - rdlen_at - 2 <= 0xffff);
  size_t n = m->len - rdlen_at - 2;
  m->b[rdlen_at] = (unsigned char)(n >> 8);
  m->b[rdlen_at + 1] = (unsigned char)n;
}
