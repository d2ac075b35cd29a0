/* check.c - the value grammars of check.h. */
#include "check.h"

#include <string.h>

static bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* n DIGIT at s as a number, or -1. */
static long num(const unsigned char *s, size_t n) {
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit(s[i]))
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool chk_is(const char *lit, const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (lit[i] == 0 || (unsigned char)lit[i] != s[i])
      return false;
  return lit[n] == 0;
}

/* ---- dates (RFC 3339 5.6, 5.7) ---- */

static int days_in_month(long y, long m) {
  static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil, exact for every year 0000-9999). */
static int64_t days_from_civil(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t)era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS": the seconds, or false. */
static bool date_and_time(const unsigned char *s, int64_t *secs) {
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  for (size_t i = 0; i < 19; i++) {
    bool ok = shape[i] == 'd'   ? is_digit(s[i])
              : shape[i] == 'T' ? (s[i] == 'T' || s[i] == 't')
                                : s[i] == (unsigned char)shape[i];
    if (!ok)
      return false;
  }
  long y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
  long h = num(s + 11, 2), mi = num(s + 14, 2), sec = num(s + 17, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
    return false;
  *secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  return true;
}

bool chk_date(const unsigned char *s, size_t n, chk_time *out) {
  memset(out, 0, sizeof *out);
  if (n < 19 || !date_and_time(s, &out->secs))
    return false;
  size_t i = 19;
  if (i < n && s[i] == '.') {
    size_t start = ++i;
    while (i < n && is_digit(s[i]))
      i++;
    if (i == start)
      return false;
    for (size_t k = start; k < i; k++)
      if (s[k] != '0')
        out->frac_sig = (uint32_t)(k - start + 1);
    memcpy(out->frac, s + start, out->frac_sig < CHK_FRAC ? out->frac_sig : CHK_FRAC);
  }
  if (i == n)
    return true; /* no offset: the caller judges */
  out->has_offset = true;
  if (s[i] == 'Z' || s[i] == 'z')
    return i + 1 == n;
  if ((s[i] != '+' && s[i] != '-') || n - i != 6 || s[i + 3] != ':')
    return false;
  long oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
  if (oh < 0 || oh > 23 || om < 0 || om > 59)
    return false;
  int64_t shift = oh * 3600 + om * 60;
  out->secs += s[i] == '+' ? -shift : shift;
  return true;
}

int chk_time_cmp(const chk_time *a, const chk_time *b) {
  if (a->secs != b->secs)
    return a->secs < b->secs ? -1 : 1;
  char fa[CHK_FRAC], fb[CHK_FRAC];
  memset(fa, '0', CHK_FRAC);
  memset(fb, '0', CHK_FRAC);
  memcpy(fa, a->frac, a->frac_sig < CHK_FRAC ? a->frac_sig : CHK_FRAC);
  memcpy(fb, b->frac, b->frac_sig < CHK_FRAC ? b->frac_sig : CHK_FRAC);
  int c = memcmp(fa, fb, CHK_FRAC);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* ---- IP addresses ---- */

/* dec-octet "." dec-octet "." dec-octet "." dec-octet (RFC 8460 4.4). */
static bool ipv4(const unsigned char *s, size_t n) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    size_t start = i;
    while (i < n && is_digit(s[i]) && i - start < 4)
      i++;
    size_t len = i - start;
    if (len == 0 || len > 3 || (len > 1 && s[start] == '0') || num(s + start, len) > 255)
      return false;
    if (part < 3 && (i >= n || s[i++] != '.'))
      return false;
  }
  return i == n;
}

/* RFC 4291 2.2: eight 1-4 HEXDIG groups, "::" for one or more zero
 * groups (once), the last two groups possibly a dotted IPv4 address. */
bool chk_ip(const unsigned char *s, size_t n) {
  if (memchr(s, ':', n) == NULL)
    return ipv4(s, n);
  size_t i = 0, groups = 0;
  bool dcolon = false;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    dcolon = true;
    i = 2;
  }
  while (i < n) {
    size_t start = i;
    while (i < n && is_hex(s[i]) && i - start < 5)
      i++;
    if (i < n && s[i] == '.' && groups <= 6) {
      if (!ipv4(s + start, n - start))
        return false;
      groups += 2;
      break;
    }
    if (i == start || i - start > 4)
      return false;
    groups++;
    if (i == n)
      break;
    if (s[i] != ':' || ++i == n)
      return false;
    if (s[i] == ':') {
      if (dcolon)
        return false;
      dcolon = true;
      i++;
    }
  }
  return dcolon ? groups <= 7 : groups == 8;
}

