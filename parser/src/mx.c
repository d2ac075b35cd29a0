/*
 * mx.c - mx patterns and host names (RFC 8461 3.2 and 4.1; rulings R12, R13).
 *
 * One scanner validates both: an mx value is ["*."] Domain and a host is a
 * Domain, each with the DNS limits of R12. Matching then only compares bytes.
 */
#include <string.h>

#include "chars.h"
#include "mxname.h"

/* The bytes of a name in one lookup: a letter or digit (Let-dig), the
 * hyphen, the dot, and END for the bytes that may follow a name inside a
 * policy line (the value's trailing *WSP or its terminator). Anything else
 * that is not part of a name is an error. A table of its own keeps the hot
 * loop to one load per byte (the shared table needs a second test for "-"). */
enum { LETDIG = 1u, HYPHEN = 2u, DOT = 4u, END = 8u };
#define L LETDIG
#define H HYPHEN
#define D DOT
#define E END
static const unsigned char name_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, E, E, 0, 0, E, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    E, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, H, D, 0, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0, 0,
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
#undef L
#undef H
#undef D
#undef E

/* The class of p[i]; the end of the input ends the name. When the scan is
 * not bounded, the caller has made sure that a byte before n stops it. */
#define CLASS_AT(i) (bounded && (i) >= n ? (unsigned)END : (unsigned)name_class[p[i]])

/* The Domain at p[start..n), in one pass and one lookup a byte: a label is
 * judged at its first byte (a Let-dig) and at the byte that ends it (last
 * byte, length) before a dot starts the next one. `bounded` is a constant
 * at both calls: without it, no name byte may be p[n - 1] (a policy line
 * ends in LF), so the loops need no bound check. */
