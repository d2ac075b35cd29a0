/*
 * tlsrpt.c - _smtp._tls TXT records (RFC 8460 3, rulings R20 and R20a), a
 * kind of the record engine (record.c: version, delimiters, names,
 * duplicates, R1-R3): the version "v=TLSRPTv1" and the required field rua.
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
 * The contract (the order of judgement, the offset of every code, the rua
 * ones included) is parser/SPEC.md, "TXT records".
 */
#include "record.h"
#include "uri.h"

enum { LIST_RUA = RECORD_LIST_EXT + 1 };
static const record_parser blank_parser;

typedef struct rua_uri {
  cursor_pos start;
  size_t end;
  uri_scan scan;
} rua_uri;

/* A URI ends where its field value ends, or at the list separator. Once
 * per byte, so inlined as the cursor is (cursor.h). */
CURSOR_INLINE bool uri_ends(const cursor *c) {
  return record_value_ends(c) || cursor_is(c, ',');
}

/*
 * A later rua= is read once, as a rua list and as an extension value at
 * the same time (R3, see check_duplicate_rua). The extension reading is a
 * run of TXTVAL from the value's start, so all it needs from the bytes the
 * list reading passes over is the first one outside TXTVAL: there it stops.
 */
typedef struct ext_watch {
  bool found;
  cursor_pos at; /* the first byte outside TXTVAL (or the end), once found */
} ext_watch;

/* Called on every byte the list reading is about to pass (w NULL: the
 * first rua, where no extension reading is needed). */
CURSOR_INLINE void watch(ext_watch *w, const cursor *c) {
  if (w != NULL && !w->found && !cursor_in(c, CHAR_TXTVAL)) {
    w->found = true;
    w->at = c->pos;
  }
}

/* A byte that ends a URI inside a run: WSP, ";" (the field's end) or ","
 * (the list separator). The record's end is where the runs end. */
CURSOR_INLINE bool uri_stop(unsigned char b) {
  return char_is(b, CHAR_WSP) || b == ';' || b == ',';
}

/* The first byte outside TXTVAL among the k bytes of the run at c. */
static void watch_run(ext_watch *w, const cursor *c, const unsigned char *b, size_t k) {
  for (size_t i = 0; i < k && !w->found; i++) {
    if (!char_is(b[i], CHAR_TXTVAL)) {
      w->found = true;
      w->at = c->pos;
      /* mutant-equivalent(drop): a byte the list reading passed lies at or before its failure,
       * so an extension reading stopped there loses to the rua error whatever the exact place
       * (check_duplicate_rua); "-= i" instead would be a position outside the record, a read
       * only a sanitizer sees */
      w->at.at += i;
      /* mutant-equivalent(drop): as above */
      w->at.off += i;
    }
  }
}

/* Feed the URI's bytes up to where it ends, a chunk's run at a time; false
 * when one cannot continue it (the cursor is left on that byte). The list
 * reading passes the bytes fed, and the one that failed. */
static bool feed_uri(cursor *c, uri_scan *s, ext_watch *w) {
  while (!cursor_at_end(c)) {
    const unsigned char *b;
    size_t n = cursor_run(c, &b);
    size_t fed = uri_feed_run(s, b, n, c->pos.off);
    /* It stops at a failure, or before a byte outside the URI characters:
     * one that ends the URI, or one that uri_feed fails on. */
    bool failed = s->code != MTASTS_OK ||
                  (fed < n && !uri_stop(b[fed]) && !uri_feed(s, b[fed], c->pos.off + fed));
    if (w != NULL) {
      /* mutant-equivalent(const=0): the failing byte need not be watched: left unwatched, the
       * extension reading resumes from it (ext_reading) and stops at it alike */
      watch_run(w, c, b, failed ? fed + 1 : fed);
    }
    cursor_skip(c, fed);
    if (failed)
      return false;
    if (fed < n)
      break; /* stopped on a byte that ends the URI */
  }
  return true;
}

static mtasts_code scan_uri(record_parser *p, rua_uri *u, ext_watch *w) {
  cursor *c = &p->cur;
  u->start = c->pos;
  uri_begin(&u->scan, c->pos.off);
  if (!feed_uri(c, &u->scan, w))
    return record_fail(p, u->scan.code, u->scan.err_offset);
  watch(w, c); /* the byte that ends the URI */
  if (!uri_end(&u->scan, c->pos.off))
    return record_fail(p, u->scan.code, u->scan.err_offset);
  u->end = c->pos.off;
  return MTASTS_OK;
}

