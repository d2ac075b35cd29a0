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
  printf("%d codes checked, %d failure%s\n", codes, failures, failures == 1 ? "" : "s");
  return failures == 0 ? 0 : 1;
}
