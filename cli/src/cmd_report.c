/*
 * cmd_report.c - `mtasts report FILE...|-`: read TLS-RPT aggregate reports
 * (RFC 8460 4) as a domain's rua receives them and say, per reporting
 * organisation and day, how many sessions succeeded and failed, and each
 * failure's result type with MX host, sending IP and reason.
 *
 * An input is a report (.json), a gzip-compressed one (.json.gz, RFC 8460
 * 5.2), a mail message or an mbox holding reports in
 * application/tlsrpt+gzip or +json parts (5.3; GMime takes the MIME apart),
 * or a directory of those (not recursive). The content decides, not the
 * name. Each JSON document is read by report/ (mtasts_report_parse) in the
 * --profile; a rejected one is a diagnostic FILE:LINE:COL: error[NAME] with
 * the JSON pointer of the member, the line and column counted in the JSON
 * (after decompression).
 *
 * Memory does not grow with the number of reports: one input is held at a
 * time, the reader's arrays are reused, and the summary has one row per
 * organisation and day and one per distinct failure (cli/tests: 10,000
 * reports under valgrind's massif).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#ifdef MTASTS_HAVE_GMIME
#include <gmime/gmime.h>
#endif

#include "cli.h"
#include "input.h"
#include "mtasts_report.h"

/* A file is read whole; a message may hold a report in base64 (4/3). */
#define MAX_FILE_SIZE (2u * MTASTS_REPORT_MAX_SIZE)
/* A message part is opened at most this deep (a report inside a message
 * inside a message ...). */
#define MAX_NESTING 4

typedef struct bytes {
  unsigned char *p;
  size_t n, cap;
} bytes;

typedef struct failure_row {
  char *result, *mx, *ip, *reason;
  uint64_t sessions;
} failure_row;

typedef struct day_row {
  char *org;
  int64_t day; /* days since 1970-01-01 of start-datetime (UTC) */
  uint64_t successful, failed;
  size_t reports;
  /* --policy: sessions under an sts policy equal to it, under another one
   * (how the first one differs), under no-policy-found */
  uint64_t current, old, none;
  char *old_how;
  failure_row *f;
  size_t nf, capf;
} day_row;

typedef struct run {
  const cli_options *opt;
  day_row *rows;
  size_t nrows, caprows;
  size_t reports, rejected, trouble;
  json_t *diags; /* --json: every diagnostic */
  /* the reader's storage, reused for every report */
  mtasts_report_work work;
  mtasts_report_policy *pol;
  mtasts_report_detail *det;
  size_t cap_pol, cap_det;
  mtasts_report_diag warn_items[64];
  bytes file, plain; /* the input as read; a decompressed report */
  /* --policy FILE: the policy published now, mx patterns lower-cased */
  bool have_now;
  mtasts_mode now_mode;
  uint64_t now_max_age;
  char **now_mx;
  size_t now_nmx;
  mtasts_mx *mx; /* the mx array for re-parsing a report's policy */
  size_t cap_mx;
  bytes ptext; /* a report's policy-string joined */
} run;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) {
    fputs("mtasts: out of memory\n", stderr);
    exit(EXIT_TROUBLE);
  }
  return q;
}

