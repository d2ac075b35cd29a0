/*
 * alloc_count.c - the bench binary counts allocations with the same
 * interposed allocator as parser/tests/test_alloc.c (alloc_counter.c, linked
 * in by bench/CMakeLists.txt). The benchmark reads the count around its parse
 * loops: any call there is a broken zero-allocation promise. Not built under
 * ASan, which owns malloc (alloc_none.c takes its place).
 */
#include "bench.h"

#include "alloc_counter.h"

bool bench_alloc_counting(void) {
  return true;
}

size_t bench_alloc_calls(void) {
  return alloc_counter_calls();
}
