/*
 * tlsrpt_read.c - the inputs of `mtasts report`: a report (.json), a gzip
 * one (.json.gz, RFC 8460 5.2), a mail message or an mbox holding reports
 * in application/tlsrpt+gzip or +json parts (5.3; GMime takes the MIME
 * apart), or a directory of those (not recursive). The content decides,
 * not the name. Each JSON document is read by report/ in the --profile; a
 * rejected one is a diagnostic FILE:LINE:COL: error[NAME] with the JSON
 * pointer of the member, the line and column counted in the JSON (after
 * decompression).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#ifdef MTASTS_HAVE_GMIME
#include <gmime/gmime.h>
#endif

#include "tlsrpt_run.h"

/* A file is read whole; a message may hold a report in base64 (4/3). */
#define MAX_FILE_SIZE (2u * MTASTS_REPORT_MAX_SIZE)
/* A message part is opened at most this deep (a report inside a message
 * inside a message ...). */
#define MAX_NESTING 4

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

/* The JSON pointer (RFC 6901) of the member an error is about. */
static void pointer_of(const mtasts_report *r, char *buf, size_t cap) {
  static const char *const in_policy[] = {"policy-type", "policy-string", "policy-domain",
                                          "mx-host"};
  const char *m = r->err_member;
  int k = 0;
  if (r->err_policy != SIZE_MAX) {
    k = snprintf(buf, cap, "/policies/%zu", r->err_policy);
    if (r->err_detail != SIZE_MAX)
      k += snprintf(buf + k, cap - (size_t)k, "/failure-details/%zu", r->err_detail);
    else if (m != NULL && strncmp(m, "total-", 6) == 0)
      k += snprintf(buf + k, cap - (size_t)k, "/summary");
    else
      for (size_t i = 0; m != NULL && i < sizeof in_policy / sizeof in_policy[0]; i++)
        if (strcmp(m, in_policy[i]) == 0)
          k += snprintf(buf + k, cap - (size_t)k, "/policy");
  } else if (m != NULL && strstr(m, "-datetime") != NULL) {
    k = snprintf(buf, cap, "/date-range");
  }
  if (m != NULL)
    snprintf(buf + k, cap - (size_t)k, "/%s", m);
  else if (k == 0)
    snprintf(buf, cap, "%s", "");
}

static void line_col(const unsigned char *text, size_t len, size_t off, size_t *line, size_t *col) {
  size_t l = 1, start = 0;
  for (size_t i = 0; i < off && i < len; i++)
    if (text[i] == '\n') {
      l++;
      start = i + 1;
    }
  *line = l;
  *col = off - start + 1;
}

/* One diagnostic: printed now (text), or kept for the JSON object. */
static void diag(run *x, const char *src, const unsigned char *text, size_t len,
                 mtasts_report_code code, size_t off, const char *pointer) {
  bool warning = mtasts_report_is_warning(code);
  size_t line, col;
  line_col(text, len, off, &line, &col);
  if (x->opt->json || x->opt->html) {
    json_t *d =
        json_pack("{s:s,s:s,s:i,s:s,s:s,s:I,s:I,s:I}", "severity", warning ? "warning" : "error",
                  "name", mtasts_report_errname(code), "code", (int)code, "message",
                  mtasts_report_strerror(code), "source", src, "offset", (json_int_t)off, "line",
                  (json_int_t)line, "column", (json_int_t)col);
    if (pointer != NULL)
      json_object_set_new(d, "pointer", json_string(pointer));
    json_array_append_new(x->diags, d);
  } else if (!x->opt->quiet) {
    /* --csv keeps standard output for the table. */
    FILE *out = x->opt->csv ? stderr : stdout;
    fprintf(out, "%s:%zu:%zu: %s[%s]: %s", src, line, col, warning ? "warning" : "error",
            mtasts_report_errname(code), mtasts_report_strerror(code));
    if (pointer != NULL)
      fprintf(out, " (at %s)", pointer[0] ? pointer : "/");
    fputc('\n', out);
  }
}

