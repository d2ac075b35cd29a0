/*
 * mtasts-adapter - the conformance adapter for this project's parser
 * (protocol version 1, conformance/ADAPTERS.md).
 *
 * A thin translator: it decodes each request, calls the public API
 * (mtasts.h; mtasts_report.h for tlsrpt-report) and encodes what the API
 * returned. It never judges input itself. Every kind, both profiles.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"
#include "mtasts_report.h"

/* The largest mx array a policy can need (see MTASTS_POLICY_MAX_MX); static
 * because it is large and the adapter handles one request at a time. */
static mtasts_mx mx_storage[MTASTS_POLICY_MAX_MX];

enum { MAX_WARNINGS = 64 };

typedef struct request {
  long long tc_id;
  const char *kind;
  mtasts_options opt;
  mtasts_diag warning_items[MAX_WARNINGS];
  mtasts_diags warnings;
} request;

typedef struct answer {
  json_t *obj; /* the response being built */
} answer;

/* ---------------------------------------------------------- decoding */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes a JSON hex string into a fresh buffer. NULL on bad input. */
static unsigned char *decode_hex(const json_t *value, size_t *len) {
  if (!json_is_string(value))
    return NULL;
  const char *hex = json_string_value(value);
  size_t n = json_string_length(value);
  if (n % 2)
    return NULL;
  unsigned char *out = malloc(n / 2 + 1); /* +1: never malloc(0) */
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i += 2) {
    int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      free(out);
      return NULL;
    }
    out[i / 2] = (unsigned char)(hi << 4 | lo);
  }
  *len = n / 2;
  return out;
}

/* One RR's character-strings: the decoded bytes and the chunks over them. */
typedef struct strings {
  mtasts_chunk *chunks;
  unsigned char **bytes;
  size_t count;
} strings;

static void strings_free(strings *s) {
  for (size_t i = 0; i < s->count; i++)
    free(s->bytes[i]);
  free(s->bytes);
  free(s->chunks);
  memset(s, 0, sizeof *s);
}

static bool strings_decode(const json_t *list, strings *s) {
  memset(s, 0, sizeof *s);
  if (!json_is_array(list))
    return false;
  size_t n = json_array_size(list);
  s->chunks = calloc(n + 1, sizeof *s->chunks);
  s->bytes = calloc(n + 1, sizeof *s->bytes);
  if (!s->chunks || !s->bytes)
    return false;
  for (size_t i = 0; i < n; i++) {
    size_t len = 0;
    s->bytes[i] = decode_hex(json_array_get(list, i), &len);
    s->count = i + 1;
    if (!s->bytes[i])
      return false;
    s->chunks[i].ptr = (const char *)s->bytes[i];
    s->chunks[i].len = len;
  }
  return true;
}

typedef struct rrset {
  strings *rrs;
  mtasts_rr *view;
  size_t count;
} rrset;

static void rrset_free(rrset *r) {
  for (size_t i = 0; i < r->count; i++)
    strings_free(&r->rrs[i]);
  free(r->rrs);
  free(r->view);
  memset(r, 0, sizeof *r);
}

static bool rrset_decode(const json_t *list, rrset *r) {
  memset(r, 0, sizeof *r);
  if (!json_is_array(list))
    return false;
  size_t n = json_array_size(list);
  r->rrs = calloc(n + 1, sizeof *r->rrs);
  r->view = calloc(n + 1, sizeof *r->view);
  if (!r->rrs || !r->view)
    return false;
  for (size_t i = 0; i < n; i++) {
    r->count = i + 1;
    if (!strings_decode(json_array_get(list, i), &r->rrs[i]))
      return false;
    r->view[i].strings = r->rrs[i].chunks;
    r->view[i].count = r->rrs[i].count;
  }
  return true;
}

/* ---------------------------------------------------------- encoding */

/* The fields are ASCII by grammar; should a parser bug ever hand back other
 * bytes, they are shown as \xNN rather than lost, so the runner reports a
 * field mismatch instead of the adapter failing. */