static bool reserve(bytes *b, size_t n) {
  if (n <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 65536;
  while (cap < n)
    cap *= 2;
  b->p = xrealloc(b->p, cap);
  b->cap = cap;
  return true;
}

/* A span decoded into a fresh string ("" for an unset span). */
static char *span_dup(mtasts_span s) {
  size_t n = mtasts_report_copy(s, NULL, 0);
  char *out = xrealloc(NULL, n + 1);
  mtasts_report_copy(s, out, n);
  out[n] = '\0';
  return out;
}

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
/* The summary                                                         */
/* ------------------------------------------------------------------ */

/* The row of (org, day), made when new (it then owns org). */
static day_row *day_of(run *x, char *org, int64_t day) {
  for (size_t i = 0; i < x->nrows; i++)
    if (x->rows[i].day == day && strcmp(x->rows[i].org, org) == 0)
      return &x->rows[i];
  if (x->nrows == x->caprows) {
    x->caprows = x->caprows ? x->caprows * 2 : 16;
    x->rows = xrealloc(x->rows, x->caprows * sizeof *x->rows);
  }
  day_row *d = &x->rows[x->nrows++];
  memset(d, 0, sizeof *d);
  d->org = org;
  d->day = day;
  return d;
}

static bool same(const char *a, const char *b) {
  return strcmp(a, b) == 0;
}

static void add_failure(day_row *d, const mtasts_report_detail *det) {
  char *f[4] = {span_dup(det->result_text), span_dup(det->receiving_mx_hostname),
                span_dup(det->sending_mta_ip),
                span_dup(det->failure_reason_code.ptr ? det->failure_reason_code
                                                      : det->additional_information)};
  for (size_t i = 0; i < d->nf; i++) {
    failure_row *r = &d->f[i];
    if (same(r->result, f[0]) && same(r->mx, f[1]) && same(r->ip, f[2]) && same(r->reason, f[3])) {
      r->sessions += det->failed_session_count;
      for (int k = 0; k < 4; k++)
        free(f[k]);
      return;
    }
  }
  if (d->nf == d->capf) {
    d->capf = d->capf ? d->capf * 2 : 4;
    d->f = xrealloc(d->f, d->capf * sizeof *d->f);
  }
  d->f[d->nf++] = (failure_row){f[0], f[1], f[2], f[3], det->failed_session_count};
}

/* ------------------------------------------------------------------ */
/* The policy you publish (--policy)                                   */
/* ------------------------------------------------------------------ */

/* Parse a policy, the mx array grown when it is too small. */
static mtasts_code parse_policy(run *x, const char *text, size_t len, mtasts_policy *p) {
  mtasts_options o = {x->opt->profile, 0, NULL};
  mtasts_policy_init(p, x->mx, x->cap_mx);
  mtasts_code code = mtasts_policy_parse(text, len, &o, p);
  if (code == MTASTS_E_MX_CAPACITY) {
    x->cap_mx = p->mx_needed;
    x->mx = xrealloc(x->mx, x->cap_mx * sizeof *x->mx);
    mtasts_policy_init(p, x->mx, x->cap_mx);
    code = mtasts_policy_parse(text, len, &o, p);
  }
  return code;
}

/* Host names compare without case (RFC 4343): the pattern lower-cased. */
static char *lower_dup(mtasts_span s) {
  char *out = xrealloc(NULL, s.len + 1);
  for (size_t i = 0; i < s.len; i++)
    out[i] = s.ptr[i] >= 'A' && s.ptr[i] <= 'Z' ? (char)(s.ptr[i] - 'A' + 'a') : s.ptr[i];
  out[s.len] = '\0';
  return out;
}

static bool mx_in_list(char *const *list, size_t n, mtasts_span s) {
  char *pattern = lower_dup(s);
  bool found = false;
  for (size_t i = 0; i < n && !found; i++)
    found = strcmp(list[i], pattern) == 0;
  free(pattern);
  return found;
}

static bool mx_in_policy(const mtasts_policy *p, const char *lower) {
  bool found = false;
  for (size_t i = 0; i < p->mx_count && !found; i++) {
    char *pattern = lower_dup(p->mx[i].pattern);
    found = strcmp(pattern, lower) == 0;
    free(pattern);
  }
  return found;
}

/* The policy of FILE, kept as what is compared: mode, max_age and the
 * set of mx patterns (version is always STSv1; extensions change
 * nothing a sender does). A policy that cannot be used ends the run. */
static bool load_policy(run *x, const char *path) {
  cli_input in;
  char err[300];
  if (!input_read(path, MTASTS_POLICY_MAX_SIZE + 1, &in, err, sizeof err)) {
    fprintf(stderr, "mtasts: --policy: %s\n", err);
    return false;
  }
  mtasts_policy p;
  mtasts_code code = parse_policy(x, in.data, in.len, &p);
  if (code != MTASTS_OK) {
    fprintf(stderr, "mtasts: --policy %s: not a valid policy: %s at byte %zu (see mtasts policy)\n",
            input_name(path), mtasts_errname(code), p.err_offset);
    input_free(&in);
    return false;
  }
  x->have_now = true;
  x->now_mode = p.mode;
  x->now_max_age = p.max_age;
  x->now_mx = xrealloc(NULL, (p.mx_count ? p.mx_count : 1) * sizeof *x->now_mx);
  for (size_t i = 0; i < p.mx_count; i++)
    x->now_mx[x->now_nmx++] = lower_dup(p.mx[i].pattern); /* the spans are into in.data */
  input_free(&in);
  return true;
}

/* How p differs from the policy published now (the first difference),
 * or NULL when it is the same policy. */
static char *policy_difference(const run *x, const mtasts_policy *p) {
  char buf[600];
  bool differs = true;
  if (p->mode != x->now_mode) {
    snprintf(buf, sizeof buf, "mode %s, yours %s", mtasts_mode_name(p->mode),
             mtasts_mode_name(x->now_mode));
  } else if (p->max_age != x->now_max_age) {
    snprintf(buf, sizeof buf, "max_age %llu, yours %llu", (unsigned long long)p->max_age,
             (unsigned long long)x->now_max_age);
  } else {
    differs = false;
    for (size_t i = 0; i < p->mx_count && !differs; i++)
      if ((differs = !mx_in_list(x->now_mx, x->now_nmx, p->mx[i].pattern)))
        snprintf(buf, sizeof buf, "mx %.*s, not in yours", (int)p->mx[i].pattern.len,
                 p->mx[i].pattern.ptr);
    for (size_t i = 0; i < x->now_nmx && !differs; i++)
      if ((differs = !mx_in_policy(p, x->now_mx[i])))
        snprintf(buf, sizeof buf, "no mx %s, in yours", x->now_mx[i]);
  }
  return differs ? strdup(buf) : NULL;
}

/* Sessions under each policy of r against the policy published now. */
static void add_policies(run *x, day_row *d, const mtasts_report *r) {
  for (size_t i = 0; i < r->policy_count; i++) {
    const mtasts_report_policy *rp = &r->policies[i];
    uint64_t sessions = rp->total_successful + rp->total_failure;
    if (rp->type == MTASTS_REPORT_POLICY_NONE_FOUND)
      d->none += sessions;
    if (rp->type != MTASTS_REPORT_POLICY_STS || rp->policy_string.ptr == NULL)
      continue; /* tlsa: DANE's; a lenient sts without policy-string: unknown */
    char *how = NULL;
    if (rp->policy_code != MTASTS_OK) {
      how = strdup("its policy-string does not parse");
    } else {
      size_t n = mtasts_report_policy_text(rp, NULL, 0);
      reserve(&x->ptext, n);
      mtasts_report_policy_text(rp, (char *)x->ptext.p, n);
      mtasts_policy p;
      how = parse_policy(x, (char *)x->ptext.p, n, &p) == MTASTS_OK
                ? policy_difference(x, &p)
                : strdup("its policy-string does not parse");
    }
    if (how == NULL) {
      d->current += sessions;
      continue;
    }
    d->old += sessions;
    if (d->old_how == NULL)
      d->old_how = how;
    else
      free(how);
  }
}

static void add_report(run *x, const mtasts_report *r) {
  char *org = span_dup(r->organization_name);
  int64_t day = r->start_time >= 0 ? r->start_time / 86400 : (r->start_time - 86399) / 86400;
  day_row *d = day_of(x, org, day);
  if (d->org != org)
    free(org); /* a row of its own keeps it */
  d->reports++;
  for (size_t i = 0; i < r->policy_count; i++) {
    d->successful += r->policies[i].total_successful;
    d->failed += r->policies[i].total_failure;
  }
  for (size_t i = 0; i < r->detail_count; i++)
    add_failure(d, &r->details[i]);
  if (x->have_now)
    add_policies(x, d, r);
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
    x->pol = xrealloc(x->pol, x->cap_pol * sizeof *x->pol);
    x->det = xrealloc(x->det, x->cap_det * sizeof *x->det);
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
  add_report(x, &r);
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
    reserve(&x->plain, x->plain.n + 65536);
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
  bytes copy = {xrealloc(NULL, n), n, n};
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
    reserve(&x->file, x->file.n + 65536);
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
    char *full = xrealloc(NULL, len);
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

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static int row_order(const void *a, const void *b) {
  const day_row *x = a, *y = b;
  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  return strcmp(x->org, y->org);
}

static int failure_order(const void *a, const void *b) {
  const failure_row *x = a, *y = b;
  if (x->sessions != y->sessions)
    return x->sessions > y->sessions ? -1 : 1;
  int c = strcmp(x->result, y->result);
  c = c ? c : strcmp(x->mx, y->mx);
  c = c ? c : strcmp(x->ip, y->ip);
  return c ? c : strcmp(x->reason, y->reason);
}

static void day_text(int64_t day, char out[48]) {
  int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  snprintf(out, 48, "%04d-%02d-%02d", (int)(yoe + era * 400 + (m <= 2)), (int)m, (int)d);
}

static const char *or_dash(const char *s) {
  return s[0] ? s : "-";
}

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

/* One sender over the whole period. */
typedef struct org_sum {
  const char *org;
  uint64_t successful, failed, current, old, none;
  const char *old_how; /* of its first day on another policy */
} org_sum;

#define MAX_REASONS 6

/* The rules are in mtasts.1 (report, VERDICTS); one home for them here. */
typedef struct verdicts {
  org_sum *orgs; /* by name */
  size_t norgs;
  const char **mx_all; /* MX hosts where every sender failed (2 senders at least) */
  size_t nmx_all;
  char reasons[MAX_REASONS][160]; /* why not ready for enforce; none: ready */
  size_t nreasons;
} verdicts;

static int org_order(const void *a, const void *b) {
  return strcmp(((const org_sum *)a)->org, ((const org_sum *)b)->org);
}

static void sum_orgs(const run *x, verdicts *v) {
  v->orgs = xrealloc(NULL, (x->nrows ? x->nrows : 1) * sizeof *v->orgs);
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    size_t k = 0;
    while (k < v->norgs && strcmp(v->orgs[k].org, d->org) != 0)
      k++;
    if (k == v->norgs)
      v->orgs[v->norgs++] = (org_sum){d->org, 0, 0, 0, 0, 0, NULL};
    org_sum *o = &v->orgs[k];
    o->successful += d->successful;
    o->failed += d->failed;
    o->current += d->current;
    o->old += d->old;
    o->none += d->none;
    if (o->old_how == NULL)
      o->old_how = d->old_how;
  }
  if (v->norgs > 0)
    qsort(v->orgs, v->norgs, sizeof *v->orgs, org_order);
}

static bool failed_at(const run *x, const char *org, const char *mx) {
  for (size_t i = 0; i < x->nrows; i++)
    for (size_t k = 0; strcmp(x->rows[i].org, org) == 0 && k < x->rows[i].nf; k++)
      if (x->rows[i].f[k].sessions > 0 && strcmp(x->rows[i].f[k].mx, mx) == 0)
        return true;
  return false;
}

static int str_order(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* MX hosts in failures where every sender of the period failed. */
static void mx_failing_for_all(const run *x, verdicts *v) {
  size_t cap = 1;
  for (size_t i = 0; i < x->nrows; i++)
    cap += x->rows[i].nf;
  v->mx_all = xrealloc(NULL, cap * sizeof *v->mx_all);
  for (size_t i = 0; v->norgs >= 2 && i < x->nrows; i++)
    for (size_t k = 0; k < x->rows[i].nf; k++) {
      const char *mx = x->rows[i].f[k].mx;
      bool all = mx[0] != '\0';
      for (size_t j = 0; j < v->nmx_all && all; j++)
        all = strcmp(v->mx_all[j], mx) != 0;
      for (size_t j = 0; j < v->norgs && all; j++)
        all = failed_at(x, v->orgs[j].org, mx);
      if (all)
        v->mx_all[v->nmx_all++] = mx;
    }
  if (v->nmx_all > 0)
    qsort(v->mx_all, v->nmx_all, sizeof *v->mx_all, str_order);
}

__attribute__((format(printf, 2, 3))) static void reason(verdicts *v, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->reasons[v->nreasons++], sizeof v->reasons[0], fmt, ap);
  va_end(ap);
}

/* Ready for enforce: reports were read, none rejected, no session failed,
 * and (with --policy) every sender applied the policy published now. */
static void judge(const run *x, verdicts *v) {
  unsigned long long failed = 0;
  size_t failing = 0, old = 0, none = 0;
  for (size_t i = 0; i < v->norgs; i++) {
    failed += v->orgs[i].failed;
    failing += v->orgs[i].failed > 0;
    old += v->orgs[i].old > 0;
    none += v->orgs[i].none > 0;
  }
  if (x->reports == 0)
    reason(v, "no report read");
  if (x->rejected > 0)
    reason(v, "%zu report(s) rejected", x->rejected);
  if (failed > 0)
    reason(v, "%llu failed session(s), from %zu of %zu sender(s)", failed, failing, v->norgs);
  if (!x->have_now)
    reason(v, "the policies senders applied are not compared (no --policy FILE)");
  if (old > 0)
    reason(v, "%zu sender(s) applied another policy than yours", old);
  if (none > 0)
    reason(v, "%zu sender(s) found no policy", none);
}

static void verdicts_of(const run *x, verdicts *v) {
  memset(v, 0, sizeof *v);
  sum_orgs(x, v);
  mx_failing_for_all(x, v);
  judge(x, v);
}

static void verdicts_free(verdicts *v) {
  free(v->orgs);
  free(v->mx_all);
}

static void print_sender_policy(const org_sum *o) {
  printf("  %s:", o->org);
  const char *sep = " ";
  if (o->current > 0) {
    printf("%syours (%llu sessions)", sep, (unsigned long long)o->current);
    sep = ", ";
  }
  if (o->old > 0) {
    printf("%sanother (%llu sessions: %s)", sep, (unsigned long long)o->old, o->old_how);
    sep = ", ";
  }
  if (o->none > 0) {
    printf("%sno policy found (%llu sessions)", sep, (unsigned long long)o->none);
    sep = ", ";
  }
  puts(sep[0] == ' ' ? " no sts policy reported" : "");
}

static void print_verdicts(const run *x) {
  verdicts v;
  verdicts_of(x, &v);
  if (x->have_now) {
    printf("policy applied, against --policy %s:\n", input_name(x->opt->policy));
    for (size_t i = 0; i < v.norgs; i++)
      print_sender_policy(&v.orgs[i]);
  }
  fputs("MX hosts failing for every sender (yours to fix):", stdout);
  for (size_t i = 0; i < v.nmx_all; i++)
    printf(" %s", v.mx_all[i]);
  puts(v.nmx_all ? "" : " none");
  fputs("senders failing everywhere (theirs to fix):", stdout);
  size_t shown = 0;
  for (size_t i = 0; i < v.norgs; i++)
    if (v.orgs[i].successful == 0 && v.orgs[i].failed > 0)
      printf("%s%s", shown++ ? ", " : " ", v.orgs[i].org);
  puts(shown ? "" : " none");
  printf("ready for enforce: %s\n", v.nreasons ? "no" : "yes");
  for (size_t i = 0; i < v.nreasons; i++)
    printf("  - %s\n", v.reasons[i]);
  verdicts_free(&v);
}

static void print_text(const run *x) {
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    char day[48];
    day_text(d->day, day);
    printf("%s  %s: %llu sessions succeeded, %llu failed (%zu report%s)\n", day, d->org,
           (unsigned long long)d->successful, (unsigned long long)d->failed, d->reports,
           d->reports == 1 ? "" : "s");
    for (size_t k = 0; k < d->nf; k++) {
      const failure_row *f = &d->f[k];
      printf("  %llu x %s  mx %s  from %s", (unsigned long long)f->sessions, f->result,
             or_dash(f->mx), or_dash(f->ip));
      if (f->reason[0])
        printf("  (%s)", f->reason);
      putchar('\n');
    }
  }
  printf("%zu report%s read, %zu rejected\n", x->reports, x->reports == 1 ? "" : "s", x->rejected);
  print_verdicts(x);
}

