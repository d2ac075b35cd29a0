/*
 * test_resolve.c - the resolver's steps (RFC 8461 5.1) in a world of the
 * test's own making: the clock, the DNS answer, the HTTP response and each
 * MX host's TLS are the hooks of mtasts_resolver_io, so nothing here
 * touches the network. The cache is a directory made for each test.
 */
#define _POSIX_C_SOURCE 200809L

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mtasts_resolver.h"

/* ------------------------------------------------------------------ */
/* The world                                                           */
/* ------------------------------------------------------------------ */

typedef struct world {
  uint64_t now;
  dns_outcome dns;        /* what the TXT query gives */
  const char *txt;        /* with DNS_ANSWER: one TXT record of one string, or NULL for none */
  const char *response;   /* the HTTP response the policy host sends */
  https_status https;     /* or a transport failure */
  mtasts_tls_result smtp; /* what every MX host shows */
  char asked_name[300];   /* the TXT name queried */
  char asked_host[300];   /* the policy host fetched from */
  unsigned asked_port;
  int queries, fetches, mx_checks;
} world;

static uint64_t fake_now(void *ctx) {
  return ((world *)ctx)->now;
}

static void put16(unsigned char *b, size_t *n, unsigned v) {
  b[(*n)++] = (unsigned char)(v >> 8);
  b[(*n)++] = (unsigned char)v;
}

/* A response: header, the question _mta-sts.x., one TXT answer or none. */
static dns_outcome fake_query(void *ctx, const char *name, unsigned char *answer, size_t cap,
                              size_t *len, char *err, size_t errlen) {
  world *w = ctx;
  w->queries++;
  snprintf(w->asked_name, sizeof w->asked_name, "%s", name);
  if (w->dns != DNS_ANSWER) {
    snprintf(err, errlen, "the DNS server answered SERVFAIL");
    return w->dns;
  }
  size_t n = 0, t = w->txt != NULL ? strlen(w->txt) : 0;
  assert_true(cap > 64 + t);
  put16(answer, &n, 0x1234);
  put16(answer, &n, 0x8180);
  put16(answer, &n, 1);
  put16(answer, &n, w->txt != NULL);
  put16(answer, &n, 0);
  put16(answer, &n, 0);
  memcpy(answer + n, "\x01x\0", 3);
  n += 3;
  put16(answer, &n, 16);
  put16(answer, &n, 1);
  if (w->txt != NULL) {
    put16(answer, &n, 0xc00c);
    put16(answer, &n, 16);
    put16(answer, &n, 1);
    put16(answer, &n, 0);
    put16(answer, &n, 300);
    put16(answer, &n, (unsigned)t + 1);
    answer[n++] = (unsigned char)t;
    memcpy(answer + n, w->txt, t);
    n += t;
  }
  *len = n;
  return DNS_ANSWER;
}

static https_status fake_get(void *ctx, const https_request *req, http_reader *reader,
                             https_result *out) {
  world *w = ctx;
  w->fetches++;
  snprintf(w->asked_host, sizeof w->asked_host, "%s", req->host);
  w->asked_port = req->port;
  memset(out, 0, sizeof *out);
  out->status = w->https;
  if (w->https != HTTPS_OK) {
    snprintf(out->error, sizeof out->error, "connection refused");
    return w->https;
  }
  http_parse_response(reader, w->response, strlen(w->response));
  return HTTPS_OK;
}

static mtasts_tls_result fake_smtp(void *ctx, const smtp_request *req, smtp_result *out) {
  world *w = ctx;
  (void)req;
  w->mx_checks++;
  memset(out, 0, sizeof *out);
  out->tls = w->smtp;
  return w->smtp;
}

#define POLICY                                                                                     \
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 83\r\n\r\n"                      \
  "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n"

typedef struct fixture {
  world w;
  mtasts_resolver_io io;
  mtasts_resolver_options opt;
  const char *mx[2];
  char dir[64];
  mtasts_resolution res;
} fixture;

static fixture fx;

static int setup(void **state) {
  (void)state;
  memset(&fx, 0, sizeof fx);
  fx.w = (world){.now = 1800000000,
                 .dns = DNS_ANSWER,
                 .txt = "v=STSv1; id=abc1;",
                 .response = POLICY,
                 .https = HTTPS_OK,
                 .smtp = MTASTS_TLS_OK};
  fx.io = (mtasts_resolver_io){&fx.w, fake_now, fake_query, fake_get, fake_smtp};
  mtasts_resolver_options_init(&fx.opt);
  fx.opt.io = &fx.io;
  fx.mx[0] = "mx1.example.net";
  fx.mx[1] = "mx.example.org";
  fx.opt.mx = fx.mx;
  fx.opt.mx_count = 2;
  snprintf(fx.dir, sizeof fx.dir, "/tmp/mtasts-resolver-test-XXXXXX");
  assert_non_null(mkdtemp(fx.dir));
  return 0;
}

