/*
 * test_socketmap.c - the socketmap request reader of mtasts-daemon
 * (wire/src/socketmap.c) on well-formed and hostile requests, and the
 * reply writer. Every input sits right before a guard page and the output
 * is poisoned before each call. Every strict prefix of a request, and of
 * the bytes up to an error's byte, is SOCKETMAP_MORE. Then every row with
 * each byte replaced by each of the 256 values, and a deterministic
 * pseudo-random sweep, must keep the invariants (no read past the input,
 * an error inside it, a request that parses alone).
 */
#include "testutil.h"
#include "wire_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socketmap.h"

typedef struct row {
  wire_input in;
  socketmap_status want;
  size_t name_at, name_len, key_at, key_len, length;
  socketmap_error error;
  size_t error_at;
} row;

#define DONE(name_at, name_len, key_at, key_len, length)                                           \
  SOCKETMAP_DONE, name_at, name_len, key_at, key_len, length, SOCKETMAP_E_NONE, 0
#define MORE SOCKETMAP_MORE, 0, 0, 0, 0, 0, SOCKETMAP_E_NONE, 0
#define ERR(e, at) SOCKETMAP_ERROR, 0, 0, 0, 0, 0, SOCKETMAP_E_##e, at

static const row rows[] = {
    /* ---- what Postfix sends */
    {{"a policy lookup", S("21:tlspolicy example.com,")}, DONE(3, 9, 13, 11, 25)},
    {{"the shortest request", S("3:a b,")}, DONE(2, 1, 4, 1, 6)},
    {{"a name of every allowed kind", S("13:Az09-_. x.y.z,")}, DONE(3, 7, 11, 5, 17)},
    {{"a key of printable bytes", S("8:m !~\"[]x,")}, DONE(2, 1, 4, 6, 11)},
    {{"the next request is not read", S("3:a b,3:c d,")}, DONE(2, 1, 4, 1, 6)},
    {{"a bracketed next-hop", S("18:m [mx.example.net],")}, DONE(3, 1, 5, 16, 22)},

    /* ---- incomplete */
    {{"nothing yet", S("")}, MORE},
    {{"a length", S("22")}, MORE},
    {{"up to the name", S("21:tlspolicy")}, MORE},
    {{"up to the comma", S("21:tlspolicy example.com")}, MORE},

    /* ---- the length */
    {{"a leading zero", S("03:a b,")}, ERR(LENGTH, 0)},
    {{"a zero length", S("0:,")}, ERR(LENGTH, 0)},
    {{"no length", S(":a b,")}, ERR(LENGTH, 0)},
    {{"a sign", S("+3:a b,")}, ERR(LENGTH, 0)},
    {{"a space before the colon", S("3 :a b,")}, ERR(COLON, 1)},
    {{"a letter in the length", S("3x:a b,")}, ERR(COLON, 1)},
    {{"1000 is the most", S("1000:")}, MORE},
    {{"1001 is over", S("1001:")}, ERR(TOO_LONG, 3)},
    {{"known at the digit", S("2000")}, ERR(TOO_LONG, 3)},
    {{"five digits", S("99999:")}, ERR(TOO_LONG, 3)},

    /* ---- the payload */
    {{"no space", S("3:abc,")}, ERR(NO_KEY, 4)},
    {{"one byte", S("1:a,")}, ERR(NO_KEY, 2)},
    {{"a space at the end", S("3:ab ,")}, ERR(NO_KEY, 4)},
    {{"an empty name", S("3: ab,")}, ERR(NAME, 2)},
    {{"a payload of one space", S("1: ,")}, ERR(NAME, 2)},
    {{"a slash in the name", S("5:a/b c,")}, ERR(NAME, 3)},
    {{"a NUL in the name", S("5:a\0b c,")}, ERR(NAME, 3)},
    {{"a tab for the space", S("3:a\tb,")}, ERR(NAME, 3)},
    {{"a second space", S("4:a  b,")}, ERR(KEY, 4)},
    {{"a space in the key", S("5:a b c,")}, ERR(KEY, 5)},
    {{"a CR in the key", S("5:a b\r\n,")}, ERR(KEY, 5)},
    {{"a DEL in the key", S("4:a b\x7f,")}, ERR(KEY, 5)},
    {{"a byte over 0x7e", S("4:a b\xc3,")}, ERR(KEY, 5)},
    {{"no comma", S("3:a b;")}, ERR(COMMA, 5)},
    {{"a payload longer than its length", S("3:a bc,")}, ERR(COMMA, 5)},
    /* "," is a key byte: a short payload waits for its last byte. */
    {{"a payload shorter than its length", S("4:a b,")}, MORE},
    {{"a newline after the payload", S("3:a b\n")}, ERR(COMMA, 5)},
};

