/* daemon_testutil.c - a socketmap client for the daemon's tests. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include "daemon_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "server.h"

void daemon_test_address(struct sockaddr_un *sun, const char *path) {
  memset(sun, 0, sizeof *sun);
  sun->sun_family = AF_UNIX;
  assert_true(strlen(path) < sizeof sun->sun_path);
  memcpy(sun->sun_path, path, strlen(path) + 1);
}

int daemon_test_dial(const char *path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_un sun;
  daemon_test_address(&sun, path);
  assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
  struct timeval tv = {DAEMON_TEST_GUARD_SECONDS, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

void daemon_test_say(int fd, const char *s) {
  assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

void daemon_test_ask(int fd, const char *key) {
  char buf[600];
  snprintf(buf, sizeof buf, "%zu:tlspolicy %s,", strlen(key) + 10, key);
  daemon_test_say(fd, buf);
}

/* Read a byte at a time up to the end its length prefix gives, so that a
 * pipelined next reply stays unread. */
void daemon_test_expect(int fd, const char *want) {
  char buf[SOCKETMAP_REPLY_MAX + 16];
  size_t n = 0, need = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, 1);
    if (r <= 0)
      fail_msg("reply: %s after %zu bytes (want %s)", r == 0 ? "closed" : "hang guard", n, want);
    n++;
    if (need == 0 && buf[n - 1] == ':')
      need = (size_t)strtoul(buf, NULL, 10) + n + 1;
    if (need != 0 && n == need)
      break;
    assert_true(n < sizeof buf - 1);
  }
  buf[n] = '\0';
  char expected[SOCKETMAP_REPLY_MAX + 16];
  snprintf(expected, sizeof expected, "%zu:%s,", strlen(want), want);
  assert_string_equal(buf, expected);
}
