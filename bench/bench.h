/*
 * bench.h - the pieces of mtasts-bench (bench/README.md): the generated
 * inputs, the two baselines, the block timer, the memory figures and the
 * allocation counter.
 */
#ifndef MTASTS_BENCH_H
#define MTASTS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

/* ------------------------------------------------------------------ */
/* Inputs (inputs.c)                                                   */
/* ------------------------------------------------------------------ */

typedef enum bench_kind { BENCH_TXT, BENCH_POLICY, BENCH_MX_MATCH, BENCH_TLSRPT } bench_kind;

typedef struct bench_input {
  const char *name;
  bench_kind kind;
  /* The bytes that are parsed; for mx-match, the policy whose patterns the
   * host is matched against (the baselines scan these bytes). */
  const char *bytes;
  size_t len;
  const char *policy_name; /* mx-match: the input that holds the policy */
  const char *host;        /* mx-match only */
  size_t host_len;
  size_t mx_lines; /* policies: how many mx lines */
  bool scaling;    /* one point of the scaling series */
} bench_input;

/* The lengths of the scaling series; 0 is the base policy without mx lines
 * that the per-line cost is measured against. */
#define BENCH_SCALING_POINTS 6
extern const size_t bench_scaling_lines[BENCH_SCALING_POINTS];

#define BENCH_MAX_INPUTS 16

typedef struct bench_input_set {
  bench_input items[BENCH_MAX_INPUTS];
  size_t count;
} bench_input_set;

/* Generate every input (into static storage owned by inputs.c). */
void bench_inputs_build(bench_input_set *set);

/* Write each input to DIR/<name>.in and a manifest DIR/manifest.txt, one
 * input a line: "<name> <kind> <file> <mx_lines> <scaling> [<policy file>]".
 * Returns 0, or -1 with a message on stderr. */
int bench_inputs_emit(const bench_input_set *set, const char *dir);

const char *bench_kind_name(bench_kind kind);

/* ------------------------------------------------------------------ */
/* Baselines (baselines.c, its own translation unit so that the calls  */
/* cost what a call into the library costs)                            */
/* ------------------------------------------------------------------ */

/* Split [p, p+len) at every `delim` with memchr; returns the number of
 * pieces plus the sum of their lengths, so that no work can be skipped. */
size_t baseline_memchr_split(const char *p, size_t len, char delim);

/* Look every byte up in a 256-entry class table; returns how many bytes
 * are outside the class of bytes a policy or record may hold. */
size_t baseline_byteclass(const char *p, size_t len);

/* ------------------------------------------------------------------ */
/* Timing (timing.c)                                                   */
/* ------------------------------------------------------------------ */

#define BENCH_MAX_BLOCKS 101

/* Runs the measured operation `iters` times; returns a checksum of the
 * results that the caller folds into a volatile sink. */
typedef uint64_t (*bench_loop)(void *ctx, size_t iters);

typedef struct bench_stats {
  double median_ns; /* per operation */
  double min_ns;
  double max_ns;
} bench_stats;

typedef struct bench_subject {
  const char *impl;
  bench_loop loop;
  void *ctx;
  bool counts_allocations; /* a library call: allocator calls are an error */
  /* filled by bench_measure */
  size_t iters;    /* per block */
  uint64_t calls;  /* operations run in all: calibration, warm-up, blocks */
  size_t rejected; /* blocks run again: the thread was descheduled */
  size_t samples_taken;
  double samples[BENCH_MAX_BLOCKS];
  bench_stats stats;
} bench_subject;

typedef struct bench_plan {
  size_t blocks;      /* timed blocks per subject */
  uint64_t block_ns;  /* target duration of one block */
  uint64_t warmup_ns; /* untimed running per subject before the blocks */
} bench_plan;

uint64_t bench_now_ns(void);

/* Calibrate, warm up, then time plan->blocks blocks of every subject,
 * interleaved (block b of every subject before block b+1 of any), so
 * that drift in the machine's speed affects all subjects alike. A block
 * during which the thread was descheduled is run again (timing.c).
 * *parse_allocs receives the allocator calls made inside the loops of
 * subjects with counts_allocations (0 when counting is unavailable). */
void bench_measure(const bench_plan *plan, bench_subject *subjects, size_t count,
                   size_t *parse_allocs);

/* ------------------------------------------------------------------ */
/* Memory (memory.c) and the allocation counter (alloc_count.c)         */
/* ------------------------------------------------------------------ */

long bench_peak_rss_kb(void);
void bench_print_struct_sizes(void);

/* Scan the gcc -fstack-usage files (*.su) under dir and print the worst
 * frame. Returns the number of .su files read (0: a message is printed). */
size_t bench_print_worst_frame(const char *dir);

/* Whether the allocator is interposed in this build (it is not under
 * ASan, which owns malloc), and the calls it has seen so far. */
bool bench_alloc_counting(void);
size_t bench_alloc_calls(void);

#endif
