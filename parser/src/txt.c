/*
 * txt.c - _mta-sts TXT records (RFC 8461 3.1) and the record engine that
 * _smtp._tls records (tlsrpt.c) share: "version, then ;-separated
 * name=value fields", read through the segmented cursor of record.h.
 *
 * Grammar (RFC 8461 3.1, RFC 8460 3; %s literals are case-sensitive):
 *   record = version 1*(delim field) [delim]      delim = *WSP ";" *WSP
 *   field  = known / name "=" value               known = "id=" 1*32(ALPHA / DIGIT)
 *   name   = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *   value  = 1*(%x21-3A / %x3C / %x3E-7E)
 *
 * Offset conventions (every error offset is into the joined record):
 *  - The general rule: the first byte at which no valid input could
 *    continue; the record length when the input ends too early. A NUL byte
 *    at the error offset turns any code into E_NUL (record_fail).
 *  - E_EMPTY, E_ARGUMENT: 0. E_TXT_TOO_LARGE: MTASTS_TXT_MAX_SIZE, decided
 *    from the length alone (no byte is inspected, so no E_NUL there).
 *  - E_TXT_VERSION: the first byte that differs from the version literal
 *    (the length if the record is a strict prefix of it), or the byte
 *    right after the literal when it is not WSP or ";" ("v=STSv10" -> 7).
 *  - E_TXT_EXPECTED_DELIM: the byte after a field (and any WSP) that is
 *    not ";" ("v=STSv1 x" -> 8, "id=a b" -> at "b").
 *  - E_TXT_EMPTY_FIELD: the ";" that follows a ";" (and any WSP).
 *  - E_TXT_TRAILING_WSP / W_TXT_TRAILING_WSP: the first byte of the WSP
 *    run that ends a record without a final ";". This syntax check comes
 *    before the required-field check: strict "v=STSv1 " -> TRAILING_WSP@7.
 *  - E_TXT_FIELD_NAME: the first byte that cannot start a name, or the
 *    33rd name character.
 *  - E_TXT_EXPECTED_EQUALS: the first byte after the name that is not "="
 *    (the length if the record ends there).
 *  - E_TXT_VALUE_EMPTY: the byte right after "=" (WSP, ";" or the length).
 *  - E_TXT_VALUE_CHAR / E_TXT_ID_CHAR: the offending byte (a value ends at
 *    WSP, ";" or the end; any other byte outside its class is an error).
 *  - E_TXT_ID_TOO_LONG: the 33rd id character.
 *  - E_TXT_MISSING_ID / E_TLSRPT_MISSING_RUA: the record length.
 *  - E_TOO_MANY_EXTENSIONS: the first byte of the 33rd distinct extension
 *    field, reported once that field is known to be grammatical.
 *  - W_DUPLICATE_FIELD: the first byte of the ignored field's name,
 *    reported once that field is known to be grammatical.
 *  - _smtp._tls rua lists (tlsrpt.c; a URI is checked for syntax in full
 *    before it is judged usable):
 *    - E_TXT_VALUE_EMPTY: "rua=" followed by WSP, ";" or the end.
 *    - E_RUA_EMPTY: where a URI should start but a "," (right after "rua="
 *      or after another ","), WSP, ";" or the end is found instead.
 *    - E_RUA_SCHEME: the first byte that cannot continue the scheme (the
 *      length when the record ends before the ":").
 *    - E_RUA_CHAR: the byte. E_RUA_PERCENT: the first byte after "%" that is
 *      not HEXDIG (the length when the record ends first).
 *    - E_RUA_HOST, E_RUA_IP_LITERAL, E_RUA_PORT, E_RUA_RESERVED (R20a): the
 *      first byte that cannot continue a URI, or where the URI ends (uri.h).
 *    - E_RUA_UNSUPPORTED_SCHEME and W_RUA_SKIPPED: the URI's first byte.
 *    - E_RUA_NO_DESTINATION: the byte after the scheme's ":".
 *    - E_TOO_MANY_RUA: the first byte of the 33rd kept URI (skipped URIs are
 *      not kept, so they do not count).
 *    - E_RUA_NONE_USABLE: the first byte of the rua value.
 *    - A later rua= (R3) is ignored if it is a tlsrpt-rua list (syntax only)
 *      or a generic extension value. If neither, the failure that lies
 *      further into the record is reported (ties: the rua one).
 */
#include <string.h>

#include "record.h"

