#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const answer_names[ANSWER_COUNT] = {"valid", "invalid", "unsupported", "error"};

const char *answer_kind_name(diff_answer_kind a) {
  return (unsigned)a < ANSWER_COUNT ? answer_names[a] : "?";
}

const diff_answer *diff_answer_at(const diff_run *run, size_t input, size_t p) {
  return &run->answers[input * run->participant_count + p];
}

diff_answer_kind diff_answer_kind_of(const diff_answer *a) {
  if (!a->got)
    return ANSWER_ERROR;
  const char *result = json_string_value(json_object_get(a->got, "result"));
  if (strcmp(result, "valid") == 0)
    return ANSWER_VALID;
  if (strcmp(result, "invalid") == 0)
    return ANSWER_INVALID;
  return ANSWER_UNSUPPORTED;
}

/* ------------------------------------------------------------ running */

static bool takes_part(diff_run *run, conf_impl *im, const runner_options *opt, const char *only) {
  if (only && !impl_name_in_list(im->name, only)) {
    im->status = IMPL_SKIPPED;
    return false;
  }
  /* The replay asks for strict only: lenient is this project's relaxation. */
  if (!im->kinds[run->kind] || !im->profiles[PROFILE_STRICT]) {
    im->status = IMPL_NO_KIND;
    return false;
  }
  return impl_probe(im, opt);
}

static void run_participant(diff_run *run, size_t p, const runner_options *opt) {
  conf_impl *im = &run->impls->items[run->participants[p]];
  impl_session s;
  session_open(&s, im, opt, run->out_dir);
  for (size_t i = 0; i < run->inputs->count; i++) {
    sbuf reason;
    sb_init(&reason);
    diff_answer *a = &run->answers[i * run->participant_count + p];
    a->got = session_ask(&s, &run->inputs->items[i].vec, &reason);
    if (!a->got)
      a->reason = sb_take(&reason);
    sb_free(&reason);
    run->answer_counts[p][diff_answer_kind_of(a)]++;
  }
  session_close(&s);
}

void diff_execute(diff_run *run, const runner_options *opt, const char *only) {
  run->participants = xmalloc(run->impls->count * sizeof *run->participants);
  run->participant_count = 0;
  for (size_t i = 0; i < run->impls->count; i++)
    if (takes_part(run, &run->impls->items[i], opt, only))
      run->participants[run->participant_count++] = i;
  size_t cells = run->inputs->count * run->participant_count;
  run->answers = xmalloc(cells * sizeof *run->answers);
  memset(run->answers, 0, cells * sizeof *run->answers);
  run->answer_counts = xmalloc(run->participant_count * sizeof *run->answer_counts);
  memset(run->answer_counts, 0, run->participant_count * sizeof *run->answer_counts);
  for (size_t p = 0; p < run->participant_count; p++)
    run_participant(run, p, opt);
}

/* --------------------------------------------------------- classifying */

/* Fields in one canonical text (sorted keys), for telling them apart. */
static char *canonical_fields(const json_t *got) {
  json_t *fields = json_object_get(got, "fields");
  json_t *empty = json_object();
  char *text = json_dumps(fields ? fields : empty,
                          JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
  json_decref(empty);
  return text;
}

static int by_string(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the fields whose values differ between a and b, sorted,
 * comma-separated. */
static void put_differing_fields(sbuf *out, const json_t *a, const json_t *b) {
  const char *names[64];
  size_t n = 0;
  const json_t *sides[2] = {a, b};
  for (int s = 0; s < 2; s++) {
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)(uintptr_t)sides[s], key, value) {
      json_t *other = json_object_get(sides[1 - s], key);
      bool differs = !other || !json_equal(value, other);
      bool seen = false;
      for (size_t i = 0; i < n && !seen; i++)
        seen = strcmp(names[i], key) == 0;
      if (differs && !seen && n < 64)
        names[n++] = key;
    }
  }
  qsort(names, n, sizeof names[0], by_string);
  for (size_t i = 0; i < n; i++)
    sb_printf(out, "%s%s", i ? "," : "", names[i]);
}

