/*
 * socketmap.h - one request of Postfix's socketmap protocol (socketmap_table(5))
 * read from a client we do not trust, and the reply written back. A pure
 * function over the bytes received so far: no allocation, no I/O, no
 * recursion, fixed limits.
 *
 * A request is a netstring (D. J. Bernstein, "Netstrings", 1997):
 * "LEN:PAYLOAD," where LEN is the payload's length in decimal; the
 * payload is "NAME SP KEY", the map's name and the key looked up. What it
 * accepts, and nothing else:
 *  - LEN of 1-4 digits without a leading zero, at most SOCKETMAP_PAYLOAD_MAX;
 *  - NAME of 1-SOCKETMAP_NAME_MAX bytes, each a letter, a digit, "-",
 *    "_" or "." (Postfix sends the name from main.cf: `socketmap:...:NAME`);
 *  - KEY of at least one byte, each printable US-ASCII but SP (0x21-0x7e):
 *    Postfix's keys for smtp_tls_policy_maps are domain names, and a key
 *    that the daemon logs must not carry control bytes;
 *  - then ",".
 * Errors are found as early as the bytes allow (the fuzz target checks
 * that every strict prefix before error_at is SOCKETMAP_MORE), so a
 * client that sends a length of 99999 is refused at its fifth digit, not
 * after 99999 bytes. Bytes after the request are not read: Postfix sends
 * the next request on the same connection (out->length says where it is).
 */
#ifndef MTASTS_WIRE_SOCKETMAP_H
#define MTASTS_WIRE_SOCKETMAP_H

#include <stddef.h>

/* Postfix's own keys are at most a domain name (253) and its map name;
 * 1000 leaves room for a lookup with a longer key and is still one read. */
#define SOCKETMAP_PAYLOAD_MAX 1000u
#define SOCKETMAP_LEN_DIGITS 4u /* enough for SOCKETMAP_PAYLOAD_MAX */
#define SOCKETMAP_NAME_MAX 64u
/* The longest request: "1000:" + payload + ",". */
#define SOCKETMAP_REQUEST_MAX (SOCKETMAP_LEN_DIGITS + 2u + SOCKETMAP_PAYLOAD_MAX)

/* X(NAME, "message"): the ways a request can be malformed; error_at is the
 * offset of the first byte that cannot be. */
#define SOCKETMAP_ERROR_MAP(X)                                                                     \
  X(NONE, "no error")                                                                              \
  X(LENGTH, "the netstring length is not 1-4 digits without a leading zero")                       \
  X(TOO_LONG, "the netstring length is over 1000 bytes")                                           \
  X(COLON, "the netstring length is not followed by \":\"")                                        \
  X(COMMA, "the netstring payload is not followed by \",\"")                                       \
  X(NAME, "the map name is not 1-64 letters, digits, \"-\", \"_\" or \".\"")                       \
  X(NO_KEY, "the payload has no space and key after the map name")                                 \
  X(KEY, "the key has a byte outside 0x21-0x7e")

typedef enum socketmap_error {
#define SOCKETMAP_X_ENUM(name, msg) SOCKETMAP_E_##name,
  SOCKETMAP_ERROR_MAP(SOCKETMAP_X_ENUM)
#undef SOCKETMAP_X_ENUM
} socketmap_error;

typedef enum socketmap_status {
  SOCKETMAP_MORE = 0, /* no error yet; the request has not ended */
  SOCKETMAP_DONE,     /* a whole request: name, key, length */
  SOCKETMAP_ERROR     /* error, error_at */
} socketmap_status;

typedef struct socketmap_request {
  size_t name;     /* DONE: offset of the map name */
  size_t name_len; /* DONE */
  size_t key;      /* DONE: offset of the key */
  size_t key_len;  /* DONE */
  size_t length;   /* DONE: the request's bytes, the final "," included */
  socketmap_error error;
  size_t error_at; /* ERROR: the offset of the first byte that cannot be */
} socketmap_request;

/*
 * Parse the request at the start of buf[0, len). Every member of *out is
 * reset first. buf may be NULL when len is 0.
 */
socketmap_status socketmap_request_parse(const char *buf, size_t len, socketmap_request *out);

/* The error's phrase, e.g. "the netstring length is over 1000 bytes";
 * "unknown error" outside the enum. Never NULL. */
const char *socketmap_error_message(socketmap_error e);

/* The replies of socketmap_table(5). */
typedef enum socketmap_reply_status {
  SOCKETMAP_OK = 0, /* "OK data": the lookup's result */
  SOCKETMAP_NOTFOUND,
  SOCKETMAP_TEMP, /* "TEMP reason": try again later */
  SOCKETMAP_TIMEOUT,
  SOCKETMAP_PERM /* "PERM reason": a permanent error (a malformed request) */
} socketmap_reply_status;

/* Postfix reads replies of at most socketmap_max_reply_size (100000)
 * bytes; ours stay far below. */
#define SOCKETMAP_REPLY_MAX 4096u

/*
 * Write the netstring "LEN:STATUS SP data," into out[0, cap), as
 * socketmap_table(5) spells every reply ("NOTFOUND SP" has empty data).
 * Returns its length, or 0 when it does not fit in cap or in
 * SOCKETMAP_REPLY_MAX, or the status is unknown.
 */
size_t socketmap_reply_format(char *out, size_t cap, socketmap_reply_status status,
                              const char *data, size_t data_len);

#endif /* MTASTS_WIRE_SOCKETMAP_H */