static const mtasts_rrset_result blank_sel;
static const mtasts_txt blank_txt;

/*
 * The reset at entry: the whole result, whatever it held. Reading the old
 * counts to clear less would read a caller's uninitialised memory (MSan
 * reported it from the fuzz replays), and the API takes any output.
 */
static void reset_txt(mtasts_txt *t) {
  *t = blank_txt;
}

/* ------------------------------------------------------------------ */
/* Arguments, options, errors, warnings                                */
/* ------------------------------------------------------------------ */

static bool options_valid(const mtasts_options *opt) {
  if (opt == NULL)
    return true;
  if (opt->profile != MTASTS_STRICT && opt->profile != MTASTS_LENIENT)
    return false;
  if ((opt->flags & ~(uint32_t)MTASTS_OPT_LITERAL_PREFIX) != 0)
    return false;
  return opt->warnings == NULL || opt->warnings->items != NULL || opt->warnings->cap == 0;
}

/* Joined length of a chunk list, saturated just above the limit so that
 * hostile lengths cannot wrap. False if a chunk is NULL with bytes. */
static bool chunks_measure(const mtasts_chunk *chunks, size_t count, size_t *len) {
  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    if (chunks[i].ptr == NULL && chunks[i].len > 0)
      return false;
    /* mutant-equivalent(const): the saturation below brings any sum above the limit back to
     * MTASTS_TXT_MAX_SIZE + 1 */
    total += chunks[i].len > MTASTS_TXT_MAX_SIZE ? MTASTS_TXT_MAX_SIZE + 1 : chunks[i].len;
    if (total > MTASTS_TXT_MAX_SIZE)
      /* mutant-equivalent(drop,const): callers only ask whether the length is above the limit,
       * and a sum of chunks of at most MTASTS_TXT_MAX_SIZE + 1 octets could wrap only past 2^52
       * chunks, more than memory holds */
      total = MTASTS_TXT_MAX_SIZE + 1;
  }
  *len = total;
  return true;
}

mtasts_code record_prepare(const mtasts_chunk *chunks, size_t count, const mtasts_options *opt,
                           size_t *len, size_t *err_offset) {
  /* mutant-equivalent(drop): both callers (txt_parse, tlsrpt_parse) pass it already 0 */
  *err_offset = 0;
  if (!options_valid(opt) || (chunks == NULL && count > 0) || !chunks_measure(chunks, count, len))
    return MTASTS_E_ARGUMENT;
  if (opt != NULL && opt->warnings != NULL)
    opt->warnings->count = 0;
  if (*len == 0)
    return MTASTS_E_EMPTY;
  if (*len > MTASTS_TXT_MAX_SIZE) {
    *err_offset = MTASTS_TXT_MAX_SIZE;
    return MTASTS_E_TXT_TOO_LARGE;
  }
  return MTASTS_OK;
}

void record_parser_init(record_parser *p, const mtasts_chunk *chunks, size_t count, size_t len,
                        const mtasts_options *opt, mtasts_ext *ext, size_t *ext_count,
                        void *result) {
  record_cursor_init(&p->cur, chunks, count, len);
  p->profile = opt != NULL ? opt->profile : MTASTS_STRICT;
  p->warnings = opt != NULL ? opt->warnings : NULL;
  /* mutant-equivalent(drop,const): it is read only after a failure, and every failure sets it
   * (record_fail) */
  p->err_offset = 0;
  p->known_seen = false;
  p->ext = ext;
  p->ext_count = ext_count;
  p->result = result;
}

mtasts_code record_fail(record_parser *p, mtasts_code code, size_t off) {
  record_cursor probe = p->cur;
  /* Most errors are at the cursor; seeking walks the chunk list. */
  if (off != probe.pos.off)
    record_seek(&probe, off);
  if (record_is(&probe, 0))
    code = MTASTS_E_NUL;
  p->err_offset = off;
  return code;
}

void record_warn(record_parser *p, mtasts_code code, size_t off) {
  mtasts_diags *w = p->warnings;
  if (w == NULL)
    return;
  if (w->count < w->cap) {
    w->items[w->count].code = code;
    w->items[w->count].offset = off;
  }
  w->count++;
}

/* ------------------------------------------------------------------ */
/* Comparing bytes in place                                            */
/* ------------------------------------------------------------------ */

