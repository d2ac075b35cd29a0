/* text.c - reading the spans of a parsed report: decoding a string,
 * walking an array of strings, joining a policy-string. */
#include "json.h"

#include <string.h>

size_t mtasts_report_copy(mtasts_span s, char *dst, size_t cap) {
  if (s.ptr == NULL)
    return 0;
  return jdec_copy((const unsigned char *)s.ptr, s.len, (unsigned char *)dst,
                   dst != NULL ? cap : 0);
}

bool mtasts_report_next(mtasts_span array, size_t *pos, mtasts_span *item) {
  if (array.ptr == NULL || pos == NULL || item == NULL || *pos >= array.len)
    return false;
  const char *p = array.ptr;
  size_t n = array.len;
  const char *q = memchr(p + *pos, '"', n - *pos);
  if (q == NULL) {
    *pos = n;
    return false;
  }
  size_t start = (size_t)(q - p) + 1, j = start;
  /* Inside a string a quote is escaped, and the escape is two bytes. */
  while (j < n && p[j] != '"')
    j += p[j] == '\\' ? 2 : 1;
  if (j > n)
    j = n;
  item->ptr = p + start;
  item->len = j - start;
  item->off = array.off + start;
  *pos = j + 1;
  return true;
}

size_t mtasts_report_policy_text(const mtasts_report_policy *p, char *dst, size_t cap) {
  if (p == NULL)
    return 0;
  size_t pos = 0, k = 0;
  mtasts_span item;
  if (dst == NULL)
    cap = 0;
  for (bool first = true; mtasts_report_next(p->policy_string, &pos, &item); first = false) {
    if (!first) {
      if (k < cap)
        dst[k] = '\n';
      k++;
    }
    k += mtasts_report_copy(item, k < cap ? dst + k : NULL, k < cap ? cap - k : 0);
  }
  return k;
}
