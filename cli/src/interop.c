/*
 * interop.c - the interop impact of a policy's mistakes, looked up in the
 * two data files compiled in (cli/embed.cmake). The data says, per
 * implementation and per mistake, accepts / rejects / misreads / depends;
 * this file only ranks and lists, so a new measurement or a new reading
 * changes the data, never the code.
 */
#include "interop.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char interop_measured[];
extern const size_t interop_measured_len;
extern const unsigned char interop_read[];
extern const size_t interop_read_len;

static bool has_code(const mtasts_code *c, size_t n, mtasts_code x) {
  for (size_t i = 0; i < n; i++)
    if (c[i] == x)
      return true;
  return false;
}

/* Lenient, because its warnings name the mistakes strict stops at
 * (W_POLICY_TRAILING_BLANK rather than E_POLICY_BLANK_LINE) and it reads
 * on past them. Sized like policy_check: a pass without storage first. */
size_t interop_conditions(const char *body, size_t len, mtasts_code *out, size_t cap) {
  mtasts_diag items[64];
  mtasts_diags w = {items, sizeof items / sizeof items[0], 0};
  mtasts_options opt = {MTASTS_LENIENT, 0, &w};
  mtasts_policy p;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_policy_init(&p, NULL, 0, ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse(body, len, &opt, &p);
  mtasts_mx *mx = NULL;
  if (code == MTASTS_E_MX_CAPACITY) {
    mx = calloc(p.mx_needed, sizeof *mx);
    if (mx == NULL)
      return 0;
    mtasts_policy_init(&p, mx, p.mx_needed, ext, MTASTS_MAX_EXTENSIONS);
    code = mtasts_policy_parse(body, len, &opt, &p);
  }
  /* count goes on past cap (warnings not stored): read only what is. */
  size_t n = 0, stored = w.count < w.cap ? w.count : w.cap;
  for (size_t i = 0; i < stored && n < cap; i++)
    if (!has_code(out, n, w.items[i].code))
      out[n++] = w.items[i].code;
  if (code != MTASTS_OK && n < cap)
    out[n++] = code;
  free(mx);
  return n;
}

/* The lists, by rank: misreads 1, depends 2, rejects 3 (accepts 0). */
static const char *const list_names[] = {NULL, "misread", "may_not_apply", "will_not_apply"};

static int rank(const char *verdict) {
  static const char *const order[] = {"accepts", "misreads", "depends", "rejects"};
  for (int i = 0; verdict != NULL && i < 4; i++)
    if (strcmp(verdict, order[i]) == 0)
      return i;
  return -1;
}

static void copy_key(json_t *to, const json_t *from, const char *key) {
  json_t *v = json_object_get(from, key);
  if (v != NULL)
    json_object_set(to, key, v);
}

/* One implementation: its worst verdict over the conditions, with the
 * condition and the data that gave it. */
static void add_impl(json_t *impact, const json_t *impl, const char *data, const mtasts_code *conds,
                     size_t n) {
  const json_t *table = json_object_get(impl, "conditions");
  int worst = 0;
  const json_t *why = NULL;
  mtasts_code which = MTASTS_OK;
  for (size_t i = 0; i < n; i++) {
    const json_t *c = json_object_get(table, mtasts_errname(conds[i]));
    int r = rank(json_string_value(json_object_get(c, "verdict")));
    if (r > worst) {
      worst = r;
      why = c;
      which = conds[i];
    }
  }
  if (worst <= 0)
    return;
  json_t *e = json_object();
  copy_key(e, impl, "name");
  copy_key(e, impl, "version");
  json_object_set_new(e, "data", json_string(data));
  copy_key(e, impl, "source");
  json_object_set_new(e, "condition", json_string(mtasts_errname(which)));
  static const char *const keys[] = {"verdict", "why", "accepted", "rejected", "misread"};
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
    copy_key(e, why, keys[k]);
  json_array_append_new(json_object_get(impact, list_names[worst]), e);
}

static void add_file(json_t *impact, const unsigned char *text, size_t len, const char *data,
                     const mtasts_code *conds, size_t n) {
  json_t *doc = json_loadb((const char *)text, len, 0, NULL);
  const json_t *impls = json_object_get(doc, "implementations");
  for (size_t i = 0; i < json_array_size(impls); i++)
    add_impl(impact, json_array_get(impls, i), data, conds, n);
  json_decref(doc);
}

json_t *interop_impact(const mtasts_code *conds, size_t n) {
  json_t *impact = json_object();
  json_t *names = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(names, json_string(mtasts_errname(conds[i])));
  json_object_set_new(impact, "conditions", names);
  for (size_t i = 3; i >= 1; i--)
    json_object_set_new(impact, list_names[i], json_array());
  add_file(impact, interop_measured, interop_measured_len, "measured", conds, n);
  add_file(impact, interop_read, interop_read_len, "read", conds, n);
  return impact;
}

static void print_list(FILE *f, const char *label, const json_t *list, bool always) {
  if (json_array_size(list) == 0 && !always)
    return;
  fprintf(f, "%s: ", label);
  if (json_array_size(list) == 0)
    fputs("none known", f);
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *e = json_array_get(list, i);
    const char *data = json_string_value(json_object_get(e, "data"));
    bool measured = data != NULL && strcmp(data, "measured") == 0;
    fprintf(f, "%s%s", i > 0 ? ", " : "", json_string_value(json_object_get(e, "name")));
    if (measured)
      fprintf(f, " %s", json_string_value(json_object_get(e, "version")));
    fputs(measured ? " (measured)" : " (read)", f);
  }
  fputc('\n', f);
}

void interop_print(FILE *f, const json_t *impact) {
  print_list(f, "senders that will not apply this policy",
             json_object_get(impact, "will_not_apply"), true);
  print_list(f, "senders that may not apply it (depends on the input)",
             json_object_get(impact, "may_not_apply"), false);
  print_list(f, "senders that apply a different policy", json_object_get(impact, "misread"), false);
}