/* Do the `len` bytes at `at` equal `lit`? */
static bool bytes_are(const record_cursor *c, record_pos at, size_t len, const char *lit,
                      size_t lit_len) {
  if (len != lit_len)
    return false;
  record_cursor r = *c;
  r.pos = at;
  for (size_t i = 0; i < len; i++, record_next(&r))
    if (record_byte(&r) != (unsigned char)lit[i])
      return false;
  return true;
}

/* Do the `len` bytes at `a` equal those at `b`? */
static bool bytes_equal(const record_cursor *c, record_pos a, record_pos b, size_t len) {
  record_cursor ra = *c, rb = *c;
  ra.pos = a;
  rb.pos = b;
  /* mutant-equivalent(rel): the callers compare extension names, each followed by "=": one byte
   * more compares "=" with "=" */
  for (size_t i = 0; i < len; i++, record_next(&ra), record_next(&rb))
    if (record_byte(&ra) != record_byte(&rb))
      return false;
  return true;
}

/* ------------------------------------------------------------------ */
/* The engine                                                          */
/* ------------------------------------------------------------------ */

/* The version when it lies whole in the first chunk: one memcmp. False
 * (cursor unmoved) otherwise, and on any difference, which the byte loop
 * of parse_version then locates. The record is not empty (record_prepare),
 * so the cursor, settled at offset 0, is on a byte of a real chunk. */
static bool version_in_one_chunk(const record_kind *k, record_cursor *c) {
  const mtasts_chunk *ch = &c->chunks[c->pos.chunk];
  /* mutant-equivalent(rel,arith): a shortcut: the cursor is at offset 0, at 0 of its chunk, so
   * + and - give the same; at equality the byte loop of parse_version reads the same version
   * (test_table_split_every_position: both ways agree on every row) */
  if (c->len - c->pos.off < k->version_len || ch->len - c->pos.at < k->version_len ||
      memcmp(ch->ptr + c->pos.at, k->version, k->version_len) != 0)
    return false;
  c->pos.at += k->version_len;
  c->pos.off += k->version_len;
  record_settle(c);
  return true;
}

static mtasts_code parse_version(const record_kind *k, record_parser *p) {
  record_cursor *c = &p->cur;
  if (!version_in_one_chunk(k, c)) {
    for (size_t i = 0; i < k->version_len; i++, record_next(c))
      if (!record_is(c, (unsigned char)k->version[i]))
        return record_fail_here(p, MTASTS_E_TXT_VERSION);
  }
  /* "v=STSv10" is not the version followed by something. */
  if (!record_at_end(c) && !record_in(c, MTASTS_C_WSP) && !record_is(c, ';'))
    return record_fail_here(p, MTASTS_E_TXT_VERSION);
  return MTASTS_OK;
}

mtasts_code record_generic_value(record_parser *p) {
  record_cursor *c = &p->cur;
  if (record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_EMPTY);
  /* The bytes that end a value (WSP, ";") are outside TXTVAL, so the run
   * stops at the value's end or at the first bad byte. */
  (void)record_take_class(c, MTASTS_C_TXTVAL, SIZE_MAX);
  if (!record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_CHAR);
  return MTASTS_OK;
}

/* The name and "=" of a field; *name_len receives the name's length. */
static mtasts_code parse_name(record_parser *p, size_t *name_len) {
  record_cursor *c = &p->cur;
  if (!record_in(c, MTASTS_C_ALPHA | MTASTS_C_DIGIT))
    return record_fail_here(p, MTASTS_E_TXT_FIELD_NAME);
  size_t start = c->pos.off;
  /* One byte more than a name may have shows a name that is too long. */
  /* mutant-equivalent(const): a run of 33 or of 34 fails alike, at the 33rd byte */
  size_t n = record_take_class(c, MTASTS_C_EXTNAME, MTASTS_MAX_EXT_NAME_LEN + 1);
  if (n > MTASTS_MAX_EXT_NAME_LEN)
    return record_fail(p, MTASTS_E_TXT_FIELD_NAME, start + MTASTS_MAX_EXT_NAME_LEN);
  if (!record_is(c, '='))
    return record_fail_here(p, MTASTS_E_TXT_EXPECTED_EQUALS);
  record_next(c);
  *name_len = n;
  return MTASTS_OK;
}

