/*
 * uri.c - RFC 3986 `URI` (Appendix A) with RFC 8460's "," "!" ";" removed
 * from sub-delims, one byte at a time (uri.h says what each code means).
 *
 * The grammar is deterministic except in the authority: after "//", text
 * such as "a:1" may be a userinfo (if an "@" follows) or a host and port.
 * Both readings run side by side, so the first byte that no reading can
 * take is found without looking ahead or backtracking:
 *   - the userinfo reading (`user`) lives while it sees userinfo bytes and
 *     well-formed %HH; at "@" it wins and the host reading starts afresh;
 *   - the host reading (`host`) is host [":" port]; it ends the authority
 *     at "/", "?", "#" or the end of the URI.
 * When both have stopped, the error is the host reading's (it says what
 * was wrong with the authority as host and port), except when the
 * userinfo reading stopped last on a malformed %HH: then E_RUA_PERCENT.
 */
#include "uri.h"

#include "chars.h"

enum uri_part { P_SCHEME_FIRST, P_SCHEME, P_HIER, P_SLASH, P_AUTH, P_PATH, P_QUERY, P_FRAGMENT };

/* The host reading. */
enum uri_host { H_START, H_REG, H_PORT, H_IP, H_AFTER_IP, H_DEAD };

/* Inside "[ ... ]". */
enum uri_ip_state {
  IP_OPEN,   /* after "[" */
  IP_LEAD,   /* after "[:": only ":" may follow */
  IP_GROUP,  /* inside an h16 */
  IP_COLON,  /* after the ":" that ends an h16 */
  IP_DCOLON, /* after "::" */
  IP_V4,     /* inside the dotted IPv4 tail, from its second octet */
  IP_FUT_V,  /* IPvFuture: after "v" */
  IP_FUT_HEX,
  IP_FUT_DOT,
  IP_FUT_TAIL,
  IP_CLOSED /* after "]" */
};

/* What a step of the host reading came to. */
typedef enum { STEP_DEAD, STEP_ALIVE, STEP_DONE } uri_step;

/* An authority byte that ends the authority; -1 is the end of the URI. */
#define URI_END (-1)

static bool is_digit(int b) {
  return b >= '0' && b <= '9';
}

static bool is_hex(int b) {
  /* mutant-equivalent(rel,const): b == 0 (NUL) is in no class either way */
  return b >= 0 && char_is((unsigned char)b, CHAR_HEX);
}

/* unreserved / sub-delims, the sub-delims without "!" "," ";" (RFC 8460:
 * MUST be encoded): CHAR_REGNAME. */
static bool is_regname(int b) {
  /* mutant-equivalent(rel,const): b == 0 (NUL) is in no class either way */
  return b >= 0 && char_is((unsigned char)b, CHAR_REGNAME);
}

static bool fail(uri_scan *u, mtasts_code code, size_t off) {
  u->code = code;
  u->err_offset = off;
  return false;
}

void uri_begin(uri_scan *u, size_t off) {
  static const uri_scan blank;
  *u = blank;
  u->part = P_SCHEME_FIRST; /* mutant-equivalent(drop): it is 0, as in blank; said for the reader */
  u->colon = off;
  u->hier_end = SIZE_MAX;
  u->code = MTASTS_OK; /* mutant-equivalent(drop): MTASTS_OK is 0, as in blank */
}

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":". */
static bool feed_scheme(uri_scan *u, unsigned char b, size_t off) {
  if (u->part == P_SCHEME_FIRST) {
    if (!char_is(b, CHAR_ALPHA))
      return fail(u, MTASTS_E_RUA_SCHEME, off);
    u->part = P_SCHEME;
  } else if (b == ':') {
    u->colon = off;
    u->part = P_HIER;
  } else if (!char_is(b, CHAR_SCHEME)) {
    return fail(u, MTASTS_E_RUA_SCHEME, off);
  }
  return true;
}

/* path-abempty / path-absolute / path-rootless, then query and fragment:
 * pchar / "/" / "?" with "#" switching to the fragment. */
