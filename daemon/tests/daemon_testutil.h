/* daemon_testutil.h - what the daemon's socket tests share: a client of
 * the socketmap server, every read behind a hang guard (never a speed
 * bound). Needs testutil.h (cmocka) first. */
#ifndef MTASTS_DAEMON_TESTUTIL_H
#define MTASTS_DAEMON_TESTUTIL_H

#include <stddef.h>

/* How long a read may wait before it fails the test: a hang guard, far
 * beyond any load, so that no outcome depends on timing. */
#define DAEMON_TEST_GUARD_SECONDS 60

/* An address for `path`, a Unix socket. */
struct sockaddr_un;
void daemon_test_address(struct sockaddr_un *sun, const char *path);

/* A connection to the daemon's socket at `path`, reads under the guard. */
int daemon_test_dial(const char *path);

/* Write `s` whole. */
void daemon_test_say(int fd, const char *s);

/* One request for `key` ("LEN:tlspolicy KEY,"). */
void daemon_test_ask(int fd, const char *key);

/* The next reply is the netstring of `want`, byte for byte. */
void daemon_test_expect(int fd, const char *want);

#endif
