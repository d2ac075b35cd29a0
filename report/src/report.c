/*
 * report.c - the meaning of a report (RFC 8460 4.4, rulings R23-R29) on
 * top of the JSON tokens of json.c.
 *
 * One pass, no recursion: every open array or object has a frame saying
 * what it is (the top object, date-range, the policies array, one of its
 * elements, ...); a member name selects what its value must be; a value is
 * judged when it is read, a whole object when its "}" is read. What
 * depends on the policy-type (policy-string, mx-host) waits for the "}" of
 * the policy object, since JSON does not order members; by then both are
 * spans into the input, walked again with mtasts_report_next().
 *
 * Value errors are reported at the first byte of the value (for an array
 * element: of that element). Strings are judged on their decoded bytes;
 * a value with escapes is decoded into a 256-octet view first, which every
 * grammar judged that way fits (a host name 253, an addr-spec 254, an IP
 * address 45, a date-time 256: a longer one is not valid).
 */
#include "check.h"
#include "json.h"

#include <string.h>

enum ctx {
  C_TOP,
  C_DATES,
  C_POLICIES,
  C_ITEM,
  C_POLICY,
  C_SUMMARY,
  C_DETAILS,
  C_DETAIL,
  C_STRINGS,
  C_SKIP
};

enum member {
  M_NONE, /* not a name of RFC 8460 4.4: read and ignored */
  M_ORG,
  M_DATE_RANGE,
  M_CONTACT,
  M_REPORT_ID,
  M_POLICIES,
  M_START,
  M_END,
  M_POLICY,
  M_SUMMARY,
  M_DETAILS,
  M_PTYPE,
  M_PSTRING,
  M_PDOMAIN,
  M_MXHOST,
  M_TOTAL_OK,
  M_TOTAL_FAIL,
  M_RESULT,
  M_SENDING_IP,
  M_RECV_HOST,
  M_RECV_HELO,
  M_RECV_IP,
  M_FAILED,
  M_ADDINFO,
  M_REASON,
  M_COUNT_
};

/* Each member: the object it belongs in and its name. */
static const struct {
  unsigned char ctx;
  const char *name;
} members[M_COUNT_] = {
    [M_NONE] = {C_SKIP, NULL},
    [M_ORG] = {C_TOP, "organization-name"},
    [M_DATE_RANGE] = {C_TOP, "date-range"},
    [M_CONTACT] = {C_TOP, "contact-info"},
    [M_REPORT_ID] = {C_TOP, "report-id"},
    [M_POLICIES] = {C_TOP, "policies"},
    [M_START] = {C_DATES, "start-datetime"},
    [M_END] = {C_DATES, "end-datetime"},
    [M_POLICY] = {C_ITEM, "policy"},
    [M_SUMMARY] = {C_ITEM, "summary"},
    [M_DETAILS] = {C_ITEM, "failure-details"},
    [M_PTYPE] = {C_POLICY, "policy-type"},
    [M_PSTRING] = {C_POLICY, "policy-string"},
    [M_PDOMAIN] = {C_POLICY, "policy-domain"},
    [M_MXHOST] = {C_POLICY, "mx-host"},
    [M_TOTAL_OK] = {C_SUMMARY, "total-successful-session-count"},
    [M_TOTAL_FAIL] = {C_SUMMARY, "total-failure-session-count"},
    [M_RESULT] = {C_DETAIL, "result-type"},
    [M_SENDING_IP] = {C_DETAIL, "sending-mta-ip"},
    [M_RECV_HOST] = {C_DETAIL, "receiving-mx-hostname"},
    [M_RECV_HELO] = {C_DETAIL, "receiving-mx-helo"},
    [M_RECV_IP] = {C_DETAIL, "receiving-ip"},
    [M_FAILED] = {C_DETAIL, "failed-session-count"},
    [M_ADDINFO] = {C_DETAIL, "additional-information"},
    [M_REASON] = {C_DETAIL, "failure-reason-code"},
};

#define VIEW 256 /* the decoded view of a string value (see the top) */

/* Offsets fit 32 bits (MTASTS_REPORT_MAX_SIZE), which halves the stack. */
typedef struct frame {
  unsigned char ctx;
  unsigned char member; /* the member whose value this container is */
  uint32_t seen;        /* members read, by bit */
  uint32_t off;         /* of its "[" or "{" */
  uint32_t count;       /* C_STRINGS: elements */
} frame;

