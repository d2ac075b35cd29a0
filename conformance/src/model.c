#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const kind_names[KIND_COUNT] = {
    "txt-record",    "txt-strings",  "txt-rrset",     "policy",   "mx-match",
    "tlsrpt-record", "tlsrpt-rrset", "tlsrpt-report", "scenario",
};

static const char *const profile_names[PROFILE_COUNT] = {"strict", "lenient"};

static const char *const verdict_names[VERDICT_COUNT] = {
    "pass", "fail", "acceptable", "unsupported", "error",
};

const char *kind_name(conf_kind k) {
  return (unsigned)k < KIND_COUNT ? kind_names[k] : "?";
}

conf_kind kind_from_name(const char *name) {
  for (int k = 0; k < KIND_COUNT; k++)
    if (strcmp(kind_names[k], name) == 0)
      return (conf_kind)k;
  return KIND_COUNT;
}

conf_kind vector_kind_from_name(const char *name) {
  conf_kind k = kind_from_name(name);
  return k < KIND_VECTOR_COUNT ? k : KIND_COUNT;
}

const char *profile_name(conf_profile p) {
  return (unsigned)p < PROFILE_COUNT ? profile_names[p] : "?";
}

conf_profile profile_from_name(const char *name) {
  for (int p = 0; p < PROFILE_COUNT; p++)
    if (strcmp(profile_names[p], name) == 0)
      return (conf_profile)p;
  return PROFILE_COUNT;
}

const char *verdict_name(conf_verdict v) {
  return (unsigned)v < VERDICT_COUNT ? verdict_names[v] : "?";
}

conf_impl_status impl_kind_status(const conf_impl *im, conf_kind kind) {
  return kind == KIND_SCENARIO ? im->scenario_status : im->status;
}

conf_impl_status impl_status(const conf_impl *im) {
  if (im->status == IMPL_RAN || im->scenario_status == IMPL_RAN)
    return IMPL_RAN;
  return im->status != IMPL_PENDING ? im->status : im->scenario_status;
}

void results_add(conf_results *rs, conf_result r) {
  if (rs->count == rs->cap) {
    rs->cap = rs->cap ? rs->cap * 2 : 256;
    rs->items = xrealloc(rs->items, rs->cap * sizeof rs->items[0]);
  }
  rs->items[rs->count++] = r;
}

void results_free(conf_results *rs) {
  for (size_t i = 0; i < rs->count; i++) {
    json_decref(rs->items[i].got);
    free(rs->items[i].reason);
  }
  free(rs->items);
  rs->items = NULL;
  rs->count = rs->cap = 0;
}

bool conf_is_string_array(const json_t *v) {
  if (!json_is_array(v))
    return false;
  for (size_t i = 0; i < json_array_size(v); i++)
    if (!json_is_string(json_array_get(v, i)))
      return false;
  return true;
}
