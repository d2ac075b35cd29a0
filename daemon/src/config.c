/* config.c - mtasts-daemon's configuration file (see config.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis.h"

void daemon_config_defaults(daemon_config *c) {
  memset(c, 0, sizeof *c);
  snprintf(c->listen, sizeof c->listen, "/run/mtasts-daemon/socketmap.sock");
  c->workers = 8;
  c->clients_max = 512;
  c->pending_max = 1024;
  c->cache_entries = 100000;
  c->disk_entries = 100000;
  c->timeout = 60; /* RFC 8461 3.3: "A suggested timeout is one minute" */
  c->client_timeout = 60;
  c->refresh = 3600;
  c->dane = true; /* off only where the resolver does not validate DNSSEC */
  c->negative_ttl = 300;
  c->backoff_min = 10;
  c->backoff_max = 600;
  snprintf(c->redis_prefix, sizeof c->redis_prefix, "mtasts:");
  c->redis_timeout = 1;
}

typedef enum kind { K_STRING, K_REDIS, K_UINT, K_U64, K_BOOL } kind;

typedef struct key {
  const char *name;
  kind kind;
  size_t offset;
  uint64_t min, max; /* K_UINT, K_U64 */
} key;

#define F(m) offsetof(daemon_config, m)
static const key keys[] = {
    {"listen", K_STRING, F(listen), 1, 0},
    {"cache_dir", K_STRING, F(cache_dir), 0, 0},
    {"ca_file", K_STRING, F(ca_file), 0, 0},
    {"workers", K_UINT, F(workers), 1, 256},
    {"clients_max", K_UINT, F(clients_max), 1, 65536},
    {"pending_max", K_UINT, F(pending_max), 1, 1000000},
    {"cache_entries", K_UINT, F(cache_entries), 1, 10000000},
    {"disk_entries", K_UINT, F(disk_entries), 1, 10000000},
    {"timeout", K_UINT, F(timeout), 1, 600},
    {"client_timeout", K_UINT, F(client_timeout), 1, 86400},
    {"refresh", K_U64, F(refresh), 60, 31557600},
    {"negative_ttl", K_U64, F(negative_ttl), 0, 86400},
    {"backoff_min", K_U64, F(backoff_min), 1, 86400},
    {"backoff_max", K_U64, F(backoff_max), 1, 86400},
    {"strict_testing", K_BOOL, F(strict_testing), 0, 0},
    {"tlsrpt", K_BOOL, F(tlsrpt), 0, 0},
    {"refuse_private", K_BOOL, F(refuse_private), 0, 0},
    {"dane", K_BOOL, F(dane), 0, 0},
    {"redis", K_REDIS, F(redis), 0, 0},
    {"redis_prefix", K_STRING, F(redis_prefix), 0, 0},
    {"redis_timeout", K_UINT, F(redis_timeout), 1, 60},
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *set_value(const key *k, daemon_config *c, const char *v) {
  char *field = (char *)c + k->offset;
  if (k->kind == K_REDIS && v[0] != '\0' && daemon_redis_address_error(v) != NULL)
    return daemon_redis_address_error(v);
  if (k->kind == K_STRING || k->kind == K_REDIS) {
    if (strlen(v) >= DAEMON_CONFIG_PATH_MAX)
      return "value too long";
    if (k->min > 0 && v[0] == '\0')
      return "empty value";
    memcpy(field, v, strlen(v) + 1);
    return NULL;
  }
  if (k->kind == K_BOOL) {
    bool b;
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
      b = true;
    else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
      b = false;
    else
      return "not yes or no";
    memcpy(field, &b, sizeof b);
    return NULL;
  }
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n < k->min || n > k->max)
    return "not a number in range";
  if (k->kind == K_UINT) {
    unsigned u = (unsigned)n;
    memcpy(field, &u, sizeof u);
  } else {
    uint64_t u = n;
    memcpy(field, &u, sizeof u);
  }
  return NULL;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* One line, NUL-terminated in `line`. */
static const char *parse_line(char *line, daemon_config *c, bool *seen) {
  char *s = trim(line);
  if (s[0] == '\0' || s[0] == '#')
    return NULL;
  char *eq = strchr(s, '=');
  if (eq == NULL)
    return "not \"key = value\"";
  *eq = '\0';
  const char *name = trim(s), *value = trim(eq + 1);
  for (size_t i = 0; i < NKEYS; i++) {
    if (strcmp(keys[i].name, name) != 0)
      continue;
    if (seen[i])
      return "key given twice";
    seen[i] = true;
    return set_value(&keys[i], c, value);
  }
  return "unknown key";
}

static bool check_whole(const daemon_config *c, char *err, size_t err_cap) {
  if (c->backoff_min > c->backoff_max) {
    snprintf(err, err_cap, "backoff_min is larger than backoff_max");
    return false;
  }
  if (c->redis[0] != '\0' && c->cache_dir[0] == '\0') {
    snprintf(err, err_cap, "redis needs cache_dir (Redis shares what the disk cache keeps)");
    return false;
  }
  return true;
}

bool daemon_config_parse(const char *text, size_t len, daemon_config *c, char *err,
                         size_t err_cap) {
  bool seen[NKEYS] = {false};
  char line[DAEMON_CONFIG_PATH_MAX + 64];
  size_t at = 0, lineno = 0;
  while (at < len) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
    lineno++;
    const char *why = n >= sizeof line ? "line too long" : NULL;
    if (why == NULL && memchr(text + at, '\0', n) != NULL)
      why = "NUL byte";
    if (why == NULL) {
      memcpy(line, text + at, n);
      line[n] = '\0';
      why = parse_line(line, c, seen);
    }
    if (why != NULL) {
      snprintf(err, err_cap, "%zu: %s", lineno, why);
      return false;
    }
    at += n + 1;
  }
  return check_whole(c, err, err_cap);
}

bool daemon_config_load(const char *path, daemon_config *c, char *err, size_t err_cap) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, err_cap, "%s: %s", path, strerror(errno));
    return false;
  }
  static const size_t max = 1u << 20;
  char *text = malloc(max);
  size_t n = text != NULL ? fread(text, 1, max, f) : 0;
  bool too_big = text != NULL && n == max;
  fclose(f);
  char why[256] = "";
  bool ok = text != NULL && !too_big && daemon_config_parse(text, n, c, why, sizeof why);
  if (!ok)
    snprintf(err, err_cap, "%s:%s", path,
             text == NULL ? " out of memory"
             : too_big    ? " larger than 1 MiB"
                          : why);
  free(text);
  return ok;
}
