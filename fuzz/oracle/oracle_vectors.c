/*
 * oracle_vectors.c - run every vector of the vectors/ JSON files through the oracle.
 *
 * The vectors (written from gen_vectors.py tables, linted against a Python
 * reference model) and the oracle (the ABNF interpreted from data) are two
 * independent readings of the spec; this test makes them agree on each
 * outcome, on the extracted fields, and on whether a lenient acceptance
 * needed a deviation. Usage: oracle_vectors VECTORS_DIR
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle/oracle.h"

static int failures, checks;

static void fail(const char *file, json_int_t tc, const char *what) {
  failures++;
  fprintf(stderr, "FAIL %s tcId %lld: %s\n", file, (long long)tc, what);
}

/* Hex to bytes; returns a malloc'd buffer (never NULL) and its length. */
static unsigned char *unhex(const char *hex, size_t *len) {
  size_t n = strlen(hex) / 2;
  unsigned char *out = malloc(n + 1);
  if (out == NULL)
    abort();
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    if (sscanf(hex + 2 * i, "%2x", &v) != 1)
      abort();
    out[i] = (unsigned char)v;
  }
  *len = n;
  return out;
}

static bool str_equals(const unsigned char *base, oracle_str s, json_t *want) {
  const char *w = json_string_value(want);
  return w != NULL && strlen(w) == s.len && memcmp(base + s.off, w, s.len) == 0;
}

/* The outcome mtasts must produce: valid, or acceptable resolved to valid. */
static bool want_valid(json_t *t) {
  const char *r = json_string_value(json_object_get(t, "result"));
  if (r != NULL && strcmp(r, "acceptable") == 0)
    r = json_string_value(json_object_get(t, "acceptableResult"));
  return r != NULL && strcmp(r, "valid") == 0;
}

static bool want_deviation(json_t *t) {
  json_t *w = json_object_get(t, "warnings");
  size_t i;
  json_t *v;
  json_array_foreach(w, i, v) {
    if (strcmp(json_string_value(v), "W_DUPLICATE_FIELD") != 0)
      return true;
  }
  return false;
}

/* Join an RR's strings (a JSON array of hex strings). */
static unsigned char *join_strings(json_t *strings, size_t *len) {
  size_t total = 0, i;
  json_t *s;
  json_array_foreach(strings, i, s) total += strlen(json_string_value(s)) / 2;
  unsigned char *out = malloc(total + 1);
  if (out == NULL)
    abort();
  *len = 0;
  json_array_foreach(strings, i, s) {
    size_t n;
    unsigned char *b = unhex(json_string_value(s), &n);
    memcpy(out + *len, b, n);
    *len += n;
    free(b);
  }
  return out;
}

static void check_txt(const char *file, json_int_t tc, json_t *t, oracle_verdict v,
                      const oracle_txt *o, const unsigned char *base) {
  checks++;
  if ((v == ORACLE_VALID) != want_valid(t)) {
    fail(file, tc, o->why ? o->why : "oracle accepts");
    return;
  }
  if (v != ORACLE_VALID)
    return;
  if (!str_equals(base, o->id, json_object_get(json_object_get(t, "expected"), "id")))
    fail(file, tc, "id");
  if (o->deviation != want_deviation(t))
    fail(file, tc, "deviation");
}

static void check_tlsrpt(const char *file, json_int_t tc, json_t *t, oracle_verdict v,
                         const oracle_tlsrpt *o, const unsigned char *base) {
  checks++;
  if ((v == ORACLE_VALID) != want_valid(t)) {
    fail(file, tc, o->why ? o->why : "oracle accepts");
    return;
  }
  if (v != ORACLE_VALID)
    return;
  json_t *rua = json_object_get(json_object_get(t, "expected"), "rua");
  if (json_array_size(rua) != o->rua_count) {
    fail(file, tc, "rua count");
    return;
  }
  for (size_t i = 0; i < o->rua_count; i++)
    if (!str_equals(base, o->rua[i].uri, json_array_get(rua, i)))
      fail(file, tc, "rua");
  if (o->deviation != want_deviation(t))
    fail(file, tc, "deviation");
}

