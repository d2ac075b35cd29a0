/*
 * hints.c - the one table of hints and RFC references, indexed by
 * mtasts_code. test_hints fails when a code of MTASTS_CODE_MAP has no
 * entry here, so a code appended to the library cannot go unexplained.
 */
#include "hints.h"

#include <string.h>

/* "§" in UTF-8, spelled out so that the source stays ASCII. */
#define SEC "\xc2\xa7"
#define RFC8461_TXT "RFC 8461 " SEC "3.1"
#define RFC8461_POLICY "RFC 8461 " SEC "3.2"
#define RFC8460_TXT "RFC 8460 " SEC "3"

/* Where `rfc` is NULL, the code applies to every kind of input and cites
 * the section that defines the input it was found in. `rfc_tlsrpt`, when
 * set, replaces `rfc` for a TLSRPT record. */
typedef struct hint_entry {
  const char *hint;
  const char *rfc;
  const char *rfc_tlsrpt;
} hint_entry;

/* Every field spelled out (clang's -Wmissing-field-initializers). */
#define HINT(hint, rfc)                                                                            \
  { hint, rfc, NULL }
#define HINT_TLSRPT(hint, rfc, rfc_tlsrpt)                                                         \
  { hint, rfc, rfc_tlsrpt }

static const hint_entry hints[MTASTS_CODE_COUNT_] = {
    [MTASTS_OK] = HINT("nothing to fix", NULL),
    [MTASTS_E_ARGUMENT] =
        HINT("the library was called wrongly (a NULL buffer with a length, or a bad "
             "option): a bug in mtasts, not in your input",
             NULL),
    [MTASTS_E_EMPTY] =
        HINT("the input has no bytes at all: publish the record or policy text itself", NULL),
    [MTASTS_E_NUL] =
        HINT("remove the NUL byte (0x00): is this a binary file, or text saved as UTF-16?", NULL),
    [MTASTS_E_TOO_MANY_EXTENSIONS] =
        HINT("remove unknown fields (at most 32 are kept): fields the RFC "
             "does not define are ignored by senders anyway",
             NULL),
    [MTASTS_E_EXT_CAPACITY] =
        HINT("the program gave the library too small an extension array: report "
             "this as a bug in mtasts, not in your record or policy",
             NULL),
    [MTASTS_E_TXT_TOO_LARGE] =
        HINT("keep the record under 4096 bytes (after joining its strings): it "
             "needs only its version and id (or rua) fields",
             NULL),
    [MTASTS_E_TXT_VERSION] =
        HINT("begin the record with exactly v=STSv1 (v=TLSRPTv1 for _smtp._tls): "
             "case-sensitive, nothing before it, no space around \"=\"",
             NULL),
    [MTASTS_E_TXT_EXPECTED_DELIM] =
        HINT("separate fields with \";\" (spaces or tabs are allowed only "
             "right before or after a \";\")",
             NULL),
    [MTASTS_E_TXT_EMPTY_FIELD] =
        HINT("remove the extra \";\": fields are separated by exactly one \";\"", NULL),
    [MTASTS_E_TXT_TRAILING_WSP] =
        HINT("remove the trailing spaces, or end the record with \";\"", NULL),
    [MTASTS_E_TXT_FIELD_NAME] =
        HINT("write fields as name=value; a name is 1-32 letters, digits, \"_\", "
             "\"-\" or \".\", starting with a letter or digit",
             NULL),
    [MTASTS_E_TXT_EXPECTED_EQUALS] =
        HINT("write fields as name=value, with no space before the \"=\"", NULL),
    [MTASTS_E_TXT_VALUE_EMPTY] = HINT("give the field a value, or remove it", NULL),
    [MTASTS_E_TXT_VALUE_CHAR] =
        HINT("values may hold only visible ASCII characters: no spaces, \";\", "
             "\"=\", control characters or non-ASCII bytes",
             NULL),
    [MTASTS_E_TXT_ID_CHAR] =
        HINT("use only letters and digits in id, e.g. id=20240501T120000; change "
             "it whenever the policy changes",
             RFC8461_TXT),
    [MTASTS_E_TXT_ID_TOO_LONG] = HINT("shorten id to at most 32 letters and digits", RFC8461_TXT),
    [MTASTS_E_TXT_MISSING_ID] =
        HINT("add an id field, e.g. id=20240501T120000; change it whenever the "
             "policy changes",
             RFC8461_TXT),
    [MTASTS_E_RRSET_NONE] = HINT("publish one TXT record that begins with v=STSv1; at _mta-sts (or "
                                 "v=TLSRPTv1; at _smtp._tls)",
                                 NULL),
    [MTASTS_E_RRSET_MULTIPLE] = HINT("keep exactly one record that begins with the version field: "
                                     "delete the others (an old policy's record, usually)",
                                     NULL),
    [MTASTS_E_TLSRPT_MISSING_RUA] =
        HINT("add rua=mailto:tlsrpt@your-domain (or an https: URL) to say "
             "where reports go",
             RFC8460_TXT),
    [MTASTS_E_RUA_EMPTY] =
        HINT("remove the extra \",\": a comma must separate two URIs", RFC8460_TXT),
    [MTASTS_E_RUA_SCHEME] =
        HINT("write each report address as a full URI beginning with mailto: or "
             "https:",
             RFC8460_TXT),
    [MTASTS_E_RUA_CHAR] = HINT(
        "percent-encode \",\" as %2C, \"!\" as %21 and \";\" as %3B inside a URI", RFC8460_TXT),
    [MTASTS_E_RUA_PERCENT] =
        HINT("\"%\" must be followed by two hex digits (write a literal \"%\" as "
             "%25)",
             RFC8460_TXT "; RFC 3986 " SEC "2.1"),
    [MTASTS_E_RUA_HOST] = HINT("write the host right after \"//\" (or after \"user@\"), then "
                               "\":port\" if any; percent-encode \"[\", \"]\" and \"@\" elsewhere",
                               RFC8460_TXT),
    [MTASTS_E_RUA_IP_LITERAL] =
        HINT("write an IPv6 address in brackets, e.g. https://[2001:db8::1]/, or use the "
             "host name",
             RFC8460_TXT),
    [MTASTS_E_RUA_PORT] =
        HINT("write the port as digits only, e.g. https://reports.example:8443/", RFC8460_TXT),
    [MTASTS_E_RUA_RESERVED] =
        HINT("percent-encode \"[\" as %5B, \"]\" as %5D and a \"#\" inside the fragment as %23",
             RFC8460_TXT),
    [MTASTS_E_RUA_UNSUPPORTED_SCHEME] =
        HINT("use a mailto: or https: URI, the only two schemes TLSRPT "
             "defines",
             RFC8460_TXT),
    [MTASTS_E_RUA_NO_DESTINATION] =
        HINT("put the address after mailto: or the host after https://", RFC8460_TXT),
    [MTASTS_E_TOO_MANY_RUA] = HINT("list at most 32 report URIs", RFC8460_TXT),
    [MTASTS_E_RUA_CAPACITY] =
        HINT("the program gave the library too small a rua array: report this as "
             "a bug in mtasts, not in your record",
             RFC8460_TXT),
    [MTASTS_E_RUA_NONE_USABLE] =
        HINT("give at least one mailto: or https: URI with a destination", RFC8460_TXT),
    [MTASTS_E_POLICY_TOO_LARGE] = HINT("a policy is a few lines: keep it under 64 KiB (is this the "
                                       "right file?)",
                                       "RFC 8461 " SEC "3.3"),
    [MTASTS_E_POLICY_BOM] =
        HINT("save the file as UTF-8 without a byte order mark (BOM)", RFC8461_POLICY),
    [MTASTS_E_POLICY_BARE_CR] =
        HINT("end every line with LF or CRLF: a CR alone is not a line ending", RFC8461_POLICY),
    [MTASTS_E_POLICY_BLANK_LINE] =
        HINT("remove the blank line: no empty lines between or after the "
             "fields",
             RFC8461_POLICY),
    [MTASTS_E_POLICY_LEADING_WSP] =
        HINT("start every line in the first column (a copy of the RFC's "
             "example keeps its indentation)",
             RFC8461_POLICY),
    [MTASTS_E_POLICY_FIELD_NAME] =
        HINT("write fields as name: value; a name is 1-32 letters, digits, "
             "\"_\", \"-\" or \".\", starting with a letter or digit",
             RFC8461_POLICY),
    [MTASTS_E_POLICY_EXPECTED_COLON] =
        HINT("put \":\" right after the field name (spaces may follow "
             "it, not precede it)",
             RFC8461_POLICY),
    [MTASTS_E_POLICY_VALUE_EMPTY] =
        HINT("give the field a value, or remove the line", RFC8461_POLICY),
    [MTASTS_E_POLICY_VALUE_CHAR] = HINT("remove the tab or control character: a value is printable "
                                        "text, with single spaces inside",
                                        RFC8461_POLICY),
    [MTASTS_E_POLICY_VALUE_UTF8] = HINT("save the file as UTF-8 (this byte looks like Latin-1 or a "
                                        "cut-off character)",
                                        RFC8461_POLICY),
    [MTASTS_E_POLICY_VERSION] =
        HINT("write version: STSv1, exactly (case-sensitive)", RFC8461_POLICY),
    [MTASTS_E_POLICY_MODE] =
        HINT("write mode: enforce, mode: testing or mode: none (in lower case)", RFC8461_POLICY),
    [MTASTS_E_POLICY_MAX_AGE] = HINT("write max_age as a number of seconds, digits only, e.g. "
                                     "max_age: 604800 (one week)",
                                     RFC8461_POLICY),
    [MTASTS_E_POLICY_MAX_AGE_RANGE] = HINT("use at most 31557600 seconds (365.25 days), e.g. "
                                           "max_age: 31557600",
                                           RFC8461_POLICY),
    [MTASTS_E_POLICY_MX_SYNTAX] =
        HINT("write an MX host name (letters, digits and inner hyphens, one "
             "dot between labels) or \"*.\" followed by one",
             RFC8461_POLICY),
    [MTASTS_E_POLICY_MX_LABEL_TOO_LONG] =
        HINT("keep each dot-separated label of the name at most 63 "
             "characters long",
             RFC8461_POLICY "; RFC 1035 " SEC "2.3.4"),
    [MTASTS_E_POLICY_MX_TOO_LONG] =
        HINT("keep the name at most 253 characters long", RFC8461_POLICY "; RFC 1035 " SEC "2.3.4"),
    [MTASTS_E_POLICY_MX_TRAILING_DOT] = HINT("remove the final dot: write mail.example.com, not "
                                             "\"mail.example.com.\" as in a zone file",
                                             RFC8461_POLICY),
    [MTASTS_E_POLICY_MISSING_VERSION] =
        HINT("add the line version: STSv1 (usually the first line)", RFC8461_POLICY),
    [MTASTS_E_POLICY_MISSING_MODE] =
        HINT("add a mode line: mode: testing to start, mode: enforce once "
             "the reports are clean",
             RFC8461_POLICY),
    [MTASTS_E_POLICY_MISSING_MAX_AGE] =
        HINT("add a max_age line, e.g. max_age: 604800 (one week)", RFC8461_POLICY),
    [MTASTS_E_POLICY_MISSING_MX] =
        HINT("add one mx: line per MX host (or *.domain), or use mode: none", RFC8461_POLICY),
    [MTASTS_E_MX_CAPACITY] =
        HINT("the program gave the library too small an mx array: report this as "
             "a bug in mtasts, not in your policy",
             RFC8461_POLICY),
    [MTASTS_E_WRITE_SPACE] =
        HINT("the program gave the writer too small a buffer: report this as a "
             "bug in mtasts, not in your policy",
             RFC8461_POLICY),
    [MTASTS_E_WRITE_INVALID] =
        HINT("only a policy that parsed can be written: report this as a bug in "
             "mtasts, not in your policy",
             RFC8461_POLICY),
    /* The rule for duplicates is the last paragraph of RFC 8461 3.2, which
     * covers TXT records too (ruling R3); RFC 8460 has it by analogy (R20). */
    [MTASTS_W_DUPLICATE_FIELD] = HINT_TLSRPT(
        "remove the repeated field: only its first occurrence counts", RFC8461_POLICY, RFC8460_TXT),
    [MTASTS_W_POLICY_BOM] = HINT("save the file as UTF-8 without a byte order mark (strict parsers "
                                 "reject it)",
                                 RFC8461_POLICY),
    [MTASTS_W_POLICY_BLANK_LINE] =
        HINT("remove the blank line (strict parsers reject it)", RFC8461_POLICY),
    [MTASTS_W_POLICY_TRAILING_BLANK] =
        HINT("remove the blank lines at the end (strict parsers reject "
             "them)",
             RFC8461_POLICY),
    [MTASTS_W_POLICY_MAX_AGE_CLAMPED] =
        HINT("use at most 31557600 seconds (strict parsers reject the "
             "whole policy)",
             RFC8461_POLICY),
    [MTASTS_W_TXT_TRAILING_WSP] = HINT("remove the trailing spaces, or end the record with \";\" "
                                       "(strict parsers reject it)",
                                       NULL),
    [MTASTS_W_RUA_SKIPPED] =
        HINT("use mailto: or https: URIs with a destination: this one is ignored", RFC8460_TXT),
};

