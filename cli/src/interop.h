/*
 * interop.h - which other implementations will not apply a policy, or will
 * read it differently, from data: conformance/interop/measured.json (the
 * conformance runs of the adapters we run) and read.json (implementations
 * read from their source). Both are compiled in (cli/embed.cmake).
 */
#ifndef MTASTS_CLI_INTEROP_H
#define MTASTS_CLI_INTEROP_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "mtasts.h"

/* At most this many conditions are named for one policy. */
#define INTEROP_MAX_CONDITIONS 8u

/* What the lenient profile reports of a policy body: each distinct
 * warning, in order, then its error if any. These are the keys of the data. Returns
 * how many were stored in out (0: a policy every reader agrees on). */
size_t interop_conditions(const char *body, size_t len, mtasts_code *out, size_t cap);

/* The impact of `conds` as JSON: {"conditions": [...], "will_not_apply": [...],
 * "may_not_apply": [...], "misread": [...]}, each sender an object with name,
 * version, data ("measured" or "read"), source, verdict and, when the data
 * has it, why or the counts. An implementation's worst verdict over the
 * conditions decides its list; one with no data for any is left out. */
json_t *interop_impact(const mtasts_code *conds, size_t n);

/* The human lines: always "senders that will not apply this policy: ...",
 * then the other lists when not empty. */
void interop_print(FILE *f, const json_t *impact);

#endif /* MTASTS_CLI_INTEROP_H */
