/*
 * alloc_count.c - the bench binary's own allocator: every malloc, calloc,
 * realloc, free (and the aligned variants) in the process lands here first,
 * is counted and is forwarded to glibc, as in parser/tests/test_alloc.c.
 * The benchmark reads the count around its parse loops: any call there is a
 * broken zero-allocation promise. Not built under ASan, which owns malloc
 * (alloc_none.c takes its place).
 */
#define _DEFAULT_SOURCE 1 /* memalign, valloc, pvalloc, reallocarray */

#include "bench.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static volatile size_t calls;

bool bench_alloc_counting(void) {
  return true;
}

size_t bench_alloc_calls(void) {
  return calls;
}

void *malloc(size_t size) {
  calls++;
  return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
  calls++;
  return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
  calls++;
  return __libc_realloc(ptr, size);
}

void *reallocarray(void *ptr, size_t count, size_t size) {
  calls++;
  if (size != 0 && count > SIZE_MAX / size) {
    errno = ENOMEM;
    return NULL;
  }
  return __libc_realloc(ptr, count * size);
}

void free(void *ptr) {
  calls++;
  __libc_free(ptr);
}

void *aligned_alloc(size_t alignment, size_t size) {
  calls++;
  return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
  calls++;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  calls++;
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
    return EINVAL;
  void *p = __libc_memalign(alignment, size);
  if (p == NULL)
    return ENOMEM;
  *out = p;
  return 0;
}

void *valloc(size_t size) {
  calls++;
  return __libc_valloc(size);
}

void *pvalloc(size_t size) {
  calls++;
  return __libc_pvalloc(size);
}
