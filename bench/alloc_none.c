/*
 * alloc_none.c - stands in for alloc_count.c in sanitizer builds: ASan owns
 * malloc there, so the allocator cannot be interposed and the benchmark
 * reports the count as unavailable instead of a false 0.
 */
#include "bench.h"

bool bench_alloc_counting(void) {
  return false;
}

size_t bench_alloc_calls(void) {
  return 0;
}
