#include "verdict.h"

#include "vectors.h"

#include <stdlib.h>
#include <string.h>

static bool optional_type_ok(const json_t *value, bool (*is_type)(const json_t *)) {
  return !value || is_type(value);
}

static bool is_object(const json_t *v) {
  return json_is_object(v);
}
static bool is_string(const json_t *v) {
  return json_is_string(v);
}
static bool is_offset(const json_t *v) {
  return json_is_integer(v) && json_integer_value(v) >= 0;
}

static void put_excerpt(sbuf *why, const char *line, size_t len) {
  sb_puts(why, ": \"");
  sb_put_readable(why, (const unsigned char *)line, len, 80);
  sb_putc(why, '"');
}

json_t *response_parse(const char *line, size_t len, long long tc_id, sbuf *why) {
  json_error_t jerr;
  json_t *resp = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
  if (!resp || !json_is_object(resp)) {
    sb_puts(why, resp ? "answer is not a JSON object" : "answer is not JSON");
    put_excerpt(why, line, len);
    json_decref(resp);
    return NULL;
  }
  json_t *id = json_object_get(resp, "tcId");
  if (!json_is_integer(id) || json_integer_value(id) != tc_id) {
    sb_printf(why, "answer is for another tcId (sent %lld)", tc_id);
    put_excerpt(why, line, len);
    json_decref(resp);
    return NULL;
  }
  const char *result = json_string_value(json_object_get(resp, "result"));
  if (!result ||
      (strcmp(result, "valid") && strcmp(result, "invalid") && strcmp(result, "unsupported"))) {
    sb_puts(why, "answer has no result valid / invalid / unsupported");
    put_excerpt(why, line, len);
    json_decref(resp);
    return NULL;
  }
  if (!optional_type_ok(json_object_get(resp, "fields"), is_object) ||
      !optional_type_ok(json_object_get(resp, "error"), is_string) ||
      !optional_type_ok(json_object_get(resp, "offset"), is_offset) ||
      !optional_type_ok(json_object_get(resp, "warnings"), conf_is_string_array)) {
    sb_puts(why, "answer has a member of the wrong type (fields, error, offset or warnings)");
    put_excerpt(why, line, len);
    json_decref(resp);
    return NULL;
  }
  return resp;
}

static bool has_acceptable_flag(const conf_impl *im, const json_t *test) {
  json_t *flags = json_object_get(test, "flags");
  for (size_t i = 0; i < json_array_size(flags); i++) {
    const char *flag = json_string_value(json_array_get(flags, i));
    for (size_t j = 0; flag && j < im->acceptable_count; j++)
      if (strcmp(flag, im->acceptable[j]) == 0)
        return true;
  }
  return false;
}

const char *expected_result(const conf_impl *im, const conf_vector *v) {
  const char *result = vector_result(v);
  if (strcmp(result, "acceptable") != 0)
    return result;
  if (im->own) {
    const char *ours = json_string_value(json_object_get(v->test, "acceptableResult"));
    if (ours && (strcmp(ours, "valid") == 0 || strcmp(ours, "invalid") == 0))
      return ours;
  }
  return has_acceptable_flag(im, v->test) ? "valid" : "invalid";
}

static void put_json(sbuf *b, const json_t *value) {
  char *s = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  sb_puts(b, s ? s : "(none)");
  free(s);
}

static void put_got(sbuf *b, const json_t *resp) {
  const char *result = json_string_value(json_object_get(resp, "result"));
  const char *error = json_string_value(json_object_get(resp, "error"));
  json_t *offset = json_object_get(resp, "offset");
  sb_puts(b, result);
  if (error)
    sb_printf(b, " %s", error);
  if (offset)
    sb_printf(b, " at %lld", json_integer_value(offset));
}

/* A valid answer that agrees with a valid expectation: the fields (and for
 * our own parser the warnings, when the vector lists them) must match. */
static conf_verdict judge_fields(const conf_impl *im, const conf_vector *v, const json_t *resp,
                                 sbuf *reason) {
  json_t *expected = json_object_get(v->test, "expected");
  json_t *fields = json_object_get(resp, "fields");
  json_t *empty = json_object();
  bool same = expected && json_equal(expected, fields ? fields : empty);
  json_decref(empty);
  if (!expected) {
    sb_puts(reason, "vector has no expected fields; result alone compared");
    return VERDICT_PASS;
  }
  if (!same) {
    sb_puts(reason, "fields differ: expected ");
    put_json(reason, expected);
    sb_puts(reason, ", got ");
    put_json(reason, fields);
    return VERDICT_FAIL;
  }
  json_t *want_warnings = json_object_get(v->test, "warnings");
  if (im->own && want_warnings) {
    json_t *got_warnings = json_object_get(resp, "warnings");
    if (!got_warnings || !json_equal(want_warnings, got_warnings)) {
      sb_puts(reason, "warnings differ: expected ");
      put_json(reason, want_warnings);
      sb_puts(reason, ", got ");
      put_json(reason, got_warnings);
      return VERDICT_FAIL;
    }
  }
  return VERDICT_PASS;
}

/* An invalid answer that agrees: our own parser must also name the error
 * the vector hints at. */
static conf_verdict judge_error(const conf_impl *im, const conf_vector *v, const json_t *resp,
                                sbuf *reason) {
  const char *hint = json_string_value(json_object_get(v->test, "errorHint"));
  const char *error = json_string_value(json_object_get(resp, "error"));
  if (im->own && hint && (!error || strcmp(hint, error) != 0)) {
    sb_printf(reason, "expected invalid %s, got ", hint);
    put_got(reason, resp);
    return VERDICT_FAIL;
  }
  return VERDICT_PASS;
}

conf_verdict judge(const conf_impl *im, const conf_vector *v, const json_t *resp, sbuf *reason) {
  const char *got = json_string_value(json_object_get(resp, "result"));
  const char *want = expected_result(im, v);
  bool acceptable_vector = strcmp(vector_result(v), "acceptable") == 0;
  if (strcmp(got, "unsupported") == 0) {
    /* Our adapter claims every kind it is configured for: unsupported is a
     * broken promise there, a plain gap elsewhere. */
    sb_puts(reason, "adapter answered unsupported");
    return im->own ? VERDICT_ERROR : VERDICT_UNSUPPORTED;
  }
  bool agrees = strcmp(got, want) == 0;
  bool got_valid = strcmp(got, "valid") == 0;
  if (agrees)
    return got_valid ? judge_fields(im, v, resp, reason) : judge_error(im, v, resp, reason);
  if (got_valid && acceptable_vector && !im->own && json_object_get(v->test, "expected")) {
    /* Accepting may be optional here, but accepting with the wrong
     * fields is still wrong. */
    if (judge_fields(im, v, resp, reason) == VERDICT_FAIL)
      return VERDICT_FAIL;
    sb_reset(reason);
  }
  /* Disagreement. */
  if (acceptable_vector && !im->own) {
    sb_printf(reason, "%s where its acceptable flags expect %s: allowed", got, want);
    return VERDICT_ACCEPTABLE;
  }
  sb_printf(reason, "expected %s, got ", want);
  put_got(reason, resp);
  return VERDICT_FAIL;
}
