/*
 * inputs.h - the inputs of a differential replay: every regular file of
 * some directories, each turned into one adapter request of one kind.
 *
 * File formats (`--input-format`):
 *
 *   fuzz (default)  the fuzz harnesses' formats (fuzz/fuzz_<kind>.c), so a
 *                   corpus replays as is: byte 0 holds the harness's flags
 *                   (lenient, literal-prefix), which are ignored - the
 *                   replay always asks for profile strict - and the rest is
 *                   the payload below. An empty file is skipped, as the
 *                   harnesses skip it. mx-match and tlsrpt-report have no
 *                   flags byte.
 *   raw             the payload alone.
 *
 * Payload per kind:
 *
 *   txt-record, policy, tlsrpt-record, tlsrpt-report  the bytes themselves
 *                  (inputHex);
 *   txt-strings    one RR's RDATA in DNS wire format: a length octet, then
 *                  that many octets, repeated; the last string is cut short
 *                  by the end of the file (stringsHex);
 *   txt-rrset, tlsrpt-rrset  RRs, each a 2-octet big-endian length and that
 *                  many octets of wire-format RDATA (cut short by the end;
 *                  a single trailing octet is ignored) (rrsetHex);
 *   mx-match       the pattern, LF, the host; without an LF the whole
 *                  payload is both pattern and host. Protocol v1 carries
 *                  them as JSON strings, so a payload that is not UTF-8 is
 *                  skipped (counted, never sent).
 */
#ifndef CONF_INPUTS_H
#define CONF_INPUTS_H

#include "model.h"
#include "text.h"

typedef enum input_format { INPUT_FUZZ, INPUT_RAW, INPUT_FORMAT_COUNT } input_format;

const char *input_format_name(input_format f);
/* INPUT_FORMAT_COUNT for an unknown name. */
input_format input_format_from_name(const char *name);

/* Why a file did not become a request. */
typedef enum input_skip {
  SKIP_NONE,
  SKIP_EMPTY,    /* an empty fuzz-format file: the harnesses skip it too */
  SKIP_NOT_UTF8, /* an mx-match pattern or host JSON cannot carry */
  SKIP_TOO_LARGE,
  SKIP_UNREADABLE,
  SKIP_COUNT
} input_skip;

const char *input_skip_name(input_skip s);

/* Files larger than this are skipped: every kind's input limit is far
 * below it (a policy body is at most 64 KiB). */
#define INPUT_MAX_FILE (1024u * 1024u)

/*
 * The request members (inputHex / stringsHex / rrsetHex / pattern + host)
 * for one file's bytes, as a vector-like object, or NULL with the reason
 * in *skip. *payload_len is the size of the payload (the file without its
 * flags byte), which ranks examples ("shortest").
 */
json_t *input_to_test(conf_kind kind, input_format format, const unsigned char *data, size_t n,
                      size_t *payload_len, input_skip *skip);

typedef struct diff_input {
  char *path;         /* DIR/name, as given */
  size_t payload_len; /* see input_to_test */
  conf_vector vec;    /* tcId = 1-based index; test owned by the list */
} diff_input;

typedef struct diff_inputs {
  diff_input *items;
  size_t count;
  size_t files; /* regular files seen */
  size_t skipped[SKIP_COUNT];
  char **skipped_paths; /* the unreadable ones, for the message */
  size_t skipped_paths_count;
} diff_inputs;

/*
 * Reads every regular file directly inside each directory (names starting
 * with "." are ignored; files in name order, directories in the order
 * given). False with a message in err when a directory cannot be read.
 */
bool inputs_load(conf_kind kind, input_format format, char *const *dirs, size_t dir_count,
                 diff_inputs *out, sbuf *err);
void inputs_free(diff_inputs *in);

#endif
