/*
 * test_mx.c - mtasts_mx_match and mtasts_policy_match (RFC 8461 4.1,
 * rulings R12 and R13). Pattern and host are each parsed from their own
 * guard-paged copy, with an explicit length.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#define L(s) (sizeof(s) - 1)
#define S(s) (s), L(s)

/* Labels and names at the R12 limits (see test_policy.c). */
#define C10 "abcdefghij"
#define C61 C10 C10 C10 C10 C10 C10 "k"
#define C63 C61 "lm"
#define C64 C63 "n"
#define REST3 C63 "." C63 "." C63 "."
#define N253 REST3 C61                              /* 253 */
#define N254 REST3 C61 "x"                          /* 254 */
#define WREST REST3 C10 C10 C10 C10 C10 "abcdefghi" /* 251 */
#define W253 "*." WREST                             /* 253 with the "*." */
#define W254 "*." WREST "j"                         /* 254 */

typedef struct match_row {
  const char *name;
  const char *pattern;
  size_t pattern_len;
  const char *host;
  size_t host_len;
  mtasts_match want;
} match_row;

#define EXACT MTASTS_MATCH_EXACT
#define WILD MTASTS_MATCH_WILDCARD
#define NONE MTASTS_MATCH_NONE
#define BAD_HOST MTASTS_MATCH_BAD_HOST
#define BAD_PAT MTASTS_MATCH_BAD_PATTERN