/* An RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(const char *s, bool last) {
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, stdout);
  } else {
    putchar('"');
    for (; *s; s++) {
      if (*s == '"')
        putchar('"');
      putchar(*s);
    }
    putchar('"');
  }
  fputs(last ? "\r\n" : ",", stdout);
}

/* One row per failure; a day without failures has one row with the
 * failure fields empty. */
static void print_csv(const run *x) {
  fputs("day,organization,reports,successful,failed,result-type,mx-host,sending-ip,reason,"
        "sessions\r\n",
        stdout);
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    char day[48], counts[96];
    day_text(d->day, day);
    snprintf(counts, sizeof counts, "%zu,%llu,%llu", d->reports, (unsigned long long)d->successful,
             (unsigned long long)d->failed);
    for (size_t k = 0; k == 0 || k < d->nf; k++) {
      const failure_row *f = k < d->nf ? &d->f[k] : NULL;
      char sessions[24] = "";
      if (f != NULL)
        snprintf(sessions, sizeof sessions, "%llu", (unsigned long long)f->sessions);
      csv_field(day, false);
      csv_field(d->org, false);
      printf("%s,", counts);
      csv_field(f ? f->result : "", false);
      csv_field(f ? f->mx : "", false);
      csv_field(f ? f->ip : "", false);
      csv_field(f ? f->reason : "", false);
      csv_field(sessions, true);
    }
  }
}

