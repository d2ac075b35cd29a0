/*
 * tlsrpt_print.c - the summary and verdicts of `mtasts report` as text,
 * CSV (RFC 4180), one JSON object, or one self-contained HTML page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "tlsrpt_run.h"

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void day_text(int64_t day, char out[48]) {
  int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  snprintf(out, 48, "%04d-%02d-%02d", (int)(yoe + era * 400 + (m <= 2)), (int)m, (int)d);
}

static const char *or_dash(const char *s) {
  return s[0] ? s : "-";
}

static void print_sender_policy(const org_sum *o) {
  printf("  %s:", o->org);
  const char *sep = " ";
  if (o->current > 0) {
    printf("%syours (%llu sessions)", sep, (unsigned long long)o->current);
    sep = ", ";
  }
  if (o->old > 0) {
    printf("%sanother (%llu sessions: %s)", sep, (unsigned long long)o->old, o->old_how);
    sep = ", ";
  }
  if (o->none > 0) {
    printf("%sno policy found (%llu sessions)", sep, (unsigned long long)o->none);
    sep = ", ";
  }
  puts(sep[0] == ' ' ? " no sts policy reported" : "");
}

static void print_verdicts(const run *x) {
  verdicts v;
  rpt_verdicts_of(x, &v);
  if (x->have_now) {
    printf("policy applied, against --policy %s:\n", input_name(x->opt->policy));
    for (size_t i = 0; i < v.norgs; i++)
      print_sender_policy(&v.orgs[i]);
  }
  fputs("MX hosts failing for every sender (yours to fix):", stdout);
  for (size_t i = 0; i < v.nmx_all; i++)
    printf(" %s", v.mx_all[i]);
  puts(v.nmx_all ? "" : " none");
  fputs("senders failing everywhere (theirs to fix):", stdout);
  size_t shown = 0;
  for (size_t i = 0; i < v.norgs; i++)
    if (v.orgs[i].successful == 0 && v.orgs[i].failed > 0)
      printf("%s%s", shown++ ? ", " : " ", v.orgs[i].org);
  puts(shown ? "" : " none");
  printf("ready for enforce: %s\n", v.nreasons ? "no" : "yes");
  for (size_t i = 0; i < v.nreasons; i++)
    printf("  - %s\n", v.reasons[i]);
  rpt_verdicts_free(&v);
}

void rpt_print_text(const run *x) {
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    char day[48];
    day_text(d->day, day);
    printf("%s  %s: %llu sessions succeeded, %llu failed (%zu report%s)\n", day, d->org,
           (unsigned long long)d->successful, (unsigned long long)d->failed, d->reports,
           d->reports == 1 ? "" : "s");
    for (size_t k = 0; k < d->nf; k++) {
      const failure_row *f = &d->f[k];
      printf("  %llu x %s  mx %s  from %s", (unsigned long long)f->sessions, f->result,
             or_dash(f->mx), or_dash(f->ip));
      if (f->reason[0])
        printf("  (%s)", f->reason);
      putchar('\n');
    }
  }
  printf("%zu report%s read, %zu rejected\n", x->reports, x->reports == 1 ? "" : "s", x->rejected);
  print_verdicts(x);
}

/* An RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(const char *s, bool last) {
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, stdout);
  } else {
    putchar('"');
    for (; *s; s++) {
      if (*s == '"')
        putchar('"');
      putchar(*s);
    }
    putchar('"');
  }
  fputs(last ? "\r\n" : ",", stdout);
}

/* One row per failure; a day without failures has one row with the
 * failure fields empty. */
void rpt_print_csv(const run *x) {
  fputs("day,organization,reports,successful,failed,result-type,mx-host,sending-ip,reason,"
        "sessions\r\n",
        stdout);
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    char day[48], counts[96];
    day_text(d->day, day);
    snprintf(counts, sizeof counts, "%zu,%llu,%llu", d->reports, (unsigned long long)d->successful,
             (unsigned long long)d->failed);
    for (size_t k = 0; k == 0 || k < d->nf; k++) {
      const failure_row *f = k < d->nf ? &d->f[k] : NULL;
      char sessions[24] = "";
      if (f != NULL)
        snprintf(sessions, sizeof sessions, "%llu", (unsigned long long)f->sessions);
      csv_field(day, false);
      csv_field(d->org, false);
      printf("%s,", counts);
      csv_field(f ? f->result : "", false);
      csv_field(f ? f->mx : "", false);
      csv_field(f ? f->ip : "", false);
      csv_field(f ? f->reason : "", false);
      csv_field(sessions, true);
    }
  }
}

static json_t *text_or_null(const char *s) {
  return s[0] ? json_string(s) : json_null();
}

/* The verdicts: "senders", "mx-failing-for-every-sender" and
 * "ready-for-enforce" of the --json object. */