/* Index of the kept extension named like the field at `name`, or count. */
static size_t find_extension(const record_parser *p, record_pos name, size_t len) {
  size_t i = 0;
  /* The mutant "i <= count" survives the fast tests (ci/mutate.py) and is
   * not equivalent: with 32 kept it reads ext[32], past the array but inside
   * mtasts_txt, where name.len falls on src_strings, NULL during a parse, so
   * nothing matches. Only a bounds sanitizer (ci/sanitize.sh) sees it. */
  for (; i < *p->ext_count; i++)
    if (p->ext[i].name.len == len && bytes_equal(&p->cur, p->ext_name_pos[i], name, len))
      break;
  return i;
}

static mtasts_code parse_extension(record_parser *p, record_pos name, size_t name_len) {
  record_cursor *c = &p->cur;
  record_pos value = c->pos;
  bool duplicate = find_extension(p, name, name_len) < *p->ext_count;
  mtasts_code code = record_generic_value(p);
  if (code != MTASTS_OK)
    return code;
  if (duplicate) {
    record_warn(p, MTASTS_W_DUPLICATE_FIELD, name.off);
    return MTASTS_OK;
  }
  if (*p->ext_count == MTASTS_MAX_EXTENSIONS)
    return record_fail(p, MTASTS_E_TOO_MANY_EXTENSIONS, name.off);
  mtasts_ext *e = &p->ext[*p->ext_count];
  e->name = record_span(c, name, name.off + name_len);
  e->value = record_span(c, value, c->pos.off);
  p->ext_name_pos[*p->ext_count] = name;
  ++*p->ext_count;
  return MTASTS_OK;
}

static mtasts_code parse_field(const record_kind *k, record_parser *p) {
  record_pos name = p->cur.pos;
  /* mutant-equivalent(const): parse_name sets it before any use */
  size_t name_len = 0;
  mtasts_code code = parse_name(p, &name_len);
  if (code != MTASTS_OK)
    return code;
  /* R3: a later "v=" duplicates the version, which always comes first. */
  bool is_version = bytes_are(&p->cur, name, name_len, "v", 1);
  bool is_known = bytes_are(&p->cur, name, name_len, k->known, k->known_len);
  if (!is_version && !is_known)
    return parse_extension(p, name, name_len);
  if (is_known && !p->known_seen) {
    p->known_seen = true;
    return k->parse_known(p); /* R4: the first one must match its own production */
  }
  code = is_known ? k->check_duplicate(p) : record_generic_value(p);
  if (code == MTASTS_OK)
    record_warn(p, MTASTS_W_DUPLICATE_FIELD, name.off);
  return code;
}

/* WSP at the very end of a record without a final ";": lenient deviation 5. */
static mtasts_code trailing_wsp(record_parser *p, size_t off) {
  if (p->profile == MTASTS_STRICT)
    return record_fail(p, MTASTS_E_TXT_TRAILING_WSP, off);
  record_warn(p, MTASTS_W_TXT_TRAILING_WSP, off);
  return MTASTS_OK;
}

mtasts_code record_run(const record_kind *k, record_parser *p) {
  record_cursor *c = &p->cur;
  mtasts_code code = parse_version(k, p);
  while (code == MTASTS_OK) {
    size_t wsp = c->pos.off;
    record_skip_wsp(c);
    if (record_at_end(c)) {
      if (c->pos.off != wsp)
        code = trailing_wsp(p, wsp);
      break;
    }
    if (!record_is(c, ';'))
      return record_fail_here(p, MTASTS_E_TXT_EXPECTED_DELIM);
    record_next(c);
    record_skip_wsp(c);
    if (record_at_end(c))
      break; /* the optional final delimiter */
    if (record_is(c, ';'))
      return record_fail_here(p, MTASTS_E_TXT_EMPTY_FIELD);
    code = parse_field(k, p);
  }
  if (code == MTASTS_OK && !p->known_seen)
    code = record_fail(p, k->missing, c->len);
  return code;
}

/* ------------------------------------------------------------------ */
/* RRset selection                                                     */
/* ------------------------------------------------------------------ */

/* Does the RR begin with the version then *WSP ";" (R1; case-sensitive, R2)?
 * With MTASTS_OPT_LITERAL_PREFIX, the version then ";" exactly. */