static const match_row rows[] = {
    /* Exact names. */
    {"exact", S("mail.example.com"), S("mail.example.com"), EXACT},
    {"R13: host upper case", S("mail.example.com"), S("MAIL.EXAMPLE.COM"), EXACT},
    {"R13: mixed case both sides", S("MAIL.Example.com"), S("mail.eXample.COM"), EXACT},
    {"R13: one trailing dot on the host is removed", S("mail.example.com"), S("mail.example.com."),
     EXACT},
    {"R13: two trailing dots are not", S("mail.example.com"), S("mail.example.com.."), BAD_HOST},
    {"other TLD", S("mail.example.com"), S("mail.example.org"), NONE},
    {"host is a prefix", S("mail.example.com"), S("mail.example.co"), NONE},
    {"host is longer", S("mail.example.com"), S("mail.example.comm"), NONE},
    {"extra letter in front", S("mail.example.com"), S("xmail.example.com"), NONE},
    {"parent of the pattern", S("mail.example.com"), S("example.com"), NONE},
    {"child of the pattern", S("mail.example.com"), S("a.mail.example.com"), NONE},
    {"single label", S("localhost"), S("localhost"), EXACT},
    {"single label, upper case, trailing dot", S("localhost"), S("LOCALHOST."), EXACT},
    {"A-label", S("xn--bcher-kva.example"), S("XN--BCHER-KVA.EXAMPLE"), EXACT},
    {"all-digit labels", S("1.2.3.4"), S("1.2.3.4"), EXACT},
    {"inner double hyphen", S("a--b.x"), S("A--B.X"), EXACT},
    {"last byte differs", S("a.example.com"), S("a.example.con"), NONE},
    /* Wildcards. */
    {"R13: wildcard", S("*.example.com"), S("mail.example.com"), WILD},
    {"R13: wildcard, host upper case", S("*.example.com"), S("MAIL.EXAMPLE.COM"), WILD},
    {"R13: wildcard, pattern mixed case, host dot", S("*.Example.COM"), S("mail.example.com."),
     WILD},
    {"R13: wildcard does not match the bare suffix", S("*.example.com"), S("example.com"), NONE},
    {"R13: wildcard matches exactly one label", S("*.example.com"), S("a.b.example.com"), NONE},
    {"R13: empty first label", S("*.example.com"), S(".example.com"), BAD_HOST},
    {"R13: host with a *", S("*.example.com"), S("*.example.com"), BAD_HOST},
    {"R13: wildcard, two trailing dots", S("*.example.com"), S("mail.example.com.."), BAD_HOST},
    {"wildcard, other suffix", S("*.example.com"), S("mail.example.org"), NONE},
    {"wildcard, no dot at the join", S("*.example.com"), S("mailexample.com"), NONE},
    {"wildcard, suffix with extra letter", S("*.example.com"), S("x.xexample.com"), NONE},
    {"wildcard, host suffix longer", S("*.example.com"), S("a.example.comx"), NONE},
    {"wildcard on a TLD", S("*.com"), S("example.com"), WILD},
    {"wildcard on a TLD, host is the TLD", S("*.com"), S("com"), NONE},
    {"wildcard, single-letter names", S("*.a"), S("b.a"), WILD},
    {"wildcard, hyphenated label", S("*.example.com"), S("a-b.example.com"), WILD},
    {"wildcard, A-label", S("*.example.com"), S("xn--bcher-kva.example.com"), WILD},
    {"wildcard, digit label", S("*.example.com"), S("123.example.com"), WILD},
    {"wildcard, host label of 63", S("*.example.com"), S(C63 ".example.com"), WILD},
    {"wildcard, host label of 64", S("*.example.com"), S(C64 ".example.com"), BAD_HOST},
    /* Hosts that are not host names (R13). */
    {"R13: empty host", S("a"), S(""), BAD_HOST},
    {"R13: host .", S("a"), S("."), BAD_HOST},
    {"R13: host ..", S("a"), S(".."), BAD_HOST},
    {"R13: host with _", S("mail_1.example.com"), S("mail_1.example.com"), BAD_HOST},
    {"R13: host with a space inside", S("a.example.com"), S("a .example.com"), BAD_HOST},
    {"R13: host with a leading space", S("a.example.com"), S(" a.example.com"), BAD_HOST},
    {"R13: host with a trailing space", S("a.example.com"), S("a.example.com "), BAD_HOST},
    {"R13: host with a trailing LF", S("a.example.com"), S("a.example.com\n"), BAD_HOST},
    {"R13: host with a NUL", S("a.example.com"), S("a.exa\0mple.com"), BAD_HOST},
    {"R13: U-label host", S("*.example.com"), S("m\xc3\xbcnchen.example.com"), BAD_HOST},
    {"R13: KELVIN SIGN host", S("k.example.com"), S("\xe2\x84\xaa.example.com"), BAD_HOST},
    {"R13: host with an empty label", S("a.example.com"), S("a..example.com"), BAD_HOST},
    {"R13: host label with a leading hyphen", S("a.example.com"), S("-a.example.com"), BAD_HOST},
    {"R13: host label with a trailing hyphen", S("a.example.com"), S("a-.example.com"), BAD_HOST},
    /* The scanner's bounded pass (the name's last byte is the input's last
     * byte): a hyphen inside a label, a label of hyphens, "-" at the end. */
    {"R13: hyphens inside labels", S("a--b.x-y"), S("A--B.X-Y"), EXACT},
    {"R13: host label of hyphens", S("a.x"), S("a.--.x"), BAD_HOST},
    {"R13: host ending in a hyphen", S("a.x"), S("a.x-"), BAD_HOST},
    {"R13: host ending in a hyphen and a dot", S("a.x"), S("a.x-."), BAD_HOST},
    {"R12: pattern ending in a hyphen", S("*.x-"), S("a.x-"), BAD_HOST},
    {"R12: pattern ending in a hyphen, good host", S("a.x-"), S("a.x"), BAD_PAT},
    {"R13: host with a port", S("a.example.com"), S("a.example.com:25"), BAD_HOST},
    {"R13: address literal host", S("a.example.com"), S("[192.0.2.1]"), BAD_HOST},
    {"R13: host label of 63", S(C63 ".x"), S(C63 ".x"), EXACT},
    {"R13: host label of 64", S("a.x"), S(C64 ".x"), BAD_HOST},
    {"R13: host of 253", S(N253), S(N253), EXACT},
    {"R13: host of 253 plus a dot", S(N253), S(N253 "."), EXACT},
    {"R13: host of 254", S(N253), S(N254), BAD_HOST},
    {"R13: host of 254 plus a dot", S(N253), S(N254 "."), BAD_HOST},
    {"R13: bad host and bad pattern: host first", S(""), S(""), BAD_HOST},
    /* Patterns that are not mx values (R12, R13). */
    {"R13: empty pattern", S(""), S("a"), BAD_PAT},
    {"R13: pattern *", S("*"), S("a"), BAD_PAT},
    {"R13: pattern *.", S("*."), S("a.b"), BAD_PAT},
    {"R13: pattern *example.com", S("*example.com"), S("aexample.com"), BAD_PAT},
    {"R13: pattern a.*.example.com", S("a.*.example.com"), S("a.b.example.com"), BAD_PAT},
    {"R13: pattern **.x", S("**.x"), S("a.x"), BAD_PAT},
    {"R13: pattern *.*.x", S("*.*.x"), S("a.b.x"), BAD_PAT},
    {"R13: partial-label wildcard", S("m*.example.com"), S("mx.example.com"), BAD_PAT},
    {"R12: pattern with a trailing dot", S("mail.example.com."), S("mail.example.com"), BAD_PAT},
    {"R12: pattern with a leading dot", S(".example.com"), S("a.example.com"), BAD_PAT},
    {"R12: pattern label of 64", S(C64 ".x"), S("a.x"), BAD_PAT},
    {"R12: pattern of 254", S(N254), S("a"), BAD_PAT},
    {"R12: wildcard pattern of 253", S(W253), S("a." WREST), WILD},
    {"R12: wildcard pattern of 254", S(W254), S("a.x"), BAD_PAT},
    {"R12: host of 254 under a wildcard of 253", S(W253), S("ab." WREST), BAD_HOST},
    {"pattern with a trailing space", S("mail.example.com "), S("mail.example.com"), BAD_PAT},
    {"pattern with _", S("a_b.example"), S("ab.example"), BAD_PAT},
    {"pattern with a NUL", S("a\0.example"), S("a.example"), BAD_PAT},
    {"pattern with non-ASCII", S("\xc3\xa9.example"), S("e.example"), BAD_PAT},
};

