/*
 * test_tlsrpt.c - _smtp._tls TXT records (RFC 8460 3, rulings R20, R20a):
 * mtasts_tlsrpt_parse, _parse_strings, _copy, _select and _write.
 *
 * Every table row is parsed from a guard-paged copy into a poisoned
 * result, then again as every split into 2 and 3 character-strings; the
 * valid rows are also written back and reparsed, and each of their strict
 * prefixes is checked against the rule in expect_prefix().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define S MTASTS_STRICT
#define L MTASTS_LENIENT

typedef struct rpt_row {
  const char *name;
  const char *in;
  size_t len; /* explicit, so a row may hold NUL */
  mtasts_profile prof;
  mtasts_code code;
  size_t off;
  const char *ruas;  /* valid rows: "uri uri" */
  const char *exts;  /* "name=value name=value" */
  const char *warns; /* "W_CODE@off W_CODE@off" */
} rpt_row;

#define ROW(nm, input, pr, cd, of, ru, ex, wa)                                                     \
  { nm, input, sizeof(input) - 1, pr, MTASTS_##cd, of, ru, ex, wa }
#define OK_ROW(nm, input, pr, ru, ex, wa) ROW(nm, input, pr, OK, 0, ru, ex, wa)
#define ERR_ROW(nm, input, pr, cd, of) ROW(nm, input, pr, cd, of, "", "", "")

/* A literal as (guard-paged copy, length), for calls outside the tables. */
#define G(lit) guard_copy_slot(7, (lit), sizeof(lit) - 1), sizeof(lit) - 1

/* Point each chunk (at most 3) at a guard-paged copy of its bytes. */
static void guard_chunks(mtasts_chunk *ch, size_t n) {
  assert_true(n <= 3);
  for (size_t i = 0; i < n; i++)
    if (ch[i].ptr != NULL)
      ch[i].ptr = guard_copy_slot(4 + (int)i, ch[i].ptr, ch[i].len);
}

/* 27 bytes: a record with one rua whose next field starts at 28. */
#define V "v=TLSRPTv1; "
#define R1 V "rua=mailto:a@b;"

static const rpt_row rows[] = {
    /* ---- valid ---- */
    OK_ROW("rfc_mailto", "v=TLSRPTv1;rua=mailto:reports@example.com", S,
           "mailto:reports@example.com", "", ""),
    OK_ROW("rfc_https", V "rua=https://reporting.example.com/v1/tlsrpt", S,
           "https://reporting.example.com/v1/tlsrpt", "", ""),
    OK_ROW("R20_list", V "rua=mailto:a@example.com,https://r.example/x", S,
           "mailto:a@example.com https://r.example/x", "", ""),
    OK_ROW("R20_list_wsp_around_comma", V "rua=mailto:a@b.example \t, \tmailto:c@d.example;", S,
           "mailto:a@b.example mailto:c@d.example", "", ""),
    OK_ROW("R20_scheme_case_insensitive", V "rua=MAILTO:a@b,HtTpS://h", S, "MAILTO:a@b HtTpS://h",
           "", ""),
    OK_ROW("R1_wsp_before_semicolon", "v=TLSRPTv1 ; rua=mailto:a@b", S, "mailto:a@b", "", ""),
    OK_ROW("percent_encoded_must_encode_chars", V "rua=mailto:a%2C%21%3bb@c", S,
           "mailto:a%2C%21%3bb@c", "", ""),
    OK_ROW("uri_sub_delims_and_equals", V "rua=https://h.example/p?a=b&c=d$'()*+~-._:@/?#f/?:@;", S,
           "https://h.example/p?a=b&c=d$'()*+~-._:@/?#f/?:@", "", ""),
    OK_ROW("https_userinfo_port_ip_literal", V "rua=https://u:p@h/x,https://[::1]/,https://h:443",
           S, "https://u:p@h/x https://[::1]/ https://h:443", "", ""),
    OK_ROW("R20a_ip_literals_and_ports",
           V "rua=https://[2001:db8::192.0.2.1]:,https://[v1F.a:b]/,https://1.2.3.256:08/", S,
           "https://[2001:db8::192.0.2.1]: https://[v1F.a:b]/ https://1.2.3.256:08/", "", ""),
    OK_ROW("R20a_userinfo_with_colon_and_percent", V "rua=https://h:80a%41@x/,mailto://a@b", S,
           "https://h:80a%41@x/ mailto://a@b", "", ""),
    OK_ROW("R20a_mailto_address_then_headers", V "rua=mailto:a@b?subject=x#f,MAILTO:@@@", S,
           "mailto:a@b?subject=x#f MAILTO:@@@", "", ""),
    OK_ROW("extension_kept", V "rua=mailto:a@b; ext=1", S, "mailto:a@b", "ext=1", ""),
    OK_ROW("RUA_upper_is_an_extension", V "RUA=x; rua=mailto:a@b", S, "mailto:a@b", "RUA=x", ""),
    OK_ROW("R3_duplicate_rua_first_wins", R1 " rua=mailto:c@d", S, "mailto:a@b", "",
           "W_DUPLICATE_FIELD@28"),
    OK_ROW("R20_duplicate_rua_as_extension", R1 " rua=x!y", S, "mailto:a@b", "",
           "W_DUPLICATE_FIELD@28"),
    OK_ROW("R20_duplicate_rua_as_list_with_wsp", R1 " rua=x:y , z:w", S, "mailto:a@b", "",
           "W_DUPLICATE_FIELD@28"),
    OK_ROW("R20_duplicate_rua_unsupported_scheme", R1 " rua=ftp://x", S, "mailto:a@b", "",
           "W_DUPLICATE_FIELD@28"),
    OK_ROW("R20_duplicate_rua_extension_then_delimiter", R1 " rua=x!y ;", S, "mailto:a@b", "",
           "W_DUPLICATE_FIELD@28"),
    OK_ROW("R3_duplicate_version", R1 " v=TLSRPTv2", S, "mailto:a@b", "", "W_DUPLICATE_FIELD@28"),
    OK_ROW("R3_duplicate_extension", R1 " e=1; e=2", S, "mailto:a@b", "e=1",
           "W_DUPLICATE_FIELD@33"),
    OK_ROW("R3_duplicate_rua_lenient", R1 " rua=mailto:c@d", L, "mailto:a@b", "",
           "W_DUPLICATE_FIELD@28"),
    OK_ROW("R20_lenient_skips_unsupported", V "rua=ftp://x.example,mailto:a@b", L, "mailto:a@b", "",
           "W_RUA_SKIPPED@16"),
    OK_ROW("R20_lenient_skips_scheme_chars", V "rua=a1+-.:x,mailto:a@b", L, "mailto:a@b", "",
           "W_RUA_SKIPPED@16"),
    OK_ROW("R20a_lenient_skips_no_address",
           V "rua=mailto:a,MAILTO:#a@example.com,mailto:?to=a@b,mailto:@b,mailto:a@,mailto:a@b", L,
           "mailto:a@b", "",
           "W_RUA_SKIPPED@16 W_RUA_SKIPPED@25 W_RUA_SKIPPED@47 W_RUA_SKIPPED@62 W_RUA_SKIPPED@72"),
    OK_ROW("R20_lenient_skips_no_destination",
           V "rua=mailto:,https:x,https://,https://u@,https://:443,mailto:a@b", L, "mailto:a@b", "",
           "W_RUA_SKIPPED@16 W_RUA_SKIPPED@24 W_RUA_SKIPPED@32 W_RUA_SKIPPED@41 W_RUA_SKIPPED@52"),
    OK_ROW("lenient5_trailing_wsp", V "rua=mailto:a@b ", L, "mailto:a@b", "",
           "W_TXT_TRAILING_WSP@26"),
    OK_ROW("lenient5_trailing_wsp_after_extension", V "rua=mailto:a@b; e=1\t", L, "mailto:a@b",
           "e=1", "W_TXT_TRAILING_WSP@31"),

    /* ---- version and required rua ---- */
    ERR_ROW("empty", "", S, E_EMPTY, 0),
    ERR_ROW("version_2", "v=TLSRPTv2; rua=mailto:a@b", S, E_TXT_VERSION, 9),
    ERR_ROW("version_lower", "v=tlsrptv1; rua=mailto:a@b", S, E_TXT_VERSION, 2),
    ERR_ROW("version_upper_V", "V=TLSRPTv1; rua=mailto:a@b", S, E_TXT_VERSION, 0),
    ERR_ROW("version_sts", "v=STSv1; rua=mailto:a@b", S, E_TXT_VERSION, 2),
    ERR_ROW("version_10", "v=TLSRPTv10; rua=mailto:a@b", S, E_TXT_VERSION, 10),
    ERR_ROW("version_nul", "v=TLS\0RPTv1; rua=mailto:a@b", S, E_NUL, 5),
    ERR_ROW("missing_rua_version_only", "v=TLSRPTv1", S, E_TLSRPT_MISSING_RUA, 10),
    ERR_ROW("missing_rua_final_delimiter", "v=TLSRPTv1;", S, E_TLSRPT_MISSING_RUA, 11),
    ERR_ROW("missing_rua_upper_RUA", V "RUA=mailto:a@b", S, E_TLSRPT_MISSING_RUA, 26),
    ERR_ROW("expected_delimiter", V "rua=mailto:a@b x", S, E_TXT_EXPECTED_DELIM, 27),
    ERR_ROW("lenient5_trailing_wsp_strict", V "rua=mailto:a@b ", S, E_TXT_TRAILING_WSP, 26),

    /* ---- the rua list ---- */
    ERR_ROW("rua_value_empty", V "rua=", S, E_TXT_VALUE_EMPTY, 16),
    ERR_ROW("rua_value_empty_delimiter", V "rua=;", S, E_TXT_VALUE_EMPTY, 16),
    ERR_ROW("rua_value_leading_space", V "rua= mailto:a@b", S, E_TXT_VALUE_EMPTY, 16),
    ERR_ROW("R20_empty_first_element", V "rua=,mailto:a@b", S, E_RUA_EMPTY, 16),
    ERR_ROW("R20_empty_inner_element", V "rua=mailto:a@b,,mailto:c@d", S, E_RUA_EMPTY, 27),
    ERR_ROW("R20_empty_last_element", V "rua=mailto:a@b,", S, E_RUA_EMPTY, 27),
    ERR_ROW("R20_empty_element_before_delimiter", V "rua=mailto:a@b, ;", S, E_RUA_EMPTY, 28),
    ERR_ROW("R20_empty_element_wsp_end", V "rua=mailto:a@b , ", S, E_RUA_EMPTY, 29),
    ERR_ROW("R20_empty_element_lenient", V "rua=mailto:a@b,,mailto:c@d", L, E_RUA_EMPTY, 27),

    /* ---- scheme ---- */
    ERR_ROW("R20_no_scheme_end", V "rua=mailto", S, E_RUA_SCHEME, 22),
    ERR_ROW("R20_scheme_starts_with_digit", V "rua=1mailto:a", S, E_RUA_SCHEME, 16),
    ERR_ROW("R20_scheme_bad_char", V "rua=mai_lto:a", S, E_RUA_SCHEME, 19),
    ERR_ROW("R20_scheme_empty", V "rua=:a", S, E_RUA_SCHEME, 16),
    ERR_ROW("R20_no_scheme_address", V "rua=a@b", S, E_RUA_SCHEME, 17),
    ERR_ROW("R20_no_scheme_delimiter", V "rua=mailto;", S, E_RUA_SCHEME, 22),
    ERR_ROW("R20_scheme_percent", V "rua=%41:x", S, E_RUA_SCHEME, 16),
    ERR_ROW("R20_no_scheme_lenient", V "rua=a@b,mailto:a@b", L, E_RUA_SCHEME, 17),

    /* ---- URI characters ---- */
    ERR_ROW("R20_raw_bang", V "rua=mailto:a!b", S, E_RUA_CHAR, 24),
    ERR_ROW("R20_raw_bang_lenient", V "rua=mailto:a!b", L, E_RUA_CHAR, 24),
    ERR_ROW("R20_dmarc_size_suffix", V "rua=mailto:a@b!10m", S, E_RUA_CHAR, 26),
    ERR_ROW("uri_quote", V "rua=mailto:a\"b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_less_than", V "rua=mailto:a<b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_backslash", V "rua=mailto:a\\b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_caret", V "rua=mailto:a^b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_backtick", V "rua=mailto:a`b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_brace", V "rua=mailto:a{b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_bar", V "rua=mailto:a|b", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_x7f", V "rua=mailto:a\x7f", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_x80", V "rua=mailto:a\x80", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_cr", V "rua=mailto:a\r", S, E_RUA_CHAR, 24),
    ERR_ROW("uri_nul", V "rua=mailto:a\0", S, E_NUL, 24),
    ERR_ROW("scheme_nul", V "rua=mai\0lto:a", S, E_NUL, 19),
    ERR_ROW("element_nul", V "rua=mailto:a@b,\0", S, E_NUL, 27),
    ERR_ROW("percent_at_end", V "rua=mailto:a%", S, E_RUA_PERCENT, 25),
    ERR_ROW("percent_one_digit_end", V "rua=mailto:a%4", S, E_RUA_PERCENT, 26),
    ERR_ROW("percent_second_not_hex", V "rua=mailto:a%4g", S, E_RUA_PERCENT, 26),
    ERR_ROW("percent_first_not_hex", V "rua=mailto:a%g4", S, E_RUA_PERCENT, 25),
    ERR_ROW("percent_then_comma", V "rua=mailto:a%,b", S, E_RUA_PERCENT, 25),
    ERR_ROW("percent_then_nul", V "rua=mailto:a%2\0", S, E_NUL, 26),

    /* ---- the URI grammar (R20a; uri.c, whose own table is test_uri.c) ---- */
    ERR_ROW("R20a_issue_port_not_digits", V "rua=https://h:80a/", S, E_RUA_PORT, 29),
    ERR_ROW("R20a_issue_ipv6_one_leading_colon", V "rua=https://[:1]/", S, E_RUA_IP_LITERAL, 26),
    ERR_ROW("R20a_issue_ipv6_triple_colon", V "rua=https://[2001:::1]/", S, E_RUA_IP_LITERAL, 31),
    ERR_ROW("R20a_issue_bracket_after_reg_name", V "rua=https://.x]/", S, E_RUA_HOST, 26),
    ERR_ROW("R20a_issue_ipvfuture_not_hex", V "rua=https://[v19x]/", S, E_RUA_IP_LITERAL, 28),
    ERR_ROW("R20a_issue_mailto_fragment_only", V "rua=MAILTO:#a@example.com", S,
            E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20a_port_not_digits_at_end", V "rua=https://h:80a", S, E_RUA_PORT, 29),
    ERR_ROW("R20a_port_not_digits_before_delimiter", V "rua=https://h:80a;", S, E_RUA_PORT, 29),
    ERR_ROW("R20a_port_after_ip_literal", V "rua=https://[::1]:8x", S, E_RUA_PORT, 31),
    ERR_ROW("R20a_port_percent_userinfo_percent", V "rua=https://h:8%zz@x", S, E_RUA_PERCENT, 28),
    ERR_ROW("R20a_two_at_signs", V "rua=https://a@b@c/", S, E_RUA_HOST, 27),
    ERR_ROW("R20a_after_ip_literal", V "rua=https://[::1]x/", S, E_RUA_HOST, 29),
    ERR_ROW("R20a_ip_literal_unclosed", V "rua=https://[::1", S, E_RUA_IP_LITERAL, 28),
    ERR_ROW("R20a_ip_literal_unclosed_comma", V "rua=https://[::1,mailto:a@b", S, E_RUA_IP_LITERAL,
            28),
    ERR_ROW("R20a_ip_literal_empty", V "rua=https://[]/", S, E_RUA_IP_LITERAL, 25),
    ERR_ROW("R20a_ipv4_octet_256", V "rua=https://[::1.2.3.256]/", S, E_RUA_IP_LITERAL, 35),
    ERR_ROW("R20a_ipv4_leading_zero", V "rua=https://[::1.2.3.04]/", S, E_RUA_IP_LITERAL, 34),
    ERR_ROW("R20a_ip_literal_bang", V "rua=https://[::1!]/", S, E_RUA_CHAR, 28),
    ERR_ROW("R20a_zone_id_not_rfc3986", V "rua=https://[fe80::1%25en0]/", S, E_RUA_IP_LITERAL, 32),
    ERR_ROW("R20a_bracket_in_path", V "rua=https://h/a[1]", S, E_RUA_RESERVED, 27),
    ERR_ROW("R20a_bracket_in_query", V "rua=https://h/?]", S, E_RUA_RESERVED, 27),
    ERR_ROW("R20a_second_fragment", V "rua=mailto:a@b#c#d", S, E_RUA_RESERVED, 28),
    ERR_ROW("R20a_bracket_in_mailto", V "rua=mailto:[a]@b", S, E_RUA_RESERVED, 23),
    ERR_ROW("R20a_grammar_before_scheme_check", V "rua=ftp://[x]/", S, E_RUA_IP_LITERAL, 23),
    ERR_ROW("R20a_grammar_lenient_too", V "rua=https://[::1/,mailto:a@b", L, E_RUA_IP_LITERAL, 28),

    /* ---- usable URIs (R20) ---- */
    ERR_ROW("R20_unsupported_scheme", V "rua=ftp://x", S, E_RUA_UNSUPPORTED_SCHEME, 16),
    ERR_ROW("R20_unsupported_http", V "rua=mailto:a@b,http://x", S, E_RUA_UNSUPPORTED_SCHEME, 27),
    ERR_ROW("R20_unsupported_longer_name", V "rua=mailtox:a", S, E_RUA_UNSUPPORTED_SCHEME, 16),
    ERR_ROW("R20_unsupported_shorter_name", V "rua=mail:a", S, E_RUA_UNSUPPORTED_SCHEME, 16),
    ERR_ROW("R20_syntax_checked_before_scheme", V "rua=ftp://x!y", S, E_RUA_CHAR, 23),
    ERR_ROW("R20_mailto_empty", V "rua=mailto:", S, E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20a_mailto_local_part_only", V "rua=mailto:a", S, E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20a_mailto_empty_local_part", V "rua=mailto:@b", S, E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20a_mailto_empty_domain", V "rua=mailto:a@?x", S, E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20a_mailto_address_only_in_headers", V "rua=mailto:?to=a@b", S, E_RUA_NO_DESTINATION,
            23),
    ERR_ROW("R20a_mailto_encoded_at", V "rua=mailto:a%40b", S, E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20_mailto_empty_delimiter", V "rua=mailto:;", S, E_RUA_NO_DESTINATION, 23),
    ERR_ROW("R20_https_no_slashes", V "rua=https:x", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_one_slash", V "rua=https:/x", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_empty", V "rua=https:", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_no_host", V "rua=https://", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_path_only", V "rua=https:///x", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_query_only", V "rua=https://?q", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_fragment_only", V "rua=https://#f", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_userinfo_only", V "rua=https://u@", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_userinfo_path", V "rua=https://u@/x", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_https_port_only", V "rua=https://:443", S, E_RUA_NO_DESTINATION, 22),
    ERR_ROW("R20_second_mailto_empty", V "rua=mailto:a@b,mailto:", S, E_RUA_NO_DESTINATION, 34),
    ROW("R20_lenient_none_usable", V "rua=ftp://x", L, E_RUA_NONE_USABLE, 16, "", "",
        "W_RUA_SKIPPED@16"),
    ROW("R20_lenient_none_usable_two", V "rua=mailto:,https:x", L, E_RUA_NONE_USABLE, 16, "", "",
        "W_RUA_SKIPPED@16 W_RUA_SKIPPED@24"),
    ERR_ROW("R20_first_rua_decides_strict", V "rua=ftp://x; rua=mailto:a@b", S,
            E_RUA_UNSUPPORTED_SCHEME, 16),
    ROW("R20_first_rua_decides_lenient", V "rua=ftp://x; rua=mailto:a@b", L, E_RUA_NONE_USABLE, 16,
        "", "", "W_RUA_SKIPPED@16"),

    /* ---- R3: an ignored duplicate rua must still be grammatical ---- */
    ERR_ROW("R3_duplicate_rua_empty", R1 " rua=", S, E_TXT_VALUE_EMPTY, 32),
    ERR_ROW("R3_duplicate_rua_bad_both_ways_tie", R1 " rua=a:b\x80", S, E_RUA_CHAR, 35),
    ERR_ROW("R3_duplicate_rua_extension_further", R1 " rua=ab!=", S, E_TXT_VALUE_CHAR, 35),
    ERR_ROW("R3_duplicate_rua_list_further", R1 " rua=a:b=c\x80", S, E_RUA_CHAR, 37),
    ERR_ROW("R3_duplicate_rua_list_past_extension", R1 " rua=a:b ,x", S, E_RUA_SCHEME, 38),
    ERR_ROW("R3_duplicate_rua_list_empty_element", R1 " rua=a:b ,,", S, E_RUA_EMPTY, 37),
    ROW("R3_duplicate_rua_extension_then_junk", R1 " rua=x!y z", S, E_TXT_EXPECTED_DELIM, 36, "",
        "", "W_DUPLICATE_FIELD@28"),
    ROW("R3_duplicate_rua_list_then_junk", R1 " rua=a:b x", S, E_TXT_EXPECTED_DELIM, 36, "", "",
        "W_DUPLICATE_FIELD@28"),
    ERR_ROW("R3_duplicate_version_bad", R1 " v==", S, E_TXT_VALUE_CHAR, 30),
};

#define NROWS (sizeof rows / sizeof rows[0])

/* ------------------------------------------------------------------ */
/* Rendering a result as strings, for comparison and messages          */
/* ------------------------------------------------------------------ */

typedef struct snap {
  mtasts_code code;
  size_t off;
  char ruas[16384];
  char exts[16384];
  char warns[1024];
} snap;

static void append(char *buf, size_t cap, const char *s, size_t n) {
  size_t have = strlen(buf);
  if (have + n + 1 > cap)
    fail_msg("render buffer too small");
  memcpy(buf + have, s, n);
  buf[have + n] = '\0';
}

static size_t copy_span(const mtasts_tlsrpt *t, mtasts_span s, char *dst, size_t cap) {
  size_t n = mtasts_tlsrpt_copy(t, s, dst, cap);
  assert_int_equal(n, s.len);
  assert_true(n <= cap);
  return n;
}

static void append_span(char *buf, size_t cap, const mtasts_tlsrpt *t, mtasts_span s) {
  char tmp[4096];
  append(buf, cap, tmp, copy_span(t, s, tmp, sizeof tmp));
}

/* Every kept URI: its scheme span is the URI up to the first ":", and its
 * kind is that scheme, compared case-insensitively. */
static void check_rua(const mtasts_tlsrpt *t, const mtasts_rua *r) {
  char uri[4096], scheme[64];
  size_t un = copy_span(t, r->uri, uri, sizeof uri);
  size_t sn = copy_span(t, r->scheme, scheme, sizeof scheme);
  assert_int_equal(r->scheme.off, r->uri.off);
  assert_true(sn < un && uri[sn] == ':' && memchr(uri, ':', sn) == NULL);
  assert_memory_equal(uri, scheme, sn);
  for (size_t i = 0; i < sn; i++)
    scheme[i] = (char)(scheme[i] | 0x20);
  if (sn == 6 && memcmp(scheme, "mailto", 6) == 0)
    assert_int_equal(r->kind, MTASTS_RUA_MAILTO);
  else if (sn == 5 && memcmp(scheme, "https", 5) == 0)
    assert_int_equal(r->kind, MTASTS_RUA_HTTPS);
  else
    fail_msg("kept a URI with scheme %s", show(scheme, sn));
}

static void render_warns(char *buf, size_t cap, const mtasts_diags *w) {
  buf[0] = '\0';
  for (size_t i = 0; i < w->count && i < w->cap; i++) {
    char one[64];
    int n = snprintf(one, sizeof one, "%s%s@%zu", i ? " " : "", mtasts_errname(w->items[i].code),
                     w->items[i].offset);
    append(buf, cap, one, (size_t)n);
  }
}

static void take_snap(snap *s, mtasts_code code, const mtasts_tlsrpt *t, const mtasts_diags *w) {
  s->code = code;
  s->off = t->err_offset;
  s->ruas[0] = s->exts[0] = '\0';
  for (size_t i = 0; i < t->rua_count; i++) {
    check_rua(t, &t->rua[i]);
    if (i > 0)
      append(s->ruas, sizeof s->ruas, " ", 1);
    append_span(s->ruas, sizeof s->ruas, t, t->rua[i].uri);
  }
  for (size_t i = 0; i < t->ext_count; i++) {
    if (i > 0)
      append(s->exts, sizeof s->exts, " ", 1);
    append_span(s->exts, sizeof s->exts, t, t->ext[i].name);
    append(s->exts, sizeof s->exts, "=", 1);
    append_span(s->exts, sizeof s->exts, t, t->ext[i].value);
  }
  render_warns(s->warns, sizeof s->warns, w);
}

static void assert_snap_equal(const char *name, const snap *got, const snap *want) {
  assert_code_at(name, got->code, got->off, want->code, want->off);
  if (strcmp(got->ruas, want->ruas) != 0 || strcmp(got->exts, want->exts) != 0 ||
      strcmp(got->warns, want->warns) != 0)
    fail_msg("%s: got rua=[%s] exts=[%s] warns=[%s], want rua=[%s] exts=[%s] warns=[%s]", name,
             got->ruas, got->exts, got->warns, want->ruas, want->exts, want->warns);
}

static void assert_cleared(const char *name, const mtasts_tlsrpt *t) {
  mtasts_tlsrpt zero;
  memset(&zero, 0, sizeof zero);
  zero.rua = t->rua;
  zero.rua_cap = t->rua_cap;
  zero.ext = t->ext;
  zero.ext_cap = t->ext_cap;
  zero.err_offset = t->err_offset;
  if (memcmp(&zero, t, sizeof zero) != 0)
    fail_msg("%s: failed parse left data in the result", name);
  static const mtasts_rua blank_rua;
  static const mtasts_ext blank_ext;
  for (size_t i = 0; i < t->rua_cap; i++)
    if (memcmp(&t->rua[i], &blank_rua, sizeof blank_rua) != 0)
      fail_msg("%s: failed parse left rua[%zu] in the caller's array", name, i);
  for (size_t i = 0; i < t->ext_cap; i++)
    if (memcmp(&t->ext[i], &blank_ext, sizeof blank_ext) != 0)
      fail_msg("%s: failed parse left ext[%zu] in the caller's array", name, i);
}

/* Storage for every URI and extension, set in a poisoned result: the
 * poisoned counts say an earlier call may have filled the whole arrays. */
static void set_storage(mtasts_tlsrpt *t, mtasts_rua *rua, mtasts_ext *ext) {
  t->rua = rua;
  t->rua_cap = MTASTS_MAX_RUA;
  t->ext = ext;
  t->ext_cap = MTASTS_MAX_EXTENSIONS;
}

typedef struct run {
  mtasts_tlsrpt t;
  mtasts_rua rua[MTASTS_MAX_RUA];
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_diag items[8];
  mtasts_diags w;
  mtasts_options opt;
  mtasts_code code;
  const char *in;
} run;

static void run_setup(run *r, mtasts_profile prof) {
  poison(r, sizeof *r);
  set_storage(&r->t, r->rua, r->ext);
  r->w.items = r->items;
  r->w.cap = 8;
  r->opt.profile = prof;
  r->opt.flags = 0;
  r->opt.warnings = &r->w;
}

static void run_joined(run *r, const char *in, size_t len, mtasts_profile prof) {
  run_setup(r, prof);
  r->in = guard_copy(in, len);
  r->code = mtasts_tlsrpt_parse(r->in, len, &r->opt, &r->t);
}

static void run_split3(run *r, const char *in, size_t len, size_t a, size_t b, mtasts_profile prof,
                       mtasts_chunk ch[3]) {
  run_setup(r, prof);
  ch[0].ptr = guard_copy_slot(1, in, a);
  ch[0].len = a;
  ch[1].ptr = guard_copy_slot(2, in + a, b - a);
  ch[1].len = b - a;
  ch[2].ptr = guard_copy_slot(3, in + b, len - b);
  ch[2].len = len - b;
  r->code = mtasts_tlsrpt_parse_strings(ch, 3, &r->opt, &r->t);
}

static void check_span_home(const char *name, mtasts_span s, const mtasts_chunk *ch, size_t n) {
  size_t start = 0;
  for (size_t k = 0; k < n; start += ch[k].len, k++) {
    if (s.off >= start + ch[k].len)
      continue;
    const char *want = s.off + s.len <= start + ch[k].len ? ch[k].ptr + (s.off - start) : NULL;
    if (s.ptr != want)
      fail_msg("%s: span at %zu+%zu has the wrong ptr", name, s.off, s.len);
    return;
  }
  fail_msg("%s: span at %zu outside the record", name, s.off);
}

static void check_spans_home(const char *name, const mtasts_tlsrpt *t, const mtasts_chunk *ch,
                             size_t n) {
  for (size_t i = 0; i < t->rua_count; i++) {
    check_span_home(name, t->rua[i].uri, ch, n);
    check_span_home(name, t->rua[i].scheme, ch, n);
  }
  for (size_t i = 0; i < t->ext_count; i++) {
    check_span_home(name, t->ext[i].name, ch, n);
    check_span_home(name, t->ext[i].value, ch, n);
  }
}

static void row_expectation(const rpt_row *row, snap *want) {
  want->code = row->code;
  want->off = row->off;
  snprintf(want->ruas, sizeof want->ruas, "%s", row->ruas);
  snprintf(want->exts, sizeof want->exts, "%s", row->exts);
  snprintf(want->warns, sizeof want->warns, "%s", row->warns);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

static void test_table_joined(void **state) {
  (void)state;
  for (size_t i = 0; i < NROWS; i++) {
    const rpt_row *row = &rows[i];
    run r;
    snap got, want;
    run_joined(&r, row->in, row->len, row->prof);
    take_snap(&got, r.code, &r.t, &r.w);
    row_expectation(row, &want);
    assert_snap_equal(row->name, &got, &want);
    if (r.code != MTASTS_OK) {
      assert_cleared(row->name, &r.t);
      continue;
    }
    mtasts_chunk one = {r.in, row->len};
    check_spans_home(row->name, &r.t, &one, 1);
    assert_ptr_equal(r.t.src_joined, r.in);
    assert_null(r.t.src_strings);
    assert_int_equal(r.t.src_len, row->len);
  }
}

static void test_table_split_every_position(void **state) {
  (void)state;
  for (size_t i = 0; i < NROWS; i++) {
    const rpt_row *row = &rows[i];
    run r;
    snap want, got;
    row_expectation(row, &want);
    for (size_t a = 0; a <= row->len; a++) {
      for (size_t b = a; b <= row->len; b++) {
        mtasts_chunk ch[3];
        char name[160];
        snprintf(name, sizeof name, "%s split %zu,%zu", row->name, a, b);
        run_split3(&r, row->in, row->len, a, b, row->prof, ch);
        take_snap(&got, r.code, &r.t, &r.w);
        assert_snap_equal(name, &got, &want);
        if (r.code != MTASTS_OK) {
          assert_cleared(name, &r.t);
          continue;
        }
        check_spans_home(name, &r.t, ch, 3);
        assert_ptr_equal(r.t.src_strings, ch);
        assert_int_equal(r.t.src_count, 3);
        if (b == a) {
          mtasts_chunk two[2] = {ch[0], ch[2]};
          run_setup(&r, row->prof);
          r.code = mtasts_tlsrpt_parse_strings(two, 2, &r.opt, &r.t);
          take_snap(&got, r.code, &r.t, &r.w);
          assert_snap_equal(name, &got, &want);
          check_spans_home(name, &r.t, two, 2);
        }
      }
    }
  }
}

/* ------------------------------------------------------------------ */
/* Truncation sweep                                                    */
/* ------------------------------------------------------------------ */

static bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

static bool same_lower(const char *p, size_t n, const char *lower) {
  if (strlen(lower) != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((p[i] | 0x20) != lower[i])
      return false;
  return true;
}

/* After "mailto:": a raw "@" that is neither the first nor the last byte
 * before the first "?" or "#" (R20a). */
static bool mailto_has_address(const char *rest, size_t n) {
  size_t to = 0;
  while (to < n && rest[to] != '?' && rest[to] != '#')
    to++;
  for (size_t k = 1; k + 1 < to; k++)
    if (rest[k] == '@')
      return true;
  return false;
}

/* A valid URI cut inside its authority fails at the cut: inside "[" with
 * no "]" yet, E_RUA_IP_LITERAL; a ":" then a non-DIGIT without an "@"
 * yet (it might still have been a userinfo), E_RUA_PORT. */
static mtasts_code cut_authority(const char *rest, size_t n) {
  if (n < 2 || rest[0] != '/' || rest[1] != '/')
    return MTASTS_OK;
  size_t end = 2, host = 2;
  while (end < n && rest[end] != '/' && rest[end] != '?' && rest[end] != '#')
    end++;
  if (end < n)
    return MTASTS_OK;
  const char *at = memchr(rest + 2, '@', n - 2);
  if (at != NULL)
    host = (size_t)(at - rest) + 1;
  if (host < n && rest[host] == '[')
    return memchr(rest + host, ']', n - host) != NULL ? MTASTS_OK : MTASTS_E_RUA_IP_LITERAL;
  const char *colon = memchr(rest + host, ':', n - host);
  for (size_t k = colon != NULL ? (size_t)(colon - rest) + 1 : n; k < n; k++)
    if (rest[k] < '0' || rest[k] > '9')
      return MTASTS_E_RUA_PORT;
  return MTASTS_OK;
}

/* After "https:": "//", then an authority (up to "/", "?" or "#") whose
 * part after the last "@" is not empty and does not start with ":". */
static bool https_has_host(const char *rest, size_t n) {
  if (n < 2 || rest[0] != '/' || rest[1] != '/')
    return false;
  size_t host = 2, end = 2;
  while (end < n && rest[end] != '/' && rest[end] != '?' && rest[end] != '#') {
    if (rest[end] == '@')
      host = end + 1;
    end++;
  }
  return host < end && rest[host] != ':';
}

typedef struct expect {
  mtasts_code code;
  size_t off;
} expect;

/*
 * A rua list of a valid record cut at n, from its value at *i.
 * Rules: nothing after "rua=": E_TXT_VALUE_EMPTY@n; nothing after a ",":
 * E_RUA_EMPTY@n; an element without ":": E_RUA_SCHEME@n; a "%" without
 * two following bytes: E_RUA_PERCENT@n; a URI cut inside its authority:
 * cut_authority; then, for the first rua (`use`), each URI must be usable
 * (mailto with an address, https with a host, see mailto_has_address and
 * https_has_host): strict fails (E_RUA_UNSUPPORTED_SCHEME at the URI,
 * E_RUA_NO_DESTINATION after its ":"), lenient skips, and
 * E_RUA_NONE_USABLE at the value when none is left. WSP after a URI not
 * followed by "," is left to the record.
 */
static bool expect_rua_prefix(const char *p, size_t n, mtasts_profile prof, bool use, size_t *i,
                              expect *e) {
  size_t value = *i, kept = 0;
  e->off = n;
  if (*i == n) {
    e->code = MTASTS_E_TXT_VALUE_EMPTY;
    return false;
  }
  for (;;) {
    size_t uri = *i;
    if (*i == n) {
      e->code = MTASTS_E_RUA_EMPTY;
      return false;
    }
    while (*i < n && p[*i] != ':')
      ++*i;
    if (*i == n) {
      e->code = MTASTS_E_RUA_SCHEME;
      return false;
    }
    size_t colon = (*i)++;
    while (*i < n && !is_wsp(p[*i]) && p[*i] != ';' && p[*i] != ',') {
      if (p[*i] == '%' && *i + 2 >= n) {
        e->code = MTASTS_E_RUA_PERCENT;
        return false;
      }
      *i += p[*i] == '%' ? 3 : 1;
    }
    e->code = *i == n ? cut_authority(p + colon + 1, n - colon - 1) : MTASTS_OK;
    if (e->code != MTASTS_OK)
      return false;
    bool mailto = same_lower(p + uri, colon - uri, "mailto");
    bool https = same_lower(p + uri, colon - uri, "https");
    bool dest = mailto ? mailto_has_address(p + colon + 1, *i - colon - 1)
                       : https_has_host(p + colon + 1, *i - colon - 1);
    if (!use || ((mailto || https) && dest)) {
      kept++;
    } else if (prof == S) {
      e->code = mailto || https ? MTASTS_E_RUA_NO_DESTINATION : MTASTS_E_RUA_UNSUPPORTED_SCHEME;
      e->off = mailto || https ? colon + 1 : uri;
      return false;
    }
    size_t ws = *i;
    while (*i < n && is_wsp(p[*i]))
      ++*i;
    if (*i == n || p[*i] != ',') {
      *i = ws;
      break;
    }
    ++*i;
    while (*i < n && is_wsp(p[*i]))
      ++*i;
  }
  if (kept == 0) {
    e->code = MTASTS_E_RUA_NONE_USABLE;
    e->off = value;
    return false;
  }
  return true;
}

/*
 * The result of parsing the first n bytes of a valid record, by rule:
 * n == 0: E_EMPTY@0; inside "v=TLSRPTv1": E_TXT_VERSION@n; inside a name:
 * E_TXT_EXPECTED_EQUALS@n; the first rua: expect_rua_prefix; a later rua:
 * the list rule without the usability checks, and where that fails the
 * extension reading (the value up to WSP or ";"), unless the list failure
 * lies beyond the WSP after that value; any other value: empty is
 * E_TXT_VALUE_EMPTY@n; a WSP run not followed by ";" at the end: strict
 * E_TXT_TRAILING_WSP at its start, lenient as at the end; at the end:
 * valid if the first rua was complete, else E_TLSRPT_MISSING_RUA@n.
 */
static expect expect_prefix(const char *p, size_t n, mtasts_profile prof) {
  expect e = {MTASTS_E_TXT_VERSION, n};
  size_t i = 10;
  bool seen_rua = false;
  if (n == 0)
    return (expect){MTASTS_E_EMPTY, 0};
  if (n < 10)
    return e;
  for (;;) {
    size_t ws = i;
    while (i < n && is_wsp(p[i]))
      i++;
    if (i == n) {
      if (ws < n && prof == S)
        return (expect){MTASTS_E_TXT_TRAILING_WSP, ws};
      break;
    }
    i++; /* the ";" */
    while (i < n && is_wsp(p[i]))
      i++;
    if (i == n)
      break;
    size_t name = i;
    while (i < n && p[i] != '=')
      i++;
    if (i == n)
      return (expect){MTASTS_E_TXT_EXPECTED_EQUALS, n};
    bool rua = i - name == 3 && memcmp(p + name, "rua", 3) == 0;
    size_t value = ++i;
    if (rua && !seen_rua) {
      seen_rua = true;
      if (!expect_rua_prefix(p, n, prof, true, &i, &e))
        return e;
      continue;
    }
    if (rua && expect_rua_prefix(p, n, prof, false, &i, &e))
      continue;
    i = value;
    while (i < n && !is_wsp(p[i]) && p[i] != ';')
      i++;
    if (i == value)
      return (expect){MTASTS_E_TXT_VALUE_EMPTY, n};
    size_t look = i;
    while (look < n && is_wsp(p[look]))
      look++;
    if (rua && e.off > look)
      return e;
  }
  return seen_rua ? (expect){MTASTS_OK, 0} : (expect){MTASTS_E_TLSRPT_MISSING_RUA, n};
}

static void test_truncation_sweep(void **state) {
  (void)state;
  size_t swept = 0;
  for (size_t i = 0; i < NROWS; i++) {
    const rpt_row *row = &rows[i];
    if (row->code != MTASTS_OK)
      continue;
    for (size_t n = 0; n < row->len; n++) {
      run r;
      char label[200];
      snprintf(label, sizeof label, "%s prefix %zu [%s]", row->name, n, show(row->in, n));
      run_joined(&r, row->in, n, row->prof);
      expect e = expect_prefix(row->in, n, row->prof);
      assert_code_at(label, r.code, r.t.err_offset, e.code, e.off);
    }
    swept++;
  }
  assert_true(swept >= 20);
}

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

/* "v=TLSRPTv1; rua=" then `n` URIs "mailto:r<i>@x" (and `skipped` "ftp:x"
 * after each of the first ones), then `tail`. *last: offset of the last URI. */
static size_t build_ruas(char *buf, size_t cap, size_t n, size_t skipped, const char *tail,
                         size_t *last) {
  size_t len = (size_t)snprintf(buf, cap, "v=TLSRPTv1; rua=");
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      buf[len++] = ',';
    *last = len;
    len += (size_t)snprintf(buf + len, cap - len, "mailto:r%zu@x", i);
    if (i < skipped)
      len += (size_t)snprintf(buf + len, cap - len, ",ftp:x");
  }
  len += (size_t)snprintf(buf + len, cap - len, "%s", tail);
  return len;
}

static void test_R20_32_rua_kept_33rd_fails(void **state) {
  (void)state;
  char buf[2048];
  size_t last;
  run r;
  size_t len = build_ruas(buf, sizeof buf, MTASTS_MAX_RUA, 0, "", &last);
  run_joined(&r, buf, len, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.rua_count, MTASTS_MAX_RUA);
  len = build_ruas(buf, sizeof buf, MTASTS_MAX_RUA + 1, 0, "", &last);
  run_joined(&r, buf, len, S);
  assert_code_at("33 rua", r.code, r.t.err_offset, MTASTS_E_TOO_MANY_RUA, last);
  assert_cleared("33 rua", &r.t);
  /* Skipped URIs are not kept, so they do not count (lenient). */
  len = build_ruas(buf, sizeof buf, MTASTS_MAX_RUA, 5, "", &last);
  run_joined(&r, buf, len, L);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.rua_count, MTASTS_MAX_RUA);
  assert_int_equal(r.w.count, 5);
  len = build_ruas(buf, sizeof buf, MTASTS_MAX_RUA + 1, 5, "", &last);
  run_joined(&r, buf, len, L);
  assert_code_at("33 rua lenient", r.code, r.t.err_offset, MTASTS_E_TOO_MANY_RUA, last);
  assert_int_equal(r.w.count, 5);
  /* A 33rd URI in a later rua= is only syntax-checked. */
  len = build_ruas(buf, sizeof buf, MTASTS_MAX_RUA, 0, "; rua=mailto:a,mailto:b", &last);
  run_joined(&r, buf, len, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.rua_count, MTASTS_MAX_RUA);
}

static void test_33_extensions(void **state) {
  (void)state;
  char buf[1024];
  size_t len = (size_t)snprintf(buf, sizeof buf, "v=TLSRPTv1; rua=mailto:a@b");
  size_t at = 0;
  for (size_t i = 0; i <= MTASTS_MAX_EXTENSIONS; i++) {
    at = len + 2;
    len += (size_t)snprintf(buf + len, sizeof buf - len, "; e%zu=%zu", i, i);
  }
  run r;
  run_joined(&r, buf, len, S);
  assert_code_at("33 extensions", r.code, r.t.err_offset, MTASTS_E_TOO_MANY_EXTENSIONS, at);
  run_joined(&r, buf, at - 2, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.ext_count, MTASTS_MAX_EXTENSIONS);
}

static void test_R18_size_limit(void **state) {
  (void)state;
  char *buf = malloc(MTASTS_TXT_MAX_SIZE + 1);
  assert_non_null(buf);
  memcpy(buf, "v=TLSRPTv1; rua=mailto:a@", 25);
  memset(buf + 25, 'a', MTASTS_TXT_MAX_SIZE + 1 - 25);
  run r;
  run_joined(&r, buf, MTASTS_TXT_MAX_SIZE, S);
  assert_int_equal(r.code, MTASTS_OK);
  assert_int_equal(r.t.rua[0].uri.len, MTASTS_TXT_MAX_SIZE - 16);
  run_joined(&r, buf, MTASTS_TXT_MAX_SIZE + 1, S);
  assert_code_at("4097", r.code, r.t.err_offset, MTASTS_E_TXT_TOO_LARGE, MTASTS_TXT_MAX_SIZE);
  free(buf);
}

/* ------------------------------------------------------------------ */
/* Arguments, copy                                                     */
/* ------------------------------------------------------------------ */

static void test_arguments(void **state) {
  (void)state;
  run r;
  run_setup(&r, S);
  assert_int_equal(mtasts_tlsrpt_parse(NULL, 3, &r.opt, &r.t), MTASTS_E_ARGUMENT);
  assert_cleared("NULL record", &r.t);
  assert_int_equal(mtasts_tlsrpt_parse(G("v=TLSRPTv1"), NULL, NULL), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  assert_int_equal(mtasts_tlsrpt_parse_strings(NULL, 2, &r.opt, &r.t), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  r.opt.profile = (mtasts_profile)-1;
  assert_int_equal(mtasts_tlsrpt_parse(G("v=TLSRPTv1"), &r.opt, &r.t), MTASTS_E_ARGUMENT);
  run_setup(&r, S);
  assert_int_equal(mtasts_tlsrpt_parse(NULL, 0, &r.opt, &r.t), MTASTS_E_EMPTY);
  assert_int_equal(r.w.count, 0);
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA] = {0};
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
  assert_int_equal(mtasts_tlsrpt_parse(G("v=TLSRPTv1;rua=mailto:a@b"), NULL, &t), MTASTS_OK);
}

static void test_copy(void **state) {
  (void)state;
  mtasts_chunk ch[2] = {{"v=TLSRPTv1; rua=mai", 19}, {"lto:x@y", 7}};
  guard_chunks(ch, 2);
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA] = {0};
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
  char out[16];
  assert_int_equal(mtasts_tlsrpt_parse_strings(ch, 2, NULL, &t), MTASTS_OK);
  assert_null(t.rua[0].uri.ptr);
  assert_null(t.rua[0].scheme.ptr);
  assert_int_equal(mtasts_tlsrpt_copy(&t, t.rua[0].uri, out, sizeof out), 10);
  assert_memory_equal(out, "mailto:x@y", 10);
  assert_int_equal(mtasts_tlsrpt_copy(&t, t.rua[0].scheme, out, 2), 6);
  assert_memory_equal(out, "ma", 2);
  poison(out, sizeof out); /* no source: nothing to gather, 0 */
  assert_int_equal(mtasts_tlsrpt_copy(NULL, t.rua[0].uri, out, sizeof out), 0);
  assert_int_equal((unsigned char)out[0], 0xA5);
  mtasts_span direct = {"abc", 3, 0};
  assert_int_equal(mtasts_tlsrpt_copy(NULL, direct, out, sizeof out), 3);
  assert_memory_equal(out, "abc", 3);
}

/* ------------------------------------------------------------------ */
/* RRset selection                                                     */
/* ------------------------------------------------------------------ */

#define STR(s)                                                                                     \
  { s, sizeof(s) - 1 }

static const mtasts_chunk spf[] = {STR("v=spf1 -all")};
static const mtasts_chunk sts[] = {STR("v=STSv1; id=a")};
static const mtasts_chunk rpt_a[] = {STR("v=TLSRPTv1; rua=mailto:a@x")};
static const mtasts_chunk rpt_b[] = {STR("v=TLSRPTv1;rua=mailto:b@x")};
static const mtasts_chunk rpt_wsp[] = {STR("v=TLSRPTv1\t; rua=mailto:w@x")};
static const mtasts_chunk rpt_upper[] = {STR("V=TLSRPTv1; rua=mailto:u@x")};
static const mtasts_chunk rpt_split[] = {STR("v=TLS"), STR(""), STR("RPTv1;rua=mailto:s@x")};
static const mtasts_chunk rpt_bad[] = {STR("v=TLSRPTv1; rua=ftp://x")};

typedef struct sel_run {
  mtasts_rrset_result sel;
  mtasts_tlsrpt t;
  mtasts_rua rua[MTASTS_MAX_RUA];
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_code code;
  mtasts_rr rrs[4];        /* the RRs as passed, */
  mtasts_chunk strings[8]; /* every string guard-paged */
} sel_run;

static void select_rrs(sel_run *r, const mtasts_rr *rrs, size_t n, mtasts_profile prof,
                       uint32_t flags) {
  mtasts_options opt = {prof, flags, NULL};
  poison(r, sizeof *r);
  set_storage(&r->t, r->rua, r->ext);
  size_t slot = 0;
  for (size_t i = 0; rrs != NULL && i < n; i++) {
    assert_true(i < 4 && slot + rrs[i].count <= 8);
    r->rrs[i].strings = rrs[i].strings != NULL ? &r->strings[slot] : NULL;
    r->rrs[i].count = rrs[i].count;
    for (size_t k = 0; rrs[i].strings != NULL && k < rrs[i].count; k++, slot++) {
      const mtasts_chunk *c = &rrs[i].strings[k];
      r->strings[slot].len = c->len;
      r->strings[slot].ptr = c->ptr != NULL ? guard_copy_slot((int)slot, c->ptr, c->len) : NULL;
    }
  }
  r->code = mtasts_tlsrpt_select(rrs != NULL ? r->rrs : NULL, n, &opt, &r->sel, &r->t);
}

static void assert_selected(const char *name, sel_run *r, size_t index, const char *uri) {
  char buf[64];
  if (r->code != MTASTS_OK)
    fail_msg("%s: %s", name, mtasts_errname(r->code));
  assert_int_equal(r->sel.candidates, 1);
  assert_int_equal(r->sel.index, index);
  assert_int_equal(r->sel.err_rr, 0);
  assert_int_equal(r->t.rua_count, 1);
  size_t n = mtasts_tlsrpt_copy(&r->t, r->t.rua[0].uri, buf, sizeof buf);
  if (n != strlen(uri) || memcmp(buf, uri, n) != 0)
    fail_msg("%s: wrong rua", name);
}

static void test_select(void **state) {
  (void)state;
  sel_run r;
  mtasts_rr none[] = {{spf, 1}, {sts, 1}, {NULL, 0}, {rpt_upper, 1}};
  select_rrs(&r, none, 4, S, 0);
  assert_code_at("none", r.code, r.t.err_offset, MTASTS_E_RRSET_NONE, 0);
  assert_int_equal(r.sel.candidates, 0);
  assert_int_equal(r.sel.err_rr, 4);
  assert_cleared("none", &r.t);

  mtasts_rr one[] = {{spf, 1}, {sts, 1}, {rpt_a, 1}, {rpt_upper, 1}};
  select_rrs(&r, one, 4, S, 0);
  assert_selected("R2 one of four", &r, 2, "mailto:a@x");

  mtasts_rr two[] = {{rpt_a, 1}, {rpt_b, 1}, {spf, 1}};
  select_rrs(&r, two, 3, S, 0);
  assert_code_at("two", r.code, r.t.err_offset, MTASTS_E_RRSET_MULTIPLE, 0);
  assert_int_equal(r.sel.candidates, 2);
  assert_int_equal(r.sel.err_rr, 3);

  mtasts_rr three[] = {{rpt_a, 1}, {rpt_b, 1}, {rpt_split, 3}};
  select_rrs(&r, three, 3, S, 0);
  assert_int_equal(r.code, MTASTS_E_RRSET_MULTIPLE);
  assert_int_equal(r.sel.candidates, 3);

  mtasts_rr split[] = {{spf, 1}, {rpt_split, 3}};
  select_rrs(&r, split, 2, S, 0);
  assert_selected("split version", &r, 1, "mailto:s@x");

  mtasts_rr wsp[] = {{rpt_wsp, 1}, {spf, 1}};
  select_rrs(&r, wsp, 2, S, 0);
  assert_selected("R1 WSP kept", &r, 0, "mailto:w@x");
  select_rrs(&r, wsp, 2, S, MTASTS_OPT_LITERAL_PREFIX);
  assert_int_equal(r.code, MTASTS_E_RRSET_NONE);
  mtasts_rr wsp_and_b[] = {{rpt_wsp, 1}, {rpt_b, 1}};
  select_rrs(&r, wsp_and_b, 2, S, MTASTS_OPT_LITERAL_PREFIX);
  assert_selected("R1 literal prefix", &r, 1, "mailto:b@x");

  mtasts_rr bad[] = {{spf, 1}, {rpt_bad, 1}};
  select_rrs(&r, bad, 2, S, 0);
  assert_code_at("bad candidate", r.code, r.t.err_offset, MTASTS_E_RUA_UNSUPPORTED_SCHEME, 16);
  assert_int_equal(r.sel.err_rr, 1);
  assert_int_equal(r.sel.index, 1);
  select_rrs(&r, bad, 2, L, 0);
  assert_code_at("bad candidate lenient", r.code, r.t.err_offset, MTASTS_E_RUA_NONE_USABLE, 16);

  select_rrs(&r, NULL, 2, S, 0);
  assert_int_equal(r.code, MTASTS_E_ARGUMENT);
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA] = {0};
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
  poison(&t, sizeof t);
  set_storage(&t, t_rua, t_ext);
  assert_int_equal(mtasts_tlsrpt_select(one, 4, NULL, NULL, &t), MTASTS_E_ARGUMENT);
  assert_cleared("sel NULL", &t);
  assert_int_equal(mtasts_tlsrpt_select(one, 4, NULL, &r.sel, NULL), MTASTS_E_ARGUMENT);
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

static void test_write_exact_bytes(void **state) {
  (void)state;
  static const char rec[] = "v=TLSRPTv1 ;rua=mailto:a@b , HTTPS://h/x;e=1;rua=x;f=2\t;";
  static const char want[] = "v=TLSRPTv1; rua=mailto:a@b,HTTPS://h/x; e=1; f=2;";
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA] = {0};
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
  char out[80];
  size_t needed = 0;
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_OK);
  poison(out, sizeof out);
  assert_int_equal(mtasts_tlsrpt_write(&t, out, sizeof out, &needed), MTASTS_OK);
  assert_int_equal(needed, sizeof want - 1);
  assert_memory_equal(out, want, needed);
  assert_int_equal((unsigned char)out[needed], 0xA5);
  for (size_t cap = 0; cap < sizeof want - 1; cap++) {
    poison(out, sizeof out);
    needed = 0;
    assert_int_equal(mtasts_tlsrpt_write(&t, out, cap, &needed), MTASTS_E_WRITE_SPACE);
    assert_int_equal(needed, sizeof want - 1);
    assert_memory_equal(out, want, cap);
    assert_int_equal((unsigned char)out[cap], 0xA5);
  }
  assert_int_equal(mtasts_tlsrpt_write(&t, NULL, 0, NULL), MTASTS_E_WRITE_SPACE);
  assert_int_equal(mtasts_tlsrpt_write(&t, out, sizeof want - 1, NULL), MTASTS_OK);
}

static void test_write_gathers_straddling_spans(void **state) {
  (void)state;
  mtasts_chunk ch[3] = {{"v=TLSRPTv1; rua=ht", 18}, {"tps://h,mailto:a", 16}, {"@b; x=y", 7}};
  guard_chunks(ch, 3);
  static const char want[] = "v=TLSRPTv1; rua=https://h,mailto:a@b; x=y;";
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA] = {0};
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
  char out[64];
  size_t needed;
  assert_int_equal(mtasts_tlsrpt_parse_strings(ch, 3, NULL, &t), MTASTS_OK);
  assert_null(t.rua[0].uri.ptr);
  assert_null(t.rua[1].uri.ptr);
  assert_int_equal(mtasts_tlsrpt_write(&t, out, sizeof out, &needed), MTASTS_OK);
  assert_int_equal(needed, sizeof want - 1);
  assert_memory_equal(out, want, needed);
}

static void test_write_invalid(void **state) {
  (void)state;
  static const char rec[] = "v=TLSRPTv1; rua=mailto:a@b,https://h; e=1";
  mtasts_tlsrpt good, t;
  mtasts_rua good_rua[MTASTS_MAX_RUA], t_rua[MTASTS_MAX_RUA];
  mtasts_ext good_ext[MTASTS_MAX_EXTENSIONS], t_ext[MTASTS_MAX_EXTENSIONS];
  mtasts_tlsrpt_init(&good, good_rua, MTASTS_MAX_RUA, good_ext, MTASTS_MAX_EXTENSIONS);
  char out[128];
  size_t needed;
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &good), MTASTS_OK);
  char *long_uri = malloc(MTASTS_TXT_MAX_SIZE + 1);
  assert_non_null(long_uri);
  memcpy(long_uri, "mailto:a@", 9);
  memset(long_uri + 9, 'a', MTASTS_TXT_MAX_SIZE + 1 - 9);

#define EXPECT_INVALID(what, mutate)                                                               \
  do {                                                                                             \
    t = good; /* and copies of its arrays to change */                                             \
    memcpy(t_rua, good_rua, sizeof t_rua);                                                         \
    memcpy(t_ext, good_ext, sizeof t_ext);                                                         \
    t.rua = t_rua;                                                                                 \
    t.ext = t_ext;                                                                                 \
    mutate;                                                                                        \
    needed = 99;                                                                                   \
    if (mtasts_tlsrpt_write(&t, out, sizeof out, &needed) != MTASTS_E_WRITE_INVALID)               \
      fail_msg("%s: not refused", what);                                                           \
    assert_int_equal(needed, 0);                                                                   \
  } while (0)

  EXPECT_INVALID("no rua", t.rua_count = 0);
  EXPECT_INVALID("33 rua", t.rua_count = MTASTS_MAX_RUA + 1);
  EXPECT_INVALID("more rua than rua_cap", t.rua_cap = 1);
  EXPECT_INVALID("rua without an array", t.rua = NULL);
  EXPECT_INVALID("more extensions than ext_cap", t.ext_cap = 0);
  EXPECT_INVALID("extensions without an array", t.ext = NULL);
  EXPECT_INVALID("empty uri", t.rua[0].uri.len = 0);
  EXPECT_INVALID("mailto without address", t.rua[0].uri.len = 7);
  EXPECT_INVALID("mailto with a local part only", t.rua[0].uri.len = 8);
  EXPECT_INVALID("not a URI", (t.rua[1].uri.ptr = "https://[h]", t.rua[1].uri.len = 11));
  EXPECT_INVALID("unsupported", (t.rua[0].uri.ptr = "ftp:x", t.rua[0].uri.len = 5));
  EXPECT_INVALID("two URIs in one",
                 (t.rua[0].uri.ptr = "mailto:a,mailto:b", t.rua[0].uri.len = 17));
  EXPECT_INVALID("bad char", (t.rua[0].uri.ptr = "mailto:a!", t.rua[0].uri.len = 9));
  EXPECT_INVALID("wrong kind", t.rua[0].kind = MTASTS_RUA_HTTPS);
  EXPECT_INVALID("uri too long",
                 (t.rua[0].uri.ptr = long_uri, t.rua[0].uri.len = MTASTS_TXT_MAX_SIZE + 1));
  EXPECT_INVALID("uri unreachable", (t.rua[1].uri.ptr = NULL, t.src_joined = NULL));
  EXPECT_INVALID("ext named rua", (t.ext[0].name.ptr = "rua", t.ext[0].name.len = 3));
  EXPECT_INVALID("ext named v", t.ext[0].name.ptr = "v");
  EXPECT_INVALID("ext value", t.ext[0].value.ptr = ";");
  EXPECT_INVALID("33 ext", t.ext_count = MTASTS_MAX_EXTENSIONS + 1);
#undef EXPECT_INVALID

  /* The longest plausible URI is fine. */
  t = good;
  memcpy(t_rua, good_rua, sizeof t_rua);
  t.rua = t_rua;
  t.rua[0].uri.ptr = long_uri;
  t.rua[0].uri.len = MTASTS_TXT_MAX_SIZE;
  assert_int_equal(mtasts_tlsrpt_write(&t, NULL, 0, &needed), MTASTS_E_WRITE_SPACE);
  assert_int_equal(needed, 16 + MTASTS_TXT_MAX_SIZE + 1 + 9 + 1 + 5);
  free(long_uri);

  needed = 99;
  assert_int_equal(mtasts_tlsrpt_write(NULL, out, sizeof out, &needed), MTASTS_E_ARGUMENT);
  assert_int_equal(needed, 0);
  assert_int_equal(mtasts_tlsrpt_write(&good, NULL, 5, &needed), MTASTS_E_ARGUMENT);
}

