/*
 * tlsrpt.c - _smtp._tls TXT records (RFC 8460 3, rulings R20 and R20a), on
 * the record engine of txt.c (version, delimiters, names, duplicates: R1-R3).
 *
 *   tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 *   tlsrpt-uri = URI  ; "," "!" ";" MUST be encoded
 *
 * A URI ends at WSP, ";", "," or the end of the record (none of them can
 * be inside one) and must be RFC 3986's URI, whole (uri.c; an error in
 * both profiles). Then R20a decides whether it is usable: scheme mailto or
 * https, compared case-insensitively, with a destination: for https a
 * non-empty host; for mailto an address before the first "?" or "#",
 * read as a raw "@" with at least one byte on each side (parser/SPEC.md,
 * "URIs in rua", says why). A URI without one is what R20 calls
 * unsupported: strict fails, lenient skips it with W_RUA_SKIPPED.
 *
 * Offsets: every convention, the rua ones included, is at the top of txt.c.
 */
#include <string.h>

#include "record.h"
#include "uri.h"

static const mtasts_rrset_result blank_sel;
static const mtasts_tlsrpt blank_tlsrpt;

/* The reset at entry: the whole result, as reset_txt() in txt.c. */
static void reset_tlsrpt(mtasts_tlsrpt *t) {
  *t = blank_tlsrpt;
}
static const record_parser blank_parser;

typedef struct rua_uri {
  record_pos start;
  size_t end;
  uri_scan scan;
} rua_uri;

/* A URI ends where its field value ends, or at the list separator. */
static bool uri_ends(const record_cursor *c) {
  return record_value_ends(c) || record_is(c, ',');
}

static mtasts_code scan_uri(record_parser *p, rua_uri *u) {
  record_cursor *c = &p->cur;
  u->start = c->pos;
  uri_begin(&u->scan, c->pos.off);
  for (; !uri_ends(c); record_next(c))
    if (!uri_feed(&u->scan, record_byte(c), c->pos.off))
      return record_fail(p, u->scan.code, u->scan.err_offset);
  if (!uri_end(&u->scan, c->pos.off))
    return record_fail(p, u->scan.code, u->scan.err_offset);
  u->end = c->pos.off;
  return MTASTS_OK;
}

/* A cursor over the same record at joined offset `off`. */
static record_cursor cursor_at(const record_cursor *c, size_t off) {
  record_cursor r = *c;
  record_seek(&r, off);
  return r;
}

/* Is the scheme `name` (lower case), compared case-insensitively? */
static bool scheme_is(const record_cursor *c, const rua_uri *u, const char *name, size_t len) {
  if (u->scan.colon - u->start.off != len)
    return false;
  record_cursor r = *c;
  r.pos = u->start;
  for (size_t i = 0; i < len; i++, record_next(&r))
    if (mtasts_lower(record_byte(&r)) != (unsigned char)name[i])
      return false;
  return true;
}

static bool uri_kind(const record_cursor *c, const rua_uri *u, mtasts_rua_scheme *kind) {
  if (scheme_is(c, u, "mailto", 6)) {
    *kind = MTASTS_RUA_MAILTO;
    return true;
  }
  *kind = MTASTS_RUA_HTTPS;
  return scheme_is(c, u, "https", 5);
}

/* The R20a destination (see the top of this file). */
static bool has_destination(const record_cursor *c, const rua_uri *u, mtasts_rua_scheme kind) {
  const uri_scan *s = &u->scan;
  if (kind == MTASTS_RUA_HTTPS)
    return s->authority && s->host_end > s->host_start;
  /* An "@" at to[1] .. to[len - 2], where to = (colon, hier_end). */
  size_t first = s->colon + 2, last = s->hier_end - 1;
  if (s->hier_end < s->colon + 4)
    return false;
  record_cursor r = cursor_at(c, first);
  for (; r.pos.off < last; record_next(&r))
    if (record_byte(&r) == '@')
      return true;
  return false;
}

/* R20 for one URI of the first rua: keep it, skip it (lenient) or fail. */
static mtasts_code keep_uri(record_parser *p, const rua_uri *u) {
  mtasts_tlsrpt *out = p->result;
  mtasts_rua_scheme kind;
  mtasts_code problem = MTASTS_OK;
  size_t at = u->start.off;
  if (!uri_kind(&p->cur, u, &kind)) {
    problem = MTASTS_E_RUA_UNSUPPORTED_SCHEME;
  } else if (!has_destination(&p->cur, u, kind)) {
    problem = MTASTS_E_RUA_NO_DESTINATION;
    at = u->scan.colon + 1;
  }
  if (problem != MTASTS_OK) {
    if (p->profile == MTASTS_STRICT)
      return record_fail(p, problem, at);
    record_warn(p, MTASTS_W_RUA_SKIPPED, u->start.off);
    return MTASTS_OK;
  }
  if (out->rua_count == MTASTS_MAX_RUA)
    return record_fail(p, MTASTS_E_TOO_MANY_RUA, u->start.off);
  mtasts_rua *r = &out->rua[out->rua_count++];
  r->uri = record_span(&p->cur, u->start, u->end);
  r->scheme = record_span(&p->cur, u->start, u->scan.colon);
  r->kind = kind;
  return MTASTS_OK;
}

/* The list after "rua=". `keep`: the first rua (R20 checks, storage);
 * otherwise a later one, checked for syntax only (R3). */
