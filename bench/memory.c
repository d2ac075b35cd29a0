/*
 * memory.c - the memory figures of the benchmark: peak RSS, the size of
 * every public struct (all result memory is the caller's), and the worst
 * stack frame of the library from gcc's -fstack-usage files.
 */
#define _POSIX_C_SOURCE 200809L /* getrusage, opendir */

#include "bench.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

long bench_peak_rss_kb(void) {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return -1;
  return usage.ru_maxrss; /* kilobytes on Linux */
}

#define SIZE_LINE(type) printf("SIZEOF struct=%s bytes=%zu\n", #type, sizeof(type))

void bench_print_struct_sizes(void) {
  SIZE_LINE(mtasts_location);
  SIZE_LINE(mtasts_span);
  SIZE_LINE(mtasts_chunk);
  SIZE_LINE(mtasts_rr);
  SIZE_LINE(mtasts_diag);
  SIZE_LINE(mtasts_diags);
  SIZE_LINE(mtasts_options);
  SIZE_LINE(mtasts_ext);
  SIZE_LINE(mtasts_txt);
  SIZE_LINE(mtasts_rrset_result);
  SIZE_LINE(mtasts_rua);
  SIZE_LINE(mtasts_tlsrpt);
  SIZE_LINE(mtasts_mx);
  SIZE_LINE(mtasts_policy);
}

typedef struct frame {
  unsigned long bytes;
  char function[128];
  char file[128];
  char kind[32];
} frame;

/* Copy a NUL-terminated string, cut to fit (names longer than a frame's
 * fields are not expected, but must not overflow). */
static void copy_text(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* One .su line: "<path>:<line>:<column>:<function>\t<bytes>\t<kind>". */
static bool parse_su_line(char *line, frame *out) {
  char *tab1 = strchr(line, '\t');
  if (tab1 == NULL)
    return false;
  *tab1 = '\0';
  char *tab2 = strchr(tab1 + 1, '\t');
  if (tab2 == NULL)
    return false;
  *tab2 = '\0';
  char *kind_end = strpbrk(tab2 + 1, "\r\n");
  if (kind_end != NULL)
    *kind_end = '\0';
  char *function = strrchr(line, ':');
  if (function == NULL)
    return false;
  *function++ = '\0';
  /* Drop ":<line>:<column>" to keep the path, then keep its last part. */
  for (int i = 0; i < 2; i++) {
    char *colon = strrchr(line, ':');
    if (colon != NULL)
      *colon = '\0';
  }
  const char *slash = strrchr(line, '/');
  out->bytes = strtoul(tab1 + 1, NULL, 10);
  copy_text(out->function, sizeof out->function, function);
  copy_text(out->file, sizeof out->file, slash != NULL ? slash + 1 : line);
  copy_text(out->kind, sizeof out->kind, tab2 + 1);
  return true;
}

static size_t scan_su_file(const char *path, frame *worst, size_t *functions) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return 0;
  char line[1024];
  while (fgets(line, sizeof line, f) != NULL) {
    frame fr;
    if (!parse_su_line(line, &fr))
      continue;
    (*functions)++;
    if (fr.bytes > worst->bytes)
      *worst = fr;
  }
  fclose(f);
  return 1;
}

size_t bench_print_worst_frame(const char *dir) {
  DIR *d = dir != NULL ? opendir(dir) : NULL;
  if (d == NULL) {
    printf("STACK skipped: no -fstack-usage directory (%s); build the library with gcc\n",
           dir != NULL ? dir : "none given");
    return 0;
  }
  frame worst;
  memset(&worst, 0, sizeof worst);
  size_t files = 0;
  size_t functions = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n < 3 || strcmp(e->d_name + n - 3, ".su") != 0)
      continue;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
      continue;
    files += scan_su_file(path, &worst, &functions);
  }
  closedir(d);
  if (files == 0) {
    printf("STACK skipped: no .su files in %s (the compiler wrote none)\n", dir);
    return 0;
  }
  printf("STACK worst_frame_bytes=%lu function=%s file=%s kind=%s su_files=%zu functions=%zu\n",
         worst.bytes, worst.function, worst.file, worst.kind, files, functions);
  return files;
}