static bool feed_tail(uri_scan *u, unsigned char b, size_t off) {
  if (u->pct > 0) {
    if (!is_hex(b))
      return fail(u, MTASTS_E_RUA_PERCENT, off);
    u->pct--;
  } else if (b == '%') {
    u->pct = 2;
  } else if (b == '[' || b == ']' || (b == '#' && u->part == P_FRAGMENT)) {
    return fail(u, MTASTS_E_RUA_RESERVED, off);
  } else if (b == '?' || b == '#') {
    if (u->part == P_PATH)
      u->hier_end = off;
    if (b == '#')
      u->part = P_FRAGMENT;
    else if (u->part == P_PATH)
      u->part = P_QUERY;
  }
  return true;
}

/* ---- IP-literal ---- */

/* Room for `more` h16 units: eight in all, seven beside a "::" (which
 * stands for at least one). */
static bool ip_room(const uri_ip *ip, unsigned more) {
  return ip->units + more <= (ip->dcolon ? 7u : 8u);
}

static bool h16_start(uri_ip *ip, int b) {
  if (!is_hex(b) || !ip_room(ip, 1))
    return false;
  ip->state = IP_GROUP;
  ip->len = 1;
  ip->decimal = is_digit(b);
  ip->lead_zero = b == '0';
  /* mutant-equivalent(const): the value is read only while the group is all DIGIT */
  ip->value = ip->decimal ? (uint16_t)(b - '0') : 0;
  return true;
}

/* The group just read, as the first dec-octet of an IPv4address:
 * "0" / "1"-"9" DIGIT ... up to 255, no leading zero. */
static bool group_is_octet(const uri_ip *ip) {
  /* mutant-equivalent(const=4): four DIGIT without a leading zero are >= 1000, over 255 anyway */
  return ip->decimal && ip->len <= 3 && !(ip->lead_zero && ip->len > 1) && ip->value <= 255;
}

static bool ip_group(uri_ip *ip, int b) {
  if (is_hex(b)) {
    if (ip->len == 4)
      return false;
    ip->len++;
    ip->decimal = ip->decimal && is_digit(b);
    if (ip->decimal)
      ip->value = (uint16_t)(ip->value * 10u + (unsigned)(b - '0'));
    return true;
  }
  if (b == '.') {
    /* ls32 = IPv4address: two units, last, at exactly 6 + 2 without "::". */
    bool placed = ip->dcolon ? ip_room(ip, 2) : ip->units == 6;
    if (!placed || !group_is_octet(ip))
      return false;
    ip->state = IP_V4;
    ip->octet = 2;
    ip->len = 0;
    return true;
  }
  ip->units++;
  if (b == ':') {
    /* Another group, or "::", must still fit. */
    ip->state = IP_COLON;
    return ip_room(ip, 1);
  }
  ip->state = IP_CLOSED;
  return b == ']' && (ip->dcolon || ip->units == 8);
}

/* dec-octet "." dec-octet "." dec-octet, after the first octet and ".". */
static bool ip_v4(uri_ip *ip, int b) {
  if (is_digit(b)) {
    if (ip->len > 0 && ip->lead_zero)
      return false;
    ip->value = (uint16_t)((ip->len > 0 ? ip->value * 10u : 0u) + (unsigned)(b - '0'));
    ip->lead_zero = ip->len == 0 && b == '0';
    ip->len++;
    return ip->value <= 255;
  }
  if (ip->len == 0)
    return false;
  if (b == '.' && ip->octet < 4) {
    ip->octet++;
    ip->len = 0;
    return true;
  }
  ip->state = IP_CLOSED;
  return b == ']' && ip->octet == 4;
}

/* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
static bool ip_future(uri_ip *ip, int b) {
  switch (ip->state) {
  case IP_FUT_V:
    ip->state = IP_FUT_HEX;
    return is_hex(b);
  case IP_FUT_HEX:
    if (b == '.')
      ip->state = IP_FUT_DOT;
    return is_hex(b) || b == '.';
  default:
    if (b == ']' && ip->state == IP_FUT_TAIL) {
      ip->state = IP_CLOSED;
      return true;
    }
    ip->state = IP_FUT_TAIL;
    return is_regname(b) || b == ':';
  }
}

/* One byte inside "[" ... "]" (IPv6address / IPvFuture). */
static bool ip_feed(uri_ip *ip, int b) {
  switch (ip->state) {
  case IP_OPEN:
    if (b == 'v' || b == 'V') {
      ip->state = IP_FUT_V;
      return true;
    }
    ip->state = IP_LEAD;
    return b == ':' || h16_start(ip, b);
  case IP_LEAD:
    ip->state = IP_DCOLON;
    ip->dcolon = true;
    return b == ':';
  case IP_COLON:
    if (b != ':')
      return h16_start(ip, b);
    if (ip->dcolon)
      return false; /* a second "::" */
    ip->state = IP_DCOLON;
    ip->dcolon = true;
    return true;
  case IP_DCOLON:
    if (b == ']') {
      ip->state = IP_CLOSED;
      return true;
    }
    return h16_start(ip, b);
  case IP_GROUP:
    return ip_group(ip, b);
  case IP_V4:
    return ip_v4(ip, b);
  default:
    return ip_future(ip, b);
  }
}