static void round_trip(const char *name, const mtasts_tlsrpt *t, mtasts_code code,
                       const mtasts_diags *w, mtasts_profile prof) {
  snap first, again;
  char out[8192];
  size_t needed = 0;
  take_snap(&first, code, t, w);
  if (mtasts_tlsrpt_write(t, out, sizeof out, &needed) != MTASTS_OK)
    fail_msg("%s: write failed", name);
  run r;
  run_joined(&r, out, needed, prof);
  take_snap(&again, r.code, &r.t, &r.w);
  again.warns[0] = first.warns[0] = '\0';
  assert_snap_equal(name, &again, &first);
  if (r.w.count != 0)
    fail_msg("%s: canonical output warns", name);
  for (size_t i = 0; i < t->rua_count; i++)
    assert_int_equal(r.t.rua[i].kind, t->rua[i].kind);
}

static void test_round_trip(void **state) {
  (void)state;
  size_t trips = 0;
  for (size_t i = 0; i < NROWS; i++) {
    const rpt_row *row = &rows[i];
    if (row->code != MTASTS_OK)
      continue;
    run r;
    run_joined(&r, row->in, row->len, row->prof);
    round_trip(row->name, &r.t, r.code, &r.w, row->prof);
    for (size_t a = 0; a <= row->len; a += 3) {
      mtasts_chunk ch[3];
      run_split3(&r, row->in, row->len, a, a + (row->len - a) / 2, row->prof, ch);
      round_trip(row->name, &r.t, r.code, &r.w, row->prof);
      trips++;
    }
  }
  char buf[2048];
  size_t last;
  size_t len = build_ruas(buf, sizeof buf, MTASTS_MAX_RUA, 3, "; a=1; b=2", &last);
  run r;
  run_joined(&r, buf, len, L);
  round_trip("32 rua", &r.t, r.code, &r.w, L);
  assert_true(trips > 100);
}