/* ---- limits, built at run time */

/* "LEN:" + `name` bytes of 'n' + SP + `key` bytes of 'k' + ",". */
static char *request(size_t name, size_t key, size_t *len) {
  size_t n = name + 1 + key;
  char *p = malloc(n + 16);
  assert_non_null(p);
  int at = snprintf(p, 16, "%zu:", n);
  assert_true(at > 0);
  memset(p + at, 'n', name);
  p[(size_t)at + name] = ' ';
  memset(p + (size_t)at + name + 1, 'k', key);
  p[(size_t)at + n] = ',';
  *len = (size_t)at + n + 1;
  return p;
}

static void parse_row(const row *r, socketmap_request *out, socketmap_status *st) {
  const char *in = guard_copy(r->in.input, r->in.len);
  poison(out, sizeof *out);
  *st = socketmap_request_parse(in, r->in.len, out);
}

static void check_row(const row *r) {
  socketmap_request out;
  socketmap_status st;
  parse_row(r, &out, &st);
  if (st != r->want || out.name != r->name_at || out.name_len != r->name_len ||
      out.key != r->key_at || out.key_len != r->key_len || out.length != r->length ||
      out.error != r->error || out.error_at != r->error_at)
    fail_msg("%s: got status %d name %zu+%zu key %zu+%zu length %zu error %d@%zu; want "
             "status %d name %zu+%zu key %zu+%zu length %zu error %d@%zu",
             r->in.name, st, out.name, out.name_len, out.key, out.key_len, out.length, out.error,
             out.error_at, r->want, r->name_at, r->name_len, r->key_at, r->key_len, r->length,
             r->error, r->error_at);
}

static void test_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    check_row(&rows[i]);
}

/* Every strict prefix of a request, or of the bytes before an error, is
 * MORE with every output reset: errors are found at their byte. */
static void test_prefixes(void **state) {
  (void)state;
  size_t checked = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *r = &rows[i];
    size_t end = r->want == SOCKETMAP_DONE    ? r->length
                 : r->want == SOCKETMAP_ERROR ? r->error_at + 1
                                              : 0;
    for (size_t n = 0; n < end; n++) {
      row prefix = {{r->in.name, r->in.input, n}, MORE};
      check_row(&prefix);
      checked++;
    }
  }
  assert_true(checked > 150);
}

static void test_limits(void **state) {
  (void)state;
  size_t len;
  char *p = request(SOCKETMAP_NAME_MAX, SOCKETMAP_PAYLOAD_MAX - SOCKETMAP_NAME_MAX - 1, &len);
  row longest = {{"the longest request", p, len}, DONE(5, 64, 70, 935, len)};
  assert_int_equal(len, SOCKETMAP_REQUEST_MAX);
  check_row(&longest);
  free(p);
  p = request(SOCKETMAP_NAME_MAX + 1, 3, &len);
  row long_name = {{"a name of 65 bytes", p, len}, ERR(NAME, 3 + 64)};
  check_row(&long_name);
  free(p);
  p = request(1, SOCKETMAP_PAYLOAD_MAX - 1, &len);
  row too_long = {{"a payload of 1001 bytes", p, len}, ERR(TOO_LONG, 3)};
  check_row(&too_long);
  free(p);
}

/* What holds for any input whatever. */
static void check_invariants(const char *name, const char *data, size_t len) {
  socketmap_request out;
  const char *in = guard_copy(data, len);
  poison(&out, sizeof out);
  socketmap_status st = socketmap_request_parse(in, len, &out);
  switch (st) {
  case SOCKETMAP_DONE: {
    if (out.length < 6 || out.length > len || out.name_len < 1 ||
        out.name_len > SOCKETMAP_NAME_MAX || out.key_len < 1 ||
        out.key + out.key_len + 1 != out.length || out.name + out.name_len + 1 != out.key ||
        out.error != SOCKETMAP_E_NONE)
      fail_msg("%s: DONE with length %zu of %zu", name, out.length, len);
    /* The request alone parses to the same request. */
    socketmap_request again;
    const char *alone = guard_copy_slot(1, in, out.length);
    if (socketmap_request_parse(alone, out.length, &again) != SOCKETMAP_DONE ||
        again.length != out.length || again.key != out.key || again.name_len != out.name_len)
      fail_msg("%s: the request alone does not parse the same", name);
    break;
  }
  case SOCKETMAP_ERROR:
    if (out.error == SOCKETMAP_E_NONE || out.error_at >= len || out.length != 0 ||
        strcmp(socketmap_error_message(out.error), "unknown error") == 0)
      fail_msg("%s: ERROR %d at %zu of %zu", name, out.error, out.error_at, len);
    break;
  case SOCKETMAP_MORE:
    if (out.error != SOCKETMAP_E_NONE || out.length != 0 || out.key_len != 0)
      fail_msg("%s: MORE with outputs set", name);
    break;
  default:
    fail_msg("%s: status %d", name, st);
  }
}

