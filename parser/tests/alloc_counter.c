/* alloc_counter.c - the counting allocator (see alloc_counter.h). */
#define _DEFAULT_SOURCE 1 /* memalign, valloc, pvalloc, reallocarray */
#include "alloc_counter.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

/* glibc's allocator under the names it exports for exactly this use. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

/* Calls to any allocator function, free included: releasing memory the
 * library did not allocate would be just as wrong. */
static volatile size_t alloc_calls;

size_t alloc_counter_calls(void) {
  return alloc_calls;
}

void *malloc(size_t size) {
  alloc_calls++;
  return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
  alloc_calls++;
  return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
  alloc_calls++;
  return __libc_realloc(ptr, size);
}

void *reallocarray(void *ptr, size_t count, size_t size) {
  alloc_calls++;
  if (size != 0 && count > SIZE_MAX / size) {
    errno = ENOMEM;
    return NULL;
  }
  return __libc_realloc(ptr, count * size);
}

void free(void *ptr) {
  alloc_calls++;
  __libc_free(ptr);
}

void *aligned_alloc(size_t alignment, size_t size) {
  alloc_calls++;
  return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
  alloc_calls++;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  alloc_calls++;
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
    return EINVAL;
  void *p = __libc_memalign(alignment, size);
  if (p == NULL)
    return ENOMEM;
  *out = p;
  return 0;
}

void *valloc(size_t size) {
  alloc_calls++;
  return __libc_valloc(size);
}

void *pvalloc(size_t size) {
  alloc_calls++;
  return __libc_pvalloc(size);
}
