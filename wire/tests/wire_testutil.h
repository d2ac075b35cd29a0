/* wire_testutil.h - what the wire readers' unit tests share: the rows'
 * literal inputs, the head of a row, and the mutation sweeps. */
#ifndef MTASTS_WIRE_TESTUTIL_H
#define MTASTS_WIRE_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* A literal's length without its NUL, and the literal with that length:
 * a row's input and len (inputs may hold NUL bytes, so not strlen). */
#define L(s) (sizeof(s) - 1)
#define S(s) (s), L(s)

/* The first member of each reader's test row: its name and its input.
 * A row's address is that of its first member (C11 6.7.2.1), so the
 * sweeps below walk any reader's table by the row size alone. */
typedef struct wire_input {
  const char *name;
  const char *input;
  size_t len;
} wire_input;

/* Checks the invariants of one reader on data[0, len), failing the test. */
typedef void (*wire_check_fn)(const char *name, const char *data, size_t len);

/*
 * Each byte of input[0, len) replaced by each of the 256 values, in buf
 * (cap bytes, the caller's bound on a row: len must fit), and `check`
 * run on each copy. Returns the number of runs, for the caller's floor.
 */
size_t wire_every_byte(const char *name, const char *input, size_t len, char *buf, size_t cap,
                       wire_check_fn check);

/* wire_every_byte on the input of each of the `count` rows of `size`
 * bytes at `rows`, each beginning with a wire_input. Returns the runs. */
size_t wire_every_byte_rows(const void *rows, size_t count, size_t size, char *buf, size_t cap,
                            wire_check_fn check);

/* Nudges a pseudo-random input towards well-formed starts, so that deep
 * states are reached: `run` counts from 0, `seed` is the LCG's state
 * after the input was drawn. */
typedef void (*wire_steer_fn)(int run, uint32_t seed, char *buf, size_t len);

/*
 * A deterministic pseudo-random sweep of `runs` inputs: for each, a
 * length below cap (at most 128), then that many bytes of alphabet[0, n),
 * each from the next step of an LCG started at `seed`; then `steer`, then
 * `check` on the input.
 */
void wire_random_sweep(uint32_t seed, int runs, size_t cap, const char *alphabet, size_t n,
                       wire_steer_fn steer, wire_check_fn check);

#endif