static bool rr_is_candidate(const record_kind *k, const mtasts_rr *rr, size_t len, uint32_t flags) {
  record_cursor c;
  /* Candidacy looks at the first MTASTS_TXT_MAX_SIZE octets only (mtasts.h);
   * `len` is saturated one above that. Found by fuzz_txt_rrset. */
  /* mutant-equivalent(rel): when the two are equal, either one is the length */
  record_cursor_init(&c, rr->strings, rr->count,
                     len > MTASTS_TXT_MAX_SIZE ? MTASTS_TXT_MAX_SIZE : len);
  for (size_t i = 0; i < k->version_len; i++, record_next(&c))
    if (!record_is(&c, (unsigned char)k->version[i]))
      return false;
  if ((flags & MTASTS_OPT_LITERAL_PREFIX) == 0)
    record_skip_wsp(&c);
  return record_is(&c, ';');
}

mtasts_code record_select(const record_kind *k, const mtasts_rr *rrs, size_t count,
                          const mtasts_options *opt, mtasts_rrset_result *sel, size_t *err_offset) {
  *err_offset = 0;
  if (!options_valid(opt) || (rrs == NULL && count > 0))
    return MTASTS_E_ARGUMENT;
  if (opt != NULL && opt->warnings != NULL)
    opt->warnings->count = 0;
  /* Every RR's arguments are checked before any is inspected. Size is not
   * judged here: RFC 8461 3.1 discards non-candidates whatever they hold,
   * so one huge unrelated TXT record must not switch MTA-STS off. A
   * too-large candidate fails in its own parse (E_TXT_TOO_LARGE). */
  for (size_t i = 0; i < count; i++) {
    /* mutant-equivalent(const): chunks_measure sets it before any use */
    size_t len = 0;
    sel->err_rr = i;
    if ((rrs[i].strings == NULL && rrs[i].count > 0) ||
        !chunks_measure(rrs[i].strings, rrs[i].count, &len))
      return MTASTS_E_ARGUMENT;
  }
  uint32_t flags = opt != NULL ? opt->flags : 0;
  for (size_t i = 0; i < count; i++) {
    /* mutant-equivalent(const): chunks_measure sets it before any use */
    size_t len = 0;
    (void)chunks_measure(rrs[i].strings, rrs[i].count, &len);
    if (rr_is_candidate(k, &rrs[i], len, flags)) {
      sel->candidates++;
      sel->index = i;
    }
  }
  sel->err_rr = count;
  if (sel->candidates != 1) {
    mtasts_code code = sel->candidates == 0 ? MTASTS_E_RRSET_NONE : MTASTS_E_RRSET_MULTIPLE;
    sel->index = 0;
    return code;
  }
  sel->err_rr = 0;
  return MTASTS_OK;
}

/* ------------------------------------------------------------------ */
/* Reading spans back                                                  */
/* ------------------------------------------------------------------ */

bool record_open_span(const record_source *src, mtasts_span s, mtasts_chunk *one,
                      record_cursor *c) {
  if (s.ptr != NULL || s.len == 0) {
    one->ptr = s.ptr;
    one->len = s.len;
    /* mutant-equivalent(const): count only bounds record_seek to offset 0, which stops at
     * chunk 0 (or, for an empty span, reads one[count], out of bounds at 2, and stops) */
    record_cursor_init(c, one, 1, s.len);
    return true;
  }
  if (src == NULL)
    return false;
  const mtasts_chunk *chunks = src->strings;
  size_t count = src->count, total = 0;
  if (chunks == NULL) {
    one->ptr = src->joined;
    /* mutant-equivalent(const,drop): with no joined text one->ptr is NULL, and a span of 1+
     * octets is refused whatever one->len holds: by the total 0 below, or by the loop */
    one->len = src->joined != NULL ? src->len : 0;
    chunks = one;
    count = 1;
  }
  /* The chunks themselves bound the walk; src->len is not trusted. */
  for (size_t i = 0; i < count; i++) {
    if (chunks[i].ptr == NULL && chunks[i].len > 0)
      return false;
    total += chunks[i].len;
  }
  /* mutant-equivalent(rel): at off == total the span (len > 0 here) is refused by the second
   * test anyway */
  if (s.off > total || s.len > total - s.off)
    return false;
  c->chunks = chunks;
  c->count = count;
  c->len = s.off + s.len;
  record_seek(c, s.off);
  return true;
}

size_t record_copy(const record_source *src, mtasts_span s, char *dst, size_t cap) {
  mtasts_chunk one;
  record_cursor c;
  if (!record_open_span(src, s, &one, &c))
    return 0; /* not a span of this record: nothing to gather */
  if (dst == NULL)
    return s.len;
  for (size_t i = 0; i < cap && !record_at_end(&c); i++, record_next(&c))
    dst[i] = (char)record_byte(&c);
  return s.len;
}