/* An input that cannot be read at all (exit status 2). */
static void trouble(run *x, const char *src, const char *what) {
  x->trouble++;
  if (x->opt->json || x->opt->html) {
    json_array_append_new(
        x->diags, json_pack("{s:s,s:s,s:s}", "severity", "error", "source", src, "message", what));
  } else if (!x->opt->quiet) {
    fprintf(stderr, "mtasts: %s: %s\n", src, what);
  }
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static void read_json(run *x, const char *src, const unsigned char *json, size_t len) {
  mtasts_report_diags warnings = {x->warn_items, 64, 0};
  mtasts_report_options o = {x->opt->profile, &warnings};
  mtasts_report r;
  mtasts_report_init(&r, &x->work, x->pol, x->cap_pol, x->det, x->cap_det);
  mtasts_report_code code = mtasts_report_parse((const char *)json, len, &o, &r);
  if (code == MTASTS_E_REPORT_POLICY_CAPACITY || code == MTASTS_E_REPORT_DETAIL_CAPACITY) {
    /* Grown to the largest report so far, then reused. */
    x->cap_pol = r.policy_needed > x->cap_pol ? r.policy_needed : x->cap_pol;
    x->cap_det = r.detail_needed > x->cap_det ? r.detail_needed : x->cap_det;
    x->pol = rpt_xrealloc(x->pol, x->cap_pol * sizeof *x->pol);
    x->det = rpt_xrealloc(x->det, x->cap_det * sizeof *x->det);
    mtasts_report_init(&r, &x->work, x->pol, x->cap_pol, x->det, x->cap_det);
    warnings.count = 0;
    code = mtasts_report_parse((const char *)json, len, &o, &r);
  }
  x->reports++;
  size_t shown = warnings.count < 64 ? warnings.count : 64;
  if (code != MTASTS_REPORT_OK) {
    char pointer[256];
    pointer_of(&r, pointer, sizeof pointer);
    diag(x, src, json, len, code, r.err_offset, pointer);
    x->rejected++;
    return;
  }
  for (size_t i = 0; i < shown; i++)
    diag(x, src, json, len, x->warn_items[i].code, x->warn_items[i].offset, NULL);
  rpt_add_report(x, &r);
}

/* RFC 1952 gzip into x->plain, at most MTASTS_REPORT_MAX_SIZE bytes. */
static const char *gunzip(run *x, const unsigned char *in, size_t n) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return "cannot start zlib";
  z.next_in = (Bytef *)(uintptr_t)in;
  z.avail_in = (uInt)n;
  x->plain.n = 0;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (x->plain.n > MTASTS_REPORT_MAX_SIZE)
      break;
    rpt_reserve(&x->plain, x->plain.n + 65536);
    z.next_out = x->plain.p + x->plain.n;
    z.avail_out = 65536;
    rc = inflate(&z, Z_NO_FLUSH);
    x->plain.n = (size_t)(z.next_out - x->plain.p);
  }
  inflateEnd(&z);
  if (x->plain.n > MTASTS_REPORT_MAX_SIZE)
    return "decompressed report larger than 16 MiB (MTASTS_REPORT_MAX_SIZE): not read";
  return rc == Z_STREAM_END ? NULL : "not a valid gzip stream";
}

static bool is_gzip(const unsigned char *p, size_t n) {
  return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* JSON starts with "{" or "[" after whitespace (a BOM: let the reader say). */
static bool is_json(const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
    i++;
  return i == n || p[i] == '{' || p[i] == '[' || p[i] == 0xef;
}

static void read_data(run *x, const char *src, const unsigned char *p, size_t n, int depth);

#ifdef MTASTS_HAVE_GMIME
typedef struct mime_walk {
  run *x;
  const char *src;
  int depth;
  size_t part;
} mime_walk;

/* A tlsrpt part (RFC 8460 5.3), or one named *.json / *.json.gz. */
static bool report_part(GMimeObject *obj) {
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  if (g_mime_content_type_is_type(ct, "application", "tlsrpt+gzip") ||
      g_mime_content_type_is_type(ct, "application", "tlsrpt+json"))
    return true;
  const char *name = g_mime_part_get_filename((GMimePart *)obj);
  size_t len = name ? strlen(name) : 0;
  return (len > 5 && strcmp(name + len - 5, ".json") == 0) ||
         (len > 8 && strcmp(name + len - 8, ".json.gz") == 0);
}

static void mime_part(GMimeObject *parent, GMimeObject *obj, gpointer data) {
  (void)parent;
  mime_walk *w = data;
  w->part++;
  if (!GMIME_IS_PART(obj) || !report_part(obj))
    return;
  GMimeDataWrapper *content = g_mime_part_get_content((GMimePart *)obj);
  if (content == NULL)
    return;
  GMimeStream *mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, mem);
  GByteArray *ba = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
  char name[1024];
  const char *file = g_mime_part_get_filename((GMimePart *)obj);
  snprintf(name, sizeof name, "%s(%s)", w->src, file ? file : "part");
  read_data(w->x, name, ba->data, ba->len, w->depth + 1);
  g_object_unref(mem);
}

