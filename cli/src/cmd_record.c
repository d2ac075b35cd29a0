/* cmd_record.c - `mtasts txt` and `mtasts tlsrpt`: one record (joined or
 * as character-strings) or the selection among an RRset. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"
#include "present.h"
#include "report.h"

/* A DNS message, and so a TXT RRset, holds at most 65535 octets. */
#define RRSET_MAX_TEXT 65536u

typedef struct record {
  cli_kind kind;
  mtasts_txt txt;
  mtasts_tlsrpt rpt;
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS]; /* the storage of the one kind parsed */
  mtasts_rua rua[MTASTS_MAX_RUA];
} record;

/* ------------------------------------------------------------------ */
/* The two kinds behind one interface                                  */
/* ------------------------------------------------------------------ */

static const char *kind_title(cli_kind k) {
  return k == KIND_STS ? "MTA-STS TXT record" : "TLSRPT record";
}

static const char *kind_version(cli_kind k) {
  return k == KIND_STS ? "v=STSv1" : "v=TLSRPTv1";
}

static mtasts_code parse_joined(record *rec, const char *p, size_t n, const mtasts_options *opt) {
  if (rec->kind == KIND_STS)
    return mtasts_txt_parse(p, n, opt, &rec->txt);
  return mtasts_tlsrpt_parse(p, n, opt, &rec->rpt);
}

static mtasts_code parse_strings(record *rec, const mtasts_chunk *c, size_t n,
                                 const mtasts_options *opt) {
  if (rec->kind == KIND_STS)
    return mtasts_txt_parse_strings(c, n, opt, &rec->txt);
  return mtasts_tlsrpt_parse_strings(c, n, opt, &rec->rpt);
}

static mtasts_code select_rr(record *rec, const mtasts_rr *rrs, size_t n, const mtasts_options *opt,
                             mtasts_rrset_result *sel) {
  if (rec->kind == KIND_STS)
    return mtasts_txt_select(rrs, n, opt, sel, &rec->txt);
  return mtasts_tlsrpt_select(rrs, n, opt, sel, &rec->rpt);
}

static size_t err_offset(const record *rec) {
  return rec->kind == KIND_STS ? rec->txt.err_offset : rec->rpt.err_offset;
}

/* A field's bytes: spans that straddle character-strings have no ptr and
 * are gathered into buf (a record holds at most MTASTS_TXT_MAX_SIZE). */
typedef struct field_text {
  char buf[MTASTS_TXT_MAX_SIZE];
  size_t len;
} field_text;

static const char *span_text(const record *rec, mtasts_span s, field_text *ft) {
  size_t n = rec->kind == KIND_STS ? mtasts_txt_copy(&rec->txt, s, ft->buf, sizeof ft->buf)
                                   : mtasts_tlsrpt_copy(&rec->rpt, s, ft->buf, sizeof ft->buf);
  ft->len = n < sizeof ft->buf ? n : sizeof ft->buf;
  return ft->buf;
}

static json_t *span_json(const record *rec, mtasts_span s) {
  field_text ft;
  const char *p = span_text(rec, s, &ft);
  return json_bytes(p, ft.len);
}

static void print_span(const record *rec, mtasts_span s, FILE *f) {
  field_text ft;
  const char *p = span_text(rec, s, &ft);
  print_escaped(f, p, ft.len);
}

static const mtasts_ext *extensions(const record *rec, size_t *count) {
  *count = rec->kind == KIND_STS ? rec->txt.ext_count : rec->rpt.ext_count;
  return rec->kind == KIND_STS ? rec->txt.ext : rec->rpt.ext;
}

static json_t *record_json(const record *rec) {
  json_t *o = json_object();
  json_object_set_new(o, "v", json_string(kind_version(rec->kind) + 2));
  if (rec->kind == KIND_STS) {
    json_object_set_new(o, "id", span_json(rec, rec->txt.id));
  } else {
    json_t *rua = json_array();
    for (size_t i = 0; i < rec->rpt.rua_count; i++) {
      json_t *u = json_object();
      json_object_set_new(u, "uri", span_json(rec, rec->rpt.rua[i].uri));
      json_object_set_new(
          u, "scheme", json_string(rec->rpt.rua[i].kind == MTASTS_RUA_MAILTO ? "mailto" : "https"));
      json_array_append_new(rua, u);
    }
    json_object_set_new(o, "rua", rua);
  }
  size_t n;
  const mtasts_ext *ext = extensions(rec, &n);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", span_json(rec, ext[i].name));
    json_object_set_new(e, "value", span_json(rec, ext[i].value));
    json_array_append_new(list, e);
  }
  json_object_set_new(o, "extensions", list);
  return o;
}

