/*
 * test_adapter - mtasts-adapter speaks protocol version 1 and translates
 * faithfully: each answer is compared with what the public API itself
 * returns for the same bytes, and malformed requests get an answer instead
 * of a crash. Independent of vectors/.
 *
 * CONF_ADAPTER: the adapter's path (from CMake).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <jansson.h>

#include "mtasts.h"
#include "proc.h"
#include "text.h"

static adapter_proc adapter;
static char *adapter_argv[] = {(char *)(uintptr_t)CONF_ADAPTER, NULL};

static int start(void **state) {
  (void)state;
  proc_init(&adapter, adapter_argv, NULL, NULL);
  sbuf err;
  sb_init(&err);
  bool ok = proc_start(&adapter, &err);
  if (!ok)
    fprintf(stderr, "%s\n", sb_str(&err));
  sb_free(&err);
  return ok ? 0 : -1;
}

static int stop(void **state) {
  (void)state;
  /* At EOF the adapter exits 0 (protocol). */
  sbuf how;
  sb_init(&how);
  bool clean = proc_finish(&adapter, 2000, &how);
  if (!clean)
    fprintf(stderr, "adapter: %s\n", sb_str(&how));
  sb_free(&how);
  return clean ? 0 : -1;
}

/* Sends one request line, returns the answer (caller frees). */
static char *ask(const char *request) {
  sbuf line;
  sb_init(&line);
  sb_printf(&line, "%s\n", request);
  const char *answer;
  size_t len;
  proc_status st = proc_exchange(&adapter, line.data, line.len, 5000, &answer, &len);
  sb_free(&line);
  assert_int_equal(st, PROC_OK);
  char *copy = xmalloc(len + 1);
  memcpy(copy, answer, len);
  copy[len] = '\0';
  return copy;
}

static void expect(const char *request, const char *answer) {
  char *got = ask(request);
  if (strcmp(got, answer) != 0)
    fprintf(stderr, "request: %s\n", request);
  assert_string_equal(got, answer);
  free(got);
}

static char *hex(const char *bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  char *out = xmalloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[(unsigned char)bytes[i] >> 4];
    out[2 * i + 1] = digits[(unsigned char)bytes[i] & 15];
  }
  out[2 * n] = '\0';
  return out;
}

/* The answer the adapter must give for a failed parse, from the API. */
static char *invalid_answer(long long tc_id, mtasts_code code, size_t offset) {
  sbuf b;
  sb_init(&b);
  sb_printf(&b, "{\"tcId\":%lld,\"result\":\"invalid\",\"error\":\"%s\",\"offset\":%zu}", tc_id,
            mtasts_errname(code), offset);
  return sb_take(&b);
}

static void record_kinds(void **state) {
  (void)state;
  expect("{\"tcId\":1,\"kind\":\"txt-record\",\"inputHex\":\"763d53545376313b2069643d6162633b\"}",
         "{\"tcId\":1,\"result\":\"valid\",\"fields\":{\"id\":\"abc\"},\"warnings\":[]}");
  /* the profile may be absent (strict) or given */
  const char *bad = "v=STSv1; id=a-b;";
  char *h = hex(bad, strlen(bad));
  mtasts_txt t;
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_txt_parse(bad, strlen(bad), NULL, &t);
  assert_int_not_equal(code, MTASTS_OK);
  char *want = invalid_answer(2, code, t.err_offset);
  char req[256];
  snprintf(req, sizeof req,
           "{\"tcId\":2,\"kind\":\"txt-record\",\"profile\":\"strict\",\"inputHex\":\"%s\"}", h);
  expect(req, want);
  free(want);
  free(h);
  /* lenient: the deviation is accepted and warned about */
  const char *wsp = "v=STSv1; id=abc ";
  h = hex(wsp, strlen(wsp));
  snprintf(req, sizeof req,
           "{\"tcId\":3,\"kind\":\"txt-record\",\"profile\":\"lenient\",\"inputHex\":\"%s\"}", h);
  expect(req, "{\"tcId\":3,\"result\":\"valid\",\"fields\":{\"id\":\"abc\"},\"warnings\":["
              "\"W_TXT_TRAILING_WSP\"]}");
  free(h);
  const char *rpt = "v=TLSRPTv1; rua=gopher://x,mailto:a@b.example,https://r.example/x";
  h = hex(rpt, strlen(rpt));
  snprintf(req, sizeof req,
           "{\"tcId\":4,\"kind\":\"tlsrpt-record\",\"profile\":\"lenient\",\"inputHex\":\"%s\"}",
           h);
  expect(req, "{\"tcId\":4,\"result\":\"valid\",\"fields\":{\"rua\":[\"mailto:a@b.example\","
              "\"https://r.example/x\"]},\"warnings\":[\"W_RUA_SKIPPED\"]}");
  mtasts_tlsrpt r;
  mtasts_rua r_rua[MTASTS_MAX_RUA];
  mtasts_ext r_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_tlsrpt_init(&r, r_rua, MTASTS_MAX_RUA, r_ext, MTASTS_MAX_EXTENSIONS);
  code = mtasts_tlsrpt_parse(rpt, strlen(rpt), NULL, &r);
  assert_int_not_equal(code, MTASTS_OK);
  want = invalid_answer(5, code, r.err_offset);
  snprintf(req, sizeof req, "{\"tcId\":5,\"kind\":\"tlsrpt-record\",\"inputHex\":\"%s\"}", h);
  expect(req, want);
  free(want);
  free(h);
}

