/* names.c - stable names of the public enums (mtasts.h); the codes have
 * theirs in errors.c, from the code table. */
#include "mtasts.h"

/* names[v], or "unknown" for a value outside the table. */
static const char *name_in(const char *const *names, size_t count, long v) {
  return v >= 0 && (size_t)v < count ? names[v] : "unknown";
}
#define NAME_IN(table, v) name_in((table), sizeof(table) / sizeof((table)[0]), (long)(v))

static const char *const profile_names[] = {"strict", "lenient"};
static const char *const rua_scheme_names[] = {"unknown", "mailto", "https"};
/* Indexed by value + 2: the two negative values come first. */
static const char *const mode_names[] = {"none", "enforce", "testing", "none"};
static const char *const match_names[] = {"bad_host", "bad_pattern", "none", "exact", "wildcard"};

const char *mtasts_profile_name(mtasts_profile p) {
  return NAME_IN(profile_names, p);
}

const char *mtasts_rua_scheme_name(mtasts_rua_scheme s) {
  return NAME_IN(rua_scheme_names, s);
}

const char *mtasts_mode_name(mtasts_mode m) {
  return NAME_IN(mode_names, m);
}

const char *mtasts_match_name(mtasts_match m) {
  return NAME_IN(match_names, (long)m + 2);
}