typedef struct state {
  const unsigned char *p;
  size_t n;
  mtasts_report *r;
  mtasts_report_work *w;
  mtasts_profile profile;
  mtasts_report_diags *warn;
  frame f[MTASTS_REPORT_MAX_DEPTH + 1]; /* f[d]: the container at depth d */
  uint32_t depth;
  unsigned char member;      /* the member whose value comes next */
  mtasts_report_policy *pol; /* the policy being read, NULL outside one */
  mtasts_report_detail *det; /* the failure detail being read */
  size_t pol_index, det_index;
  chk_time start, end;
  size_t end_off;
  size_t policy_over, detail_over; /* where the first one that did not fit starts */
  mtasts_report_code code;
  size_t err;
  const char *err_member;
} state;

static bool fail(state *s, mtasts_report_code code, size_t at, unsigned member) {
  s->code = code;
  s->err = at;
  s->err_member = members[member].name;
  return false;
}

static void warn(state *s, mtasts_report_code code, size_t at) {
  if (s->warn == NULL)
    return;
  if (s->warn->count < s->warn->cap) {
    s->warn->items[s->warn->count].code = code;
    s->warn->items[s->warn->count].offset = at;
  }
  s->warn->count++;
}

static bool lenient(const state *s) {
  return s->profile == MTASTS_LENIENT;
}

static mtasts_span span_of(const state *s, size_t off, size_t len) {
  mtasts_span sp = {(const char *)s->p + off, len, off};
  return sp;
}

/* The decoded bytes of string token t: the input itself when it has no
 * escape, else buf. *n is the decoded length (it may exceed VIEW; then
 * only VIEW bytes are there). */
static const unsigned char *view(const state *s, const jtok *t, unsigned char *buf, size_t *n) {
  if (!t->escaped) {
    *n = t->len;
    return s->p + t->start;
  }
  *n = jdec_copy(s->p + t->start, t->len, buf, VIEW);
  return buf;
}

/* ---- containers ---- */

static bool push(state *s, size_t off, unsigned ctx, unsigned member) {
  frame *f = &s->f[++s->depth];
  memset(f, 0, sizeof *f);
  f->ctx = (unsigned char)ctx;
  f->member = (unsigned char)member;
  f->off = (uint32_t)off;
  return true;
}

static bool open_item(state *s, const jtok *t) {
  mtasts_report *r = s->r;
  s->pol_index = r->policy_needed++;
  if (s->pol_index < r->policy_cap) {
    s->pol = &r->policies[s->pol_index];
  } else {
    s->pol = &s->w->spare_policy_;
    if (s->policy_over == SIZE_MAX)
      s->policy_over = t->off;
  }
  memset(s->pol, 0, sizeof *s->pol);
  s->pol->detail_first = r->detail_needed;
  return push(s, t->off, C_ITEM, M_POLICIES);
}

static bool open_detail(state *s, const jtok *t) {
  mtasts_report *r = s->r;
  size_t i = r->detail_needed++;
  if (i < r->detail_cap) {
    s->det = &r->details[i];
  } else {
    s->det = &s->w->spare_detail_;
    if (s->detail_over == SIZE_MAX)
      s->detail_over = t->off;
  }
  memset(s->det, 0, sizeof *s->det);
  s->det->policy = s->pol_index;
  s->det_index = s->pol->detail_count++;
  return push(s, t->off, C_DETAIL, M_DETAILS);
}

/* ---- scalar members ---- */

/* Where a string member's span goes. */
static mtasts_span *slot(state *s, unsigned m) {
  switch (m) {
  case M_ORG:
    return &s->r->organization_name;
  case M_CONTACT:
    return &s->r->contact_info;
  case M_REPORT_ID:
    return &s->r->report_id;
  case M_START:
    return &s->r->start_datetime;
  case M_END:
    return &s->r->end_datetime;
  case M_PTYPE:
    return &s->pol->type_text;
  case M_PDOMAIN:
    return &s->pol->domain;
  case M_RESULT:
    return &s->det->result_text;
  case M_SENDING_IP:
    return &s->det->sending_mta_ip;
  case M_RECV_HOST:
    return &s->det->receiving_mx_hostname;
  case M_RECV_HELO:
    return &s->det->receiving_mx_helo;
  case M_RECV_IP:
    return &s->det->receiving_ip;
  case M_ADDINFO:
    return &s->det->additional_information;
  default: /* M_REASON */
    return &s->det->failure_reason_code;
  }
}