static inline mtasts_code scan_domain(const unsigned char *p, size_t n, size_t start, bool bounded,
                                      size_t *pos) {
  size_t i = start;
  unsigned cls;
  for (;;) {
    const size_t label = i;
    cls = CLASS_AT(i);
    if (cls != LETDIG) {
      /* No label here: a dot ending the name is a trailing dot; anything
       * else (another dot, "-", "_") is a bad label start. */
      bool trailing = label > start && cls == END;
      *pos = trailing ? label - 1 : label;
      return trailing ? MTASTS_E_POLICY_MX_TRAILING_DOT : MTASTS_E_POLICY_MX_SYNTAX;
    }
    /* A pointer, not p[i]: with an index gcc keeps i - 1 in a register of
     * its own, an instruction a byte more (callgrind). */
    const unsigned char *q = p + i;
    do {
      q++;
      cls = bounded && q >= p + n ? (unsigned)END : name_class[*q];
    } while (cls & (LETDIG | HYPHEN));
    i = (size_t)(q - p);
    if (q[-1] == '-') { /* Ldh-str ends in Let-dig */
      *pos = i;
      return MTASTS_E_POLICY_MX_SYNTAX;
    }
    if (i - label > MTASTS_MAX_LABEL_LEN) {
      *pos = label;
      return MTASTS_E_POLICY_MX_LABEL_TOO_LONG;
    }
    if (cls != DOT)
      break;
    i++;
  }
  if (cls != END) {
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
#undef CLASS_AT

mtasts_code mxname_scan(const unsigned char *p, size_t n, bool allow_wildcard, size_t *pos) {
  size_t start = 0;
  if (allow_wildcard && n > 0 && p[0] == '*') {
    /* "*" must be the whole leftmost label: "*." then a full Domain. */
    if (n < 2 || p[1] != '.') {
      *pos = 1;
      return MTASTS_E_POLICY_MX_SYNTAX;
    }
    start = 2;
  }
  /* mutant-equivalent(const): a one-byte input then takes the bounded pass, which is right for
   * every input (the unbounded one is the fast path) */
  if (n > 0 && !(name_class[p[n - 1]] & (LETDIG | HYPHEN | DOT)))
    return scan_domain(p, n, start, false, pos);
  return scan_domain(p, n, start, true, pos);
}

/* The whole of p[0..n) is one valid name (nothing may follow it). */
static bool whole_name(const char *p, size_t n, bool allow_wildcard) {
  if (p == NULL)
    return false; /* NULL is only ever paired with 0, and "" is no name */
  size_t end;
  return mxname_scan((const unsigned char *)p, n, allow_wildcard, &end) == MTASTS_OK && end == n;
}

static bool equal_ascii_nocase(const unsigned char *a, const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (char_lower(a[i]) != char_lower(b[i]))
      return false;
  return true;
}

/* R13: one trailing dot of an absolute host name is dropped, then the rest
 * must be a Domain within the DNS limits. */
static bool valid_host(const char *host, size_t *len) {
  /* mutant-equivalent(const): at *len == 1 the host "." fails either way: neither "." nor "" is
   * a name */
  if (*len > 0 && host[*len - 1] == '.')
    (*len)--;
  return whole_name(host, *len, false);
}

/* A valid host split once for matching: the whole name, and the suffix a
 * "*." pattern must equal (after the first label and its dot; none when
 * the host has a single label). */
typedef struct host_parts {
  const unsigned char *name;
  size_t len;
  const unsigned char *suffix; /* NULL: a single-label host */
  size_t suffix_len;
} host_parts;

static host_parts split_host(const char *host, size_t host_len) {
  /* mutant-equivalent(const): suffix_len is read only when suffix is not NULL */
  host_parts h = {(const unsigned char *)host, host_len, NULL, 0};
  const unsigned char *dot = memchr(h.name, '.', host_len);
  if (dot != NULL) {
    h.suffix = dot + 1;
    h.suffix_len = host_len - (size_t)(h.suffix - h.name);
  }
  return h;
}

/*
 * Compare a pattern with a valid host, without validating the pattern.
 * This is enough to keep "a pattern that is not a valid mx value never
 * matches": a match makes the pattern equal, up to ASCII case, to the host
 * (a valid Domain) or to "*." plus the host's suffix (a valid Domain of at
 * most 251 octets), and either is a valid mx value. The checks of the
 * "*." prefix and the lengths are what that argument needs.
 */
static mtasts_match compare_pattern(const unsigned char *pat, size_t pattern_len,
                                    const host_parts *h) {
  if (pat == NULL || pattern_len == 0)
    return MTASTS_MATCH_NONE;
  if (pat[0] == '*') {
    /* "*." stands for exactly the host's (non-empty) first label. */
    return h->suffix != NULL && pattern_len == h->suffix_len + 2 && pat[1] == '.' &&
                   equal_ascii_nocase(h->suffix, pat + 2, h->suffix_len)
               ? MTASTS_MATCH_WILDCARD
               : MTASTS_MATCH_NONE;
  }
  return pattern_len == h->len && equal_ascii_nocase(pat, h->name, h->len) ? MTASTS_MATCH_EXACT
                                                                           : MTASTS_MATCH_NONE;
}

mtasts_match mtasts_mx_match(const char *pattern, size_t pattern_len, const char *host,
                             size_t host_len) {
  /* The host is judged first: a bad host never matches, whatever the
   * pattern. NULL with a zero length is simply the empty name. */
  if (host == NULL || !valid_host(host, &host_len))
    return MTASTS_MATCH_BAD_HOST;
  if (!whole_name(pattern, pattern_len, true))
    return MTASTS_MATCH_BAD_PATTERN;
  host_parts h = split_host(host, host_len);
  return compare_pattern((const unsigned char *)pattern, pattern_len, &h);
}

long mtasts_policy_match(const mtasts_policy *p, const char *host, size_t host_len) {
  if (p == NULL || p->mx == NULL)
    return -1;
  /* The host is validated once, not once per pattern; the patterns are not
   * validated at all (see compare_pattern: an invalid one cannot match). */
  if (host == NULL || !valid_host(host, &host_len))
    return -1;
  host_parts h = split_host(host, host_len);
  /* A corrupt count must not walk past the caller's array. */
  /* mutant-equivalent(rel): when the two are equal, either one is the count */
  size_t count = p->mx_count < p->mx_cap ? p->mx_count : p->mx_cap;
  for (size_t i = 0; i < count; i++) {
    const mtasts_span *pat = &p->mx[i].pattern;
    if (compare_pattern((const unsigned char *)pat->ptr, pat->len, &h) > 0)
      return (long)i;
  }
  return -1;
}
