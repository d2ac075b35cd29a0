/*
 * test_lookup.c - mtasts-daemon's real lookup (daemon/src/lookup.c): the
 * resolver library in a world of the test's making (clock, DNS answer,
 * HTTP response; mtasts_resolver_io; the DANE survey's MX and TLSA answers), its disk cache
 * surviving a restart, and the disk cache's bound. No network.
 */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dns_msg.h"
#include "lookup.h"
#include "mtasts_resolver.h"

typedef struct world {
  uint64_t now;
  const char *txt;      /* one TXT record, or NULL: none */
  const char *response; /* the policy host's HTTP response, or NULL: refused */
  int fetches;
  bool refused_private; /* the last fetch asked for refuse_private */
} world;

static world the_world;

static uint64_t fake_now(void *ctx) {
  return ((world *)ctx)->now;
}

/* A response: the question _mta-sts.x., one TXT answer or none. */
static dns_outcome fake_query(void *ctx, const char *name, unsigned char *answer, size_t cap,
                              size_t *len, char *err, size_t errlen) {
  world *w = ctx;
  (void)name, (void)err, (void)errlen;
  size_t t = w->txt != NULL ? strlen(w->txt) : 0;
  assert_true(cap > 64 + t);
  dns_msg m = {answer, cap, 0};
  dns_msg_begin(&m, DNS_MSG_ID, DNS_MSG_RESPONSE, w->txt != NULL, "x", 16);
  if (w->txt != NULL) {
    dns_msg_rr(&m, 16, DNS_MSG_CLASS_IN, 300, t + 1);
    unsigned char l = (unsigned char)t;
    dns_msg_put(&m, &l, 1);
    dns_msg_put(&m, w->txt, t);
  }
  *len = m.len;
  return DNS_ANSWER;
}

static https_status fake_get(void *ctx, const https_request *req, http_reader *reader,
                             https_result *out) {
  world *w = ctx;
  w->fetches++;
  w->refused_private = req->refuse_private;
  memset(out, 0, sizeof *out);
  if (w->response == NULL) {
    out->status = HTTPS_NETWORK;
    snprintf(out->error, sizeof out->error, "connection refused");
    return out->status;
  }
  out->status = HTTPS_OK;
  http_parse_response(reader, w->response, strlen(w->response));
  return HTTPS_OK;
}

static const mtasts_resolver_io io = {&the_world, fake_now, fake_query, fake_get, NULL};

/* The DANE survey's DNS: example.com's one MX host mail.example.com, the
 * MX answer validated or not, its TLSA query answered as `tlsa` says. */
typedef enum tlsa_answer { TLSA_ABSENT = 0, TLSA_USABLE, TLSA_SERVFAIL } tlsa_answer;
typedef struct dane_dns {
  bool mx_ad;
  tlsa_answer tlsa;
  int queries; /* MX and TLSA */
} dane_dns;

static dane_dns the_dns;

/* A response (AD as given) to `name` of `type` with one answer of that
 * type, owned by the question's name, of `rdlen` octets to come. */
static void dns_begin(dns_msg *m, bool ad, const char *name, unsigned type, size_t rdlen) {
  dns_msg_begin(m, DNS_MSG_ID, DNS_MSG_RESPONSE | (ad ? DNS_MSG_AD : 0), 1, name, type);
  dns_msg_rr(m, type, DNS_MSG_CLASS_IN, 300, rdlen);
}

static dns_outcome fake_mx(void *ctx, const char *name, unsigned char *answer, size_t cap,
                           size_t *len, char *err, size_t errlen) {
  dane_dns *d = ctx;
  (void)err, (void)errlen;
  d->queries++;
  assert_string_equal(name, "example.com.");
  assert_true(cap > 128);
  dns_msg m = {answer, cap, 0};
  dns_begin(&m, d->mx_ad, name, 15, 2 + 7); /* preference, "\4mail" and a pointer to example.com */
  dns_msg_put16(&m, 10);
  dns_msg_put(&m, "\4mail\xc0\x0c", 7);
  *len = m.len;
  return DNS_ANSWER;
}

