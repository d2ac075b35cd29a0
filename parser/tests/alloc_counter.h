/*
 * alloc_counter.h - an allocator that counts. Linking alloc_counter.c into an
 * executable defines malloc, calloc, realloc, reallocarray, free and the
 * aligned variants there: every allocation in the process, from the library,
 * from glibc on its behalf or from anything else, lands in it first, is
 * counted and is forwarded to glibc's own allocator. Compare counts around
 * a call to prove it did not allocate. Not for sanitizer builds (ASan owns
 * malloc). Shared by parser/tests/test_alloc.c and bench/.
 */
#ifndef MTASTS_ALLOC_COUNTER_H
#define MTASTS_ALLOC_COUNTER_H

#include <stddef.h>

/* Calls to any allocator function so far, free included: releasing memory
 * the library did not allocate would be just as wrong. */
size_t alloc_counter_calls(void);

#ifdef fail_msg
/* In a cmocka test: run one statement and fail if the allocator was
 * entered meanwhile. */
#define NO_ALLOC(stmt)                                                                             \
  do {                                                                                             \
    size_t before_ = alloc_counter_calls();                                                        \
    stmt;                                                                                          \
    size_t calls_ = alloc_counter_calls() - before_;                                               \
    if (calls_ != 0)                                                                               \
      fail_msg("%s:%d: %s entered the allocator %zu time(s)", __FILE__, __LINE__, #stmt, calls_);  \
  } while (0)
#endif

#endif