/* A cursor over the same record at joined offset `off`. */
static cursor cursor_at(const cursor *c, size_t off) {
  cursor r = *c;
  cursor_seek(&r, off);
  return r;
}

/* Is the scheme mailto or https, compared case-insensitively (R20a)? Their
 * lengths differ, so the length picks the one name to compare. *kind is
 * only meaningful when true. */
static bool uri_kind(const cursor *c, const rua_uri *u, mtasts_rua_scheme *kind) {
  size_t len = u->scan.colon - u->start.off;
  bool mailto = len == sizeof "mailto" - 1;
  *kind = mailto ? MTASTS_RUA_MAILTO : MTASTS_RUA_HTTPS;
  return (mailto || len == sizeof "https" - 1) &&
         cursor_equals(c, u->start, mailto ? "mailto" : "https", len, true);
}

/* The R20a destination (see the top of this file). */
static bool has_destination(const cursor *c, const rua_uri *u, mtasts_rua_scheme kind) {
  const uri_scan *s = &u->scan;
  if (kind == MTASTS_RUA_HTTPS)
    return s->authority && s->host_end > s->host_start;
  /* An "@" at to[1] .. to[len - 2], where to = (colon, hier_end). */
  size_t first = s->colon + 2, last = s->hier_end - 1;
  /* mutant-equivalent(arith,const): a shortcut; without it the loop below finds no "@" in
   * fewer than three octets either */
  if (s->hier_end < s->colon + 4)
    return false;
  cursor r = cursor_at(c, first);
  for (; r.pos.off < last; cursor_next(&r))
    if (cursor_byte(&r) == '@')
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
  if (out->rua_needed == MTASTS_MAX_RUA)
    return record_fail(p, MTASTS_E_TOO_MANY_RUA, u->start.off);
  mtasts_rua *r = record_item(p, LIST_RUA, u->start.off);
  if (r != NULL) {
    r->uri = cursor_span(&p->cur, u->start, u->end);
    r->scheme = cursor_span(&p->cur, u->start, u->scan.colon);
    r->kind = kind;
  }
  return MTASTS_OK;
}

/* The list after "rua=". `later` NULL: the first rua (R20 checks,
 * storage); otherwise a later one, checked for syntax only (R3), whose
 * bytes are watched for the extension reading. */
static mtasts_code parse_rua_list(record_parser *p, ext_watch *later) {
  cursor *c = &p->cur;
  size_t value = c->pos.off;
  if (record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_EMPTY);
  for (;;) {
    if (uri_ends(c))
      return record_fail_here(p, MTASTS_E_RUA_EMPTY);
    rua_uri u;
    mtasts_code code = scan_uri(p, &u, later);
    if (code == MTASTS_OK && later == NULL)
      code = keep_uri(p, &u);
    if (code != MTASTS_OK)
      return code;
    /* WSP belongs to the list only when a "," follows it. */
    cursor_pos after = c->pos;
    cursor_skip_wsp(c);
    if (!cursor_is(c, ',')) {
      c->pos = after;
      break;
    }
    cursor_next(c);
    watch(later, c); /* the WSP skipped next is outside TXTVAL */
    cursor_skip_wsp(c);
  }
  if (later == NULL && ((mtasts_tlsrpt *)p->result)->rua_needed == 0)
    return record_fail(p, MTASTS_E_RUA_NONE_USABLE, value);
  return MTASTS_OK;
}

static mtasts_code parse_first_rua(record_parser *p) {
  return parse_rua_list(p, NULL);
}

/* The extension reading of a later rua= whose list reading failed, as
 * record_generic_value would judge it, without reading again what the list
 * reading passed: it stops at the first byte outside TXTVAL, watched or
 * found from where the list reading stopped (every byte before that was
 * TXTVAL). The cursor is left where it stops; no failure is recorded. */
