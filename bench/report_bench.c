/*
 * report_bench.c - mtasts-report-bench: the TLS-RPT report reader
 * (report/, mtasts_report_parse) on large reports, against loading the same
 * bytes with jansson (json_loadb, a DOM parser) in the same run.
 *
 *   mtasts-report-bench [--mb N] [--reps R]
 *
 * A report of N MB (default 10) is made with as many failure details as fit
 * (one sts policy, details cycling through result types and addresses).
 * Printed: for N/8, N/4, N/2 and N MB, the median over R runs (default 5) of
 * the reader (sized: a sizing pass, then the parse into arrays of that size;
 * parse: the parse alone, the arrays already sized) and of json_loadb +
 * json_decref, in ns per byte, and the ratios jansson / sized and jansson /
 * parse (ratio1: one pass each); and the
 * allocator calls during the reader's runs, which must be 0 (the exit status
 * says so). Times are printed, never checked: ctest runs it small for the
 * count (bench_report_smoke); run it by hand for the numbers.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc_counter.h"
#include "mtasts_report.h"

static const char head[] =
    "{\"organization-name\":\"Bench Sender\",\"date-range\":{\"start-datetime\":"
    "\"2024-05-01T00:00:00Z\",\"end-datetime\":\"2024-05-02T00:00:00Z\"},"
    "\"contact-info\":\"tlsrpt@sender.example\",\"report-id\":\"bench\",\"policies\":[{"
    "\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: "
    "testing\",\"mx: *.example.org\",\"max_age: 86400\"],\"policy-domain\":\"example.org\","
    "\"mx-host\":[\"*.example.org\"]},\"summary\":{\"total-successful-session-count\":1000,"
    "\"total-failure-session-count\":9},\"failure-details\":[";
static const char tail[] = "]}]}";
static const char *const results[] = {"certificate-expired", "starttls-not-supported",
                                      "validation-failure", "sts-policy-fetch-error"};

/* A report of about `size` bytes; its length in *len (malloc'd). */
static char *make_report(size_t size, size_t *len, size_t *details) {
  char *buf = malloc(size + 512);
  if (buf == NULL)
    return NULL;
  size_t n = strlen(head), k = 0;
  memcpy(buf, head, n);
  while (n + 400 < size) {
    n += (size_t)snprintf(buf + n, 400,
                          "%s{\"result-type\":\"%s\",\"sending-mta-ip\":\"192.0.2.%zu\","
                          "\"receiving-mx-hostname\":\"mx%zu.example.org\",\"receiving-ip\":"
                          "\"2001:db8::%zx\",\"failed-session-count\":%zu,"
                          "\"failure-reason-code\":\"X509_V_ERR_%zu\"}",
                          k ? "," : "", results[k % 4], k % 256, k % 7, k % 65536, k % 1000 + 1, k);
    k++;
  }
  memcpy(buf + n, tail, sizeof tail - 1);
  *len = n + sizeof tail - 1;
  *details = k;
  return buf;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static mtasts_report_work work;

/* One reader run: sizing pass, then the parse. Returns the code. */
static mtasts_report_code read_once(const char *json, size_t len, mtasts_report_policy *pol,
                                    mtasts_report_detail *det, size_t cap_det) {
  mtasts_report r;
  mtasts_report_init(&r, &work, NULL, 0, NULL, 0);
  (void)mtasts_report_parse(json, len, NULL, &r);
  if (r.policy_needed > 1 || r.detail_needed > cap_det)
    return MTASTS_E_REPORT_DETAIL_CAPACITY;
  mtasts_report_init(&r, &work, pol, 1, det, cap_det);
  return mtasts_report_parse(json, len, NULL, &r);
}

typedef struct result {
  uint64_t reader_ns, parse_ns, jansson_ns;
  size_t allocs;
  bool ok;
} result;

static result measure(const char *json, size_t len, size_t details, int reps) {
  result out = {0, 0, 0, 0, true};
  mtasts_report_policy pol[1];
  mtasts_report_detail *det = malloc((details + 1) * sizeof *det);
  uint64_t *t = malloc((size_t)reps * 3 * sizeof *t);
  if (det == NULL || t == NULL) {
    out.ok = false;
    free(det);
    free(t);
    return out;
  }
  for (int i = 0; i < reps; i++) {
    size_t before = alloc_counter_calls();
    uint64_t t0 = now_ns();
    out.ok &= read_once(json, len, pol, det, details + 1) == MTASTS_REPORT_OK;
    uint64_t t1 = now_ns();
    /* The parse alone, its arrays already the right size. */
    mtasts_report r;
    mtasts_report_init(&r, &work, pol, 1, det, details + 1);
    out.ok &= mtasts_report_parse(json, len, NULL, &r) == MTASTS_REPORT_OK;
    uint64_t t2 = now_ns();
    out.allocs += alloc_counter_calls() - before;
    json_t *doc = json_loadb(json, len, 0, NULL);
    out.ok &= doc != NULL;
    json_decref(doc); /* a DOM is built and freed: both are its cost */
    uint64_t t3 = now_ns();
    t[i] = t1 - t0;
    t[reps + i] = t3 - t2;
    t[2 * reps + i] = t2 - t1;
  }
  qsort(t, (size_t)reps, sizeof *t, cmp_u64);
  qsort(t + reps, (size_t)reps, sizeof *t, cmp_u64);
  qsort(t + 2 * reps, (size_t)reps, sizeof *t, cmp_u64);
  out.reader_ns = t[reps / 2];
  out.parse_ns = t[2 * reps + reps / 2];
  out.jansson_ns = t[reps + reps / 2];
  free(det);
  free(t);
  return out;
}

int main(int argc, char **argv) {
  size_t mb = 10;
  int reps = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--mb") == 0)
      mb = (size_t)strtoul(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--reps") == 0)
      reps = atoi(argv[i + 1]);
  }
  if (mb < 1 || mb > 15 || reps < 1) {
    fputs("usage: mtasts-report-bench [--mb 1..15] [--reps N]\n", stderr);
    return 2;
  }
  size_t total_allocs = 0;
  bool ok = true;
  printf("%10s %9s %12s %12s %13s %7s %7s\n", "bytes", "details", "sized ns/B", "parse ns/B",
         "jansson ns/B", "ratio", "ratio1");
  for (size_t div = 8; div >= 1; div /= 2) {
    size_t len, details;
    char *json = make_report(mb * 1024 * 1024 / div, &len, &details);
    if (json == NULL)
      return 2;
    result r = measure(json, len, details, reps);
    free(json);
    ok &= r.ok;
    total_allocs += r.allocs;
    printf("%10zu %9zu %12.2f %12.2f %13.2f %6.1fx %6.1fx\n", len, details,
           (double)r.reader_ns / (double)len, (double)r.parse_ns / (double)len,
           (double)r.jansson_ns / (double)len,
           r.reader_ns ? (double)r.jansson_ns / (double)r.reader_ns : 0.0,
           r.parse_ns ? (double)r.jansson_ns / (double)r.parse_ns : 0.0);
  }
  printf("allocator calls during the reader's runs: %zu\n", total_allocs);
  if (!ok)
    puts("FAIL: a report was not read (reader or jansson)");
  return ok && total_allocs == 0 ? 0 : 1;
}