static bool known(mtasts_code code) {
  return (unsigned)code < (unsigned)MTASTS_CODE_COUNT_;
}

const char *hint_for(mtasts_code code) {
  if (!known(code) || hints[code].hint == NULL)
    return "";
  return hints[code].hint;
}

static const char *section_of(cli_kind kind) {
  switch (kind) {
  case KIND_POLICY:
    return RFC8461_POLICY;
  case KIND_STS:
    return RFC8461_TXT;
  case KIND_TLSRPT:
    return RFC8460_TXT;
  }
  return "";
}

const char *rfc_for(mtasts_code code, cli_kind kind) {
  if (!known(code) || hints[code].hint == NULL)
    return "";
  if (kind == KIND_TLSRPT && hints[code].rfc_tlsrpt != NULL)
    return hints[code].rfc_tlsrpt;
  if (hints[code].rfc == NULL)
    return section_of(kind);
  return hints[code].rfc;
}

/* ------------------------------------------------------------------ */
/* Shapes of published policies (issue 17)                             */
/* ------------------------------------------------------------------ */

/* The failing line, split as the parser splits it: name, ":", WSP, value
 * (without trailing WSP). name_len is 0 when the line has no ":". */
typedef struct shape_line {
  const char *line, *value;
  size_t line_len, name_len, value_len;
} shape_line;