/* A message, or an mbox ("From " first) of them. */
static void read_mime(run *x, const char *src, const unsigned char *p, size_t n, int depth) {
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)p, n);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  bool mbox = n >= 5 && memcmp(p, "From ", 5) == 0;
  g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  size_t messages = 0, reports = x->reports;
  while (!g_mime_parser_eos(parser)) {
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    if (msg == NULL)
      break;
    messages++;
    mime_walk w = {x, src, depth, 0};
    g_mime_message_foreach(msg, mime_part, &w);
    g_object_unref(msg);
    if (!mbox)
      break;
  }
  g_object_unref(parser);
  g_object_unref(stream);
  if (messages == 0)
    trouble(x, src, "neither a report (JSON, gzip) nor a mail message");
  else if (x->reports == reports)
    trouble(x, src, "no TLS-RPT report in the message (no application/tlsrpt+gzip or +json part)");
}
#endif

static void read_data(run *x, const char *src, const unsigned char *p, size_t n, int depth) {
  if (is_gzip(p, n)) {
    const char *why = gunzip(x, p, n);
    if (why != NULL)
      trouble(x, src, why);
    else
      read_json(x, src, x->plain.p, x->plain.n);
    return;
  }
  if (is_json(p, n) || depth >= MAX_NESTING) {
    read_json(x, src, p, n);
    return;
  }
#ifdef MTASTS_HAVE_GMIME
  /* GMime reads from its own copy: p may be x->file, reused below. */
  bytes copy = {rpt_xrealloc(NULL, n), n, n};
  memcpy(copy.p, p, n);
  read_mime(x, src, copy.p, n, depth);
  free(copy.p);
#else
  trouble(x, src, "a mail message, and this mtasts is built without GMime");
#endif
}

static bool read_stream(run *x, FILE *f) {
  x->file.n = 0;
  for (;;) {
    rpt_reserve(&x->file, x->file.n + 65536);
    size_t got = fread(x->file.p + x->file.n, 1, 65536, f);
    x->file.n += got;
    if (x->file.n > MAX_FILE_SIZE)
      return false;
    if (got < 65536)
      return !ferror(f);
  }
}

static void read_path(run *x, const char *path, bool in_dir);

static void read_dir(run *x, const char *path) {
  DIR *d = opendir(path);
  if (d == NULL) {
    trouble(x, path, strerror(errno));
    return;
  }
  /* Directory order: the summary is sorted, and one entry at a time
   * keeps the memory flat whatever the number of files. */
  for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
    if (e->d_name[0] == '.')
      continue;
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    char *full = rpt_xrealloc(NULL, len);
    snprintf(full, len, "%s/%s", path, e->d_name);
    read_path(x, full, true);
    free(full);
  }
  closedir(d);
}

static void read_path(run *x, const char *path, bool in_dir) {
  struct stat st;
  bool is_stdin = strcmp(path, "-") == 0 && !in_dir;
  if (!is_stdin && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!in_dir)
      read_dir(x, path);
    return;
  }
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  const char *src = is_stdin ? "<stdin>" : path;
  if (f == NULL) {
    trouble(x, src, strerror(errno));
    return;
  }
  bool ok = read_stream(x, f);
  if (!is_stdin)
    fclose(f);
  if (!ok)
    trouble(x, src, x->file.n > MAX_FILE_SIZE ? "larger than 32 MiB: not read" : "read error");
  else
    read_data(x, src, x->file.p, x->file.n, 0);
}

void rpt_read(run *x, const char *path) {
  read_path(x, path, false);
}
