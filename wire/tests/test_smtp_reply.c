/*
 * test_smtp_reply.c - the SMTP reply parser of `mtasts resolve
 * --starttls` (wire/src/smtp_reply.c) on well-formed and hostile replies.
 * Every input sits right before a guard page and the output is poisoned
 * before each call. Every strict prefix of a complete reply is
 * SMTP_REPLY_MORE; every prefix that stops before an error's byte is
 * too. Then every row with each byte replaced by each of the 256 values,
 * and a deterministic pseudo-random sweep, must keep the invariants (no
 * read past the input, an error inside it, a reply that parses alone).
 */
#include "testutil.h"
#include "wire_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"

typedef struct row {
  wire_input in;
  smtp_reply_status want;
  int code;
  size_t lines;
  bool starttls;
  size_t length;
  smtp_reply_error error;
  size_t error_at;
} row;

#define DONE(code, lines, starttls, length)                                                        \
  SMTP_REPLY_DONE, code, lines, starttls, length, SMTP_E_NONE, 0
#define MORE SMTP_REPLY_MORE, 0, 0, false, 0, SMTP_E_NONE, 0
#define ERR(e, at) SMTP_REPLY_ERROR, 0, 0, false, 0, SMTP_E_##e, at

#define EHLO_FIRST "250-mx.example.com Hello\r\n"

static const row rows[] = {
    /* ---- greetings and one-line replies */
    {{"one line with text", S("220 mx.example.com ESMTP\r\n")}, DONE(220, 1, false, 26)},
    {{"one line, code only", S("220\r\n")}, DONE(220, 1, false, 5)},
    {{"one line, code and SP", S("221 \r\n")}, DONE(221, 1, false, 6)},
    {{"a multi-line greeting", S("220-mx.example.com ESMTP\r\n220-no UCE\r\n220 ready\r\n")},
     DONE(220, 3, false, 49)},
    {{"a continuation line without text", S("220-\r\n220 x\r\n")}, DONE(220, 2, false, 13)},
    {{"the lowest and highest codes", S("200 a\r\n")}, DONE(200, 1, false, 7)},
    {{"559", S("559 a\r\n")}, DONE(559, 1, false, 7)},
    {{"text is any byte but CR and LF", S("554 \x00\x01\x7f\xff\t\r\n")}, DONE(554, 1, false, 11)},
    {{"bytes after the reply are not read", S("220 a\r\n250 b\r\n")}, DONE(220, 1, false, 7)},

    /* ---- EHLO replies (RFC 5321 4.1.1.1, RFC 3207 4) */
    {{"STARTTLS among the extensions",
      S(EHLO_FIRST "250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n")},
     DONE(250, 4, true, 70)},
    {{"STARTTLS on the last line", S(EHLO_FIRST "250 STARTTLS\r\n")}, DONE(250, 2, true, 40)},
    {{"the keyword is case-insensitive", S(EHLO_FIRST "250 sTaRtTlS\r\n")}, DONE(250, 2, true, 40)},
    {{"a parameter after the keyword", S(EHLO_FIRST "250 STARTTLS REQUIRED\r\n")},
     DONE(250, 2, true, 49)},
    {{"no STARTTLS", S(EHLO_FIRST "250-SIZE 1000\r\n250 8BITMIME\r\n")}, DONE(250, 3, false, 55)},
    {{"a longer keyword is another", S(EHLO_FIRST "250 STARTTLSX\r\n")}, DONE(250, 2, false, 41)},
    {{"a shorter keyword is another", S(EHLO_FIRST "250 STARTTL\r\n")}, DONE(250, 2, false, 39)},
    {{"a keyword one letter off, the first", S(EHLO_FIRST "250 XTARTTLS\r\n")},
     DONE(250, 2, false, 40)},
    {{"a keyword ending in STARTTLS is another", S(EHLO_FIRST "250 X-STARTTLS\r\n")},
     DONE(250, 2, false, 42)},
    {{"a space before the keyword", S(EHLO_FIRST "250  STARTTLS\r\n")}, DONE(250, 2, false, 41)},
    {{"a tab after the keyword is not SP", S(EHLO_FIRST "250 STARTTLS\t\r\n")},
     DONE(250, 2, false, 41)},
    {{"STARTTLS as a parameter", S(EHLO_FIRST "250 AUTH STARTTLS\r\n")}, DONE(250, 2, false, 45)},
    {{"the first line is the server's name, not a keyword", S("250 STARTTLS\r\n")},
     DONE(250, 1, false, 14)},
    {{"the first of several lines neither", S("250-STARTTLS\r\n250 SIZE\r\n")},
     DONE(250, 2, false, 24)},

    /* ---- incomplete */
    {{"empty", S("")}, MORE},
    {{"two digits", S("22")}, MORE},
    {{"a code without its separator", S("220")}, MORE},
    {{"a line without its end", S("220 ready")}, MORE},
    {{"a CR without the LF yet", S("220 ready\r")}, MORE},
    {{"a continuation line and nothing more", S("220-a\r\n")}, MORE},
    {{"the next line's code cut short", S("220-a\r\n22")}, MORE},

    /* ---- malformed */
    {{"not a digit", S("abc")}, ERR(CODE, 0)},
    {{"first digit 1", S("150 a\r\n")}, ERR(CODE, 0)},
    {{"first digit 6", S("600 a\r\n")}, ERR(CODE, 0)},
    {{"second digit 6", S("260 a\r\n")}, ERR(CODE, 1)},
    {{"third digit not a digit", S("25x a\r\n")}, ERR(CODE, 2)},
    {{"a space before the code", S(" 250 a\r\n")}, ERR(CODE, 0)},
    {{"four digits", S("2500 a\r\n")}, ERR(SEPARATOR, 3)},
    {{"a tab after the code", S("250\ta\r\n")}, ERR(SEPARATOR, 3)},
    {{"an LF right after the code", S("250\n")}, ERR(BARE_LF, 3)},
    {{"a line ending in LF alone", S("250 a\n")}, ERR(BARE_LF, 5)},
    {{"a CR inside the text", S("250 a\rb\r\n")}, ERR(BARE_CR, 5)},
    {{"a CR CR LF", S("250 a\r\r\n")}, ERR(BARE_CR, 5)},
    {{"another code on a later line", S("250-a\r\n251 b\r\n")}, ERR(CODE_CHANGED, 7)},
    {{"a bad code on a later line", S("250-a\r\n2x0 b\r\n")}, ERR(CODE, 8)},
    {{"an empty line inside the reply", S("250-a\r\n\r\n250 b\r\n")}, ERR(CODE, 7)},
};

