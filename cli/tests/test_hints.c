/*
 * test_hints.c - every code of MTASTS_CODE_MAP has a one-line hint and an
 * RFC reference, for every kind of input; a code appended to the library
 * without an entry in cli/src/hints.c fails here, by name.
 */
#include <stdio.h>
#include <string.h>

#include "hints.h"

/* Sections that exist in the RFCs the hints cite (checked against the
 * RFC texts' tables of contents). */
static const char *const known_sections[] = {
    "RFC 8461 \xc2\xa7"
    "3",
    "RFC 8461 \xc2\xa7"
    "3.1",
    "RFC 8461 \xc2\xa7"
    "3.2",
    "RFC 8461 \xc2\xa7"
    "3.3",
    "RFC 8461 \xc2\xa7"
    "4.1",
    "RFC 8460 \xc2\xa7"
    "3",
    "RFC 3986 \xc2\xa7"
    "2.1",
    "RFC 1035 \xc2\xa7"
    "2.3.4",
};

static int failures;

static void fail(mtasts_code code, const char *what, const char *text) {
  printf("FAIL %s: %s: \"%s\"\n", mtasts_errname(code), what, text);
  failures++;
}

static bool known_section(const char *ref, size_t len) {
  for (size_t i = 0; i < sizeof known_sections / sizeof known_sections[0]; i++)
    if (strlen(known_sections[i]) == len && memcmp(known_sections[i], ref, len) == 0)
      return true;
  return false;
}

/* "RFC N §S[; RFC N §S]...", each reference a known section. */
static void check_rfc(mtasts_code code, const char *rfc) {
  if (rfc[0] == '\0') {
    fail(code, "no RFC reference", rfc);
    return;
  }
  const char *p = rfc;
  for (;;) {
    const char *end = strstr(p, "; ");
    size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
    if (!known_section(p, len))
      fail(code, "RFC reference is not a known section", rfc);
    if (end == NULL)
      break;
    p = end + 2;
  }
}

static void check_hint(mtasts_code code, const char *hint) {
  if (strlen(hint) < 10)
    fail(code, "no hint", hint);
  if (strchr(hint, '\n') != NULL)
    fail(code, "hint is more than one line", hint);
  if (strlen(hint) > 140)
    fail(code, "hint is longer than 140 characters", hint);
}

/* The shapes of published policies (the InTheWild vectors of
 * vectors/policy.json): each body is parsed by the library, and the hint
 * for its code and offset must contain `want` (NULL: no shape hint). */
static const struct {
  const char *body;
  size_t len; /* 0: strlen(body) */
  const char *want;
} shapes[] = {
#define POLICY(mode, mx, max_age) "version: STSv1\n" mode "\n" mx "\n" max_age "\n"
#define STD_MODE(mode) POLICY(mode, "mx: mail.example.com", "max_age: 604800")
#define STD_MX(mx) POLICY("mode: enforce", mx, "max_age: 604800")
#define STD_AGE(age) POLICY("mode: enforce", "mx: mail.example.com", age)
    {STD_MODE("mode: [enforce|testing|none] # 1. Decide your mode."), 0, "template placeholder"},
    {STD_MODE("mode: MODE"), 0, "template placeholder"},
    {STD_MODE("mode: [testing]"), 0, "template placeholder"},
    {STD_MX("mx: mx1.your_domain"), 0, "template placeholder"},
    {STD_MX("mx: <yourdomain>.mail.protection.outlook.com"), 0, "template placeholder"},
    {STD_MODE("mode: enforced"), 0, "did you mean mode: enforce?"},
    {STD_MODE("mode: Enforce"), 0, "did you mean mode: enforce?"},
    {STD_MODE("mode: test"), 0, "did you mean mode: testing?"},
    {STD_MODE("mode: testing # for now"), 0, "a comment is not allowed here"},
    {STD_AGE("max_age: 604800 # one week"), 0, "a comment is not allowed here"},
    {"# MTA-STS\n" STD_MODE("mode: none"), 0, "a comment is not allowed in a policy"},
    {STD_MX("mx: Priority 5: ALT1.ASPMX.L.GOOGLE.COM"), 0, "MX priority"},
    {STD_MX("mx: 10 mail.example.com."), 0, "MX priority"},
    {STD_MX("mx: a.example, b.example"), 0, "one host per line"},
    {STD_MX("mx: ://google.com"), 0, "not a URL"},
    {STD_MX("mx: alt*.google.com"), 0, "one whole leftmost label"},
    {STD_AGE("max_age: enforce"), 0, "the mode belongs on the mode: line"},
    {STD_AGE("max_age: 1w"), 0, "no unit"},
    {"---\nlayout: null\n---\n" STD_MODE("mode: none"), 0, "front matter"},
    {"\xff\xfev\0e\0r\0", 8, "UTF-16"},
    {"v\0e\0r\0s\0", 8, "UTF-16"},
    /* No shape: the code's own hint says it all. */
    {STD_MX("mx: ."), 0, NULL},
    {STD_MX("mx: host.example.com."), 0, NULL},
    {STD_MODE("mode: bogus"), 0, NULL},
    {"<html><body>version: STSv1<br>\n", 0, NULL},
    {"  version: STSv1\n", 0, NULL},
#undef STD_AGE
#undef STD_MX
#undef STD_MODE
#undef POLICY
};

