/* wire_testutil.c - see wire_testutil.h. */
#include "wire_testutil.h"

#include "testutil.h"

#include <string.h>

size_t wire_every_byte(const char *name, const char *input, size_t len, char *buf, size_t cap,
                       wire_check_fn check) {
  size_t runs = 0;
  assert_true(len <= cap);
  for (size_t at = 0; at < len; at++) {
    memcpy(buf, input, len);
    for (int b = 0; b < 256; b++, runs++) {
      buf[at] = (char)b;
      check(name, buf, len);
    }
  }
  return runs;
}

size_t wire_every_byte_rows(const void *rows, size_t count, size_t size, char *buf, size_t cap,
                            wire_check_fn check) {
  size_t runs = 0;
  for (size_t i = 0; i < count; i++) {
    const wire_input *in = (const wire_input *)(const void *)((const char *)rows + i * size);
    runs += wire_every_byte(in->name, in->input, in->len, buf, cap, check);
  }
  return runs;
}

/* One input: a length below cap, then that many bytes of alphabet[0, n),
 * in buf, each from the next step of the LCG in *seed. */
static size_t random_fill(uint32_t *seed, char *buf, size_t cap, const char *alphabet, size_t n) {
  *seed = *seed * 1103515245u + 12345u;
  size_t len = (*seed >> 16) % cap;
  for (size_t i = 0; i < len; i++) {
    *seed = *seed * 1103515245u + 12345u;
    buf[i] = alphabet[(*seed >> 16) % n];
  }
  return len;
}

void wire_random_sweep(uint32_t seed, int runs, size_t cap, const char *alphabet, size_t n,
                       wire_steer_fn steer, wire_check_fn check) {
  char buf[128];
  assert_true(cap <= sizeof buf);
  for (int run = 0; run < runs; run++) {
    size_t len = random_fill(&seed, buf, cap, alphabet, n);
    steer(run, seed, buf, len);
    check("random", buf, len);
  }
}