static void verdicts_json(const run *x, json_t *out) {
  verdicts v;
  rpt_verdicts_of(x, &v);
  json_t *senders = json_array(), *mx = json_array(), *reasons = json_array();
  for (size_t i = 0; i < v.norgs; i++) {
    const org_sum *o = &v.orgs[i];
    json_t *policy = x->have_now ? json_pack("{s:I,s:I,s:o,s:I}", "yours", (json_int_t)o->current,
                                             "another", (json_int_t)o->old, "difference",
                                             o->old_how ? json_string(o->old_how) : json_null(),
                                             "no-policy-found", (json_int_t)o->none)
                                 : json_null();
    json_array_append_new(senders,
                          json_pack("{s:s,s:I,s:I,s:b,s:o}", "organization", o->org, "successful",
                                    (json_int_t)o->successful, "failed", (json_int_t)o->failed,
                                    "failing-everywhere", o->successful == 0 && o->failed > 0,
                                    "policy", policy));
  }
  for (size_t i = 0; i < v.nmx_all; i++)
    json_array_append_new(mx, json_string(v.mx_all[i]));
  for (size_t i = 0; i < v.nreasons; i++)
    json_array_append_new(reasons, json_string(v.reasons[i]));
  json_object_set_new(out, "senders", senders);
  json_object_set_new(out, "mx-failing-for-every-sender", mx);
  json_object_set_new(out, "ready-for-enforce",
                      json_pack("{s:b,s:o}", "ready", v.nreasons == 0, "reasons", reasons));
  rpt_verdicts_free(&v);
}

/* The summary as one JSON object (--json, and the data of --html). */
static json_t *summary_json(run *x) {
  json_t *days = json_array();
  for (size_t i = 0; i < x->nrows; i++) {
    const day_row *d = &x->rows[i];
    char day[48];
    day_text(d->day, day);
    json_t *failures = json_array();
    for (size_t k = 0; k < d->nf; k++) {
      const failure_row *f = &d->f[k];
      json_array_append_new(
          failures, json_pack("{s:s,s:o,s:o,s:o,s:I}", "result-type", f->result, "mx-host",
                              text_or_null(f->mx), "sending-ip", text_or_null(f->ip), "reason",
                              text_or_null(f->reason), "sessions", (json_int_t)f->sessions));
    }
    json_array_append_new(days, json_pack("{s:s,s:s,s:I,s:I,s:I,s:o}", "organization", d->org,
                                          "day", day, "reports", (json_int_t)d->reports,
                                          "successful", (json_int_t)d->successful, "failed",
                                          (json_int_t)d->failed, "failures", failures));
  }
  json_t *out =
      json_pack("{s:s,s:s,s:s,s:I,s:I,s:o,s:O}", "tool", "mtasts", "command", "report", "profile",
                profile_name(x->opt->profile), "reports", (json_int_t)x->reports, "rejected",
                (json_int_t)x->rejected, "days", days, "diagnostics", x->diags);
  verdicts_json(x, out);
  return out;
}

void rpt_print_json(run *x) {
  json_t *out = summary_json(x);
  json_dumpf(out, stdout, JSON_INDENT(2));
  putchar('\n');
  json_decref(out);
}

/* One self-contained page: the --json object as data (every "/" escaped,
 * so no "</script>" can end it early) and a script that draws the table
 * and a bar per day (sessions succeeded and failed, all senders). */
static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>TLS-RPT reports</title>\n<style>\n"
    "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}\n"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
    ".ok{fill:#3a7}.failed{fill:#c33}.num{text-align:right}ul{margin:0;padding-left:1.2em}\n"
    "</style></head>\n<body data-rendered=\"false\">\n<h1>TLS-RPT aggregate reports</h1>\n"
    "<p id=\"totals\"></p>\n<ul id=\"diagnostics\"></ul>\n"
    "<h2>Ready for enforce? <span id=\"ready\"></span></h2>\n<ul id=\"verdicts\"></ul>\n<svg "
    "id=\"chart\" width=\"640\" "
    "height=\"200\"></svg>\n"
    "<table id=\"days\"><thead><tr><th>day</th><th>organization</th><th>reports</th>"
    "<th>succeeded</th><th>failed</th><th>failures</th></tr></thead><tbody></tbody></table>\n"
    "<script id=\"data\" type=\"application/json\">";
