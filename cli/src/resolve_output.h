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

void resolve_print_text(const mtasts_resolution *run, FILE *out);
void resolve_print_json(const mtasts_resolution *run, const cli_options *o);

#endif /* MTASTS_CLI_RESOLVE_OUTPUT_H */