static json_t *exact_string(const char *bytes, size_t len) {
  json_t *s = json_stringn(bytes, len);
  if (s)
    return s;
  char *esc = malloc(len * 4 + 1);
  size_t o = 0;
  for (size_t i = 0; esc && i < len; i++) {
    unsigned char c = (unsigned char)bytes[i];
    if (c < 0x80) {
      esc[o++] = (char)c;
    } else {
      snprintf(esc + o, 5, "\\x%02x", c);
      o += 4;
    }
  }
  s = esc ? json_stringn(esc, o) : json_string("");
  free(esc);
  return s;
}

static json_t *txt_span_string(const mtasts_txt *t, mtasts_span span) {
  char buf[MTASTS_TXT_MAX_SIZE];
  size_t n = mtasts_txt_copy(t, span, buf, sizeof buf);
  return exact_string(buf, n < sizeof buf ? n : sizeof buf);
}

static json_t *tlsrpt_span_string(const mtasts_tlsrpt *t, mtasts_span span) {
  char buf[MTASTS_TXT_MAX_SIZE];
  size_t n = mtasts_tlsrpt_copy(t, span, buf, sizeof buf);
  return exact_string(buf, n < sizeof buf ? n : sizeof buf);
}

static json_t *span_string(mtasts_span span) {
  return exact_string(span.ptr ? span.ptr : "", span.len);
}

static void set_failure(answer *a, mtasts_code code, size_t offset) {
  json_object_set_new(a->obj, "result", json_string("invalid"));
  json_object_set_new(a->obj, "error", json_string(mtasts_errname(code)));
  json_object_set_new(a->obj, "offset", json_integer((json_int_t)offset));
}

static void set_valid(answer *a, json_t *fields, const request *rq) {
  json_object_set_new(a->obj, "result", json_string("valid"));
  json_object_set_new(a->obj, "fields", fields);
  /* Extension of the protocol (optional member): the warnings, in order,
   * so the runner can compare them with a vector's "warnings". */
  json_t *names = json_array();
  size_t stored = rq->warnings.count < MAX_WARNINGS ? rq->warnings.count : MAX_WARNINGS;
  for (size_t i = 0; i < stored; i++)
    json_array_append_new(names, json_string(mtasts_errname(rq->warnings.items[i].code)));
  json_object_set_new(a->obj, "warnings", names);
}

static void set_bad_request(answer *a, const char *what) {
  json_object_set_new(a->obj, "result", json_string("unsupported"));
  json_object_set_new(a->obj, "error", json_string(what));
}

/* ---------------------------------------------------------- the kinds */

static void txt_result(answer *a, const request *rq, mtasts_code code, const mtasts_txt *t) {
  if (code != MTASTS_OK) {
    set_failure(a, code, t->err_offset);
    return;
  }
  json_t *fields = json_object();
  json_object_set_new(fields, "id", txt_span_string(t, t->id));
  set_valid(a, fields, rq);
}

static void tlsrpt_result(answer *a, const request *rq, mtasts_code code, const mtasts_tlsrpt *t) {
  if (code != MTASTS_OK) {
    set_failure(a, code, t->err_offset);
    return;
  }
  json_t *rua = json_array();
  for (size_t i = 0; i < t->rua_count; i++)
    json_array_append_new(rua, tlsrpt_span_string(t, t->rua[i].uri));
  json_t *fields = json_object();
  json_object_set_new(fields, "rua", rua);
  set_valid(a, fields, rq);
}

/* The result of each kind, with room for every extension and URI (the
 * vectors hold up to MTASTS_MAX_EXTENSIONS and MTASTS_MAX_RUA). */
static mtasts_txt *txt_out(void) {
  static mtasts_txt t;
  static mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_txt_init(&t, ext, MTASTS_MAX_EXTENSIONS);
  return &t;
}

static mtasts_tlsrpt *tlsrpt_out(void) {
  static mtasts_tlsrpt t;
  static mtasts_rua rua[MTASTS_MAX_RUA];
  static mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_tlsrpt_init(&t, rua, MTASTS_MAX_RUA, ext, MTASTS_MAX_EXTENSIONS);
  return &t;
}

