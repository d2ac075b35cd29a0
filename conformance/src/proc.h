/*
 * proc.h - one adapter process: started with pipes on stdin/stdout, fed one
 * request line at a time, each answer awaited with a deadline (poll), and
 * killed - with everything it started - when it misbehaves.
 */
#ifndef CONF_PROC_H
#define CONF_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "text.h"

typedef struct adapter_proc {
  char **argv;             /* borrowed */
  const char *cwd;         /* borrowed; the adapter's working directory */
  const char *stderr_path; /* borrowed; the adapter's stderr is appended there (NULL: inherited) */
  pid_t pid;               /* 0 when not running; also its process group */
  int to_child;
  int from_child;
  char *buf; /* bytes read from the adapter, not yet consumed */
  size_t len;
  size_t cap;
  size_t consumed; /* length of the line handed out last time, with its LF */
} adapter_proc;

typedef enum proc_status {
  PROC_OK,
  PROC_TIMEOUT, /* no complete line before the deadline */
  PROC_EOF,     /* the adapter closed its stdout (exited or crashed) */
  PROC_WRITE,   /* the adapter stopped reading its stdin */
  PROC_TOO_LONG /* an answer line longer than PROC_MAX_LINE */
} proc_status;

/* Guards the runner's memory against an adapter that streams forever. */
#define PROC_MAX_LINE (64u * 1024u * 1024u)

void proc_init(adapter_proc *p, char **argv, const char *cwd, const char *stderr_path);
bool proc_running(const adapter_proc *p);

/* Starts the adapter. False (message in err) when it cannot be executed. */
bool proc_start(adapter_proc *p, sbuf *err);

/*
 * Writes req (which ends in LF) and waits for one line of answer. On
 * PROC_OK, *line / *line_len is the answer without its LF, valid until the
 * next call. The deadline covers writing and reading together.
 */
proc_status proc_exchange(adapter_proc *p, const char *req, size_t req_len, int timeout_ms,
                          const char **line, size_t *line_len);

/*
 * Ends a misbehaving adapter: waits up to grace_ms for it to die on its own
 * (so a crash is reported as the crash, not as our SIGKILL), then kills its
 * whole process group. Appends how it ended to how (may be NULL).
 */
void proc_kill(adapter_proc *p, int grace_ms, sbuf *how);

/*
 * Normal end: closes the adapter's stdin (EOF) and waits up to grace_ms
 * for it to exit, then kills it. Returns true when it exited with status 0
 * (or was not running); otherwise how says what happened. Frees the read
 * buffer: call it once per proc_init, last.
 */
bool proc_finish(adapter_proc *p, int grace_ms, sbuf *how);

/* Runs a probe command (stdin, stdout, stderr on /dev/null) in cwd. True
 * when it exits 0 within timeout_ms. */
bool proc_probe(char **argv, const char *cwd, int timeout_ms);

/* Monotonic clock in seconds. */
double now_seconds(void);

#endif
