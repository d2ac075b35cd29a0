#include "impls.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void replace_all(sbuf *out, const char *s, const char *key, const char *value) {
  size_t key_len = strlen(key);
  const char *hit;
  while ((hit = strstr(s, key)) != NULL) {
    sb_putn(out, s, (size_t)(hit - s));
    sb_puts(out, value);
    s = hit + key_len;
  }
  sb_puts(out, s);
}

char *resolve_arg(const char *arg, const conf_paths *paths, bool is_command) {
  sbuf a, b;
  sb_init(&a);
  sb_init(&b);
  replace_all(&a, arg, "${root}", paths->root);
  replace_all(&b, sb_str(&a), "${build}", paths->build);
  sb_free(&a);
  char *resolved = sb_take(&b);
  if (!is_command || resolved[0] == '/' || !strchr(resolved, '/'))
    return resolved; /* absolute, or a bare name found through PATH */
  const char *bases[] = {paths->root, paths->build};
  for (size_t i = 0; i < 2; i++) {
    sbuf candidate;
    sb_init(&candidate);
    sb_printf(&candidate, "%s/%s", bases[i], resolved);
    if (access(sb_str(&candidate), X_OK) == 0 || i == 1) {
      free(resolved);
      return sb_take(&candidate);
    }
    sb_free(&candidate);
  }
  return resolved; /* not reached */
}

static char **string_array(const json_t *arr, const conf_paths *paths, bool resolve,
                           size_t *count) {
  size_t n = json_array_size(arr);
  char **out = xmalloc((n + 1) * sizeof *out);
  for (size_t i = 0; i < n; i++) {
    const char *s = json_string_value(json_array_get(arr, i));
    out[i] = resolve ? resolve_arg(s, paths, i == 0) : xstrdup(s);
  }
  out[n] = NULL;
  if (count)
    *count = n;
  return out;
}

static void free_strings(char **v) {
  if (!v)
    return;
  for (char **p = v; *p; p++)
    free(*p);
  free(v);
}

static bool all_strings(const json_t *arr, bool non_empty) {
  if (!json_is_array(arr) || (non_empty && json_array_size(arr) == 0))
    return false;
  size_t i;
  json_t *item;
  json_array_foreach(arr, i, item) {
    if (!json_is_string(item))
      return false;
  }
  return true;
}

/* Names become file names (stderr logs) and HTML attributes: keep them plain. */
static bool plain_name(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++) {
    char c = *s;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok)
      return false;
  }
  return true;
}

static bool load_one(const json_t *entry, const conf_paths *paths, conf_impl *im, sbuf *err) {
  const char *name = json_string_value(json_object_get(entry, "name"));
  if (!name || !plain_name(name)) {
    sb_puts(err, "an implementation needs a name of letters, digits, '-', '_', '.'");
    return false;
  }
  im->name = xstrdup(name);
  const char *desc = json_string_value(json_object_get(entry, "description"));
  im->description = xstrdup(desc ? desc : "");

  json_t *command = json_object_get(entry, "command");
  if (!all_strings(command, true)) {
    sb_printf(err, "%s: command must be a non-empty array of strings", name);
    return false;
  }
  im->argv = string_array(command, paths, true, NULL);

  json_t *probe = json_object_get(entry, "available");
  if (probe) {
    if (!all_strings(probe, true)) {
      sb_printf(err, "%s: available must be a non-empty array of strings", name);
      return false;
    }
    im->probe_argv = string_array(probe, paths, true, NULL);
  }

  json_t *kinds = json_object_get(entry, "kinds");
  if (!all_strings(kinds, true)) {
    sb_printf(err, "%s: kinds must be a non-empty array of kind names", name);
    return false;
  }
  size_t i;
  json_t *item;
  json_array_foreach(kinds, i, item) {
    conf_kind k = vector_kind_from_name(json_string_value(item));
    if (k == KIND_COUNT) {
      /* Scenarios go through the `resolve` adapter and the scenario
       * driver, never through this adapter. */
      sb_printf(err, "%s: unknown kind \"%s\"", name, json_string_value(item));
      return false;
    }
    im->kinds[k] = true;
  }

  json_t *profiles = json_object_get(entry, "profiles");
  if (!profiles) {
    im->profiles[PROFILE_STRICT] = true;
  } else {
    if (!all_strings(profiles, true)) {
      sb_printf(err, "%s: profiles must be a non-empty array of \"strict\" / \"lenient\"", name);
      return false;
    }
    json_array_foreach(profiles, i, item) {
      conf_profile p = profile_from_name(json_string_value(item));
      if (p == PROFILE_COUNT) {
        sb_printf(err, "%s: unknown profile \"%s\"", name, json_string_value(item));
        return false;
      }
      im->profiles[p] = true;
    }
  }

  json_t *acceptable = json_object_get(entry, "acceptable");
  if (acceptable && !all_strings(acceptable, false)) {
    sb_printf(err, "%s: acceptable must be an array of flag names", name);
    return false;
  }
  im->acceptable = string_array(acceptable, paths, false, &im->acceptable_count);

  json_t *own = json_object_get(entry, "own");
  if (own && !json_is_boolean(own)) {
    sb_printf(err, "%s: own must be true or false", name);
    return false;
  }
  im->own = json_is_true(own);
  return true;
}

bool impls_load(const char *path, const conf_paths *paths, conf_impls *out, sbuf *err) {
  memset(out, 0, sizeof *out);
  json_error_t jerr;
  json_t *doc = json_load_file(path, 0, &jerr);
  if (!doc) {
    sb_printf(err, "%s:%d: %s", path, jerr.line, jerr.text);
    return false;
  }
  /* Either a bare list or {"implementations": [...]} (room for comments). */
  json_t *list = json_is_array(doc) ? doc : json_object_get(doc, "implementations");
  if (!json_is_array(list) || json_array_size(list) == 0) {
    sb_printf(err, "%s: expected a non-empty list of implementations", path);
    json_decref(doc);
    return false;
  }
  out->count = json_array_size(list);
  out->items = xmalloc(out->count * sizeof out->items[0]);
  memset(out->items, 0, out->count * sizeof out->items[0]);
  bool ok = true;
  for (size_t i = 0; ok && i < out->count; i++) {
    ok = load_one(json_array_get(list, i), paths, &out->items[i], err);
    for (size_t j = 0; ok && j < i; j++)
      if (strcmp(out->items[j].name, out->items[i].name) == 0) {
        sb_printf(err, "%s: implementation \"%s\" is listed twice", path, out->items[i].name);
        ok = false;
      }
  }
  json_decref(doc);
  if (!ok)
    impls_free(out);
  return ok;
}

void impls_free(conf_impls *impls) {
  for (size_t i = 0; i < impls->count; i++) {
    conf_impl *im = &impls->items[i];
    free(im->name);
    free(im->description);
    free_strings(im->argv);
    free_strings(im->probe_argv);
    free_strings(im->acceptable);
    free(im->exit_note);
  }
  free(impls->items);
  memset(impls, 0, sizeof *impls);
}

bool impl_name_in_list(const char *name, const char *list) {
  size_t n = strlen(name);
  for (const char *p = list; *p;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == n && strncmp(p, name, n) == 0)
      return true;
    p += len + (comma ? 1 : 0);
  }
  return false;
}
