/* testutil.h - shared helpers for the cmocka unit tests. */
#ifndef MTASTS_TESTUTIL_H
#define MTASTS_TESTUTIL_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mtasts.h"

/*
 * Copy `len` bytes so that the last one sits right before a PROT_NONE
 * page: any read past the end faults. The copy stays valid until the next
 * guard_copy() call on the same slot (0..GUARD_SLOTS-1). Never NULL.
 */
#define GUARD_SLOTS 8
const char *guard_copy_slot(int slot, const void *data, size_t len);
#define guard_copy(data, len) guard_copy_slot(0, (data), (len))

/* The same with the guard in front: the first byte sits right after a
 * PROT_NONE page, so any read before the start faults. One buffer, valid
 * until the next call. */
const char *guard_copy_front(const void *data, size_t len);

/* `size` writable bytes, poisoned, that end right before a PROT_NONE page
 * (in a slot of guard_copy_slot, which it replaces): for a result struct,
 * so that a callee reading or writing past its end faults. Aligned as
 * well as `size` allows (every struct size is a multiple of its
 * alignment). */
void *guard_object(int slot, size_t size);

/* Fill an object with a recognisable non-zero pattern before a call, to
 * prove the callee resets its outputs. */
void poison(void *obj, size_t size);

/* Fill the stack below the caller with the same pattern, so that a callee
 * reading a local it never set reads the pattern, not a lucky 0. */
void poison_stack(void);

/* Printable rendering of bytes for failure messages (static buffer;
 * single-threaded tests only). */
const char *show(const char *data, size_t len);

/* Assert code and offset together, naming the case in the failure. */
#define assert_code_at(name, got_code, got_off, want_code, want_off)                               \
  do {                                                                                             \
    if ((got_code) != (want_code) || (size_t)(got_off) != (size_t)(want_off))                      \
      fail_msg("%s: got %s@%zu, want %s@%zu", (name), mtasts_errname(got_code), (size_t)(got_off), \
               mtasts_errname(want_code), (size_t)(want_off));                                     \
  } while (0)

#endif
