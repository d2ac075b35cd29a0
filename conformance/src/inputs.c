#include "inputs.h"

#include "vectors.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const format_names[INPUT_FORMAT_COUNT] = {"fuzz", "raw"};

static const char *const skip_names[SKIP_COUNT] = {"none", "empty fuzz input",
                                                   "not UTF-8 (mx-match is sent as JSON strings)",
                                                   "larger than 1 MiB", "unreadable"};

const char *input_format_name(input_format f) {
  return (unsigned)f < INPUT_FORMAT_COUNT ? format_names[f] : "?";
}

input_format input_format_from_name(const char *name) {
  for (int f = 0; f < INPUT_FORMAT_COUNT; f++)
    if (strcmp(format_names[f], name) == 0)
      return (input_format)f;
  return INPUT_FORMAT_COUNT;
}

const char *input_skip_name(input_skip s) {
  return (unsigned)s < SKIP_COUNT ? skip_names[s] : "?";
}

/* ---------------------------------------------------------- payloads */

static json_t *hex_string(const unsigned char *p, size_t n) {
  sbuf b;
  sb_init(&b);
  sb_put_hex(&b, p, n);
  json_t *s = json_stringn(sb_str(&b), b.len);
  sb_free(&b);
  return s;
}

/* One RR's RDATA: length-prefixed character-strings, the last one cut
 * short by the end (fz_strings_decode in fuzz/fuzz_common.c). */
static json_t *wire_strings(const unsigned char *p, size_t n) {
  json_t *list = json_array();
  while (n > 0) {
    size_t want = p[0];
    p++;
    n--;
    size_t take = want < n ? want : n;
    json_array_append_new(list, hex_string(p, take));
    p += take;
    n -= take;
  }
  return list;
}

/* RRs, each a 2-octet big-endian length and its RDATA (fz_rrset_decode). */
static json_t *wire_rrset(const unsigned char *p, size_t n) {
  json_t *list = json_array();
  while (n >= 2) {
    size_t want = ((size_t)p[0] << 8) | p[1];
    p += 2;
    n -= 2;
    size_t take = want < n ? want : n;
    json_array_append_new(list, wire_strings(p, take));
    p += take;
    n -= take;
  }
  return list;
}

/* Pattern LF host, or the whole payload as both (fuzz_mx_match.c). JSON
 * strings hold UTF-8 only: jansson refuses anything else. */
static bool put_mx_pair(json_t *test, const unsigned char *p, size_t n) {
  const unsigned char *lf = n ? memchr(p, '\n', n) : NULL;
  size_t plen = lf ? (size_t)(lf - p) : n;
  const unsigned char *host = lf ? lf + 1 : p;
  size_t hlen = lf ? n - plen - 1 : n;
  json_t *pattern = json_stringn((const char *)p, plen);
  json_t *h = json_stringn((const char *)host, hlen);
  if (!pattern || !h) {
    json_decref(pattern);
    json_decref(h);
    return false;
  }
  json_object_set_new(test, "pattern", pattern);
  json_object_set_new(test, "host", h);
  return true;
}

json_t *input_to_test(conf_kind kind, input_format format, const unsigned char *data, size_t n,
                      size_t *payload_len, input_skip *skip) {
  *skip = SKIP_NONE;
  *payload_len = 0;
  /* fuzz_mx_match and fuzz_report read the whole input, no flags byte. */
  bool has_flags = format == INPUT_FUZZ && kind != KIND_MX_MATCH && kind != KIND_TLSRPT_REPORT;
  if (has_flags && n == 0) {
    *skip = SKIP_EMPTY;
    return NULL;
  }
  const unsigned char *p = has_flags ? data + 1 : data;
  size_t len = has_flags ? n - 1 : n;
  *payload_len = len;
  json_t *test = json_object();
  switch (kind) {
  case KIND_TXT_RECORD:
  case KIND_POLICY:
  case KIND_TLSRPT_RECORD:
  case KIND_TLSRPT_REPORT:
    json_object_set_new(test, "inputHex", hex_string(p, len));
    break;
  case KIND_TXT_STRINGS:
    json_object_set_new(test, "stringsHex", wire_strings(p, len));
    break;
  case KIND_TXT_RRSET:
  case KIND_TLSRPT_RRSET:
    json_object_set_new(test, "rrsetHex", wire_rrset(p, len));
    break;
  case KIND_MX_MATCH:
    if (!put_mx_pair(test, p, len)) {
      json_decref(test);
      *skip = SKIP_NOT_UTF8;
      return NULL;
    }
    break;
  case KIND_SCENARIO:
  case KIND_COUNT:
    break;
  }
  return test;
}

