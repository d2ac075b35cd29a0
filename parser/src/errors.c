/* errors.c - names and messages of the codes, from the one table in
 * mtasts.h, and the offset -> line:column helper. */
#include "mtasts.h"

static const char *const code_names[] = {
#define X(name, msg) #name,
    MTASTS_CODE_MAP(X)
#undef X
};

static const char *const code_messages[] = {
#define X(name, msg) msg,
    MTASTS_CODE_MAP(X)
#undef X
};

static bool code_known(mtasts_code code) {
  /* Compare as unsigned: an out-of-range negative value fails too. */
  return (unsigned)code < (unsigned)MTASTS_CODE_COUNT_;
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
