/* smtp_model.c - the harness's reading of an SMTP reply (see smtp_model.h). */
#include "smtp_model.h"

#include "smtp_reply.h"

/* ------------------------------------------------------------------ */
/* The harness's own reading of the bytes                              */
/* ------------------------------------------------------------------ */

/* RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39, by position. */
bool sm_reply_digit(size_t position, uint8_t c) {
  switch (position) {
  case 0:
    return c == '2' || c == '3' || c == '4' || c == '5';
  case 1:
    return c >= '0' && c <= '5';
  default:
    return c >= '0' && c <= '9';
  }
}

int sm_code_at(const uint8_t *d) {
  return (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
}

/* RFC 3207 4 / RFC 5321 2.4: the keyword in any case, then SP or the end. */
bool sm_names_starttls(const uint8_t *text, size_t n) {
  static const char upper[] = "STARTTLS";
  if (n < 8)
    return false;
  for (size_t i = 0; i < 8; i++)
    if ((text[i] | 0x20u) != ((uint8_t)upper[i] | 0x20u))
      return false;
  return n == 8 || text[8] == ' ';
}

/* Offset of the CRLF that ends the line starting at `from`, or n. */
size_t sm_line_end(const uint8_t *d, size_t n, size_t from) {
  for (size_t i = from; i + 1 < n; i++)
    if (d[i] == '\r' && d[i + 1] == '\n')
      return i;
  return n;
}

/* One complete line [s, e) + CRLF, judged alone. */

sm_line_view sm_view_line(const uint8_t *d, size_t s, size_t e) {
  sm_line_view v = {false, 0, 0, 0, 0};
  if (e - s < 3 || e - s + 2 > SMTP_REPLY_LINE_MAX)
    return v;
  for (size_t i = 0; i < 3; i++)
    if (!sm_reply_digit(i, d[s + i]))
      return v;
  v.code = sm_code_at(d + s);
  if (e - s == 3) {
    v.sep = '\r';
    v.text = v.text_end = e;
  } else {
    if (d[s + 3] != '-' && d[s + 3] != ' ')
      return v;
    v.sep = (char)d[s + 3];
    v.text = s + 4;
    v.text_end = e;
  }
  for (size_t i = v.text; i < v.text_end; i++)
    if (d[i] == '\r' || d[i] == '\n')
      return v;
  v.well_formed = true;
  return v;
}
