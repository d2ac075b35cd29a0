/*
 * policy_check.h - read and parse a policy file, reporting into a
 * cli_report; shared by `policy`, `fmt` and `match --policy`.
 */
#ifndef MTASTS_CLI_POLICY_CHECK_H
#define MTASTS_CLI_POLICY_CHECK_H

#include <jansson.h>
#include <stdbool.h>

#include "input.h"
#include "report.h"

typedef struct cli_policy {
  cli_input input;
  cli_source src;
  mtasts_mx *mx; /* malloc'd, mx_needed entries */
  mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
  mtasts_policy p;
  mtasts_code code;
} cli_policy;

/* Read `path` (at most MTASTS_POLICY_MAX_SIZE + 1 bytes) and parse it.
 * Returns false when it cannot be read (the message is in err); otherwise
 * true, with cp->code the parse result and every diagnostic in r. */
bool policy_check(cli_report *r, const char *path, cli_policy *cp, char *err, size_t errlen);

void policy_free(cli_policy *cp);

/* The parsed fields, for --json. */
json_t *policy_json(const cli_policy *cp);

/* The parsed fields, for people: one "  name  value" line each. */
void policy_print_fields(const cli_policy *cp, FILE *f);

#endif /* MTASTS_CLI_POLICY_CHECK_H */