/* A count: digits only (R22), at most 2^53 - 1. */
static bool count_value(state *s, unsigned m, const jtok *t) {
  if (t->kind != J_NUM)
    return fail(s, MTASTS_E_REPORT_COUNT, t->off, m);
  uint64_t v = 0;
  for (size_t i = 0; i < t->len; i++) {
    unsigned char c = s->p[t->start + i];
    if (c < '0' || c > '9')
      return fail(s, MTASTS_E_REPORT_COUNT, t->off, m);
    uint64_t digit = (uint64_t)(c - '0'), max = MTASTS_REPORT_MAX_COUNT;
    if (v > (max - digit) / 10)
      return fail(s, MTASTS_E_REPORT_COUNT_RANGE, t->off, m);
    v = v * 10 + digit;
  }
  if (m == M_TOTAL_OK)
    s->pol->total_successful = v;
  else if (m == M_TOTAL_FAIL)
    s->pol->total_failure = v;
  else
    s->det->failed_session_count = v;
  return true;
}

static bool date_value(state *s, unsigned m, const jtok *t, const unsigned char *v, size_t n) {
  chk_time *out = m == M_START ? &s->start : &s->end;
  if (n > VIEW || !chk_date(v, n, out) || (!out->has_offset && !lenient(s)))
    return fail(s, MTASTS_E_REPORT_DATE, t->off, m);
  if (!out->has_offset)
    warn(s, MTASTS_W_REPORT_DATE_NO_OFFSET, t->off);
  if (m == M_END)
    s->end_off = t->off;
  return true;
}

static bool policy_type_value(state *s, const jtok *t, const unsigned char *v, size_t n) {
  static const char *const names[] = {"sts", "tlsa", "no-policy-found"};
  for (size_t k = 0; k < 3; k++) {
    if (chk_is(names[k], v, n)) {
      s->pol->type = (mtasts_report_policy_type)(MTASTS_REPORT_POLICY_STS + (int)k);
      return true;
    }
  }
  if (!lenient(s))
    return fail(s, MTASTS_E_REPORT_POLICY_TYPE, t->off, M_PTYPE);
  warn(s, MTASTS_W_REPORT_POLICY_TYPE, t->off);
  s->pol->type = MTASTS_REPORT_POLICY_OTHER;
  return true;
}

/* result-type: judged over the whole decoded string (no length limit). */
static bool result_value(state *s, const jtok *t) {
  unsigned char buf[32];
  size_t n = jdec_copy(s->p + t->start, t->len, buf, sizeof buf);
  mtasts_report_result rt = MTASTS_REPORT_RESULT_OTHER;
  if (n <= sizeof buf) {
    rt = chk_result_type(buf, n);
  } else {
    jdec d;
    jdec_begin(&d, s->p + t->start, t->len);
    for (int c; (c = jdec_next(&d)) >= 0;)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
        rt = MTASTS_REPORT_RESULT_UNSET;
  }
  if (rt == MTASTS_REPORT_RESULT_UNSET)
    return fail(s, MTASTS_E_REPORT_RESULT_TYPE, t->off, M_RESULT);
  if (rt == MTASTS_REPORT_RESULT_OTHER)
    warn(s, MTASTS_W_REPORT_RESULT_TYPE, t->off);
  s->det->result = rt;
  return true;
}

/* An RFC 3986 URI, judged by the parser's rua reader (R20a: RFC 3986
 * whole) on "v=TLSRPTv1;rua=" and the URI. R20a keeps "," "!" ";" out of
 * a rua URI, so they are fed as "&": every RFC 3986 production takes the
 * sub-delims as one class, so the answer is RFC 3986's. A scheme other
 * than mailto / https is skipped by the lenient profile, which leaves
 * E_RUA_NONE_USABLE for a valid URI. */
