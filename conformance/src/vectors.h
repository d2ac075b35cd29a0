/*
 * vectors.h - loading the vector files (vectors/<kind>.json, Wycheproof
 * style) and turning one vector into an adapter request.
 */
#ifndef CONF_VECTORS_H
#define CONF_VECTORS_H

#include "model.h"
#include "text.h"

/*
 * Loads every <kind>.json found in dir; a missing file just leaves that
 * kind empty. Returns false (message in err) when a file exists but is not
 * a vector file the runner can use. Inconsistencies that do not stop a run
 * (numberOfTests off, tcIds not ascending) are appended to warnings.
 */
bool vectors_load(const char *dir, conf_vectors *out, sbuf *err, sbuf *warnings);
void vectors_free(conf_vectors *v);

/* The request object for one vector (protocol version 1). */
json_t *vector_request(const conf_vector *v);

/* The vector's input, escaped for humans (see sb_put_readable), e.g.
 * "v=STSv1; id=a\r\n" or pattern "*.x" host "a.x". Caller frees. */
char *vector_readable_input(conf_kind kind, const json_t *test);

/* The vector's own `result` string ("valid" / "invalid" / "acceptable"). */
const char *vector_result(const conf_vector *v);

#endif