/* One token per participant for input i (see diff.h). */
static char **tokens_of(const diff_run *run, size_t i) {
  size_t np = run->participant_count;
  char **tokens = xmalloc((np ? np : 1) * sizeof *tokens);
  char **canon = xmalloc((np ? np : 1) * sizeof *canon);
  size_t *letter = xmalloc((np ? np : 1) * sizeof *letter);
  size_t distinct = 0;
  size_t first_of[26];
  for (size_t p = 0; p < np; p++) {
    const diff_answer *a = diff_answer_at(run, i, p);
    canon[p] = NULL;
    if (diff_answer_kind_of(a) != ANSWER_VALID)
      continue;
    canon[p] = canonical_fields(a->got);
    letter[p] = distinct;
    for (size_t q = 0; q < p; q++)
      if (canon[q] && strcmp(canon[q], canon[p]) == 0) {
        letter[p] = letter[q];
        break;
      }
    if (letter[p] == distinct && distinct < 26)
      first_of[distinct++] = p;
  }
  for (size_t p = 0; p < np; p++) {
    const diff_answer *a = diff_answer_at(run, i, p);
    diff_answer_kind k = diff_answer_kind_of(a);
    if (k != ANSWER_VALID || distinct < 2) {
      tokens[p] = xstrdup(answer_kind_name(k));
      continue;
    }
    sbuf t;
    sb_init(&t);
    sb_printf(&t, "valid [%c", (char)('A' + (letter[p] < 26 ? letter[p] : 25)));
    if (letter[p] > 0) {
      sb_puts(&t, ": ");
      put_differing_fields(&t, json_object_get(diff_answer_at(run, i, first_of[0])->got, "fields"),
                           json_object_get(a->got, "fields"));
    }
    sb_putc(&t, ']');
    tokens[p] = sb_take(&t);
  }
  for (size_t p = 0; p < np; p++)
    free(canon[p]);
  free(canon);
  free(letter);
  return tokens;
}

static bool same_tokens(char **a, char **b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(a[i], b[i]) != 0)
      return false;
  return true;
}

static void free_tokens(char **tokens, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(tokens[i]);
  free(tokens);
}

static bool disagree(char **tokens, size_t n) {
  const char *first = NULL;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(tokens[i], "unsupported") == 0)
      continue;
    if (!first)
      first = tokens[i];
    else if (strcmp(first, tokens[i]) != 0)
      return true;
  }
  return false;
}

static int class_order(const void *pa, const void *pb) {
  const diff_class *a = pa, *b = pb;
  if (a->disagreement != b->disagreement)
    return a->disagreement ? -1 : 1;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  /* Equal counts: the class whose first input comes first. */
  return a->members[0] < b->members[0] ? -1 : a->members[0] > b->members[0];
}

void diff_classify(diff_run *run) {
  size_t np = run->participant_count;
  size_t cap = 0;
  for (size_t i = 0; i < run->inputs->count; i++) {
    char **tokens = tokens_of(run, i);
    diff_class *c = NULL;
    for (size_t k = 0; k < run->class_count && !c; k++)
      if (same_tokens(run->classes[k].tokens, tokens, np))
        c = &run->classes[k];
    if (c) {
      free_tokens(tokens, np);
    } else {
      if (run->class_count == cap) {
        cap = cap ? cap * 2 : 16;
        run->classes = xrealloc(run->classes, cap * sizeof *run->classes);
      }
      c = &run->classes[run->class_count++];
      memset(c, 0, sizeof *c);
      c->tokens = tokens;
      c->disagreement = disagree(tokens, np);
      c->example = i;
    }
    /* Members grow one by one; count doubles as the length. */
    if ((c->count & (c->count - 1)) == 0)
      c->members = xrealloc(c->members, (c->count ? c->count * 2 : 1) * sizeof *c->members);
    c->members[c->count++] = i;
    if (run->inputs->items[i].payload_len < run->inputs->items[c->example].payload_len)
      c->example = i;
  }
  if (run->class_count > 1)
    qsort(run->classes, run->class_count, sizeof *run->classes, class_order);
}

int diff_exit_status(const diff_run *run) {
  for (size_t p = 0; p < run->participant_count; p++) {
    const conf_impl *im = &run->impls->items[run->participants[p]];
    if (im->own && (run->answer_counts[p][ANSWER_ERROR] || im->exit_note))
      return 1;
  }
  return 0;
}

void diff_free(diff_run *run) {
  size_t cells = run->inputs ? run->inputs->count * run->participant_count : 0;
  for (size_t i = 0; i < cells; i++) {
    json_decref(run->answers[i].got);
    free(run->answers[i].reason);
  }
  free(run->answers);
  for (size_t k = 0; k < run->class_count; k++) {
    free_tokens(run->classes[k].tokens, run->participant_count);
    free(run->classes[k].members);
  }
  free(run->classes);
  free(run->participants);
  free(run->answer_counts);
  run->answers = NULL;
  run->classes = NULL;
  run->participants = NULL;
  run->answer_counts = NULL;
  run->class_count = run->participant_count = 0;
}