static dns_outcome fake_tlsa(void *ctx, const char *name, unsigned char *answer, size_t cap,
                             size_t *len, char *err, size_t errlen) {
  dane_dns *d = ctx;
  d->queries++;
  assert_string_equal(name, "_25._tcp.mail.example.com.");
  assert_true(cap > 128);
  if (d->tlsa == TLSA_SERVFAIL) {
    snprintf(err, errlen, "the DNS server answered SERVFAIL");
    return DNS_ERROR;
  }
  if (d->tlsa == TLSA_ABSENT)
    return DNS_ABSENT;
  dns_msg m = {answer, cap, 0};
  dns_begin(&m, true, name, 52, 3 + 32); /* 3 1 1 and a SHA2-256 digest */
  unsigned char digest[32];
  memset(digest, 0xab, sizeof digest);
  dns_msg_put(&m, "\3\1\1", 3);
  dns_msg_put(&m, digest, sizeof digest);
  *len = m.len;
  return DNS_ANSWER;
}

static const daemon_world fake_world = {&io, {&the_dns, fake_mx, fake_tlsa}, NULL};

#define RESPONSE(body) "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" body
#define ENFORCE                                                                                    \
  "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n"
#define TESTING "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 600\n"

static void lookup(const daemon_config *cfg, daemon_lookup_result *out) {
  memset(out, 0, sizeof *out);
  daemon_lookup_world((void *)(uintptr_t)&fake_world, "example.com", cfg, out);
}

static void test_answers(void **state) {
  (void)state;
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  cfg.cache_dir[0] = '\0';
  daemon_lookup_result r;
  the_world = (world){1000000, "v=STSv1; id=20261207;", RESPONSE(ENFORCE), 0, false};
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_OK);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  assert_int_equal(r.keep_for, 86400);
  the_world.response = RESPONSE(TESTING);
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_NOTFOUND);
  cfg.strict_testing = true;
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_OK);
  assert_string_equal(r.data, "secure match=mail.example.com servername=hostname");
  the_world.txt = NULL; /* no TXT record, no cache: no policy */
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_NOTFOUND);
}

/* DANE beside the policy (answer.h, R31): the one MX host has usable
 * validated TLSA records: "dane-only"; none, or not validated: the policy;
 * a failed TLSA lookup: TEMP; `dane = no` or a testing policy: no survey. */
static void test_dane(void **state) {
  (void)state;
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  cfg.cache_dir[0] = '\0';
  assert_true(cfg.dane); /* the default */
  daemon_lookup_result r;
  the_world = (world){1000000, "v=STSv1; id=1;", RESPONSE(ENFORCE), 0, false};
  the_dns = (dane_dns){true, TLSA_USABLE, 0};
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_OK);
  assert_string_equal(r.data, "dane-only");
  assert_int_equal(r.len, strlen("dane-only"));
  assert_int_equal(r.keep_for, 86400);
  assert_int_equal(the_dns.queries, 2);
  cfg.tlsrpt = true; /* Postfix reports its DANE policy itself */
  lookup(&cfg, &r);
  assert_string_equal(r.data, "dane-only");
  cfg.tlsrpt = false;
  the_dns = (dane_dns){false, TLSA_USABLE, 0}; /* the MX RRset did not validate */
  lookup(&cfg, &r);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  assert_int_equal(the_dns.queries, 1);
  the_dns = (dane_dns){true, TLSA_ABSENT, 0};
  lookup(&cfg, &r);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  the_dns = (dane_dns){true, TLSA_SERVFAIL, 0};
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_TEMP);
  assert_string_equal(r.data, "example.com: DANE: the TLSA lookup of mail.example.com failed: the "
                              "DNS server answered SERVFAIL");
  cfg.dane = false;
  the_dns = (dane_dns){true, TLSA_USABLE, 0};
  lookup(&cfg, &r);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  assert_int_equal(the_dns.queries, 0);
  cfg.dane = true;
  /* daemon_lookup_resolver in a replaced world: no DANE survey at all. */
  memset(&r, 0, sizeof r);
  daemon_lookup_resolver((void *)(uintptr_t)&io, "example.com", &cfg, &r);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  assert_int_equal(the_dns.queries, 0);
  the_world.response = RESPONSE(TESTING);
  the_world.txt = "v=STSv1; id=2;";
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_NOTFOUND);
  assert_int_equal(the_dns.queries, 0);
  memset(&the_dns, 0, sizeof the_dns); /* the other tests: no DANE (the MX does not validate) */
}

static dns_outcome failing_mx(void *ctx, const char *name, unsigned char *answer, size_t cap,
                              size_t *len, char *err, size_t errlen) {
  (void)ctx, (void)name, (void)answer, (void)cap, (void)len;
  snprintf(err, errlen, "the DNS server answered SERVFAIL");
  return DNS_ERROR;
}

