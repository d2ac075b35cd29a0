/*
 * record.h - internal: the TXT record engine (record.c), shared by the
 * _mta-sts (txt.c) and _smtp._tls (tlsrpt.c) records and their writers
 * (write_txt.c).
 *
 * The engine reads "version, then ;-separated name=value fields" through
 * the cursor of cursor.h and owns the public entry points (parse,
 * parse_strings, select, copy). A record kind is a record_kind: its
 * version, its one required field with the callbacks that read that
 * field's value, and where its result struct keeps the fields every
 * record result has. The contract (grammar, order of judgement, the offset
 * of every code) is parser/SPEC.md, "TXT records".
 */
#ifndef MTASTS_RECORD_H
#define MTASTS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "mtasts.h"

/* ------------------------------------------------------------------ */
/* Reading the spans of a result (copy and writers)                    */
/* ------------------------------------------------------------------ */

/* Where a parse result came from (its src_* fields). */
typedef struct record_source {
  const mtasts_chunk *strings; /* NULL for a joined record */
  size_t count;
  const char *joined;
  size_t len;
} record_source;

/* Open a cursor over the bytes of span `s`: directly through s.ptr, or
 * gathered from the source. `one` is storage for a single chunk. False if
 * the bytes cannot be reached (no source, or the span lies outside it). */
bool record_open_span(const record_source *src, mtasts_span s, mtasts_chunk *one, cursor *c);

/* Copy span `s` of the source into dst, as mtasts_txt_copy says. */
size_t record_copy(const record_source *src, mtasts_span s, char *dst, size_t cap);

/* ------------------------------------------------------------------ */
/* Record kinds                                                        */
/* ------------------------------------------------------------------ */

typedef struct record_parser record_parser;

/* A list of repeated items in a result, kept as the mx patterns of a
 * policy are (mtasts.h): the caller's array and its capacity, the items
 * stored and the items the record has. Offsets into the result. */
typedef struct record_list {
  size_t array, cap, count, needed;
  size_t item_size;
  mtasts_code capacity; /* when the array is too small */
} record_list;

#define RECORD_LIST(type, name, item, code)                                                        \
  {                                                                                                \
    offsetof(type, name), offsetof(type, name##_cap), offsetof(type, name##_count),                \
        offsetof(type, name##_needed), sizeof(item), code                                          \
  }

/* The lists of a result: the extensions first, then the kind's own. */
enum { RECORD_LIST_EXT = 0, RECORD_MAX_LISTS = 2 };

/* Where a kind's result struct (mtasts_txt, mtasts_tlsrpt) keeps the
 * fields that every record result has: offsets from RECORD_LAYOUT. */
typedef struct record_layout {
  size_t size;
  size_t results; /* where the results begin: the caller's storage comes first */
  size_t err_offset;
  size_t src_strings, src_count, src_joined, src_len;
  size_t list_count;
  record_list lists[RECORD_MAX_LISTS];
} record_layout;

#define RECORD_LAYOUT(type, first_result)                                                          \
  sizeof(type), offsetof(type, first_result), offsetof(type, err_offset),                          \
      offsetof(type, src_strings), offsetof(type, src_count), offsetof(type, src_joined),          \
      offsetof(type, src_len)

/* What differs between _mta-sts and _smtp._tls records. */
typedef struct record_kind {
  const char *version; /* "v=STSv1" / "v=TLSRPTv1" */
  size_t version_len;
  const char *known; /* the one required field: "id" / "rua" */
  size_t known_len;
  mtasts_code missing; /* when `known` never occurs */
  /* The value of the first `known` field; the cursor is just after "=". */
  mtasts_code (*parse_known)(record_parser *p);
  /* The value of a later `known` field (R3: its own production or the
   * generic extension production). */
  mtasts_code (*check_duplicate)(record_parser *p);
  record_layout layout;
} record_kind;

/* mtasts_txt_init / mtasts_tlsrpt_init: zero the result, then set the
 * storage of list i to arrays[i], caps[i]. */
void record_init(const record_kind *k, void *out, void *const *arrays, const size_t *caps);

/* ------------------------------------------------------------------ */
/* The entry points, written once for every kind                       */
/* ------------------------------------------------------------------ */

/* mtasts_txt_parse / mtasts_tlsrpt_parse; `out` is the kind's result. */
mtasts_code record_parse(const record_kind *k, const char *record, size_t len,
                         const mtasts_options *opt, void *out);

/* mtasts_txt_parse_strings / mtasts_tlsrpt_parse_strings. */
mtasts_code record_parse_strings(const record_kind *k, const mtasts_chunk *strings, size_t count,
                                 const mtasts_options *opt, void *out);

/* mtasts_txt_select / mtasts_tlsrpt_select. */
mtasts_code record_select(const record_kind *k, const mtasts_rr *rrs, size_t count,
                          const mtasts_options *opt, mtasts_rrset_result *sel, void *out);

/* mtasts_txt_copy / mtasts_tlsrpt_copy; `result` may be NULL. */
size_t record_result_copy(const record_kind *k, const void *result, mtasts_span s, char *dst,
                          size_t cap);

/* ------------------------------------------------------------------ */
/* For the kinds' callbacks                                            */
/* ------------------------------------------------------------------ */

struct record_parser {
  cursor cur;
  mtasts_profile profile;
  mtasts_diags *warnings; /* may be NULL */
  size_t err_offset;
  bool known_seen;
  /* The extensions seen, stored or not: their names are compared here, in
   * place, whatever the caller's array holds. */
  size_t ext_seen;
  cursor_pos ext_name_pos[MTASTS_MAX_EXTENSIONS];
  unsigned char ext_name_len[MTASTS_MAX_EXTENSIONS]; /* <= MTASTS_MAX_EXT_NAME_LEN */
  /* The first item that did not fit its array (MTASTS_OK: none yet). */
  mtasts_code overflow;
  size_t overflow_off;
  const record_layout *layout;
  void *result; /* mtasts_txt / mtasts_tlsrpt */
};

/* Fail with `code` at `off` (E_NUL instead if the byte there is NUL). */
mtasts_code record_fail(record_parser *p, mtasts_code code, size_t off);

/* Fail at the cursor. */
CURSOR_INLINE mtasts_code record_fail_here(record_parser *p, mtasts_code code) {
  return record_fail(p, code, p->cur.pos.off);
}

void record_warn(record_parser *p, mtasts_code code, size_t off);

/* One more item of list `list` (RECORD_LIST_*), found at `off`: its slot
 * in the caller's array, or NULL when the array is full (the first such
 * item is the capacity error, reported if the record is otherwise valid). */
void *record_item(record_parser *p, size_t list, size_t off);

/* The end of a field value: end of record, WSP or ";". */
CURSOR_INLINE bool record_value_ends(const cursor *c) {
  return cursor_at_end(c) || cursor_in(c, CHAR_WSP) || cursor_is(c, ';');
}

/* sts-ext-value / tlsrpt-ext-value at the cursor. */
mtasts_code record_generic_value(record_parser *p);

/* True if the cursor's bytes are exactly one usable rua URI (tlsrpt.c);
 * its kind goes to *kind. For the writer's plausibility check. */
bool record_rua_usable(cursor *c, mtasts_rua_scheme *kind);

#endif