static mtasts_code parse_rua_list(record_parser *p, bool keep) {
  record_cursor *c = &p->cur;
  size_t value = c->pos.off;
  if (record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_EMPTY);
  for (;;) {
    if (uri_ends(c))
      return record_fail_here(p, MTASTS_E_RUA_EMPTY);
    rua_uri u;
    mtasts_code code = scan_uri(p, &u);
    if (code == MTASTS_OK && keep)
      code = keep_uri(p, &u);
    if (code != MTASTS_OK)
      return code;
    /* WSP belongs to the list only when a "," follows it. */
    record_pos after = c->pos;
    record_skip_wsp(c);
    if (!record_is(c, ',')) {
      c->pos = after;
      break;
    }
    record_next(c);
    record_skip_wsp(c);
  }
  if (keep && ((mtasts_tlsrpt *)p->result)->rua_count == 0)
    return record_fail(p, MTASTS_E_RUA_NONE_USABLE, value);
  return MTASTS_OK;
}

static mtasts_code parse_first_rua(record_parser *p) {
  return parse_rua_list(p, true);
}

/* R3/R20: a later rua= must be a tlsrpt-rua or a generic extension. */
static mtasts_code check_duplicate_rua(record_parser *p) {
  record_cursor *c = &p->cur;
  record_pos value = c->pos;
  mtasts_code as_rua = parse_rua_list(p, false);
  if (as_rua == MTASTS_OK)
    return MTASTS_OK;
  size_t rua_err = p->err_offset;
  c->pos = value;
  mtasts_code as_ext = record_generic_value(p);
  if (as_ext != MTASTS_OK) {
    if (p->err_offset > rua_err)
      return as_ext;
  } else {
    /* The extension reading stops earlier; the record must go on from there
     * (the engine reports it if not), unless the rua reading got further. */
    record_cursor look = *c;
    record_skip_wsp(&look);
    if (rua_err <= look.pos.off)
      return MTASTS_OK;
  }
  p->err_offset = rua_err;
  return as_rua;
}

bool record_rua_usable(record_cursor *c, mtasts_rua_scheme *kind) {
  record_parser p = blank_parser;
  p.cur = *c;
  rua_uri u;
  if (scan_uri(&p, &u) != MTASTS_OK || !record_at_end(&p.cur))
    return false;
  return uri_kind(&p.cur, &u, kind) && has_destination(&p.cur, &u, *kind);
}

static const record_kind tlsrpt_kind = {
    .version = "v=TLSRPTv1",
    .version_len = sizeof "v=TLSRPTv1" - 1,
    .known = "rua",
    .known_len = sizeof "rua" - 1,
    .missing = MTASTS_E_TLSRPT_MISSING_RUA,
    .parse_known = parse_first_rua,
    .check_duplicate = check_duplicate_rua,
};

static mtasts_code tlsrpt_parse(const mtasts_chunk *chunks, size_t count,
                                const mtasts_chunk *strings, const char *joined,
                                const mtasts_options *opt, mtasts_tlsrpt *out) {
  if (out == NULL)
    return MTASTS_E_ARGUMENT;
  reset_tlsrpt(out);
  size_t len = 0, err = 0;
  mtasts_code code = record_prepare(chunks, count, opt, &len, &err);
  if (code == MTASTS_OK) {
    record_parser p;
    record_parser_init(&p, chunks, count, len, opt, out->ext, &out->ext_count, out);
    code = record_run(&tlsrpt_kind, &p);
    err = p.err_offset;
  }
  if (code != MTASTS_OK) {
    *out = blank_tlsrpt;
    out->err_offset = err;
    return code;
  }
  out->src_strings = strings;
  out->src_count = strings != NULL ? count : 0;
  out->src_joined = joined;
  out->src_len = len;
  return MTASTS_OK;
}

mtasts_code mtasts_tlsrpt_parse(const char *record, size_t len, const mtasts_options *opt,
                                mtasts_tlsrpt *out) {
  mtasts_chunk one = {record, len};
  return tlsrpt_parse(&one, 1, NULL, record, opt, out);
}

mtasts_code mtasts_tlsrpt_parse_strings(const mtasts_chunk *strings, size_t count,
                                        const mtasts_options *opt, mtasts_tlsrpt *out) {
  return tlsrpt_parse(strings, count, strings, NULL, opt, out);
}

size_t mtasts_tlsrpt_copy(const mtasts_tlsrpt *t, mtasts_span s, char *dst, size_t cap) {
  if (t == NULL)
    return record_copy(NULL, s, dst, cap);
  record_source src = {t->src_strings, t->src_count, t->src_joined, t->src_len};
  return record_copy(&src, s, dst, cap);
}

mtasts_code mtasts_tlsrpt_select(const mtasts_rr *rrs, size_t count, const mtasts_options *opt,
                                 mtasts_rrset_result *sel, mtasts_tlsrpt *out) {
  if (out != NULL)
    reset_tlsrpt(out);
  if (sel == NULL || out == NULL)
    return MTASTS_E_ARGUMENT;
  *sel = blank_sel;
  size_t err = 0;
  mtasts_code code = record_select(&tlsrpt_kind, rrs, count, opt, sel, &err);
  if (code != MTASTS_OK) {
    out->err_offset = err;
    return code;
  }
  const mtasts_rr *rr = &rrs[sel->index];
  code = mtasts_tlsrpt_parse_strings(rr->strings, rr->count, opt, out);
  if (code != MTASTS_OK)
    sel->err_rr = sel->index;
  return code;
}