/* The answer's MX host names (answer.h): example.com's one MX host,
 * mail.example.com, is listed alone; a failed MX lookup: the patterns. */
static void test_mx_names(void **state) {
  (void)state;
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  cfg.cache_dir[0] = '\0';
  daemon_lookup_result r;
  the_world = (world){1000000, "v=STSv1; id=3;", RESPONSE(ENFORCE), 0, false};
  memset(&the_dns, 0, sizeof the_dns); /* the MX does not validate: no TLSA query */
  daemon_world w = fake_world;
  w.mx = fake_mx;
  memset(&r, 0, sizeof r);
  daemon_lookup_world(&w, "example.com", &cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_OK);
  assert_string_equal(r.data, "secure match=mail.example.com servername=hostname");
  assert_int_equal(r.len, strlen(r.data));
  assert_int_equal(r.keep_for, 86400);
  assert_int_equal(the_dns.queries, 2); /* the names, the DANE survey */
  w.mx = failing_mx;
  daemon_lookup_world(&w, "example.com", &cfg, &r);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  memset(&the_dns, 0, sizeof the_dns);
}

/* refuse_private reaches the fetch (what it refuses: resolver_private). */
static void test_refuse_private(void **state) {
  (void)state;
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  cfg.cache_dir[0] = '\0';
  daemon_lookup_result r;
  the_world = (world){1000000, "v=STSv1; id=20261207;", RESPONSE(ENFORCE), 0, true};
  lookup(&cfg, &r);
  assert_int_equal(the_world.fetches, 1);
  assert_false(the_world.refused_private); /* off by default */
  cfg.refuse_private = true;
  lookup(&cfg, &r);
  assert_int_equal(the_world.fetches, 2);
  assert_true(the_world.refused_private);
  assert_int_equal(r.status, SOCKETMAP_OK);
}

/* The disk cache survives a restart: a later lookup (a new process would
 * read the same files) applies the cached policy when the host is down. */
static void test_disk_cache(void **state) {
  (void)state;
  daemon_config cfg;
  daemon_config_defaults(&cfg);
  char dir[] = "/tmp/mtasts-daemon-lookup.XXXXXX";
  assert_non_null(mkdtemp(dir));
  snprintf(cfg.cache_dir, sizeof cfg.cache_dir, "%s/cache", dir);
  daemon_lookup_result r;
  the_world = (world){1000000, "v=STSv1; id=1;", RESPONSE(ENFORCE), 0, false};
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_OK);
  the_world.response = NULL;
  the_world.now += 3600;
  lookup(&cfg, &r);
  assert_int_equal(r.status, SOCKETMAP_OK);
  assert_string_equal(r.data, "secure match=mail.example.com:.example.net servername=hostname");
  assert_int_equal(the_world.fetches, 1);                  /* same id, fresh cache: no fetch */
  assert_int_equal(daemon_prune_dir(cfg.cache_dir, 0), 1); /* one file: example.com's */
  assert_int_equal(rmdir(cfg.cache_dir), 0);
  assert_int_equal(rmdir(dir), 0);
}

static void touch(const char *dir, const char *name, time_t when) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_CREAT | O_WRONLY, 0600);
  assert_true(fd >= 0);
  struct timespec ts[2] = {{when, 0}, {when, 0}};
  assert_int_equal(futimens(fd, ts), 0);
  close(fd);
}

static void test_prune(void **state) {
  (void)state;
  char dir[] = "/tmp/mtasts-daemon-prune.XXXXXX";
  assert_non_null(mkdtemp(dir));
  touch(dir, "c.example", 3000);
  touch(dir, "a.example", 1000);
  touch(dir, "d.example", 4000);
  touch(dir, "b.example", 2000);
  assert_int_equal(daemon_prune_dir(dir, 4), 0);
  assert_int_equal(daemon_prune_dir(dir, 2), 2); /* the two least recently written */
  char path[256];
  const char *gone[] = {"a.example", "b.example"}, *kept[] = {"c.example", "d.example"};
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, gone[i]);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/%s", dir, kept[i]);
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
  }
  assert_int_equal(daemon_prune_dir("/nonexistent/dir", 0), 0);
  assert_int_equal(rmdir(dir), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_answers),    cmocka_unit_test(test_dane),
      cmocka_unit_test(test_mx_names),   cmocka_unit_test(test_refuse_private),
      cmocka_unit_test(test_disk_cache), cmocka_unit_test(test_prune),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