static bool uri_value(state *s, const jtok *t) {
  static const char prefix[] = "v=TLSRPTv1;rua=";
  char *buf = s->w->text_;
  size_t k = sizeof prefix - 1;
  memcpy(buf, prefix, k);
  jdec d;
  jdec_begin(&d, s->p + t->start, t->len);
  for (int c; (c = jdec_next(&d)) >= 0 && k < MTASTS_TXT_MAX_SIZE + 1; k++)
    buf[k] = c == ',' || c == '!' || c == ';' ? '&' : (char)c;
  mtasts_options o = {MTASTS_LENIENT, 0, NULL};
  /* A sizing pass (no arrays): only the verdict counts, and a record whose
   * one URI is usable says so with E_RUA_CAPACITY. */
  mtasts_tlsrpt_init(&s->w->u_.tlsrpt, NULL, 0, NULL, 0);
  mtasts_code rc = mtasts_tlsrpt_parse(buf, k, &o, &s->w->u_.tlsrpt);
  if (t->len == 0 ||
      (rc != MTASTS_OK && rc != MTASTS_E_RUA_NONE_USABLE && rc != MTASTS_E_RUA_CAPACITY))
    return fail(s, MTASTS_E_REPORT_URI, t->off, M_ADDINFO);
  return true;
}

/* A string member's own grammar, once its span is stored. */
static bool string_value(state *s, unsigned m, const jtok *t) {
  unsigned char buf[VIEW];
  size_t n;
  const unsigned char *v = view(s, t, buf, &n);
  switch (m) {
  case M_START:
  case M_END:
    return date_value(s, m, t, v, n);
  case M_CONTACT:
    if (n <= VIEW && chk_addr_spec(v, n))
      return true;
    if (!lenient(s))
      return fail(s, MTASTS_E_REPORT_CONTACT, t->off, m);
    warn(s, MTASTS_W_REPORT_CONTACT_NOT_ADDR, t->off);
    return true;
  case M_PTYPE:
    return policy_type_value(s, t, v, n);
  case M_PDOMAIN:
  case M_RECV_HOST:
    return (n <= VIEW && chk_domain(v, n, false)) || fail(s, MTASTS_E_REPORT_DOMAIN, t->off, m);
  case M_SENDING_IP:
  case M_RECV_IP:
    if (n == 0 && lenient(s)) {
      warn(s, MTASTS_W_REPORT_IP_EMPTY, t->off);
      *slot(s, m) = (mtasts_span){NULL, 0, 0};
      return true;
    }
    return (n <= VIEW && chk_ip(v, n)) || fail(s, MTASTS_E_REPORT_IP, t->off, m);
  case M_RESULT:
    return result_value(s, t);
  case M_ADDINFO:
    return uri_value(s, t);
  default: /* organization-name, report-id, receiving-mx-helo, failure-reason-code */
    return true;
  }
}

/* ---- members ---- */

static bool null_value(state *s, unsigned m, const jtok *t) {
  if (!lenient(s))
    return fail(s, MTASTS_E_REPORT_NULL, t->off, m);
  if (m == M_CONTACT) {
    warn(s, MTASTS_W_REPORT_CONTACT_MISSING, t->off);
    return true; /* counts as given: no second warning at the "}" */
  }
  warn(s, MTASTS_W_REPORT_NULL, t->off);
  s->f[s->depth].seen &= ~(1u << m);
  return true;
}

/* The container a member's value opens: its context, or C_SKIP when the
 * member's value is no container. */
static unsigned container_of(unsigned m, jkind kind) {
  switch (m) {
  case M_DATE_RANGE:
    return kind == J_OBJ ? C_DATES : C_SKIP;
  case M_POLICIES:
    return kind == J_ARR ? C_POLICIES : C_SKIP;
  case M_POLICY:
    return kind == J_OBJ ? C_POLICY : C_SKIP;
  case M_SUMMARY:
    return kind == J_OBJ ? C_SUMMARY : C_SKIP;
  case M_DETAILS:
    return kind == J_ARR ? C_DETAILS : C_SKIP;
  default: /* M_PSTRING, M_MXHOST: member_value calls only for these */
    return kind == J_ARR ? C_STRINGS : C_SKIP;
  }
}

static bool is_string_member(unsigned m) {
  return m == M_ORG || m == M_CONTACT || m == M_REPORT_ID || m == M_START || m == M_END ||
         m == M_PTYPE || m == M_PDOMAIN || m >= M_RESULT;
}

