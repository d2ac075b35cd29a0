/* toy_test.c - the tests of toy.c: they miss a few mutants on purpose. */
#include <stdio.h>
#include <string.h>

#include "toy.h"

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL %s\n", what);
    failures++;
  }
}

int main(void) {
  /* v[3] exists so that a mutant reading one past n reads a defined 8 (killed by
   * every compiler) instead of whatever lies beyond the array. */
  const int v[4] = {1, 2, 4, 8};
  check(toy_clamp(-1) == 0, "clamp -1");
  check(toy_clamp(0) == 0, "clamp 0");
  check(toy_clamp(5) == 5, "clamp 5");
  check(toy_clamp(11) == 10, "clamp 11");
  check(toy_sum(v, 3) == 7, "sum");
  check(strcmp(toy_name(1), "one < two") == 0, "name 1");
  check(strcmp(toy_name(2), "<") == 0, "name 2");
  check(strcmp(toy_name(-2), "minus two") == 0, "name -2");
  return failures != 0;
}
