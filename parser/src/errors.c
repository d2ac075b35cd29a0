/* errors.c - names and messages of the codes, from the one table in
 * mtasts.h, and the offset -> line:column helper. */
#include "mtasts.h"

/* Indexed by number, so a lookup is O(1) whatever order the table lists
 * the codes in. */
static const char *const code_names[MTASTS_CODE_COUNT_] = {
#define X(name, number, msg) [number] = #name,
    MTASTS_CODE_MAP(X)
#undef X
};

static const char *const code_messages[MTASTS_CODE_COUNT_] = {
#define X(name, number, msg) [number] = msg,
    MTASTS_CODE_MAP(X)
#undef X
};

/* The numbers are dense: as many entries as the largest number + 1, and
 * (code_known) no number twice, so every index of the tables is a code. */
#define X(name, number, msg) +1
enum { CODE_ENTRIES = 0 MTASTS_CODE_MAP(X) };
#undef X
_Static_assert((int)CODE_ENTRIES == (int)MTASTS_CODE_COUNT_, "code numbers must be 0 .. count - 1");

/* A switch over the table: a number listed twice is a duplicate case label,
 * which does not compile; anything else (negative, too large) is unknown. */
static bool code_known(mtasts_code code) {
  switch (code) {
#define X(name, number, msg) case MTASTS_##name:
    MTASTS_CODE_MAP(X)
#undef X
    return true;
  default:
    return false;
  }
}

const char *mtasts_errname(mtasts_code code) {
  return code_known(code) ? code_names[code] : "UNKNOWN";
}

const char *mtasts_strerror(mtasts_code code) {
  return code_known(code) ? code_messages[code] : "unknown code";
}

bool mtasts_is_warning(mtasts_code code) {
  /* Derived from the stable name, so appending codes cannot break it. */
  return code_known(code) && code_names[code][0] == 'W';
}

mtasts_location mtasts_locate(const char *input, size_t len, size_t offset) {
  mtasts_location loc = {1, 1};
  if (input == NULL)
    return loc;
  /* mutant-equivalent(rel): at offset == len, clamping to len changes nothing */
  if (offset > len)
    offset = len;
  for (size_t i = 0; i < offset; i++) {
    if (input[i] == '\n') {
      loc.line++;
      loc.column = 1;
    } else {
      loc.column++;
    }
  }
  return loc;
}
