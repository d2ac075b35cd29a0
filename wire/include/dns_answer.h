/*
 * dns_answer.h - the TXT records of a DNS response message (RFC 1035 4.1),
 * or its TLSA records and AD bit (DANE, dns_answer_tlsa below), read from
 * a server we do not trust. A pure function over the message:
 * no allocation (the caller gives the arrays), no I/O, no recursion.
 *
 * What it accepts, and nothing else:
 *  - a 12-octet header, then the question, answer, authority and
 *    additional sections exactly as the header counts them, ending
 *    exactly at the end of the message;
 *  - names of labels (1-63 octets) ending in the root label or in a
 *    compression pointer (RFC 1035 4.1.4); a label type other than 00
 *    or 11 is an error;
 *  - in the answer section, each owner name whole: a pointer must point
 *    before the octet that holds it ("a prior occurance"), and the name
 *    is at most 255 octets (RFC 1035 3.1), so every walk ends;
 *  - every TXT record of class IN in the answer section, whatever its
 *    owner (a server that followed a CNAME chain, RFC 8461 3.1, puts the
 *    chain first): its RDATA is character-strings (<length><octets>),
 *    none running past the RDATA. Other types and classes are skipped.
 * At most DNS_MESSAGE_MAX octets (the 16-bit length of RFC 1035 4.2.2).
 */
#ifndef MTASTS_WIRE_DNS_ANSWER_H
#define MTASTS_WIRE_DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"

#define DNS_MESSAGE_MAX 65535u
#define DNS_NAME_MAX 255u /* RFC 1035 3.1, in octets on the wire */

/* X(NAME, "message"): the ways a message can be malformed. */
#define DNS_ANSWER_ERROR_MAP(X)                                                                    \
  X(NONE, "no error")                                                                              \
  X(MESSAGE, "the message does not parse")                                                         \
  X(RECORD, "a record of the answer section does not parse")                                       \
  X(STRING, "a TXT character-string overruns its record")

typedef enum dns_answer_error {
#define DNS_X_ENUM(name, msg) DNS_E_##name,
  DNS_ANSWER_ERROR_MAP(DNS_X_ENUM)
#undef DNS_X_ENUM
} dns_answer_error;

/* The error's phrase, e.g. "the message does not parse"; "unknown error"
 * outside the enum. Never NULL. */
const char *dns_answer_error_message(dns_answer_error e);

typedef enum dns_answer_status {
  DNS_ANSWER_OK = 0,   /* every TXT record is in the arrays */
  DNS_ANSWER_CAPACITY, /* well-formed, but the arrays are too small: see *_needed */
  DNS_ANSWER_ERROR     /* malformed: error, error_at */
} dns_answer_status;

typedef struct dns_answer {
  size_t rr_count;     /* OK: records written to rrs[] */
  size_t chunk_count;  /* OK: character-strings written to chunks[] */
  size_t rr_needed;    /* OK, CAPACITY: the TXT records of the message */
  size_t chunk_needed; /* OK, CAPACITY: their character-strings */
  dns_answer_error error;
  size_t error_at; /* ERROR: offset of the first octet that cannot be */
} dns_answer;

/*
 * Collect the TXT records of msg[0, len): rrs[i].strings points into
 * chunks[], each chunk into msg. Every member of *out is reset first.
 * rrs and chunks may be NULL with a capacity of 0 (to learn the counts:
 * DNS_ANSWER_CAPACITY unless there is no TXT record). msg may be NULL
 * when len is 0.
 */
dns_answer_status dns_answer_txt(const unsigned char *msg, size_t len, mtasts_rr *rrs,
                                 size_t rr_cap, mtasts_chunk *chunks, size_t chunk_cap,
                                 dns_answer *out);

/*
 * The header's AD bit (RFC 4035 3.2.3): the resolver says it validated
 * the answer with DNSSEC. Worth only as much as the path to that resolver
 * (RFC 6840 5.7, RFC 7672 2.2: a validating resolver the host trusts, as
 * Postfix's smtp_dns_support_level = dnssec trusts it). False for a
 * message shorter than a header.
 */
bool dns_answer_authentic(const unsigned char *msg, size_t len);

/* What a TLSA answer (RFC 6698 2.1) holds for DANE SMTP. */
typedef struct dns_tlsa {
  size_t rr_count; /* TLSA records of class IN in the answer section */
  size_t usable;   /* of them, usable for SMTP (dns_answer_tlsa) */
  dns_answer_error error;
  size_t error_at; /* ERROR: as in dns_answer */
} dns_tlsa;

/*
 * Count the TLSA records of msg[0, len), whatever their owner (a CNAME
 * chain comes first), with the checks of dns_answer_txt on the message.
 * A record is usable (RFC 7672 3.1.3, RFC 7671 4) when its certificate
 * usage is DANE-TA(2) or DANE-EE(3) (PKIX-TA(0) and PKIX-EE(1) are not
 * for SMTP), its selector Cert(0) or SPKI(1), and its matching type
 * Full(0) with some data, SHA2-256(1) with 32 octets or SHA2-512(2) with
 * 64; any other record is counted but unusable, not an error (RFC 7672
 * 2.2: such records are ignored). Returns DNS_ANSWER_OK or
 * DNS_ANSWER_ERROR (error, error_at). msg may be NULL when len is 0.
 */
dns_answer_status dns_answer_tlsa(const unsigned char *msg, size_t len, dns_tlsa *out);

#endif /* MTASTS_WIRE_DNS_ANSWER_H */
