/* grammar.c - the ABNF of RFC 8461 / 8460 and what they import, as data.
 * Each DEFINE_RULE quotes the rule it transliterates. */
#include "grammar.h"

/* ---- RFC 5234 Appendix B.1 core rules ---- */

/* ALPHA = %x41-5A / %x61-7A */
DEFINE_RULE(ALPHA, ALT_(RANGE(0x41, 0x5A), RANGE(0x61, 0x7A)));
/* DIGIT = %x30-39 */
DEFINE_RULE(DIGIT, RANGE_(0x30, 0x39));
/* HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"  (quoted: any case) */
DEFINE_RULE(HEXDIG,
            ALT_(&DIGIT, LITCI("A"), LITCI("B"), LITCI("C"), LITCI("D"), LITCI("E"), LITCI("F")));
/* WSP = SP / HTAB */
DEFINE_RULE(WSP, ALT_(CHAR(0x20), CHAR(0x09)));
/* LF = %x0A ; CRLF = CR LF */
DEFINE_RULE(LF, RANGE_(0x0A, 0x0A));
DEFINE_RULE(CRLF, SEQ_(CHAR(0x0D), CHAR(0x0A)));

/* Matches the empty string only (RFC 3986 path-empty = 0<pchar>). */
#define EMPTY OPT(RANGE(1, 0))

/* ---- RFC 3629 section 4 ---- */

/* UTF8-tail = %x80-BF */
DEFINE_RULE(UTF8_TAIL, RANGE_(0x80, 0xBF));
/* UTF8-2 = %xC2-DF UTF8-tail */
DEFINE_RULE(UTF8_2, SEQ_(RANGE(0xC2, 0xDF), &UTF8_TAIL));
/* UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 *          %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail ) */
DEFINE_RULE(UTF8_3, ALT_(SEQ(CHAR(0xE0), RANGE(0xA0, 0xBF), &UTF8_TAIL),
                         SEQ(RANGE(0xE1, 0xEC), REP(2, 2, &UTF8_TAIL)),
                         SEQ(CHAR(0xED), RANGE(0x80, 0x9F), &UTF8_TAIL),
                         SEQ(RANGE(0xEE, 0xEF), REP(2, 2, &UTF8_TAIL))));
/* UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 *          %xF4 %x80-8F 2( UTF8-tail ) */
DEFINE_RULE(UTF8_4, ALT_(SEQ(CHAR(0xF0), RANGE(0x90, 0xBF), REP(2, 2, &UTF8_TAIL)),
                         SEQ(RANGE(0xF1, 0xF3), REP(3, 3, &UTF8_TAIL)),
                         SEQ(CHAR(0xF4), RANGE(0x80, 0x8F), REP(2, 2, &UTF8_TAIL))));

/* ---- RFC 5321 section 4.1.2 ---- */

/* Let-dig = ALPHA / DIGIT */
DEFINE_RULE(LET_DIG, ALT_(&ALPHA, &DIGIT));
/* Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig */
DEFINE_RULE(LDH_STR, SEQ_(STAR(ALT(&ALPHA, &DIGIT, LIT("-"))), &LET_DIG));
/* sub-domain = Let-dig [Ldh-str] */
DEFINE_RULE(SUB_DOMAIN, SEQ_(&LET_DIG, OPT(&LDH_STR)));
/* Domain = sub-domain *("." sub-domain) */
DEFINE_RULE(DOMAIN, SEQ_(&SUB_DOMAIN, STAR(SEQ(LIT("."), &SUB_DOMAIN))));

/* ---- RFC 8461 section 3.1: the _mta-sts TXT record ---- */

/* sts-field-delim = *WSP ";" *WSP */
DEFINE_RULE(STS_FIELD_DELIM, SEQ_(STAR(&WSP), LIT(";"), STAR(&WSP)));
/* sts-version = %s"v=STSv1" */
DEFINE_RULE(STS_VERSION, LIT_("v=STSv1"));
/* sts-id = %s"id=" 1*32(ALPHA / DIGIT) */
DEFINE_RULE(STS_ID_VALUE, REP_(1, 32, ALT(&ALPHA, &DIGIT)));
DEFINE_RULE(STS_ID, SEQ_(CAP(TAG_NAME, LIT("id")), LIT("="), CAP(TAG_VALUE, &STS_ID_VALUE)));
/* sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".") */
DEFINE_RULE(STS_EXT_NAME, SEQ_(ALT(&ALPHA, &DIGIT),
                               REP(0, 31, ALT(&ALPHA, &DIGIT, LIT("_"), LIT("-"), LIT(".")))));
/* sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) */
DEFINE_RULE(STS_EXT_VALUE, REP_(1, 0, ALT(RANGE(0x21, 0x3A), CHAR(0x3C), RANGE(0x3E, 0x7E))));
/* sts-extension = sts-ext-name "=" sts-ext-value */
DEFINE_RULE(STS_EXTENSION,
            SEQ_(CAP(TAG_NAME, &STS_EXT_NAME), LIT("="), CAP(TAG_VALUE, &STS_EXT_VALUE)));
/* sts-field = sts-id / sts-extension */
DEFINE_RULE(STS_FIELD, ALT_(&STS_ID, &STS_EXTENSION));
/* sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim] */
DEFINE_RULE(STS_TEXT_RECORD,
            SEQ_(&STS_VERSION, PLUS(SEQ(&STS_FIELD_DELIM, &STS_FIELD)), OPT(&STS_FIELD_DELIM)));
/* R1: RRset selection keeps records beginning with sts-version *WSP ";". */
DEFINE_RULE(STS_RRSET_PREFIX, SEQ_(&STS_VERSION, STAR(&WSP), LIT(";")));
/* RFC 8461 3.1 prose, MTASTS_OPT_LITERAL_PREFIX: "v=STSv1;" */
DEFINE_RULE(STS_LITERAL_PREFIX, LIT_("v=STSv1;"));

/* ---- RFC 8461 section 3.2: the policy ---- */

/* sts-policy-field-delim = ":" *WSP */
DEFINE_RULE(POLICY_FIELD_DELIM, SEQ_(LIT(":"), STAR(&WSP)));
/* sts-policy-version-value = %s"STSv1" */
DEFINE_RULE(POLICY_VERSION_VALUE, LIT_("STSv1"));
/* sts-policy-version = %s"version" sts-policy-field-delim sts-policy-version-value */
DEFINE_RULE(POLICY_VERSION, SEQ_(CAP(TAG_NAME, LIT("version")), &POLICY_FIELD_DELIM,
                                 CAP(TAG_VALUE, &POLICY_VERSION_VALUE)));
/* sts-policy-mode-value = %s"testing" / %s"enforce" / %s"none" */
DEFINE_RULE(POLICY_MODE_VALUE, ALT_(LIT("testing"), LIT("enforce"), LIT("none")));
DEFINE_RULE(POLICY_MODE, SEQ_(CAP(TAG_NAME, LIT("mode")), &POLICY_FIELD_DELIM,
                              CAP(TAG_VALUE, &POLICY_MODE_VALUE)));
/* sts-policy-mx-value = ["*."] Domain */
DEFINE_RULE(POLICY_MX_VALUE, SEQ_(OPT(LIT("*.")), &DOMAIN));
DEFINE_RULE(POLICY_MX,
            SEQ_(CAP(TAG_NAME, LIT("mx")), &POLICY_FIELD_DELIM, CAP(TAG_VALUE, &POLICY_MX_VALUE)));
/* sts-policy-max-age-value = 1*10(DIGIT) */
DEFINE_RULE(POLICY_MAX_AGE_VALUE, REP_(1, 10, &DIGIT));
DEFINE_RULE(POLICY_MAX_AGE, SEQ_(CAP(TAG_NAME, LIT("max_age")), &POLICY_FIELD_DELIM,
                                 CAP(TAG_VALUE, &POLICY_MAX_AGE_VALUE)));
/* sts-policy-alphanum = ALPHA / DIGIT
 * sts-policy-ext-name = (sts-policy-alphanum) *31(sta-policy-alphanum / "_" / "-" / ".")
 * (R11: "sta-" read as "sts-") */
DEFINE_RULE(POLICY_ALPHANUM, ALT_(&ALPHA, &DIGIT));
DEFINE_RULE(POLICY_EXT_NAME, SEQ_(&POLICY_ALPHANUM,
                                  REP(0, 31, ALT(&POLICY_ALPHANUM, LIT("_"), LIT("-"), LIT(".")))));