/* ---- addr-spec (RFC 5322 3.4.1, 3.2.3, 3.2.4) ---- */

static bool is_atext(unsigned char c) {
  return is_alpha(c) || is_digit(c) || memchr("!#$%&'*+-/=?^_`{|}~", c, 19) != NULL;
}

/* dot-atom-text at s[0..n). */
static bool dot_atom(const unsigned char *s, size_t n) {
  if (n == 0 || s[0] == '.' || s[n - 1] == '.')
    return false;
  for (size_t i = 0; i < n; i++)
    if (!(is_atext(s[i]) || (s[i] == '.' && s[i - 1] != '.')))
      return false;
  return true;
}

/* The end of a quoted-string at s[0] == DQUOTE, or 0: qtext, quoted-pair
 * and FWS as SP / HTAB (no line folding in a report). */
static bool qchar(unsigned char c) {
  return c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7E);
}

static size_t quoted_end(const unsigned char *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (s[i] == '"')
      return i + 1;
    if (s[i] == '\\')
      i++;
    if (i >= n || !qchar(s[i]))
      return 0;
  }
  return 0;
}

/* "[" *dtext "]"; dtext is %d33-90 / %d94-126. */
static bool domain_literal(const unsigned char *s, size_t n) {
  if (n < 2 || s[0] != '[' || s[n - 1] != ']')
    return false;
  for (size_t i = 1; i + 1 < n; i++)
    if (s[i] < 33 || s[i] > 126 || (s[i] >= 91 && s[i] <= 93))
      return false;
  return true;
}

bool chk_addr_spec(const unsigned char *s, size_t n) {
  if (n == 0 || n > 254)
    return false;
  size_t at;
  if (s[0] == '"') {
    at = quoted_end(s, n);
    if (at == 0)
      return false;
  } else {
    const unsigned char *a = memchr(s, '@', n);
    if (a == NULL)
      return false;
    at = (size_t)(a - s);
    if (!dot_atom(s, at))
      return false;
  }
  if (at >= n || s[at] != '@')
    return false;
  const unsigned char *d = s + at + 1;
  size_t dn = n - at - 1;
  return dn > 0 && d[0] == '[' ? domain_literal(d, dn) : dot_atom(d, dn);
}

/* ---- names ---- */

bool chk_domain(const unsigned char *s, size_t n, bool wildcard) {
  if (n == 0 || s[n - 1] == '.')
    return false; /* the matcher forgives one trailing dot on a host; R27 does not */
  mtasts_match m = wildcard ? mtasts_mx_match((const char *)s, n, "a", 1)
                            : mtasts_mx_match("a", 1, (const char *)s, n);
  return m >= MTASTS_MATCH_NONE;
}

mtasts_report_result chk_result_type(const unsigned char *s, size_t n) {
  for (int k = MTASTS_REPORT_RESULT_STARTTLS_NOT_SUPPORTED; k < MTASTS_REPORT_RESULT_OTHER; k++) {
    const char *name = mtasts_report_result_name((mtasts_report_result)k);
    if (chk_is(name, s, n))
      return (mtasts_report_result)k;
  }
  if (n == 0)
    return MTASTS_REPORT_RESULT_UNSET;
  for (size_t i = 0; i < n; i++)
    if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
      return MTASTS_REPORT_RESULT_UNSET;
  return MTASTS_REPORT_RESULT_OTHER;
}

/* ---- TLSA RRs ---- */

void chk_tlsa_begin(chk_tlsa *t) {
  memset(t, 0, sizeof *t);
}

void chk_tlsa_feed(chk_tlsa *t, unsigned char c) {
  if (t->bad)
    return;
  if (c == ' ' && t->field < 3 && t->len > 0) {
    t->field++;
    t->len = 0;
    t->value = 0;
    return;
  }
  t->len++;
  if (t->field == 3) {
    t->bad = !is_hex(c);
    return;
  }
  t->value = (uint16_t)(t->value * 10 + (c - '0'));
  t->bad = !is_digit(c) || t->len > 3 || t->value > 255;
}

bool chk_tlsa_end(const chk_tlsa *t) {
  return !t->bad && t->field == 3 && t->len > 0 && t->len % 2 == 0;
}