static int teardown(void **state) {
  (void)state;
  mtasts_resolution_release(&fx.res);
  char path[200];
  snprintf(path, sizeof path, "%s/example.com", fx.dir);
  unlink(path);
  rmdir(fx.dir);
  return 0;
}

static mtasts_resolve_status run(const char *domain) {
  mtasts_resolution_release(&fx.res);
  return mtasts_resolve(domain, &fx.opt, &fx.res);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

/* The defaults are RFC 8461 3.3's suggestions and the real world. */
static void test_options_defaults(void **state) {
  (void)state;
  mtasts_resolver_options o;
  memset(&o, 0x5a, sizeof o);
  mtasts_resolver_options_init(&o);
  assert_null(o.cache_dir);
  assert_null(o.io);
  assert_int_equal(o.refresh, 86400);
  assert_int_equal(o.timeout, 60);
  assert_int_equal(o.https_port, 443);
  assert_int_equal(o.smtp_port, 25);
  assert_false(o.starttls);
  assert_string_equal(mtasts_cache_state_name(MTASTS_CACHE_STATE_CORRUPT), "corrupt");
  assert_string_equal(mtasts_cache_state_name((mtasts_cache_state)9), "unknown");
}

/* 5.1: a valid TXT record and no cache: fetch, apply the new policy, match
 * the MX hosts; the names are the lower-case ones of R19 and 3.1. */
static void test_new_policy(void **state) {
  (void)state;
  assert_int_equal(run("Example.COM."), MTASTS_RESOLVE_OK);
  assert_string_equal(fx.w.asked_name, "_mta-sts.example.com.");
  assert_string_equal(fx.w.asked_host, "mta-sts.example.com");
  assert_int_equal(fx.w.asked_port, 443);
  assert_int_equal(fx.res.now, 1800000000);
  assert_int_equal(fx.res.discovery, MTASTS_TXT_VALID);
  assert_string_equal(fx.res.live_id, "abc1");
  assert_int_equal(fx.res.cache_state, MTASTS_CACHE_STATE_OFF);
  assert_int_equal(fx.res.final.apply, MTASTS_APPLY_NEW);
  assert_int_equal(fx.res.final.mode, MTASTS_MODE_ENFORCE);
  assert_non_null(fx.res.applied);
  assert_int_equal(fx.res.applied->p.mx_count, 2);
  long at;
  assert_true(mtasts_resolution_mx_matches(&fx.res, "mx1.example.net", &at));
  assert_int_equal(at, 1);
  assert_false(mtasts_resolution_mx_matches(&fx.res, "mx.example.org", &at));
  assert_int_equal(at, -1);
  assert_null(fx.res.mx_tls);
  assert_int_equal(fx.w.mx_checks, 0);
}

/* With a cache: stored under the live id, then a cache hit without a
 * fetch; the next id fetches again (3.1 T3). */
static void test_cache_round_trip(void **state) {
  (void)state;
  fx.opt.cache_dir = fx.dir;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.final.cache, MTASTS_CACHE_STORE);
  assert_true(fx.res.cache_written);
  fx.w.now += 600;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.w.fetches, 1);
  assert_int_equal(fx.res.cache_state, MTASTS_CACHE_STATE_VALID);
  assert_int_equal(fx.res.final.event, MTASTS_EV_CACHE_HIT);
  assert_int_equal(fx.res.final.apply, MTASTS_APPLY_CACHED);
  assert_false(fx.res.cache_written);
  assert_memory_equal(fx.res.applied_id, "abc1", 4);
  /* A missing record does not remove the valid cached policy (T7). */
  fx.w.dns = DNS_ABSENT;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.final.event, MTASTS_EV_DISCOVERY_FAILED);
  assert_int_equal(fx.res.final.apply, MTASTS_APPLY_CACHED);
  fx.w.dns = DNS_ANSWER;
  fx.w.txt = "v=STSv1; id=abc2;";
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.w.fetches, 2);
  assert_int_equal(fx.res.first.why, MTASTS_WHY_NEW_ID);
  /* Past max_age the entry is expired (R14). */
  fx.w.now += 86401;
  fx.opt.refresh = 0;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.cache_state, MTASTS_CACHE_STATE_EXPIRED);
}

/* A corrupt cache file is ignored, and replaced. */
static void test_corrupt_cache(void **state) {
  (void)state;
  fx.opt.cache_dir = fx.dir;
  char path[200];
  snprintf(path, sizeof path, "%s/example.com", fx.dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("mtasts-cache 2\n", f);
  fclose(f);
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.cache_state, MTASTS_CACHE_STATE_CORRUPT);
  assert_non_null(strstr(fx.res.cache_msg, path));
  assert_true(fx.res.cache_written);
}

