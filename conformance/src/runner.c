#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"
#include "verdict.h"

/* Time an adapter gets to exit after EOF, and a crashing one to finish
 * dying (so its own signal is reported rather than our SIGKILL). Both are
 * upper bounds polled every few ms, not waits: a loaded machine may take
 * a while to reap a crashed child, and the report must not depend on it. */
enum { FINISH_GRACE_MS = 2000, CRASH_GRACE_MS = 2000 };

/* ------------------------------------------------------------- session */

bool impl_probe(conf_impl *im, const runner_options *opt) {
  if (im->probe_argv && !proc_probe(im->probe_argv, opt->paths.root, opt->probe_timeout_ms)) {
    im->status = IMPL_NOT_INSTALLED;
    return false;
  }
  im->status = IMPL_RAN;
  return true;
}

static char *stderr_log_path(const char *out_dir, const conf_impl *im) {
  sbuf path;
  sb_init(&path);
  sb_printf(&path, "%s/%s.stderr.log", out_dir, im->name);
  FILE *f = fopen(sb_str(&path), "w"); /* fresh for every run */
  if (f)
    fclose(f);
  return sb_take(&path);
}

void session_open(impl_session *s, conf_impl *im, const runner_options *opt, const char *out_dir) {
  memset(s, 0, sizeof *s);
  s->im = im;
  s->opt = opt;
  s->log_path = stderr_log_path(out_dir, im);
  proc_init(&s->proc, im->argv, opt->paths.root, s->log_path);
  s->start = now_seconds();
}

/* After a protocol failure the stream is out of step: end the adapter;
 * the next request starts a fresh one. */
static void restart(impl_session *s, int grace_ms, sbuf *reason) {
  sbuf how;
  sb_init(&how);
  proc_kill(&s->proc, grace_ms, &how);
  if (how.len)
    sb_printf(reason, "; adapter %s", sb_str(&how));
  sb_free(&how);
  s->im->restarts++;
  if (s->im->restarts >= s->opt->max_restarts && !s->gave_up) {
    s->gave_up = true;
    sbuf why;
    sb_init(&why);
    sb_printf(&why, "not sent: the adapter was restarted %u times", s->im->restarts);
    s->gave_up_reason = sb_take(&why);
  }
}

static const char *describe(proc_status st) {
  switch (st) {
  case PROC_TIMEOUT:
    return "no answer within the timeout";
  case PROC_EOF:
    return "adapter closed its output (exited or crashed)";
  case PROC_WRITE:
    return "adapter stopped reading its input";
  case PROC_TOO_LONG:
    return "answer line too long";
  case PROC_OK:
    break;
  }
  return "ok";
}

json_t *session_ask(impl_session *s, const conf_vector *v, sbuf *reason) {
  if (s->gave_up) {
    sb_puts(reason, s->gave_up_reason);
    return NULL;
  }
  if (!proc_running(&s->proc) && !proc_start(&s->proc, reason)) {
    /* A command that cannot run will not run on the next try either. */
    s->gave_up = true;
    s->gave_up_reason = xstrdup(sb_str(reason));
    return NULL;
  }
  json_t *req = vector_request(v);
  char *line = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  size_t len = strlen(line);
  line = xrealloc(line, len + 2);
  line[len++] = '\n';
  const char *answer;
  size_t answer_len;
  proc_status st = proc_exchange(&s->proc, line, len, s->opt->timeout_ms, &answer, &answer_len);
  free(line);
  if (st != PROC_OK) {
    sb_puts(reason, describe(st));
    restart(s, st == PROC_EOF || st == PROC_WRITE ? CRASH_GRACE_MS : 0, reason);
    return NULL;
  }
  json_t *resp = response_parse(answer, answer_len, v->tc_id, reason);
  if (!resp)
    restart(s, 0, reason);
  return resp;
}

void session_close(impl_session *s) {
  sbuf how;
  sb_init(&how);
  if (!proc_finish(&s->proc, FINISH_GRACE_MS, &how))
    s->im->exit_note = sb_take(&how);
  sb_free(&how);
  s->im->wall_seconds = now_seconds() - s->start;
  free(s->gave_up_reason);
  free(s->log_path);
  s->gave_up_reason = NULL;
  s->log_path = NULL;
}

/* ------------------------------------------------------------- vectors */

static void record(conf_run *run, size_t index, const conf_vector *v, conf_verdict verdict,
                   json_t *got, const char *reason) {
  conf_impl *im = &run->impls->items[index];
  conf_result r = {
      .impl = index,
      .vec = v,
      .verdict = verdict,
      .expected = expected_result(im, v),
      .got = got,
      .reason = reason && *reason ? xstrdup(reason) : NULL,
  };
  results_add(run->results, r);
  im->counts[v->kind][verdict]++;
  im->totals[verdict]++;
}

static void run_vector(conf_run *run, size_t index, impl_session *s, const conf_vector *v) {
  if (!s->im->kinds[v->kind]) {
    record(run, index, v, VERDICT_UNSUPPORTED, NULL, "kind not listed for this implementation");
    return;
  }
  sbuf reason;
  sb_init(&reason);
  json_t *resp = session_ask(s, v, &reason);
  conf_verdict verdict = resp ? judge(s->im, v, resp, &reason) : VERDICT_ERROR;
  record(run, index, v, verdict, resp, sb_str(&reason));
  sb_free(&reason);
}

void run_impl(conf_run *run, size_t index, const runner_options *opt) {
  conf_impl *im = &run->impls->items[index];
  if (!impl_probe(im, opt))
    return;
  impl_session s;
  session_open(&s, im, opt, run->out_dir);
  for (size_t i = 0; i < run->vectors->count; i++) {
    const conf_vector *v = &run->vectors->items[i];
    if (im->profiles[v->profile])
      run_vector(run, index, &s, v);
  }
  session_close(&s);
}

int run_exit_status(const conf_run *run) {
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    /* An adapter that does not exit 0 at EOF breaks the protocol too. Our
     * resolver must run every scenario: unsupported is a failure there. */
    if (im->own && (im->totals[VERDICT_FAIL] || im->totals[VERDICT_ERROR] || im->exit_note ||
                    im->counts[KIND_SCENARIO][VERDICT_UNSUPPORTED]))
      return 1;
  }
  return 0;
}
