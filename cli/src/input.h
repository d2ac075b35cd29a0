/*
 * input.h - bounded reading of a file or of standard input.
 */
#ifndef MTASTS_CLI_INPUT_H
#define MTASTS_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cli_input {
  char *data; /* malloc'd; not NUL-terminated */
  size_t len;
  bool more; /* the input had more than `cap` bytes; reading stopped */
} cli_input;

/*
 * Read at most `cap` bytes of `path` ("-" is standard input) and stop:
 * memory stays bounded whatever the input's size. On failure returns false
 * with a message such as "cannot read 'x': Is a directory" in err.
 */
bool input_read(const char *path, size_t cap, cli_input *in, char *err, size_t errlen);

void input_free(cli_input *in);

/* Remove one final LF or CRLF: a record read from a file or a pipe is a
 * line of text, and `echo` adds the line ending. */
void input_chomp(cli_input *in);

/* The name diagnostics show for `path`: "<stdin>" for "-". */
const char *input_name(const char *path);

#endif /* MTASTS_CLI_INPUT_H */
