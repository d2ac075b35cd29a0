/* input.c - bounded reading of a file or of standard input. */
#define _POSIX_C_SOURCE 200809L

#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *input_name(const char *path) {
  return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static bool fail(const char *path, int err_no, char *err, size_t errlen) {
  snprintf(err, errlen, "cannot read '%s': %s", input_name(path), strerror(err_no));
  return false;
}

/* Fill buf with up to cap bytes; one more byte is probed so that `more`
 * is exact without reading further than cap + 1. */
static bool read_fd(int fd, char *buf, size_t cap, size_t *len, bool *more, int *err_no) {
  size_t got = 0;
  while (got <= cap) {
    char probe;
    char *dst = got < cap ? buf + got : &probe;
    size_t want = got < cap ? cap - got : 1;
    ssize_t n = read(fd, dst, want);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      *err_no = errno;
      return false;
    }
    if (n == 0)
      break;
    if (got == cap) {
      *more = true;
      break;
    }
    got += (size_t)n;
  }
  *len = got;
  return true;
}

bool input_read(const char *path, size_t cap, cli_input *in, char *err, size_t errlen) {
  in->data = NULL;
  in->len = 0;
  in->more = false;
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
  if (fd < 0)
    return fail(path, errno, err, errlen);
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!is_stdin)
      close(fd);
    return fail(path, EISDIR, err, errlen);
  }
  in->data = malloc(cap > 0 ? cap : 1);
  if (in->data == NULL) {
    if (!is_stdin)
      close(fd);
    return fail(path, ENOMEM, err, errlen);
  }
  int err_no = 0;
  bool ok = read_fd(fd, in->data, cap, &in->len, &in->more, &err_no);
  if (!is_stdin)
    close(fd);
  if (!ok) {
    input_free(in);
    return fail(path, err_no, err, errlen);
  }
  return true;
}

void input_free(cli_input *in) {
  free(in->data);
  in->data = NULL;
  in->len = 0;
}

void input_chomp(cli_input *in) {
  if (in->len > 0 && in->data[in->len - 1] == '\n') {
    in->len--;
    if (in->len > 0 && in->data[in->len - 1] == '\r')
      in->len--;
  }
}
