/* answer.c - the socketmap answer for a domain's policy (see answer.h). */
#include "answer.h"

#include <stdio.h>
#include <string.h>

/* A string builder that remembers when it ran out of room. */
typedef struct builder {
  char *out;
  size_t cap, len;
  bool full;
} builder;

static void put(builder *b, const char *s, size_t n) {
  if (b->full || b->len + n + 1 > b->cap) {
    b->full = true;
    return;
  }
  memcpy(b->out + b->len, s, n);
  b->len += n;
  b->out[b->len] = '\0';
}

static void puts_(builder *b, const char *s) {
  put(b, s, strlen(s));
}

static void put_patterns(builder *b, const mtasts_policy *p) {
  for (size_t i = 0; i < p->mx_count; i++) {
    const mtasts_span *pat = &p->mx[i].pattern;
    if (i > 0)
      put(b, ":", 1);
    /* RFC 8461 "*.example.com" is Postfix's ".example.com". */
    if (p->mx[i].wildcard)
      put(b, pat->ptr + 1, pat->len - 1);
    else
      put(b, pat->ptr, pat->len);
  }
}

/* The MX hosts of `mx` that p's patterns match (RFC 8461 4.1), or the
 * implicit MX, `domain` itself, when the RRset has no MX (RFC 5321 5.1);
 * NO_MX_MATCHES when none does (answer.h). */
static bool named_before(const dns_mx *mx, size_t i) {
  for (size_t j = 0; j < i; j++)
    if (strcmp(mx->hosts[j].name, mx->hosts[i].name) == 0)
      return true;
  return false;
}

static void put_hosts(builder *b, const mtasts_policy *p, const dns_mx *mx, const char *domain) {
  size_t listed = 0, count = mx->count > 0 ? mx->count : 1;
  for (size_t i = 0; i < count; i++) {
    const char *name = mx->count > 0 ? mx->hosts[i].name : domain;
    /* A null MX ("") matches nothing; a name at two preferences is listed once. */
    if (mtasts_policy_match(p, name, strlen(name)) < 0 || (mx->count > 0 && named_before(mx, i)))
      continue;
    if (listed++ > 0)
      put(b, ":", 1);
    puts_(b, name);
  }
  if (listed == 0)
    puts_(b, NO_MX_MATCHES);
}

static void put_secure(builder *b, const mtasts_policy *p, const dns_mx *mx, const char *domain) {
  puts_(b, "secure match=");
  if (mx != NULL)
    put_hosts(b, p, mx, domain);
  else
    put_patterns(b, p);
  puts_(b, " servername=hostname");
}

static void put_tlsrpt(builder *b, const char *domain, const mtasts_policy *p) {
  char line[64];
  puts_(b, " policy_type=sts policy_domain=");
  puts_(b, domain);
  puts_(b, " { policy_string = version: STSv1 } { policy_string = mode: ");
  puts_(b, p->mode == MTASTS_MODE_ENFORCE ? "enforce" : "testing");
  snprintf(line, sizeof line, " } { policy_string = max_age: %llu }",
           (unsigned long long)p->max_age);
  puts_(b, line);
  for (size_t i = 0; i < p->mx_count; i++) {
    puts_(b, " { policy_string = mx: ");
    put(b, p->mx[i].pattern.ptr, p->mx[i].pattern.len);
    puts_(b, " }");
  }
  for (size_t i = 0; i < p->mx_count; i++) {
    puts_(b, " mx_host_pattern=");
    put(b, p->mx[i].pattern.ptr, p->mx[i].pattern.len);
  }
}

socketmap_reply_status daemon_answer(const char *domain, const mtasts_policy *p,
                                     const daemon_answer_opts *o, char *out, size_t cap,
                                     size_t *len) {
  return daemon_answer_hosts(domain, p, o, NULL, out, cap, len);
}

socketmap_reply_status daemon_answer_hosts(const char *domain, const mtasts_policy *p,
                                           const daemon_answer_opts *o, const dns_mx *mx, char *out,
                                           size_t cap, size_t *len) {
  builder b = {out, cap, 0, false};
  if (cap > 0)
    out[0] = '\0';
  *len = 0;
  bool applies =
      p != NULL && p->mx_count > 0 &&
      (p->mode == MTASTS_MODE_ENFORCE || (p->mode == MTASTS_MODE_TESTING && o->strict_testing));
  if (!applies)
    return SOCKETMAP_NOTFOUND;
  /* The room of a reply, less its netstring frame ("4096:OK ,"). */
  if (b.cap > SOCKETMAP_REPLY_MAX - 16)
    b.cap = SOCKETMAP_REPLY_MAX - 16;
  put_secure(&b, p, mx, domain);
  if (b.full && mx != NULL) { /* too many hosts: the patterns instead */
    b.full = false;
    b.len = 0;
    put_secure(&b, p, NULL, domain);
  }
  size_t secure_len = b.len;
  if (o->tlsrpt && !b.full) {
    put_tlsrpt(&b, domain, p);
    if (b.full) { /* without the attributes, rather than no answer */
      b.full = false;
      b.len = secure_len;
      out[b.len] = '\0';
    }
  }
  if (b.full) {
    b.len = (size_t)snprintf(out, cap, "policy of %s too long for a reply", domain);
    *len = b.len < cap ? b.len : 0;
    return SOCKETMAP_TEMP;
  }
  *len = b.len;
  return SOCKETMAP_OK;
}

socketmap_reply_status daemon_answer_dane(socketmap_reply_status st, const char *domain,
                                          const dane_survey *d, char *out, size_t cap,
                                          size_t *len) {
  if (st != SOCKETMAP_OK || d->coverage == DANE_NONE)
    return st;
  int n = d->coverage == DANE_UNKNOWN ? snprintf(out, cap, "%s: %s", domain, d->error)
                                      : snprintf(out, cap, "dane-only");
  *len = n > 0 && (size_t)n < cap ? (size_t)n : 0;
  return d->coverage == DANE_UNKNOWN ? SOCKETMAP_TEMP : SOCKETMAP_OK;
}
