/* toy.h - the functions of toy.c, for toy_test.c. */
#ifndef TOY_H
#define TOY_H
#include <stddef.h>
int toy_clamp(int x);
int toy_sum(const int *v, size_t n);
const char *toy_name(int k);
#endif