static bool member_value(state *s, unsigned m, const jtok *t) {
  if (m == M_NONE)
    return t->kind == J_OBJ || t->kind == J_ARR ? push(s, t->off, C_SKIP, M_NONE) : true;
  if (t->kind == J_NULL)
    return null_value(s, m, t);
  if (m == M_TOTAL_OK || m == M_TOTAL_FAIL || m == M_FAILED)
    return count_value(s, m, t);
  if (is_string_member(m)) {
    if (t->kind != J_STR)
      return fail(s, MTASTS_E_REPORT_TYPE, t->off, m);
    *slot(s, m) = span_of(s, t->start, t->len);
    return string_value(s, m, t);
  }
  if (m == M_MXHOST && t->kind == J_STR) {
    if (!lenient(s))
      return fail(s, MTASTS_E_REPORT_TYPE, t->off, m);
    warn(s, MTASTS_W_REPORT_MX_HOST_STRING, t->off);
    s->pol->mx_host = span_of(s, t->off, t->len + 2);
    s->pol->mx_host_count = 1;
    return true;
  }
  unsigned ctx = container_of(m, t->kind);
  if (ctx == C_SKIP)
    return fail(s, MTASTS_E_REPORT_TYPE, t->off, m);
  return push(s, t->off, ctx, m);
}

static bool key(state *s, const jtok *t) {
  frame *f = &s->f[s->depth];
  unsigned char buf[40];
  size_t n = jdec_copy(s->p + t->start, t->len, buf, sizeof buf);
  s->member = M_NONE;
  if (f->ctx == C_SKIP || n > sizeof buf)
    return true;
  for (unsigned m = M_NONE + 1; m < M_COUNT_; m++) {
    if (members[m].ctx == f->ctx && chk_is(members[m].name, buf, n)) {
      s->member = (unsigned char)m;
      f->seen |= 1u << m;
      break;
    }
  }
  return true;
}

static bool value(state *s, const jtok *t) {
  frame *f = &s->f[s->depth];
  unsigned m = s->member;
  switch (f->ctx) {
  case C_SKIP:
    return t->kind == J_OBJ || t->kind == J_ARR ? push(s, t->off, C_SKIP, M_NONE) : true;
  case C_POLICIES:
    return t->kind == J_OBJ ? open_item(s, t) : fail(s, MTASTS_E_REPORT_TYPE, t->off, M_POLICIES);
  case C_DETAILS:
    return t->kind == J_OBJ ? open_detail(s, t) : fail(s, MTASTS_E_REPORT_TYPE, t->off, M_DETAILS);
  case C_STRINGS:
    f->count++;
    return t->kind == J_STR || fail(s, MTASTS_E_REPORT_TYPE, t->off, f->member);
  default:
    s->member = M_NONE;
    return member_value(s, m, t);
  }
}

/* ---- closing ---- */

static bool close_policy(state *s, size_t at);

/* The first of the members in `need` (in order) that f has not seen. */
static bool require(state *s, const frame *f, const unsigned char *need, size_t count, size_t at) {
  for (size_t k = 0; k < count; k++)
    if ((f->seen & (1u << need[k])) == 0)
      return fail(s, MTASTS_E_REPORT_MISSING, at, need[k]);
  return true;
}

static bool close_top(state *s, const frame *f, size_t at) {
  static const unsigned char need[] = {M_ORG, M_DATE_RANGE, M_CONTACT, M_REPORT_ID, M_POLICIES};
  frame lenient_f = *f;
  if (lenient(s) && (f->seen & (1u << M_CONTACT)) == 0) {
    warn(s, MTASTS_W_REPORT_CONTACT_MISSING, at);
    lenient_f.seen |= 1u << M_CONTACT;
  }
  return require(s, &lenient_f, need, sizeof need, at);
}

