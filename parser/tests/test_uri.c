/*
 * test_uri.c - the RFC 3986 URI recogniser of uri.c (ruling R20a) on its
 * own, at every production boundary: scheme, hier-part, authority with
 * userinfo / host / port, IP-literal (the nine IPv6address forms with "::"
 * in each place, the IPv4 tail's octets 255 / 256 / leading zeros,
 * IPvFuture), reg-name, path, query, fragment and pct-encoded.
 *
 * Each row gives the exact code and offset (the first byte that cannot
 * continue a URI), or for a valid URI where its host and hier-part end.
 * Every strict prefix of a valid row must also be a viable prefix: no
 * byte of it fails, and it ends either as a URI or with an error at its
 * own length.
 */
#include <string.h>

#include "testutil.h"

#include "../src/uri.h"

#define NO_HOST ((size_t)-1)

typedef struct uri_row {
  const char *in;
  mtasts_code code;
  size_t off;        /* error offset, or for a valid URI hier_end */
  size_t host_start; /* valid, with an authority; NO_HOST without */
  size_t host_end;
} uri_row;

#define OK(in, hier_end, hs, he)                                                                   \
  { in, MTASTS_OK, hier_end, hs, he }
#define BAD(in, code, off)                                                                         \
  { in, MTASTS_##code, off, NO_HOST, 0 }
/* A valid IP literal "s://[" x "]": the host is all of it. */
#define IP_OK(x) OK("s://[" x "]", sizeof("s://[" x "]") - 1, 4, sizeof("s://[" x "]") - 1)
/* An invalid one: `at` counts from the first byte after "[". */
#define IP_BAD(x, at) BAD("s://[" x, E_RUA_IP_LITERAL, 5 + (at))

static const uri_row rows[] = {
    /* ---- scheme ":" ---- */
    OK("s:", 2, NO_HOST, 0),
    OK("a+-.9Z:", 7, NO_HOST, 0),
    BAD("1a:", E_RUA_SCHEME, 0),
    BAD(":x", E_RUA_SCHEME, 0),
    BAD("ab", E_RUA_SCHEME, 2),
    BAD("a_b:", E_RUA_SCHEME, 1),
    BAD("a%41:", E_RUA_SCHEME, 1),
    BAD("a b:", E_RUA_SCHEME, 1),

    /* ---- hier-part without an authority ---- */
    OK("s:/", 3, NO_HOST, 0),
    OK("s:/a/b//c", 9, NO_HOST, 0),
    OK("s:a:b@c/d", 9, NO_HOST, 0),
    OK("mailto:a@b", 10, NO_HOST, 0),
    OK("s:?q", 2, NO_HOST, 0),
    OK("s:#f", 2, NO_HOST, 0),
    OK("s:/?#", 3, NO_HOST, 0),
    OK("s:p#f?x", 3, NO_HOST, 0),

    /* ---- authority: host, port ---- */
    OK("s://", 4, 4, 4),
    OK("s://h", 5, 4, 5),
    OK("s://h:", 6, 4, 5),
    OK("s://h:0123456789", 16, 4, 5),
    OK("s://:", 5, 4, 4),
    OK("s://:1/p", 8, 4, 4),
    OK("s://a.b-c_d~e$&'()*+=", 21, 4, 21),
    OK("s://%41%4a", 10, 4, 10),
    OK("s://1.2.3.4", 11, 4, 11),
    OK("s://1.2.3.256", 13, 4, 13), /* not an IPv4address, but a reg-name */
    OK("s://1.2.3.04:8", 14, 4, 12),
    OK("s://h/p?q#f", 7, 4, 5),
    OK("s://h?q", 5, 4, 5),
    OK("s://h#f", 5, 4, 5),
    BAD("s://h:80a", E_RUA_PORT, 9), /* "h:80a" could still be a userinfo */
    BAD("s://h:80a/", E_RUA_PORT, 9),
    BAD("s://h:80a?", E_RUA_PORT, 9),
    BAD("s://h:8:9", E_RUA_PORT, 9),
    BAD("s://h:8[", E_RUA_PORT, 7),
    BAD("s://h:8%4x", E_RUA_PERCENT, 9),
    BAD("s://h:8%4", E_RUA_PERCENT, 9),
    BAD("s://a[", E_RUA_HOST, 5),
    BAD("s://a]", E_RUA_HOST, 5),
    BAD("s://.x]/", E_RUA_HOST, 6),
    BAD("s://a%4g", E_RUA_PERCENT, 7),
    /* After a userinfo only the host reads the %HH: its fast path must not pass over it. */
    BAD("s://u@a%4g", E_RUA_PERCENT, 9),
    BAD("s://u@a%4g.b/c", E_RUA_PERCENT, 9),
    BAD("s://u@a%g4", E_RUA_PERCENT, 8),
    BAD("s://a%4", E_RUA_PERCENT, 7),
    BAD("s://a%", E_RUA_PERCENT, 6),
    BAD("s://a!", E_RUA_CHAR, 5),
    BAD("s://a,b", E_RUA_CHAR, 5),
    BAD("s://a;b", E_RUA_CHAR, 5),
    BAD("s://a\x80", E_RUA_CHAR, 5),

    /* ---- authority: userinfo "@" ---- */
    OK("s://u@h", 7, 6, 7),
    OK("s://@h", 6, 5, 6),
    OK("s://@", 5, 5, 5),
    OK("s://u:p:q@h:1", 13, 10, 11),
    OK("s://h:80a@x", 11, 10, 11),
    OK("s://a:1@h/", 10, 8, 9), /* the host reading, in a port, starts afresh */
    OK("s://u%41$:@h", 12, 11, 12),
    OK("s://u@[::1]:8/", 14, 6, 11),
    BAD("s://a@b@c", E_RUA_HOST, 7),
    BAD("s://a@b[", E_RUA_HOST, 7),
    BAD("s://a@:x", E_RUA_PORT, 7),
    BAD("s://a@b:1@", E_RUA_PORT, 9),
    BAD("s://u%zz@h", E_RUA_PERCENT, 6),
    BAD("s://u[@h", E_RUA_HOST, 5),

    /* ---- IP-literal: the host reading only ("[" is no userinfo byte) ---- */
    OK("s://[::1]", 9, 4, 9),
    OK("s://[::1]:", 10, 4, 9),
    OK("s://[::1]:80/p", 14, 4, 9),
    BAD("s://[::1]x", E_RUA_HOST, 9),
    BAD("s://[::1]@", E_RUA_HOST, 9),
    BAD("s://[::1]]", E_RUA_HOST, 9),
    BAD("s://[::1]:8x", E_RUA_PORT, 11),
    BAD("s://[::1", E_RUA_IP_LITERAL, 8),
    BAD("s://[::1/", E_RUA_IP_LITERAL, 8),
    BAD("s://[::1!]", E_RUA_CHAR, 8),
    BAD("s://[", E_RUA_IP_LITERAL, 5),

    /* IPv6address, the nine forms of RFC 3986 3.2.2 */
    IP_OK("1:2:3:4:5:6:7:8"),     /* 6( h16 ":" ) ls32 */
    IP_OK("1:2:3:4:5:6:1.2.3.4"), /* ... with an IPv4 ls32 */
    IP_OK("::2:3:4:5:6:7:8"),     /* "::" 5( h16 ":" ) ls32 */
    IP_OK("::2:3:4:5:6:1.2.3.4"), /* */
    IP_OK("1::3:4:5:6:7:8"),      /* [ h16 ] "::" 4( h16 ":" ) ls32 */
    IP_OK("::3:4:5:6:7:8"),       /* */
    IP_OK("1:2::4:5:6:7:8"),      /* [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32 */
    IP_OK("1:2:3::5:6:7:8"),      /* [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32 */
    IP_OK("1:2:3:4::6:7:8"),      /* [ *3( h16 ":" ) h16 ] "::" h16 ":" ls32 */
    IP_OK("1:2:3:4:5::7:8"),      /* [ *4( h16 ":" ) h16 ] "::" ls32 */
    IP_OK("1:2:3:4:5::1.2.3.4"),  /* */
    IP_OK("1:2:3:4:5:6::8"),      /* [ *5( h16 ":" ) h16 ] "::" h16 */
    IP_OK("1:2:3:4:5:6:7::"),     /* [ *6( h16 ":" ) h16 ] "::" */
    IP_OK("::"),                  /* */
    IP_OK("ffff:FFFF:abcd:0:00:000:0000:1"),
    IP_OK("::ffff:192.0.2.255"),
    IP_OK("::0.0.0.0"),
    IP_OK("1::1.2.3.4"),
    IP_OK("2001:db8::192.0.2.1"),
    IP_BAD("1:2:3:4:5:6:7:8:9", 15),     /* a ninth group */
    IP_BAD("1:2:3:4:5:6:7:8::", 15),     /* eight groups and "::" */
    IP_BAD("1:2:3:4:5:6:7]", 13),        /* seven groups, no "::" */
    IP_BAD("1:2:3:4:5:6:7::8", 15),      /* "::" must stand for one group */
    IP_BAD("::1:2:3:4:5:6:7:8", 15),     /* */
    IP_BAD("1:2:3:4:5:6::8:9", 14),      /* */
    IP_BAD("1::2::3", 5),                /* two "::" */
    IP_BAD(":::", 2),                    /* */
    IP_BAD(":1", 1),                     /* a lone leading ":" */
    IP_BAD("1:]", 2),                    /* a lone trailing ":" */
    IP_BAD("12345", 4),                  /* h16 = 1*4HEXDIG */
    IP_BAD("g", 0),                      /* */
    IP_BAD("::[", 2),                    /* */
    IP_BAD("fe80::1%25en0]", 7),         /* zone IDs are RFC 6874, not RFC 3986 */
    IP_BAD("1:2:3:4:5:1.2.3.4", 11),     /* an IPv4 tail needs six groups */
    IP_BAD("1:2:3:4:5:6:7:1.2.3.4", 15), /* */
    IP_BAD("1:2:3:4:5:6::1.2.3.4", 14),  /* */
    IP_BAD("::1.2.3.4:5", 9),            /* the IPv4 tail is last */
    IP_BAD("::1.2.3]", 7),               /* four octets */
    IP_BAD("::1.2..3", 6),               /* */
    IP_BAD("::1.2.3.4.5", 9),            /* */
    IP_BAD("::256.1.1.1", 5),            /* dec-octet: at most 255 */
    IP_BAD("::1.2.3.256", 10),           /* */
    IP_BAD("::01.1.1.1", 4),             /* dec-octet: no leading zero */
    IP_BAD("::1.2.3.04", 9),             /* */
    IP_BAD("::1a.2.3.4", 4),             /* dec-octet: DIGIT only */
    IP_BAD("::1234.1.1.1", 6),           /* */
    IP_OK("::1.2.3.255"),
    IP_OK("::1.2.3.0"),
    IP_OK("::10.200.249.199"),
    IP_OK("::255.0.0.1"), /* the first octet (read as an h16) at its bounds */
    IP_OK("::0.1.2.3"),
    IP_OK("::99.1.2.3"),

    /* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
    IP_OK("v1.x"),
    IP_OK("V1.x"),
    IP_OK("vAf09.a-._~$&'()*+=:"),
    IP_BAD("v", 1),
    IP_BAD("vx", 1),
    IP_BAD("v.x", 1),
    IP_BAD("v1x", 2),
    IP_BAD("v19x]", 3),
    IP_BAD("v1.]", 3),
    IP_BAD("v1.a%20]", 4),
    IP_BAD("v1.a@]", 4),
    IP_BAD("v1.a/]", 4),

    /* ---- path, query, fragment ---- */
    OK("s:?a?b#c/?:@", 2, NO_HOST, 0),
    OK("s:a%41%2f%2C", 12, NO_HOST, 0),
    OK("s://h/a:b@c$&'()*+=", 19, 4, 5),
    BAD("s:a[", E_RUA_RESERVED, 3),
    BAD("s:a]", E_RUA_RESERVED, 3),
    BAD("s:/[", E_RUA_RESERVED, 3),
    BAD("s:?[", E_RUA_RESERVED, 3),
    BAD("s:#a#", E_RUA_RESERVED, 4),
    BAD("s:#]", E_RUA_RESERVED, 3),
    BAD("s://h/[", E_RUA_RESERVED, 6),
    BAD("s://h?]", E_RUA_RESERVED, 6),
    BAD("s://h#[", E_RUA_RESERVED, 6),
    BAD("s:a%zz", E_RUA_PERCENT, 4),
    BAD("s:a%", E_RUA_PERCENT, 4),
    BAD("s:a%4", E_RUA_PERCENT, 5),
    BAD("s:%", E_RUA_PERCENT, 3),
    BAD("s:a!", E_RUA_CHAR, 3),
    BAD("s:a,", E_RUA_CHAR, 3),
    BAD("s:a;", E_RUA_CHAR, 3),
    BAD("s:a b", E_RUA_CHAR, 3),
    BAD("s:a\"", E_RUA_CHAR, 3),
    BAD("s:a\x7f", E_RUA_CHAR, 3),
    BAD("s:a\x80", E_RUA_CHAR, 3),
    BAD("s:?a\\", E_RUA_CHAR, 4),
    BAD("s:#a{", E_RUA_CHAR, 4),
};

#define NROWS (sizeof rows / sizeof rows[0])

/* Feed in[0..len) then end the URI there; *fed_all tells whether every
 * byte was taken. */
static bool scan(uri_scan *u, const char *in, size_t len, bool *fed_all) {
  uri_begin(u, 0);
  *fed_all = false;
  for (size_t i = 0; i < len; i++)
    if (!uri_feed(u, (unsigned char)in[i], i))
      return false;
  *fed_all = true;
  return uri_end(u, len);
}

/* The same through uri_feed_run, whose fast paths pass runs over: it must
 * judge every row as the byte-by-byte feed does. */
static bool scan_run(uri_scan *u, const char *in, size_t len) {
  uri_begin(u, 0);
  size_t fed = uri_feed_run(u, (const unsigned char *)in, len, 0);
  if (u->code != MTASTS_OK)
    return false;
  if (fed < len) /* a byte outside the URI characters: uri_feed refuses it */
    return uri_feed(u, (unsigned char)in[fed], fed) && uri_end(u, len);
  return uri_end(u, len);
}

static void assert_same_scan(const char *what, bool ok, const uri_scan *u, bool run_ok,
                             const uri_scan *v) {
  if (ok != run_ok || u->code != v->code || u->err_offset != v->err_offset)
    fail_msg("%s: uri_feed %s@%zu, uri_feed_run %s@%zu", what, mtasts_errname(u->code),
             u->err_offset, mtasts_errname(v->code), v->err_offset);
  if (ok && (u->hier_end != v->hier_end || u->authority != v->authority ||
             u->host_start != v->host_start || u->host_end != v->host_end || u->colon != v->colon))
    fail_msg("%s: uri_feed_run's parts differ from uri_feed's", what);
}

static void check_row(const uri_row *r) {
  size_t len = strlen(r->in);
  const char *in = guard_copy(r->in, len);
  uri_scan u, v;
  bool fed_all;
  bool ok = scan(&u, in, len, &fed_all);
  assert_same_scan(show(r->in, len), ok, &u, scan_run(&v, in, len), &v);
  if (r->code != MTASTS_OK) {
    if (ok)
      fail_msg("%s: accepted, want %s@%zu", show(r->in, len), mtasts_errname(r->code), r->off);
    assert_code_at(show(r->in, len), u.code, u.err_offset, r->code, r->off);
    /* Reported at the end only when the bytes ran out. */
    assert_int_equal(fed_all, r->off == len);
    return;
  }
  if (!ok)
    fail_msg("%s: %s@%zu, want a URI", show(r->in, len), mtasts_errname(u.code), u.err_offset);
  if (u.hier_end != r->off)
    fail_msg("%s: hier-part ends at %zu, want %zu", show(r->in, len), u.hier_end, r->off);
  assert_int_equal(u.authority, r->host_start != NO_HOST);
  if (u.authority && (u.host_start != r->host_start || u.host_end != r->host_end))
    fail_msg("%s: host %zu-%zu, want %zu-%zu", show(r->in, len), u.host_start, u.host_end,
             r->host_start, r->host_end);
  assert_int_equal(u.colon, (size_t)(strchr(r->in, ':') - r->in));
}

static void test_rows(void **state) {
  (void)state;
  for (size_t i = 0; i < NROWS; i++)
    check_row(&rows[i]);
}

/* Every prefix of a valid URI can still become one: no byte of it fails,
 * and where it stops it is a URI or fails exactly there. */
static void test_prefixes_of_valid_rows_are_viable(void **state) {
  (void)state;
  size_t checked = 0;
  for (size_t i = 0; i < NROWS; i++) {
    if (rows[i].code != MTASTS_OK)
      continue;
    for (size_t n = 0; n < strlen(rows[i].in); n++) {
      uri_scan u;
      bool fed_all;
      if (!scan(&u, rows[i].in, n, &fed_all) && (!fed_all || u.err_offset != n))
        fail_msg("%s: prefix %zu fails at %zu (%s)", rows[i].in, n, u.err_offset,
                 mtasts_errname(u.code));
      checked++;
    }
  }
  assert_true(checked > 500);
}

/* The offsets are the caller's: a URI may start anywhere in a record. */
static void test_offsets_are_relative_to_the_start(void **state) {
  (void)state;
  static const char in[] = "s://[::1";
  uri_scan u;
  uri_begin(&u, 1000);
  for (size_t i = 0; i < sizeof in - 1; i++)
    assert_true(uri_feed(&u, (unsigned char)in[i], 1000 + i));
  assert_false(uri_end(&u, 1000 + sizeof in - 1));
  assert_code_at("offset 1000", u.code, u.err_offset, MTASTS_E_RUA_IP_LITERAL, 1008);
  uri_begin(&u, 7);
  static const char ok[] = "s://u@h:1?q";
  for (size_t i = 0; i < sizeof ok - 1; i++)
    assert_true(uri_feed(&u, (unsigned char)ok[i], 7 + i));
  assert_true(uri_end(&u, 7 + sizeof ok - 1));
  assert_int_equal(u.colon, 8);
  assert_int_equal(u.host_start, 13);
  assert_int_equal(u.host_end, 14);
  assert_int_equal(u.hier_end, 16);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows),
      cmocka_unit_test(test_prefixes_of_valid_rows_are_viable),
      cmocka_unit_test(test_offsets_are_relative_to_the_start),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
