/*
 * uri.h - internal: the RFC 3986 `URI` production (Appendix A), whole, as
 * RFC 8460 3 imports it for `tlsrpt-uri` (ruling R20a), recognised one byte
 * at a time so that the caller can feed it from any source (the chunks of
 * a TXT record) without copying.
 *
 *   URI         = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
 *   hier-part   = "//" authority path-abempty / path-absolute
 *               / path-rootless / path-empty
 *   authority   = [ userinfo "@" ] host [ ":" port ]
 *   host        = IP-literal / IPv4address / reg-name
 *   IP-literal  = "[" ( IPv6address / IPvFuture ) "]"
 *   port        = *DIGIT
 *
 * with "," "!" ";" left out of sub-delims: RFC 8460 says they MUST be
 * percent-encoded in a tlsrpt-uri, which is also what lets a rua list be
 * split on ",". The caller decides where a URI ends (for a rua: WSP, ";",
 * "," or the end of the record) and says so with uri_end().
 *
 * Every rejection is a code and the offset of the first byte that cannot
 * continue a URI (the offset passed to uri_end when the URI stops too
 * early):
 *   E_RUA_SCHEME      the scheme, or the ":" after it
 *   E_RUA_CHAR        after the scheme, a byte that is not a URI character
 *   E_RUA_PERCENT     "%" not followed by two HEXDIG where pct-encoded is allowed
 *   E_RUA_HOST        the authority: "[" "]" outside an IP literal, a second
 *                     "@", a byte after "]" other than ":" or the end
 *   E_RUA_IP_LITERAL  inside "[ ... ]": not an IPv6address or IPvFuture
 *   E_RUA_PORT        after the port's ":", a byte other than DIGIT or the end
 *   E_RUA_RESERVED    "[" "]" in a path or query, "#" in a fragment
 * Until an "@" or a byte outside userinfo shows otherwise, what follows
 * "//" may still be a userinfo: "https://h:80a/" fails at the "/" (E_RUA_PORT,
 * since "h:80a@x" would have been valid), not at the "a".
 *
 * Zero allocation, no recursion: the state is this struct.
 */
#ifndef MTASTS_URI_H
#define MTASTS_URI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

typedef struct uri_ip {
  uint8_t state;
  uint8_t units;  /* h16 groups completed (an IPv4 tail counts two) */
  bool dcolon;    /* "::" seen */
  uint8_t len;    /* digits of the current h16 group, or of the IPv4 octet */
  bool decimal;   /* the current h16 group is all DIGIT (an IPv4 octet?) */
  bool lead_zero; /* it starts with "0" */
  uint16_t value; /* its decimal value while `decimal` */
  uint8_t octet;  /* IPv4: the octet being read, 2-4 (the first was a group) */
} uri_ip;

typedef struct uri_scan {
  uint8_t part;          /* scheme, hier-part, authority, path, query, fragment */
  uint8_t pct;           /* HEXDIG still due in the path, query or fragment */
  bool user;             /* the authority may still be read as userinfo "@" ... */
  uint8_t user_pct;      /* HEXDIG due in that reading */
  uint8_t host;          /* the authority read as host [":" port] */
  uint8_t host_pct;      /* HEXDIG due in a reg-name */
  mtasts_code host_code; /* why the host reading stopped, once it has */
  uri_ip ip;
  bool authority; /* "//" authority present */
  size_t colon;   /* offset of the ":" after the scheme */
  size_t host_start, host_end;
  size_t hier_end;   /* offset of the "?" / "#" ending the hier-part, or the end */
  mtasts_code code;  /* on failure */
  size_t err_offset; /* on failure */
} uri_scan;

/* Start a URI whose first byte is at offset `off`. */
void uri_begin(uri_scan *u, size_t off);

/* The next byte, at offset `off`. False when it cannot continue a URI:
 * u->code and u->err_offset say why and where. Not to be called again
 * after a false. */
bool uri_feed(uri_scan *u, unsigned char b, size_t off);

/* uri_feed for the n bytes at b, the first at offset `off`, up to the
 * first byte outside the URI characters (CHAR_URI): returns how many were
 * fed. u->code is MTASTS_OK unless the last one fed could not continue the
 * URI (then it is not counted). A byte outside the URI characters is not
 * fed: the caller decides whether it ends the URI; uri_feed fails on every
 * such byte. Runs of bytes that change no state (scheme, reg-name, path,
 * query, fragment) are passed over without a call each. */
size_t uri_feed_run(uri_scan *u, const unsigned char *b, size_t n, size_t off);

/* The URI ends just before offset `off`. False when the bytes fed are not
 * a whole URI (code set, err_offset = off). On success the fields above
 * are final. */
bool uri_end(uri_scan *u, size_t off);

#endif
