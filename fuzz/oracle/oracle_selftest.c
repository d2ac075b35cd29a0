/*
 * oracle_selftest.c - the oracle checked against hand-derived answers.
 *
 * The differential fuzzers are only as good as the oracle, so the oracle
 * gets its own table: RFC examples, every ruling's edge, and the
 * ABNF corners that are easy to get wrong (greedy Ldh-str, UTF-8 ranges,
 * 1*32 / *31 / 1*10 bounds). Each row: input, profile, expected verdict,
 * and the expected value of the field the row is about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle/oracle.h"

static int failures, checks;

static void expect(bool ok, const char *kind, int row, const char *what) {
  checks++;
  if (!ok) {
    failures++;
    fprintf(stderr, "FAIL %s row %d: %s\n", kind, row, what);
  }
}

static bool str_is(const char *base, oracle_str s, const char *want) {
  return want == NULL || (s.len == strlen(want) && memcmp(base + s.off, want, s.len) == 0);
}

/* Inputs may hold NUL: a row gives its length when it does (len != 0). */
typedef struct row {
  const char *in;
  size_t len;
  bool lenient;
  oracle_verdict want;
  const char *field; /* id / first rua / first mx, when valid; NULL: not checked */
  bool deviation;
} row;

#define V ORACLE_VALID
#define I ORACLE_INVALID

static const row txt_rows[] = {
    {"v=STSv1; id=20160831085700Z;", 0, false, V, "20160831085700Z", false},
    {"v=STSv1;id=a", 0, false, V, "a", false},
    {"v=STSv1 ; id=x", 0, false, V, "x", false}, /* R1 */
    {"v=STSv1;\tid=x;\t", 0, false, V, "x", false},
    {"v=STSv1; id=a ", 0, false, I, NULL, false}, /* trailing WSP, strict */
    {"v=STSv1; id=a \t", 0, true, V, "a", true},  /* deviation 5 */
    {"v=STSv1; id=a; ", 0, true, V, "a", false},
    {"v=STSv1", 0, false, I, NULL, false},
    {"v=STSv1;", 0, false, I, NULL, false},
    {"v=STSv1; id=a;;", 0, false, I, NULL, false},
    {"v=STSv1;; id=a", 0, false, I, NULL, false},
    {"V=STSv1; id=a", 0, true, I, NULL, false},
    {"v=STSV1; id=a", 0, false, I, NULL, false},
    {" v=STSv1; id=a", 0, true, I, NULL, false},
    {"v=STSv1; ID=a", 0, false, I, NULL, false},         /* no sts-id */
    {"v=STSv1; id=a-b", 0, false, I, NULL, false},       /* R4 */
    {"v=STSv1; id=a-b; id=c", 0, false, I, NULL, false}, /* R4: the first id counts */
    {"v=STSv1; id=c; id=a-b", 0, false, V, "c", false},  /* R3 */
    {"v=STSv1; id=c; id=", 0, false, I, NULL, false},    /* R3: must be grammatical */
    {"v=STSv1; id=c; v=STSv2", 0, false, V, "c", false},
    {"v=STSv1; id=12345678901234567890123456789012", 0, false, V, NULL, false},
    {"v=STSv1; id=123456789012345678901234567890123", 0, false, I, NULL, false},
    {"v=STSv1; id=a; ext=<\"x\":y>", 0, false, V, "a", false},
    {"v=STSv1; id=a; e=x=y", 0, false, I, NULL, false},
    {"v=STSv1; id=a; _e=1", 0, false, I, NULL, false},
    {"v=STSv1; id=a; e.-_=1", 0, false, V, "a", false},
    {"v=STSv1; id=a; 123456789012345678901234567890123=1", 0, false, I, NULL, false},
    {"v=STSv1; id=a; 12345678901234567890123456789012=1", 0, false, V, "a", false},
    {"v=STSv1; id=a; e=\xc3\xa9", 0, false, I, NULL, false}, /* US-ASCII only */
    {"v=STSv1; id=a\0", 14, false, I, NULL, false},
    {"v=STSv1; id=a;\r\n", 0, true, I, NULL, false},
    {"", 0, false, I, NULL, false},
};

