/*
 * main.c - mtasts-bench: our parser against the two baselines on the inputs
 * of issue 7, then the scaling series, the memory figures and the targets.
 *
 * Every measurement is one line
 *   BENCH input=<input> impl=<impl> ns_per_op=<median> gbps=<value> ratio=<x>
 * (ratio: ns_per_op over the same run's memchr baseline on that input), and
 * a readable table follows. The program prints figures; it never judges
 * them by its exit status, except for the two things that are not timings:
 * a parse that does not give the expected result, and an allocator call
 * inside a parse loop.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BENCH_SU_DIR
#define BENCH_SU_DIR NULL
#endif
#ifndef BENCH_BUILD_TYPE
#define BENCH_BUILD_TYPE "unknown"
#endif
#ifdef __clang__
#define BENCH_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define BENCH_COMPILER "gcc " __VERSION__
#else
#define BENCH_COMPILER "unknown compiler"
#endif

/* ------------------------------------------------------------------ */
/* What is timed                                                       */
/* ------------------------------------------------------------------ */

enum { IMPL_STRICT, IMPL_LENIENT, IMPL_MEMCHR, IMPL_BYTECLASS, IMPL_COUNT };
static const char *const impl_names[IMPL_COUNT] = {"mtasts-strict", "mtasts-lenient", "memchr",
                                                   "byteclass"};

typedef struct parse_ctx {
  const bench_input *in;
  mtasts_options opt;
  mtasts_policy *policy; /* policy: the output; mx-match: the parsed policy searched */
} parse_ctx;

/* Pattern storage for the largest policy, per profile: one array for the
 * policies parsed in the loop, one for the policy mx-match searches. */
static mtasts_mx parse_mx[2][MTASTS_POLICY_MAX_MX];
static mtasts_mx match_mx[2][MTASTS_POLICY_MAX_MX];
static mtasts_ext parse_ext[2][MTASTS_MAX_EXTENSIONS];
static mtasts_ext match_ext[2][MTASTS_MAX_EXTENSIONS];
static mtasts_policy parse_policy[2];
static mtasts_policy match_policy[2];

static uint64_t loop_txt(void *vctx, size_t iters) {
  const parse_ctx *ctx = vctx;
  mtasts_txt out;
  mtasts_ext out_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_txt_init(&out, out_ext, MTASTS_MAX_EXTENSIONS);
  uint64_t sum = 0;
  for (size_t i = 0; i < iters; i++) {
    sum += (uint64_t)mtasts_txt_parse(ctx->in->bytes, ctx->in->len, &ctx->opt, &out);
    sum += out.id.len;
  }
  return sum;
}

static uint64_t loop_tlsrpt(void *vctx, size_t iters) {
  const parse_ctx *ctx = vctx;
  mtasts_tlsrpt out;
  mtasts_rua out_rua[MTASTS_MAX_RUA];
  mtasts_ext out_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_tlsrpt_init(&out, out_rua, MTASTS_MAX_RUA, out_ext, MTASTS_MAX_EXTENSIONS);
  uint64_t sum = 0;
  for (size_t i = 0; i < iters; i++) {
    sum += (uint64_t)mtasts_tlsrpt_parse(ctx->in->bytes, ctx->in->len, &ctx->opt, &out);
    sum += out.rua_count;
  }
  return sum;
}

static uint64_t loop_policy(void *vctx, size_t iters) {
  parse_ctx *ctx = vctx;
  uint64_t sum = 0;
  for (size_t i = 0; i < iters; i++) {
    sum += (uint64_t)mtasts_policy_parse(ctx->in->bytes, ctx->in->len, &ctx->opt, ctx->policy);
    sum += ctx->policy->mx_count;
  }
  return sum;
}

static uint64_t loop_mx_match(void *vctx, size_t iters) {
  const parse_ctx *ctx = vctx;
  uint64_t sum = 0;
  for (size_t i = 0; i < iters; i++)
    sum += (uint64_t)mtasts_policy_match(ctx->policy, ctx->in->host, ctx->in->host_len);
  return sum;
}