/* ---- authority ---- */

static uri_step host_dies(uri_scan *u, mtasts_code code) {
  u->host = H_DEAD;
  u->host_code = code;
  return STEP_DEAD;
}

/* The authority ends at `off`: the host ends there unless a port began. */
static uri_step host_done(uri_scan *u, size_t off) {
  if (u->host != H_PORT)
    u->host_end = off;
  return STEP_DONE;
}

/* reg-name = *( unreserved / pct-encoded / sub-delims ), then ":" port or
 * the end of the authority. */
static uri_step host_reg_name(uri_scan *u, int b, bool ends, size_t off) {
  if (u->host_pct > 0) {
    if (!is_hex(b))
      return host_dies(u, MTASTS_E_RUA_PERCENT);
    u->host_pct--;
  } else if (b == '%') {
    u->host_pct = 2;
  } else if (b == ':') {
    u->host_end = off;
    u->host = H_PORT;
    return STEP_ALIVE;
  } else if (ends) {
    return host_done(u, off);
  } else if (!is_regname(b)) {
    return host_dies(u, MTASTS_E_RUA_HOST);
  }
  u->host = H_REG;
  return STEP_ALIVE;
}

/* One byte (or URI_END) of the host reading. `ends`: the byte ends the
 * authority ("/", "?", "#", URI_END). */
static uri_step host_feed(uri_scan *u, int b, bool ends, size_t off) {
  switch (u->host) {
  case H_START:
    if (b == '[') {
      u->host = H_IP;
      return STEP_ALIVE;
    }
    return host_reg_name(u, b, ends, off);
  case H_REG:
    return host_reg_name(u, b, ends, off);
  case H_PORT:
    if (ends)
      return host_done(u, off);
    return is_digit(b) ? STEP_ALIVE : host_dies(u, MTASTS_E_RUA_PORT);
  case H_IP:
    if (!ip_feed(&u->ip, b))
      return host_dies(u, MTASTS_E_RUA_IP_LITERAL);
    if (u->ip.state == IP_CLOSED)
      u->host = H_AFTER_IP;
    return STEP_ALIVE;
  case H_AFTER_IP:
    if (b == ':') {
      u->host_end = off;
      u->host = H_PORT;
      return STEP_ALIVE;
    }
    return ends ? host_done(u, off) : host_dies(u, MTASTS_E_RUA_HOST);
  default:
    return STEP_DEAD;
  }
}

/* One byte of the userinfo reading. Returns true on the "@" that ends the
 * userinfo; sets *pct_death when a malformed %HH stops the reading. */
static bool user_feed(uri_scan *u, int b, bool *pct_death) {
  if (u->user_pct > 0) {
    u->user = is_hex(b);
    *pct_death = !u->user;
    u->user_pct--;
  } else if (b == '%') {
    u->user_pct = 2;
  } else if (b == '@') {
    return true;
  } else {
    u->user = is_regname(b) || b == ':';
  }
  return false;
}

/* One byte (or URI_END) of the authority. */
static bool feed_authority(uri_scan *u, int b, size_t off) {
  bool pct_death = false;
  if (u->user && user_feed(u, b, &pct_death)) {
    /* userinfo "@": the host starts after it, read afresh. */
    static const uri_ip fresh;
    u->user = false;
    u->host = H_START;
    /* mutant-equivalent(drop): both readings count the same %HH, so the userinfo reading can
     * only win at "@" when the host reading is not inside one either */
    u->host_pct = 0;
    u->ip = fresh;
    u->host_start = off + 1;
    /* mutant-equivalent: an empty host for now; host_done or the port's ":" sets the real end
     * before the authority can end */
    u->host_end = off + 1;
    return true;
  }
  bool ends = b == URI_END || b == '/' || b == '?' || b == '#';
  uri_step step = host_feed(u, b, ends, off);
  if (step == STEP_DONE) {
    u->part = P_PATH;
    return b == URI_END || feed_tail(u, (unsigned char)b, off);
  }
  if (step == STEP_ALIVE || u->user)
    return true;
  return fail(u, pct_death ? MTASTS_E_RUA_PERCENT : u->host_code, off);
}

