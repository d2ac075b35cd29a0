/* dns_answer.c - the TXT or TLSA records of a DNS message (see dns_answer.h). */
#include "dns_answer.h"

#include <string.h>

static const char *const error_messages[] = {
#define DNS_X_MSG(name, msg) msg,
    DNS_ANSWER_ERROR_MAP(DNS_X_MSG)
#undef DNS_X_MSG
};

const char *dns_answer_error_message(dns_answer_error e) {
  size_t i = (size_t)e;
  /* mutant-equivalent(const): every element has the same size */
  return i < sizeof error_messages / sizeof error_messages[0] ? error_messages[i] : "unknown error";
}

enum { HEADER_LEN = 12, RR_FIXED = 10, TYPE_TXT = 16, TYPE_TLSA = 52, CLASS_IN = 1 };

typedef struct message {
  const unsigned char *p;
  size_t len;
} message;

static size_t get16(const message *m, size_t at) {
  return (size_t)m->p[at] << 8 | m->p[at + 1];
}

/* Step over a name at *at: labels up to the root label, or up to a
 * pointer, which ends the name where it stands. */
static bool skip_name(const message *m, size_t *at) {
  size_t p = *at;
  while (p < m->len) {
    unsigned n = m->p[p];
    if (n == 0 || (n & 0xc0u) == 0xc0u) {
      size_t end = p + (n == 0 ? 1 : 2);
      if (end > m->len)
        return false;
      *at = end;
      return true;
    }
    if ((n & 0xc0u) != 0)
      return false; /* 01 and 10: label types RFC 1035 does not define */
    p += 1 + n;
  }
  return false;
}

/* The whole name at `at`, pointers followed. A pointer goes back, a
 * label adds to the name's length: the walk ends within DNS_NAME_MAX
 * labels whatever the message says. */
static bool check_name(const message *m, size_t at) {
  size_t total = 0;
  size_t p = at;
  while (p < m->len) {
    unsigned n = m->p[p];
    if ((n & 0xc0u) == 0xc0u) {
      /* A pointer cut by the end of the message reads as pointing at
       * itself: refused like one that does. */
      size_t target = p + 1 < m->len ? (size_t)(n & 0x3fu) << 8 | m->p[p + 1] : p;
      if (target >= p)
        return false;
      p = target;
      continue;
    }
    total += 1 + n;
    if ((n & 0xc0u) != 0 || total > DNS_NAME_MAX)
      return false;
    if (n == 0)
      return true;
    p += 1 + n;
  }
  return false;
}

static dns_answer_status fail(dns_answer *out, dns_answer_error e, size_t at) {
  out->error = e;
  out->error_at = at;
  return DNS_ANSWER_ERROR;
}

/* Step over one resource record (the question's, with `question`, has
 * only a type and a class after its name). */
static bool skip_record(const message *m, size_t *at, bool question) {
  if (!skip_name(m, at))
    return false;
  size_t fixed = question ? 4 : RR_FIXED;
  if (m->len - *at < fixed)
    return false;
  size_t rdlen = question ? 0 : get16(m, *at + 8);
  *at += fixed;
  if (m->len - *at < rdlen)
    return false;
  *at += rdlen;
  return true;
}

/* The sections as the header counts them, ending at the message's end;
 * *answer is where the answer section starts. */
static bool check_sections(const message *m, size_t *answer, size_t *fail_at) {
  size_t at = HEADER_LEN;
  for (size_t section = 0; section < 4; section++) {
    size_t count = get16(m, 4 + 2 * section);
    if (section == 1)
      *answer = at;
    for (size_t i = 0; i < count; i++)
      if (!skip_record(m, &at, section == 0)) {
        *fail_at = at;
        return false;
      }
  }
  *fail_at = at;
  return at == m->len;
}

typedef struct sink {
  mtasts_rr *rrs;
  size_t rr_cap;
  mtasts_chunk *chunks;
  size_t chunk_cap;
} sink;

/* The character-strings of one TXT RDATA, stored while they fit. */
static bool take_strings(const message *m, size_t at, size_t rdlen, const sink *s,
                         dns_answer *out) {
  size_t first = out->chunk_needed;
  size_t end = at + rdlen;
  while (at < end) {
    size_t n = m->p[at];
    if (n > end - at - 1)
      return false;
    if (out->chunk_needed < s->chunk_cap)
      s->chunks[out->chunk_needed] = (mtasts_chunk){(const char *)m->p + at + 1, n};
    out->chunk_needed++;
    at += 1 + n;
  }
  if (out->rr_needed < s->rr_cap && out->chunk_needed <= s->chunk_cap)
    s->rrs[out->rr_needed] =
        (mtasts_rr){s->chunks != NULL ? s->chunks + first : NULL, out->chunk_needed - first};
  out->rr_needed++;
  return true;
}