/* ------------------------------------------------------------------ */
/* _mta-sts                                                            */
/* ------------------------------------------------------------------ */

/* sts-id = %s"id=" 1*32(ALPHA / DIGIT); R4: the first id must be one. */
static mtasts_code parse_id(record_parser *p) {
  record_cursor *c = &p->cur;
  record_pos start = c->pos;
  if (record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_EMPTY);
  /* Byte by byte, the 33rd byte of the value is ID_CHAR if it is not
   * ALPHA / DIGIT and ID_TOO_LONG if it is; hence a run of at most 33. */
  /* mutant-equivalent(const): a run of 33 or of 34 fails alike, at the 33rd byte */
  size_t n = record_take_class(c, MTASTS_C_ALPHA | MTASTS_C_DIGIT, MTASTS_MAX_ID_LEN + 1);
  if (n > MTASTS_MAX_ID_LEN)
    return record_fail(p, MTASTS_E_TXT_ID_TOO_LONG, start.off + MTASTS_MAX_ID_LEN);
  if (!record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_ID_CHAR);
  ((mtasts_txt *)p->result)->id = record_span(c, start, c->pos.off);
  return MTASTS_OK;
}

static const record_kind txt_kind = {
    .version = "v=STSv1",
    .version_len = sizeof "v=STSv1" - 1,
    .known = "id",
    .known_len = sizeof "id" - 1,
    .missing = MTASTS_E_TXT_MISSING_ID,
    .parse_known = parse_id,
    /* A later id only needs to be an extension: sts-id is a subset of it. */
    .check_duplicate = record_generic_value,
};

static mtasts_code txt_parse(const mtasts_chunk *chunks, size_t count, const mtasts_chunk *strings,
                             const char *joined, const mtasts_options *opt, mtasts_txt *out) {
  if (out == NULL)
    return MTASTS_E_ARGUMENT;
  reset_txt(out);
  /* mutant-equivalent(const): record_prepare sets err first, and len before any use */
  size_t len = 0, err = 0;
  mtasts_code code = record_prepare(chunks, count, opt, &len, &err);
  if (code == MTASTS_OK) {
    record_parser p;
    record_parser_init(&p, chunks, count, len, opt, out->ext, &out->ext_count, out);
    code = record_run(&txt_kind, &p);
    err = p.err_offset;
  }
  if (code != MTASTS_OK) {
    *out = blank_txt;
    out->err_offset = err;
    return code;
  }
  out->src_strings = strings;
  out->src_count = strings != NULL ? count : 0;
  out->src_joined = joined;
  out->src_len = len;
  return MTASTS_OK;
}

mtasts_code mtasts_txt_parse(const char *record, size_t len, const mtasts_options *opt,
                             mtasts_txt *out) {
  mtasts_chunk one = {record, len};
  return txt_parse(&one, 1, NULL, record, opt, out);
}

mtasts_code mtasts_txt_parse_strings(const mtasts_chunk *strings, size_t count,
                                     const mtasts_options *opt, mtasts_txt *out) {
  return txt_parse(strings, count, strings, NULL, opt, out);
}

size_t mtasts_txt_copy(const mtasts_txt *t, mtasts_span s, char *dst, size_t cap) {
  if (t == NULL)
    return record_copy(NULL, s, dst, cap);
  record_source src = {t->src_strings, t->src_count, t->src_joined, t->src_len};
  return record_copy(&src, s, dst, cap);
}

mtasts_code mtasts_txt_select(const mtasts_rr *rrs, size_t count, const mtasts_options *opt,
                              mtasts_rrset_result *sel, mtasts_txt *txt) {
  if (txt != NULL)
    reset_txt(txt);
  if (sel == NULL || txt == NULL)
    return MTASTS_E_ARGUMENT;
  *sel = blank_sel;
  /* mutant-equivalent(const): record_select sets it first */
  size_t err = 0;
  mtasts_code code = record_select(&txt_kind, rrs, count, opt, sel, &err);
  if (code != MTASTS_OK) {
    /* mutant-equivalent(drop): record_select leaves err 0, and txt was reset to 0 */
    txt->err_offset = err;
    return code;
  }
  const mtasts_rr *rr = &rrs[sel->index];
  code = mtasts_txt_parse_strings(rr->strings, rr->count, opt, txt);
  if (code != MTASTS_OK)
    sel->err_rr = sel->index;
  return code;
}