static const char html_tail[] =
    "</script>\n<script>\n"
    "try {\n"
    "  const data = JSON.parse(document.getElementById('data').textContent);\n"
    "  const el = (tag, attrs, text) => { const e = document.createElementNS(tag === 'svg' ||\n"
    "    ['g', 'rect', 'text'].includes(tag) ? 'http://www.w3.org/2000/svg' :\n"
    "    'http://www.w3.org/1999/xhtml', tag); for (const k in attrs) e.setAttribute(k,\n"
    "    attrs[k]); if (text !== undefined) e.textContent = String(text); return e; };\n"
    "  document.getElementById('totals').textContent = data.reports + ' reports read, ' +\n"
    "    data.rejected + ' rejected (profile ' + data.profile + ')';\n"
    "  const diags = document.getElementById('diagnostics');\n"
    "  for (const d of data.diagnostics) diags.appendChild(el('li', {class: d.severity},\n"
    "    d.source + (d.line ? ':' + d.line + ':' + d.column + ': ' + d.severity + '[' +\n"
    "    d.name + ']' : '') + ': ' + d.message + (d.pointer !== undefined ? ' (at ' +\n"
    "    (d.pointer || '/') + ')' : '')));\n"
    "  const r = data['ready-for-enforce'], vl = document.getElementById('verdicts');\n"
    "  document.getElementById('ready').textContent = r.ready ? 'yes' : 'no';\n"
    "  for (const t of r.reasons) vl.appendChild(el('li', {class: 'reason'}, t));\n"
    "  vl.appendChild(el('li', {class: 'mx-all'}, 'MX hosts failing for every sender (yours '\n"
    "    + 'to fix): ' + (data['mx-failing-for-every-sender'].join(', ') || 'none')));\n"
    "  const fe = data.senders.filter(s => s['failing-everywhere']).map(s => s.organization);\n"
    "  vl.appendChild(el('li', {class: 'failing-everywhere'}, 'senders failing everywhere '\n"
    "    + '(theirs to fix): ' + (fe.join(', ') || 'none')));\n"
    "  for (const s of data.senders) if (s.policy) vl.appendChild(el('li', {class: 'policy'},\n"
    "    s.organization + ': yours ' + s.policy.yours + ', another ' + s.policy.another +\n"
    "    (s.policy.difference ? ' (' + s.policy.difference + ')' : '') +\n"
    "    ', no policy found ' + s.policy['no-policy-found']));\n"
    "  const body = document.querySelector('#days tbody');\n"
    "  const perDay = new Map();\n"
    "  for (const d of data.days) {\n"
    "    const tr = el('tr', {class: 'day'});\n"
    "    for (const v of [d.day, d.organization]) tr.appendChild(el('td', {}, v));\n"
    "    for (const v of [d.reports, d.successful, d.failed])\n"
    "      tr.appendChild(el('td', {class: 'num'}, v));\n"
    "    const ul = el('ul');\n"
    "    for (const f of d.failures) ul.appendChild(el('li', {class: 'failure'}, f.sessions +\n"
    "      ' x ' + f['result-type'] + ', mx ' + (f['mx-host'] || '-') + ', from ' +\n"
    "      (f['sending-ip'] || '-') + (f.reason ? ' (' + f.reason + ')' : '')));\n"
    "    const td = el('td'); td.appendChild(ul); tr.appendChild(td); body.appendChild(tr);\n"
    "    const t = perDay.get(d.day) || {ok: 0, failed: 0};\n"
    "    t.ok += d.successful; t.failed += d.failed; perDay.set(d.day, t);\n"
    "  }\n"
    "  const svg = document.getElementById('chart');\n"
    "  const days = [...perDay.keys()].sort();\n"
    "  const max = Math.max(1, ...days.map(k => perDay.get(k).ok + perDay.get(k).failed));\n"
    "  const w = Math.max(8, Math.floor(600 / Math.max(1, days.length)));\n"
    "  days.forEach((k, i) => {\n"
    "    const t = perDay.get(k), h = 160, x = 20 + i * w;\n"
    "    const g = el('g', {class: 'bar', 'data-day': k, 'data-successful': t.ok,\n"
    "      'data-failed': t.failed});\n"
    "    const hf = Math.round(h * t.failed / max), ho = Math.round(h * t.ok / max);\n"
    "    g.appendChild(el('rect', {class: 'failed', x: x, y: 170 - hf, width: w - 2, height: "
    "hf}));\n"
    "    g.appendChild(el('rect', {class: 'ok', x: x, y: 170 - hf - ho, width: w - 2,\n"
    "      height: ho}));\n"
    "    g.appendChild(el('text', {x: x, y: 190, 'font-size': 10}, k.slice(5)));\n"
    "    svg.appendChild(g);\n"
    "  });\n"
    "  document.body.dataset.rendered = 'true';\n"
    "} catch (e) { document.body.dataset.renderError = String(e); }\n"
    "</script>\n</body></html>\n";

void rpt_print_html(run *x) {
  json_t *out = summary_json(x);
  fputs(html_head, stdout);
  json_dumpf(out, stdout, JSON_COMPACT | JSON_ESCAPE_SLASH);
  fputs(html_tail, stdout);
  json_decref(out);
}