/* One record of the answer section at *at, its owner name whole; *at
 * then stands after it (check_sections has seen it fits). */
typedef struct answer_rr {
  size_t type, cls, rdata, rdlen;
} answer_rr;

static bool next_answer(const message *m, size_t *at, answer_rr *rr) {
  if (!check_name(m, *at))
    return false;
  skip_name(m, at); /* it was skipped once already */
  rr->type = get16(m, *at);
  rr->cls = get16(m, *at + 2);
  rr->rdlen = get16(m, *at + 8);
  rr->rdata = *at + RR_FIXED;
  *at = rr->rdata + rr->rdlen;
  return true;
}

/* The answer section: every owner name whole, every TXT IN record taken. */
static dns_answer_status walk_answer(const message *m, size_t at, const sink *s, dns_answer *out) {
  size_t count = get16(m, 6);
  for (size_t i = 0; i < count; i++) {
    size_t start = at;
    answer_rr rr;
    if (!next_answer(m, &at, &rr))
      return fail(out, DNS_E_RECORD, start);
    if (rr.type == TYPE_TXT && rr.cls == CLASS_IN && !take_strings(m, rr.rdata, rr.rdlen, s, out))
      return fail(out, DNS_E_STRING, rr.rdata);
  }
  return DNS_ANSWER_OK;
}

/* The header and the sections (check_sections); *answer is where the
 * answer section starts. DNS_E_NONE when the message is whole. */
static dns_answer_error check_message(const message *m, size_t *answer, size_t *at) {
  *answer = HEADER_LEN;
  *at = 0;
  if (m->len < HEADER_LEN || m->len > DNS_MESSAGE_MAX) {
    *at = m->len < HEADER_LEN ? m->len : DNS_MESSAGE_MAX;
    return DNS_E_MESSAGE;
  }
  return check_sections(m, answer, at) ? DNS_E_NONE : DNS_E_MESSAGE;
}

dns_answer_status dns_answer_txt(const unsigned char *msg, size_t len, mtasts_rr *rrs,
                                 size_t rr_cap, mtasts_chunk *chunks, size_t chunk_cap,
                                 dns_answer *out) {
  memset(out, 0, sizeof *out);
  message m = {msg, len};
  size_t answer, at;
  if (check_message(&m, &answer, &at) != DNS_E_NONE)
    return fail(out, DNS_E_MESSAGE, at);
  sink s = {rrs, rrs != NULL ? rr_cap : 0, chunks, chunks != NULL ? chunk_cap : 0};
  dns_answer_status st = walk_answer(&m, answer, &s, out);
  if (st != DNS_ANSWER_OK)
    return st;
  if (out->rr_needed > s.rr_cap || out->chunk_needed > s.chunk_cap)
    return DNS_ANSWER_CAPACITY;
  out->rr_count = out->rr_needed;
  out->chunk_count = out->chunk_needed;
  return DNS_ANSWER_OK;
}

bool dns_answer_authentic(const unsigned char *msg, size_t len) {
  return len >= HEADER_LEN && (msg[3] & 0x20u) != 0;
}

/* RFC 7672 3.1.3 and RFC 7671 4: what an SMTP client can use (see
 * dns_answer.h). The digest lengths are SHA-256's and SHA-512's. */
static bool tlsa_usable(const message *m, size_t at, size_t rdlen) {
  if (rdlen < 4)
    return false; /* usage, selector, matching type and some data */
  unsigned usage = m->p[at], selector = m->p[at + 1], mtype = m->p[at + 2];
  size_t data = rdlen - 3;
  if ((usage != 2 && usage != 3) || selector > 1)
    return false;
  return mtype == 0 || (mtype == 1 && data == 32) || (mtype == 2 && data == 64);
}

dns_answer_status dns_answer_tlsa(const unsigned char *msg, size_t len, dns_tlsa *out) {
  memset(out, 0, sizeof *out);
  message m = {msg, len};
  size_t at, fail_at;
  if (check_message(&m, &at, &fail_at) != DNS_E_NONE) {
    out->error = DNS_E_MESSAGE;
    out->error_at = fail_at;
    return DNS_ANSWER_ERROR;
  }
  size_t count = get16(&m, 6);
  for (size_t i = 0; i < count; i++) {
    size_t start = at;
    answer_rr rr;
    if (!next_answer(&m, &at, &rr)) {
      out->error = DNS_E_RECORD;
      out->error_at = start;
      return DNS_ANSWER_ERROR;
    }
    if (rr.type != TYPE_TLSA || rr.cls != CLASS_IN)
      continue;
    out->rr_count++;
    out->usable += tlsa_usable(&m, rr.rdata, rr.rdlen);
  }
  return DNS_ANSWER_OK;
}