/* ------------------------------------------------------------- files */

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the regular files directly in dir, sorted. */
static bool list_dir(const char *dir, char ***names, size_t *count, sbuf *err) {
  DIR *d = opendir(dir);
  if (!d) {
    sb_printf(err, "cannot read directory %s: %s", dir, strerror(errno));
    return false;
  }
  size_t cap = 0;
  *names = NULL;
  *count = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue; /* ".", "..", and hidden files such as a corpus's .gitkeep */
    sbuf path;
    sb_init(&path);
    sb_printf(&path, "%s/%s", dir, e->d_name);
    struct stat st;
    bool regular = stat(sb_str(&path), &st) == 0 && S_ISREG(st.st_mode);
    sb_free(&path);
    if (!regular)
      continue;
    if (*count == cap) {
      cap = cap ? cap * 2 : 64;
      *names = xrealloc(*names, cap * sizeof **names);
    }
    (*names)[(*count)++] = xstrdup(e->d_name);
  }
  closedir(d);
  if (*count)
    qsort(*names, *count, sizeof **names, by_name);
  return true;
}

/* The whole file, or false (SKIP_TOO_LARGE / SKIP_UNREADABLE in *skip). */
static bool read_file(const char *path, unsigned char **data, size_t *n, input_skip *skip) {
  FILE *f = fopen(path, "rb");
  *data = NULL;
  *n = 0;
  if (!f) {
    *skip = SKIP_UNREADABLE;
    return false;
  }
  sbuf b;
  sb_init(&b);
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= INPUT_MAX_FILE)
    sb_putn(&b, chunk, got);
  bool failed = ferror(f) != 0;
  fclose(f);
  if (failed || b.len > INPUT_MAX_FILE) {
    *skip = failed ? SKIP_UNREADABLE : SKIP_TOO_LARGE;
    sb_free(&b);
    return false;
  }
  *n = b.len;
  *data = (unsigned char *)sb_take(&b);
  return true;
}

static void push_input(diff_inputs *out, size_t *cap, diff_input in) {
  if (out->count == *cap) {
    *cap = *cap ? *cap * 2 : 256;
    out->items = xrealloc(out->items, *cap * sizeof out->items[0]);
  }
  out->items[out->count++] = in;
}

static void add_file(diff_inputs *out, size_t *cap, conf_kind kind, input_format format,
                     const char *path) {
  out->files++;
  unsigned char *data;
  size_t n;
  input_skip skip = SKIP_NONE;
  json_t *test = NULL;
  size_t payload_len = 0;
  if (read_file(path, &data, &n, &skip)) {
    test = input_to_test(kind, format, data, n, &payload_len, &skip);
    free(data);
  }
  if (!test) {
    out->skipped[skip]++;
    if (skip == SKIP_UNREADABLE) {
      out->skipped_paths =
          xrealloc(out->skipped_paths, (out->skipped_paths_count + 1) * sizeof *out->skipped_paths);
      out->skipped_paths[out->skipped_paths_count++] = xstrdup(path);
    }
    return;
  }
  long long id = (long long)out->count + 1;
  json_object_set_new(test, "tcId", json_integer(id));
  json_object_set_new(test, "comment", json_string(path));
  diff_input in = {
      .path = xstrdup(path),
      .payload_len = payload_len,
      .vec = {.kind = kind,
              .profile = PROFILE_STRICT,
              .tc_id = id,
              .test = test,
              .readable_input = vector_readable_input(kind, test)},
  };
  push_input(out, cap, in);
}

bool inputs_load(conf_kind kind, input_format format, char *const *dirs, size_t dir_count,
                 diff_inputs *out, sbuf *err) {
  memset(out, 0, sizeof *out);
  size_t cap = 0;
  for (size_t d = 0; d < dir_count; d++) {
    char **names;
    size_t count;
    if (!list_dir(dirs[d], &names, &count, err))
      return false;
    for (size_t i = 0; i < count; i++) {
      sbuf path;
      sb_init(&path);
      sb_printf(&path, "%s/%s", dirs[d], names[i]);
      add_file(out, &cap, kind, format, sb_str(&path));
      sb_free(&path);
      free(names[i]);
    }
    free(names);
  }
  return true;
}

void inputs_free(diff_inputs *in) {
  for (size_t i = 0; i < in->count; i++) {
    free(in->items[i].path);
    free(in->items[i].vec.readable_input);
    json_decref(in->items[i].vec.test);
  }
  free(in->items);
  for (size_t i = 0; i < in->skipped_paths_count; i++)
    free(in->skipped_paths[i]);
  free(in->skipped_paths);
  memset(in, 0, sizeof *in);
}
