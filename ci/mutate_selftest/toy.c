/* toy.c - the subject of `ci/mutate.py --self-test` (see expected.txt).
 * Comments are never mutated: a < b, x == 1, a && b, i++; */
#include <stddef.h>
#define LIMIT (3 + 1) /* nor preprocessor lines */

#include "toy.h"

static const int table[4] = {1, 2, 3, 4}; /* nor file-scope data */

static void set(int *out, int v) {
  *out = v; /* dropped: out and v unused, a warning, so stillborn */
}

int toy_clamp(int x) {
  int r;
  set(&r, x);
  if (x < 0)
    return 0;
  /* Two lines, so that the marker's reach over both is tested. */
  // clang-format off
  /* mutant-equivalent(rel,const=9): at x == 10 both branches give 10; the second
   * line only repeats the first */
  if (x > 10 &&
      x > 9)
    return 10;
  // clang-format on
  return r;
}

int toy_sum(const int *v, size_t n) {
  int sum = 0;
  size_t i = 0;
  while (i < n) {
    sum += v[i];
    i++; /* dropped: a hang, which is a kill */
  }
  return sum;
}

const char *toy_name(int k) {
  char pad[2] = {'<', 0}; /* an array size is not mutated */
  if (k == 1 && table[0] == 1)
    return "one < two";
  if ((unsigned)-k == 2u) /* a cast's "-" is unary: not mutated */
    return "minus two";
  return pad[0] == '<' ? "<" : "?";
}