static void begin_authority(uri_scan *u, size_t off) {
  u->part = P_AUTH;
  u->authority = true;
  u->user = true;
  u->host = H_START; /* mutant-equivalent(drop): 0 from uri_begin; an authority begins once */
  u->host_start = off;
  u->host_end = off; /* mutant-equivalent: set again before the authority can end (above) */
}

bool uri_feed(uri_scan *u, unsigned char b, size_t off) {
  if (u->part <= P_SCHEME)
    return feed_scheme(u, b, off);
  if (!char_is(b, CHAR_URI)) /* "%" is in the class */
    return fail(u, MTASTS_E_RUA_CHAR, off);
  switch (u->part) {
  case P_HIER:
  case P_SLASH:
    if (b == '/' && u->part == P_HIER) {
      u->part = P_SLASH;
      return true;
    }
    if (b == '/') {
      begin_authority(u, off + 1);
      return true;
    }
    u->part = P_PATH;
    return feed_tail(u, b, off);
  case P_AUTH:
    return feed_authority(u, b, off);
  default:
    return feed_tail(u, b, off);
  }
}

/* In the authority, once neither reading is inside a %HH and the host
 * reading is in a reg-name (or has not begun one), a byte of unreserved /
 * sub-delims changes nothing but that the reg-name has begun: the userinfo
 * reading, if alive, takes it; the host reading takes it (host_reg_name). */
static bool authority_plain(const uri_scan *u) {
  /* mutant-equivalent: while the host reading is at H_START or in a reg-name it has read the
   * same bytes as a live userinfo reading (":", the one byte only userinfo takes, moves it on),
   * so their %HH are in step and host_pct alone decides; a false only sends bytes to uri_feed */
  bool user_clear = !u->user || u->user_pct == 0;
  /* mutant-equivalent(logic): never both: a false only sends bytes to uri_feed */
  bool in_reg_name = u->host == H_START || u->host == H_REG;
  return user_clear && u->host_pct == 0 && in_reg_name;
}

/* The end of the bytes from b[i] on that uri_feed would take without a
 * change of state (or, in a reg-name, none but the one it makes here):
 * uri_feed_run passes them over without a call each. The bytes they hold
 * are the long stretches of a rua: the scheme, the host, the path. */
static size_t skip_plain(uri_scan *u, const unsigned char *b, size_t i, size_t n) {
  size_t from = i;
  if (u->part == P_SCHEME) {
    while (i < n && char_is(b[i], CHAR_SCHEME))
      i++;
  } else if (u->part == P_AUTH) {
    if (authority_plain(u)) {
      while (i < n && char_is(b[i], CHAR_REGNAME))
        i++;
      if (i > from)
        u->host = H_REG;
    }
    /* mutant-equivalent(rel): a fast path; a byte it leaves goes through uri_feed, which takes
     * a CHAR_PATH byte alike (feed_tail) (the vectors and the fuzz oracle read both ways) */
  } else if (u->part >= P_PATH && u->pct == 0) {
    while (i < n && char_is(b[i], CHAR_PATH))
      i++;
  }
  return i;
}

size_t uri_feed_run(uri_scan *u, const unsigned char *b, size_t n, size_t off) {
  size_t i = 0;
  for (;;) {
    i = skip_plain(u, b, i, n);
    /* A byte outside the URI characters is left to the caller, which knows
     * whether it ends the URI. */
    if (i == n || !char_is(b[i], CHAR_URI))
      return i;
    if (!uri_feed(u, b[i], off + i))
      return i;
    i++;
  }
}

bool uri_end(uri_scan *u, size_t off) {
  if (u->part <= P_SCHEME)
    return fail(u, MTASTS_E_RUA_SCHEME, off);
  if (u->part == P_AUTH && !feed_authority(u, URI_END, off))
    return false;
  if (u->pct > 0)
    return fail(u, MTASTS_E_RUA_PERCENT, off);
  if (u->hier_end == SIZE_MAX)
    u->hier_end = off;
  return true;
}
