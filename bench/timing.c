/*
 * timing.c - repeated timed blocks with clock_gettime(CLOCK_MONOTONIC).
 *
 * One block runs the operation `iters` times, with iters calibrated so that
 * a block lasts about plan->block_ns: long enough that the clock's
 * resolution and the cost of reading it vanish, short enough that many
 * blocks fit and their median is robust against a noisy, shared machine.
 *
 * A block during which the thread was not running all the time (its CPU
 * time, CLOCK_THREAD_CPUTIME_ID, is under 95 % of the wall time) measured
 * the machine's other work, not ours: it is run again, a few times at most,
 * and counted as rejected. On a quiet machine nothing is rejected; on a
 * loaded one this keeps the medians from drifting with the load.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, CLOCK_THREAD_CPUTIME_ID */

#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Where every loop's checksum goes: a volatile store the compiler must keep. */
static volatile uint64_t sink;

static uint64_t clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_now_ns(void) {
  return clock_ns(CLOCK_MONOTONIC);
}

typedef struct block_time {
  uint64_t wall_ns;
  uint64_t cpu_ns;
} block_time;

/* Run one block; returns its wall and CPU time and adds its allocator calls. */
static block_time run_block(bench_subject *s, size_t iters, size_t *allocs) {
  size_t calls_before = bench_alloc_calls();
  uint64_t cpu_start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
  uint64_t start = bench_now_ns();
  sink += s->loop(s->ctx, iters);
  block_time t;
  t.wall_ns = bench_now_ns() - start;
  t.cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
  s->calls += iters;
  if (s->counts_allocations)
    *allocs += bench_alloc_calls() - calls_before;
  return t;
}

static bool ran_undisturbed(block_time t) {
  return t.cpu_ns * 100 >= t.wall_ns * 95;
}

/* Attempts at an undisturbed block; fewer when one block is long (a slow
 * subject), so that a loaded machine cannot stretch the run much. */
#define BENCH_MAX_ATTEMPTS 8
#define BENCH_MAX_ATTEMPTS_LONG 2

/* Grow iters until a block really lasts about block_ns. The growth factor
 * is estimated from the last block but capped, so that one block slowed by
 * a cold cache or a page fault only delays calibration, never ends it early.
 * The block's CPU time is what counts: time spent descheduled is not the
 * block's. */
static size_t calibrate(bench_subject *s, uint64_t block_ns, size_t *allocs) {
  size_t iters = 1;
  for (;;) {
    block_time t = run_block(s, iters, allocs);
    uint64_t elapsed = t.cpu_ns < t.wall_ns ? t.cpu_ns : t.wall_ns;
    if (elapsed >= block_ns - block_ns / 10)
      return iters;
    double factor = elapsed > 0 ? 1.1 * (double)block_ns / (double)elapsed : 100.0;
    factor = factor > 100.0 ? 100.0 : factor < 1.1 ? 1.1 : factor;
    iters = (size_t)((double)iters * factor) + 1;
  }
}

static void warm_up(bench_subject *s, uint64_t warmup_ns, size_t *allocs) {
  uint64_t spent = 0;
  while (spent < warmup_ns)
    spent += run_block(s, s->iters, allocs).wall_ns;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a;
  double y = *(const double *)b;
  return (x > y) - (x < y);
}

static bench_stats stats_of(const double *samples, size_t n) {
  double sorted[BENCH_MAX_BLOCKS];
  memcpy(sorted, samples, n * sizeof sorted[0]);
  qsort(sorted, n, sizeof sorted[0], compare_doubles);
  bench_stats st;
  st.min_ns = sorted[0];
  st.max_ns = sorted[n - 1];
  st.median_ns = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  return st;
}

void bench_measure(const bench_plan *plan, bench_subject *subjects, size_t count,
                   size_t *parse_allocs) {
  size_t blocks = plan->blocks;
  if (blocks == 0)
    blocks = 1;
  if (blocks > BENCH_MAX_BLOCKS)
    blocks = BENCH_MAX_BLOCKS;
  *parse_allocs = 0;
  for (size_t i = 0; i < count; i++) {
    subjects[i].calls = 0;
    subjects[i].rejected = 0;
    subjects[i].iters = calibrate(&subjects[i], plan->block_ns, parse_allocs);
    warm_up(&subjects[i], plan->warmup_ns, parse_allocs);
    subjects[i].samples_taken = 0;
  }
  for (size_t b = 0; b < blocks; b++) {
    for (size_t i = 0; i < count; i++) {
      bench_subject *s = &subjects[i];
      block_time t = run_block(s, s->iters, parse_allocs);
      int attempts = t.wall_ns > 2 * plan->block_ns ? BENCH_MAX_ATTEMPTS_LONG : BENCH_MAX_ATTEMPTS;
      for (int a = 1; a < attempts && !ran_undisturbed(t); a++) {
        s->rejected++;
        t = run_block(s, s->iters, parse_allocs);
      }
      s->samples[s->samples_taken++] = (double)t.wall_ns / (double)s->iters;
    }
  }
  for (size_t i = 0; i < count; i++)
    subjects[i].stats = stats_of(subjects[i].samples, subjects[i].samples_taken);
}
