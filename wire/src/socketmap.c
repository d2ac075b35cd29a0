/* socketmap.c - a Postfix socketmap request from an untrusted client, and
 * the reply (see socketmap.h). */
#include "socketmap.h"

#include <stdbool.h>
#include <string.h>

static const char *const error_messages[] = {
#define SOCKETMAP_X_MSG(name, msg) msg,
    SOCKETMAP_ERROR_MAP(SOCKETMAP_X_MSG)
#undef SOCKETMAP_X_MSG
};

const char *socketmap_error_message(socketmap_error e) {
  size_t i = (size_t)e;
  return i < sizeof error_messages / sizeof error_messages[0] ? error_messages[i] : "unknown error";
}

static socketmap_status fail(socketmap_request *out, socketmap_error e, size_t at) {
  out->error = e;
  out->error_at = at;
  return SOCKETMAP_ERROR;
}

static bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

static bool is_name_byte(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
         c == '.';
}

/* "LEN:": *payload is the offset after the colon, *n the length. A zero
 * payload can never hold "NAME SP KEY", so a first digit 0 is refused at
 * once, and with it every leading zero. */
static socketmap_status read_length(const unsigned char *p, size_t len, size_t *payload, size_t *n,
                                    socketmap_request *out) {
  size_t value = 0;
  for (size_t i = 0; i < len; i++) {
    if (i == 0 && (p[0] < '1' || p[0] > '9'))
      return fail(out, SOCKETMAP_E_LENGTH, 0);
    if (p[i] == ':') {
      *payload = i + 1;
      *n = value;
      return SOCKETMAP_DONE;
    }
    if (!is_digit(p[i]))
      return fail(out, SOCKETMAP_E_COLON, i);
    value = value * 10 + (size_t)(p[i] - '0');
    if (value > SOCKETMAP_PAYLOAD_MAX)
      return fail(out, SOCKETMAP_E_TOO_LONG, i);
  }
  return SOCKETMAP_MORE;
}

/* The name up to its SP. The key needs a byte after the SP, so the
 * payload's last byte can never end the name: it fails whatever it is. */
static socketmap_status read_name(const unsigned char *p, size_t len, size_t start, size_t last,
                                  size_t *name_len_out, socketmap_request *out) {
  for (size_t i = start; i < len; i++) {
    size_t name_len = i - start;
    if (p[i] == ' ' && name_len == 0)
      return fail(out, SOCKETMAP_E_NAME, i);
    if (p[i] != ' ' && (!is_name_byte(p[i]) || name_len == SOCKETMAP_NAME_MAX))
      return fail(out, SOCKETMAP_E_NAME, i);
    if (i == last)
      return fail(out, SOCKETMAP_E_NO_KEY, i);
    if (p[i] == ' ') {
      *name_len_out = name_len;
      return SOCKETMAP_DONE;
    }
  }
  return SOCKETMAP_MORE;
}

/* The key up to the payload's end, then the ",". The outputs are set only
 * here, so that MORE and ERROR leave them reset. */
static socketmap_status read_key(const unsigned char *p, size_t len, size_t name, size_t name_len,
                                 size_t end, socketmap_request *out) {
  size_t start = name + name_len + 1;
  for (size_t i = start; i < len; i++) {
    if (i == end) {
      if (p[i] != ',')
        return fail(out, SOCKETMAP_E_COMMA, i);
      out->name = name;
      out->name_len = name_len;
      out->key = start;
      out->key_len = end - start;
      out->length = end + 1;
      return SOCKETMAP_DONE;
    }
    if (p[i] < 0x21 || p[i] > 0x7e)
      return fail(out, SOCKETMAP_E_KEY, i);
  }
  return SOCKETMAP_MORE;
}

socketmap_status socketmap_request_parse(const char *buf, size_t len, socketmap_request *out) {
  memset(out, 0, sizeof *out);
  const unsigned char *p = (const unsigned char *)buf;
  size_t payload = 0, n = 0, name_len = 0;
  socketmap_status st = read_length(p, len, &payload, &n, out);
  if (st != SOCKETMAP_DONE)
    return st;
  st = read_name(p, len, payload, payload + n - 1, &name_len, out);
  if (st != SOCKETMAP_DONE)
    return st;
  return read_key(p, len, payload, name_len, payload + n, out);
}

#define WORD(s)                                                                                    \
  { s, sizeof(s) - 1 }
static const struct {
  const char *text;
  size_t len;
} reply_words[] = {WORD("OK"), WORD("NOTFOUND"), WORD("TEMP"), WORD("TIMEOUT"), WORD("PERM")};
#undef WORD

size_t socketmap_reply_format(char *out, size_t cap, socketmap_reply_status status,
                              const char *data, size_t data_len) {
  size_t s = (size_t)status;
  if (s >= sizeof reply_words / sizeof reply_words[0] || data_len > SOCKETMAP_REPLY_MAX)
    return 0;
  size_t word = reply_words[s].len;
  size_t n = word + 1 + data_len; /* at least 3: never a lone "0" */
  char digits[8];
  size_t nd = 0;
  for (size_t v = n; v > 0; v /= 10)
    digits[nd++] = (char)('0' + v % 10);
  size_t total = nd + 1 + n + 1;
  if (total > cap || total > SOCKETMAP_REPLY_MAX)
    return 0;
  for (size_t i = 0; i < nd; i++)
    out[i] = digits[nd - 1 - i];
  out[nd] = ':';
  memcpy(out + nd + 1, reply_words[s].text, word);
  out[nd + 1 + word] = ' ';
  if (data_len > 0)
    memcpy(out + nd + 2 + word, data, data_len);
  out[total - 1] = ',';
  return total;
}
