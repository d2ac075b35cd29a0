/*
 * mx.c - mx patterns and host names (RFC 8461 3.2 and 4.1; rulings R12, R13).
 *
 * One scanner validates both: an mx value is ["*."] Domain and a host is a
 * Domain, each with the DNS limits of R12. Matching then only compares bytes.
 */
#include <string.h>

#include "chars.h"
#include "mxname.h"

/* Bytes that end a name inside a policy line: the value's trailing *WSP or
 * its terminator. Anything else that is not part of a name is an error. */
static bool ends_name(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_ldh(unsigned char c) {
  return mtasts_is_alnum(c) || c == '-';
}

mtasts_code mtasts_mxname_scan(const unsigned char *p, size_t n, bool allow_wildcard, size_t *pos) {
  size_t i = 0;
  if (allow_wildcard && n > 0 && p[0] == '*') {
    /* "*" must be the whole leftmost label: "*." then a full Domain. */
    if (n < 2 || p[1] != '.') {
      *pos = 1;
      return MTASTS_E_POLICY_MX_SYNTAX;
    }
    i = 2;
  }
  const size_t domain_start = i;
  for (;;) {
    const size_t label = i;
    if (i == n || !mtasts_is_alnum(p[i])) {
      /* A dot that ends the name is a trailing dot; a dot followed by
       * anything else (another dot, "-", "_") is a bad label start. */
      if (label > domain_start && (i == n || ends_name(p[i]))) {
        *pos = i - 1;
        return MTASTS_E_POLICY_MX_TRAILING_DOT;
      }
      *pos = i;
      return MTASTS_E_POLICY_MX_SYNTAX;
    }
    while (i < n && is_ldh(p[i]))
      i++;
    if (p[i - 1] == '-') { /* Ldh-str ends in Let-dig */
      *pos = i;
      return MTASTS_E_POLICY_MX_SYNTAX;
    }
    if (i - label > MTASTS_MAX_LABEL_LEN) {
      *pos = label;
      return MTASTS_E_POLICY_MX_LABEL_TOO_LONG;
    }
    if (i == n || p[i] != '.')
      break;
    i++;
  }
  if (i < n && !ends_name(p[i])) {
    *pos = i;
    return MTASTS_E_POLICY_MX_SYNTAX;
  }
  if (i > MTASTS_MAX_NAME_LEN) {
    *pos = 0;
    return MTASTS_E_POLICY_MX_TOO_LONG;
  }
  *pos = i;
  return MTASTS_OK;
}

/* The whole of p[0..n) is one valid name (nothing may follow it). */
static bool whole_name(const char *p, size_t n, bool allow_wildcard) {
  if (p == NULL)
    return false; /* NULL is only ever paired with 0, and "" is no name */
  size_t end;
  return mtasts_mxname_scan((const unsigned char *)p, n, allow_wildcard, &end) == MTASTS_OK &&
         end == n;
}

static bool equal_ascii_nocase(const unsigned char *a, const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (mtasts_lower(a[i]) != mtasts_lower(b[i]))
      return false;
  return true;
}

/* R13: one trailing dot of an absolute host name is dropped, then the rest
 * must be a Domain within the DNS limits. */
static bool valid_host(const char *host, size_t *len) {
  if (*len > 0 && host[*len - 1] == '.')
    (*len)--;
  return whole_name(host, *len, false);
}

mtasts_match mtasts_mx_match(const char *pattern, size_t pattern_len, const char *host,
                             size_t host_len) {
  /* The host is judged first: a bad host never matches, whatever the
   * pattern. NULL with a zero length is simply the empty name. */
  if (host == NULL || !valid_host(host, &host_len))
    return MTASTS_MATCH_BAD_HOST;
  if (!whole_name(pattern, pattern_len, true))
    return MTASTS_MATCH_BAD_PATTERN;
  const unsigned char *pat = (const unsigned char *)pattern;
  const unsigned char *h = (const unsigned char *)host;
  if (pat[0] == '*') {
    /* A valid host has a non-empty first label, so "*." stands for exactly
     * that label and the rest must equal the suffix. */
    const unsigned char *dot = memchr(h, '.', host_len);
    if (dot == NULL)
      return MTASTS_MATCH_NONE;
    size_t rest = host_len - (size_t)(dot + 1 - h);
    return rest == pattern_len - 2 && equal_ascii_nocase(dot + 1, pat + 2, rest)
               ? MTASTS_MATCH_WILDCARD
               : MTASTS_MATCH_NONE;
  }
  return pattern_len == host_len && equal_ascii_nocase(pat, h, host_len) ? MTASTS_MATCH_EXACT
                                                                         : MTASTS_MATCH_NONE;
}

long mtasts_policy_match(const mtasts_policy *p, const char *host, size_t host_len) {
  if (p == NULL || p->mx == NULL)
    return -1;
  /* A corrupt count must not walk past the caller's array. */
  size_t count = p->mx_count < p->mx_cap ? p->mx_count : p->mx_cap;
  for (size_t i = 0; i < count; i++) {
    mtasts_match m = mtasts_mx_match(p->mx[i].pattern.ptr, p->mx[i].pattern.len, host, host_len);
    if (m == MTASTS_MATCH_BAD_HOST)
      return -1;
    if (m > 0)
      return (long)i;
  }
  return -1;
}