static json_t *text_or_null(const char *s) {
  return s[0] ? json_string(s) : json_null();
}

/* The verdicts: "senders", "mx-failing-for-every-sender" and
 * "ready-for-enforce" of the --json object. */
static void verdicts_json(const run *x, json_t *out) {
  verdicts v;
  verdicts_of(x, &v);
  json_t *senders = json_array(), *mx = json_array(), *reasons = json_array();
  for (size_t i = 0; i < v.norgs; i++) {
    const org_sum *o = &v.orgs[i];
    json_t *policy = x->have_now ? json_pack("{s:I,s:I,s:o,s:I}", "yours", (json_int_t)o->current,
                                             "another", (json_int_t)o->old, "difference",
                                             o->old_how ? json_string(o->old_how) : json_null(),
                                             "no-policy-found", (json_int_t)o->none)
                                 : json_null();
    json_array_append_new(senders,
                          json_pack("{s:s,s:I,s:I,s:b,s:o}", "organization", o->org, "successful",
                                    (json_int_t)o->successful, "failed", (json_int_t)o->failed,
                                    "failing-everywhere", o->successful == 0 && o->failed > 0,
                                    "policy", policy));
  }
  for (size_t i = 0; i < v.nmx_all; i++)
    json_array_append_new(mx, json_string(v.mx_all[i]));
  for (size_t i = 0; i < v.nreasons; i++)
    json_array_append_new(reasons, json_string(v.reasons[i]));
  json_object_set_new(out, "senders", senders);
  json_object_set_new(out, "mx-failing-for-every-sender", mx);
  json_object_set_new(out, "ready-for-enforce",
                      json_pack("{s:b,s:o}", "ready", v.nreasons == 0, "reasons", reasons));
  verdicts_free(&v);
}