/* ---- limits, built at run time */

/* "250 " + `text` bytes of 'a' + CRLF, after `prefix_lines` lines "250-a". */
static char *long_line(size_t prefix_lines, size_t text, size_t *len) {
  size_t n = prefix_lines * 7 + 4 + text + 2;
  char *p = malloc(n);
  assert_non_null(p);
  size_t at = 0;
  for (size_t i = 0; i < prefix_lines; i++, at += 7)
    memcpy(p + at, "250-a\r\n", 7);
  memcpy(p + at, "250 ", 4);
  memset(p + at + 4, 'a', text);
  memcpy(p + at + 4 + text, "\r\n", 2);
  *len = n;
  return p;
}

static void parse_row(const row *r, smtp_reply *out, smtp_reply_status *st) {
  const char *in = guard_copy(r->in.input, r->in.len);
  poison(out, sizeof *out);
  *st = smtp_reply_parse(in, r->in.len, out);
}

static void check_row(const row *r) {
  smtp_reply out;
  smtp_reply_status st;
  parse_row(r, &out, &st);
  if (st != r->want || out.code != r->code || out.lines != r->lines ||
      out.starttls != r->starttls || out.length != r->length || out.error != r->error ||
      out.error_at != r->error_at)
    fail_msg("%s: got status %d code %d lines %zu starttls %d length %zu error %d@%zu; want "
             "status %d code %d lines %zu starttls %d length %zu error %d@%zu",
             r->in.name, st, out.code, out.lines, out.starttls, out.length, out.error, out.error_at,
             r->want, r->code, r->lines, r->starttls, r->length, r->error, r->error_at);
}

static void test_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    check_row(&rows[i]);
}

/* Every strict prefix of a reply, or of the bytes before an error, is
 * MORE with every output reset. */
static void test_prefixes(void **state) {
  (void)state;
  size_t checked = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const row *r = &rows[i];
    size_t end = r->want == SMTP_REPLY_DONE    ? r->length
                 : r->want == SMTP_REPLY_ERROR ? r->error_at + 1
                                               : 0;
    for (size_t n = 0; n < end; n++) {
      row prefix = {{r->in.name, r->in.input, n}, MORE};
      check_row(&prefix);
      checked++;
    }
  }
  assert_true(checked > 500);
}

static void test_line_limit(void **state) {
  (void)state;
  size_t len;
  /* 4 + 506 + 2 = 512 bytes: the longest line (RFC 5321 4.5.3.1.5). */
  char *p = long_line(2, 506, &len);
  row longest = {{"a line of 512 bytes", p, len}, DONE(250, 3, false, len)};
  check_row(&longest);
  free(p);
  p = long_line(2, 507, &len);
  row too_long = {{"a line of 513 bytes", p, len}, ERR(LINE_TOO_LONG, 14 + 510)};
  check_row(&too_long);
  /* Known before the line's end arrives. */
  too_long.in.len = 14 + 511;
  check_row(&too_long);
  free(p);
  p = long_line(0, 100000, &len);
  row huge = {{"a line of 100 kB", p, len}, ERR(LINE_TOO_LONG, 510)};
  check_row(&huge);
  free(p);
}