static void test_match_table(void **state) {
  (void)state;
  size_t n = sizeof rows / sizeof rows[0];
  assert_true(n >= 60);
  for (size_t i = 0; i < n; i++) {
    const match_row *r = &rows[i];
    const char *pat = guard_copy_slot(1, r->pattern, r->pattern_len);
    const char *host = guard_copy_slot(2, r->host, r->host_len);
    mtasts_match got = mtasts_mx_match(pat, r->pattern_len, host, r->host_len);
    if (got != r->want) {
      char shown[600];
      snprintf(shown, sizeof shown, "%s", show(r->pattern, r->pattern_len));
      fail_msg("%s: \"%s\" vs \"%s\": got %d, want %d", r->name, shown, show(r->host, r->host_len),
               (int)got, (int)r->want);
    }
  }
}

static void test_match_null_arguments(void **state) {
  (void)state;
  assert_int_equal(mtasts_mx_match(NULL, 0, S("a")), BAD_PAT);
  assert_int_equal(mtasts_mx_match(NULL, 3, S("a")), BAD_PAT);
  assert_int_equal(mtasts_mx_match(S("a"), NULL, 0), BAD_HOST);
  assert_int_equal(mtasts_mx_match(S("a"), NULL, 3), BAD_HOST);
  assert_int_equal(mtasts_mx_match(NULL, 0, NULL, 0), BAD_HOST);
}

/* R21: the Appendix B pseudocode is not normative; where it differs from
 * section 4.1 (and RFC 6125), section 4.1 wins. */
static void test_R21_not_appendix_b(void **state) {
  (void)state;
  /* Appendix B compares with ==: case-sensitive. 4.1 defers to RFC 6125,
   * which compares ASCII case-insensitively. */
  assert_int_equal(mtasts_mx_match(S("mail.example.com"), S("MAIL.Example.COM")),
                   MTASTS_MATCH_EXACT);
  assert_int_equal(mtasts_mx_match(S("*.Example.com"), S("mx.EXAMPLE.com")), MTASTS_MATCH_WILDCARD);
  /* Appendix B splits on the first "." (SplitN), so ".example.com" has an
   * empty first label that would "match" *.example.com; 4.1 matches one
   * whole leftmost label, and an empty label is no host name (R13). */
  assert_int_equal(mtasts_mx_match(S("*.example.com"), S(".example.com")), BAD_HOST);
  /* Appendix B's mx[2:] after a bare "*" would compare the rest of the
   * pattern; 4.1 allows the wildcard only as "*." plus a whole name. */
  assert_int_equal(mtasts_mx_match(S("*example.com"), S("aexample.com")), BAD_PAT);
}

/* mtasts_policy_match: the index of the first stored pattern that matches. */
static void test_policy_match(void **state) {
  (void)state;
  static const char body[] = "version: STSv1\nmode: enforce\n"
                             "mx: *.example.com\nmx: mail.example.com\nmx: backup.example.net\n"
                             "max_age: 1\n";
  mtasts_mx mx[3];
  mtasts_policy p;
  mtasts_policy_init(&p, mx, 3, NULL, 0);
  const char *in = guard_copy(body, L(body));
  assert_int_equal(mtasts_policy_parse(in, L(body), NULL, &p), MTASTS_OK);
  assert_int_equal(mtasts_policy_match(&p, S("mail.example.com")), 0); /* first wins */
  assert_int_equal(mtasts_policy_match(&p, S("BACKUP.example.net.")), 2);
  assert_int_equal(mtasts_policy_match(&p, S("example.com")), -1);
  assert_int_equal(mtasts_policy_match(&p, S("a.b.example.com")), -1);
  assert_int_equal(mtasts_policy_match(&p, S("bad_host.example.com")), -1);
  assert_int_equal(mtasts_policy_match(&p, NULL, 0), -1);
  assert_int_equal(mtasts_policy_match(NULL, S("mail.example.com")), -1);

  /* A hand-built policy: a bad pattern matches nothing and is skipped. */
  mtasts_mx hand[2] = {{{"bad_pattern", 11, 0}, false}, {{"a.example", 9, 0}, false}};
  mtasts_policy h;
  mtasts_policy_init(&h, hand, 2, NULL, 0);
  h.mx_count = 2;
  assert_int_equal(mtasts_policy_match(&h, S("a.example")), 1);
  /* A count beyond the array is clamped to the array. */
  h.mx_cap = 1;
  h.mx_count = 5;
  assert_int_equal(mtasts_policy_match(&h, S("a.example")), -1);
  /* No storage, or nothing stored. */
  h.mx = NULL;
  assert_int_equal(mtasts_policy_match(&h, S("a.example")), -1);
  mtasts_policy_init(&h, hand, 2, NULL, 0);
  assert_int_equal(mtasts_policy_match(&h, S("a.example")), -1);

  /* A failed parse leaves nothing to match. */
  static const char bad[] = "version: STSv1\nmode: enforce\nmx: a.example\n";
  in = guard_copy(bad, L(bad));
  assert_int_equal(mtasts_policy_parse(in, L(bad), NULL, &p), MTASTS_E_POLICY_MISSING_MAX_AGE);
  assert_int_equal(mtasts_policy_match(&p, S("a.example")), -1);
}

