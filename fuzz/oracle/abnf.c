/* abnf.c - breadth-first ABNF interpretation over sets of positions. */
#include "abnf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bounds that keep the oracle from hanging or eating the fuzzer's memory:
 * past them the verdict is "undecided" and the harness skips the comparison. */
#define ABNF_MAX_WORK 40000000u               /* positions produced per input */
#define ABNF_MAX_ARENA (256u * 1024u * 1024u) /* bytes per input */
#define ABNF_CHUNK (1u << 20)

typedef struct item {
  size_t pos;
  const abnf_cap *caps;
} item;

typedef struct set {
  item *v;
  size_t n;
} set;

typedef struct chunk {
  struct chunk *next;
  size_t size, used;
  unsigned char *mem;
} chunk;

struct abnf_ctx {
  chunk *chunks;
  size_t arena_total;
  size_t work;
  bool exhausted;
  const unsigned char *s;
  size_t n;
};

abnf_ctx *abnf_new(void) {
  return calloc(1, sizeof(abnf_ctx));
}

static void free_chunks(chunk *ch) {
  while (ch != NULL) {
    chunk *next = ch->next;
    free(ch->mem);
    free(ch);
    ch = next;
  }
}

void abnf_free(abnf_ctx *c) {
  if (c == NULL)
    return;
  free_chunks(c->chunks);
  free(c);
}

void abnf_reset(abnf_ctx *c) {
  /* Keep one ordinary chunk for the next input; a big one-off is released. */
  if (c->chunks != NULL) {
    free_chunks(c->chunks->next);
    c->chunks->next = NULL;
    if (c->chunks->size > ABNF_CHUNK) {
      free_chunks(c->chunks);
      c->chunks = NULL;
    } else {
      c->chunks->used = 0;
    }
  }
  c->arena_total = c->chunks != NULL ? c->chunks->size : 0;
  c->work = 0;
  c->exhausted = false;
}

bool abnf_exhausted(const abnf_ctx *c) {
  return c->exhausted;
}

static void *arena_alloc(abnf_ctx *c, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  if (c->exhausted)
    return NULL;
  chunk *cur = c->chunks;
  if (cur == NULL || cur->size - cur->used < size) {
    size_t want = size > ABNF_CHUNK ? size : ABNF_CHUNK;
    if (c->arena_total + want > ABNF_MAX_ARENA) {
      c->exhausted = true;
      return NULL;
    }
    chunk *fresh = malloc(sizeof(chunk));
    unsigned char *mem = malloc(want);
    if (fresh == NULL || mem == NULL) {
      free(fresh);
      free(mem);
      c->exhausted = true;
      return NULL;
    }
    fresh->mem = mem;
    fresh->size = want;
    fresh->used = 0;
    fresh->next = cur;
    c->chunks = fresh;
    c->arena_total += want;
    cur = fresh;
  }
  void *p = cur->mem + cur->used;
  cur->used += size;
  return p;
}

static set set_alloc(abnf_ctx *c, size_t cap) {
  set out = {NULL, 0};
  if (cap == 0)
    return out;
  out.v = arena_alloc(c, cap * sizeof(item));
  return out;
}

static bool charge(abnf_ctx *c, size_t units) {
  c->work += units;
  if (c->work > ABNF_MAX_WORK)
    c->exhausted = true;
  return !c->exhausted;
}

/* ---- normalising: sort by position, keep the first item per position ---- */

typedef struct ranked {
  size_t pos, rank;
  const abnf_cap *caps;
} ranked;

static int ranked_cmp(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->pos != y->pos)
    return x->pos < y->pos ? -1 : 1;
  return x->rank < y->rank ? -1 : (x->rank > y->rank ? 1 : 0);
}

/* `all` lists candidates in priority order; the result is strictly
 * increasing in pos, each position carrying its highest-priority captures. */
static set normalise(abnf_ctx *c, set all) {
  bool sorted = true;
  for (size_t i = 1; i < all.n && sorted; i++)
    sorted = all.v[i - 1].pos < all.v[i].pos;
  if (sorted)
    return all;
  ranked *tmp = malloc(all.n * sizeof(ranked));
  if (tmp == NULL) {
    c->exhausted = true;
    return (set){NULL, 0};
  }
  for (size_t i = 0; i < all.n; i++)
    tmp[i] = (ranked){all.v[i].pos, i, all.v[i].caps};
  qsort(tmp, all.n, sizeof(ranked), ranked_cmp);
  size_t w = 0;
  for (size_t i = 0; i < all.n; i++) {
    if (w > 0 && all.v[w - 1].pos == tmp[i].pos)
      continue;
    all.v[w++] = (item){tmp[i].pos, tmp[i].caps};
  }
  free(tmp);
  all.n = w;
  return all;
}

/* Append `part` to the growing candidate list `*acc` (capacity *cap). */
static void append(abnf_ctx *c, set *acc, size_t *cap, set part) {
  if (part.n == 0 || c->exhausted)
    return;
  if (acc->n + part.n > *cap) {
    size_t want = (*cap == 0) ? 16 : *cap;
    while (want < acc->n + part.n)
      want *= 2;
    set grown = set_alloc(c, want);
    if (grown.v == NULL)
      return;
    if (acc->n > 0)
      memcpy(grown.v, acc->v, acc->n * sizeof(item));
    grown.n = acc->n;
    *acc = grown;
    *cap = want;
  }
  memcpy(acc->v + acc->n, part.v, part.n * sizeof(item));
  acc->n += part.n;
}

/* ---- the interpreter ---- */