static bool close_dates(state *s, const frame *f, size_t at) {
  static const unsigned char need[] = {M_START, M_END};
  if (!require(s, f, need, 2, at))
    return false;
  if (chk_time_cmp(&s->start, &s->end) >= 0)
    return fail(s, MTASTS_E_REPORT_DATE_ORDER, s->end_off, M_END);
  int64_t day = ((s->start.secs % 86400) + 86400) % 86400;
  if (day != 0 || s->start.frac_sig != 0 || s->end.frac_sig != 0 ||
      s->end.secs - s->start.secs != 86400)
    warn(s, MTASTS_W_REPORT_NOT_ONE_DAY, f->off);
  s->r->start_time = s->start.secs;
  s->r->end_time = s->end.secs;
  return true;
}

static bool close_object(state *s, const jtok *t) {
  frame *f = &s->f[s->depth];
  static const unsigned char item[] = {M_POLICY, M_SUMMARY};
  static const unsigned char summary[] = {M_TOTAL_OK, M_TOTAL_FAIL};
  static const unsigned char detail[] = {M_RESULT, M_FAILED};
  bool ok = true;
  switch (f->ctx) {
  case C_TOP:
    ok = close_top(s, f, t->off);
    break;
  case C_DATES:
    ok = close_dates(s, f, t->off);
    break;
  case C_ITEM:
    ok = require(s, f, item, 2, t->off);
    s->pol = ok ? NULL : s->pol; /* kept for err_policy */
    break;
  case C_POLICY:
    ok = close_policy(s, t->off);
    break;
  case C_SUMMARY:
    ok = require(s, f, summary, 2, t->off);
    break;
  case C_DETAIL:
    ok = require(s, f, detail, 2, t->off);
    s->det = ok ? NULL : s->det;
    break;
  default: /* C_SKIP */
    break;
  }
  s->depth--;
  return ok;
}

static bool close_array(state *s, const jtok *t) {
  frame *f = &s->f[s->depth];
  if (f->ctx == C_POLICIES && s->r->policy_needed == 0)
    return fail(s, MTASTS_E_REPORT_POLICIES_EMPTY, t->off, M_POLICIES);
  if (f->ctx == C_STRINGS) {
    mtasts_span sp = span_of(s, f->off, t->off + 1 - f->off);
    if (f->member == M_PSTRING) {
      s->pol->policy_string = sp;
      s->pol->policy_string_count = f->count;
    } else {
      s->pol->mx_host = sp;
      s->pol->mx_host_count = f->count;
    }
  }
  s->depth--;
  return true;
}

/* ---- the driver ---- */

static bool token(state *s, const jtok *t) {
  if (s->depth == 0)
    return t->kind == J_OBJ ? push(s, t->off, C_TOP, M_NONE)
                            : fail(s, MTASTS_E_REPORT_TYPE, t->off, M_NONE);
  switch (t->kind) {
  case J_KEY:
    return key(s, t);
  case J_OBJ_END:
    return close_object(s, t);
  case J_ARR_END:
    return close_array(s, t);
  default:
    return value(s, t);
  }
}

/* ---- the policy object, once whole (R25, R26, R27) ---- */

/* Each string of a tlsa policy-string is one TLSA RR; lenient lets one
 * string hold a JSON array of them (its content is not read further). */
static bool check_tlsa(state *s, const mtasts_report_policy *p) {
  size_t pos = 0;
  mtasts_span item;
  jdec d;
  while (mtasts_report_next(p->policy_string, &pos, &item)) {
    jdec_begin(&d, (const unsigned char *)item.ptr, item.len);
    if (p->policy_string_count == 1 && lenient(s) && jdec_next(&d) == '[') {
      warn(s, MTASTS_W_REPORT_TLSA_JSON_ARRAY, item.off - 1);
      return true;
    }
    chk_tlsa t;
    chk_tlsa_begin(&t);
    jdec_begin(&d, (const unsigned char *)item.ptr, item.len);
    for (int c; (c = jdec_next(&d)) >= 0;)
      chk_tlsa_feed(&t, (unsigned char)c);
    if (!chk_tlsa_end(&t))
      return fail(s, MTASTS_E_REPORT_TLSA, item.off - 1, M_PSTRING);
  }
  return true;
}

/* The opening quote of the string that holds offset e of the joined
 * policy text (its LF counts as the end of the string before it). */
static size_t string_at(const mtasts_report_policy *p, size_t e) {
  size_t pos = 0, start = 0;
  mtasts_span item;
  while (mtasts_report_next(p->policy_string, &pos, &item)) {
    size_t end = start + mtasts_report_copy(item, NULL, 0);
    if (e <= end)
      return item.off - 1;
    start = end + 1;
  }
  return p->policy_string.off; /* an empty array */
}

