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

#endif /* MTASTS_CLI_HINTS_H */
