/*
 * cmd_report.c - `mtasts report FILE...|-`: read TLS-RPT aggregate reports
 * (RFC 8460 4) as a domain's rua receives them and say, per reporting
 * organisation and day, how many sessions succeeded and failed, and each
 * failure's result type with MX host, sending IP and reason; then what it
 * means (tlsrpt_verdicts.c). The parts: tlsrpt_run.h.
 *
 * Memory does not grow with the number of reports: one input is held at a
 * time, the reader's arrays are reused, and the summary has one row per
 * organisation and day and one per distinct failure (cli/tests: 10,000
 * reports under valgrind's massif).
 */
#include <string.h>

#ifdef MTASTS_HAVE_GMIME
#include <gmime/gmime.h>
#endif

#include "tlsrpt_run.h"

int cmd_report(const cli_options *o) {
  static run x; /* the reader's work area is large: not on the stack */
  memset(&x, 0, sizeof x);
  x.opt = o;
  x.diags = json_array();
  if (o->policy != NULL && !rpt_load_policy(&x, o->policy)) {
    rpt_free(&x);
    return EXIT_TROUBLE;
  }
#ifdef MTASTS_HAVE_GMIME
  g_mime_init();
#endif
  if (o->nargs == 0)
    rpt_read(&x, "-");
  for (size_t i = 0; i < o->nargs; i++)
    rpt_read(&x, o->args[i]);
  rpt_sort(&x);
  if (o->json)
    rpt_print_json(&x);
  else if (o->csv)
    rpt_print_csv(&x);
  else if (o->html)
    rpt_print_html(&x);
  else if (!o->quiet)
    rpt_print_text(&x);
  int status = x.trouble ? EXIT_TROUBLE : x.rejected ? EXIT_INVALID : EXIT_VALID;
  rpt_free(&x);
#ifdef MTASTS_HAVE_GMIME
  g_mime_shutdown();
#endif
  return status;
}
