#include "vectors.h"

#include <stdlib.h>
#include <string.h>

/* Long inputs (a 64 KiB policy) are cut in reports; the hex is in the file. */
enum { READABLE_LIMIT = 240 };

static void put_hex_readable(sbuf *b, const json_t *hex) {
  if (!json_is_string(hex)) {
    sb_puts(b, "<missing>");
    return;
  }
  unsigned char *bytes;
  size_t n;
  if (!hex_decode(json_string_value(hex), json_string_length(hex), &bytes, &n)) {
    sb_puts(b, "<bad hex>");
    return;
  }
  sb_putc(b, '"');
  sb_put_readable(b, bytes, n, READABLE_LIMIT);
  sb_putc(b, '"');
  free(bytes);
}

static void put_hex_list_readable(sbuf *b, const json_t *list) {
  if (!json_is_array(list)) {
    sb_puts(b, "<missing>");
    return;
  }
  sb_putc(b, '[');
  size_t i;
  json_t *item;
  json_array_foreach(list, i, item) {
    if (i)
      sb_puts(b, ", ");
    if (json_is_array(item))
      put_hex_list_readable(b, item); /* an RRset: a list of lists, one level deep */
    else
      put_hex_readable(b, item);
  }
  sb_putc(b, ']');
}

static void put_string_readable(sbuf *b, const json_t *s) {
  if (!json_is_string(s)) {
    sb_puts(b, "<missing>");
    return;
  }
  sb_putc(b, '"');
  sb_put_readable(b, (const unsigned char *)json_string_value(s), json_string_length(s),
                  READABLE_LIMIT);
  sb_putc(b, '"');
}

char *vector_readable_input(conf_kind kind, const json_t *test) {
  sbuf b;
  sb_init(&b);
  switch (kind) {
  case KIND_TXT_RECORD:
  case KIND_POLICY:
  case KIND_TLSRPT_RECORD:
  case KIND_TLSRPT_REPORT:
    put_hex_readable(&b, json_object_get(test, "inputHex"));
    break;
  case KIND_TXT_STRINGS:
    put_hex_list_readable(&b, json_object_get(test, "stringsHex"));
    break;
  case KIND_TXT_RRSET:
  case KIND_TLSRPT_RRSET:
    put_hex_list_readable(&b, json_object_get(test, "rrsetHex"));
    break;
  case KIND_MX_MATCH:
    sb_puts(&b, "pattern ");
    put_string_readable(&b, json_object_get(test, "pattern"));
    sb_puts(&b, " host ");
    put_string_readable(&b, json_object_get(test, "host"));
    break;
  case KIND_SCENARIO:
  case KIND_COUNT:
    break;
  }
  return sb_take(&b);
}

/* The input keys a request carries, per the protocol. */
static const char *const input_keys[] = {"inputHex", "stringsHex", "rrsetHex", "pattern", "host"};

json_t *vector_request(const conf_vector *v) {
  json_t *req = json_object();
  json_object_set_new(req, "tcId", json_integer(v->tc_id));
  json_object_set_new(req, "kind", json_string(kind_name(v->kind)));
  json_object_set_new(req, "profile", json_string(profile_name(v->profile)));
  for (size_t i = 0; i < sizeof input_keys / sizeof input_keys[0]; i++) {
    json_t *value = json_object_get(v->test, input_keys[i]);
    if (value)
      json_object_set(req, input_keys[i], value);
  }
  return req;
}

const char *vector_result(const conf_vector *v) {
  const char *r = json_string_value(json_object_get(v->test, "result"));
  return r ? r : "?";
}

static bool check_test(const json_t *test, conf_kind kind, sbuf *err) {
  if (!json_is_object(test) || !json_is_integer(json_object_get(test, "tcId"))) {
    sb_printf(err, "%s: a test without an integer tcId", kind_name(kind));
    return false;
  }
  const char *result = json_string_value(json_object_get(test, "result"));
  if (!result ||
      (strcmp(result, "valid") && strcmp(result, "invalid") && strcmp(result, "acceptable"))) {
    sb_printf(err, "%s tcId %lld: result must be valid, invalid or acceptable", kind_name(kind),
              json_integer_value(json_object_get(test, "tcId")));
    return false;
  }
  return true;
}

