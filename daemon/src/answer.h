/*
 * answer.h - what mtasts-daemon answers Postfix for one domain of
 * smtp_tls_policy_maps: the policy that applies (or none) as a socketmap
 * reply (socketmap_table(5), postconf(5) smtp_tls_policy_maps).
 *
 * The answers, all but the second as postfix-mta-sts-resolver and
 * postfix-tlspol give them:
 *  - enforce, the MX hosts unknown (daemon_answer): OK "secure
 *    match=P1:P2 servername=hostname", each pattern of the policy's mx
 *    lines; a wildcard "*.example.com" becomes Postfix's ".example.com"
 *    (Postfix then also accepts deeper names than RFC 8461 4.1 does; both
 *    projects accept the same);
 *  - enforce, the domain's MX hosts known (daemon_answer_hosts): "secure
 *    match=H1:H2 servername=hostname", the MX host names that the policy
 *    matches, exactly. Postfix's match= lists the names the server's
 *    certificate must match, so an MX outside the policy (x.y.example.com
 *    for "*.example.com") is refused: its certificate names itself, which
 *    is not listed. Edge cases:
 *     - the MX lookup failed: the patterns, as above (no worse than
 *       without the lookup, and mail is not held up by a DNS fault);
 *     - no MX record (NXDOMAIN, NODATA): the implicit MX of RFC 5321
 *       5.1, the domain itself, listed if the policy matches it;
 *     - no MX host matches (a null MX, RFC 7505, matches none):
 *       NO_MX_MATCHES, a name under RFC 6761's ".invalid" that no
 *       certificate names, so Postfix delivers nowhere, as RFC 8461 4.1
 *       says for enforce; the patterns would accept deeper MX hosts, the
 *       very case the host names are listed for;
 *     - the names do not fit in a reply: the patterns.
 *    The names are cached with the answer for `refresh`: a new MX host
 *    the policy matches is refused until then. Postfix checks the
 *    certificate, not which listed name the host it connected to has: an
 *    MX outside the policy whose certificate names a listed host passes;
 *  - testing: NOTFOUND, as postfix-mta-sts-resolver's default
 *    (strict_testing = no): a testing policy must not change delivery
 *    (RFC 8461 5), and Postfix's "secure" cannot report without refusing.
 *    With strict_testing the testing policy is answered like enforce;
 *  - mode none, or no policy: NOTFOUND.
 * With tlsrpt, an OK answer carries the TLSRPT attributes of Postfix >=
 * 3.10: policy_type=sts, policy_domain, one policy_string per policy
 * line and one mx_host_pattern per mx pattern as written. An answer that
 * does not fit in SOCKETMAP_REPLY_MAX drops these attributes first; if it
 * still does not fit it is TEMP (Postfix defers rather than delivering
 * without the policy).
 *
 * DANE beside the policy (RFC 8461 2: MTA-STS "MUST NOT" override a
 * failing DANE validation; ruling R31). Postfix's policy table is per
 * next-hop domain, and an answer replaces its own smtp_tls_security_level
 * (dane) for the whole domain, so an OK answer depends on how many of the
 * domain's MX hosts have usable, DNSSEC-validated TLSA records
 * (resolver_dane.h), with config `dane = yes`:
 *  - none: "secure match=..." as above;
 *  - all: "dane-only": DANE decides each host (Postfix's TLS_README:
 *    mandatory DANE, no connection to a host without usable TLSA);
 *  - some: "dane-only" too, the level that never delivers where RFC 8461
 *    2 forbids: a host with TLSA records is used only if DANE passes, a
 *    host without is not used (MTA-STS cannot be checked there). The
 *    other choice, "dane", would fall back to opportunistic TLS on the
 *    hosts without TLSA: delivery to a host MTA-STS refuses;
 *  - unknown (a lookup failed, RFC 7672 2.2's "indeterminate"): TEMP,
 *    retried after the back-off; the host may be one where DANE fails.
 * A "dane-only" answer carries no TLSRPT attributes: Postfix reports its
 * DANE policy itself (policy_type tlsa, from the TLSA records it uses).
 * Testing policies (NOTFOUND) and domains without a policy are unchanged:
 * Postfix's own dane level applies to them.
 */
#ifndef MTASTS_DAEMON_ANSWER_H
#define MTASTS_DAEMON_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"
#include "resolver_dane.h"
#include "resolver_mx.h"
#include "socketmap.h"

/* The match= name when no MX host matches the policy (answer.h). */
#define NO_MX_MATCHES "no-mx-host-matches-the-policy.invalid"

typedef struct daemon_answer_opts {
  bool strict_testing; /* answer testing policies like enforce */
  bool tlsrpt;         /* add Postfix 3.10's TLSRPT attributes */
} daemon_answer_opts;

/*
 * The reply for `domain` under policy `p` (NULL: no policy). The data
 * (without the status word) goes to out[0, cap), NUL-terminated, its
 * length to *len.
 */
socketmap_reply_status daemon_answer(const char *domain, const mtasts_policy *p,
                                     const daemon_answer_opts *o, char *out, size_t cap,
                                     size_t *len);

/* daemon_answer with the domain's MX hosts `mx` (NULL: unknown, the
 * patterns): the hosts the policy matches (above). */
socketmap_reply_status daemon_answer_hosts(const char *domain, const mtasts_policy *p,
                                           const daemon_answer_opts *o, const dns_mx *mx, char *out,
                                           size_t cap, size_t *len);

/*
 * The answer `st` of daemon_answer (data in out) once the DANE survey
 * `d` of `domain` is known (above): unchanged unless st is OK and the
 * coverage is not DANE_NONE; then "dane-only" (OK), or why (TEMP).
 */
socketmap_reply_status daemon_answer_dane(socketmap_reply_status st, const char *domain,
                                          const dane_survey *d, char *out, size_t cap, size_t *len);

#endif /* MTASTS_DAEMON_ANSWER_H */
