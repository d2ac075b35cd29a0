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
 *   --slow-at K:ID         answer that request after SLOW_MS: later than a
 *                          runner --timeout of 2 s, sooner than its default 5 s
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
 *
 * For the differential replay, which has no vectors, it can instead answer
 * txt-record requests from their bytes with a deliberately tiny reading of
 * "v=STSv1; id=...": fields split at ';', blanks around them dropped, valid
 * when the first field is v=STSv1 and there is an id field:
 *
 *   --by-input first       the first id wins, "v" must be "v=STSv1" exactly
 *   --by-input last        the last id wins, "V=" / "stsv1" in any case
 *   --crash-on TEXT        abort() when the input contains TEXT
 *   --unsupported-on TEXT  answer unsupported when the input contains TEXT
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_KINDS = 7, MAX_TRIGGERS = 16, SLOW_MS = 3500 };

static const char *const kinds[MAX_KINDS] = {"txt-record", "txt-strings",   "txt-rrset",   "policy",
                                             "mx-match",   "tlsrpt-record", "tlsrpt-rrset"};

typedef enum action {
  ACT_CRASH,
  ACT_HANG,
  ACT_SLOW,
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

typedef enum reading { READ_VECTORS, READ_FIRST, READ_LAST } reading;

typedef struct config {
  json_t *files[MAX_KINDS];
  reading by_input;
  const char *crash_on;
  const char *unsupported_on;
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

/* ---- --by-input: the tiny txt-record reading ---- */

static bool hex_to_bytes(const char *hex, char *out, size_t cap, size_t *n) {
  size_t len = strlen(hex);
  if (len % 2 || len / 2 >= cap)
    return false;
  for (size_t i = 0; i < len; i += 2) {
    unsigned v;
    if (sscanf(hex + i, "%2x", &v) != 1)
      return false;
    out[i / 2] = (char)v;
  }
  *n = len / 2;
  out[*n] = '\0';
  return true;
}

static bool contains(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; k && i + k <= n; i++)
    if (memcmp(s + i, needle, k) == 0)
      return true;
  return false;
}

static bool same_ignoring_case(const char *a, size_t n, const char *b) {
  if (strlen(b) != n)
    return false;
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (char)(y + 32);
    if (x != y)
      return false;
  }
  return true;
}

/* Answers from the record's bytes; see the header. */
static void read_record(const config *c, const char *rec, size_t n, json_t *out) {
  const char *id = NULL;
  size_t id_len = 0;
  bool version_ok = false;
  size_t field = 0;
  for (size_t at = 0; at <= n; field++) {
    const char *semi = memchr(rec + at, ';', n - at);
    size_t end = semi ? (size_t)(semi - rec) : n;
    size_t b = at, e = end;
    while (b < e && rec[b] == ' ')
      b++;
    while (e > b && rec[e - 1] == ' ')
      e--;
    if (field == 0)
      version_ok = c->by_input == READ_FIRST ? (e - b == 7 && memcmp(rec + b, "v=STSv1", 7) == 0)
                                             : same_ignoring_case(rec + b, e - b, "v=STSv1");
    else if (e - b >= 3 && memcmp(rec + b, "id=", 3) == 0 && (!id || c->by_input == READ_LAST)) {
      id = rec + b + 3;
      id_len = e - b - 3;
    }
    at = end + 1;
  }
  if (version_ok && id) {
    json_t *fields = json_object();
    json_object_set_new(fields, "id", json_stringn(id, id_len));
    json_object_set_new(out, "result", json_string("valid"));
    json_object_set_new(out, "fields", fields);
  } else {
    json_object_set_new(out, "result", json_string("invalid"));
    json_object_set_new(out, "error", json_string(version_ok ? "no id" : "no v=STSv1"));
  }
}

static void by_input(const config *c, const json_t *req, json_t *out) {
  static char rec[65536];
  size_t n;
  const char *kind = json_string_value(json_object_get(req, "kind"));
  const char *hex = json_string_value(json_object_get(req, "inputHex"));
  if (!kind || strcmp(kind, "txt-record") != 0 || !hex || !hex_to_bytes(hex, rec, sizeof rec, &n)) {
    json_object_set_new(out, "result", json_string("unsupported"));
    return;
  }
  if (c->crash_on && contains(rec, n, c->crash_on))
    abort();
  if (c->unsupported_on && contains(rec, n, c->unsupported_on)) {
    json_object_set_new(out, "result", json_string("unsupported"));
    return;
  }
  read_record(c, rec, n, out);
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
    /* cut short by a signal: sleep the rest */
  }
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
  if (t && t->act == ACT_SLOW)
    sleep_ms(SLOW_MS);
  if (t && t->act == ACT_GARBAGE) {
    emit("this is not JSON", false);
    json_decref(req);
    return;
  }
  json_t *out = json_object();
  json_object_set_new(out, "tcId",
                      json_integer(t && t->act == ACT_WRONG_ID ? tc_id + 1000 : tc_id));
  if (c->by_input != READ_VECTORS) {
    by_input(c, req, out);
    char *text = json_dumps(out, JSON_COMPACT);
    emit(text, false);
    free(text);
    json_decref(out);
    json_decref(req);
    return;
  }
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
      {"--crash-at", ACT_CRASH},
      {"--hang-at", ACT_HANG},
      {"--slow-at", ACT_SLOW},
      {"--garbage-at", ACT_GARBAGE},
      {"--wrong-id-at", ACT_WRONG_ID},
      {"--wrong-at", ACT_WRONG},
      {"--wrong-error-at", ACT_WRONG_ERROR},
      {"--split-at", ACT_SPLIT},
      {"--nul-field-at", ACT_NUL_FIELD},
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
    else if (strcmp(a, "--by-input") == 0 && i + 1 < argc)
      c.by_input = strcmp(argv[++i], "first") == 0 ? READ_FIRST : READ_LAST;
    else if (strcmp(a, "--crash-on") == 0 && i + 1 < argc)
      c.crash_on = argv[++i];
    else if (strcmp(a, "--unsupported-on") == 0 && i + 1 < argc)
      c.unsupported_on = argv[++i];
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