/* sts-policy-vchar = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4 */
DEFINE_RULE(POLICY_VCHAR, ALT_(RANGE(0x21, 0x7E), &UTF8_2, &UTF8_3, &UTF8_4));
/* sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar] */
DEFINE_RULE(POLICY_EXT_VALUE,
            SEQ_(&POLICY_VCHAR, OPT(SEQ(STAR(ALT(CHAR(0x20), &POLICY_VCHAR)), &POLICY_VCHAR))));
/* sts-policy-extension = sts-policy-ext-name sts-policy-field-delim sts-policy-ext-value */
DEFINE_RULE(POLICY_EXTENSION, SEQ_(CAP(TAG_NAME, &POLICY_EXT_NAME), &POLICY_FIELD_DELIM,
                                   CAP(TAG_VALUE, &POLICY_EXT_VALUE)));
/* sts-policy-field = version / mode / max-age / mx / extension */
DEFINE_RULE(POLICY_FIELD,
            ALT_(&POLICY_VERSION, &POLICY_MODE, &POLICY_MAX_AGE, &POLICY_MX, &POLICY_EXTENSION));
/* sts-policy-term = LF / CRLF */
DEFINE_RULE(POLICY_TERM, ALT_(&LF, &CRLF));
/* sts-policy-record = sts-policy-field *WSP
 *                     *(sts-policy-term sts-policy-field *WSP) [sts-policy-term] */
DEFINE_RULE(POLICY_RECORD,
            SEQ_(&POLICY_FIELD, STAR(&WSP), STAR(SEQ(&POLICY_TERM, &POLICY_FIELD, STAR(&WSP))),
                 OPT(&POLICY_TERM)));

/* ---- RFC 3986 Appendix A, with RFC 8460's MUST-encode of "," "!" ";" ---- */

/* unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" */
DEFINE_RULE(UNRESERVED, ALT_(&ALPHA, &DIGIT, LIT("-"), LIT("."), LIT("_"), LIT("~")));
/* pct-encoded = "%" HEXDIG HEXDIG */
DEFINE_RULE(PCT_ENCODED, SEQ_(LIT("%"), &HEXDIG, &HEXDIG));
/* sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
 * minus "!" "," ";", which RFC 8460's tlsrpt-uri comment says MUST be encoded. */
DEFINE_RULE(SUB_DELIMS,
            ALT_(LIT("$"), LIT("&"), LIT("'"), LIT("("), LIT(")"), LIT("*"), LIT("+"), LIT("=")));
/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
DEFINE_RULE(SCHEME, SEQ_(&ALPHA, STAR(ALT(&ALPHA, &DIGIT, LIT("+"), LIT("-"), LIT(".")))));
/* pchar = unreserved / pct-encoded / sub-delims / ":" / "@" */
DEFINE_RULE(PCHAR, ALT_(&UNRESERVED, &PCT_ENCODED, &SUB_DELIMS, LIT(":"), LIT("@")));
/* segment = *pchar ; segment-nz = 1*pchar */
DEFINE_RULE(SEGMENT, REP_(0, 0, &PCHAR));
DEFINE_RULE(SEGMENT_NZ, REP_(1, 0, &PCHAR));
/* path-abempty = *( "/" segment ) */
DEFINE_RULE(PATH_ABEMPTY, REP_(0, 0, SEQ(LIT("/"), &SEGMENT)));
/* path-absolute = "/" [ segment-nz *( "/" segment ) ] */
DEFINE_RULE(PATH_ABSOLUTE, SEQ_(LIT("/"), OPT(SEQ(&SEGMENT_NZ, STAR(SEQ(LIT("/"), &SEGMENT))))));
/* path-rootless = segment-nz *( "/" segment ) */
DEFINE_RULE(PATH_ROOTLESS, SEQ_(&SEGMENT_NZ, STAR(SEQ(LIT("/"), &SEGMENT))));
/* dec-octet = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35 */
DEFINE_RULE(DEC_OCTET,
            ALT_(&DIGIT, SEQ(RANGE(0x31, 0x39), &DIGIT), SEQ(LIT("1"), REP(2, 2, &DIGIT)),
                 SEQ(LIT("2"), RANGE(0x30, 0x34), &DIGIT), SEQ(LIT("25"), RANGE(0x30, 0x35))));
/* IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet */
DEFINE_RULE(IPV4ADDRESS,
            SEQ_(&DEC_OCTET, LIT("."), &DEC_OCTET, LIT("."), &DEC_OCTET, LIT("."), &DEC_OCTET));
/* h16 = 1*4HEXDIG ; ls32 = ( h16 ":" h16 ) / IPv4address */
DEFINE_RULE(H16, REP_(1, 4, &HEXDIG));
DEFINE_RULE(H16C, SEQ_(&H16, LIT(":")));
DEFINE_RULE(LS32, ALT_(SEQ(&H16, LIT(":"), &H16), &IPV4ADDRESS));
/* [ *n( h16 ":" ) h16 ] */
#define H16_UPTO(n) OPT(SEQ(REP(0, (n), &H16C), &H16))
/* IPv6address =                            6( h16 ":" ) ls32
 *             /                       "::" 5( h16 ":" ) ls32
 *             / [               h16 ] "::" 4( h16 ":" ) ls32
 *             / [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32
 *             / [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32
 *             / [ *3( h16 ":" ) h16 ] "::"    h16 ":"   ls32
 *             / [ *4( h16 ":" ) h16 ] "::"              ls32
 *             / [ *5( h16 ":" ) h16 ] "::"              h16
 *             / [ *6( h16 ":" ) h16 ] "::" */
DEFINE_RULE(IPV6ADDRESS,
            ALT_(SEQ(REP(6, 6, &H16C), &LS32), SEQ(LIT("::"), REP(5, 5, &H16C), &LS32),
                 SEQ(OPT(&H16), LIT("::"), REP(4, 4, &H16C), &LS32),
                 SEQ(H16_UPTO(1), LIT("::"), REP(3, 3, &H16C), &LS32),
                 SEQ(H16_UPTO(2), LIT("::"), REP(2, 2, &H16C), &LS32),
                 SEQ(H16_UPTO(3), LIT("::"), &H16C, &LS32), SEQ(H16_UPTO(4), LIT("::"), &LS32),
                 SEQ(H16_UPTO(5), LIT("::"), &H16), SEQ(H16_UPTO(6), LIT("::"))));
/* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
DEFINE_RULE(IPVFUTURE, SEQ_(LITCI("v"), PLUS(&HEXDIG), LIT("."),
                            PLUS(ALT(&UNRESERVED, &SUB_DELIMS, LIT(":")))));
/* IP-literal = "[" ( IPv6address / IPvFuture ) "]" */
DEFINE_RULE(IP_LITERAL, SEQ_(LIT("["), ALT(&IPV6ADDRESS, &IPVFUTURE), LIT("]")));
/* reg-name = *( unreserved / pct-encoded / sub-delims ) */
DEFINE_RULE(REG_NAME, REP_(0, 0, ALT(&UNRESERVED, &PCT_ENCODED, &SUB_DELIMS)));
/* host = IP-literal / IPv4address / reg-name */
DEFINE_RULE(HOST, ALT_(&IP_LITERAL, &IPV4ADDRESS, &REG_NAME));
/* userinfo = *( unreserved / pct-encoded / sub-delims / ":" ) */
DEFINE_RULE(USERINFO, REP_(0, 0, ALT(&UNRESERVED, &PCT_ENCODED, &SUB_DELIMS, LIT(":"))));
/* authority = [ userinfo "@" ] host [ ":" port ] ; port = *DIGIT */
DEFINE_RULE(AUTHORITY, SEQ_(OPT(SEQ(&USERINFO, LIT("@"))), CAP(TAG_HOST, &HOST),
                            OPT(SEQ(LIT(":"), STAR(&DIGIT)))));
/* hier-part = "//" authority path-abempty / path-absolute / path-rootless / path-empty */
DEFINE_RULE(HIER_PART,
            ALT_(SEQ(LIT("//"), &AUTHORITY, &PATH_ABEMPTY), &PATH_ABSOLUTE, &PATH_ROOTLESS, EMPTY));
/* query = *( pchar / "/" / "?" ) ; fragment = *( pchar / "/" / "?" ) */
DEFINE_RULE(QUERY, REP_(0, 0, ALT(&PCHAR, LIT("/"), LIT("?"))));
/* URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
 * (fragment = *( pchar / "/" / "?" ), the same as query) */
