/*
 * inputs.c - the benchmark inputs of issue 7, generated here so that the C
 * program, the peer drivers (which read the files bench_inputs_emit writes)
 * and the README all time the very same bytes.
 */
#define _POSIX_C_SOURCE 200809L /* mkdir */

#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const size_t bench_scaling_lines[BENCH_SCALING_POINTS] = {0, 1, 10, 100, 1000, 2700};

static const char txt_record[] = "v=STSv1; id=20160831085700Z;";
static const char tlsrpt_record[] = "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x";

/* RFC 8461 section 3.2's example policy, with CRLF line endings. */
static const char policy_typical[] = "version: STSv1\r\n"
                                     "mode: enforce\r\n"
                                     "mx: mail.example.com\r\n"
                                     "mx: *.example.net\r\n"
                                     "mx: backupmx.example.com\r\n"
                                     "max_age: 604800\r\n";

/* The 64k policy: enforce, so that mx lines are required. */
static const char policy_64k_head[] = "version: STSv1\nmode: enforce\nmax_age: 604800\n";

/* The scaling series uses mode none so that its 0-line base is exactly the
 * same policy without its mx lines (none still parses and checks every mx). */
static const char policy_scaling_head[] = "version: STSv1\nmode: none\nmax_age: 604800\n";

static const char mx_line_head[] = "mx: mx"; /* then 4 decimal digits */
static const char mx_line_tail[] = ".example.com\n";
#define MX_LINE_LEN (sizeof mx_line_head - 1 + 4 + sizeof mx_line_tail - 1)

static char policy_64k[MTASTS_POLICY_MAX_SIZE];
static char policy_scaling[BENCH_SCALING_POINTS][MTASTS_POLICY_MAX_SIZE];
static char scaling_names[BENCH_SCALING_POINTS][24];
static char last_host[32];

/* head, then mx lines "mx: mxNNNN.example.com" LF: `lines` of them, or as
 * many as fit in MTASTS_POLICY_MAX_SIZE when lines is SIZE_MAX. Returns the
 * length; *written receives the number of mx lines. */
static size_t build_policy(char *dst, const char *head, size_t lines, size_t *written) {
  size_t len = strlen(head);
  memcpy(dst, head, len);
  size_t n = 0;
  /* 65536 / MX_LINE_LEN < 10000: four digits always suffice. */
  while (n < lines && len + MX_LINE_LEN <= MTASTS_POLICY_MAX_SIZE) {
    char *line = dst + len;
    memcpy(line, mx_line_head, sizeof mx_line_head - 1);
    line += sizeof mx_line_head - 1;
    for (size_t digit = 0, scale = 1000; digit < 4; digit++, scale /= 10)
      *line++ = (char)('0' + n / scale % 10);
    memcpy(line, mx_line_tail, sizeof mx_line_tail - 1);
    len += MX_LINE_LEN;
    n++;
  }
  *written = n;
  return len;
}

static bench_input *add(bench_input_set *set, const char *name, bench_kind kind, const char *bytes,
                        size_t len) {
  bench_input *in = &set->items[set->count++];
  memset(in, 0, sizeof *in);
  in->name = name;
  in->kind = kind;
  in->bytes = bytes;
  in->len = len;
  return in;
}

void bench_inputs_build(bench_input_set *set) {
  set->count = 0;
  add(set, "txt", BENCH_TXT, txt_record, sizeof txt_record - 1);

  bench_input *typical =
      add(set, "policy-typical", BENCH_POLICY, policy_typical, sizeof policy_typical - 1);
  typical->mx_lines = 3;

  size_t lines = 0;
  size_t len = build_policy(policy_64k, policy_64k_head, SIZE_MAX, &lines);
  add(set, "policy-64k", BENCH_POLICY, policy_64k, len)->mx_lines = lines;

  /* Worst case for matching: only the last pattern matches. */
  snprintf(last_host, sizeof last_host, "mx%04zu.example.com", lines - 1);
  bench_input *match = add(set, "mx-match", BENCH_MX_MATCH, policy_64k, len);
  match->policy_name = "policy-64k";
  match->host = last_host;
  match->host_len = strlen(last_host);
  match->mx_lines = lines;

  add(set, "tlsrpt", BENCH_TLSRPT, tlsrpt_record, sizeof tlsrpt_record - 1);

  for (size_t i = 0; i < BENCH_SCALING_POINTS; i++) {
    snprintf(scaling_names[i], sizeof scaling_names[i], "policy-mx%zu", bench_scaling_lines[i]);
    len = build_policy(policy_scaling[i], policy_scaling_head, bench_scaling_lines[i], &lines);
    bench_input *in = add(set, scaling_names[i], BENCH_POLICY, policy_scaling[i], len);
    in->mx_lines = lines;
    in->scaling = true;
  }
}

const char *bench_kind_name(bench_kind kind) {
  switch (kind) {
  case BENCH_TXT:
    return "txt";
  case BENCH_POLICY:
    return "policy";
  case BENCH_MX_MATCH:
    return "mx-match";
  case BENCH_TLSRPT:
    return "tlsrpt";
  }
  return "unknown";
}

static int write_file(const char *dir, const char *name, const char *bytes, size_t len) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
    fprintf(stderr, "mtasts-bench: path too long: %s/%s\n", dir, name);
    return -1;
  }
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "mtasts-bench: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

int bench_inputs_emit(const bench_input_set *set, const char *dir) {
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "mtasts-bench: cannot create %s: %s\n", dir, strerror(errno));
    return -1;
  }
  static const char header[] = "# name kind file mx_lines scaling [policy file]\n";
  char manifest[4096];
  size_t used = sizeof header - 1;
  memcpy(manifest, header, used);
  for (size_t i = 0; i < set->count; i++) {
    const bench_input *in = &set->items[i];
    char file[64];
    snprintf(file, sizeof file, "%s.in", in->name);
    /* mx-match's file holds the host; the policy is its own input's file. */
    const char *bytes = in->kind == BENCH_MX_MATCH ? in->host : in->bytes;
    size_t len = in->kind == BENCH_MX_MATCH ? in->host_len : in->len;
    if (write_file(dir, file, bytes, len) != 0)
      return -1;
    char line[256];
    int n = snprintf(
        line, sizeof line, "%s %s %s %zu %d%s%s%s\n", in->name, bench_kind_name(in->kind), file,
        in->mx_lines, in->scaling ? 1 : 0, in->policy_name != NULL ? " " : "",
        in->policy_name != NULL ? in->policy_name : "", in->policy_name != NULL ? ".in" : "");
    if (n < 0 || (size_t)n >= sizeof line || used + (size_t)n > sizeof manifest) {
      fprintf(stderr, "mtasts-bench: manifest too long\n");
      return -1;
    }
    memcpy(manifest + used, line, (size_t)n);
    used += (size_t)n;
  }
  return write_file(dir, "manifest.txt", manifest, used);
}