static void test_line_count(void **state) {
  (void)state;
  size_t len;
  char *p = long_line(SMTP_REPLY_LINES_MAX - 1, 1, &len);
  row most = {{"100 lines", p, len}, DONE(250, SMTP_REPLY_LINES_MAX, false, len)};
  check_row(&most);
  free(p);
  p = long_line(SMTP_REPLY_LINES_MAX, 1, &len);
  row too_many = {{"101 lines", p, len}, ERR(TOO_MANY_LINES, SMTP_REPLY_LINES_MAX * 7)};
  check_row(&too_many);
  free(p);
  assert_true(SMTP_REPLY_MAX >= SMTP_REPLY_LINES_MAX * SMTP_REPLY_LINE_MAX);
}

/* What holds for any input whatever. */
static void check_invariants(const char *name, const char *data, size_t len) {
  smtp_reply out;
  const char *in = guard_copy(data, len);
  poison(&out, sizeof out);
  smtp_reply_status st = smtp_reply_parse(in, len, &out);
  switch (st) {
  case SMTP_REPLY_DONE: {
    if (out.length < 5 || out.length > len || out.lines < 1 || out.lines > SMTP_REPLY_LINES_MAX ||
        out.code < 200 || out.code > 559 || out.error != SMTP_E_NONE)
      fail_msg("%s: DONE with length %zu of %zu, %zu lines, code %d", name, out.length, len,
               out.lines, out.code);
    /* The reply alone parses to the same reply. */
    smtp_reply again;
    const char *alone = guard_copy_slot(1, in, out.length);
    if (smtp_reply_parse(alone, out.length, &again) != SMTP_REPLY_DONE ||
        again.length != out.length || again.code != out.code || again.lines != out.lines ||
        again.starttls != out.starttls)
      fail_msg("%s: the reply alone does not parse the same", name);
    break;
  }
  case SMTP_REPLY_ERROR:
    if (out.error == SMTP_E_NONE || out.error_at >= len || out.length != 0 ||
        smtp_reply_error_message(out.error)[0] == '\0')
      fail_msg("%s: ERROR %d at %zu of %zu", name, out.error, out.error_at, len);
    break;
  case SMTP_REPLY_MORE:
    if (out.error != SMTP_E_NONE || out.length != 0 || out.code != 0)
      fail_msg("%s: MORE with outputs set", name);
    break;
  default:
    fail_msg("%s: status %d", name, st);
  }
}

/* Each byte of each row replaced by each of the 256 values. */
static void test_every_byte_everywhere(void **state) {
  (void)state;
  char buf[128];
  size_t runs = wire_every_byte_rows(rows, sizeof rows / sizeof rows[0], sizeof rows[0], buf,
                                     sizeof buf, check_invariants);
  assert_true(runs > 100000);
}

/* Mostly well-formed starts, so that deep states are reached. */
static void steer_reply(int run, uint32_t seed, char *buf, size_t len) {
  (void)run;
  (void)seed;
  for (size_t i = 0; i < len; i += 7)
    buf[i] = '2';
}

/* Inputs drawn from the bytes that matter to the grammar. */
static void test_random_replies(void **state) {
  (void)state;
  static const char alphabet[] = "0123456789 -\r\n\r\nSTARTTLSstarttls\x00\xff";
  wire_random_sweep(20261129, 200000, 96, alphabet, sizeof alphabet - 1, steer_reply,
                    check_invariants);
}

static void test_error_messages(void **state) {
  (void)state;
  assert_string_equal(smtp_reply_error_message(SMTP_E_NONE), "");
  for (int e = SMTP_E_CODE; e <= SMTP_E_TOO_MANY_LINES; e++)
    assert_true(smtp_reply_error_message((smtp_reply_error)e)[0] != '\0');
  assert_string_equal(smtp_reply_error_message(SMTP_E_LINE_TOO_LONG),
                      "a line is longer than 512 bytes");
  assert_string_equal(smtp_reply_error_message((smtp_reply_error)99), "");
}

static void test_null_empty(void **state) {
  (void)state;
  smtp_reply out;
  poison(&out, sizeof out);
  assert_int_equal(smtp_reply_parse(NULL, 0, &out), SMTP_REPLY_MORE);
  assert_int_equal(out.length, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows),
      cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_line_limit),
      cmocka_unit_test(test_line_count),
      cmocka_unit_test(test_every_byte_everywhere),
      cmocka_unit_test(test_random_replies),
      cmocka_unit_test(test_error_messages),
      cmocka_unit_test(test_null_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