static void check_policy(const char *file, json_int_t tc, json_t *t, oracle_verdict v,
                         const oracle_policy *o, const unsigned char *base) {
  checks++;
  if ((v == ORACLE_VALID) != want_valid(t)) {
    fail(file, tc, o->why ? o->why : "oracle accepts");
    return;
  }
  if (v != ORACLE_VALID)
    return;
  json_t *e = json_object_get(t, "expected");
  static const char *const modes[] = {"", "enforce", "testing", "none"};
  if (!str_equals(base, o->version, json_object_get(e, "version")) ||
      strcmp(modes[o->mode], json_string_value(json_object_get(e, "mode"))) != 0 ||
      (json_int_t)o->max_age != json_integer_value(json_object_get(e, "max_age")))
    fail(file, tc, "version / mode / max_age");
  json_t *mx = json_object_get(e, "mx");
  if (json_array_size(mx) != o->mx_count) {
    fail(file, tc, "mx count");
    return;
  }
  for (size_t i = 0; i < o->mx_count; i++)
    if (!str_equals(base, o->mx[i], json_array_get(mx, i)))
      fail(file, tc, "mx");
  if (o->deviation != want_deviation(t))
    fail(file, tc, "deviation");
}

static void run_test(oracle *orc, const char *file, const char *kind, bool lenient, json_t *t) {
  json_int_t tc = json_integer_value(json_object_get(t, "tcId"));
  size_t len = 0;
  unsigned char *in = NULL;
  if (strcmp(kind, "mx-match") == 0) {
    json_t *p = json_object_get(t, "pattern"), *h = json_object_get(t, "host");
    oracle_match m;
    checks++;
    oracle_mx_match(orc, (const unsigned char *)json_string_value(p), json_string_length(p),
                    (const unsigned char *)json_string_value(h), json_string_length(h), &m);
    if ((m.pattern_ok && m.host_ok && m.result > 0) != want_valid(t))
      fail(file, tc, "match");
    return;
  }
  if (strcmp(kind, "txt-rrset") == 0 || strcmp(kind, "tlsrpt-rrset") == 0) {
    json_t *rrset = json_object_get(t, "rrsetHex");
    size_t count = json_array_size(rrset);
    oracle_rr *rrs = calloc(count + 1, sizeof(oracle_rr));
    if (rrs == NULL)
      abort();
    for (size_t i = 0; i < count; i++)
      rrs[i].data = join_strings(json_array_get(rrset, i), &rrs[i].len);
    oracle_select sel;
    if (kind[1] == 'x') {
      oracle_txt o;
      oracle_verdict v = oracle_txt_rrset(orc, rrs, count, lenient, false, &sel, &o);
      check_txt(file, tc, t, v, &o, v == ORACLE_VALID ? rrs[sel.index].data : NULL);
    } else {
      oracle_tlsrpt o;
      oracle_verdict v = oracle_tlsrpt_rrset(orc, rrs, count, lenient, false, &sel, &o);
      check_tlsrpt(file, tc, t, v, &o, v == ORACLE_VALID ? rrs[sel.index].data : NULL);
    }
    for (size_t i = 0; i < count; i++)
      free((void *)(uintptr_t)rrs[i].data);
    free(rrs);
    return;
  }
  if (strcmp(kind, "txt-strings") == 0)
    in = join_strings(json_object_get(t, "stringsHex"), &len);
  else
    in = unhex(json_string_value(json_object_get(t, "inputHex")), &len);
  if (strcmp(kind, "policy") == 0) {
    oracle_policy o;
    check_policy(file, tc, t, oracle_policy_body(orc, in, len, lenient, &o), &o, in);
  } else if (strcmp(kind, "tlsrpt-record") == 0) {
    oracle_tlsrpt o;
    check_tlsrpt(file, tc, t, oracle_tlsrpt_record(orc, in, len, lenient, &o), &o, in);
  } else {
    oracle_txt o;
    check_txt(file, tc, t, oracle_txt_record(orc, in, len, lenient, &o), &o, in);
  }
  free(in);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]);
    return 2;
  }
  static const char *const files[] = {"txt-record", "txt-strings",   "txt-rrset",   "policy",
                                      "mx-match",   "tlsrpt-record", "tlsrpt-rrset"};
  oracle *orc = oracle_new();
  if (orc == NULL)
    return 2;
  for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.json", argv[1], files[f]);
    json_error_t err;
    json_t *doc = json_load_file(path, JSON_ALLOW_NUL, &err);
    if (doc == NULL) {
      fprintf(stderr, "%s: %s\n", path, err.text);
      return 2;
    }
    size_t gi, ti;
    json_t *g, *t;
    json_array_foreach(json_object_get(doc, "testGroups"), gi, g) {
      bool lenient = strcmp(json_string_value(json_object_get(g, "profile")), "lenient") == 0;
      json_array_foreach(json_object_get(g, "tests"), ti, t) {
        run_test(orc, files[f], files[f], lenient, t);
      }
    }
    json_decref(doc);
  }
  oracle_free(orc);
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