static shape_line line_at(const char *body, size_t len, size_t offset) {
  size_t start = offset < len ? offset : len, end;
  while (start > 0 && body[start - 1] != '\n')
    start--;
  for (end = start; end < len && body[end] != '\n' && body[end] != '\r';)
    end++;
  shape_line l = {body + start, NULL, end - start, 0, 0};
  const char *colon = memchr(l.line, ':', l.line_len);
  if (colon == NULL)
    return l;
  l.name_len = (size_t)(colon - l.line);
  const char *v = colon + 1, *e = l.line + l.line_len;
  while (v < e && (*v == ' ' || *v == '\t'))
    v++;
  while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  l.value = v;
  l.value_len = (size_t)(e - v);
  return l;
}

static bool span_is(const char *p, size_t n, const char *s) {
  return strlen(s) == n && memcmp(p, s, n) == 0;
}

static bool has_byte(const char *p, size_t n, const char *set) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != '\0' && strchr(set, p[i]) != NULL)
      return true;
  return false;
}

/* Case-insensitive search of an ASCII word; no locale. */
static bool has_word(const char *p, size_t n, const char *w) {
  size_t wn = strlen(w);
  for (size_t i = 0; i + wn <= n; i++) {
    size_t k = 0;
    while (k < wn && (p[i + k] | 0x20) == w[k])
      k++;
    if (k == wn)
      return true;
  }
  return false;
}

