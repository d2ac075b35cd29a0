/* policy_host.c - "mta-sts." + the Policy Domain (RFC 8461 3.2, R19). */
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

size_t mtasts_policy_host(const char *domain, size_t len, char *dst, size_t cap) {
  if (domain == NULL)
    return 0;
  /* mutant-equivalent(const): the domain "." fails either way: as "" (len 0), or as a name
   * without a label */
  if (len > 0 && domain[len - 1] == '.')
    len--; /* one trailing dot: an absolute name, same domain */
  if (len == 0 || len > MTASTS_MAX_NAME_LEN - PREFIX_LEN ||
      !domain_valid((const unsigned char *)domain, len))
    return 0;
  size_t host_len = PREFIX_LEN + len;
  if (dst != NULL && cap >= host_len) {
    memcpy(dst, prefix, PREFIX_LEN);
    memcpy(dst + PREFIX_LEN, domain, len);
  }
  return host_len;
}
