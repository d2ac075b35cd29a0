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