/* No record, a DNS error: no fetch, no policy (3.1 T6). */
static void test_no_record(void **state) {
  (void)state;
  fx.w.txt = NULL;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.discovery, MTASTS_TXT_ABSENT);
  assert_int_equal(fx.res.dns.rr_count, 0);
  fx.w.dns = DNS_ERROR;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.discovery, MTASTS_TXT_DNS_ERROR);
  assert_string_equal(fx.res.dns.error, "the DNS server answered SERVFAIL");
  assert_int_equal(fx.w.fetches, 0);
  assert_null(fx.res.applied);
  assert_int_equal(fx.res.final.apply, MTASTS_APPLY_NONE);
}

/* A failed fetch: no policy, reported (3.3 H8, RFC 8460 4.3.2.2). */
static void test_fetch_fails(void **state) {
  (void)state;
  fx.w.https = HTTPS_WEBPKI;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_true(fx.res.fetched);
  assert_int_equal(fx.res.reason, MTASTS_FETCH_WEBPKI);
  assert_string_equal(fx.res.https.error, "connection refused");
  assert_int_equal(fx.res.final.rpt, MTASTS_RPT_STS_WEBPKI_INVALID);
  fx.w.https = HTTPS_OK;
  fx.w.response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.reason, MTASTS_FETCH_STATUS);
  fx.w.response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nversion: STSv1\n";
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.reason, MTASTS_FETCH_POLICY_INVALID);
  assert_null(fx.res.applied);
}

/* A policy with more mx lines than the first array holds is parsed
 * again with the room it asks for. */
static void test_many_mx(void **state) {
  (void)state;
  static char response[4096];
  char body[3000] = "version: STSv1\nmode: testing\nmax_age: 600\n";
  for (int i = 0; i < 40; i++) {
    char line[40];
    snprintf(line, sizeof line, "mx: mx%d.example.com\n", i);
    strcat(body, line);
  }
  snprintf(response, sizeof response,
           "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
           strlen(body), body);
  fx.w.response = response;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.res.reason, MTASTS_FETCH_OK);
  assert_int_equal(fx.res.applied->p.mx_count, 40);
}

/* starttls: each MX host is checked, and the engine decides (RFC 8461 5). */
static void test_starttls(void **state) {
  (void)state;
  fx.opt.starttls = true;
  fx.opt.smtp_port = 2525;
  fx.w.smtp = MTASTS_TLS_HOST_MISMATCH;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_int_equal(fx.w.mx_checks, 2);
  assert_non_null(fx.res.mx_tls);
  assert_int_equal(fx.res.mx_tls[0].outcome.verdict, MTASTS_MX_REFUSE);
  assert_int_equal(fx.res.mx_tls[0].outcome.rpt, MTASTS_RPT_CERTIFICATE_HOST_MISMATCH);
  assert_int_equal(fx.res.mx_tls[1].outcome.rpt, MTASTS_RPT_VALIDATION_FAILURE);
  /* No MX host at all: nothing to check, and no failure. */
  fx.opt.mx_count = 0;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_OK);
  assert_non_null(fx.res.mx_tls);
}

/* What the resolver cannot work with: a name that is not a domain, a
 * cache directory that is a file. */
static void test_refusals(void **state) {
  (void)state;
  assert_int_equal(run("exa mple.com"), MTASTS_RESOLVE_DOMAIN);
  assert_string_equal(fx.res.error, "not a domain resolve can use");
  assert_int_equal(fx.w.queries, 0);
  char file[200];
  snprintf(file, sizeof file, "%s/example.com", fx.dir);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  fx.opt.cache_dir = file;
  assert_int_equal(run("example.com"), MTASTS_RESOLVE_CACHE);
  assert_non_null(strstr(fx.res.error, file));
}

/* A NULL hook is the real one: here only the clock is replaced, and a
 * name that is not a domain stops the run before any I/O. */
static void test_partial_world(void **state) {
  (void)state;
  mtasts_resolver_io clock_only = {&fx.w, fake_now, NULL, NULL, NULL};
  fx.opt.io = &clock_only;
  assert_int_equal(run(".."), MTASTS_RESOLVE_DOMAIN);
  assert_int_equal(fx.res.now, 1800000000);
  assert_ptr_equal(fx.res.io.txt_query, dns_query_system);
  fx.opt.io = NULL;
  assert_int_equal(run(".."), MTASTS_RESOLVE_DOMAIN);
  assert_true(fx.res.now > 1700000000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_options_defaults),
      cmocka_unit_test_setup_teardown(test_new_policy, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cache_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_corrupt_cache, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_record, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fetch_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(test_many_mx, setup, teardown),
      cmocka_unit_test_setup_teardown(test_starttls, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_partial_world, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
