/*
 * fetch.c - is an HTTPS response a policy? (RFC 8461 3.2, 3.3; R8, R9,
 * R18). The checks run in the order the response is read: how it was
 * reached (redirect), its status, its headers, its size, its body.
 */
#include "mtasts_engine.h"

#include <string.h>

#include "ascii.h"

/* R9: "text/plain", compared case-insensitively, any parameters. */
static bool is_text_plain(const mtasts_media_type *m) {
  return ascii_ieq(m->type.ptr, m->type.len, "text", 4) &&
         ascii_ieq(m->subtype.ptr, m->subtype.len, "plain", 5);
}

static mtasts_fetch_reason reason_of_parse(mtasts_code code) {
  if (code == MTASTS_OK)
    return MTASTS_FETCH_OK;
  /* The caller's array, not the policy, is at fault: say so, so that it
   * retries with policy->mx_needed (ext_needed) instead of reporting the
   * domain. */
  if (code == MTASTS_E_MX_CAPACITY || code == MTASTS_E_EXT_CAPACITY)
    return MTASTS_FETCH_CAPACITY;
  return MTASTS_FETCH_POLICY_INVALID; /* R8: never used in part */
}

static mtasts_fetch_reason verdict(mtasts_fetch_verdict *v, mtasts_fetch_reason r) {
  v->reason = r;
  v->rpt = mtasts_fetch_reason_rpt(r);
  return r;
}

mtasts_fetch_reason mtasts_fetch_accept(const mtasts_http_response *resp, const mtasts_options *opt,
                                        mtasts_policy *policy, mtasts_fetch_verdict *v) {
  mtasts_fetch_verdict scratch;
  if (v == NULL)
    v = &scratch;
  memset(v, 0, sizeof *v);
  if (resp == NULL || policy == NULL) {
    v->parse_code = MTASTS_E_ARGUMENT;
    return verdict(v, MTASTS_FETCH_POLICY_INVALID);
  }
  /* H5: "HTTP 3xx redirects MUST NOT be followed": a policy reached
   * through one is not a policy, even with status 200. */
  if (resp->redirected)
    return verdict(v, MTASTS_FETCH_REDIRECT);
  /* H5: "only valid if the HTTP response code is 200 (OK)". */
  if (resp->status != 200)
    return verdict(v, MTASTS_FETCH_STATUS);
  /* P2/R9: an absent or malformed Content-Type is not text/plain. */
  if (resp->content_type_len == 0 ||
      !mtasts_media_type_parse(resp->content_type, resp->content_type_len, &v->media) ||
      !is_text_plain(&v->media))
    return verdict(v, MTASTS_FETCH_MEDIA_TYPE);
  v->charset_warning = v->media.charset_other;
  /* R18: checked from the length alone, before a byte of the body. */
  if (resp->body_len > MTASTS_POLICY_MAX_SIZE)
    return verdict(v, MTASTS_FETCH_TOO_LARGE);
  v->parse_code = mtasts_policy_parse(resp->body, resp->body_len, opt, policy);
  v->parse_offset = policy->err_offset;
  return verdict(v, reason_of_parse(v->parse_code));
}