static void record_print_fields(const record *rec, FILE *f) {
  fprintf(f, "  %-4s %s\n", "v", kind_version(rec->kind) + 2);
  if (rec->kind == KIND_STS) {
    fprintf(f, "  %-4s ", "id");
    print_span(rec, rec->txt.id, f);
    fputs("  (change it whenever the policy changes)\n", f);
  } else {
    for (size_t i = 0; i < rec->rpt.rua_count; i++) {
      fprintf(f, "  %-4s ", "rua");
      print_span(rec, rec->rpt.rua[i].uri, f);
      fputc('\n', f);
    }
  }
  size_t n;
  const mtasts_ext *ext = extensions(rec, &n);
  for (size_t i = 0; i < n; i++) {
    fputs("  ", f);
    print_span(rec, ext[i].name, f);
    fputc('=', f);
    print_span(rec, ext[i].value, f);
    fputs("  (extension field: senders ignore it)\n", f);
  }
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static int finish(cli_report *r, const record *rec, const char *input, const char *what, bool valid,
                  json_t *extra, const char *selected_line) {
  const cli_options *o = r->opt;
  if (o->quiet) {
    json_decref(extra);
  } else if (o->json) {
    report_print_json(r, input, valid ? "valid" : "invalid", valid ? record_json(rec) : NULL,
                      extra);
  } else {
    json_decref(extra);
    report_print(r);
    report_print_verdict(r, input, what, valid);
    if (valid && selected_line != NULL)
      fputs(selected_line, r->out);
    if (valid)
      record_print_fields(rec, r->out);
  }
  return valid ? EXIT_VALID : EXIT_INVALID;
}

static bool begins_with(const char *p, size_t n, const char *prefix) {
  size_t k = strlen(prefix);
  return n >= k && memcmp(p, prefix, k) == 0;
}

/* Add the error of a failed parse, with a note where the cause is likely
 * to be something other than the record itself. `head` is the record's
 * first character-string (or the whole record). */
static void add_error(cli_report *r, const record *rec, mtasts_code code, const cli_source *src,
                      bool input_cut, const char *head, size_t head_len) {
  cli_diag *d = report_add(r, code, err_offset(rec), src);
  if (code == MTASTS_E_TXT_VERSION && rec->kind == KIND_STS &&
      begins_with(head, head_len, "v=TLSRPTv1"))
    snprintf(d->note, sizeof d->note,
             "this is a TLSRPT record (_smtp._tls): check it with mtasts tlsrpt");
  else if (code == MTASTS_E_TXT_VERSION && rec->kind == KIND_TLSRPT &&
           begins_with(head, head_len, "v=STSv1"))
    snprintf(d->note, sizeof d->note,
             "this is an MTA-STS record (_mta-sts): check it with mtasts txt");
  else if (code == MTASTS_E_TXT_VERSION && src->map == NULL && begins_with(head, head_len, "\""))
    snprintf(d->note, sizeof d->note,
             "the record begins with a double quote: to check the output of dig or a zone "
             "file, use --strings - or --rrset FILE");
  if (code == MTASTS_E_TXT_TOO_LARGE && input_cut)
    snprintf(d->note, sizeof d->note,
             "the input is larger than %u bytes; mtasts read %u bytes and stopped",
             MTASTS_TXT_MAX_SIZE, MTASTS_TXT_MAX_SIZE + 2);
}

/* ------------------------------------------------------------------ */
/* One record, joined                                                  */
/* ------------------------------------------------------------------ */

static int check_joined(cli_report *r, record *rec, const char *name, const char *text, size_t len,
                        bool input_cut) {
  cli_source src = {name, text, len, NULL, NULL};
  mtasts_options opt = report_parse_options(r, 0);
  mtasts_code code = parse_joined(rec, text, len, &opt);
  report_add_warnings(r, &src, -1);
  if (code != MTASTS_OK)
    add_error(r, rec, code, &src, input_cut, text, len);
  return finish(r, rec, name, kind_title(rec->kind), code == MTASTS_OK, NULL, NULL);
}

static int check_stdin(cli_report *r, record *rec) {
  cli_input in;
  char err[512];
  /* Two more bytes than the limit: room for a final CRLF to remove. */
  if (!input_read("-", MTASTS_TXT_MAX_SIZE + 2, &in, err, sizeof err))
    return report_trouble(r, "<stdin>", err);
  if (!in.more)
    input_chomp(&in);
  int status = check_joined(r, rec, "<stdin>", in.data, in.len, in.more);
  input_free(&in);
  return status;
}

/* ------------------------------------------------------------------ */
/* One record, as character-strings                                    */
/* ------------------------------------------------------------------ */

/* Strings given as operands; diagnostics show the joined record. */
static int check_string_args(cli_report *r, record *rec) {
  const cli_options *o = r->opt;
  mtasts_chunk *chunks = calloc(o->nargs, sizeof *chunks);
  size_t total = 0;
  for (size_t i = 0; i < o->nargs; i++)
    total += strlen(o->args[i]);
  char *joined = malloc(total > 0 ? total : 1);
  if (chunks == NULL || joined == NULL) {
    free(chunks);
    free(joined);
    return report_trouble(r, "<strings>", "out of memory");
  }
  size_t at = 0;
  for (size_t i = 0; i < o->nargs; i++) {
    chunks[i].ptr = o->args[i];
    chunks[i].len = strlen(o->args[i]);
    memcpy(joined + at, o->args[i], chunks[i].len);
    at += chunks[i].len;
  }
  cli_source src = {"<strings>", joined, total, NULL, NULL};
  mtasts_options opt = report_parse_options(r, 0);
  mtasts_code code = parse_strings(rec, chunks, o->nargs, &opt);
  report_add_warnings(r, &src, -1);
  if (code != MTASTS_OK)
    add_error(r, rec, code, &src, false, chunks[0].ptr, o->nargs > 0 ? chunks[0].len : 0);
  int status = finish(r, rec, "<strings>", kind_title(rec->kind), code == MTASTS_OK, NULL, NULL);
  free(chunks);
  free(joined);
  return status;
}

/* Maps a joined-record offset of one record of an RRset to its text. */
typedef struct rr_map {
  const cli_rrset *set;
  size_t rr;
} rr_map;

static size_t map_rr(const void *ctx, size_t offset) {
  const rr_map *m = ctx;
  return rrset_source_offset(m->set, m->rr, offset);
}

/* Read and decode presentation-format records; false after reporting. */
static bool load_rrset(cli_report *r, const char *path, cli_input *in, cli_rrset *set,
                       int *status) {
  char err[512];
  const char *name = input_name(path);
  if (!input_read(path, RRSET_MAX_TEXT + 1, in, err, sizeof err)) {
    *status = report_trouble(r, name, err);
    return false;
  }
  if (in->len > RRSET_MAX_TEXT) {
    snprintf(err, sizeof err,
             "%s: larger than %u bytes, more than a DNS response (and so a TXT RRset) can hold",
             name, RRSET_MAX_TEXT);
    input_free(in);
    *status = report_trouble(r, name, err);
    return false;
  }
  const char *why = NULL;
  size_t at = 0;
  if (!rrset_decode(in->data, in->len, set, &why, &at)) {
    mtasts_location loc = mtasts_locate(in->data, in->len, at);
    snprintf(err, sizeof err, "%s:%zu:%zu: %s", name, loc.line, loc.column, why);
    rrset_free(set);
    input_free(in);
    *status = report_trouble(r, name, err);
    return false;
  }
  return true;
}

/* `--strings -`: one record in presentation format on standard input. */
static int check_string_stdin(cli_report *r, record *rec) {
  cli_input in;
  cli_rrset set;
  int status = EXIT_TROUBLE;
  if (!load_rrset(r, "-", &in, &set, &status))
    return status;
  if (set.count > 1) {
    char msg[160];
    snprintf(msg, sizeof msg,
             "<stdin>: %zu records (one per line); to check a set of records, use --rrset -",
             set.count);
    status = report_trouble(r, "<stdin>", msg);
  } else {
    rr_map map = {&set, 0};
    cli_source src = {"<stdin>", in.data, in.len, set.count == 1 ? map_rr : NULL, &map};
    mtasts_options opt = report_parse_options(r, 0);
    mtasts_code code = set.count == 1
                           ? parse_strings(rec, set.rrs[0].strings, set.rrs[0].count, &opt)
                           : parse_strings(rec, NULL, 0, &opt);
    report_add_warnings(r, &src, -1);
    if (code != MTASTS_OK)
      add_error(r, rec, code, &src, false, set.count == 1 ? set.rrs[0].strings[0].ptr : "",
                set.count == 1 ? set.rrs[0].strings[0].len : 0);
    status = finish(r, rec, "<stdin>", kind_title(rec->kind), code == MTASTS_OK, NULL, NULL);
  }
  rrset_free(&set);
  input_free(&in);
  return status;
}

/* ------------------------------------------------------------------ */
/* An RRset                                                            */
/* ------------------------------------------------------------------ */

/* Does the record begin with the version field (R1, R2)? Asked of the
 * library, one record at a time, so that the rule stays the library's. A
 * record over MTASTS_TXT_MAX_SIZE, which the library refuses to inspect,
 * is asked about through its first MTASTS_TXT_MAX_SIZE bytes. */
static bool is_candidate(record *probe, const mtasts_rr *rr, const mtasts_options *opt) {
  mtasts_chunk *cut = calloc(rr->count > 0 ? rr->count : 1, sizeof *cut);
  if (cut == NULL)
    return false;
  size_t n = 0, total = 0;
  for (; n < rr->count && total < MTASTS_TXT_MAX_SIZE; n++) {
    cut[n] = rr->strings[n];
    if (cut[n].len > MTASTS_TXT_MAX_SIZE - total)
      cut[n].len = MTASTS_TXT_MAX_SIZE - total;
    total += cut[n].len;
  }
  mtasts_rr head = {cut, n};
  mtasts_rrset_result sel;
  bool yes = select_rr(probe, &head, 1, opt, &sel) != MTASTS_E_RRSET_NONE;
  free(cut);
  return yes;
}

static size_t find_candidates(const record *proto, const cli_rrset *set, uint32_t flags,
                              size_t *cand) {
  mtasts_options opt;
  memset(&opt, 0, sizeof opt);
  opt.profile = MTASTS_STRICT;
  opt.flags = flags;
  record probe;
  memset(&probe, 0, sizeof probe);
  probe.kind = proto->kind;
  size_t n = 0;
  for (size_t i = 0; i < set->count; i++)
    if (is_candidate(&probe, &set->rrs[i], &opt))
      cand[n++] = i;
  return n;
}

static json_t *candidate_json(const cli_rrset *set, size_t i) {
  json_t *o = json_object();
  json_object_set_new(o, "record", json_integer((json_int_t)i));
  json_object_set_new(o, "line", json_integer((json_int_t)set->rr_line[i]));
  return o;
}

/* `selected`: the index of the record selection kept, or set->count. */
static json_t *rrset_json(const cli_rrset *set, const size_t *cand, size_t ncand, size_t selected) {
  json_t *info = json_object();
  json_object_set_new(info, "records", json_integer((json_int_t)set->count));
  json_t *list = json_array();
  for (size_t i = 0; i < ncand; i++)
    json_array_append_new(list, candidate_json(set, cand[i]));
  json_object_set_new(info, "candidates", list);
  json_object_set_new(info, "selected",
                      selected < set->count ? candidate_json(set, selected) : json_null());
  json_t *extra = json_object();
  json_object_set_new(extra, "rrset", info);
  return extra;
}

/* "the records on lines 1, 3 and 5 begin with v=STSv1"; beyond five
 * lines, "lines 1, 2, 3, 4, 5 and 95 more". */
static void note_lines(cli_diag *d, const cli_rrset *set, const size_t *cand, size_t ncand,
                       const char *version) {
  enum { SHOWN = 5 };
  char *p = d->note, *end = d->note + sizeof d->note;
  p += snprintf(p, (size_t)(end - p), "the records on lines");
  for (size_t i = 0; i < ncand && i < SHOWN; i++) {
    bool last = i + 1 == ncand;
    p += snprintf(p, (size_t)(end - p), "%s %zu",
                  i == 0 ? ""
                  : last ? " and"
                         : ",",
                  set->rr_line[cand[i]]);
  }
  if (ncand > SHOWN)
    p += snprintf(p, (size_t)(end - p), " and %zu more", ncand - SHOWN);
  snprintf(p, (size_t)(end - p), " begin with %s", version);
}

static void add_select_error(cli_report *r, const record *rec, mtasts_code code,
                             const mtasts_rrset_result *sel, const cli_rrset *set,
                             const cli_source *file, const cli_source *rr_src, const size_t *cand,
                             size_t ncand) {
  const char *version = kind_version(rec->kind);
  if (code == MTASTS_E_RRSET_NONE) {
    cli_diag *d = report_add(r, code, 0, file);
    if (set->count == 0)
      snprintf(d->note, sizeof d->note, "the input holds no record (one per line)");
    else
      snprintf(d->note, sizeof d->note, "%s begins with %s%s",
               set->count == 1 ? "the only record" : "no record", version,
               r->opt->literal_prefix ? ";" : " followed by \";\"");
  } else if (code == MTASTS_E_RRSET_MULTIPLE) {
    /* Point at the second candidate: the first one is fine on its own. */
    cli_diag *d = report_add(r, code, 0, file);
    d->at = ncand > 1 ? set->rr_start[cand[1]] : 0;
    d->record = ncand > 1 ? (long)cand[1] : -1;
    note_lines(d, set, cand, ncand, version);
  } else {
    cli_diag *d = report_add(r, code, err_offset(rec), rr_src);
    d->record = (long)sel->err_rr;
  }
}

static int check_rrset(cli_report *r, record *rec) {
  const cli_options *o = r->opt;
  cli_input in;
  cli_rrset set;
  int status = EXIT_TROUBLE;
  if (!load_rrset(r, o->rrset, &in, &set, &status))
    return status;
  const char *name = input_name(o->rrset);
  uint32_t flags = o->literal_prefix ? MTASTS_OPT_LITERAL_PREFIX : 0;
  mtasts_options opt = report_parse_options(r, flags);
  mtasts_rrset_result sel;
  mtasts_code code = select_rr(rec, set.rrs, set.count, &opt, &sel);
  /* Warnings and parse errors are in one record: the selected one, or
   * the one too large to inspect (err_rr is 0 after a success). */
  size_t rr = code != MTASTS_OK && sel.err_rr < set.count ? sel.err_rr : sel.index;
  rr_map map = {&set, rr};
  cli_source file = {name, in.data, in.len, NULL, NULL};
  cli_source rr_src = {name, in.data, in.len, map_rr, &map};
  report_add_warnings(r, &rr_src, (long)sel.index);
  size_t *cand = calloc(set.count > 0 ? set.count : 1, sizeof *cand);
  size_t ncand = cand != NULL ? find_candidates(rec, &set, flags, cand) : 0;
  if (code != MTASTS_OK)
    add_select_error(r, rec, code, &sel, &set, &file, &rr_src, cand, ncand);
  char line[200] = "";
  if (code == MTASTS_OK && set.count == 1)
    snprintf(line, sizeof line, "  (the record on line %zu)\n", set.rr_line[sel.index]);
  else if (code == MTASTS_OK)
    snprintf(line, sizeof line,
             "  (the record on line %zu: the only one of %zu that begins with %s)\n",
             set.rr_line[sel.index], set.count, kind_version(rec->kind));
  bool valid = code == MTASTS_OK;
  /* The library selected a record if exactly one candidate survived the
   * size check; its parse may still have failed. */
  size_t selected = sel.candidates == 1 ? sel.index : set.count;
  json_t *extra = o->json ? rrset_json(&set, cand, ncand, selected) : NULL;
  char what[64];
  snprintf(what, sizeof what, "%s set", kind_title(rec->kind));
  status = finish(r, rec, name, what, valid, extra, line);
  free(cand);
  rrset_free(&set);
  input_free(&in);
  return status;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

int cmd_record(const cli_options *o, cli_kind kind) {
  cli_report r;
  report_init(&r, o, kind, stdout);
  /* Two records of about 5 KB each: on the heap, not the stack. */
  record *rec = calloc(1, sizeof *rec);
  if (rec == NULL)
    return report_trouble(&r, "<record>", "out of memory");
  rec->kind = kind;
  mtasts_txt_init(&rec->txt, rec->ext, MTASTS_MAX_EXTENSIONS);
  mtasts_tlsrpt_init(&rec->rpt, rec->rua, MTASTS_MAX_RUA, rec->ext, MTASTS_MAX_EXTENSIONS);
  bool from_stdin = o->nargs == 0 || (o->nargs == 1 && strcmp(o->args[0], "-") == 0);
  int status;
  if (o->rrset != NULL)
    status = check_rrset(&r, rec);
  else if (o->strings && from_stdin)
    status = check_string_stdin(&r, rec);
  else if (o->strings)
    status = check_string_args(&r, rec);
  else if (from_stdin)
    status = check_stdin(&r, rec);
  else
    status = check_joined(&r, rec, "<record>", o->args[0], strlen(o->args[0]), false);
  free(rec);
  return status;
}
