/*
 * resolve_output.h - what `mtasts resolve` prints of a resolution
 * (resolver/include/mtasts_resolver.h): text for people, or the --json
 * object (cli/diagnostics.schema.json, $defs/resolve).
 */
#ifndef MTASTS_CLI_RESOLVE_OUTPUT_H
#define MTASTS_CLI_RESOLVE_OUTPUT_H

#include <stdio.h>

#include "cli.h"
#include "mtasts_resolver.h"
#include "report.h"

/* Why the fetch did not give a policy, or "" when it did. */
void resolve_fetch_error(const mtasts_resolution *run, char *buf, size_t len);

/* A TXT record's character-strings joined, malloc'd (NULL: out of memory). */
char *resolve_joined_record(const mtasts_rr *rr, size_t *len);

void resolve_print_text(const mtasts_resolution *run, FILE *out);
void resolve_print_json(const mtasts_resolution *run, const cli_options *o);

#endif /* MTASTS_CLI_RESOLVE_OUTPUT_H */