/* A BOM of UTF-16, or ASCII with every other byte NUL. */
static bool utf16(const char *b, size_t len) {
  if (len >= 2 && ((b[0] == '\xff' && b[1] == '\xfe') || (b[0] == '\xfe' && b[1] == '\xff')))
    return true;
  return len >= 4 && ((b[1] == '\0' && b[3] == '\0' && b[0] != '\0') ||
                      (b[0] == '\0' && b[2] == '\0' && b[1] != '\0'));
}

/* Template text: alternatives, brackets, "your...", or the field's own
 * name in capitals (mode: MODE). */
static bool placeholder(const shape_line *l) {
  if (has_byte(l->value, l->value_len, "[]<>{}|") || has_word(l->value, l->value_len, "your"))
    return true;
  if (l->value_len != l->name_len || l->value_len == 0)
    return false;
  for (size_t i = 0; i < l->value_len; i++)
    if ((l->value[i] >= 'a' && l->value[i] <= 'z') || (l->value[i] | 0x20) != (l->line[i] | 0x20))
      return false;
  return true;
}

static const char *mode_shape(const shape_line *l) {
  if (has_word(l->value, l->value_len, "enforc"))
    return "did you mean mode: enforce? (the modes are enforce, testing and none)";
  if (has_word(l->value, l->value_len, "test"))
    return "did you mean mode: testing? (the modes are enforce, testing and none)";
  return NULL;
}