static void strings_and_rrsets(void **state) {
  (void)state;
  /* "id=abc" straddles the strings: the adapter gathers it (ptr == NULL) */
  expect("{\"tcId\":10,\"kind\":\"txt-strings\",\"stringsHex\":[\"763d53545376313b2069643d61\","
         "\"6263\",\"3b\"]}",
         "{\"tcId\":10,\"result\":\"valid\",\"fields\":{\"id\":\"abc\"},\"warnings\":[]}");
  /* the selected record of an RRset, beside an unrelated one */
  expect("{\"tcId\":11,\"kind\":\"txt-rrset\",\"rrsetHex\":[[\"763d737066312d616c6c\"],"
         "[\"763d53545376313b\",\"2069643d78797a\"]]}",
         "{\"tcId\":11,\"result\":\"valid\",\"fields\":{\"id\":\"xyz\"},\"warnings\":[]}");
  expect("{\"tcId\":12,\"kind\":\"txt-rrset\",\"rrsetHex\":[]}",
         "{\"tcId\":12,\"result\":\"invalid\",\"error\":\"E_RRSET_NONE\",\"offset\":0}");
  /* a URI straddling strings in a TLSRPT RRset */
  expect("{\"tcId\":13,\"kind\":\"tlsrpt-rrset\",\"rrsetHex\":[["
         "\"763d544c5352505476313b207275613d6d6169\","
         "\"6c746f3a6140622e6578616d706c65\"]]}",
         "{\"tcId\":13,\"result\":\"valid\",\"fields\":{\"rua\":[\"mailto:a@b.example\"]},"
         "\"warnings\":[]}");
}

static void policies(void **state) {
  (void)state;
  const char *body = "\xef\xbb\xbfversion: STSv1\r\nmode: testing\r\nmx: *.Example.net\r\nmx: "
                     "mail.example.com\r\nmax_age: 0099999999\r\n";
  char *h = hex(body, strlen(body));
  sbuf req;
  sb_init(&req);
  sb_printf(&req, "{\"tcId\":20,\"kind\":\"policy\",\"profile\":\"lenient\",\"inputHex\":\"%s\"}",
            h);
  expect(sb_str(&req), "{\"tcId\":20,\"result\":\"valid\",\"fields\":{\"version\":\"STSv1\","
                       "\"mode\":\"testing\",\"max_age\":31557600,\"mx\":[\"*.Example.net\","
                       "\"mail.example.com\"]},\"warnings\":[\"W_POLICY_BOM\","
                       "\"W_POLICY_MAX_AGE_CLAMPED\"]}");
  /* strict: the BOM is an error, at the offset the API gives */
  mtasts_policy p;
  mtasts_policy_init(&p, NULL, 0, NULL, 0);
  mtasts_code code = mtasts_policy_parse(body, strlen(body), NULL, &p);
  assert_int_equal(code, MTASTS_E_POLICY_BOM);
  char *want = invalid_answer(21, code, p.err_offset);
  sb_reset(&req);
  sb_printf(&req, "{\"tcId\":21,\"kind\":\"policy\",\"inputHex\":\"%s\"}", h);
  expect(sb_str(&req), want);
  free(want);
  free(h);
  /* the largest policy: every mx of MTASTS_POLICY_MAX_MX fits */
  sbuf big;
  sb_init(&big);
  sb_puts(&big, "version: STSv1\nmode: enforce\nmax_age: 1\n");
  size_t mx = 0;
  while (big.len + 5 <= MTASTS_POLICY_MAX_SIZE) {
    sb_puts(&big, "mx:a\n");
    mx++;
  }
  h = hex(big.data, big.len);
  sb_reset(&req);
  sb_printf(&req, "{\"tcId\":22,\"kind\":\"policy\",\"inputHex\":\"%s\"}", h);
  char *got = ask(sb_str(&req));
  json_error_t err;
  json_t *answer = json_loads(got, 0, &err);
  assert_non_null(answer);
  assert_string_equal(json_string_value(json_object_get(answer, "result")), "valid");
  assert_int_equal(json_array_size(json_object_get(json_object_get(answer, "fields"), "mx")), mx);
  json_decref(answer);
  free(got);
  free(h);
  sb_free(&big);
  sb_free(&req);
}

