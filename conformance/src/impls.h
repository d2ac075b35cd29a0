/*
 * impls.h - the implementations file (conformance/impls.json).
 */
#ifndef CONF_IMPLS_H
#define CONF_IMPLS_H

#include "model.h"
#include "text.h"

typedef struct conf_paths {
  const char *root;  /* the repository: ${root}, relative commands, adapters' cwd */
  const char *build; /* the build directory: ${build} */
} conf_paths;

/*
 * Loads the list. Every entry: name, command (argv array), kinds; optional
 * description, profiles (default ["strict"]), acceptable (flags), available
 * (probe argv), own (default false). Returns false with a message in err.
 */
bool impls_load(const char *path, const conf_paths *paths, conf_impls *out, sbuf *err);
void impls_free(conf_impls *impls);

/* Whether name is one of the comma-separated names in list (--only). */
bool impl_name_in_list(const char *name, const char *list);

/*
 * Substitutes ${root} and ${build} in one argument. For the command itself
 * (is_command), a relative path with a "/" is looked up under the root and
 * then under the build directory. Caller frees.
 */
char *resolve_arg(const char *arg, const conf_paths *paths, bool is_command);

#endif