static mtasts_code ext_reading(cursor *c, cursor_pos value, const ext_watch *w) {
  if (w->found)
    c->pos = w->at;
  else
    (void)cursor_take_class(c, CHAR_TXTVAL, SIZE_MAX);
  if (c->pos.off == value.off && record_value_ends(c))
    return MTASTS_E_TXT_VALUE_EMPTY;
  return record_value_ends(c) ? MTASTS_OK : MTASTS_E_TXT_VALUE_CHAR;
}

/* R3/R20: a later rua= must be a tlsrpt-rua or a generic extension. If it
 * is neither, the failure that lies further into the record is reported
 * (ties: the rua one). */
static mtasts_code check_duplicate_rua(record_parser *p) {
  cursor *c = &p->cur;
  cursor_pos value = c->pos;
  ext_watch w = {false, value};
  mtasts_code as_rua = parse_rua_list(p, &w);
  if (as_rua == MTASTS_OK)
    return MTASTS_OK;
  size_t rua_err = p->err_offset;
  mtasts_code as_ext = ext_reading(c, value, &w);
  if (as_ext != MTASTS_OK) {
    if (c->pos.off > rua_err)
      return record_fail_here(p, as_ext);
  } else {
    /* The extension reading stops earlier; the record must go on from there
     * (the engine reports it if not), unless the rua reading got further. */
    cursor look = *c;
    cursor_skip_wsp(&look);
    if (rua_err <= look.pos.off)
      return MTASTS_OK;
  }
  p->err_offset = rua_err; /* mutant-equivalent(drop): still rua_err; ext_reading records none */
  return as_rua;
}

bool record_rua_usable(cursor *c, mtasts_rua_scheme *kind) {
  record_parser p = blank_parser;
  p.cur = *c;
  rua_uri u;
  if (scan_uri(&p, &u, NULL) != MTASTS_OK || !cursor_at_end(&p.cur))
    return false;
  return uri_kind(&p.cur, &u, kind) && has_destination(&p.cur, &u, *kind);
}

/* A parse clears the result from its first result field on (record.c):
 * the caller's storage must come before it. */
_Static_assert(offsetof(mtasts_tlsrpt, ext_cap) < offsetof(mtasts_tlsrpt, rua_count),
               "storage before results");

static const record_kind tlsrpt_kind = {
    .version = "v=TLSRPTv1",
    .version_len = sizeof "v=TLSRPTv1" - 1,
    .known = "rua",
    .known_len = sizeof "rua" - 1,
    .missing = MTASTS_E_TLSRPT_MISSING_RUA,
    .parse_known = parse_first_rua,
    .check_duplicate = check_duplicate_rua,
    .layout = {RECORD_LAYOUT(mtasts_tlsrpt, rua_count),
               2,
               {RECORD_LIST(mtasts_tlsrpt, ext, mtasts_ext, MTASTS_E_EXT_CAPACITY),
                RECORD_LIST(mtasts_tlsrpt, rua, mtasts_rua, MTASTS_E_RUA_CAPACITY)}},
};

void mtasts_tlsrpt_init(mtasts_tlsrpt *t, mtasts_rua *rua, size_t rua_cap, mtasts_ext *ext,
                        size_t ext_cap) {
  void *const arrays[] = {ext, rua};
  const size_t caps[] = {ext_cap, rua_cap};
  record_init(&tlsrpt_kind, t, arrays, caps);
}

mtasts_code mtasts_tlsrpt_parse(const char *record, size_t len, const mtasts_options *opt,
                                mtasts_tlsrpt *out) {
  return record_parse(&tlsrpt_kind, record, len, opt, out);
}

mtasts_code mtasts_tlsrpt_parse_strings(const mtasts_chunk *strings, size_t count,
                                        const mtasts_options *opt, mtasts_tlsrpt *out) {
  return record_parse_strings(&tlsrpt_kind, strings, count, opt, out);
}

size_t mtasts_tlsrpt_copy(const mtasts_tlsrpt *t, mtasts_span s, char *dst, size_t cap) {
  return record_result_copy(&tlsrpt_kind, t, s, dst, cap);
}

mtasts_code mtasts_tlsrpt_select(const mtasts_rr *rrs, size_t count, const mtasts_options *opt,
                                 mtasts_rrset_result *sel, mtasts_tlsrpt *out) {
  return record_select(&tlsrpt_kind, rrs, count, opt, sel, out);
}
