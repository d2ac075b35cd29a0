/*
 * txt.c - _mta-sts TXT records (RFC 8461 3.1), a kind of the record engine
 * (record.c): the version "v=STSv1" and the required field id.
 *
 *   sts-id = %s"id=" 1*32(ALPHA / DIGIT)
 *
 * The contract (grammar, order of judgement, the offset of every code) is
 * parser/SPEC.md, "TXT records".
 */
#include "record.h"

/* sts-id = %s"id=" 1*32(ALPHA / DIGIT); R4: the first id must be one. */
static mtasts_code parse_id(record_parser *p) {
  cursor *c = &p->cur;
  cursor_pos start = c->pos;
  if (record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_VALUE_EMPTY);
  /* Byte by byte, the 33rd byte of the value is ID_CHAR if it is not
   * ALPHA / DIGIT and ID_TOO_LONG if it is; hence a run of at most 33. */
  /* mutant-equivalent(const): a run of 33 or of 34 fails alike, at the 33rd byte */
  size_t n = cursor_take_class(c, CHAR_ALPHA | CHAR_DIGIT, MTASTS_MAX_ID_LEN + 1);
  if (n > MTASTS_MAX_ID_LEN)
    return record_fail(p, MTASTS_E_TXT_ID_TOO_LONG, start.off + MTASTS_MAX_ID_LEN);
  if (!record_value_ends(c))
    return record_fail_here(p, MTASTS_E_TXT_ID_CHAR);
  ((mtasts_txt *)p->result)->id = cursor_span(c, start, c->pos.off);
  return MTASTS_OK;
}

/* A parse clears the result from its first result field on (record.c):
 * the caller's storage must come before it. */
_Static_assert(offsetof(mtasts_txt, ext_cap) < offsetof(mtasts_txt, id), "storage before results");

static const record_kind txt_kind = {
    .version = "v=STSv1",
    .version_len = sizeof "v=STSv1" - 1,
    .known = "id",
    .known_len = sizeof "id" - 1,
    .missing = MTASTS_E_TXT_MISSING_ID,
    .parse_known = parse_id,
    /* A later id only needs to be an extension: sts-id is a subset of it. */
    .check_duplicate = record_generic_value,
    .layout = {RECORD_LAYOUT(mtasts_txt, id),
               1,
               {RECORD_LIST(mtasts_txt, ext, mtasts_ext, MTASTS_E_EXT_CAPACITY)}},
};

void mtasts_txt_init(mtasts_txt *t, mtasts_ext *ext, size_t ext_cap) {
  void *const arrays[] = {ext};
  const size_t caps[] = {ext_cap};
  record_init(&txt_kind, t, arrays, caps);
}

mtasts_code mtasts_txt_parse(const char *record, size_t len, const mtasts_options *opt,
                             mtasts_txt *out) {
  return record_parse(&txt_kind, record, len, opt, out);
}

mtasts_code mtasts_txt_parse_strings(const mtasts_chunk *strings, size_t count,
                                     const mtasts_options *opt, mtasts_txt *out) {
  return record_parse_strings(&txt_kind, strings, count, opt, out);
}

size_t mtasts_txt_copy(const mtasts_txt *t, mtasts_span s, char *dst, size_t cap) {
  return record_result_copy(&txt_kind, t, s, dst, cap);
}

mtasts_code mtasts_txt_select(const mtasts_rr *rrs, size_t count, const mtasts_options *opt,
                              mtasts_rrset_result *sel, mtasts_txt *txt) {
  return record_select(&txt_kind, rrs, count, opt, sel, txt);
}