/* The summary as one JSON object (--json, and the data of --html). */
static json_t *summary_json(run *x) {
  json_t *days = json_array();
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    char day[48];
    day_text(d->day, day);
    json_t *failures = json_array();
    for (size_t k = 0; k < d->nf; k++) {
      const failure_row *f = &d->f[k];
      json_array_append_new(
          failures, json_pack("{s:s,s:o,s:o,s:o,s:I}", "result-type", f->result, "mx-host",
                              text_or_null(f->mx), "sending-ip", text_or_null(f->ip), "reason",
                              text_or_null(f->reason), "sessions", (json_int_t)f->sessions));
    }
    json_array_append_new(days, json_pack("{s:s,s:s,s:I,s:I,s:I,s:o}", "organization", d->org,
                                          "day", day, "reports", (json_int_t)d->reports,
                                          "successful", (json_int_t)d->successful, "failed",
                                          (json_int_t)d->failed, "failures", failures));
  }
  json_t *out =
      json_pack("{s:s,s:s,s:s,s:I,s:I,s:o,s:O}", "tool", "mtasts", "command", "report", "profile",
                profile_name(x->opt->profile), "reports", (json_int_t)x->reports, "rejected",
                (json_int_t)x->rejected, "days", days, "diagnostics", x->diags);
  verdicts_json(x, out);
  return out;
}

