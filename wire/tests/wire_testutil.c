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

size_t wire_random_fill(uint32_t *seed, char *buf, size_t cap, const char *alphabet, size_t n) {
  *seed = *seed * 1103515245u + 12345u;
  size_t len = (*seed >> 16) % cap;
  for (size_t i = 0; i < len; i++) {
    *seed = *seed * 1103515245u + 12345u;
    buf[i] = alphabet[(*seed >> 16) % n];
  }
  return len;
}