/* The baselines split policies into lines and TXT records into fields. */
static char delimiter_of(const bench_input *in) {
  return in->kind == BENCH_TXT || in->kind == BENCH_TLSRPT ? ';' : '\n';
}

static uint64_t loop_memchr(void *vctx, size_t iters) {
  const parse_ctx *ctx = vctx;
  char delim = delimiter_of(ctx->in);
  uint64_t sum = 0;
  for (size_t i = 0; i < iters; i++)
    sum += baseline_memchr_split(ctx->in->bytes, ctx->in->len, delim);
  return sum;
}

static uint64_t loop_byteclass(void *vctx, size_t iters) {
  const parse_ctx *ctx = vctx;
  uint64_t sum = 0;
  for (size_t i = 0; i < iters; i++)
    sum += baseline_byteclass(ctx->in->bytes, ctx->in->len);
  return sum;
}

static bench_loop parser_loop(bench_kind kind) {
  switch (kind) {
  case BENCH_TXT:
    return loop_txt;
  case BENCH_TLSRPT:
    return loop_tlsrpt;
  case BENCH_POLICY:
    return loop_policy;
  case BENCH_MX_MATCH:
    return loop_mx_match;
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Before timing: the parse must give the expected result              */
/* ------------------------------------------------------------------ */

static const char expected_id[] = "20160831085700Z";

/* Returns NULL when the parse is as expected, else what is wrong. */
static const char *check_result(parse_ctx *ctx, char *why, size_t cap) {
  const bench_input *in = ctx->in;
  mtasts_code rc = MTASTS_OK;
  switch (in->kind) {
  case BENCH_TXT: {
    mtasts_txt t;
    mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
    mtasts_txt_init(&t, t_ext, MTASTS_MAX_EXTENSIONS);
    rc = mtasts_txt_parse(in->bytes, in->len, &ctx->opt, &t);
    if (rc == MTASTS_OK && (t.id.len != sizeof expected_id - 1 ||
                            memcmp(t.id.ptr, expected_id, sizeof expected_id - 1) != 0))
      snprintf(why, cap, "id is not %s", expected_id);
    break;
  }
  case BENCH_TLSRPT: {
    mtasts_tlsrpt t;
    mtasts_rua t_rua[MTASTS_MAX_RUA];
    mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS];
    mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
    rc = mtasts_tlsrpt_parse(in->bytes, in->len, &ctx->opt, &t);
    if (rc == MTASTS_OK && t.rua_count != 2)
      snprintf(why, cap, "%zu rua URIs instead of 2", t.rua_count);
    break;
  }
  case BENCH_POLICY:
    rc = mtasts_policy_parse(in->bytes, in->len, &ctx->opt, ctx->policy);
    if (rc == MTASTS_OK && ctx->policy->mx_count != in->mx_lines)
      snprintf(why, cap, "%zu mx patterns instead of %zu", ctx->policy->mx_count, in->mx_lines);
    break;
  case BENCH_MX_MATCH: {
    long index = mtasts_policy_match(ctx->policy, in->host, in->host_len);
    if (index != (long)in->mx_lines - 1)
      snprintf(why, cap, "host matched pattern %ld instead of the last, %zu", index,
               in->mx_lines - 1);
    break;
  }
  }
  if (rc != MTASTS_OK)
    snprintf(why, cap, "%s at offset %zu", mtasts_errname(rc),
             in->kind == BENCH_POLICY ? ctx->policy->err_offset : (size_t)0);
  return why[0] != '\0' ? why : NULL;
}

/* mx-match searches the policy of its own input, parsed once per profile. */
static bool prepare_match_policy(const bench_input_set *set, const bench_input *in, int profile,
                                 parse_ctx *ctx) {
  for (size_t i = 0; i < set->count; i++) {
    const bench_input *p = &set->items[i];
    if (strcmp(p->name, in->policy_name) != 0)
      continue;
    mtasts_policy_init(&match_policy[profile], match_mx[profile], MTASTS_POLICY_MAX_MX,
                       match_ext[profile], MTASTS_MAX_EXTENSIONS);
    mtasts_code rc = mtasts_policy_parse(p->bytes, p->len, &ctx->opt, &match_policy[profile]);
    if (rc != MTASTS_OK) {
      fprintf(stderr, "mtasts-bench: %s: its policy %s fails: %s\n", in->name, p->name,
              mtasts_errname(rc));
      return false;
    }
    ctx->policy = &match_policy[profile];
    return true;
  }
  fprintf(stderr, "mtasts-bench: %s: no input named %s\n", in->name, in->policy_name);
  return false;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

typedef struct result {
  const bench_input *in;
  const char *impl;
  bench_stats st;
  size_t iters;
  size_t rejected;
} result;

#define MAX_RESULTS (BENCH_MAX_INPUTS * IMPL_COUNT)

typedef struct run_state {
  bench_plan plan;
  result results[MAX_RESULTS];
  size_t result_count;
  size_t parse_allocs;
  uint64_t parse_calls;
  bool failed;
} run_state;

static const result *find_result(const run_state *rs, const char *input, const char *impl) {
  for (size_t i = 0; i < rs->result_count; i++)
    if (strcmp(rs->results[i].in->name, input) == 0 && strcmp(rs->results[i].impl, impl) == 0)
      return &rs->results[i];
  return NULL;
}

static double ratio_to(const run_state *rs, const result *r, const char *base_impl) {
  const result *base = find_result(rs, r->in->name, base_impl);
  return base != NULL && base->st.median_ns > 0 ? r->st.median_ns / base->st.median_ns : 0.0;
}

static void print_bench_line(const run_state *rs, const result *r) {
  printf("BENCH input=%s impl=%s ns_per_op=%.1f gbps=%.3f ratio=%.2f\n", r->in->name, r->impl,
         r->st.median_ns, (double)r->in->len / r->st.median_ns, ratio_to(rs, r, "memchr"));
}

/* The spread behind a BENCH line's median. */
static void print_stats_line(const run_state *rs, const result *r) {
  printf("STATS input=%s impl=%s min_ns=%.1f max_ns=%.1f blocks=%zu calls_per_block=%zu "
         "rejected_blocks=%zu\n",
         r->in->name, r->impl, r->st.min_ns, r->st.max_ns, rs->plan.blocks, r->iters, r->rejected);
}

/* Time one input: both profiles of our parser and both baselines. */
static void bench_one_input(run_state *rs, const bench_input_set *set, const bench_input *in) {
  parse_ctx ctx[IMPL_COUNT];
  bench_subject subjects[IMPL_COUNT];
  memset(ctx, 0, sizeof ctx);
  memset(subjects, 0, sizeof subjects);
  for (int i = 0; i < IMPL_COUNT; i++) {
    ctx[i].in = in;
    subjects[i].impl = impl_names[i];
    subjects[i].ctx = &ctx[i];
  }
  for (int profile = 0; profile < 2; profile++) {
    parse_ctx *c = &ctx[profile];
    c->opt.profile = profile == 0 ? MTASTS_STRICT : MTASTS_LENIENT;
    mtasts_policy_init(&parse_policy[profile], parse_mx[profile], MTASTS_POLICY_MAX_MX,
                       parse_ext[profile], MTASTS_MAX_EXTENSIONS);
    c->policy = &parse_policy[profile];
    if (in->kind == BENCH_MX_MATCH && !prepare_match_policy(set, in, profile, c)) {
      rs->failed = true;
      return;
    }
    char why[160] = "";
    if (check_result(c, why, sizeof why) != NULL) {
      fprintf(stderr, "mtasts-bench: %s %s: %s\n", in->name, impl_names[profile], why);
      rs->failed = true;
      return;
    }
    subjects[profile].loop = parser_loop(in->kind);
    subjects[profile].counts_allocations = true;
  }
  subjects[IMPL_MEMCHR].loop = loop_memchr;
  subjects[IMPL_BYTECLASS].loop = loop_byteclass;

  size_t allocs = 0;
  bench_measure(&rs->plan, subjects, IMPL_COUNT, &allocs);
  rs->parse_allocs += allocs;
  for (int i = 0; i < IMPL_COUNT; i++) {
    if (subjects[i].counts_allocations)
      rs->parse_calls += subjects[i].calls;
    result *r = &rs->results[rs->result_count++];
    r->in = in;
    r->impl = subjects[i].impl;
    r->st = subjects[i].stats;
    r->iters = subjects[i].iters;
    r->rejected = subjects[i].rejected;
  }
  for (size_t i = rs->result_count - IMPL_COUNT; i < rs->result_count; i++)
    print_bench_line(rs, &rs->results[i]);
  for (size_t i = rs->result_count - IMPL_COUNT; i < rs->result_count; i++)
    print_stats_line(rs, &rs->results[i]);
  fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Scaling: the cost of one more mx line                               */
/* ------------------------------------------------------------------ */

/* Per mx line: (t(N) - t(0)) / N, t(0) being the same policy without mx
 * lines, so that the fixed cost (call, header lines) is not spread over
 * the lines. Linear growth keeps it constant. */
static bool scaling_for(const run_state *rs, const char *impl, double per_line[]) {
  char name[32];
  snprintf(name, sizeof name, "policy-mx%zu", bench_scaling_lines[0]);
  const result *base = find_result(rs, name, impl);
  if (base == NULL)
    return false;
  for (size_t i = 1; i < BENCH_SCALING_POINTS; i++) {
    snprintf(name, sizeof name, "policy-mx%zu", bench_scaling_lines[i]);
    const result *r = find_result(rs, name, impl);
    if (r == NULL)
      return false;
    per_line[i] = (r->st.median_ns - base->st.median_ns) / (double)bench_scaling_lines[i];
    printf("SCALE impl=%s mx_lines=%zu ns_per_op=%.1f ns_per_mx_line=%.2f\n", impl,
           bench_scaling_lines[i], r->st.median_ns, per_line[i]);
  }
  return true;
}

/* Prints the LINEARITY line and sets *deviation to the largest deviation
 * of a point's per-line cost from the largest policy's, as a fraction.
 * False when the scaling series was not timed (--only). */
static bool print_linearity(const run_state *rs, const char *impl, double *deviation) {
  double per_line[BENCH_SCALING_POINTS] = {0};
  if (!scaling_for(rs, impl, per_line))
    return false;
  size_t last = BENCH_SCALING_POINTS - 1;
  double lo = per_line[1];
  double hi = per_line[1];
  double worst = 0.0;
  for (size_t i = 1; i < BENCH_SCALING_POINTS; i++) {
    lo = per_line[i] < lo ? per_line[i] : lo;
    hi = per_line[i] > hi ? per_line[i] : hi;
    double dev = per_line[last] > 0 ? per_line[i] / per_line[last] - 1.0 : 0.0;
    worst = dev * dev > worst * worst ? dev : worst;
  }
  printf("LINEARITY impl=%s smallest=%zu largest=%zu per_line_ratio=%.2f spread=%.2f "
         "worst_deviation=%+.0f%% verdict=%s\n",
         impl, bench_scaling_lines[1], bench_scaling_lines[last],
         per_line[1] > 0 ? per_line[last] / per_line[1] : 0.0, lo > 0 ? hi / lo : 0.0,
         worst * 100.0, worst <= 0.20 && worst >= -0.20 ? "linear" : "nonlinear");
  *deviation = worst;
  return true;
}

/* ------------------------------------------------------------------ */
/* Targets (issue 7), reported, never enforced                         */
/* ------------------------------------------------------------------ */

static void print_target(const run_state *rs, const char *input, const char *base_impl,
                         double limit) {
  const result *r = find_result(rs, input, "mtasts-strict");
  if (r == NULL)
    return;
  double value = ratio_to(rs, r, base_impl);
  printf("TARGET input=%s impl=mtasts-strict vs=%s ratio=%.2f limit=%.1f met=%s", input, base_impl,
         value, limit, value <= limit ? "yes" : "no");
  if (value > limit)
    printf(" over_by=%.0f%%", (value / limit - 1.0) * 100.0);
  printf("\n");
}

static void print_targets(const run_state *rs, bool scaled, double strict_deviation) {
  print_target(rs, "policy-64k", "memchr", 2.0);
  print_target(rs, "policy-64k", "byteclass", 1.3);
  print_target(rs, "policy-typical", "memchr", 4.0);
  print_target(rs, "txt", "memchr", 3.0);
  if (scaled)
    printf("TARGET scaling impl=mtasts-strict worst_deviation=%+.0f%% limit=20%% met=%s\n",
           strict_deviation * 100.0,
           strict_deviation <= 0.20 && strict_deviation >= -0.20 ? "yes" : "no");
}

/* ------------------------------------------------------------------ */
/* The readable table                                                  */
/* ------------------------------------------------------------------ */

static void print_table(const run_state *rs) {
  printf("\n%-16s %7s  %-15s %11s %11s %11s %8s %9s %9s\n", "input", "bytes", "impl", "median ns",
         "min ns", "max ns", "GB/s", "x memchr", "x bytecls");
  const bench_input *previous = NULL;
  for (size_t i = 0; i < rs->result_count; i++) {
    const result *r = &rs->results[i];
    if (previous != NULL && previous != r->in)
      printf("\n");
    printf("%-16s %7zu  %-15s %11.1f %11.1f %11.1f %8.3f %9.2f %9.2f\n",
           previous == r->in ? "" : r->in->name, r->in->len, r->impl, r->st.median_ns, r->st.min_ns,
           r->st.max_ns, (double)r->in->len / r->st.median_ns, ratio_to(rs, r, "memchr"),
           ratio_to(rs, r, "byteclass"));
    previous = r->in;
  }
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

#define MAX_ONLY 16

typedef struct args {
  bench_plan plan;
  const char *only[MAX_ONLY]; /* inputs to time; none: all */
  size_t only_count;
  const char *emit_dir;
  const char *su_dir;
  bool table;
  size_t calls;           /* --calls: untimed calls for a profiler; 0: time as usual */
  const char *calls_impl; /* --impl: which implementation --calls runs */
} args;

static void usage(FILE *to) {
  fprintf(to,
          "usage: mtasts-bench [--blocks N] [--block-ms MS] [--warmup-ms MS] [--smoke]\n"
          "                    [--only INPUT]... [--emit-inputs DIR] [--su-dir DIR] [--no-table]\n"
          "                    [--calls N [--impl IMPL]]\n"
          "  --blocks N         timed blocks per measurement (default 21, at most %d)\n"
          "  --block-ms MS      target length of one block (default 5)\n"
          "  --warmup-ms MS     untimed running before the blocks (default 50)\n"
          "  --smoke            3 tiny blocks, no warm-up: checks that it runs, not speed\n"
          "  --emit-inputs DIR  also write the inputs and DIR/manifest.txt (peer drivers)\n"
          "  --su-dir DIR       where the library's -fstack-usage files are\n"
          "  --calls N          time nothing: N calls on each input, for a profiler such as\n"
          "                     callgrind (bench/README.md, \"Where the time goes\")\n"
          "  --impl IMPL        what --calls runs: mtasts-strict (default), memchr, byteclass\n",
          BENCH_MAX_BLOCKS);
}

static bool number_arg(const char *text, double lo, double hi, double *out) {
  char *end = NULL;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= lo && v <= hi))
    return false;
  *out = v;
  return true;
}

static int parse_args(int argc, char **argv, args *a) {
  a->plan.blocks = 21;
  a->plan.block_ns = 5000000;
  a->plan.warmup_ns = 50000000;
  a->only_count = 0;
  a->emit_dir = NULL;
  a->su_dir = BENCH_SU_DIR;
  a->table = true;
  a->calls = 0;
  a->calls_impl = impl_names[IMPL_STRICT];
  for (int i = 1; i < argc; i++) {
    const char *opt = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    double v = 0;
    if (strcmp(opt, "--smoke") == 0) {
      a->plan.blocks = 3;
      a->plan.block_ns = 20000;
      a->plan.warmup_ns = 0;
    } else if (strcmp(opt, "--no-table") == 0) {
      a->table = false;
    } else if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
      usage(stdout);
      exit(0);
    } else if (val == NULL) {
      fprintf(stderr, "mtasts-bench: %s: unknown option or missing value\n", opt);
      return -1;
    } else if (strcmp(opt, "--blocks") == 0 && number_arg(val, 1, BENCH_MAX_BLOCKS, &v)) {
      a->plan.blocks = (size_t)v;
      i++;
    } else if (strcmp(opt, "--block-ms") == 0 && number_arg(val, 0.001, 10000, &v)) {
      a->plan.block_ns = (uint64_t)(v * 1e6);
      i++;
    } else if (strcmp(opt, "--warmup-ms") == 0 && number_arg(val, 0, 100000, &v)) {
      a->plan.warmup_ns = (uint64_t)(v * 1e6);
      i++;
    } else if (strcmp(opt, "--only") == 0 && a->only_count < MAX_ONLY) {
      a->only[a->only_count++] = val;
      i++;
    } else if (strcmp(opt, "--emit-inputs") == 0) {
      a->emit_dir = val;
      i++;
    } else if (strcmp(opt, "--su-dir") == 0) {
      a->su_dir = val;
      i++;
    } else if (strcmp(opt, "--calls") == 0 && number_arg(val, 1, 1e9, &v)) {
      a->calls = (size_t)v;
      i++;
    } else if (strcmp(opt, "--impl") == 0 && (strcmp(val, impl_names[IMPL_STRICT]) == 0 ||
                                              strcmp(val, impl_names[IMPL_MEMCHR]) == 0 ||
                                              strcmp(val, impl_names[IMPL_BYTECLASS]) == 0)) {
      a->calls_impl = val;
      i++;
    } else {
      fprintf(stderr, "mtasts-bench: %s %s: bad option or value\n", opt, val);
      return -1;
    }
  }
  return 0;
}

static bool selected(const args *a, const bench_input *in) {
  if (a->only_count == 0)
    return true;
  for (size_t i = 0; i < a->only_count; i++)
    if (strcmp(a->only[i], in->name) == 0)
      return true;
  return false;
}

/* --calls: the loop of each selected input, untimed, with the strict
 * profile or a baseline. A profiler's count over two runs of N and 2N
 * calls, divided by N, is the cost of one call without the start-up. */
static int run_calls(const bench_input_set *set, const args *a) {
  for (size_t i = 0; i < set->count; i++) {
    const bench_input *in = &set->items[i];
    if (!selected(a, in))
      continue;
    parse_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.in = in;
    ctx.opt.profile = MTASTS_STRICT;
    mtasts_policy_init(&parse_policy[0], parse_mx[0], MTASTS_POLICY_MAX_MX, parse_ext[0],
                       MTASTS_MAX_EXTENSIONS);
    ctx.policy = &parse_policy[0];
    if (in->kind == BENCH_MX_MATCH && !prepare_match_policy(set, in, 0, &ctx))
      return 1;
    char why[160] = "";
    if (check_result(&ctx, why, sizeof why) != NULL) {
      fprintf(stderr, "mtasts-bench: %s: %s\n", in->name, why);
      return 1;
    }
    bench_loop loop = parser_loop(in->kind);
    if (strcmp(a->calls_impl, impl_names[IMPL_MEMCHR]) == 0)
      loop = loop_memchr;
    else if (strcmp(a->calls_impl, impl_names[IMPL_BYTECLASS]) == 0)
      loop = loop_byteclass;
    uint64_t sum = loop(&ctx, a->calls);
    printf("CALLS input=%s impl=%s calls=%zu checksum=%llu\n", in->name, a->calls_impl, a->calls,
           (unsigned long long)sum);
  }
  return 0;
}

/* A count of 0 proves nothing unless the counter sees allocations: call the
 * allocator through volatile pointers (so that the compiler cannot elide
 * the pair) and check that both calls were counted. */
static bool allocation_counter_works(void) {
  void *(*volatile allocate)(size_t) = malloc;
  void (*volatile release)(void *) = free;
  size_t before = bench_alloc_calls();
  release(allocate(16));
  return bench_alloc_calls() - before == 2;
}

static void print_memory(const run_state *rs, const char *su_dir) {
  printf("MEM peak_rss_kb=%ld\n", bench_peak_rss_kb());
  bench_print_struct_sizes();
  bench_print_worst_frame(su_dir);
  if (bench_alloc_counting())
    printf("ALLOC heap_calls_during_parse=%zu parse_calls=%llu counter_check=%s\n",
           rs->parse_allocs, (unsigned long long)rs->parse_calls,
           allocation_counter_works() ? "ok" : "FAILED");
  else
    printf("ALLOC heap_calls_during_parse=unavailable parse_calls=%llu (the sanitizer owns "
           "malloc in this build)\n",
           (unsigned long long)rs->parse_calls);
}

int main(int argc, char **argv) {
  args a;
  if (parse_args(argc, argv, &a) != 0) {
    usage(stderr);
    return 2;
  }
  static bench_input_set set;
  bench_inputs_build(&set);
  if (a.emit_dir != NULL && bench_inputs_emit(&set, a.emit_dir) != 0)
    return 1;
  if (a.calls > 0)
    return run_calls(&set, &a);

  static run_state rs;
  rs.plan = a.plan;
  printf("# mtasts-bench %s: %s, %s build; %zu blocks of >= %.3f ms per measurement, "
         "interleaved across implementations, after %.0f ms warm-up; "
         "clock_gettime(CLOCK_MONOTONIC); a block with under 95%% CPU is run again\n",
         MTASTS_VERSION_STRING, BENCH_COMPILER, BENCH_BUILD_TYPE, a.plan.blocks,
         (double)a.plan.block_ns / 1e6, (double)a.plan.warmup_ns / 1e6);
  printf("# ratio = ns_per_op / memchr ns_per_op on the same input; gbps = input bytes / ns\n");
  for (size_t i = 0; i < set.count; i++)
    if (selected(&a, &set.items[i]))
      bench_one_input(&rs, &set, &set.items[i]);

  double strict_deviation = 0.0;
  double lenient_deviation = 0.0;
  bool scaled = print_linearity(&rs, "mtasts-strict", &strict_deviation);
  print_linearity(&rs, "mtasts-lenient", &lenient_deviation);
  print_memory(&rs, a.su_dir);
  print_targets(&rs, scaled, strict_deviation);
  if (a.table)
    print_table(&rs);

  if (bench_alloc_counting() && !allocation_counter_works()) {
    fprintf(stderr, "mtasts-bench: the allocation counter does not see malloc/free\n");
    return 1;
  }
  if (rs.parse_allocs != 0) {
    fprintf(stderr, "mtasts-bench: the parser entered the allocator %zu time(s)\n",
            rs.parse_allocs);
    return 1;
  }
  return rs.failed ? 1 : 0;
}