/* An sts policy-string is re-parsed; one that does not parse is a
 * warning in both profiles: the report says truly what was applied. */
static void reparse(state *s, mtasts_report_policy *p) {
  mtasts_policy *pol = &s->w->u_.policy;
  size_t n = mtasts_report_policy_text(p, s->w->text_, sizeof s->w->text_);
  mtasts_code rc = MTASTS_E_POLICY_TOO_LARGE;
  size_t e = MTASTS_POLICY_MAX_SIZE;
  if (n <= MTASTS_POLICY_MAX_SIZE) {
    mtasts_options o = {s->profile, 0, NULL};
    mtasts_policy_init(pol, NULL, 0, NULL, 0);
    rc = mtasts_policy_parse(s->w->text_, n, &o, pol);
    e = pol->err_offset;
  }
  /* Valid, with mx lines or extensions: nothing stored. */
  if (rc == MTASTS_E_MX_CAPACITY || rc == MTASTS_E_EXT_CAPACITY)
    rc = MTASTS_OK;
  p->policy_code = rc;
  p->policy_err_offset = rc == MTASTS_OK ? 0 : e;
  if (rc != MTASTS_OK)
    warn(s, MTASTS_W_REPORT_POLICY_STRING_INVALID, string_at(p, e));
}

/* mx-host: patterns for sts (R26 reads them as sts-policy-mx-value, R12),
 * host names for tlsa; R26 names no other type, so patterns there. */
static bool check_mx_hosts(state *s, const mtasts_report_policy *p) {
  size_t pos = 0;
  mtasts_span item;
  while (mtasts_report_next(p->mx_host, &pos, &item)) {
    unsigned char buf[VIEW];
    size_t n = mtasts_report_copy(item, (char *)buf, sizeof buf);
    if (n > VIEW || !chk_domain(buf, n, p->type != MTASTS_REPORT_POLICY_TLSA))
      return fail(s, MTASTS_E_REPORT_MX_HOST, item.off - 1, M_MXHOST);
  }
  return true;
}

static bool close_policy(state *s, size_t at) {
  const frame *f = &s->f[s->depth];
  mtasts_report_policy *p = s->pol;
  if ((f->seen & (1u << M_PTYPE)) == 0)
    return fail(s, MTASTS_E_REPORT_MISSING, at, M_PTYPE);
  bool has_string = p->policy_string.ptr != NULL;
  if (!has_string &&
      (p->type == MTASTS_REPORT_POLICY_STS || p->type == MTASTS_REPORT_POLICY_TLSA)) {
    if (!lenient(s))
      return fail(s, MTASTS_E_REPORT_MISSING, at, M_PSTRING);
    warn(s, MTASTS_W_REPORT_POLICY_STRING_MISSING, at);
  }
  if (p->domain.ptr == NULL) {
    if (p->type != MTASTS_REPORT_POLICY_NONE_FOUND || !lenient(s))
      return fail(s, MTASTS_E_REPORT_MISSING, at, M_PDOMAIN);
    warn(s, MTASTS_W_REPORT_DOMAIN_MISSING, at);
  }
  if (has_string && p->type == MTASTS_REPORT_POLICY_TLSA && !check_tlsa(s, p))
    return false;
  if (has_string && p->type == MTASTS_REPORT_POLICY_STS)
    reparse(s, p);
  return check_mx_hosts(s, p);
}

/* ---- the entry point ---- */

static void clear_results(mtasts_report *r, size_t policies, size_t details) {
  size_t keep = offsetof(mtasts_report, organization_name);
  memset((char *)r + keep, 0, sizeof *r - keep);
  if (policies > 0)
    memset(r->policies, 0, policies * sizeof *r->policies);
  if (details > 0)
    memset(r->details, 0, details * sizeof *r->details);
  r->err_policy = r->err_detail = SIZE_MAX;
}

