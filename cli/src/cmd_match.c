/* cmd_match.c - `mtasts match PATTERN HOST` and `mtasts match --policy
 * FILE HOST`: the library decides; this file explains the decision. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy_check.h"
#include "report.h"

#define MATCH_RFC                                                                                  \
  "RFC 8461 \xc2\xa7"                                                                              \
  "4.1"

/* A sentence built from fixed text and input bytes (escaped only when
 * printed, so that JSON gets the bytes themselves). */
typedef struct sentence {
  char buf[2048];
  size_t len;
} sentence;

static void say_bytes(sentence *s, const char *p, size_t n) {
  if (n > sizeof s->buf - s->len)
    n = sizeof s->buf - s->len;
  memcpy(s->buf + s->len, p, n);
  s->len += n;
}

static void say(sentence *s, const char *text) {
  say_bytes(s, text, strlen(text));
}

static bool has_blank(const char *p, size_t n) {
  return memchr(p, ' ', n) != NULL || memchr(p, '\t', n) != NULL;
}

/* A pattern or host, in quotes when its edges would not show. */
static void say_value(sentence *s, const char *p, size_t n) {
  bool quote = n == 0 || has_blank(p, n);
  say(s, quote ? "\"" : "");
  say_bytes(s, p, n);
  say(s, quote ? "\"" : "");
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equal_nocase(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

/* The host as matched: one final dot removed (R13). */
static size_t host_len_matched(const char *host, size_t len) {
  return len > 0 && host[len - 1] == '.' ? len - 1 : len;
}

static const char *match_name(mtasts_match m) {
  switch (m) {
  case MTASTS_MATCH_EXACT:
    return "exact";
  case MTASTS_MATCH_WILDCARD:
    return "wildcard";
  case MTASTS_MATCH_NONE:
    return "none";
  case MTASTS_MATCH_BAD_PATTERN:
    return "bad_pattern";
  case MTASTS_MATCH_BAD_HOST:
    return "bad_host";
  }
  return "none";
}

/* ------------------------------------------------------------------ */
/* Why a pattern or host is invalid                                    */
/* ------------------------------------------------------------------ */

/* Parse `text` as the value of an mx line of a policy, and report the
 * error if it lies inside the value: patterns and host names share the
 * RFC 5321 Domain grammar, so the policy parser says exactly what is
 * wrong and where. Returns whether a diagnostic was added. */
static bool explain_as_mx(cli_report *r, const cli_source *src, size_t len) {
  static const char head[] = "version: STSv1\nmode: enforce\nmx: ";
  static const char tail[] = "\nmax_age: 86400\n";
  size_t hn = sizeof head - 1, tn = sizeof tail - 1;
  char *body = malloc(hn + len + tn);
  if (body == NULL)
    return false;
  memcpy(body, head, hn);
  memcpy(body + hn, src->text, len);
  memcpy(body + hn + len, tail, tn);
  mtasts_policy p;
  mtasts_policy_init(&p, NULL, 0, NULL, 0); /* a sizing pass: only the verdict counts */
  mtasts_code code = mtasts_policy_parse(body, hn + len + tn, NULL, &p);
  free(body);
  bool inside = p.err_offset >= hn && p.err_offset <= hn + len;
  bool valid = code == MTASTS_OK || code == MTASTS_E_MX_CAPACITY || code == MTASTS_E_EXT_CAPACITY;
  if (valid || !inside)
    return false;
  report_add(r, code, p.err_offset - hn, src);
  return true;
}

static void explain_bad_host(cli_report *r, sentence *s, const cli_source *host_src) {
  size_t hn = host_len_matched(host_src->text, host_src->len);
  say_value(s, host_src->text, host_src->len);
  say(s, " never matches: it is not a valid host name");
  if (memchr(host_src->text, '*', hn) != NULL)
    say(s, " (only mx patterns may contain \"*\")");
  else if (explain_as_mx(r, host_src, hn))
    snprintf(r->diags[r->count - 1].note, sizeof r->diags[0].note,
             "a host name has the grammar of an mx pattern without \"*.\" (RFC 5321 Domain)");
  else if (has_blank(host_src->text, hn))
    say(s, " (it contains a space or tab)");
}

/* ------------------------------------------------------------------ */
/* Why a valid host matches a valid pattern, or not                    */
/* ------------------------------------------------------------------ */

static size_t count_labels(const char *p, size_t n) {
  size_t labels = 1;
  for (size_t i = 0; i < n; i++)
    labels += p[i] == '.';
  return labels;
}

static void explain_wildcard_miss(sentence *s, const char *pat, size_t pn, const char *host,
                                  size_t hn) {
  const char *suffix = pat + 1; /* ".example.com" */
  size_t sn = pn - 1;
  if (hn > sn && equal_nocase(host + hn - sn, suffix, sn)) {
    char count[32];
    snprintf(count, sizeof count, "%zu", count_labels(host, hn - sn));
    say(s, ": \"*\" stands for exactly one label, and \"");
    say_bytes(s, host, hn - sn);
    say(s, "\" is ");
    say(s, count);
    say(s, " labels");
  } else if (hn == sn - 1 && equal_nocase(host, suffix + 1, hn)) {
    say(s, ": \"*\" must stand for one label before \"");
    say_bytes(s, suffix, sn);
    say(s, "\"");
  } else {
    say(s, ": it does not end in \"");
    say_bytes(s, suffix, sn);
    say(s, "\"");
  }
}

/* "HOST matches the mx pattern PATTERN[where] ..." for a decided match. */
static void explain_match(sentence *s, mtasts_match m, const char *pat, size_t pn, const char *host,
                          size_t hlen, const char *where) {
  size_t hn = host_len_matched(host, hlen);
  say_value(s, host, hlen);
  say(s, m > 0 ? " matches the mx pattern " : " does not match the mx pattern ");
  say_value(s, pat, pn);
  say(s, where);
  if (m == MTASTS_MATCH_EXACT) {
    say(s, ": the same name");
    if (pn != hn || memcmp(pat, host, hn) != 0)
      say(s, " (ignoring case, and one final dot of the host)");
  } else if (m == MTASTS_MATCH_WILDCARD) {
    const char *dot = memchr(host, '.', hn);
    say(s, ": \"*\" stands for the label \"");
    say_bytes(s, host, dot != NULL ? (size_t)(dot - host) : hn);
    say(s, "\"");
  } else if (pn >= 2 && pat[0] == '*') {
    explain_wildcard_miss(s, pat, pn, host, hn);
  } else {
    say(s, ": a pattern without \"*.\" matches only that very name");
  }
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void print_reason(cli_report *r, const sentence *s) {
  print_escaped(r->out, s->buf, s->len);
  fprintf(r->out, "\n  %ssee:%s %s\n", report_style(r, "hint"), report_style(r, "reset"),
          MATCH_RFC);
}

static json_t *reason_json(json_t *o, const sentence *s) {
  json_object_set_new(o, "reason", json_bytes(s->buf, s->len));
  json_object_set_new(o, "rfc", json_string(MATCH_RFC));
  return o;
}

/* ------------------------------------------------------------------ */
/* PATTERN HOST                                                        */
/* ------------------------------------------------------------------ */

static int match_one(const cli_options *o) {
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  const char *pat = o->args[0], *host = o->args[1];
  cli_source pat_src = {"<pattern>", pat, strlen(pat), NULL, NULL};
  cli_source host_src = {"<host>", host, strlen(host), NULL, NULL};
  mtasts_match m = mtasts_mx_match(pat, pat_src.len, host, host_src.len);
  sentence s = {{0}, 0};
  if (m == MTASTS_MATCH_BAD_PATTERN) {
    say_value(&s, host, host_src.len);
    say(&s, " does not match: the mx pattern ");
    say_value(&s, pat, pat_src.len);
    say(&s, " is not valid, and an invalid pattern matches nothing");
    if (!explain_as_mx(&r, &pat_src, pat_src.len) && has_blank(pat, pat_src.len))
      say(&s, " (it contains a space or tab)");
  } else if (m == MTASTS_MATCH_BAD_HOST) {
    explain_bad_host(&r, &s, &host_src);
  } else {
    explain_match(&s, m, pat, pat_src.len, host, host_src.len, "");
  }
  if (o->json && !o->quiet) {
    json_t *res = json_object();
    json_object_set_new(res, "pattern", json_bytes(pat, pat_src.len));
    json_object_set_new(res, "host", json_bytes(host, host_src.len));
    json_object_set_new(res, "match", json_string(match_name(m)));
    report_print_json(&r, "<arguments>", m > 0 ? "match" : "no_match", reason_json(res, &s), NULL);
  } else if (!o->quiet) {
    report_print(&r);
    print_reason(&r, &s);
  }
  return m > 0 ? EXIT_VALID : EXIT_INVALID;
}

/* ------------------------------------------------------------------ */
/* --policy FILE HOST                                                  */
/* ------------------------------------------------------------------ */

static void explain_policy_match(sentence *s, const cli_policy *cp, long i, const char *host,
                                 size_t hlen) {
  const mtasts_span pat = cp->p.mx[i].pattern;
  mtasts_location loc = mtasts_locate(cp->input.data, cp->input.len, pat.off);
  char where[64];
  snprintf(where, sizeof where, " on line %zu", loc.line);
  explain_match(s, mtasts_mx_match(pat.ptr, pat.len, host, hlen), pat.ptr, pat.len, host, hlen,
                where);
}

static void explain_policy_miss(sentence *s, const cli_policy *cp, const char *host, size_t hlen) {
  char count[32];
  say_value(s, host, hlen);
  if (cp->p.mx_count == 0) {
    say(s, " does not match: the policy has no mx pattern (mode: none)");
    return;
  }
  snprintf(count, sizeof count, "%zu", cp->p.mx_count);
  say(s, " matches none of the ");
  say(s, count);
  say(s, cp->p.mx_count == 1 ? " mx pattern: " : " mx patterns: ");
  for (size_t i = 0; i < cp->p.mx_count; i++) {
    say(s, i == 0 ? "" : ", ");
    say_bytes(s, cp->p.mx[i].pattern.ptr, cp->p.mx[i].pattern.len);
  }
}

static json_t *policy_match_json(const cli_policy *cp, const char *host, size_t hlen,
                                 mtasts_match m, long i) {
  json_t *res = json_object();
  json_object_set_new(res, "host", json_bytes(host, hlen));
  json_object_set_new(res, "match", json_string(match_name(m)));
  bool hit = i >= 0;
  mtasts_span pat = hit ? cp->p.mx[i].pattern : (mtasts_span){NULL, 0, 0};
  json_object_set_new(res, "index", hit ? json_integer(i) : json_null());
  json_object_set_new(res, "pattern", hit ? json_bytes(pat.ptr, pat.len) : json_null());
  json_object_set_new(
      res, "line",
      hit ? json_integer((json_int_t)mtasts_locate(cp->input.data, cp->input.len, pat.off).line)
          : json_null());
  return res;
}

static int match_policy(const cli_options *o) {
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  const char *host = o->args[0];
  cli_source host_src = {"<host>", host, strlen(host), NULL, NULL};
  cli_policy cp;
  char err[512];
  if (!policy_check(&r, o->policy, &cp, err, sizeof err))
    return report_trouble(&r, input_name(o->policy), err);
  bool valid = cp.code == MTASTS_OK;
  long i = valid ? mtasts_policy_match(&cp.p, host, host_src.len) : -1;
  mtasts_match m = MTASTS_MATCH_NONE;
  sentence s = {{0}, 0};
  if (!valid) {
    say(&s, "an invalid policy is not used: it matches no host");
  } else if (i >= 0) {
    m = mtasts_mx_match(cp.p.mx[i].pattern.ptr, cp.p.mx[i].pattern.len, host, host_src.len);
    explain_policy_match(&s, &cp, i, host, host_src.len);
  } else if (mtasts_mx_match("x", 1, host, host_src.len) == MTASTS_MATCH_BAD_HOST) {
    m = MTASTS_MATCH_BAD_HOST;
    explain_bad_host(&r, &s, &host_src);
  } else {
    explain_policy_miss(&s, &cp, host, host_src.len);
  }
  if (o->json && !o->quiet) {
    json_t *res = NULL;
    if (valid) {
      res = reason_json(policy_match_json(&cp, host, host_src.len, m, i), &s);
      json_object_set_new(res, "policy", policy_json(&cp));
    }
    report_print_json(&r, cp.src.name,
                      !valid   ? "invalid"
                      : i >= 0 ? "match"
                               : "no_match",
                      res, NULL);
  } else if (!o->quiet) {
    report_print(&r);
    if (!valid)
      report_print_verdict(&r, cp.src.name, "MTA-STS policy", false);
    print_reason(&r, &s);
  }
  policy_free(&cp);
  return i >= 0 ? EXIT_VALID : EXIT_INVALID;
}

int cmd_match(const cli_options *o) {
  return o->policy != NULL ? match_policy(o) : match_one(o);
}
