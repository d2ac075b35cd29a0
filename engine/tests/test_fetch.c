/*
 * test_fetch.c - mtasts_fetch_accept: is an HTTPS response a policy?
 * RFC 8461 3.2 (P2), 3.3 (H5, H7) and rulings R8, R9, R18. Each row
 * names the sentence it checks.
 */
#include "testutil.h"

#include <string.h>

#include "mtasts_engine.h"

#define L(s) (sizeof(s) - 1)
#define S(s) (s), L(s)

static const char good_body[] = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                                "mx: *.example.net\r\nmax_age: 86400\r\n";

typedef struct row {
  const char *name;
  int status;
  bool redirected;
  const char *ctype; /* NULL: header absent */
  size_t ctype_len;
  const char *body;
  size_t body_len;
  mtasts_fetch_reason want;
  mtasts_rpt rpt;
  bool charset_warning;
  mtasts_code parse_code;
  size_t parse_offset;
} row;

#define TP S("text/plain")
#define BODY good_body, L(good_body)
#define FE MTASTS_RPT_STS_POLICY_FETCH_ERROR

static const row rows[] = {
    {"H5: 200 text/plain valid policy is accepted", 200, false, TP, BODY, MTASTS_FETCH_OK,
     MTASTS_RPT_NONE, false, MTASTS_OK, 0},
    {"H5: 3xx redirects MUST NOT be followed (even to a 200)", 200, true, TP, BODY,
     MTASTS_FETCH_REDIRECT, FE, false, MTASTS_OK, 0},
    {"H5: an unfollowed 301 is not 200", 301, false, TP, BODY, MTASTS_FETCH_STATUS, FE, false,
     MTASTS_OK, 0},
    {"H5: only valid if the HTTP response code is 200 (404)", 404, false, TP, BODY,
     MTASTS_FETCH_STATUS, FE, false, MTASTS_OK, 0},
    {"H5: 204 is not 200", 204, false, TP, S(""), MTASTS_FETCH_STATUS, FE, false, MTASTS_OK, 0},
    {"H5: 500", 500, false, TP, BODY, MTASTS_FETCH_STATUS, FE, false, MTASTS_OK, 0},
    {"H5 before P2: a redirect with a bad status is a redirect", 302, true, S("text/html"), BODY,
     MTASTS_FETCH_REDIRECT, FE, false, MTASTS_OK, 0},
    {"P2/R9: text/html is rejected", 200, false, S("text/html"), BODY, MTASTS_FETCH_MEDIA_TYPE, FE,
     false, MTASTS_OK, 0},
    {"P2/R9: application/octet-stream is rejected", 200, false, S("application/octet-stream"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: text/plainx is not text/plain", 200, false, S("text/plainx"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: plain/text is not text/plain", 200, false, S("plain/text"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: test/plain is not text/plain", 200, false, S("test/plain"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: text/plane is not text/plain", 200, false, S("text/plane"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: texts/plain is not text/plain", 200, false, S("texts/plain"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: a missing Content-Type is not text/plain", 200, false, NULL, 0, BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: an empty Content-Type is not text/plain", 200, false, "", 0, BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"P2/R9: a malformed Content-Type is not text/plain", 200, false, S("text/plain;charset"), BODY,
     MTASTS_FETCH_MEDIA_TYPE, FE, false, MTASTS_OK, 0},
    {"R9: compared case-insensitively", 200, false, S("Text/PLAIN"), BODY, MTASTS_FETCH_OK,
     MTASTS_RPT_NONE, false, MTASTS_OK, 0},
    {"P2: charset=utf-8 is fine", 200, false, S("text/plain; charset=utf-8"), BODY, MTASTS_FETCH_OK,
     MTASTS_RPT_NONE, false, MTASTS_OK, 0},
    {"P2: charset=us-ascii is fine", 200, false, S("text/plain; charset=\"US-ASCII\""), BODY,
     MTASTS_FETCH_OK, MTASTS_RPT_NONE, false, MTASTS_OK, 0},
    {"R9: another charset is accepted with a warning", 200, false,
     S("text/plain; charset=iso-8859-1"), BODY, MTASTS_FETCH_OK, MTASTS_RPT_NONE, true, MTASTS_OK,
     0},
    {"P2: additional parameters are ignored", 200, false, S("text/plain; format=flowed"), BODY,
     MTASTS_FETCH_OK, MTASTS_RPT_NONE, false, MTASTS_OK, 0},
    {"R8: a body that does not parse is a failed fetch", 200, false, TP,
     S("version: STSv1\nmode: bogus\nmax_age: 1\n"), MTASTS_FETCH_POLICY_INVALID,
     MTASTS_RPT_STS_POLICY_INVALID, false, MTASTS_E_POLICY_MODE, 21},
    {"R8: an empty body does not parse", 200, false, TP, S(""), MTASTS_FETCH_POLICY_INVALID,
     MTASTS_RPT_STS_POLICY_INVALID, false, MTASTS_E_EMPTY, 0},
    {"R8: a body NULL with a length is an argument error, not a policy", 200, false, TP, NULL, 5,
     MTASTS_FETCH_POLICY_INVALID, MTASTS_RPT_STS_POLICY_INVALID, false, MTASTS_E_ARGUMENT, 0},
    {"R9 warning survives a parse failure", 200, false, S("text/plain; charset=latin1"),
     S("mode: none\n"), MTASTS_FETCH_POLICY_INVALID, MTASTS_RPT_STS_POLICY_INVALID, true,
     MTASTS_E_POLICY_MISSING_VERSION, 11},
};

static void check_row(const row *r, const char *body) {
  mtasts_http_response resp = {r->status,    r->redirected, r->ctype == NULL ? NULL : r->ctype,
                               r->ctype_len, body,          r->body_len};
  mtasts_mx mx[4];
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_policy p;
  mtasts_policy_init(&p, mx, 4, ext, MTASTS_MAX_EXTENSIONS);
  mtasts_fetch_verdict v;
  poison(&v, sizeof v);
  mtasts_fetch_reason got = mtasts_fetch_accept(&resp, NULL, &p, &v);
  if (got != r->want || v.reason != r->want)
    fail_msg("%s: got %s, want %s", r->name, mtasts_fetch_reason_name(got),
             mtasts_fetch_reason_name(r->want));
  if (v.rpt != r->rpt)
    fail_msg("%s: rpt \"%s\", want \"%s\"", r->name, mtasts_rpt_name(v.rpt),
             mtasts_rpt_name(r->rpt));
  if (v.charset_warning != r->charset_warning)
    fail_msg("%s: charset warning %d", r->name, v.charset_warning);
  assert_code_at(r->name, v.parse_code, v.parse_offset, r->parse_code, r->parse_offset);
}

static void test_fetch_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *r = &rows[i];
    const char *body = r->body == NULL ? NULL : guard_copy_slot(1, r->body, r->body_len);
    check_row(r, body);
  }
}

/* The accepted policy is the parser's result, with spans into the body. */
static void test_fetch_ok_fills_policy(void **state) {
  (void)state;
  const char *body = guard_copy(good_body, L(good_body));
  mtasts_http_response resp = {200, false, S("text/plain"), body, L(good_body)};
  mtasts_mx mx[4];
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_policy p;
  mtasts_policy_init(&p, mx, 4, ext, MTASTS_MAX_EXTENSIONS);
  mtasts_fetch_verdict v;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_OK);
  assert_int_equal(p.mode, MTASTS_MODE_ENFORCE);
  assert_int_equal(p.max_age, 86400);
  assert_int_equal(p.mx_count, 2);
  assert_ptr_equal(p.mx[1].pattern.ptr, body + 57);
  assert_int_equal(p.mx[1].pattern.len, 13);
  /* The media type spans point into the header value. */
  assert_ptr_equal(v.media.subtype.ptr, resp.content_type + 5);
  assert_int_equal(v.media.subtype.len, 5);
}