static set match(abnf_ctx *c, const abnf_node *node, set in);

static bool lit_at(const abnf_ctx *c, const abnf_node *node, size_t pos) {
  if (node->lit_len > c->n - pos)
    return false;
  for (size_t i = 0; i < node->lit_len; i++) {
    unsigned char want = (unsigned char)node->lit[i];
    unsigned char got = c->s[pos + i];
    if (node->kind == ABNF_LIT_CI) {
      /* RFC 5234 2.3: quoted strings are case-insensitive US-ASCII. */
      if (want >= 'A' && want <= 'Z')
        want = (unsigned char)(want + 32);
      if (got >= 'A' && got <= 'Z')
        got = (unsigned char)(got + 32);
    }
    if (want != got)
      return false;
  }
  return true;
}

static set match_terminal(abnf_ctx *c, const abnf_node *node, set in) {
  set out = set_alloc(c, in.n);
  if (out.v == NULL || !charge(c, in.n))
    return (set){NULL, 0};
  for (size_t i = 0; i < in.n; i++) {
    size_t pos = in.v[i].pos;
    if (node->kind == ABNF_RANGE) {
      if (pos < c->n && c->s[pos] >= node->lo && c->s[pos] <= node->hi)
        out.v[out.n++] = (item){pos + 1, in.v[i].caps};
    } else if (lit_at(c, node, pos)) {
      out.v[out.n++] = (item){pos + node->lit_len, in.v[i].caps};
    }
  }
  return out;
}

static set match_seq(abnf_ctx *c, const abnf_node *node, set in) {
  set cur = in;
  for (size_t k = 0; k < node->kid_count && cur.n > 0; k++)
    cur = match(c, node->kids[k], cur);
  return cur;
}

static set match_alt(abnf_ctx *c, const abnf_node *node, set in) {
  set acc = {NULL, 0};
  size_t cap = 0;
  for (size_t k = 0; k < node->kid_count; k++)
    append(c, &acc, &cap, match(c, node->kids[k], in));
  return normalise(c, acc);
}

static set match_rep(abnf_ctx *c, const abnf_node *node, set in) {
  set acc = {NULL, 0};
  size_t cap = 0;
  if (node->min == 0)
    append(c, &acc, &cap, in);
  set level = in;
  /* Every repeated element in these grammars consumes at least one byte,
   * so more than n + 1 rounds cannot happen; the bound only guards that. */
  for (size_t k = 1; level.n > 0 && k <= c->n + 1; k++) {
    if (node->max != 0 && k > node->max)
      break;
    level = match(c, node->kids[0], level);
    if (k >= node->min)
      append(c, &acc, &cap, level);
  }
  return normalise(c, acc);
}

static const abnf_cap *cons_cap(abnf_ctx *c, int tag, size_t start, size_t end,
                                const abnf_cap *prev) {
  abnf_cap *cell = arena_alloc(c, sizeof(abnf_cap));
  if (cell == NULL)
    return NULL;
  *cell = (abnf_cap){tag, start, end, prev};
  return cell;
}

static set match_cap(abnf_ctx *c, const abnf_node *node, set in) {
  set acc = {NULL, 0};
  size_t cap = 0;
  for (size_t i = 0; i < in.n && !c->exhausted; i++) {
    set one = {&in.v[i], 1};
    set out = match(c, node->kids[0], one);
    for (size_t j = 0; j < out.n; j++)
      out.v[j].caps = cons_cap(c, node->tag, in.v[i].pos, out.v[j].pos, out.v[j].caps);
    append(c, &acc, &cap, out);
  }
  return normalise(c, acc);
}

static set match(abnf_ctx *c, const abnf_node *node, set in) {
  if (c->exhausted || in.n == 0)
    return (set){NULL, 0};
  switch (node->kind) {
  case ABNF_LIT:
  case ABNF_LIT_CI:
  case ABNF_RANGE:
    return match_terminal(c, node, in);
  case ABNF_SEQ:
    return match_seq(c, node, in);
  case ABNF_ALT:
    return match_alt(c, node, in);
  case ABNF_REP:
    return match_rep(c, node, in);
  case ABNF_CAP:
    return match_cap(c, node, in);
  }
  return (set){NULL, 0};
}

static set run(abnf_ctx *c, const abnf_node *rule, const unsigned char *s, size_t n) {
  c->s = s;
  c->n = n;
  item start = {0, NULL};
  set out = match(c, rule, (set){&start, 1});
  if (c->exhausted)
    return (set){NULL, 0};
  return out;
}

bool abnf_match_all(abnf_ctx *c, const abnf_node *rule, const unsigned char *s, size_t n,
                    const abnf_cap ***caps, size_t *cap_count) {
  set out = run(c, rule, s, n);
  const item *full = NULL;
  for (size_t i = 0; i < out.n; i++)
    if (out.v[i].pos == n)
      full = &out.v[i];
  if (full == NULL)
    return false;
  if (caps != NULL) {
    size_t count = 0;
    for (const abnf_cap *k = full->caps; k != NULL; k = k->prev)
      count++;
    const abnf_cap **list = arena_alloc(c, (count + 1) * sizeof(*list));
    if (list == NULL)
      return false;
    size_t i = count;
    for (const abnf_cap *k = full->caps; k != NULL; k = k->prev)
      list[--i] = k;
    *caps = list;
    *cap_count = count;
  }
  return true;
}

bool abnf_match_prefix(abnf_ctx *c, const abnf_node *rule, const unsigned char *s, size_t n) {
  return run(c, rule, s, n).n > 0;
}