static void print_json(run *x) {
  json_t *out = summary_json(x);
  json_dumpf(out, stdout, JSON_INDENT(2));
  putchar('\n');
  json_decref(out);
}

/* One self-contained page: the --json object as data (every "/" escaped,
 * so no "</script>" can end it early) and a script that draws the table
 * and a bar per day (sessions succeeded and failed, all senders). */
static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>TLS-RPT reports</title>\n<style>\n"
    "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}\n"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
    ".ok{fill:#3a7}.failed{fill:#c33}.num{text-align:right}ul{margin:0;padding-left:1.2em}\n"
    "</style></head>\n<body data-rendered=\"false\">\n<h1>TLS-RPT aggregate reports</h1>\n"
    "<p id=\"totals\"></p>\n<ul id=\"diagnostics\"></ul>\n"
    "<h2>Ready for enforce? <span id=\"ready\"></span></h2>\n<ul id=\"verdicts\"></ul>\n<svg "
    "id=\"chart\" width=\"640\" "
    "height=\"200\"></svg>\n"
    "<table id=\"days\"><thead><tr><th>day</th><th>organization</th><th>reports</th>"
    "<th>succeeded</th><th>failed</th><th>failures</th></tr></thead><tbody></tbody></table>\n"
    "<script id=\"data\" type=\"application/json\">";
