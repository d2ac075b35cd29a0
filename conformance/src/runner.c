#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "vectors.h"
#include "verdict.h"

/* Time an adapter gets to exit after EOF, and a crashing one to finish
 * dying (so its own signal is reported rather than our SIGKILL). */
enum { FINISH_GRACE_MS = 2000, CRASH_GRACE_MS = 200 };

typedef struct impl_run {
  conf_run *run;
  size_t index;
  conf_impl *im;
  const runner_options *opt;
  adapter_proc proc;
  bool gave_up;
  char *gave_up_reason;
} impl_run;

static void record(impl_run *ir, const conf_vector *v, conf_verdict verdict, json_t *got,
                   const char *reason) {
  conf_result r = {
      .impl = ir->index,
      .vec = v,
      .verdict = verdict,
      .expected = expected_result(ir->im, v),
      .got = got,
      .reason = reason && *reason ? xstrdup(reason) : NULL,
  };
  results_add(ir->run->results, r);
  ir->im->counts[v->kind][verdict]++;
  ir->im->totals[verdict]++;
}

/* After a protocol failure the stream is out of step: end the adapter;
 * the next request starts a fresh one. */
static void restart(impl_run *ir, int grace_ms, sbuf *reason) {
  sbuf how;
  sb_init(&how);
  proc_kill(&ir->proc, grace_ms, &how);
  if (reason && how.len)
    sb_printf(reason, "; adapter %s", sb_str(&how));
  sb_free(&how);
  ir->im->restarts++;
  if (ir->im->restarts >= ir->opt->max_restarts && !ir->gave_up) {
    ir->gave_up = true;
    sbuf why;
    sb_init(&why);
    sb_printf(&why, "not sent: the adapter was restarted %u times", ir->im->restarts);
    ir->gave_up_reason = sb_take(&why);
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

static void run_vector(impl_run *ir, const conf_vector *v) {
  if (!ir->im->kinds[v->kind]) {
    record(ir, v, VERDICT_UNSUPPORTED, NULL, "kind not listed for this implementation");
    return;
  }
  if (ir->gave_up) {
    record(ir, v, VERDICT_ERROR, NULL, ir->gave_up_reason);
    return;
  }
  sbuf reason;
  sb_init(&reason);
  if (!proc_running(&ir->proc) && !proc_start(&ir->proc, &reason)) {
    /* A command that cannot run will not run on the next try either. */
    ir->gave_up = true;
    ir->gave_up_reason = xstrdup(sb_str(&reason));
    record(ir, v, VERDICT_ERROR, NULL, sb_str(&reason));
    sb_free(&reason);
    return;
  }
  json_t *req = vector_request(v);
  char *line = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  size_t len = strlen(line);
  line = xrealloc(line, len + 2);
  line[len++] = '\n';
  const char *answer;
  size_t answer_len;
  proc_status st = proc_exchange(&ir->proc, line, len, ir->opt->timeout_ms, &answer, &answer_len);
  free(line);
  if (st != PROC_OK) {
    sb_puts(&reason, describe(st));
    restart(ir, st == PROC_EOF || st == PROC_WRITE ? CRASH_GRACE_MS : 0, &reason);
    record(ir, v, VERDICT_ERROR, NULL, sb_str(&reason));
    sb_free(&reason);
    return;
  }
  json_t *resp = response_parse(answer, answer_len, v->tc_id, &reason);
  if (!resp) {
    restart(ir, 0, &reason);
    record(ir, v, VERDICT_ERROR, NULL, sb_str(&reason));
    sb_free(&reason);
    return;
  }
  conf_verdict verdict = judge(ir->im, v, resp, &reason);
  record(ir, v, verdict, resp, sb_str(&reason));
  sb_free(&reason);
}

static char *stderr_log_path(const conf_run *run, const conf_impl *im) {
  sbuf path;
  sb_init(&path);
  sb_printf(&path, "%s/%s.stderr.log", run->out_dir, im->name);
  FILE *f = fopen(sb_str(&path), "w"); /* fresh for every run */
  if (f)
    fclose(f);
  return sb_take(&path);
}

void run_impl(conf_run *run, size_t index, const runner_options *opt) {
  conf_impl *im = &run->impls->items[index];
  if (im->probe_argv && !proc_probe(im->probe_argv, opt->paths.root, opt->probe_timeout_ms)) {
    im->status = IMPL_NOT_INSTALLED;
    return;
  }
  im->status = IMPL_RAN;
  char *log_path = stderr_log_path(run, im);
  impl_run ir = {.run = run, .index = index, .im = im, .opt = opt};
  proc_init(&ir.proc, im->argv, opt->paths.root, log_path);
  double start = now_seconds();
  for (size_t i = 0; i < run->vectors->count; i++) {
    const conf_vector *v = &run->vectors->items[i];
    if (im->profiles[v->profile])
      run_vector(&ir, v);
  }
  sbuf how;
  sb_init(&how);
  if (!proc_finish(&ir.proc, FINISH_GRACE_MS, &how))
    im->exit_note = sb_take(&how);
  sb_free(&how);
  im->wall_seconds = now_seconds() - start;
  free(ir.gave_up_reason);
  free(log_path);
}

int run_exit_status(const conf_run *run) {
  for (size_t i = 0; i < run->impls->count; i++) {
    const conf_impl *im = &run->impls->items[i];
    /* An adapter that does not exit 0 at EOF breaks the protocol too. */
    if (im->own && (im->totals[VERDICT_FAIL] || im->totals[VERDICT_ERROR] || im->exit_note))
      return 1;
  }
  return 0;
}