static void mx_matching(void **state) {
  (void)state;
  expect("{\"tcId\":30,\"kind\":\"mx-match\",\"pattern\":\"*.example.com\",\"host\":\"MX1.example."
         "COM.\"}",
         "{\"tcId\":30,\"result\":\"valid\",\"fields\":{}}");
  expect(
      "{\"tcId\":31,\"kind\":\"mx-match\",\"pattern\":\"*.example.com\",\"host\":\"example.com\"}",
      "{\"tcId\":31,\"result\":\"invalid\",\"error\":\"MATCH_NONE\"}");
  expect("{\"tcId\":32,\"kind\":\"mx-match\",\"pattern\":\"*.example.com\",\"host\":"
         "\"a\\u0000.example.com\"}",
         "{\"tcId\":32,\"result\":\"invalid\",\"error\":\"MATCH_BAD_HOST\"}");
  expect(
      "{\"tcId\":33,\"kind\":\"mx-match\",\"pattern\":\"example.com.\",\"host\":\"example.com\"}",
      "{\"tcId\":33,\"result\":\"invalid\",\"error\":\"MATCH_BAD_PATTERN\"}");
}

static void malformed_requests_get_answers(void **state) {
  (void)state;
  struct {
    const char *request, *answer;
  } cases[] = {
      {"this is not JSON",
       "{\"tcId\":-1,\"result\":\"unsupported\",\"error\":\"bad request: not a JSON object with "
       "tcId and kind\"}"},
      {"[1,2]",
       "{\"tcId\":-1,\"result\":\"unsupported\",\"error\":\"bad request: not a JSON object "
       "with tcId and kind\"}"},
      {"{\"tcId\":40,\"kind\":\"dns-record\"}",
       "{\"tcId\":40,\"result\":\"unsupported\",\"error\":\"unknown kind\"}"},
      {"{\"tcId\":41,\"kind\":\"policy\",\"profile\":\"loose\",\"inputHex\":\"\"}",
       "{\"tcId\":41,\"result\":\"unsupported\",\"error\":\"bad request: profile must be strict or "
       "lenient\"}"},
      {"{\"tcId\":42,\"kind\":\"policy\",\"inputHex\":\"abc\"}",
       "{\"tcId\":42,\"result\":\"unsupported\",\"error\":\"bad request: inputHex missing or not "
       "hex\"}"},
      {"{\"tcId\":43,\"kind\":\"txt-record\",\"inputHex\":\"zz\"}",
       "{\"tcId\":43,\"result\":\"unsupported\",\"error\":\"bad request: inputHex missing or not "
       "hex\"}"},
      {"{\"tcId\":44,\"kind\":\"txt-strings\",\"stringsHex\":\"76\"}",
       "{\"tcId\":44,\"result\":\"unsupported\",\"error\":\"bad request: stringsHex missing or not "
       "a "
       "list of hex strings\"}"},
      {"{\"tcId\":45,\"kind\":\"txt-strings\",\"stringsHex\":[\"76\",7]}",
       "{\"tcId\":45,\"result\":\"unsupported\",\"error\":\"bad request: stringsHex missing or not "
       "a "
       "list of hex strings\"}"},
      {"{\"tcId\":46,\"kind\":\"tlsrpt-rrset\",\"rrsetHex\":[\"76\"]}",
       "{\"tcId\":46,\"result\":\"unsupported\",\"error\":\"bad request: rrsetHex missing or not a "
       "list of lists of hex strings\"}"},
      {"{\"tcId\":47,\"kind\":\"mx-match\",\"pattern\":\"a\"}",
       "{\"tcId\":47,\"result\":\"unsupported\",\"error\":\"bad request: pattern and host must be "
       "strings\"}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect(cases[i].request, cases[i].answer);
  /* and the adapter is still in step afterwards */
  expect("{\"tcId\":48,\"kind\":\"txt-record\",\"inputHex\":\"\"}",
         "{\"tcId\":48,\"result\":\"invalid\",\"error\":\"E_EMPTY\",\"offset\":0}");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(record_kinds),
      cmocka_unit_test(strings_and_rrsets),
      cmocka_unit_test(policies),
      cmocka_unit_test(mx_matching),
      cmocka_unit_test(malformed_requests_get_answers),
  };
  return cmocka_run_group_tests(tests, start, stop);
}