/* mtasts_policy_match validates the host once and never the patterns: a
 * hand-built pattern that is not a valid mx value must still match nothing,
 * whatever it looks like next to the host. */
static void test_policy_match_invalid_patterns(void **state) {
  (void)state;
  mtasts_mx hand[] = {
      {{"*xexample.com", 13, 0}, true},   /* "*" not followed by "." */
      {{"*", 1, 0}, true},                /* "*" alone */
      {{NULL, 13, 0}, false},             /* no bytes */
      {{"", 0, 0}, false},                /* empty */
      {{"*.", 2, 0}, true},               /* no domain after "*." */
      {{"a.example.com.", 14, 0}, false}, /* trailing dot */
      {{"a_example.com", 13, 0}, false},  /* same length, "_" */
      {{"*.example.com", 13, 0}, true},   /* the first valid one */
  };
  mtasts_policy h;
  mtasts_policy_init(&h, hand, sizeof hand / sizeof hand[0], NULL, 0);
  h.mx_count = sizeof hand / sizeof hand[0];
  assert_int_equal(mtasts_policy_match(&h, S("a.example.com")), 7);
  assert_int_equal(mtasts_policy_match(&h, S("a.example.com.")), 7);
  assert_int_equal(mtasts_policy_match(&h, S("A.EXAMPLE.COM")), 7);
  /* A single-label host has no suffix for a "*." pattern. */
  assert_int_equal(mtasts_policy_match(&h, S("com")), -1);
  /* The same patterns one by one, as mtasts_mx_match judges them. */
  for (size_t i = 0; i + 1 < sizeof hand / sizeof hand[0]; i++)
    assert_int_equal(mtasts_mx_match(hand[i].pattern.ptr, hand[i].pattern.len, S("a.example.com")),
                     BAD_PAT);
  assert_int_equal(mtasts_mx_match(S("*.example.com"), S("com")), MTASTS_MATCH_NONE);
  assert_int_equal(mtasts_mx_match(S("*.com"), S("a.example.com")), MTASTS_MATCH_NONE);
}

/* Every valid pattern of the parser matches itself and its host forms. */
static void test_match_agrees_with_parser(void **state) {
  (void)state;
  static const char *const patterns[] = {"a",  "a.b", "xn--x.y", "1.2",   C63 ".x",
                                         N253, "*.a", W253,      "*." C63};
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
    const char *pat = patterns[i];
    size_t n = strlen(pat);
    char body[400];
    int len =
        snprintf(body, sizeof body, "version: STSv1\nmode: testing\nmx: %s\nmax_age: 1\n", pat);
    mtasts_mx mx[1];
    mtasts_policy p;
    mtasts_policy_init(&p, mx, 1, NULL, 0);
    assert_int_equal(mtasts_policy_parse(body, (size_t)len, NULL, &p), MTASTS_OK);
    char host[300];
    if (pat[0] == '*') {
      host[0] = 'Z';
      memcpy(host + 1, pat + 1, n - 1);
      assert_int_equal(mtasts_mx_match(pat, n, host, n), WILD);
      assert_int_equal(mtasts_policy_match(&p, host, n), 0);
    } else {
      memcpy(host, pat, n);
      host[n] = '.';
      assert_int_equal(mtasts_mx_match(pat, n, host, n + 1), EXACT);
      assert_int_equal(mtasts_policy_match(&p, host, n + 1), 0);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_match_table),
      cmocka_unit_test(test_match_null_arguments),
      cmocka_unit_test(test_R21_not_appendix_b),
      cmocka_unit_test(test_policy_match),
      cmocka_unit_test(test_policy_match_invalid_patterns),
      cmocka_unit_test(test_match_agrees_with_parser),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