static const row policy_rows[] = {
    {"version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n"
     "mx: backupmx.example.com\nmax_age: 604800\n",
     0, false, V, "mail.example.com", false},
    {"version: STSv1\r\nmode: none\r\nmax_age: 1", 0, false, V, NULL, false},
    {"version:STSv1\nmode:\tnone \nmax_age:0\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\n\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\n\n", 0, true, V, NULL, true}, /* dev. 1 */
    {"version: STSv1\nmode: none\nmax_age: 1\n \t\r\n", 0, true, V, NULL, true},
    {"version: STSv1\n\nmode: none\nmax_age: 1\n", 0, true, V, NULL, true},   /* dev. 3 */
    {"version: STSv1\n \nmode: none\nmax_age: 1\n", 0, true, I, NULL, false}, /* SPEC 1 */
    {"\nversion: STSv1\nmode: none\nmax_age: 1\n", 0, true, I, NULL, false},
    {"\xef\xbb\xbfversion: STSv1\nmode: none\nmax_age: 1\n", 0, false, I, NULL, false},
    {"\xef\xbb\xbfversion: STSv1\nmode: none\nmax_age: 1\n", 0, true, V, NULL, true},
    {"version: STSv1\rmode: none\nmax_age: 1\n", 0, true, I, NULL, false},  /* R6 */
    {"version: STSv1\n mode: none\nmax_age: 1\n", 0, true, I, NULL, false}, /* R7 */
    {"version : STSv1\nmode: none\nmax_age: 1\n", 0, false, I, NULL, false},
    {"Version: STSv1\nmode: none\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: Enforce\nmx: a\nmax_age: 1\n", 0, true, I, NULL, false},
    {"version: STSv1\nmode: bogus\nmode: enforce\nmx: a\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmode: bogus\nmx: a\nmax_age: 1\n", 0, false, V, "a", false},
    {"version: STSv1\nmode: enforce\nmax_age: 1\n", 0, false, I, NULL, false}, /* R17 */
    {"version: STSv1\nmode: none\nmode: enforce\nmax_age: 1\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmx: bad_host\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: a\nmx: a.\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: a-\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: -a\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: a--b.c\nmax_age: 1\n", 0, false, V, "a--b.c", false},
    {"version: STSv1\nmode: enforce\nmx: *.*.a\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: *a.b\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: a..b\nmax_age: 1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: "
     "a23456789012345678901234567890123456789012345678901234567890123.b\nmax_age: 1\n",
     0, false, V, NULL, false},
    {"version: STSv1\nmode: enforce\nmx: "
     "a234567890123456789012345678901234567890123456789012345678901234.b\nmax_age: 1\n",
     0, false, I, NULL, false}, /* R12 */
    {"version: STSv1\nmode: none\nmax_age: 31557600\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 31557601\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 9999999999\n", 0, true, V, NULL, true},
    {"version: STSv1\nmode: none\nmax_age: 99999999999\n", 0, true, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 0000000001\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: -1\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: a b\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: a\tb\n", 0, false, I, NULL, false}, /* R10 */
    {"version: STSv1\nmode: none\nmax_age: 1\next: \xc2\x85\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: \xc0\xaf\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: \xed\xa0\x80\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: \xf4\x90\x80\x80\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: \xf0\x9f\x98\x80\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next: \xe2\x80\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\nex:t: a\n", 0, false, V, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\ne x: a\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\next:\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\n\r\n", 0, false, I, NULL, false},
    {"version: STSv1\nmode: none\nmax_age: 1\n\0", 38, true, I, NULL, false},
    {"", 0, true, I, NULL, false},
};

static const row tlsrpt_rows[] = {
    {"v=TLSRPTv1;rua=mailto:reports@example.com", 0, false, V, "mailto:reports@example.com", false},
    {"v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", 0, false, V,
     "https://reporting.example.com/v1/tlsrpt", false},
    {"v=TLSRPTv1; rua=mailto:a@x.example , https://b.example/", 0, false, V, "mailto:a@x.example",
     false},
    {"v=TLSRPTv1; rua=MAILTO:a@x", 0, false, V, "MAILTO:a@x", false},
    {"v=TLSRPTv1; rua=mailto:a@x,,mailto:b@x", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=mailto:a@x!10m", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=mailto:a@x%21", 0, false, V, "mailto:a@x%21", false},
    {"v=TLSRPTv1; rua=mailto:a@x%2", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=ftp://x.example/", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=ftp://x.example/,mailto:a@b", 0, true, V, "mailto:a@b", true},
    {"v=TLSRPTv1; rua=ftp://x.example/", 0, true, I, NULL, false},
    {"v=TLSRPTv1; rua=mailto:", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=https:/path", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=https://", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=https://user@:443/", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=https://r.example/?a=b", 0, false, V, "https://r.example/?a=b", false},
    {"v=TLSRPTv1; rua=a@b", 0, false, I, NULL, false},
    {"v=TLSRPTv1; rua=mailto:a@b; rua=x", 0, false, V, "mailto:a@b", false},
    {"v=TLSRPTv1; rua=x; rua=mailto:a@b", 0, false, I, NULL, false},
    {"v=TLSRPTv1; ext=1", 0, false, I, NULL, false},
    {"v=TLSRPTv1 ; rua=mailto:a@b ", 0, true, V, "mailto:a@b", true},
    {"v=TLSRPTv1; rua=mailto:a b", 0, false, I, NULL, false},
    {"v=TLSRPTv1; RUA=mailto:a@b", 0, false, I, NULL, false},
};

static void run_txt(oracle *o) {
  for (size_t i = 0; i < sizeof(txt_rows) / sizeof(txt_rows[0]); i++) {
    const row *r = &txt_rows[i];
    size_t len = r->len ? r->len : strlen(r->in);
    oracle_txt out;
    oracle_verdict v = oracle_txt_record(o, (const unsigned char *)r->in, len, r->lenient, &out);
    expect(v == r->want, "txt", (int)i, out.why ? out.why : "verdict");
    if (v == ORACLE_VALID) {
      expect(str_is(r->in, out.id, r->field), "txt", (int)i, "id");
      expect(out.deviation == r->deviation, "txt", (int)i, "deviation");
    }
  }
}

static void run_policy(oracle *o) {
  for (size_t i = 0; i < sizeof(policy_rows) / sizeof(policy_rows[0]); i++) {
    const row *r = &policy_rows[i];
    size_t len = r->len ? r->len : strlen(r->in);
    oracle_policy out;
    oracle_verdict v = oracle_policy_body(o, (const unsigned char *)r->in, len, r->lenient, &out);
    expect(v == r->want, "policy", (int)i, out.why ? out.why : "verdict");
    if (v == ORACLE_VALID) {
      if (r->field != NULL)
        expect(out.mx_count > 0 && str_is(r->in, out.mx[0], r->field), "policy", (int)i, "mx");
      expect(out.deviation == r->deviation, "policy", (int)i, "deviation");
    }
  }
}

static void run_tlsrpt(oracle *o) {
  for (size_t i = 0; i < sizeof(tlsrpt_rows) / sizeof(tlsrpt_rows[0]); i++) {
    const row *r = &tlsrpt_rows[i];
    size_t len = r->len ? r->len : strlen(r->in);
    oracle_tlsrpt out;
    oracle_verdict v = oracle_tlsrpt_record(o, (const unsigned char *)r->in, len, r->lenient, &out);
    expect(v == r->want, "tlsrpt", (int)i, out.why ? out.why : "verdict");
    if (v == ORACLE_VALID) {
      expect(out.rua_count > 0 && str_is(r->in, out.rua[0].uri, r->field), "tlsrpt", (int)i, "rua");
      expect(out.deviation == r->deviation, "tlsrpt", (int)i, "deviation");
    }
  }
}

/* R20a: tlsrpt-uri is RFC 3986's URI whole; mailto needs an address
 * before "?" / "#", https a host. Strict, one URI per record. */
static void run_r20a(oracle *o) {
  static const struct {
    const char *uri;
    oracle_verdict want;
  } rows[] = {
      /* the six of the issue */
      {"https://h:80a/", I},
      {"https://[:1]/", I},
      {"https://[2001:::1]/", I},
      {"https://.x]/", I},
      {"https://[v19x]/", I},
      {"MAILTO:#a@example.com", I},
      /* authority */
      {"https://a.example:port/", I},
      {"https://h:80a@x/", V},
      {"https://a@b@c/", I},
      {"https://u:p@h:1/", V},
      {"https://h:/", V},
      {"https://1.2.3.256/", V}, /* a reg-name */
      {"https://1.2.3.04:08/", V},
      {"https://[::1]/r", V},
      {"https://[::1]x/", I},
      {"https://[zz]/r", I},
      {"https://192.0.2.1:443/r", V},
      /* the nine IPv6address forms, and their edges */
      {"https://[1:2:3:4:5:6:7:8]/", V},
      {"https://[1:2:3:4:5:6:1.2.3.4]/", V},
      {"https://[::2:3:4:5:6:7:8]/", V},
      {"https://[1::3:4:5:6:7:8]/", V},
      {"https://[1:2::4:5:6:7:8]/", V},
      {"https://[1:2:3::5:6:7:8]/", V},
      {"https://[1:2:3:4::6:7:8]/", V},
      {"https://[1:2:3:4:5::1.2.3.4]/", V},
      {"https://[1:2:3:4:5:6::8]/", V},
      {"https://[1:2:3:4:5:6:7::]/", V},
      {"https://[::]/", V},
      {"https://[1:2:3:4:5:6:7:8:9]/", I},
      {"https://[1:2:3:4:5:6:7]/", I},
      {"https://[1:2:3:4:5:6:7::8]/", I},
      {"https://[1:2:3:4:5:6::1.2.3.4]/", I},
      {"https://[::1.2.3.255]/", V},
      {"https://[::1.2.3.256]/", I},
      {"https://[::1.2.3.04]/", I},
      {"https://[12345::]/", I},
      {"https://[fe80::1%25en0]/", I},
      {"https://[v1.x]/", V},
      {"https://[V1F.a:b$]/", V},
      {"https://[v1.]/", I},
      /* path, query, fragment */
      {"https://a.example/x[1]", I},
      {"https://r.example/?a]", I},
      {"mailto:a@b#c#d", I},
      {"mailto:a@b?subject=x#f", V},
      /* the mailto address */
      {"mailto:a", I},
      {"mailto:@b", I},
      {"mailto:a@", I},
      {"mailto:?to=a@b", I},
      {"mailto:a%40b", I},
      {"mailto:a@b%2Cc@d", V},
      {"MAILTO:@@@", V},
      {"mailto://a@b", V},
      /* https destination */
      {"https:x", I},
      {"https:///x", I},
      {"https://u@/", I},
      {"https://:443", I},
      {"https://[::1]:443", V},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    char rec[128];
    int n = snprintf(rec, sizeof rec, "v=TLSRPTv1; rua=%s", rows[i].uri);
    oracle_tlsrpt out;
    oracle_verdict v = oracle_tlsrpt_record(o, (const unsigned char *)rec, (size_t)n, false, &out);
    expect(v == rows[i].want, "R20a", (int)i, rows[i].uri);
  }
}

static void run_rrset(oracle *o) {
  static const char *a = "v=STSv1; id=a;", *b = "v=STSv1 ; id=b", *c = "v=spf1 -all",
                    *d = "V=STSv1; id=d";
  oracle_rr rrs[3] = {{(const unsigned char *)c, strlen(c)},
                      {(const unsigned char *)b, strlen(b)},
                      {(const unsigned char *)d, strlen(d)}};
  oracle_select sel;
  oracle_txt out;
  oracle_verdict v = oracle_txt_rrset(o, rrs, 3, false, false, &sel, &out);
  expect(v == ORACLE_VALID && sel.candidates == 1 && sel.index == 1, "rrset", 0, "R1 filter");
  v = oracle_txt_rrset(o, rrs, 3, false, true, &sel, &out);
  expect(v == ORACLE_INVALID && sel.candidates == 0, "rrset", 1, "literal prefix");
  rrs[0] = (oracle_rr){(const unsigned char *)a, strlen(a)};
  v = oracle_txt_rrset(o, rrs, 3, false, false, &sel, &out);
  expect(v == ORACLE_INVALID && sel.candidates == 2, "rrset", 2, "two candidates");
  v = oracle_txt_rrset(o, rrs, 3, false, true, &sel, &out);
  expect(v == ORACLE_VALID && sel.index == 0 && str_is(a, out.id, "a"), "rrset", 3, "literal");
  /* A huge non-candidate is discarded; a huge candidate fails its parse. */
  static char huge[MTASTS_TXT_MAX_SIZE + 2];
  memset(huge, 'x', sizeof(huge));
  memcpy(huge, "v=spf1 ", 7);
  rrs[0] = (oracle_rr){(const unsigned char *)huge, sizeof(huge)};
  rrs[2] = (oracle_rr){(const unsigned char *)c, strlen(c)};
  v = oracle_txt_rrset(o, rrs, 3, false, false, &sel, &out);
  expect(v == ORACLE_VALID && sel.index == 1, "rrset", 4, "huge non-candidate");
  memcpy(huge, "v=STSv1; id=a; x=", 17);
  rrs[1] = (oracle_rr){(const unsigned char *)c, strlen(c)};
  v = oracle_txt_rrset(o, rrs, 3, false, false, &sel, &out);
  expect(v == ORACLE_INVALID && sel.candidates == 1 && sel.index == 0, "rrset", 5,
         "huge candidate");
  /* The filter sees the first MTASTS_TXT_MAX_SIZE octets only. */
  memset(huge + 7, ' ', sizeof(huge) - 8);
  huge[sizeof(huge) - 1] = ';';
  v = oracle_txt_rrset(o, rrs, 3, false, false, &sel, &out);
  expect(v == ORACLE_INVALID && sel.candidates == 0, "rrset", 6, "';' past 4096 octets");
}

static void run_mx(oracle *o) {
  static const struct {
    const char *pattern, *host;
    bool pattern_ok, host_ok;
    int result;
  } rows[] = {
      {"mail.example.com", "mail.example.com", true, true, 1},
      {"mail.example.com", "MAIL.Example.COM.", true, true, 1},
      {"*.example.com", "mail.example.com", true, true, 2},
      {"*.example.com", "example.com", true, true, 0},
      {"*.example.com", "a.b.example.com", true, true, 0},
      {"*.example.com", ".example.com", true, false, 0},
      {"*.example.com", "a_b.example.com", true, false, 0},
      {"*.example.com", "*.example.com", true, false, 0},
      {"mail.example.com", "mail.example.com..", true, false, 0},
      {"mail.example.com.", "mail.example.com", false, true, 0},
      {"*example.com", "mail.example.com", false, true, 0},
      {"m\xc3\xbcnchen.example", "m\xc3\xbcnchen.example", false, false, 0},
      {"", "", false, false, 0},
      {"a", "a", true, true, 1},
      {"a-", "a", false, true, 0},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    oracle_match m;
    oracle_verdict v =
        oracle_mx_match(o, (const unsigned char *)rows[i].pattern, strlen(rows[i].pattern),
                        (const unsigned char *)rows[i].host, strlen(rows[i].host), &m);
    expect(v == ORACLE_VALID, "mx", (int)i, "verdict");
    expect(m.pattern_ok == rows[i].pattern_ok, "mx", (int)i, "pattern_ok");
    expect(m.host_ok == rows[i].host_ok, "mx", (int)i, "host_ok");
    expect(m.result == rows[i].result, "mx", (int)i, "result");
  }
}

/* Size limits and a large input stay within the work bounds. */
static void run_limits(oracle *o) {
  size_t n = MTASTS_POLICY_MAX_SIZE;
  char *big = malloc(n + 1);
  if (big == NULL)
    abort();
  const char *head = "version: STSv1\nmode: none\nmax_age: 1\nx: ";
  size_t h = strlen(head);
  memcpy(big, head, h);
  memset(big + h, 'a', n - h);
  oracle_policy p;
  expect(oracle_policy_body(o, (unsigned char *)big, n, false, &p) == ORACLE_VALID, "limits", 0,
         "65536-octet policy");
  big[n] = 'a';
  expect(oracle_policy_body(o, (unsigned char *)big, n + 1, false, &p) == ORACLE_INVALID, "limits",
         1, "65537-octet policy");
  const char *txt = "v=STSv1; id=a; x=";
  memcpy(big, txt, strlen(txt));
  memset(big + strlen(txt), 'b', MTASTS_TXT_MAX_SIZE - strlen(txt));
  oracle_txt t;
  expect(oracle_txt_record(o, (unsigned char *)big, MTASTS_TXT_MAX_SIZE, false, &t) == ORACLE_VALID,
         "limits", 2, "4096-octet record");
  expect(oracle_txt_record(o, (unsigned char *)big, MTASTS_TXT_MAX_SIZE + 1, false, &t) ==
             ORACLE_INVALID,
         "limits", 3, "4097-octet record");
  free(big);
}

int main(void) {
  oracle *o = oracle_new();
  if (o == NULL)
    return 2;
  run_txt(o);
  run_policy(o);
  run_tlsrpt(o);
  run_r20a(o);
  run_rrset(o);
  run_mx(o);
  run_limits(o);
  oracle_free(o);
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