static void do_record(answer *a, const request *rq, const json_t *in, bool tlsrpt) {
  size_t len = 0;
  unsigned char *bytes = decode_hex(json_object_get(in, "inputHex"), &len);
  if (!bytes) {
    set_bad_request(a, "bad request: inputHex missing or not hex");
    return;
  }
  if (tlsrpt) {
    mtasts_tlsrpt *t = tlsrpt_out();
    tlsrpt_result(a, rq, mtasts_tlsrpt_parse((const char *)bytes, len, &rq->opt, t), t);
  } else {
    mtasts_txt *t = txt_out();
    txt_result(a, rq, mtasts_txt_parse((const char *)bytes, len, &rq->opt, t), t);
  }
  free(bytes);
}

static void do_strings(answer *a, const request *rq, const json_t *in) {
  strings s;
  if (!strings_decode(json_object_get(in, "stringsHex"), &s)) {
    set_bad_request(a, "bad request: stringsHex missing or not a list of hex strings");
  } else {
    mtasts_txt *t = txt_out();
    txt_result(a, rq, mtasts_txt_parse_strings(s.chunks, s.count, &rq->opt, t), t);
  }
  strings_free(&s);
}

static void do_rrset(answer *a, const request *rq, const json_t *in, bool tlsrpt) {
  rrset r;
  if (!rrset_decode(json_object_get(in, "rrsetHex"), &r)) {
    set_bad_request(a, "bad request: rrsetHex missing or not a list of lists of hex strings");
  } else if (tlsrpt) {
    mtasts_tlsrpt *t = tlsrpt_out();
    mtasts_rrset_result sel;
    tlsrpt_result(a, rq, mtasts_tlsrpt_select(r.view, r.count, &rq->opt, &sel, t), t);
  } else {
    mtasts_txt *t = txt_out();
    mtasts_rrset_result sel;
    txt_result(a, rq, mtasts_txt_select(r.view, r.count, &rq->opt, &sel, t), t);
  }
  rrset_free(&r);
}

/* The parser's name, but "" for UNSET (which the parser names "none"):
 * the adapter protocol's "mode" of a policy without one is empty. */
static const char *mode_name(mtasts_mode m) {
  return m == MTASTS_MODE_UNSET ? "" : mtasts_mode_name(m);
}

