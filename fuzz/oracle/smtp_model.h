/*
 * smtp_model.h - fuzz_smtp_reply's own reading of an SMTP reply (RFC 5321
 * 4.2, RFC 3207 4), line by line and apart from wire/'s smtp_reply_parse:
 * the harness judges every DONE, ERROR and MORE with it.
 */
#ifndef MTASTS_FUZZ_SMTP_MODEL_H
#define MTASTS_FUZZ_SMTP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39, by position. */
bool sm_reply_digit(size_t position, uint8_t c);

/* The three digits at d as a number. */
int sm_code_at(const uint8_t *d);

/* RFC 3207 4 / RFC 5321 2.4: the keyword in any case, then SP or the end. */
bool sm_names_starttls(const uint8_t *text, size_t n);

/* Offset of the CRLF that ends the line starting at `from`, or n. */
size_t sm_line_end(const uint8_t *d, size_t n, size_t from);

/* One complete line [s, e) + CRLF, judged alone. */
typedef struct sm_line_view {
  bool well_formed; /* code digits, separator, no CR / LF in the text, length */
  int code;
  char sep; /* '-', ' ' or '\r' (a bare code) */
  size_t text, text_end;
} sm_line_view;

sm_line_view sm_view_line(const uint8_t *d, size_t s, size_t e);

#endif /* MTASTS_FUZZ_SMTP_MODEL_H */