static bool bad_arguments(const char *json, size_t len, const mtasts_report_options *opt,
                          const mtasts_report *r) {
  const mtasts_report_diags *wd = opt != NULL ? opt->warnings : NULL;
  return (json == NULL && len > 0) || r->work == NULL ||
         (opt != NULL && opt->profile != MTASTS_STRICT && opt->profile != MTASTS_LENIENT) ||
         (r->policies == NULL && r->policy_cap > 0) || (r->details == NULL && r->detail_cap > 0) ||
         (wd != NULL && wd->items == NULL && wd->cap > 0);
}

static mtasts_report_code failed(mtasts_report *r, const state *s, mtasts_report_code code,
                                 size_t at) {
  size_t needed[2] = {r->policy_needed, r->detail_needed};
  size_t np = needed[0] < r->policy_cap ? needed[0] : r->policy_cap;
  size_t nd = needed[1] < r->detail_cap ? needed[1] : r->detail_cap;
  clear_results(r, np, nd);
  if (code == MTASTS_E_REPORT_POLICY_CAPACITY || code == MTASTS_E_REPORT_DETAIL_CAPACITY) {
    r->policy_needed = needed[0]; /* the sizes to retry with */
    r->detail_needed = needed[1];
  }
  r->used_policies_ = r->used_details_ = 0;
  if (s != NULL && at < s->n && s->p[at] == 0)
    code = MTASTS_E_JSON_NUL;
  r->err_offset = at;
  if (s != NULL) {
    r->err_member = s->code == code ? s->err_member : NULL;
    r->err_policy = s->pol != NULL ? s->pol_index : SIZE_MAX;
    r->err_detail = s->det != NULL ? s->det_index : SIZE_MAX;
  }
  return code;
}

/* The document, token by token; false with s->code / s->err set. */
static bool read_all(state *s) {
  jlex lx;
  jlex_begin(&lx, s->p, s->n, s->w->names_);
  for (;;) {
    jtok t;
    if (!jlex_next(&lx, &t)) {
      s->code = lx.code;
      s->err = lx.err;
      s->err_member = NULL;
      return false;
    }
    if (t.kind == J_END)
      return true;
    if (!token(s, &t))
      return false;
  }
}

mtasts_report_code mtasts_report_parse(const char *json, size_t len,
                                       const mtasts_report_options *opt, mtasts_report *r) {
  if (r == NULL)
    return MTASTS_E_REPORT_ARGUMENT;
  clear_results(r, r->used_policies_, r->used_details_);
  r->used_policies_ = r->used_details_ = 0;
  if (opt != NULL && opt->warnings != NULL)
    opt->warnings->count = 0;
  if (bad_arguments(json, len, opt, r))
    return failed(r, NULL, MTASTS_E_REPORT_ARGUMENT, 0);
  if (len > MTASTS_REPORT_MAX_SIZE)
    return failed(r, NULL, MTASTS_E_REPORT_TOO_LARGE, MTASTS_REPORT_MAX_SIZE);
  const unsigned char *p = (const unsigned char *)json;
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    return failed(r, NULL, MTASTS_E_JSON_BOM, 0);
  state s;
  memset(&s, 0, sizeof s);
  s.p = p;
  s.n = len;
  s.r = r;
  s.w = r->work;
  s.profile = opt != NULL ? opt->profile : MTASTS_STRICT;
  s.warn = opt != NULL ? opt->warnings : NULL;
  s.policy_over = s.detail_over = SIZE_MAX;
  if (!read_all(&s))
    return failed(r, &s, s.code, s.err);
  if (r->policy_needed > r->policy_cap)
    return failed(r, &s, MTASTS_E_REPORT_POLICY_CAPACITY, s.policy_over);
  if (r->detail_needed > r->detail_cap)
    return failed(r, &s, MTASTS_E_REPORT_DETAIL_CAPACITY, s.detail_over);
  r->policy_count = r->used_policies_ = r->policy_needed;
  r->detail_count = r->used_details_ = r->detail_needed;
  return MTASTS_REPORT_OK;
}

void mtasts_report_init(mtasts_report *r, mtasts_report_work *work, mtasts_report_policy *policies,
                        size_t policy_cap, mtasts_report_detail *details, size_t detail_cap) {
  if (r == NULL)
    return;
  memset(r, 0, sizeof *r);
  r->work = work;
  r->policies = policies;
  r->policy_cap = policy_cap;
  r->details = details;
  r->detail_cap = detail_cap;
  r->err_policy = r->err_detail = SIZE_MAX;
}
