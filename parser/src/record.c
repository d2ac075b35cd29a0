/*
 * record.c - the TXT record engine: "version, then ;-separated name=value
 * fields", read through the segmented cursor of cursor.h, for every record
 * kind (record.h); and the public entry points parse, parse_strings,
 * select and copy, written once for all kinds.
 *
 * The contract (grammar, order of judgement, the offset of every code) is
 * parser/SPEC.md, "TXT records"; the comments here say why the code reads
 * the way it does.
 */
#include <string.h>

#include "record.h"

static const mtasts_rrset_result blank_sel;

/* A field of a kind's result, from its offset in the layout. */
static void *field_at(void *result, size_t off) {
  return (char *)result + off;
}

static const void *const_field_at(const void *result, size_t off) {
  return (const char *)result + off;
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

/* Check the options and the chunk list, reset the warning count and
 * measure the joined record. Returns MTASTS_OK, or an error whose offset
 * is stored in *err_offset (E_ARGUMENT, E_EMPTY, E_TXT_TOO_LARGE). */
static mtasts_code prepare(const mtasts_chunk *chunks, size_t count, const mtasts_options *opt,
                           size_t *len, size_t *err_offset) {
  /* mutant-equivalent(drop): the one caller (parse_chunks) passes it already 0 */
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

static void parser_init(record_parser *p, const record_kind *k, const mtasts_chunk *chunks,
                        size_t count, size_t len, const mtasts_options *opt, void *result) {
  cursor_init(&p->cur, chunks, count, len);
  p->profile = opt != NULL ? opt->profile : MTASTS_STRICT;
  p->warnings = opt != NULL ? opt->warnings : NULL;
  /* mutant-equivalent(drop,const): it is read only after a failure, and every failure sets it
   * (record_fail) */
  p->err_offset = 0;
  p->known_seen = false;
  p->ext_seen = 0;
  p->overflow = MTASTS_OK;
  /* mutant-equivalent(drop,const): read only when overflow is set, and record_item sets the
   * two together */
  p->overflow_off = 0;
  p->layout = &k->layout;
  p->result = result;
}

mtasts_code record_fail(record_parser *p, mtasts_code code, size_t off) {
  cursor probe = p->cur;
  /* Most errors are at the cursor; seeking walks the chunk list. */
  if (off != probe.pos.off)
    cursor_seek(&probe, off);
  if (cursor_is(&probe, 0))
    code = MTASTS_E_NUL;
  p->err_offset = off;
  return code;
}

void *record_item(record_parser *p, size_t list, size_t off) {
  const record_list *l = &p->layout->lists[list];
  size_t *needed = field_at(p->result, l->needed);
  size_t cap = *(size_t *)field_at(p->result, l->cap);
  size_t i = (*needed)++;
  if (i < cap)
    return *(char **)field_at(p->result, l->array) + i * l->item_size;
  if (p->overflow == MTASTS_OK) {
    p->overflow = l->capacity;
    p->overflow_off = off;
  }
  return NULL;
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

/* Do the `len` bytes at `at` equal `lit`? Twice a field, on a name of a
 * byte or two: inlined, as the cursor is, the call cost more than that. */
CURSOR_INLINE bool bytes_are(const cursor *c, cursor_pos at, size_t len, const char *lit,
                             size_t lit_len) {
  return len == lit_len && cursor_equals(c, at, lit, len, false);
}

/* Do the `len` bytes at `a` equal those at `b`? */
static bool bytes_equal(const cursor *c, cursor_pos a, cursor_pos b, size_t len) {
  cursor ra = *c, rb = *c;
  ra.pos = a;
  rb.pos = b;
  /* mutant-equivalent(rel): the callers compare extension names, each followed by "=": one byte
   * more compares "=" with "=" */
  for (size_t i = 0; i < len; i++, cursor_next(&ra), cursor_next(&rb))
    if (cursor_byte(&ra) != cursor_byte(&rb))
      return false;
  return true;
}

/* ------------------------------------------------------------------ */
/* The engine                                                          */
/* ------------------------------------------------------------------ */

/* The version when it lies whole in the first chunk: one memcmp. False
 * (cursor unmoved) otherwise, and on any difference, which the byte loop
 * of parse_version then locates. The record is not empty (prepare),
 * so the cursor, settled at offset 0, is on a byte of a real chunk. */
static bool version_in_one_chunk(const record_kind *k, cursor *c) {
  const mtasts_chunk *ch = &c->chunks[c->pos.chunk];
  /* mutant-equivalent(rel,arith): a shortcut: the cursor is at offset 0, at 0 of its chunk, so
   * + and - give the same; at equality the byte loop of parse_version reads the same version
   * (test_table_split_every_position: both ways agree on every row) */
  if (c->len - c->pos.off < k->version_len || ch->len - c->pos.at < k->version_len ||
      memcmp(ch->ptr + c->pos.at, k->version, k->version_len) != 0)
    return false;
  c->pos.at += k->version_len;
  c->pos.off += k->version_len;
  cursor_settle(c);
  return true;
}

static mtasts_code parse_version(const record_kind *k, record_parser *p) {
  cursor *c = &p->cur;
  if (!version_in_one_chunk(k, c)) {
    for (size_t i = 0; i < k->version_len; i++, cursor_next(c))
      if (!cursor_is(c, (unsigned char)k->version[i]))
        return record_fail_here(p, MTASTS_E_TXT_VERSION);
  }
  /* "v=STSv10" is not the version followed by something. */
  if (!cursor_at_end(c) && !cursor_in(c, CHAR_WSP) && !cursor_is(c, ';'))
    return record_fail_here(p, MTASTS_E_TXT_VERSION);
  return MTASTS_OK;
}

mtasts_code record_generic_value(record_parser *p) {
  cursor *c = &p->cur;
  if (record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_EMPTY);
  /* The bytes that end a value (WSP, ";") are outside TXTVAL, so the run
   * stops at the value's end or at the first bad byte. */
  (void)cursor_take_class(c, CHAR_TXTVAL, SIZE_MAX);
  if (!record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_CHAR);
  return MTASTS_OK;
}

/* The name and "=" of a field; *name_len receives the name's length. */
static mtasts_code parse_name(record_parser *p, size_t *name_len) {
  cursor *c = &p->cur;
  if (!cursor_in(c, CHAR_ALPHA | CHAR_DIGIT))
    return record_fail_here(p, MTASTS_E_TXT_FIELD_NAME);
  size_t start = c->pos.off;
  /* One byte more than a name may have shows a name that is too long. */
  /* mutant-equivalent(const): a run of 33 or of 34 fails alike, at the 33rd byte */
  size_t n = cursor_take_class(c, CHAR_EXTNAME, MTASTS_MAX_EXT_NAME_LEN + 1);
  if (n > MTASTS_MAX_EXT_NAME_LEN)
    return record_fail(p, MTASTS_E_TXT_FIELD_NAME, start + MTASTS_MAX_EXT_NAME_LEN);
  if (!cursor_is(c, '='))
    return record_fail_here(p, MTASTS_E_TXT_EXPECTED_EQUALS);
  cursor_next(c);
  *name_len = n;
  return MTASTS_OK;
}

/* Index of the extension seen earlier with the name of the field at
 * `name`, or the count seen. The names are the parser's, not the caller's
 * array: an extension that did not fit is a name all the same. */
static size_t find_extension(const record_parser *p, cursor_pos name, size_t len) {
  size_t i = 0;
  for (; i < p->ext_seen; i++)
    if (p->ext_name_len[i] == len && bytes_equal(&p->cur, p->ext_name_pos[i], name, len))
      break;
  return i;
}

static mtasts_code parse_extension(record_parser *p, cursor_pos name, size_t name_len) {
  cursor *c = &p->cur;
  cursor_pos value = c->pos;
  bool duplicate = find_extension(p, name, name_len) < p->ext_seen;
  mtasts_code code = record_generic_value(p);
  if (code != MTASTS_OK)
    return code;
  if (duplicate) {
    record_warn(p, MTASTS_W_DUPLICATE_FIELD, name.off);
    return MTASTS_OK;
  }
  if (p->ext_seen == MTASTS_MAX_EXTENSIONS)
    return record_fail(p, MTASTS_E_TOO_MANY_EXTENSIONS, name.off);
  p->ext_name_pos[p->ext_seen] = name;
  p->ext_name_len[p->ext_seen++] = (unsigned char)name_len; /* parse_name: at most 32 */
  mtasts_ext *e = record_item(p, RECORD_LIST_EXT, name.off);
  if (e != NULL) {
    e->name = cursor_span(c, name, name.off + name_len);
    e->value = cursor_span(c, value, c->pos.off);
  }
  return MTASTS_OK;
}

static mtasts_code parse_field(const record_kind *k, record_parser *p) {
  cursor_pos name = p->cur.pos;
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

/* Parse the whole record. On failure p->err_offset says where. */
static mtasts_code run(const record_kind *k, record_parser *p) {
  cursor *c = &p->cur;
  mtasts_code code = parse_version(k, p);
  while (code == MTASTS_OK) {
    size_t wsp = c->pos.off;
    cursor_skip_wsp(c);
    if (cursor_at_end(c)) {
      if (c->pos.off != wsp)
        code = trailing_wsp(p, wsp);
      break;
    }
    if (!cursor_is(c, ';'))
      return record_fail_here(p, MTASTS_E_TXT_EXPECTED_DELIM);
    cursor_next(c);
    cursor_skip_wsp(c);
    if (cursor_at_end(c))
      break; /* the optional final delimiter */
    if (cursor_is(c, ';'))
      return record_fail_here(p, MTASTS_E_TXT_EMPTY_FIELD);
    code = parse_field(k, p);
  }
  if (code == MTASTS_OK && !p->known_seen)
    code = record_fail(p, k->missing, c->len);
  /* A capacity error only for an otherwise valid record (the mx model). */
  if (code == MTASTS_OK && p->overflow != MTASTS_OK)
    code = record_fail(p, p->overflow, p->overflow_off);
  return code;
}

/* ------------------------------------------------------------------ */
/* RRset selection                                                     */
/* ------------------------------------------------------------------ */

/* Does the RR begin with the version then *WSP ";" (R1; case-sensitive, R2)?
 * With MTASTS_OPT_LITERAL_PREFIX, the version then ";" exactly. */
static bool rr_is_candidate(const record_kind *k, const mtasts_rr *rr, size_t len, uint32_t flags) {
  cursor c;
  /* Candidacy looks at the first MTASTS_TXT_MAX_SIZE octets only (mtasts.h);
   * `len` is saturated one above that. Found by fuzz_txt_rrset. */
  /* mutant-equivalent(rel): when the two are equal, either one is the length */
  cursor_init(&c, rr->strings, rr->count, len > MTASTS_TXT_MAX_SIZE ? MTASTS_TXT_MAX_SIZE : len);
  for (size_t i = 0; i < k->version_len; i++, cursor_next(&c))
    if (!cursor_is(&c, (unsigned char)k->version[i]))
      return false;
  if ((flags & MTASTS_OPT_LITERAL_PREFIX) == 0)
    cursor_skip_wsp(&c);
  return cursor_is(&c, ';');
}

/* Check the arguments and the sizes, count the RRs that begin with the
 * version (R1, R2). MTASTS_OK means exactly one, at sel->index. */
static mtasts_code select_rr(const record_kind *k, const mtasts_rr *rrs, size_t count,
                             const mtasts_options *opt, mtasts_rrset_result *sel,
                             size_t *err_offset) {
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

bool record_open_span(const record_source *src, mtasts_span s, mtasts_chunk *one, cursor *c) {
  if (s.ptr != NULL || s.len == 0) {
    one->ptr = s.ptr;
    one->len = s.len;
    /* mutant-equivalent(const): count only bounds cursor_seek to offset 0, which stops at
     * chunk 0 (or, for an empty span, reads one[count], out of bounds at 2, and stops) */
    cursor_init(c, one, 1, s.len);
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
  cursor_seek(c, s.off);
  return true;
}

size_t record_copy(const record_source *src, mtasts_span s, char *dst, size_t cap) {
  mtasts_chunk one;
  cursor c;
  if (!record_open_span(src, s, &one, &c))
    return 0; /* not a span of this record: nothing to gather */
  if (dst == NULL)
    return s.len;
  for (size_t i = 0; i < cap && !cursor_at_end(&c); i++, cursor_next(&c))
    dst[i] = (char)cursor_byte(&c);
  return s.len;
}

/* ------------------------------------------------------------------ */
/* The entry points                                                    */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Results: reset at entry, the caller's arrays at the end             */
/* ------------------------------------------------------------------ */

static size_t min_size(size_t a, size_t b) {
  /* mutant-equivalent(rel): when a == b either one is the minimum */
  return a < b ? a : b;
}

/* The caller's storage of one list, as the call found it. */
typedef struct list_state {
  void *array;
  size_t cap;
  size_t earlier; /* slots an earlier call stored */
} list_state;

typedef struct storage {
  list_state lists[RECORD_MAX_LISTS];
  bool valid; /* no list has a capacity without an array */
} storage;

static size_t *size_field(void *out, size_t off) {
  return field_at(out, off);
}

/* Zero every result field; the caller's storage, before them, stays. */
static void clear_results(const record_layout *l, void *out) {
  memset(field_at(out, l->results), 0, l->size - l->results);
}

/*
 * The reset at entry. The repeated items live in the caller's arrays, so
 * the result is small and cleared whole. The slots an earlier call stored
 * (below its count, which the caller's *_init made 0 at first) are cleared
 * when this call ends, but for those it overwrites (end_call).
 */
static void begin_call(const record_layout *l, void *out, storage *st) {
  st->valid = true;
  for (size_t i = 0; i < l->list_count; i++) {
    const record_list *li = &l->lists[i];
    list_state *s = &st->lists[i];
    s->array = *(void **)field_at(out, li->array);
    s->cap = *size_field(out, li->cap);
    s->earlier = s->array != NULL ? min_size(*size_field(out, li->count), s->cap) : 0;
    if (s->array == NULL && s->cap > 0)
      st->valid = false;
  }
  clear_results(l, out);
}

static void zero_slots(const record_list *li, const list_state *s, size_t from, size_t to) {
  /* mutant-equivalent(rel): from == to clears nothing; the test keeps a count-only pass's NULL
   * array from memset (undefined even for 0 bytes: only a sanitizer would see it) */
  if (from < to)
    memset((char *)s->array + from * li->item_size, 0, (to - from) * li->item_size);
}

/* Set the counts, or on failure leave no span in the result nor in the
 * caller's arrays; a capacity error keeps every *_needed for the retry. */
static mtasts_code end_call(const record_layout *l, void *out, const storage *st, mtasts_code code,
                            size_t err) {
  size_t needed[RECORD_MAX_LISTS];
  for (size_t i = 0; i < l->list_count; i++) {
    const record_list *li = &l->lists[i];
    const list_state *s = &st->lists[i];
    needed[i] = *size_field(out, li->needed);
    size_t stored = min_size(needed[i], s->cap);
    if (code == MTASTS_OK) {
      *size_field(out, li->count) = stored;
      zero_slots(li, s, stored, s->earlier);
    } else {
      zero_slots(li, s, 0, stored > s->earlier ? stored : s->earlier);
    }
  }
  if (code == MTASTS_OK)
    return code;
  clear_results(l, out);
  *size_field(out, l->err_offset) = err;
  bool capacity = code == MTASTS_E_EXT_CAPACITY || code == MTASTS_E_RUA_CAPACITY;
  for (size_t i = 0; capacity && i < l->list_count; i++)
    *size_field(out, l->lists[i].needed) = needed[i];
  return code;
}

/* A parse into a result whose call has begun (begin_call). */
static mtasts_code parse_begun(const record_kind *k, const mtasts_chunk *chunks, size_t count,
                               const mtasts_chunk *strings, const char *joined,
                               const mtasts_options *opt, void *out, const storage *st) {
  const record_layout *l = &k->layout;
  /* mutant-equivalent(const): prepare sets err first, and len before any use */
  size_t len = 0, err = 0;
  mtasts_code code = st->valid ? prepare(chunks, count, opt, &len, &err) : MTASTS_E_ARGUMENT;
  if (code == MTASTS_OK) {
    record_parser p;
    parser_init(&p, k, chunks, count, len, opt, out);
    code = run(k, &p);
    err = p.err_offset;
  }
  if (end_call(l, out, st, code, err) != MTASTS_OK)
    return code;
  *(const mtasts_chunk **)field_at(out, l->src_strings) = strings;
  *size_field(out, l->src_count) = strings != NULL ? count : 0;
  *(const char **)field_at(out, l->src_joined) = joined;
  *size_field(out, l->src_len) = len;
  return MTASTS_OK;
}

static mtasts_code parse_chunks(const record_kind *k, const mtasts_chunk *chunks, size_t count,
                                const mtasts_chunk *strings, const char *joined,
                                const mtasts_options *opt, void *out) {
  if (out == NULL)
    return MTASTS_E_ARGUMENT;
  storage st;
  begin_call(&k->layout, out, &st);
  return parse_begun(k, chunks, count, strings, joined, opt, out, &st);
}

void record_init(const record_kind *k, void *out, void *const *arrays, const size_t *caps) {
  if (out == NULL)
    return;
  memset(out, 0, k->layout.size);
  for (size_t i = 0; i < k->layout.list_count; i++) {
    *(void **)field_at(out, k->layout.lists[i].array) = arrays[i];
    *size_field(out, k->layout.lists[i].cap) = caps[i];
  }
}

mtasts_code record_parse(const record_kind *k, const char *record, size_t len,
                         const mtasts_options *opt, void *out) {
  mtasts_chunk one = {record, len};
  return parse_chunks(k, &one, 1, NULL, record, opt, out);
}

mtasts_code record_parse_strings(const record_kind *k, const mtasts_chunk *strings, size_t count,
                                 const mtasts_options *opt, void *out) {
  return parse_chunks(k, strings, count, strings, NULL, opt, out);
}

size_t record_result_copy(const record_kind *k, const void *result, mtasts_span s, char *dst,
                          size_t cap) {
  if (result == NULL)
    return record_copy(NULL, s, dst, cap);
  const record_layout *l = &k->layout;
  record_source src = {
      *(const mtasts_chunk *const *)const_field_at(result, l->src_strings),
      *(const size_t *)const_field_at(result, l->src_count),
      *(const char *const *)const_field_at(result, l->src_joined),
      *(const size_t *)const_field_at(result, l->src_len),
  };
  return record_copy(&src, s, dst, cap);
}

mtasts_code record_select(const record_kind *k, const mtasts_rr *rrs, size_t count,
                          const mtasts_options *opt, mtasts_rrset_result *sel, void *out) {
  if (out == NULL)
    return MTASTS_E_ARGUMENT;
  storage st;
  begin_call(&k->layout, out, &st);
  if (sel == NULL || !st.valid)
    return end_call(&k->layout, out, &st, MTASTS_E_ARGUMENT, 0);
  *sel = blank_sel;
  /* mutant-equivalent(const): select_rr sets it first */
  size_t err = 0;
  mtasts_code code = select_rr(k, rrs, count, opt, sel, &err);
  if (code != MTASTS_OK)
    return end_call(&k->layout, out, &st, code, err);
  const mtasts_rr *rr = &rrs[sel->index];
  code = parse_begun(k, rr->strings, rr->count, rr->strings, NULL, opt, out, &st);
  if (code != MTASTS_OK)
    sel->err_rr = sel->index;
  return code;
}
