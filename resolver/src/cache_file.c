/* cache_file.c - the cache file of the resolver (see resolver_cache.h). */
#define _POSIX_C_SOURCE 200809L

#include "resolver_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "mtasts-cache "
#define VERSION "1"

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

static bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The id of a TXT record: 1-32 ALPHA / DIGIT (RFC 8461 3.1). */
static bool valid_id(cache_text t, bool may_be_empty) {
  if (t.len > MTASTS_MAX_ID_LEN || (t.len == 0 && !may_be_empty))
    return false;
  for (size_t i = 0; i < t.len; i++)
    if (!is_alnum(t.ptr[i]))
      return false;
  return true;
}

/* A domain as resolve keeps it: lower-case letters, digits, "-", ".". */
static bool valid_domain(cache_text t) {
  if (t.len == 0 || t.len > MTASTS_MAX_NAME_LEN)
    return false;
  for (size_t i = 0; i < t.len; i++) {
    char c = t.ptr[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  }
  return true;
}

/* 1-20 digits without a leading zero (except "0" itself), at most
 * UINT64_MAX: one spelling per number, so a file has one reading. */
static bool parse_u64(cache_text t, uint64_t *out) {
  if (t.len == 0 || t.len > 20 || (t.len > 1 && t.ptr[0] == '0'))
    return false;
  uint64_t v = 0;
  for (size_t i = 0; i < t.len; i++) {
    if (t.ptr[i] < '0' || t.ptr[i] > '9')
      return false;
    uint64_t d = (uint64_t)(t.ptr[i] - '0');
    if (v > (UINT64_MAX - d) / 10)
      return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

/* Only the three modes a policy can have: UNSET is never read or written. */
static bool parse_mode(cache_text t, mtasts_mode *out) {
  for (int m = MTASTS_MODE_ENFORCE; m <= MTASTS_MODE_NONE; m++) {
    const char *name = mtasts_mode_name((mtasts_mode)m);
    if (t.len == strlen(name) && memcmp(t.ptr, name, t.len) == 0) {
      *out = (mtasts_mode)m;
      return true;
    }
  }
  return false;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

typedef struct cursor {
  const char *p;
  size_t len;
  size_t pos;
  size_t line;     /* of the next line */
  size_t err_line; /* of the line an error is about */
} cursor;

#define CUT "expected another line here (the file is cut or reordered)"

/* An error about the line just read, or about the missing next one. */
static const char *bad_value(cursor *c, const char *why) {
  c->err_line = c->line - 1;
  return why;
}

static const char *bad_line(cursor *c, const char *why) {
  c->err_line = c->line;
  return why;
}

static bool next_is(const cursor *c, const char *key) {
  size_t n = strlen(key);
  return c->len - c->pos >= n && memcmp(c->p + c->pos, key, n) == 0;
}

/* A line "key" + value + LF: the value, without the LF. */
static bool take_line(cursor *c, const char *key, cache_text *value) {
  if (!next_is(c, key))
    return false;
  size_t start = c->pos + strlen(key);
  const char *lf = memchr(c->p + start, '\n', c->len - start);
  if (lf == NULL)
    return false;
  *value = (cache_text){c->p + start, (size_t)(lf - c->p) - start};
  c->pos = (size_t)(lf - c->p) + 1;
  c->line++;
  return true;
}

static const char *take_number(cursor *c, const char *key, uint64_t *out) {
  cache_text v;
  if (!take_line(c, key, &v))
    return bad_line(c, CUT);
  return parse_u64(v, out) ? NULL : bad_value(c, "not a number (1-20 digits, no leading zero)");
}

static size_t count_lf(const char *p, size_t n) {
  size_t lines = 0;
  for (size_t i = 0; i < n; i++)
    lines += p[i] == '\n';
  return lines;
}

static const char *take_body(cursor *c, cache_text *body) {
  uint64_t len;
  const char *why = take_number(c, "policy-body: ", &len);
  if (why != NULL)
    return why;
  if (len > MTASTS_POLICY_MAX_SIZE)
    return bad_value(c, "the policy body is longer than 65536 bytes");
  if (c->len - c->pos < len + 1 || c->p[c->pos + len] != '\n')
    return bad_value(c, "the policy body is not as long as its length says, or lacks its final LF");
  *body = (cache_text){c->p + c->pos, (size_t)len};
  c->pos += (size_t)len + 1;
  c->line += count_lf(body->ptr, body->len) + 1;
  return NULL;
}

static const char *take_policy(cursor *c, cache_record *out) {
  cache_text v;
  const char *why;
  if (!take_line(c, "policy-id: ", &out->id))
    return bad_line(c, CUT);
  if (!valid_id(out->id, false))
    return bad_value(c, "the policy id is not 1-32 letters and digits");
  if ((why = take_number(c, "policy-fetched-at: ", &out->fetched_at)) != NULL ||
      (why = take_number(c, "policy-max-age: ", &out->max_age)) != NULL)
    return why;
  if (out->max_age > MTASTS_MAX_AGE_LIMIT)
    return bad_value(c, "max_age is above 31557600");
  if (!take_line(c, "policy-mode: ", &v))
    return bad_line(c, CUT);
  if (!parse_mode(v, &out->mode))
    return bad_value(c, "the mode is not enforce, testing or none");
  out->has_policy = true;
  return take_body(c, &out->body);
}

static const char *take_failure(cursor *c, cache_record *out) {
  if (!take_line(c, "failure-id: ", &out->failure_id))
    return bad_line(c, CUT);
  if (!valid_id(out->failure_id, true))
    return bad_value(c, "the failure id is not 0-32 letters and digits");
  out->has_failure = true;
  return take_number(c, "failure-at: ", &out->failure_at);
}

static const char *parse_lines(cursor *c, cache_record *out) {
  cache_text v;
  const char *why;
  if (!take_line(c, MAGIC, &v))
    return bad_line(c, "not an mtasts cache file (no \"mtasts-cache 1\" line)");
  if (v.len != strlen(VERSION) || memcmp(v.ptr, VERSION, v.len) != 0)
    return bad_value(c, "a cache format version other than 1");
  if (!take_line(c, "domain: ", &out->domain))
    return bad_line(c, "no \"domain: \" line");
  if (!valid_domain(out->domain))
    return bad_value(c, "the domain is not lower-case letters, digits, \"-\" and \".\"");
  if (next_is(c, "policy-id: ") && (why = take_policy(c, out)) != NULL)
    return why;
  if (next_is(c, "failure-id: ") && (why = take_failure(c, out)) != NULL)
    return why;
  if (!take_line(c, "end", &v) || v.len != 0)
    return bad_line(c, "expected the \"end\" line (the file is cut, or has a line it should not)");
  if (c->pos != c->len)
    return bad_line(c, "data after the \"end\" line");
  return NULL;
}

const char *cache_parse(const char *buf, size_t len, cache_record *out, size_t *line) {
  memset(out, 0, sizeof *out);
  cursor c = {buf, buf != NULL ? len : 0, 0, 1, 1};
  const char *why = parse_lines(&c, out);
  *line = c.err_line;
  if (why != NULL)
    memset(out, 0, sizeof *out);
  return why;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

typedef struct writer {
  char *dst;
  size_t cap;
  size_t len; /* what the whole output needs, even past cap */
} writer;

static void put(writer *w, const char *p, size_t n) {
  if (w->len <= w->cap && n <= w->cap - w->len)
    memcpy(w->dst + w->len, p, n);
  w->len += n;
}

static void put_line(writer *w, const char *key, cache_text value) {
  put(w, key, strlen(key));
  put(w, value.ptr, value.len);
  put(w, "\n", 1);
}

static void put_number(writer *w, const char *key, uint64_t n) {
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
  put_line(w, key, (cache_text){digits, (size_t)len});
}

static bool writable(const cache_record *rec) {
  if (!valid_domain(rec->domain))
    return false;
  if (rec->has_policy &&
      (!valid_id(rec->id, false) || rec->max_age > MTASTS_MAX_AGE_LIMIT ||
       rec->mode < MTASTS_MODE_ENFORCE || rec->mode > MTASTS_MODE_NONE ||
       rec->body.len > MTASTS_POLICY_MAX_SIZE || (rec->body.ptr == NULL && rec->body.len > 0)))
    return false;
  return !rec->has_failure || valid_id(rec->failure_id, true);
}

size_t cache_format(const cache_record *rec, char *dst, size_t cap) {
  if (!writable(rec))
    return 0;
  writer w = {dst, dst != NULL ? cap : 0, 0};
  put_line(&w, MAGIC, (cache_text){VERSION, strlen(VERSION)});
  put_line(&w, "domain: ", rec->domain);
  if (rec->has_policy) {
    put_line(&w, "policy-id: ", rec->id);
    put_number(&w, "policy-fetched-at: ", rec->fetched_at);
    put_number(&w, "policy-max-age: ", rec->max_age);
    const char *mode = mtasts_mode_name(rec->mode); /* writable(): ENFORCE..NONE */
    put_line(&w, "policy-mode: ", (cache_text){mode, strlen(mode)});
    put_number(&w, "policy-body: ", rec->body.len);
    put_line(&w, "", rec->body);
  }
  if (rec->has_failure) {
    put_line(&w, "failure-id: ", rec->failure_id);
    put_number(&w, "failure-at: ", rec->failure_at);
  }
  put(&w, "end\n", 4);
  return w.len;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

bool cache_path(const char *dir, const char *domain, size_t domain_len, char *path, size_t cap) {
  size_t dn = strlen(dir);
  bool slash = dn > 0 && dir[dn - 1] == '/';
  size_t need = dn + (slash ? 0 : 1) + domain_len + 1;
  if (need > cap)
    return false;
  memcpy(path, dir, dn);
  if (!slash)
    path[dn++] = '/';
  for (size_t i = 0; i < domain_len; i++) {
    char c = domain[i];
    path[dn + i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
  }
  path[dn + domain_len] = '\0';
  return true;
}

/* At most CACHE_FILE_MAX + 1 bytes: one more than a file may hold. */
static bool read_bounded(int fd, char *buf, size_t *len) {
  size_t got = 0;
  while (got < CACHE_FILE_MAX + 1) {
    ssize_t n = read(fd, buf + got, CACHE_FILE_MAX + 1 - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    if (n == 0)
      break;
    got += (size_t)n;
  }
  *len = got;
  return true;
}

cache_load_result cache_load(const char *path, char **data, cache_record *rec, char *msg,
                             size_t msglen) {
  memset(rec, 0, sizeof *rec);
  *data = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT)
    return CACHE_MISSING;
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(msg, msglen, "cannot read the cache file '%s': %s", path,
             fd < 0 ? strerror(errno) : "not a regular file");
    if (fd >= 0)
      close(fd);
    return CACHE_UNREADABLE;
  }
  size_t len = 0;
  *data = malloc(CACHE_FILE_MAX + 1);
  bool ok = *data != NULL && read_bounded(fd, *data, &len);
  int err_no = errno;
  close(fd);
  if (!ok) {
    snprintf(msg, msglen, "cannot read the cache file '%s': %s", path, strerror(err_no));
    return CACHE_UNREADABLE;
  }
  size_t line;
  const char *why = len > CACHE_FILE_MAX ? "larger than a cache file can be"
                                         : cache_parse(*data, len, rec, &line);
  if (why == NULL)
    return CACHE_LOADED;
  if (len > CACHE_FILE_MAX)
    snprintf(msg, msglen, "%s: %s", path, why);
  else
    snprintf(msg, msglen, "%s:%zu: %s", path, line, why);
  return CACHE_CORRUPT;
}

static bool write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

static bool save_fail(char *err, size_t errlen, const char *what, const char *path) {
  snprintf(err, errlen, "cannot %s the cache file '%s': %s", what, path, strerror(errno));
  return false;
}

bool cache_save(const char *path, const cache_record *rec, char *err, size_t errlen) {
  if (!rec->has_policy && !rec->has_failure) {
    if (unlink(path) != 0 && errno != ENOENT)
      return save_fail(err, errlen, "remove", path);
    return true;
  }
  size_t need = cache_format(rec, NULL, 0);
  char *text = need > 0 ? malloc(need) : NULL;
  size_t tmp_len = strlen(path) + sizeof ".tmp.XXXXXX";
  char *tmp = malloc(tmp_len);
  if (text == NULL || tmp == NULL) {
    free(text);
    free(tmp);
    snprintf(err, errlen, "cannot write the cache file '%s': %s", path,
             need == 0 ? "invalid record" : "out of memory");
    return false;
  }
  cache_format(rec, text, need);
  snprintf(tmp, tmp_len, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  /* A reader sees the old file or the new one, never a part: the new
   * one is complete on disk before it takes the name. */
  bool ok = fd >= 0 && write_all(fd, text, need) && fsync(fd) == 0;
  if (fd >= 0 && close(fd) != 0)
    ok = false;
  if (ok && rename(tmp, path) != 0)
    ok = false;
  if (!ok) {
    save_fail(err, errlen, "write", path);
    if (fd >= 0)
      unlink(tmp);
  }
  free(text);
  free(tmp);
  return ok;
}
