/*
 * standalone_main.c - run a harness without libFuzzer.
 *
 *   replay_<target> FILE|DIR...   run every file (a directory: every file in
 *                                 it) through LLVMFuzzerTestOneInput; used by
 *                                 ctest to replay the corpora
 *   replay_<target>               read one input from stdin
 *
 * Built with afl-clang-fast it is also the AFL++ driver: with no argument
 * it runs in persistent mode, reading test cases from shared memory.
 * Every input is copied into an exact-size heap buffer so that a read past
 * its end is caught by ASan.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
/* AFL++'s persistent-mode macros use GNU C and read(2); the project's
 * pedantic warnings are for our code, not theirs. */
#include <unistd.h>
#pragma clang diagnostic ignored "-Wextra-semi"
#pragma clang diagnostic ignored "-Wgnu-statement-expression"
#pragma clang diagnostic ignored "-Wsign-conversion"
#pragma clang diagnostic ignored "-Wpedantic"
#pragma clang diagnostic ignored "-Wshorten-64-to-32"
#pragma clang diagnostic ignored "-Wconversion"
__AFL_FUZZ_INIT();
#endif

static void run_one(const unsigned char *data, size_t len) {
  unsigned char *copy = malloc(len ? len : 1);
  if (copy == NULL)
    abort();
  if (len > 0)
    memcpy(copy, data, len);
  LLVMFuzzerTestOneInput(copy, len);
  free(copy);
}

static int read_all(FILE *f, unsigned char **data, size_t *len) {
  size_t cap = 4096, n = 0;
  unsigned char *buf = malloc(cap);
  if (buf == NULL)
    return -1;
  for (;;) {
    if (n == cap) {
      unsigned char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) {
        free(buf);
        return -1;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    free(buf);
    return -1;
  }
  *data = buf;
  *len = n;
  return 0;
}

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return -1;
  }
  unsigned char *data = NULL;
  size_t len = 0;
  int rc = read_all(f, &data, &len);
  fclose(f);
  if (rc != 0) {
    fprintf(stderr, "cannot read %s\n", path);
    return -1;
  }
  run_one(data, len);
  free(data);
  return 0;
}

/* Replays a file or every regular file of a directory; returns the count
 * replayed, or -1 on an I/O error. */
static long replay_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "cannot stat %s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return replay_file(path) == 0 ? 1 : -1;
  DIR *dir = opendir(path);
  if (dir == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return -1;
  }
  long count = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    size_t need = strlen(path) + strlen(e->d_name) + 2;
    char *full = malloc(need);
    if (full == NULL)
      abort();
    snprintf(full, need, "%s/%s", path, e->d_name);
    if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
      if (replay_file(full) != 0)
        count = -1;
      else if (count >= 0)
        count++;
    }
    free(full);
  }
  closedir(dir);
  return count;
}

int main(int argc, char **argv) {
#ifdef __AFL_FUZZ_TESTCASE_LEN
  if (argc < 2) {
    __AFL_INIT();
    const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
      run_one(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
    }
    return 0;
  }
#endif
  if (argc < 2) {
    unsigned char *data = NULL;
    size_t len = 0;
    if (read_all(stdin, &data, &len) != 0)
      return 2;
    run_one(data, len);
    free(data);
    printf("replayed 1 input from stdin\n");
    return 0;
  }
  long total = 0;
  for (int i = 1; i < argc; i++) {
    long n = replay_path(argv[i]);
    if (n < 0)
      return 2;
    printf("replayed %ld input(s) from %s\n", n, argv[i]);
    total += n;
  }
  printf("replayed %ld input(s) in all, no invariant violated\n", total);
  return 0;
}
