/* policy_host.c - "mta-sts." + the Policy Domain (RFC 8461 3.2, R19). */
#include <stdbool.h>
#include <string.h>

#include "mtasts_engine.h"

static const char prefix[] = "mta-sts.";
#define PREFIX_LEN (sizeof prefix - 1)

static bool is_let_dig(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5321 Domain of A-labels: sub-domain *("." sub-domain), each label
 * Let-dig [*(Let-dig / "-") Let-dig] of 1-63 octets. Non-ASCII bytes
 * (U-labels) fail: the HTTPS host and the SNI need A-labels (R19). */
static bool domain_valid(const unsigned char *d, size_t n) {
  size_t label = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = d[i];
    if (c == '.') {
      if (label == 0 || d[i - 1] == '-')
        return false;
      label = 0;
    } else if (is_let_dig(c) || (c == '-' && label > 0)) {
      if (++label > MTASTS_MAX_LABEL_LEN)
        return false;
    } else {
      return false;
    }
  }
  return label > 0 && d[n - 1] != '-';
}

/* The domain's length once one trailing dot is removed, if it is a valid
 * Policy Domain whose Policy Host fits a name (253 octets); else 0. */
static size_t domain_len(const char *domain, size_t len) {
  if (domain == NULL)
    return 0;
  /* mutant-equivalent(const): the domain "." fails either way: as "" (len 0), or as a name
   * without a label */
  if (len > 0 && domain[len - 1] == '.')
    len--; /* one trailing dot: an absolute name, same domain */
  if (len == 0 || len > MTASTS_MAX_NAME_LEN - PREFIX_LEN ||
      !domain_valid((const unsigned char *)domain, len))
    return 0;
  return len;
}

/* pre + the domain's first n octets (lower case when `lower`) + suf. */
static size_t write_name(const char *pre, size_t pre_len, const char *domain, size_t n, bool lower,
                         const char *suf, size_t suf_len, char *dst, size_t cap) {
  size_t total = pre_len + n + suf_len;
  if (n == 0)
    return 0;
  if (dst != NULL && cap >= total) {
    memcpy(dst, pre, pre_len);
    for (size_t i = 0; i < n; i++) {
      char c = domain[i];
      dst[pre_len + i] = lower && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    memcpy(dst + pre_len + n, suf, suf_len);
  }
  return total;
}

size_t mtasts_policy_host(const char *domain, size_t len, char *dst, size_t cap) {
  return write_name(prefix, PREFIX_LEN, domain, domain_len(domain, len), false, "", 0, dst, cap);
}

size_t mtasts_policy_domain(const char *domain, size_t len, char *dst, size_t cap) {
  return write_name("", 0, domain, domain_len(domain, len), true, "", 0, dst, cap);
}

size_t mtasts_txt_name(const char *domain, size_t len, char *dst, size_t cap) {
  static const char txt[] = "_mta-sts.";
  return write_name(txt, sizeof txt - 1, domain, domain_len(domain, len), true, ".", 1, dst, cap);
}