static void push_vector(conf_vectors *out, size_t *cap, conf_vector v) {
  if (out->count == *cap) {
    *cap = *cap ? *cap * 2 : 512;
    out->items = xrealloc(out->items, *cap * sizeof out->items[0]);
  }
  out->items[out->count++] = v;
}

static bool load_groups(conf_vectors *out, size_t *cap, conf_kind kind, json_t *file, sbuf *err,
                        sbuf *warnings) {
  json_t *groups = json_object_get(file, "testGroups");
  if (!json_is_array(groups)) {
    sb_printf(err, "%s: no testGroups array", kind_name(kind));
    return false;
  }
  size_t before = out->count;
  long long last_id = 0;
  bool ascending = true;
  size_t gi;
  json_t *group;
  json_array_foreach(groups, gi, group) {
    const char *pname = json_string_value(json_object_get(group, "profile"));
    conf_profile profile = pname ? profile_from_name(pname) : PROFILE_STRICT;
    if (profile == PROFILE_COUNT) {
      sb_printf(err, "%s: test group %zu has unknown profile \"%s\"", kind_name(kind), gi, pname);
      return false;
    }
    json_t *tests = json_object_get(group, "tests");
    size_t ti;
    json_t *test;
    json_array_foreach(tests, ti, test) {
      if (!check_test(test, kind, err))
        return false;
      conf_vector v = {
          .kind = kind,
          .profile = profile,
          .tc_id = json_integer_value(json_object_get(test, "tcId")),
          .test = test,
          .readable_input = vector_readable_input(kind, test),
      };
      if (out->count > before && v.tc_id <= last_id)
        ascending = false;
      last_id = v.tc_id;
      push_vector(out, cap, v);
    }
  }
  out->per_kind[kind] = out->count - before;
  json_t *declared = json_object_get(file, "numberOfTests");
  if (json_is_integer(declared) && (size_t)json_integer_value(declared) != out->per_kind[kind])
    sb_printf(warnings, "warning: %s.json: numberOfTests is %lld but the file has %zu tests\n",
              kind_name(kind), json_integer_value(declared), out->per_kind[kind]);
  if (!ascending)
    sb_printf(warnings, "warning: %s.json: tcIds are not unique and ascending\n", kind_name(kind));
  return true;
}

bool vectors_load(const char *dir, conf_vectors *out, sbuf *err, sbuf *warnings) {
  memset(out, 0, sizeof *out);
  size_t cap = 0;
  for (int k = 0; k < KIND_VECTOR_COUNT; k++) {
    sbuf path;
    sb_init(&path);
    sb_printf(&path, "%s/%s.json", dir, kind_name((conf_kind)k));
    FILE *probe = fopen(sb_str(&path), "rb");
    if (!probe) {
      sb_free(&path);
      continue;
    }
    fclose(probe);
    json_error_t jerr;
    /* NUL is legal inside vector strings (an mx-match host with \u0000). */
    json_t *file = json_load_file(sb_str(&path), JSON_ALLOW_NUL, &jerr);
    if (!file) {
      sb_printf(err, "%s:%d: %s", sb_str(&path), jerr.line, jerr.text);
      sb_free(&path);
      vectors_free(out);
      return false;
    }
    sb_free(&path);
    out->files[k] = file;
    const char *declared_kind = json_string_value(json_object_get(file, "kind"));
    if (declared_kind && strcmp(declared_kind, kind_name((conf_kind)k)) != 0) {
      sb_printf(err, "%s.json declares kind \"%s\"", kind_name((conf_kind)k), declared_kind);
      vectors_free(out);
      return false;
    }
    if (!load_groups(out, &cap, (conf_kind)k, file, err, warnings)) {
      vectors_free(out);
      return false;
    }
  }
  return true;
}

void vectors_free(conf_vectors *v) {
  for (size_t i = 0; i < v->count; i++)
    free(v->items[i].readable_input);
  free(v->items);
  for (int k = 0; k < KIND_VECTOR_COUNT; k++)
    json_decref(v->files[k]);
  memset(v, 0, sizeof *v);
}
