/*
 * abnf.h - a tiny ABNF interpreter for the differential oracle.
 *
 * Test equipment, deliberately unlike the production parser: grammars are
 * data (trees of seq / alt / rep / range / literal nodes written as a
 * transliteration of the RFC ABNF), and matching is breadth-first over
 * *sets of positions*, so every alternative and every repetition count is
 * explored without exponential backtracking. A node applied to a set of
 * start positions yields the set of all end positions it can reach. Captures
 * ride along with each position as a persistent list.
 *
 * The engine allocates from an arena; its work and memory are bounded, and
 * going over a bound makes the verdict "undecided" rather than crashing.
 */
#ifndef MTASTS_ORACLE_ABNF_H
#define MTASTS_ORACLE_ABNF_H

#include <stdbool.h>
#include <stddef.h>

typedef enum abnf_kind {
  ABNF_LIT,    /* %s"..." (or a quoted string without letters) */
  ABNF_LIT_CI, /* "..." with letters: case-insensitive (RFC 5234 2.3) */
  ABNF_RANGE,  /* %xAA-BB */
  ABNF_SEQ,    /* a b c */
  ABNF_ALT,    /* a / b / c  (earlier alternatives win when ends coincide) */
  ABNF_REP,    /* min*max(a); max 0 means unbounded */
  ABNF_CAP     /* not ABNF: remember where the child matched, under a tag */
} abnf_kind;

typedef struct abnf_node {
  abnf_kind kind;
  const char *lit;
  size_t lit_len;
  unsigned char lo, hi;
  const struct abnf_node *const *kids;
  size_t kid_count;
  unsigned min, max;
  int tag;
} abnf_node;

/* Grammar-building macros. Rules are objects (DEFINE_RULE) referenced with
 * &name; everything nested is a compound literal of static storage. */
#define ABNF_COUNT_(...)                                                                           \
  (sizeof((const abnf_node *const[]){__VA_ARGS__}) / sizeof(const abnf_node *))
#define ABNF_KIDS_(...)                                                                            \
  .kids = (const abnf_node *const[]){__VA_ARGS__}, .kid_count = ABNF_COUNT_(__VA_ARGS__)

#define LIT_(s)                                                                                    \
  { .kind = ABNF_LIT, .lit = (s), .lit_len = sizeof(s) - 1 }
#define LITCI_(s)                                                                                  \
  { .kind = ABNF_LIT_CI, .lit = (s), .lit_len = sizeof(s) - 1 }
#define RANGE_(a, b)                                                                               \
  { .kind = ABNF_RANGE, .lo = (a), .hi = (b) }
#define SEQ_(...)                                                                                  \
  { .kind = ABNF_SEQ, ABNF_KIDS_(__VA_ARGS__) }
#define ALT_(...)                                                                                  \
  { .kind = ABNF_ALT, ABNF_KIDS_(__VA_ARGS__) }
#define REP_(mn, mx, k)                                                                            \
  { .kind = ABNF_REP, .min = (mn), .max = (mx), ABNF_KIDS_(k) }
#define CAP_(t, k)                                                                                 \
  { .kind = ABNF_CAP, .tag = (t), ABNF_KIDS_(k) }

#define LIT(s) (&(const abnf_node)LIT_(s))
#define LITCI(s) (&(const abnf_node)LITCI_(s))
#define CHAR(c) (&(const abnf_node)RANGE_((c), (c)))
#define RANGE(a, b) (&(const abnf_node)RANGE_((a), (b)))
#define SEQ(...) (&(const abnf_node)SEQ_(__VA_ARGS__))
#define ALT(...) (&(const abnf_node)ALT_(__VA_ARGS__))
#define REP(mn, mx, k) (&(const abnf_node)REP_((mn), (mx), (k)))
#define STAR(k) REP(0, 0, k)
#define PLUS(k) REP(1, 0, k)
#define OPT(k) REP(0, 1, k)
#define CAP(t, k) (&(const abnf_node)CAP_((t), (k)))

#define DEFINE_RULE(name, init) static const abnf_node name = init

/* One captured piece: [start, end) of the subject, under `tag`. */
typedef struct abnf_cap {
  int tag;
  size_t start, end;
  const struct abnf_cap *prev; /* the capture made before this one */
} abnf_cap;

typedef struct abnf_ctx abnf_ctx;

/* A context owns the arena; reuse it across inputs (abnf_reset). */
abnf_ctx *abnf_new(void);
void abnf_free(abnf_ctx *c);
void abnf_reset(abnf_ctx *c);
/* True once a work or memory bound was hit since the last reset. */
bool abnf_exhausted(const abnf_ctx *c);

/*
 * Match `rule` against all of s[0..n). Returns true if some derivation spans
 * the whole subject; then *caps (if not NULL) receives the captures of the
 * preferred derivation, in order (caps[0] first), and *cap_count their number.
 * The caps array lives in the arena until the next reset.
 */
bool abnf_match_all(abnf_ctx *c, const abnf_node *rule, const unsigned char *s, size_t n,
                    const abnf_cap ***caps, size_t *cap_count);

/* True if some derivation of `rule` matches a prefix s[0..k) (any k). */
bool abnf_match_prefix(abnf_ctx *c, const abnf_node *rule, const unsigned char *s, size_t n);

#endif
