/*
 * answer.h - what mtasts-daemon answers Postfix for one domain of
 * smtp_tls_policy_maps: the policy that applies (or none) as a socketmap
 * reply (socketmap_table(5), postconf(5) smtp_tls_policy_maps).
 *
 * The same answers as postfix-mta-sts-resolver and postfix-tlspol:
 *  - enforce: OK "secure match=P1:P2 servername=hostname", each pattern of
 *    the policy's mx lines; a wildcard "*.example.com" becomes Postfix's
 *    ".example.com" (Postfix then also accepts deeper names than RFC 8461
 *    4.1 does; both projects accept the same);
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
 */
#ifndef MTASTS_DAEMON_ANSWER_H
#define MTASTS_DAEMON_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"
#include "socketmap.h"

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

#endif /* MTASTS_DAEMON_ANSWER_H */