/* R18 and H7: 65536 octets is the cap; one more is too large, decided
 * from the length alone (the body pointer is never read). */
static void test_fetch_size_limit(void **state) {
  (void)state;
  static char big[MTASTS_POLICY_MAX_SIZE + 1];
  const char head[] = "version: STSv1\nmode: none\nmax_age: 1\nx: ";
  memcpy(big, head, L(head));
  memset(big + L(head), 'a', MTASTS_POLICY_MAX_SIZE - L(head));
  const char *b = guard_copy(big, MTASTS_POLICY_MAX_SIZE);
  mtasts_http_response resp = {200, false, S("text/plain"), b, MTASTS_POLICY_MAX_SIZE};
  mtasts_ext ext[1];
  mtasts_policy p;
  mtasts_policy_init(&p, NULL, 0, ext, 1);
  mtasts_fetch_verdict v;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_OK);
  assert_int_equal(p.mode, MTASTS_MODE_NONE);

  resp.body = "x"; /* not readable that far: must not be read */
  resp.body_len = MTASTS_POLICY_MAX_SIZE + 1;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_TOO_LARGE);
  assert_int_equal(v.rpt, MTASTS_RPT_STS_POLICY_FETCH_ERROR);
  assert_int_equal(v.parse_code, MTASTS_OK);
}

