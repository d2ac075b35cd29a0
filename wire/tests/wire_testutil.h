/* wire_testutil.h - the mutation sweeps shared by the wire readers' unit tests. */
#ifndef MTASTS_WIRE_TESTUTIL_H
#define MTASTS_WIRE_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Checks the invariants of one reader on data[0, len), failing the test. */
typedef void (*wire_check_fn)(const char *name, const char *data, size_t len);

/*
 * Each byte of input[0, len) replaced by each of the 256 values, in buf
 * (cap bytes, the caller's bound on a row: len must fit), and `check`
 * run on each copy. Returns the number of runs, for the caller's floor.
 */
size_t wire_every_byte(const char *name, const char *input, size_t len, char *buf, size_t cap,
                       wire_check_fn check);

/*
 * One input of a deterministic pseudo-random sweep: a length below cap,
 * then that many bytes of alphabet[0, n), in buf, each from the next
 * step of the LCG in *seed. Returns the length.
 */
size_t wire_random_fill(uint32_t *seed, char *buf, size_t cap, const char *alphabet, size_t n);

#endif