DEFINE_RULE(URI, SEQ_(CAP(TAG_SCHEME, &SCHEME), LIT(":"), CAP(TAG_HIER, &HIER_PART),
                      OPT(SEQ(LIT("?"), &QUERY)), OPT(SEQ(LIT("#"), &QUERY))));

/* ---- RFC 6068 section 2, as R20a and parser/SPEC.md read it ---- */

/* mailtoURI = "mailto:" [ to ] [ hfields ] ; to = addr-spec *("," addr-spec)
 * addr-spec = local-part "@" domain. "An address" before "?" / "#": the
 * hier-part (all of `to`) holds a raw "@" with at least one byte of
 * local-part before it and one of domain after it; nothing more is asked
 * of either side. */
DEFINE_RULE(MAILTO_ADDRESS, SEQ_(PLUS(RANGE(0x00, 0xFF)), LIT("@"), PLUS(RANGE(0x00, 0xFF))));

/* ---- RFC 8460 section 3: the _smtp._tls TXT record ---- */

/* tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)  (value part) */
#define RUA_LIST(uri)                                                                              \
  SEQ_(CAP(TAG_URI, (uri)), STAR(SEQ(STAR(&WSP), LIT(","), STAR(&WSP), CAP(TAG_URI, (uri)))))
DEFINE_RULE(TLSRPT_RUA_LIST, RUA_LIST(&URI));
/* tlsrpt-ext-name / tlsrpt-ext-value: the same as sts-ext-name / sts-ext-value */
DEFINE_RULE(TLSRPT_EXTENSION,
            SEQ_(CAP(TAG_NAME, &STS_EXT_NAME), LIT("="), CAP(TAG_VALUE, &STS_EXT_VALUE)));
/* tlsrpt-version = %s"v=TLSRPTv1" */
DEFINE_RULE(TLSRPT_VERSION, LIT_("v=TLSRPTv1"));
/* tlsrpt-field  = tlsrpt-rua / tlsrpt-extension
 * tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 * A rua= value that is not a URI list may still be a grammatical
 * tlsrpt-extension; the post-pass judges the first rua by name (R20 with
 * R3/R4). */
DEFINE_RULE(TLSRPT_RECORD,
            SEQ_(&TLSRPT_VERSION,
                 PLUS(SEQ(&STS_FIELD_DELIM, ALT(SEQ(CAP(TAG_NAME, LIT("rua")), LIT("="),
                                                    CAP(TAG_VALUE, &TLSRPT_RUA_LIST)),
                                                &TLSRPT_EXTENSION))),
                 OPT(&STS_FIELD_DELIM)));
DEFINE_RULE(TLSRPT_RRSET_PREFIX, SEQ_(&TLSRPT_VERSION, STAR(&WSP), LIT(";")));
DEFINE_RULE(TLSRPT_LITERAL_PREFIX, LIT_("v=TLSRPTv1;"));

const abnf_node *const g_sts_text_record = &STS_TEXT_RECORD;
const abnf_node *const g_sts_id_value = &STS_ID_VALUE;
const abnf_node *const g_sts_rrset_prefix = &STS_RRSET_PREFIX;
const abnf_node *const g_sts_literal_prefix = &STS_LITERAL_PREFIX;
const abnf_node *const g_policy_record = &POLICY_RECORD;
const abnf_node *const g_policy_version_value = &POLICY_VERSION_VALUE;
const abnf_node *const g_policy_mode_value = &POLICY_MODE_VALUE;
const abnf_node *const g_policy_max_age_value = &POLICY_MAX_AGE_VALUE;
const abnf_node *const g_policy_mx_value = &POLICY_MX_VALUE;
const abnf_node *const g_domain = &DOMAIN;
const abnf_node *const g_tlsrpt_record = &TLSRPT_RECORD;
const abnf_node *const g_tlsrpt_rrset_prefix = &TLSRPT_RRSET_PREFIX;
const abnf_node *const g_tlsrpt_literal_prefix = &TLSRPT_LITERAL_PREFIX;
const abnf_node *const g_tlsrpt_rua = &TLSRPT_RUA_LIST;
const abnf_node *const g_mailto_address = &MAILTO_ADDRESS;