/* A valid policy with more mx lines than the caller's array is the
 * caller's problem: no report, retry with mx_needed. */
static void test_fetch_mx_capacity(void **state) {
  (void)state;
  const char *body = guard_copy(good_body, L(good_body));
  mtasts_http_response resp = {200, false, S("text/plain"), body, L(good_body)};
  mtasts_mx mx[1];
  mtasts_policy p;
  mtasts_policy_init(&p, mx, 1, NULL, 0);
  mtasts_fetch_verdict v;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_CAPACITY);
  assert_int_equal(v.rpt, MTASTS_RPT_NONE);
  assert_code_at("capacity", v.parse_code, v.parse_offset, MTASTS_E_MX_CAPACITY, 53);
  assert_int_equal(p.mx_needed, 2);
}

/* So is a valid policy with more extensions than the caller's ext array. */
static void test_fetch_ext_capacity(void **state) {
  (void)state;
  static const char body[] = "version: STSv1\nmode: none\nmax_age: 1\na: 1\nb: 2\n";
  const char *b = guard_copy(body, L(body));
  mtasts_http_response resp = {200, false, S("text/plain"), b, L(body)};
  mtasts_ext ext[1];
  mtasts_policy p;
  mtasts_policy_init(&p, NULL, 0, ext, 1);
  mtasts_fetch_verdict v;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_CAPACITY);
  assert_int_equal(v.rpt, MTASTS_RPT_NONE);
  assert_code_at("ext capacity", v.parse_code, v.parse_offset, MTASTS_E_EXT_CAPACITY,
                 L("version: STSv1\nmode: none\nmax_age: 1\na: 1\n"));
  assert_int_equal(p.ext_needed, 2);
}

/* Lenient profile goes through to the parser (R7 deviation 1). */
static void test_fetch_passes_options(void **state) {
  (void)state;
  const char body[] = "version: STSv1\nmode: none\nmax_age: 1\n\n";
  const char *b = guard_copy(body, L(body));
  mtasts_http_response resp = {200, false, S("text/plain"), b, L(body)};
  mtasts_policy p;
  mtasts_policy_init(&p, NULL, 0, NULL, 0);
  mtasts_fetch_verdict v;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_POLICY_INVALID);
  assert_int_equal(v.parse_code, MTASTS_E_POLICY_BLANK_LINE);
  mtasts_diag d[2];
  mtasts_diags w = {d, 2, 0};
  mtasts_options o = {MTASTS_LENIENT, 0, &w};
  assert_int_equal(mtasts_fetch_accept(&resp, &o, &p, &v), MTASTS_FETCH_OK);
  assert_int_equal(w.count, 1);
  assert_int_equal(d[0].code, MTASTS_W_POLICY_TRAILING_BLANK);
}

static void test_fetch_arguments(void **state) {
  (void)state;
  mtasts_http_response resp = {200, false, S("text/plain"), S("x")};
  mtasts_policy p;
  mtasts_policy_init(&p, NULL, 0, NULL, 0);
  mtasts_fetch_verdict v;
  poison(&v, sizeof v);
  assert_int_equal(mtasts_fetch_accept(NULL, NULL, &p, &v), MTASTS_FETCH_POLICY_INVALID);
  assert_int_equal(v.parse_code, MTASTS_E_ARGUMENT);
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, NULL, &v), MTASTS_FETCH_POLICY_INVALID);
  assert_int_equal(v.parse_code, MTASTS_E_ARGUMENT);
  /* The verdict is optional. */
  resp.redirected = true;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, NULL), MTASTS_FETCH_REDIRECT);
  /* A NULL Content-Type with a length is no media type. */
  resp.redirected = false;
  resp.content_type = NULL;
  assert_int_equal(mtasts_fetch_accept(&resp, NULL, &p, &v), MTASTS_FETCH_MEDIA_TYPE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fetch_rows),         cmocka_unit_test(test_fetch_ok_fills_policy),
      cmocka_unit_test(test_fetch_size_limit),   cmocka_unit_test(test_fetch_mx_capacity),
      cmocka_unit_test(test_fetch_ext_capacity), cmocka_unit_test(test_fetch_passes_options),
      cmocka_unit_test(test_fetch_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