static void check_shapes(void) {
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    size_t len = shapes[i].len != 0 ? shapes[i].len : strlen(shapes[i].body);
    mtasts_mx mx[4];
    mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
    mtasts_policy p;
    mtasts_policy_init(&p, mx, 4, ext, MTASTS_MAX_EXTENSIONS);
    mtasts_code code = mtasts_policy_parse(shapes[i].body, len, NULL, &p);
    const char *got = hint_policy_shape(code, shapes[i].body, len, p.err_offset);
    if (shapes[i].want == NULL ? got != NULL : got == NULL || strstr(got, shapes[i].want) == NULL) {
      fail(code, "shape hint", got != NULL ? got : "(none)");
      printf("  input %zu, wanted \"%s\"\n", i, shapes[i].want ? shapes[i].want : "(none)");
    } else if (got != NULL) {
      check_hint(code, got);
    }
  }
  /* Valid input and warnings never get one. */
  if (hint_policy_shape(MTASTS_OK, "mode: MODE", 10, 0) != NULL ||
      hint_policy_shape(MTASTS_W_POLICY_BOM, "\xff\xfe", 2, 0) != NULL)
    fail(MTASTS_OK, "shape hint without an error", "");
}

int main(void) {
  static const cli_kind kinds[] = {KIND_POLICY, KIND_STS, KIND_TLSRPT};
  int codes = 0;
  for (int c = 0; c < (int)MTASTS_CODE_COUNT_; c++) {
    mtasts_code code = (mtasts_code)c;
    check_hint(code, hint_for(code));
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
      check_rfc(code, rfc_for(code, kinds[k]));
    codes++;
  }
  /* Outside the table: empty strings, never NULL or a neighbour's text. */
  if (hint_for(MTASTS_CODE_COUNT_)[0] != '\0' || rfc_for(MTASTS_CODE_COUNT_, KIND_STS)[0] != '\0')
    fail(MTASTS_CODE_COUNT_, "a value outside the table has a hint", hint_for(MTASTS_CODE_COUNT_));
  if (hint_for((mtasts_code)-1)[0] != '\0')
    fail((mtasts_code)-1, "a negative value has a hint", hint_for((mtasts_code)-1));
  /* Spot checks that the table is indexed by code, not by position. */
  if (strstr(hint_for(MTASTS_E_TXT_ID_TOO_LONG), "32") == NULL)
    fail(MTASTS_E_TXT_ID_TOO_LONG, "hint does not say 32", hint_for(MTASTS_E_TXT_ID_TOO_LONG));
  if (strcmp(rfc_for(MTASTS_E_NUL, KIND_TLSRPT), "RFC 8460 \xc2\xa7"
                                                 "3") != 0)
    fail(MTASTS_E_NUL, "a general code in a TLSRPT record cites",
         rfc_for(MTASTS_E_NUL, KIND_TLSRPT));
  if (strcmp(rfc_for(MTASTS_E_POLICY_MODE, KIND_STS), "RFC 8461 \xc2\xa7"
                                                      "3.2") != 0)
    fail(MTASTS_E_POLICY_MODE, "a policy code cites", rfc_for(MTASTS_E_POLICY_MODE, KIND_STS));
  check_shapes();
  printf("%d codes checked, %d failure%s\n", codes, failures, failures == 1 ? "" : "s");
  return failures == 0 ? 0 : 1;
}
