/*
 * write.c - the canonical report writer, the reader's inverse: one line of
 * JSON with no whitespace, the members in the order of RFC 8460 4.4, each
 * written only when set, strings re-escaped as RFC 8785 3.2.2.2 does
 * (only '"', '\' and controls; \b \f \n \r \t, else \u00xx), dates from
 * the seconds in UTC ("Z") with the fraction's significant digits, the
 * lenient forms in their strict shape (an mx-host string as an array).
 * Reading its output gives the same fields (report/tests/test_report_write.c);
 * writing that again gives the same bytes.
 */
#include "check.h"
#include "json.h"

#include <string.h>

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years RFC 3339 writes. */
#define FIRST_TIME (-62167219200LL)
#define LAST_TIME 253402300799LL

typedef struct out {
  unsigned char *dst;
  size_t cap, k; /* k counts every byte, also those past cap */
} out;

static void put(out *o, unsigned char c) {
  if (o->k < o->cap)
    o->dst[o->k] = c;
  o->k++;
}

/* A literal of this file (member names and punctuation). */
static void put_lit(out *o, const char *s) {
  for (; *s != '\0'; s++)
    put(o, (unsigned char)*s);
}

static void put_digits(out *o, uint64_t v, int width) {
  char buf[20];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0 || n < width);
  while (n > 0)
    put(o, (unsigned char)buf[--n]);
}

/* A string span as the reader gives it (content, escapes undecoded). */
static void put_text(out *o, mtasts_span s) {
  static const char hex[] = "0123456789abcdef";
  static const char short_esc[] = "btn\0fr"; /* for 0x08 .. 0x0d */
  jdec d;
  jdec_begin(&d, (const unsigned char *)s.ptr, s.len);
  put(o, '"');
  for (int c = jdec_next(&d); c >= 0; c = jdec_next(&d)) {
    if (c == '"' || c == '\\') {
      put(o, '\\');
      put(o, (unsigned char)c);
    } else if (c >= 0x08 && c <= 0x0d && c != 0x0b) {
      put(o, '\\');
      put(o, (unsigned char)short_esc[c - 0x08]);
    } else if (c < 0x20) {
      put_lit(o, "\\u00");
      put(o, (unsigned char)hex[c >> 4]);
      put(o, (unsigned char)hex[c & 15]);
    } else {
      put(o, (unsigned char)c);
    }
  }
  put(o, '"');
}

/* "name":"text" when the span is set, with a leading comma. */
static void put_member(out *o, const char *name, mtasts_span s) {
  if (s.ptr == NULL)
    return;
  put_lit(o, name);
  put_text(o, s);
}

/* An array of strings (policy-string, mx-host): each string of the span. */
static void put_array(out *o, const char *name, mtasts_span array) {
  if (array.ptr == NULL)
    return;
  put_lit(o, name);
  put(o, '[');
  size_t pos = 0;
  mtasts_span item;
  for (bool first = true; mtasts_report_next(array, &pos, &item); first = false) {
    if (!first)
      put(o, ',');
    put_text(o, item);
  }
  put(o, ']');
}

/* The fraction of a date-time as written: its significant digits (as many
 * as the reader compares), after the 19 bytes of "YYYY-MM-DDTHH:MM:SS". */
static void put_fraction(out *o, mtasts_span text) {
  char digits[CHK_FRAC];
  size_t sig = 0, n = 0;
  jdec d;
  jdec_begin(&d, (const unsigned char *)text.ptr, text.len);
  int c = 0;
  for (int i = 0; i <= 19 && c >= 0; i++)
    c = jdec_next(&d);
  if (c != '.')
    return;
  for (c = jdec_next(&d); c >= '0' && c <= '9' && n < CHK_FRAC; c = jdec_next(&d)) {
    digits[n++] = (char)c;
    if (c != '0')
      sig = n;
  }
  if (sig > 0)
    put(o, '.');
  for (size_t i = 0; i < sig; i++)
    put(o, (unsigned char)digits[i]);
}

/* Seconds since 1970 as an RFC 3339 date-time in UTC (H. Hinnant's
 * civil_from_days), within FIRST_TIME .. LAST_TIME. */
static void put_time(out *o, int64_t t, mtasts_span text) {
  /* z: days since 0000-03-01 (FIRST_TIME is 60 days before), floored. */
  int64_t z = (t - FIRST_TIME) / 86400 - 60, secs = (t - FIRST_TIME) % 86400;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2);
  put(o, '"');
  put_digits(o, (uint64_t)year, 4);
  put(o, '-');
  put_digits(o, (uint64_t)month, 2);
  put(o, '-');
  put_digits(o, (uint64_t)day, 2);
  put(o, 'T');
  put_digits(o, (uint64_t)(secs / 3600), 2);
  put(o, ':');
  put_digits(o, (uint64_t)(secs / 60 % 60), 2);
  put(o, ':');
  put_digits(o, (uint64_t)(secs % 60), 2);
  if (text.ptr != NULL)
    put_fraction(o, text);
  put_lit(o, "Z\"");
}