/* As test_txt.c: the reset clears only the slots below the earlier counts,
 * and nothing of an earlier call survives in rua[] or ext[]. */
static bool tlsrpt_slots_zero_from(const mtasts_tlsrpt *t, size_t rua_from, size_t ext_from) {
  static const mtasts_rua zero_rua;
  static const mtasts_ext zero_ext;
  for (size_t i = rua_from; i < MTASTS_MAX_RUA; i++)
    if (memcmp(&t->rua[i], &zero_rua, sizeof zero_rua) != 0)
      return false;
  for (size_t i = ext_from; i < MTASTS_MAX_EXTENSIONS; i++)
    if (memcmp(&t->ext[i], &zero_ext, sizeof zero_ext) != 0)
      return false;
  return true;
}

/* rua URIs and extensions go to the caller's arrays (the mx model): the
 * capacity error is the one at the smaller offset, and both counts are
 * kept for the retry; a URI skipped in lenient needs no slot. */
/* mtasts_tlsrpt_init leaves the result as its contract says (mtasts.h):
 * zeroed, the storage set, whatever the memory held. */
static void test_init_zeroes_all_but_storage(void **state) {
  (void)state;
  mtasts_tlsrpt t, want;
  mtasts_rua rua[2];
  mtasts_ext ext[3];
  poison(&t, sizeof t);
  mtasts_tlsrpt_init(&t, rua, 2, ext, 3);
  memset(&want, 0, sizeof want);
  want.rua = rua;
  want.rua_cap = 2;
  want.ext = ext;
  want.ext_cap = 3;
  assert_memory_equal(&t, &want, sizeof t);
}