static const char html_tail[] =
    "</script>\n<script>\n"
    "try {\n"
    "  const data = JSON.parse(document.getElementById('data').textContent);\n"
    "  const el = (tag, attrs, text) => { const e = document.createElementNS(tag === 'svg' ||\n"
    "    ['g', 'rect', 'text'].includes(tag) ? 'http://www.w3.org/2000/svg' :\n"
    "    'http://www.w3.org/1999/xhtml', tag); for (const k in attrs) e.setAttribute(k,\n"
    "    attrs[k]); if (text !== undefined) e.textContent = String(text); return e; };\n"
    "  document.getElementById('totals').textContent = data.reports + ' reports read, ' +\n"
    "    data.rejected + ' rejected (profile ' + data.profile + ')';\n"
    "  const diags = document.getElementById('diagnostics');\n"
    "  for (const d of data.diagnostics) diags.appendChild(el('li', {class: d.severity},\n"
    "    d.source + (d.line ? ':' + d.line + ':' + d.column + ': ' + d.severity + '[' +\n"
    "    d.name + ']' : '') + ': ' + d.message + (d.pointer !== undefined ? ' (at ' +\n"
    "    (d.pointer || '/') + ')' : '')));\n"
    "  const r = data['ready-for-enforce'], vl = document.getElementById('verdicts');\n"
    "  document.getElementById('ready').textContent = r.ready ? 'yes' : 'no';\n"
    "  for (const t of r.reasons) vl.appendChild(el('li', {class: 'reason'}, t));\n"
    "  vl.appendChild(el('li', {class: 'mx-all'}, 'MX hosts failing for every sender (yours '\n"
    "    + 'to fix): ' + (data['mx-failing-for-every-sender'].join(', ') || 'none')));\n"
    "  const fe = data.senders.filter(s => s['failing-everywhere']).map(s => s.organization);\n"
    "  vl.appendChild(el('li', {class: 'failing-everywhere'}, 'senders failing everywhere '\n"
    "    + '(theirs to fix): ' + (fe.join(', ') || 'none')));\n"
    "  for (const s of data.senders) if (s.policy) vl.appendChild(el('li', {class: 'policy'},\n"
    "    s.organization + ': yours ' + s.policy.yours + ', another ' + s.policy.another +\n"
    "    (s.policy.difference ? ' (' + s.policy.difference + ')' : '') +\n"
    "    ', no policy found ' + s.policy['no-policy-found']));\n"
    "  const body = document.querySelector('#days tbody');\n"
    "  const perDay = new Map();\n"
    "  for (const d of data.days) {\n"
    "    const tr = el('tr', {class: 'day'});\n"
    "    for (const v of [d.day, d.organization]) tr.appendChild(el('td', {}, v));\n"
    "    for (const v of [d.reports, d.successful, d.failed])\n"
    "      tr.appendChild(el('td', {class: 'num'}, v));\n"
    "    const ul = el('ul');\n"
    "    for (const f of d.failures) ul.appendChild(el('li', {class: 'failure'}, f.sessions +\n"
    "      ' x ' + f['result-type'] + ', mx ' + (f['mx-host'] || '-') + ', from ' +\n"
    "      (f['sending-ip'] || '-') + (f.reason ? ' (' + f.reason + ')' : '')));\n"
    "    const td = el('td'); td.appendChild(ul); tr.appendChild(td); body.appendChild(tr);\n"
    "    const t = perDay.get(d.day) || {ok: 0, failed: 0};\n"
    "    t.ok += d.successful; t.failed += d.failed; perDay.set(d.day, t);\n"
    "  }\n"
    "  const svg = document.getElementById('chart');\n"
    "  const days = [...perDay.keys()].sort();\n"
    "  const max = Math.max(1, ...days.map(k => perDay.get(k).ok + perDay.get(k).failed));\n"
    "  const w = Math.max(8, Math.floor(600 / Math.max(1, days.length)));\n"
    "  days.forEach((k, i) => {\n"
    "    const t = perDay.get(k), h = 160, x = 20 + i * w;\n"
    "    const g = el('g', {class: 'bar', 'data-day': k, 'data-successful': t.ok,\n"
    "      'data-failed': t.failed});\n"
    "    const hf = Math.round(h * t.failed / max), ho = Math.round(h * t.ok / max);\n"
    "    g.appendChild(el('rect', {class: 'failed', x: x, y: 170 - hf, width: w - 2, height: "
    "hf}));\n"
    "    g.appendChild(el('rect', {class: 'ok', x: x, y: 170 - hf - ho, width: w - 2,\n"
    "      height: ho}));\n"
    "    g.appendChild(el('text', {x: x, y: 190, 'font-size': 10}, k.slice(5)));\n"
    "    svg.appendChild(g);\n"
    "  });\n"
    "  document.body.dataset.rendered = 'true';\n"
    "} catch (e) { document.body.dataset.renderError = String(e); }\n"
    "</script>\n</body></html>\n";

