/* smtp_reply.c - one SMTP reply from an untrusted server (see smtp_reply.h). */
#include "smtp_reply.h"

#include <string.h>

/* What one line came to. */
typedef struct line_scan {
  smtp_reply_status status; /* MORE, ERROR, or DONE for a complete line */
  int code;
  bool last;       /* the separator was SP or CRLF */
  size_t text;     /* offset of the text (after the separator) */
  size_t text_end; /* offset of the CR that ends the line */
} line_scan;

static smtp_reply_status fail(smtp_reply *out, smtp_reply_error e, size_t at) {
  out->error = e;
  out->error_at = at;
  return SMTP_REPLY_ERROR;
}

/* RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39. */
static bool code_digit_ok(size_t position, unsigned char c) {
  static const char low[] = "200", high[] = "559";
  return c >= low[position] && c <= high[position];
}

/* The code and the separator of the line at `start`. */
static smtp_reply_status scan_head(const unsigned char *p, size_t len, size_t start, line_scan *ls,
                                   smtp_reply *out) {
  int code = 0;
  for (size_t i = 0; i < 3; i++) {
    if (start + i >= len)
      return SMTP_REPLY_MORE;
    if (!code_digit_ok(i, p[start + i]))
      return fail(out, SMTP_E_CODE, start + i);
    code = code * 10 + (p[start + i] - '0');
  }
  size_t sep = start + 3;
  if (sep >= len)
    return SMTP_REPLY_MORE;
  if (p[sep] == '\n')
    return fail(out, SMTP_E_BARE_LF, sep);
  if (p[sep] != '-' && p[sep] != ' ' && p[sep] != '\r')
    return fail(out, SMTP_E_SEPARATOR, sep);
  ls->code = code;
  ls->last = p[sep] != '-';
  ls->text = p[sep] == '\r' ? sep : sep + 1;
  return SMTP_REPLY_DONE;
}

/* The text up to CRLF, within the line length limit. */
static smtp_reply_status scan_text(const unsigned char *p, size_t len, size_t start, line_scan *ls,
                                   smtp_reply *out) {
  for (size_t at = ls->text; at < len; at++) {
    if (p[at] == '\n')
      return fail(out, SMTP_E_BARE_LF, at);
    if (p[at] == '\r') {
      if (at + 1 >= len)
        return SMTP_REPLY_MORE;
      if (p[at + 1] != '\n')
        return fail(out, SMTP_E_BARE_CR, at);
      ls->text_end = at;
      return SMTP_REPLY_DONE;
    }
    /* The CRLF still has to fit: at most LINE_MAX - 2 bytes before it. */
    if (at - start >= SMTP_REPLY_LINE_MAX - 2)
      return fail(out, SMTP_E_LINE_TOO_LONG, at);
  }
  return SMTP_REPLY_MORE;
}

static line_scan scan_line(const unsigned char *p, size_t len, size_t start, smtp_reply *out) {
  line_scan ls;
  /* mutant-equivalent(drop,const): every field read later is set first: code, last and text by
   * scan_head before DONE, text_end by scan_text before DONE; after MORE or ERROR only status
   * is read */
  memset(&ls, 0, sizeof ls);
  ls.status = scan_head(p, len, start, &ls, out);
  if (ls.status == SMTP_REPLY_DONE)
    ls.status = scan_text(p, len, start, &ls, out);
  return ls;
}

static unsigned char lower(unsigned char c) {
  /* mutant-equivalent(rel): the keyword starttls has no "z": a "Z" fails to match either way */
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* RFC 5321 4.1.1.1: ehlo-line = ehlo-keyword *( SP ehlo-param ). */
static bool is_starttls(const unsigned char *p, size_t text, size_t text_end) {
  static const char keyword[] = "starttls";
  size_t n = sizeof keyword - 1;
  /* mutant-equivalent(arith): a shorter text is followed by its CR, which stops the compare
   * below with the same answer, false */
  if (text_end - text < n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (lower(p[text + i]) != (unsigned char)keyword[i])
      return false;
  return text + n == text_end || p[text + n] == ' ';
}

smtp_reply_status smtp_reply_parse(const char *buf, size_t len, smtp_reply *out) {
  memset(out, 0, sizeof *out);
  const unsigned char *p = (const unsigned char *)buf;
  /* mutant-equivalent(const): line 0 sets it before any use */
  int first_code = 0;
  bool starttls = false;
  size_t start = 0;
  for (size_t line = 0;; line++) {
    if (line == SMTP_REPLY_LINES_MAX && start < len)
      return fail(out, SMTP_E_TOO_MANY_LINES, start);
    line_scan ls = scan_line(p, len, start, out);
    if (ls.status != SMTP_REPLY_DONE)
      return ls.status;
    if (line == 0)
      first_code = ls.code;
    else if (ls.code != first_code)
      return fail(out, SMTP_E_CODE_CHANGED, start);
    /* The first line of an EHLO reply is the server's name, not a keyword. */
    starttls = starttls || (line > 0 && is_starttls(p, ls.text, ls.text_end));
    start = ls.text_end + 2;
    if (ls.last) {
      out->code = first_code;
      out->lines = line + 1;
      out->starttls = starttls;
      out->length = start;
      return SMTP_REPLY_DONE;
    }
  }
}

const char *smtp_reply_error_message(smtp_reply_error e) {
  switch (e) {
  case SMTP_E_NONE:
    break;
  case SMTP_E_CODE:
    return "not a reply code (three digits, the first 2-5)";
  case SMTP_E_SEPARATOR:
    return "the reply code is not followed by '-', a space or CRLF";
  case SMTP_E_CODE_CHANGED:
    return "a line of the reply has another code than the first";
  case SMTP_E_BARE_CR:
    return "a CR not followed by LF";
  case SMTP_E_BARE_LF:
    return "a line ends in LF without CR";
  case SMTP_E_LINE_TOO_LONG:
    return "a line is longer than 512 bytes";
  case SMTP_E_TOO_MANY_LINES:
    return "the reply has more than 100 lines";
  }
  return "";
}
