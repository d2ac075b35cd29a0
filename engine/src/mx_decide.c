/*
 * mx_decide.c - what to do with one MX host under the applied policy
 * (RFC 8461 4, 5, 6; RFC 8460 4.3).
 */
#include "mtasts_engine.h"

#include <string.h>

static mtasts_rpt rpt_of_tls(mtasts_tls_result tls) {
  switch (tls) {
  case MTASTS_TLS_OK:
    return MTASTS_RPT_NONE;
  case MTASTS_TLS_NO_STARTTLS:
    return MTASTS_RPT_STARTTLS_NOT_SUPPORTED;
  case MTASTS_TLS_HOST_MISMATCH:
    return MTASTS_RPT_CERTIFICATE_HOST_MISMATCH;
  case MTASTS_TLS_EXPIRED:
    return MTASTS_RPT_CERTIFICATE_EXPIRED;
  case MTASTS_TLS_UNTRUSTED:
    return MTASTS_RPT_CERTIFICATE_NOT_TRUSTED;
  case MTASTS_TLS_OTHER_FAILURE:
  default:
    /* RFC 8460 4.3.3: "a negotiation failure [that] cannot be
     * categorized ... the reporter SHOULD use validation-failure". */
    return MTASTS_RPT_VALIDATION_FAILURE;
  }
}

bool mtasts_mx_decide(const mtasts_policy *policy, const char *host, size_t host_len,
                      mtasts_tls_result tls, mtasts_mx_outcome *out) {
  if (out == NULL)
    return false;
  memset(out, 0, sizeof *out);
  out->pattern_index = -1;
  if (host == NULL && host_len != 0)
    return false;
  /* 5: none "should treat the Policy Domain as though it does not have
   * any active policy"; 6 excludes it from reporting. */
  if (policy == NULL ||
      (policy->mode != MTASTS_MODE_ENFORCE && policy->mode != MTASTS_MODE_TESTING))
    return true;
  /* 4 step 1 before step 2: a host outside the policy is reported as
   * such even when its TLS failed too. R13 matching. */
  out->pattern_index = mtasts_policy_match(policy, host, host_len);
  out->rpt = out->pattern_index < 0 ? MTASTS_RPT_VALIDATION_FAILURE : rpt_of_tls(tls);
  if (out->rpt == MTASTS_RPT_NONE)
    return true;
  if (policy->mode == MTASTS_MODE_ENFORCE) {
    /* 5: "MUST NOT deliver the message to hosts that fail MX matching or
     * certificate validation or that do not support STARTTLS", and
     * "MUST NOT permanently fail ... before checking, via DNS, for the
     * presence of an updated policy". */
    out->verdict = MTASTS_MX_REFUSE;
    out->recheck_policy = true;
  } else {
    /* 5 testing: "messages may be delivered as though there were no
     * MTA-STS validation failure", with a report. */
    out->verdict = MTASTS_MX_DELIVER_AND_REPORT;
  }
  return true;
}