static void print_html(run *x) {
  json_t *out = summary_json(x);
  fputs(html_head, stdout);
  json_dumpf(out, stdout, JSON_COMPACT | JSON_ESCAPE_SLASH);
  fputs(html_tail, stdout);
  json_decref(out);
}

static void run_free(run *x) {
  for (size_t i = 0; i < x->nrows; i++) {
    for (size_t k = 0; k < x->rows[i].nf; k++) {
      failure_row *f = &x->rows[i].f[k];
      free(f->result);
      free(f->mx);
      free(f->ip);
      free(f->reason);
    }
    free(x->rows[i].f);
    free(x->rows[i].org);
    free(x->rows[i].old_how);
  }
  for (size_t i = 0; i < x->now_nmx; i++)
    free(x->now_mx[i]);
  free(x->now_mx);
  free(x->mx);
  free(x->ptext.p);
  free(x->rows);
  free(x->pol);
  free(x->det);
  free(x->file.p);
  free(x->plain.p);
  json_decref(x->diags);
}

int cmd_report(const cli_options *o) {
  static run x; /* the reader's work area is large: not on the stack */
  memset(&x, 0, sizeof x);
  x.opt = o;
  x.diags = json_array();
  if (o->policy != NULL && !load_policy(&x, o->policy)) {
    run_free(&x);
    return EXIT_TROUBLE;
  }
#ifdef MTASTS_HAVE_GMIME
  g_mime_init();
#endif
  if (o->nargs == 0)
    read_path(&x, "-", false);
  for (size_t i = 0; i < o->nargs; i++)
    read_path(&x, o->args[i], false);
  /* qsort wants a pointer even for no rows: none is sorted without it. */
  if (x.nrows > 0)
    qsort(x.rows, x.nrows, sizeof *x.rows, row_order);
  for (size_t i = 0; i < x.nrows; i++)
    if (x.rows[i].nf > 0)
      qsort(x.rows[i].f, x.rows[i].nf, sizeof *x.rows[i].f, failure_order);
  if (o->json)
    print_json(&x);
  else if (o->csv)
    print_csv(&x);
  else if (o->html)
    print_html(&x);
  else if (!o->quiet)
    print_text(&x);
  int status = x.trouble ? EXIT_TROUBLE : x.rejected ? EXIT_INVALID : EXIT_VALID;
  run_free(&x);
#ifdef MTASTS_HAVE_GMIME
  g_mime_shutdown();
#endif
  return status;
}
