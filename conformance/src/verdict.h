/*
 * verdict.h - checking one adapter answer against one vector.
 */
#ifndef CONF_VERDICT_H
#define CONF_VERDICT_H

#include "model.h"
#include "text.h"

/*
 * Parses one answer line and checks it is a protocol answer to tc_id:
 * an object with the same tcId, result valid / invalid / unsupported,
 * fields an object, error a string, offset a non-negative integer and
 * warnings an array of strings when present. Returns NULL (reason in why)
 * otherwise: the adapter is then out of step and must be restarted.
 */
json_t *response_parse(const char *line, size_t len, long long tc_id, sbuf *why);

/*
 * What `im` should answer for `v`: the vector's result, or for an
 * acceptable vector its acceptableResult (own implementation) or the
 * result its acceptable flags imply (others). Returns "valid" or "invalid".
 */
const char *expected_result(const conf_impl *im, const conf_vector *v);

/*
 * The verdict for a protocol-valid answer. reason gets a line saying why
 * whenever the verdict is not a plain pass.
 */
conf_verdict judge(const conf_impl *im, const conf_vector *v, const json_t *resp, sbuf *reason);

#endif
