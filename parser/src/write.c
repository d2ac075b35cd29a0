/*
 * write.c - the canonical policy writer (mtasts_policy_write).
 *
 * The output is exactly:
 *   "version: STSv1" CRLF
 *   "mode: " ("enforce" / "testing" / "none") CRLF
 *   "mx: " pattern CRLF                       (each, in order)
 *   "max_age: " decimal, no leading zeros CRLF
 *   name ": " value CRLF                      (each extension, in order)
 *
 * A caller may build the mtasts_policy by hand, so before writing anything
 * the writer checks that it could be the result of a successful parse; a
 * pattern or value with a line break in it would otherwise inject fields.
 * E_WRITE_INVALID when:
 *  - mode is not enforce / testing / none;
 *  - mx_count > mx_cap, or mx_count > 0 with mx NULL, or no mx while the
 *    mode is not none (a parse would say E_POLICY_MISSING_MX);
 *  - ext_count > ext_cap, or ext_count > 0 with ext NULL, or ext_count >
 *    MTASTS_MAX_EXTENSIONS; max_age > MTASTS_MAX_AGE_LIMIT;
 *  - any span has ptr NULL and len > 0;
 *  - an mx pattern is not a valid mx value (R12), or its wildcard flag does
 *    not say whether it begins with "*.";
 *  - an extension name is not an ext-name, is a known field name, or
 *    repeats an earlier extension name; an extension value is not an
 *    sts-policy-ext-value (empty, leading / trailing WSP, CR, LF, CTL, HTAB,
 *    invalid UTF-8).
 * The version span is not written (it can only be "STSv1") and mode_text /
 * max_age_text are not written either: the output comes from mode and
 * max_age.
 *
 * The size is computed by the same code that writes (with no destination),
 * so *needed and the bytes written cannot disagree. The sum cannot
 * overflow: every counted byte was validated, so it exists in memory,
 * except the fixed text around it (at most 9 + 2 bytes per line).
 */
#include <string.h>

#include "chars.h"
#include "mxname.h"
#include "policy_scan.h"

/* A successful parse never holds more: strict rejects a larger max_age and
 * lenient clamps it (R5), so a larger value could not parse back. */
#define MAX_AGE_MAX ((uint64_t)MTASTS_MAX_AGE_LIMIT)

static bool span_ok(mtasts_span s) {
  return s.ptr != NULL || s.len == 0;
}

static bool mx_ok(const mtasts_mx *mx) {
  size_t end;
  const unsigned char *p = (const unsigned char *)mx->pattern.ptr;
  return mx->pattern.ptr != NULL && mxname_scan(p, mx->pattern.len, true, &end) == MTASTS_OK &&
         end == mx->pattern.len && mx->wildcard == (p[0] == '*');
}

static bool ext_name_ok(const mtasts_policy *p, size_t k) {
  mtasts_span name = p->ext[k].name;
  if (name.ptr == NULL)
    return false;
  const unsigned char *s = (const unsigned char *)name.ptr;
  size_t n = policy_name_scan(s, name.len);
  if (n == 0 || n != name.len || n > MTASTS_MAX_EXT_NAME_LEN ||
      policy_field_kind(s, n) != FIELD_EXTENSION)
    return false;
  for (size_t j = 0; j < k; j++)
    if (p->ext[j].name.len == name.len && memcmp(p->ext[j].name.ptr, s, name.len) == 0)
      return false;
  return true;
}

static bool ext_value_ok(mtasts_span value) {
  if (value.ptr == NULL || value.len == 0)
    return false;
  const unsigned char *s = (const unsigned char *)value.ptr;
  size_t vlen, stop;
  return !char_is(s[0], CHAR_WSP) && policy_value_scan(s, value.len, &vlen, &stop) == MTASTS_OK &&
         vlen == value.len;
}

static bool policy_writable(const mtasts_policy *p) {
  if (p->mode != MTASTS_MODE_ENFORCE && p->mode != MTASTS_MODE_TESTING &&
      p->mode != MTASTS_MODE_NONE)
    return false;
  if (p->mx_count > p->mx_cap || (p->mx_count > 0 && p->mx == NULL) ||
      (p->mx_count == 0 && p->mode != MTASTS_MODE_NONE))
    return false;
  if (p->ext_count > MTASTS_MAX_EXTENSIONS || p->ext_count > p->ext_cap ||
      (p->ext_count > 0 && p->ext == NULL) || p->max_age > MAX_AGE_MAX)
    return false;
  if (!span_ok(p->version) || !span_ok(p->mode_text) || !span_ok(p->max_age_text))
    return false;
  for (size_t i = 0; i < p->mx_count; i++)
    if (!mx_ok(&p->mx[i]))
      return false;
  for (size_t k = 0; k < p->ext_count; k++)
    if (!ext_name_ok(p, k) || !ext_value_ok(p->ext[k].value))
      return false;
  return true;
}

/* Where the bytes go: dst NULL only counts. */
typedef struct sink {
  char *dst;
  size_t len;
} sink;

static void put(sink *k, const char *s, size_t n) {
  if (k->dst != NULL)
    memcpy(k->dst + k->len, s, n);
  k->len += n;
}

/* A string literal, measured at compile time. */
#define PUT_LITERAL(k, s) put((k), (s), sizeof(s) - 1)

static void put_decimal(sink *k, uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0);
  put(k, digits + sizeof digits - n, n);
}

static void put_policy(sink *k, const mtasts_policy *p) {
  static const struct {
    const char *text;
    size_t len;
  } mode_names[] = {
#define MODE_NAME(s) {(s), sizeof(s) - 1}
      MODE_NAME(""),
      MODE_NAME("enforce"),
      MODE_NAME("testing"),
      MODE_NAME("none"),
#undef MODE_NAME
  };
  PUT_LITERAL(k, "version: STSv1\r\nmode: ");
  put(k, mode_names[p->mode].text, mode_names[p->mode].len);
  PUT_LITERAL(k, "\r\n");
  for (size_t i = 0; i < p->mx_count; i++) {
    PUT_LITERAL(k, "mx: ");
    put(k, p->mx[i].pattern.ptr, p->mx[i].pattern.len);
    PUT_LITERAL(k, "\r\n");
  }
  PUT_LITERAL(k, "max_age: ");
  put_decimal(k, p->max_age);
  PUT_LITERAL(k, "\r\n");
  for (size_t e = 0; e < p->ext_count; e++) {
    put(k, p->ext[e].name.ptr, p->ext[e].name.len);
    PUT_LITERAL(k, ": ");
    put(k, p->ext[e].value.ptr, p->ext[e].value.len);
    PUT_LITERAL(k, "\r\n");
  }
}

mtasts_code mtasts_policy_write(const mtasts_policy *p, char *dst, size_t cap, size_t *needed) {
  if (needed != NULL)
    *needed = 0;
  if (p == NULL || (dst == NULL && cap > 0))
    return MTASTS_E_ARGUMENT;
  if (!policy_writable(p))
    return MTASTS_E_WRITE_INVALID;
  sink count = {NULL, 0};
  put_policy(&count, p);
  if (needed != NULL)
    *needed = count.len;
  if (cap < count.len)
    return MTASTS_E_WRITE_SPACE;
  sink out = {dst, 0};
  put_policy(&out, p);
  return MTASTS_OK;
}