/* Each byte of each row replaced by each of the 256 values. */
static void test_every_byte_everywhere(void **state) {
  (void)state;
  char buf[64];
  size_t runs = wire_every_byte_rows(rows, sizeof rows / sizeof rows[0], sizeof rows[0], buf,
                                     sizeof buf, check_invariants);
  assert_true(runs > 50000);
}

/* Mostly a well-formed length, so that the payload is reached. */
static void steer_request(int run, uint32_t seed, char *buf, size_t len) {
  if (len > 3 && run % 2 == 0) {
    buf[0] = (char)('1' + (seed >> 8) % 9);
    buf[1] = ':';
  }
}

/* Inputs drawn from the bytes that matter to the grammar. */
static void test_random_requests(void **state) {
  (void)state;
  static const char alphabet[] = "0123456789: ,ab.-_\t\r\n\x00\xff";
  wire_random_sweep(20261207, 200000, 48, alphabet, sizeof alphabet - 1, steer_request,
                    check_invariants);
}

static void test_error_messages(void **state) {
  (void)state;
  assert_string_equal(socketmap_error_message(SOCKETMAP_E_NONE), "no error");
  assert_string_equal(socketmap_error_message(SOCKETMAP_E_TOO_LONG),
                      "the netstring length is over 1000 bytes");
  assert_string_equal(socketmap_error_message(SOCKETMAP_E_KEY),
                      "the key has a byte outside 0x21-0x7e");
  assert_string_equal(socketmap_error_message((socketmap_error)99), "unknown error");
}

static void test_null_empty(void **state) {
  (void)state;
  socketmap_request out;
  poison(&out, sizeof out);
  assert_int_equal(socketmap_request_parse(NULL, 0, &out), SOCKETMAP_MORE);
  assert_int_equal(out.length, 0);
}

static void check_reply(socketmap_reply_status st, const char *data, const char *want) {
  char out[64];
  size_t n = socketmap_reply_format(out, sizeof out, st, data, data ? strlen(data) : 0);
  if (n != strlen(want) || memcmp(out, want, n) != 0)
    fail_msg("reply %d: got %.*s, want %s", st, (int)n, out, want);
}

static void test_replies(void **state) {
  (void)state;
  check_reply(SOCKETMAP_OK, "secure match=mx.example.com servername=hostname",
              "50:OK secure match=mx.example.com servername=hostname,");
  check_reply(SOCKETMAP_NOTFOUND, NULL, "9:NOTFOUND ,");
  check_reply(SOCKETMAP_TEMP, "x", "6:TEMP x,");
  check_reply(SOCKETMAP_TIMEOUT, "slow", "12:TIMEOUT slow,");
  check_reply(SOCKETMAP_PERM, "bad request", "16:PERM bad request,");
  char out[SOCKETMAP_REPLY_MAX + 16];
  /* Apart from out: data overlapping the reply would be a memcpy overlap. */
  char data[SOCKETMAP_REPLY_MAX + 16];
  memset(data, 'x', sizeof data);
  /* "4090:OK " + 4087 bytes + "," = 4096: the longest; one more is refused. */
  assert_int_equal(socketmap_reply_format(out, sizeof out, SOCKETMAP_OK, data, 4087), 4096);
  assert_int_equal(socketmap_reply_format(out, sizeof out, SOCKETMAP_OK, data, 4088), 0);
  assert_int_equal(socketmap_reply_format(out, sizeof out, SOCKETMAP_OK, data, 1 << 20), 0);
  assert_int_equal(socketmap_reply_format(out, 8, SOCKETMAP_TEMP, "x", 1), 0);
  assert_int_equal(socketmap_reply_format(out, 9, SOCKETMAP_TEMP, "x", 1), 9);
  assert_int_equal(socketmap_reply_format(out, sizeof out, (socketmap_reply_status)5, "x", 1), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows),
      cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_every_byte_everywhere),
      cmocka_unit_test(test_random_requests),
      cmocka_unit_test(test_error_messages),
      cmocka_unit_test(test_null_empty),
      cmocka_unit_test(test_replies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