static void put_detail(out *o, const mtasts_report_detail *x) {
  put_lit(o, "{\"result-type\":");
  if (x->result == MTASTS_REPORT_RESULT_OTHER)
    put_text(o, x->result_text);
  else {
    put(o, '"');
    put_lit(o, mtasts_report_result_name(x->result));
    put(o, '"');
  }
  put_member(o, ",\"sending-mta-ip\":", x->sending_mta_ip);
  put_member(o, ",\"receiving-mx-hostname\":", x->receiving_mx_hostname);
  put_member(o, ",\"receiving-mx-helo\":", x->receiving_mx_helo);
  put_member(o, ",\"receiving-ip\":", x->receiving_ip);
  put_lit(o, ",\"failed-session-count\":");
  put_digits(o, x->failed_session_count, 1);
  put_member(o, ",\"additional-information\":", x->additional_information);
  put_member(o, ",\"failure-reason-code\":", x->failure_reason_code);
  put(o, '}');
}

static void put_policy(out *o, const mtasts_report *r, const mtasts_report_policy *p) {
  static const char *const types[] = {"", "\"sts\"", "\"tlsa\"", "\"no-policy-found\""};
  put_lit(o, "{\"policy\":{\"policy-type\":");
  if (p->type == MTASTS_REPORT_POLICY_OTHER)
    put_text(o, p->type_text);
  else
    put_lit(o, types[p->type]);
  put_array(o, ",\"policy-string\":", p->policy_string);
  put_member(o, ",\"policy-domain\":", p->domain);
  put_array(o, ",\"mx-host\":", p->mx_host);
  put_lit(o, "},\"summary\":{\"total-successful-session-count\":");
  put_digits(o, p->total_successful, 1);
  put_lit(o, ",\"total-failure-session-count\":");
  put_digits(o, p->total_failure, 1);
  put(o, '}');
  if (p->detail_count > 0) {
    put_lit(o, ",\"failure-details\":[");
    for (size_t i = 0; i < p->detail_count; i++) {
      if (i > 0)
        put(o, ',');
      put_detail(o, &r->details[p->detail_first + i]);
    }
    put(o, ']');
  }
  put(o, '}');
}

static bool detail_writable(const mtasts_report_detail *x) {
  return (int)x->result > MTASTS_REPORT_RESULT_UNSET &&
         (int)x->result <= MTASTS_REPORT_RESULT_OTHER &&
         (x->result != MTASTS_REPORT_RESULT_OTHER || x->result_text.ptr != NULL);
}

static bool policy_writable(const mtasts_report *r, const mtasts_report_policy *p) {
  if ((int)p->type <= MTASTS_REPORT_POLICY_UNSET || (int)p->type > MTASTS_REPORT_POLICY_OTHER ||
      (p->type == MTASTS_REPORT_POLICY_OTHER && p->type_text.ptr == NULL) ||
      p->detail_first > r->detail_count || p->detail_count > r->detail_count - p->detail_first)
    return false;
  for (size_t i = 0; i < p->detail_count; i++)
    if (!detail_writable(&r->details[p->detail_first + i]))
      return false;
  return true;
}

/* What the writer needs of a report it did not read itself. */
static bool writable(const mtasts_report *r) {
  if (r->organization_name.ptr == NULL || r->report_id.ptr == NULL || r->policy_count == 0 ||
      r->policies == NULL || r->policy_needed > r->policy_count ||
      r->detail_needed > r->detail_count || (r->detail_count > 0 && r->details == NULL) ||
      r->start_time < FIRST_TIME || r->start_time > LAST_TIME || r->end_time < FIRST_TIME ||
      r->end_time > LAST_TIME)
    return false;
  for (size_t i = 0; i < r->policy_count; i++)
    if (!policy_writable(r, &r->policies[i]))
      return false;
  return true;
}

mtasts_report_code mtasts_report_write(const mtasts_report *r, char *dst, size_t cap,
                                       size_t *needed) {
  if (needed != NULL)
    *needed = 0;
  if (r == NULL || needed == NULL || (dst == NULL && cap > 0) || !writable(r))
    return MTASTS_E_REPORT_ARGUMENT;
  out o = {(unsigned char *)dst, cap, 0};
  put_lit(&o, "{\"organization-name\":");
  put_text(&o, r->organization_name);
  put_lit(&o, ",\"date-range\":{\"start-datetime\":");
  put_time(&o, r->start_time, r->start_datetime);
  put_lit(&o, ",\"end-datetime\":");
  put_time(&o, r->end_time, r->end_datetime);
  put(&o, '}');
  put_member(&o, ",\"contact-info\":", r->contact_info);
  put_lit(&o, ",\"report-id\":");
  put_text(&o, r->report_id);
  put_lit(&o, ",\"policies\":[");
  for (size_t i = 0; i < r->policy_count; i++) {
    if (i > 0)
      put(&o, ',');
    put_policy(&o, r, &r->policies[i]);
  }
  put_lit(&o, "]}");
  *needed = o.k;
  return o.k > cap ? MTASTS_E_REPORT_WRITE_CAPACITY : MTASTS_REPORT_OK;
}
