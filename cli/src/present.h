/*
 * present.h - TXT records written as text: one record per line, either in
 * DNS presentation format (quoted character-strings, as `dig +short TXT`
 * prints them) or, when the line does not begin with a quote, the whole
 * line as one character-string.
 */
#ifndef MTASTS_CLI_PRESENT_H
#define MTASTS_CLI_PRESENT_H

#include <stdbool.h>
#include <stddef.h>

#include "mtasts.h"

typedef struct cli_rrset {
  const char *text; /* the file, as read */
  size_t len;
  char *bytes; /* the decoded character-strings, back to back */
  mtasts_chunk *chunks;
  size_t *chunk_src; /* per chunk: offset in text of its first byte */
  bool *chunk_quoted;
  mtasts_rr *rrs;
  size_t *rr_line;  /* per record: its line number (1-based) */
  size_t *rr_start; /* per record: offset of its line in text */
  size_t count;
} cli_rrset;

/*
 * Split `text` into records. Blank lines are skipped; "\r\n" ends a line
 * like "\n". In a quoted string, \" \\ and \DDD (a decimal byte) are
 * escapes and \X stands for X (RFC 1035 5.1). On a format error returns
 * false with a message and err_at (an offset into text).
 */
bool rrset_decode(const char *text, size_t len, cli_rrset *out, const char **err, size_t *err_at);

void rrset_free(cli_rrset *r);

/* Offset in text of byte `off` of record `rr` joined; off may be the
 * record's length (then: where its last string ends). */
size_t rrset_source_offset(const cli_rrset *r, size_t rr, size_t off);

#endif /* MTASTS_CLI_PRESENT_H */