static void test_capacity(void **state) {
  (void)state;
  static const char rec[] = "v=TLSRPTv1; e=1; rua=mailto:a@x,https://h/; f=2";
  mtasts_rua rua[2] = {0};
  mtasts_ext ext[2] = {0};
  mtasts_tlsrpt t;
  mtasts_tlsrpt_init(&t, NULL, 0, NULL, 0);
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_E_EXT_CAPACITY);
  assert_int_equal(t.err_offset, 12);
  assert_int_equal(t.rua_needed, 2);
  assert_int_equal(t.ext_needed, 2);
  assert_int_equal(t.rua_count + t.ext_count, 0);
  mtasts_tlsrpt_init(&t, rua, 1, ext, 2);
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_E_RUA_CAPACITY);
  assert_int_equal(t.err_offset, 32);
  assert_int_equal(t.rua_needed, 2);
  assert_int_equal(t.ext_needed, 2);
  assert_int_equal(rua[0].uri.len + ext[0].name.len + ext[1].name.len, 0);
  mtasts_tlsrpt_init(&t, rua, 2, ext, 1);
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_E_EXT_CAPACITY);
  assert_int_equal(t.err_offset, 44);
  mtasts_tlsrpt_init(&t, rua, t.rua_needed, ext, t.ext_needed);
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_OK);
  assert_int_equal(t.rua_count, 2);
  assert_int_equal(t.ext_count, 2);
  assert_int_equal(t.rua[1].uri.off, 32);
  assert_int_equal(t.ext[1].name.off, 44);
  /* Lenient: the skipped URI takes no slot. */
  mtasts_options lenient = {L, 0, NULL};
  mtasts_tlsrpt_init(&t, NULL, 0, NULL, 0);
  assert_int_equal(mtasts_tlsrpt_parse(G("v=TLSRPTv1; rua=ftp://x,mailto:a@x"), &lenient, &t),
                   MTASTS_E_RUA_CAPACITY);
  assert_int_equal(t.err_offset, 24);
  assert_int_equal(t.rua_needed, 1);
  /* Another error first, even past the first URI that did not fit. */
  assert_int_equal(mtasts_tlsrpt_parse(G("v=TLSRPTv1; rua=mailto:a@x;;"), NULL, &t),
                   MTASTS_E_TXT_EMPTY_FIELD);
  assert_int_equal(t.rua_needed, 0);
  /* An array NULL with a capacity is refused, whichever it is. */
  mtasts_tlsrpt_init(&t, NULL, 1, ext, 2);
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_E_ARGUMENT);
  mtasts_tlsrpt_init(&t, rua, 2, NULL, 1);
  assert_int_equal(mtasts_tlsrpt_parse(G(rec), NULL, &t), MTASTS_E_ARGUMENT);
  mtasts_rrset_result sel;
  assert_int_equal(mtasts_tlsrpt_select(NULL, 0, NULL, &sel, &t), MTASTS_E_ARGUMENT);
  mtasts_tlsrpt_init(NULL, rua, 2, ext, 2); /* nothing to do */
}

