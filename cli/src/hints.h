/*
 * hints.h - for every code of the library: a one-line hint on how to fix
 * the input, and the RFC section that the rule comes from.
 */
#ifndef MTASTS_CLI_HINTS_H
#define MTASTS_CLI_HINTS_H

#include "cli.h"
#include "mtasts.h"

/* The hint for `code`; "" only for a value outside the library's table. */
const char *hint_for(mtasts_code code);

/* The RFC section(s) for `code` met in an input of kind `kind`, e.g.
 * "RFC 8461 §3.2"; "" only for a value outside the table. A few codes
 * (E_NUL, duplicates, the TXT grammar shared by both records) cite the
 * section of the kind of input they were found in. */
const char *rfc_for(mtasts_code code, cli_kind kind);

/* A second, sharper hint for a policy `body` of `len` bytes that failed
 * with `code` at `offset`, when the failing line has a shape that repeats
 * in published policies (issue 17; vectors/policy.json, flag InTheWild):
 * UTF-16 text, front matter, a comment, a template placeholder, an MX
 * priority, "enforced" for "enforce", a unit on max_age. NULL for any
 * other input. The text is static and one line. */
const char *hint_policy_shape(mtasts_code code, const char *body, size_t len, size_t offset);

#endif /* MTASTS_CLI_HINTS_H */
