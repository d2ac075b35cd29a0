/*
 * conformance-fake-adapter - a scripted adapter for testing the runner.
 *
 * It answers every request from the vectors themselves (an "oracle": the
 * answer the vector expects, with acceptable vectors answered by their
 * acceptableResult), and misbehaves on purpose where told:
 *
 *   --vectors DIR          the oracle's vector files (required)
 *   --crash-at K:ID        abort() on that request
 *   --crash-always         abort() on every request
 *   --hang-at K:ID         never answer that request
 *   --garbage-at K:ID      answer with a line that is not JSON
 *   --wrong-id-at K:ID     answer with another tcId
 *   --wrong-at K:ID        answer the opposite result
 *   --wrong-error-at K:ID  answer invalid with error "E_WRONG"
 *   --split-at K:ID        write the answer in two pieces, 50 ms apart
 *   --nul-field-at K:ID    answer valid with the field {"id": "a\u0000b"}
 *   --accept-acceptable    answer valid (with `expected`) on every acceptable vector
 *   --unsupported KIND     answer unsupported for that kind
 *   --exit N               exit status at EOF
 *   --stderr               chatter on stderr on every request
 *
 * K is a kind name, ID a tcId.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_KINDS = 7, MAX_TRIGGERS = 16 };

static const char *const kinds[MAX_KINDS] = {"txt-record", "txt-strings",   "txt-rrset",   "policy",
                                             "mx-match",   "tlsrpt-record", "tlsrpt-rrset"};

typedef enum action {
  ACT_CRASH,
  ACT_HANG,
  ACT_GARBAGE,
  ACT_WRONG_ID,
  ACT_WRONG,
  ACT_WRONG_ERROR,
  ACT_SPLIT,
  ACT_NUL_FIELD,
} action;

typedef struct trigger {
  action act;
  char kind[32];
  long long tc_id;
} trigger;

typedef struct config {
  json_t *files[MAX_KINDS];
  trigger triggers[MAX_TRIGGERS];
  size_t trigger_count;
  bool crash_always;
  bool accept_acceptable;
  const char *unsupported_kind;
  int exit_status;
  bool chatter;
} config;

static void die(const char *msg) {
  fprintf(stderr, "fake-adapter: %s\n", msg);
  exit(2);
}

static void load_vectors(config *c, const char *dir) {
  for (int k = 0; k < MAX_KINDS; k++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", dir, kinds[k]);
    if (access(path, R_OK) == 0) {
      json_error_t err;
      c->files[k] = json_load_file(path, JSON_ALLOW_NUL, &err);
      if (!c->files[k])
        die(err.text);
    }
  }
}

static void add_trigger(config *c, action act, const char *spec) {
  const char *colon = strrchr(spec, ':');
  if (!colon || c->trigger_count == MAX_TRIGGERS || (size_t)(colon - spec) >= 32)
    die("bad K:ID");
  trigger *t = &c->triggers[c->trigger_count++];
  t->act = act;
  memcpy(t->kind, spec, (size_t)(colon - spec));
  t->kind[colon - spec] = '\0';
  t->tc_id = atoll(colon + 1);
}

static const trigger *find_trigger(const config *c, const char *kind, long long tc_id) {
  for (size_t i = 0; i < c->trigger_count; i++)
    if (c->triggers[i].tc_id == tc_id && strcmp(c->triggers[i].kind, kind) == 0)
      return &c->triggers[i];
  return NULL;
}

static const json_t *find_vector(const config *c, const char *kind, long long tc_id) {
  for (int k = 0; k < MAX_KINDS; k++) {
    if (!c->files[k] || strcmp(kinds[k], kind) != 0)
      continue;
    size_t gi, ti;
    json_t *group, *test;
    json_array_foreach(json_object_get(c->files[k], "testGroups"), gi, group) {
      json_array_foreach(json_object_get(group, "tests"), ti, test) {
        if (json_integer_value(json_object_get(test, "tcId")) == tc_id)
          return test;
      }
    }
  }
  return NULL;
}

/* The answer the vector expects; `flip` answers the opposite. */
static void oracle(const config *c, const json_t *test, json_t *out, bool flip) {
  const char *result = json_string_value(json_object_get(test, "result"));
  const char *says = result;
  if (strcmp(result, "acceptable") == 0)
    says = c->accept_acceptable ? "valid"
                                : json_string_value(json_object_get(test, "acceptableResult"));
  bool valid = says && strcmp(says, "valid") == 0;
  if (flip)
    valid = !valid;
  if (valid) {
    json_t *expected = json_object_get(test, "expected");
    json_object_set_new(out, "result", json_string("valid"));
    json_object_set_new(out, "fields", expected ? json_deep_copy(expected) : json_object());
    json_t *warnings = json_object_get(test, "warnings");
    json_object_set_new(out, "warnings", warnings ? json_deep_copy(warnings) : json_array());
  } else {
    const char *hint = json_string_value(json_object_get(test, "errorHint"));
    json_object_set_new(out, "result", json_string("invalid"));
    json_object_set_new(out, "error", json_string(hint ? hint : "E_SOMETHING"));
    json_object_set_new(out, "offset", json_integer(0));
  }
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void emit(const char *text, bool split) {
  size_t len = strlen(text);
  if (split && len > 4) {
    fwrite(text, 1, len / 2, stdout);
    fflush(stdout);
    sleep_ms(50);
    fputs(text + len / 2, stdout);
  } else {
    fputs(text, stdout);
  }
  putchar('\n');
  fflush(stdout);
}

static void answer(const config *c, const char *line, size_t len) {
  json_error_t err;
  json_t *req = json_loadb(line, len, JSON_ALLOW_NUL, &err);
  const char *kind = json_string_value(json_object_get(req, "kind"));
  long long tc_id = json_integer_value(json_object_get(req, "tcId"));
  if (c->chatter)
    fprintf(stderr, "fake-adapter: request %s %lld\n", kind ? kind : "?", tc_id);
  const trigger *t = kind ? find_trigger(c, kind, tc_id) : NULL;
  if (c->crash_always || (t && t->act == ACT_CRASH))
    abort();
  if (t && t->act == ACT_HANG)
    for (;;)
      sleep_ms(1000);
  if (t && t->act == ACT_GARBAGE) {
    emit("this is not JSON", false);
    json_decref(req);
    return;
  }
  json_t *out = json_object();
  json_object_set_new(out, "tcId",
                      json_integer(t && t->act == ACT_WRONG_ID ? tc_id + 1000 : tc_id));
  const json_t *test = kind ? find_vector(c, kind, tc_id) : NULL;
  if (kind && c->unsupported_kind && strcmp(kind, c->unsupported_kind) == 0) {
    json_object_set_new(out, "result", json_string("unsupported"));
  } else if (!test) {
    json_object_set_new(out, "result", json_string("unsupported"));
    json_object_set_new(out, "error", json_string("no such vector"));
  } else if (t && t->act == ACT_NUL_FIELD) {
    json_t *fields = json_object();
    json_object_set_new(fields, "id", json_stringn("a\0b", 3));
    json_object_set_new(out, "result", json_string("valid"));
    json_object_set_new(out, "fields", fields);
  } else if (t && t->act == ACT_WRONG_ERROR) {
    json_object_set_new(out, "result", json_string("invalid"));
    json_object_set_new(out, "error", json_string("E_WRONG"));
    json_object_set_new(out, "offset", json_integer(7));
  } else {
    oracle(c, test, out, t && t->act == ACT_WRONG);
  }
  char *text = json_dumps(out, JSON_COMPACT);
  emit(text, t && t->act == ACT_SPLIT);
  free(text);
  json_decref(out);
  json_decref(req);
}

int main(int argc, char **argv) {
  static config c;
  static const struct {
    const char *flag;
    action act;
  } triggers[] = {
      {"--crash-at", ACT_CRASH},     {"--hang-at", ACT_HANG},
      {"--garbage-at", ACT_GARBAGE}, {"--wrong-id-at", ACT_WRONG_ID},
      {"--wrong-at", ACT_WRONG},     {"--wrong-error-at", ACT_WRONG_ERROR},
      {"--split-at", ACT_SPLIT},     {"--nul-field-at", ACT_NUL_FIELD},
  };
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool matched = false;
    for (size_t j = 0; j < sizeof triggers / sizeof triggers[0]; j++)
      if (strcmp(a, triggers[j].flag) == 0 && i + 1 < argc) {
        add_trigger(&c, triggers[j].act, argv[++i]);
        matched = true;
      }
    if (matched)
      continue;
    if (strcmp(a, "--vectors") == 0 && i + 1 < argc)
      load_vectors(&c, argv[++i]);
    else if (strcmp(a, "--unsupported") == 0 && i + 1 < argc)
      c.unsupported_kind = argv[++i];
    else if (strcmp(a, "--exit") == 0 && i + 1 < argc)
      c.exit_status = atoi(argv[++i]);
    else if (strcmp(a, "--crash-always") == 0)
      c.crash_always = true;
    else if (strcmp(a, "--accept-acceptable") == 0)
      c.accept_acceptable = true;
    else if (strcmp(a, "--stderr") == 0)
      c.chatter = true;
    else
      die("unknown option");
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) >= 0)
    answer(&c, line, (size_t)n);
  free(line);
  for (int k = 0; k < MAX_KINDS; k++)
    json_decref(c.files[k]);
  return c.exit_status;
}