static void test_reset_leaves_no_earlier_span(void **state) {
  (void)state;
  static const char many[] = "v=TLSRPTv1; rua=mailto:a@x,mailto:b@x,https://c.x/; e=1; f=2;";
  static const char few[] = "v=TLSRPTv1; rua=mailto:d@x;";
  static const char bad[] = "v=TLSRPTv1; e=1;";
  mtasts_tlsrpt t;
  mtasts_rua t_rua[MTASTS_MAX_RUA] = {0};
  mtasts_ext t_ext[MTASTS_MAX_EXTENSIONS] = {0};
  mtasts_tlsrpt_init(&t, t_rua, MTASTS_MAX_RUA, t_ext, MTASTS_MAX_EXTENSIONS);
  poison(&t, sizeof t);
  set_storage(&t, t_rua, t_ext);
  assert_int_equal(mtasts_tlsrpt_parse(many, sizeof many - 1, NULL, &t), MTASTS_OK);
  assert_int_equal(t.rua_count, 3);
  assert_int_equal(t.ext_count, 2);
  assert_true(tlsrpt_slots_zero_from(&t, 3, 2));
  assert_int_equal(mtasts_tlsrpt_parse(few, sizeof few - 1, NULL, &t), MTASTS_OK);
  assert_int_equal(t.rua_count, 1);
  assert_int_equal(t.rua[0].uri.off, 16);
  assert_int_equal(t.ext_count, 0);
  assert_true(tlsrpt_slots_zero_from(&t, 1, 0));
  assert_int_equal(mtasts_tlsrpt_parse(many, sizeof many - 1, NULL, &t), MTASTS_OK);
  assert_int_equal(mtasts_tlsrpt_parse(bad, sizeof bad - 1, NULL, &t), MTASTS_E_TLSRPT_MISSING_RUA);
  assert_true(tlsrpt_slots_zero_from(&t, 0, 0));
  assert_int_equal(t.err_offset, sizeof bad - 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reset_leaves_no_earlier_span),
      cmocka_unit_test(test_capacity),
      cmocka_unit_test(test_init_zeroes_all_but_storage),
      cmocka_unit_test(test_table_joined),
      cmocka_unit_test(test_table_split_every_position),
      cmocka_unit_test(test_truncation_sweep),
      cmocka_unit_test(test_R20_32_rua_kept_33rd_fails),
      cmocka_unit_test(test_33_extensions),
      cmocka_unit_test(test_R18_size_limit),
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_copy),
      cmocka_unit_test(test_select),
      cmocka_unit_test(test_write_exact_bytes),
      cmocka_unit_test(test_write_gathers_straddling_spans),
      cmocka_unit_test(test_write_invalid),
      cmocka_unit_test(test_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
