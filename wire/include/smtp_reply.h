/*
 * smtp_reply.h - one SMTP reply (RFC 5321 4.2) read from a server we do
 * not trust: an MX host of some domain. A pure function over the bytes
 * received so far: no allocation, no I/O, no recursion, fixed limits.
 *
 * What it accepts, and nothing else:
 *  - lines "CODE-text" CRLF, then a last line "CODE SP text" CRLF or
 *    "CODE" CRLF (RFC 5321 4.2: Reply-line); CODE is three digits, the
 *    first 2-5, the second 0-5 (Reply-code), the same on every line;
 *  - text of any bytes but CR and LF (a reader only shows it, escaped);
 *    every line ends in CRLF: a bare CR or LF is an error;
 *  - a line of at most SMTP_REPLY_LINE_MAX bytes, CRLF included (RFC 5321
 *    4.5.3.1.5), and at most SMTP_REPLY_LINES_MAX lines.
 * Errors are found as early as the bytes allow: a bad code or separator,
 * or a line already too long, fail before the line's end has arrived.
 * Two are found a little later, and their offsets say so: a line whose
 * code differs from the first line's fails when its CRLF has arrived
 * (error_at: the line's start), and a 100th line ending in "-" fails when
 * the first byte of a 101st line arrives (error_at: that byte). Either
 * way the reader stops within one line (fuzz_smtp_reply checks exactly
 * this; MTASTS_SMTP_STRICT_EARLY=1 makes it demand the earliest byte).
 *
 * An EHLO reply (RFC 5321 4.1.1.1) names an extension per line after the
 * first: `starttls` says whether one of those lines has the keyword
 * STARTTLS (RFC 3207 4), compared case-insensitively (RFC 5321 2.4),
 * followed by SP or the line's end (so "STARTTLSX" is not it).
 */
#ifndef MTASTS_WIRE_SMTP_REPLY_H
#define MTASTS_WIRE_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#define SMTP_REPLY_LINE_MAX 512u
#define SMTP_REPLY_LINES_MAX 100u
/* Enough for any reply the limits allow. */
#define SMTP_REPLY_MAX (SMTP_REPLY_LINE_MAX * SMTP_REPLY_LINES_MAX)

typedef enum smtp_reply_status {
  SMTP_REPLY_MORE = 0, /* no error yet; the last line has not ended */
  SMTP_REPLY_DONE,     /* a whole reply: code, lines, length */
  SMTP_REPLY_ERROR     /* error, error_at */
} smtp_reply_status;

typedef enum smtp_reply_error {
  SMTP_E_NONE = 0,
  SMTP_E_CODE,           /* not a Reply-code: three digits, 2-5, 0-5, 0-9 */
  SMTP_E_SEPARATOR,      /* after the code: not "-", SP or CRLF */
  SMTP_E_CODE_CHANGED,   /* a line with another code than the first */
  SMTP_E_BARE_CR,        /* a CR not followed by LF */
  SMTP_E_BARE_LF,        /* an LF without CR before it */
  SMTP_E_LINE_TOO_LONG,  /* a line longer than SMTP_REPLY_LINE_MAX */
  SMTP_E_TOO_MANY_LINES, /* more than SMTP_REPLY_LINES_MAX lines */
} smtp_reply_error;

typedef struct smtp_reply {
  int code;      /* DONE: the Reply-code, e.g. 250 */
  size_t lines;  /* DONE: how many lines */
  bool starttls; /* DONE: a line after the first has the keyword STARTTLS */
  size_t length; /* DONE: the reply's bytes, the last CRLF included */
  smtp_reply_error error;
  size_t error_at; /* ERROR: the offset of the first byte that cannot be */
} smtp_reply;

/*
 * Parse the reply at the start of buf[0, len). Every member of *out is
 * reset first. Bytes after the reply's last line are not read (out->length
 * says where it ended). buf may be NULL when len is 0.
 */
smtp_reply_status smtp_reply_parse(const char *buf, size_t len, smtp_reply *out);

/* A phrase for an error, e.g. "a line is longer than 512 bytes"; "" for
 * SMTP_E_NONE. Never NULL. */
const char *smtp_reply_error_message(smtp_reply_error e);

#endif /* MTASTS_WIRE_SMTP_REPLY_H */