static const char *mx_shape(const shape_line *l) {
  const char *v = l->value;
  size_t n = l->value_len;
  if ((n > 0 && v[0] >= '0' && v[0] <= '9' && memchr(v, ' ', n) != NULL) ||
      has_word(v, n < 9 ? n : 9, "priority"))
    return "this looks like an MX priority or a zone file's MX line: write only the host name";
  if (has_byte(v, n, ", "))
    return "one host per line: write a separate mx: line for each MX host";
  if (has_word(v, n, "://"))
    return "write only the host name, not a URL";
  if (n > 1 && memchr(v + 1, '*', n - 1) != NULL)
    return "\"*\" stands for one whole leftmost label: write *.example.com, not alt*.example.com";
  return NULL;
}

static const char *max_age_shape(const shape_line *l) {
  if (has_word(l->value, l->value_len, "enforce") || has_word(l->value, l->value_len, "testing"))
    return "max_age is a number of seconds: the mode belongs on the mode: line";
  if (l->value_len > 1 && l->value[0] >= '0' && l->value[0] <= '9')
    return "max_age is in seconds, digits only: no unit, e.g. 604800 for a week";
  return NULL;
}

/* The shapes of one "name: value" line, most specific first. */
static const char *value_shape(const shape_line *l) {
  if (placeholder(l))
    return "this looks like a template placeholder: replace it with your own value";
  if (has_byte(l->value, l->value_len, "#"))
    return "a comment is not allowed here: a policy has no comments, remove \"#\" and what "
           "follows";
  const char *s = NULL;
  if (span_is(l->line, l->name_len, "mode"))
    s = mode_shape(l);
  else if (span_is(l->line, l->name_len, "mx"))
    s = mx_shape(l);
  else if (span_is(l->line, l->name_len, "max_age"))
    s = max_age_shape(l);
  return s;
}

const char *hint_policy_shape(mtasts_code code, const char *body, size_t len, size_t offset) {
  if (code == MTASTS_OK || mtasts_is_warning(code) || body == NULL)
    return NULL;
  if ((code == MTASTS_E_NUL || code == MTASTS_E_POLICY_FIELD_NAME) && utf16(body, len))
    return "this is UTF-16 text: save the file as UTF-8 (plain ASCII)";
  shape_line l = line_at(body, len, offset);
  if (code == MTASTS_E_POLICY_FIELD_NAME && span_is(l.line, l.line_len, "---"))
    return "this looks like a site generator's front matter: it must not be in the served file";
  if (code == MTASTS_E_POLICY_FIELD_NAME && l.line_len > 0 && l.line[0] == '#')
    return "a comment is not allowed in a policy: remove the line";
  bool in_value = code == MTASTS_E_POLICY_MODE || code == MTASTS_E_POLICY_MAX_AGE ||
                  code == MTASTS_E_POLICY_MX_SYNTAX || code == MTASTS_E_POLICY_VERSION;
  return in_value && l.value != NULL ? value_shape(&l) : NULL;
}