static void do_policy(answer *a, const request *rq, const json_t *in) {
  size_t len = 0;
  unsigned char *bytes = decode_hex(json_object_get(in, "inputHex"), &len);
  if (!bytes) {
    set_bad_request(a, "bad request: inputHex missing or not hex");
    return;
  }
  static mtasts_policy p;
  static mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_policy_init(&p, mx_storage, MTASTS_POLICY_MAX_MX, ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse((const char *)bytes, len, &rq->opt, &p);
  if (code != MTASTS_OK) {
    set_failure(a, code, p.err_offset);
  } else {
    json_t *fields = json_object();
    json_object_set_new(fields, "version", span_string(p.version));
    /* The enum is what the API decided; mode_text only says where. */
    json_object_set_new(fields, "mode", json_string(mode_name(p.mode)));
    json_object_set_new(fields, "max_age", json_integer((json_int_t)p.max_age));
    json_t *mx = json_array();
    for (size_t i = 0; i < p.mx_count; i++)
      json_array_append_new(mx, span_string(p.mx[i].pattern));
    json_object_set_new(fields, "mx", mx);
    set_valid(a, fields, rq);
  }
  free(bytes);
}

static const char *match_name(mtasts_match m) {
  switch (m) {
  case MTASTS_MATCH_BAD_HOST:
    return "MATCH_BAD_HOST";
  case MTASTS_MATCH_BAD_PATTERN:
    return "MATCH_BAD_PATTERN";
  case MTASTS_MATCH_NONE:
    return "MATCH_NONE";
  case MTASTS_MATCH_EXACT:
    return "MATCH_EXACT";
  case MTASTS_MATCH_WILDCARD:
    return "MATCH_WILDCARD";
  }
  return "UNKNOWN";
}

static void do_mx_match(answer *a, const json_t *in) {
  const json_t *pattern = json_object_get(in, "pattern");
  const json_t *host = json_object_get(in, "host");
  if (!json_is_string(pattern) || !json_is_string(host)) {
    set_bad_request(a, "bad request: pattern and host must be strings");
    return;
  }
  mtasts_match m = mtasts_mx_match(json_string_value(pattern), json_string_length(pattern),
                                   json_string_value(host), json_string_length(host));
  if (m > 0) {
    json_object_set_new(a->obj, "result", json_string("valid"));
    json_object_set_new(a->obj, "fields", json_object());
  } else {
    /* mx matching has no error code; the match enum's name says why not. */
    json_object_set_new(a->obj, "result", json_string("invalid"));
    json_object_set_new(a->obj, "error", json_string(match_name(m)));
  }
}

/* ---------------------------------------------------------- reports */

/* tlsrpt-report: one aggregate report through report/ (mtasts_report.h),
 * a sizing pass and then the parse into arrays of the size it asked for. */
static mtasts_report_work report_work;

static json_t *report_string(mtasts_span s) {
  if (s.ptr == NULL)
    return json_null();
  size_t n = mtasts_report_copy(s, NULL, 0);
  char *buf = malloc(n + 1);
  if (buf == NULL)
    return json_null();
  mtasts_report_copy(s, buf, n);
  json_t *j = exact_string(buf, n);
  free(buf);
  return j;
}

static json_t *report_strings(mtasts_span array) {
  if (array.ptr == NULL)
    return json_null();
  json_t *list = json_array();
  size_t pos = 0;
  mtasts_span item;
  while (mtasts_report_next(array, &pos, &item))
    json_array_append_new(list, report_string(item));
  return list;
}

static json_t *report_detail(const mtasts_report_detail *d) {
  json_t *o = json_object();
  json_object_set_new(o, "result-type", report_string(d->result_text));
  json_object_set_new(o, "failed-session-count", json_integer((json_int_t)d->failed_session_count));
  json_object_set_new(o, "sending-mta-ip", report_string(d->sending_mta_ip));
  json_object_set_new(o, "receiving-ip", report_string(d->receiving_ip));
  json_object_set_new(o, "receiving-mx-hostname", report_string(d->receiving_mx_hostname));
  return o;
}

static json_t *report_policy(const mtasts_report *r, const mtasts_report_policy *p) {
  json_t *o = json_object();
  json_object_set_new(o, "policy-type", report_string(p->type_text));
  json_object_set_new(o, "policy-domain", report_string(p->domain));
  json_object_set_new(o, "mx-host", report_strings(p->mx_host));
  json_object_set_new(o, "total-successful-session-count",
                      json_integer((json_int_t)p->total_successful));
  json_object_set_new(o, "total-failure-session-count", json_integer((json_int_t)p->total_failure));
  json_t *details = json_array();
  for (size_t i = 0; i < p->detail_count; i++)
    json_array_append_new(details, report_detail(&r->details[p->detail_first + i]));
  json_object_set_new(o, "failure-details", details);
  return o;
}

static json_t *report_fields(const mtasts_report *r) {
  json_t *o = json_object();
  json_object_set_new(o, "organization-name", report_string(r->organization_name));
  json_object_set_new(o, "start-time", json_integer((json_int_t)r->start_time));
  json_object_set_new(o, "end-time", json_integer((json_int_t)r->end_time));
  json_object_set_new(o, "contact-info", report_string(r->contact_info));
  json_object_set_new(o, "report-id", report_string(r->report_id));
  json_t *policies = json_array();
  for (size_t i = 0; i < r->policy_count; i++)
    json_array_append_new(policies, report_policy(r, &r->policies[i]));
  json_object_set_new(o, "policies", policies);
  return o;
}

static void do_report(answer *a, const request *rq, const json_t *in) {
  size_t len = 0;
  unsigned char *bytes = decode_hex(json_object_get(in, "inputHex"), &len);
  if (!bytes) {
    set_bad_request(a, "bad request: inputHex missing or not hex");
    return;
  }
  static mtasts_report_diag items[MAX_WARNINGS];
  mtasts_report_diags warnings = {items, MAX_WARNINGS, 0};
  mtasts_report_options opt = {rq->opt.profile, &warnings};
  mtasts_report r;
  mtasts_report_init(&r, &report_work, NULL, 0, NULL, 0);
  mtasts_report_code code = mtasts_report_parse((const char *)bytes, len, &opt, &r);
  mtasts_report_policy *pol = NULL;
  mtasts_report_detail *det = NULL;
  if (code == MTASTS_E_REPORT_POLICY_CAPACITY || code == MTASTS_E_REPORT_DETAIL_CAPACITY) {
    pol = calloc(r.policy_needed + 1, sizeof *pol);
    det = calloc(r.detail_needed + 1, sizeof *det);
    size_t np = r.policy_needed, nd = r.detail_needed;
    mtasts_report_init(&r, &report_work, pol, pol ? np : 0, det, det ? nd : 0);
    code = mtasts_report_parse((const char *)bytes, len, &opt, &r);
  }
  json_object_set_new(a->obj, "result",
                      json_string(code == MTASTS_REPORT_OK ? "valid" : "invalid"));
  if (code == MTASTS_REPORT_OK) {
    json_object_set_new(a->obj, "fields", report_fields(&r));
    json_t *names = json_array();
    size_t stored = warnings.count < MAX_WARNINGS ? warnings.count : MAX_WARNINGS;
    for (size_t i = 0; i < stored; i++)
      json_array_append_new(names, json_string(mtasts_report_errname(items[i].code)));
    json_object_set_new(a->obj, "warnings", names);
  } else {
    json_object_set_new(a->obj, "error", json_string(mtasts_report_errname(code)));
    json_object_set_new(a->obj, "offset", json_integer((json_int_t)r.err_offset));
  }
  free(pol);
  free(det);
  free(bytes);
}

/* ---------------------------------------------------------- the loop */

static void dispatch(answer *a, request *rq, const json_t *in) {
  const char *k = rq->kind;
  if (strcmp(k, "txt-record") == 0)
    do_record(a, rq, in, false);
  else if (strcmp(k, "tlsrpt-record") == 0)
    do_record(a, rq, in, true);
  else if (strcmp(k, "txt-strings") == 0)
    do_strings(a, rq, in);
  else if (strcmp(k, "txt-rrset") == 0)
    do_rrset(a, rq, in, false);
  else if (strcmp(k, "tlsrpt-rrset") == 0)
    do_rrset(a, rq, in, true);
  else if (strcmp(k, "policy") == 0)
    do_policy(a, rq, in);
  else if (strcmp(k, "mx-match") == 0)
    do_mx_match(a, in);
  else if (strcmp(k, "tlsrpt-report") == 0)
    do_report(a, rq, in);
  else
    set_bad_request(a, "unknown kind");
}

static json_t *handle(const char *line, size_t len) {
  json_error_t jerr;
  json_t *in = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
  answer a = {.obj = json_object()};
  request rq;
  memset(&rq, 0, sizeof rq);
  json_t *id = json_object_get(in, "tcId");
  rq.tc_id = json_is_integer(id) ? json_integer_value(id) : -1;
  json_object_set_new(a.obj, "tcId", json_integer(rq.tc_id));
  const char *kind = json_string_value(json_object_get(in, "kind"));
  const char *profile = json_string_value(json_object_get(in, "profile"));
  rq.warnings.items = rq.warning_items;
  rq.warnings.cap = MAX_WARNINGS;
  rq.opt.warnings = &rq.warnings;
  rq.opt.profile = MTASTS_STRICT;
  if (!in || !json_is_object(in) || !kind) {
    set_bad_request(&a, "bad request: not a JSON object with tcId and kind");
  } else if (profile && strcmp(profile, "strict") != 0 && strcmp(profile, "lenient") != 0) {
    set_bad_request(&a, "bad request: profile must be strict or lenient");
  } else {
    if (profile && strcmp(profile, "lenient") == 0)
      rq.opt.profile = MTASTS_LENIENT;
    rq.kind = kind;
    dispatch(&a, &rq, in);
  }
  json_decref(in);
  return a.obj;
}

int main(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    size_t len = (size_t)n;
    if (len && line[len - 1] == '\n')
      len--;
    json_t *resp = handle(line, len);
    char *out = json_dumps(resp, JSON_COMPACT);
    json_decref(resp);
    if (!out || fputs(out, stdout) == EOF || putchar('\n') == EOF || fflush(stdout) == EOF) {
      free(out);
      free(line);
      return 1;
    }
    free(out);
  }
  free(line);
  return ferror(stdin) ? 1 : 0;
}
