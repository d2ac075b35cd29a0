/*
 * diff_html.c - the differential replay as one self-contained page: inline
 * CSS and JS, diff.json embedded, no network. The script draws the tables
 * from that JSON, so the page shows exactly diff.json (the HTML check in
 * conformance/tests compares the two in Chromium).
 *
 * Filters can be preset in the address: diff.html#dis=1&q=mailauth
 * (dis=1: disagreements only; q: text search).
 */
#include "diff.h"

/* Kept as separate lines: ISO C only promises 4095-character literals. */
static const char *const page_head[] = {
    "<!DOCTYPE html>",
    "<html lang=\"en\"><head><meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    "<title>mtasts differential replay</title>",
    "<style>",
    ":root{--dis:#cf222e;--agree:#1a7f37;--line:#d0d7de}",
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em 2em;"
    "color:#1f2328}",
    "h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .5em}",
    "#meta{color:#57606a;margin:0}",
    "table{border-collapse:collapse}",
    "th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}",
    "th{background:#f6f8fa;font-weight:600}",
    "td.n{text-align:right;font-variant-numeric:tabular-nums}",
    "tr.dis td.id{border-left:4px solid var(--dis)}tr.agree td.id{border-left:4px solid "
    "var(--agree)}",
    ".token{font-weight:600}.token.valid{color:var(--agree)}.token.invalid{color:#9a6700}",
    ".token.error{color:#8250df}.token.unsupported{color:#6e7781}",
    ".mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;"
    "white-space:pre-wrap;word-break:break-all}",
    "td.answer{min-width:12em;max-width:26em}td.input{min-width:16em;max-width:34em}",
    ".answer .mono{color:#57606a}.path{color:#57606a;font-size:.85em}",
    ".filters{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:center;margin:.5em 0 1em}",
    ".filters input{font:inherit;padding:2px 4px}",
    "#render-error{color:var(--dis);font-weight:600}",
    "</style></head>",
    "<body data-rendered=\"false\">",
    "<h1>mtasts differential replay</h1>",
    "<p id=\"meta\"></p>",
    "<noscript><p>This page draws its tables with JavaScript; diff.md in the same folder holds "
    "the same report as text.</p></noscript>",
    "<p id=\"render-error\" hidden></p>",
    "<h2>Implementations</h2>",
    "<table id=\"impls\"></table>",
    "<h2>Classes</h2>",
    "<p>Inputs grouped by the tuple of answers. <b>valid [A]</b> / <b>valid [B: f]</b>: valid "
    "with different fields (B differs from A in f). Each class shows its shortest input and "
    "what every implementation answered to it.</p>",
    "<div class=\"filters\">",
    "<label><input id=\"f-dis\" type=\"checkbox\"> disagreements only</label>",
    "<label>search <input id=\"f-q\" type=\"search\" placeholder=\"text, verdict, error\"></label>",
    "<span>showing <b id=\"shown\" data-shown=\"0\">0</b> of <b id=\"total\">0</b> "
    "classes</span>",
    "</div>",
    "<table id=\"classes\"><thead></thead><tbody></tbody></table>",
    "<script id=\"report-data\" type=\"application/json\">",
    NULL,
};

static const char *const page_script[] = {
    "</script>",
    "<script>",
    "(function () {",
    "  'use strict';",
    "  var $ = function (id) { return document.getElementById(id); };",
    "  var ENT = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '\"': '&quot;', \"'\": '&#39;'};",
    "  function esc(s) { return String(s).replace(/[&<>\"']/g, function (c) { return ENT[c]; }); }",
    "  function answerText(g) {",
    "    if (g.result === 'error') return 'error: ' + g.reason;",
    "    var s = g.result;",
    "    if (g.error) s += ' ' + g.error;",
    "    if (g.offset !== undefined) s += ' at ' + g.offset;",
    "    if (g.result === 'valid' && g.fields && Object.keys(g.fields).length)",
    "      s += ' ' + JSON.stringify(g.fields);",
    "    return s;",
    "  }",
    "  try {",
    "    var data = JSON.parse($('report-data').textContent);",
    "    var parts = data.participants, answers = ['valid', 'invalid', 'unsupported', 'error'];",
    "    $('meta').textContent = 'Generated ' + data.generated + ': ' + data.kind + ' (profile ' +",
    "      data.profile + ', ' + data.format + ' format) from ' + data.dirs.join(' ') + ', ' +",
    "      data.inputs.sent + ' inputs sent of ' + data.inputs.files + ' files; ' +",
    "      data.summary.disagreements + ' disagreement classes over ' +",
    "      data.summary.disagreeingInputs + ' inputs. Implementations: ' + data.implsFile + '.';",
    "    var h = '<thead><tr><th>implementation</th><th>status</th>';",
    "    answers.forEach(function (a) { h += '<th>' + a + '</th>'; });",
    "    h += '<th>wall</th></tr></thead><tbody>';",
    "    data.implementations.forEach(function (im) {",
    "      h += '<tr data-impl=\"' + esc(im.name) + '\" data-status=\"' + esc(im.status) + '\">' +",
    "        '<td>' + esc(im.name) + (im.own ? ' (own)' : '') + '</td><td>' + esc(im.status) +",
    "        (im.adapterExit ? ', adapter ' + esc(im.adapterExit) : '') + '</td>';",
    "      answers.forEach(function (a) {",
    "        h += '<td class=\"n\">' + (im.answers ? im.answers[a] : '') + '</td>';",
    "      });",
    "      h += '<td class=\"n\">' + (im.answers ? im.wallSeconds.toFixed(3) + ' s' : '') +",
    "        '</td></tr>';",
    "    });",
    "    $('impls').innerHTML = h + '</tbody>';",
    "",
    "    var head = '<tr><th>#</th><th>inputs</th>';",
    "    parts.forEach(function (p) { head += '<th>' + esc(p) + '</th>'; });",
    "    $('classes').tHead.innerHTML = head + '<th>shortest input</th></tr>';",
    "    var body = data.classes.map(function (c) {",
    "      var r = '<tr data-class=\"' + c.id + '\" data-count=\"' + c.count +",
    "        '\" data-disagreement=\"' + c.disagreement + '\" class=\"' +",
    "        (c.disagreement ? 'dis' : 'agree') + '\"><td class=\"id n\">' + c.id +",
    "        '</td><td class=\"n\">' + c.count + '</td>';",
    "      parts.forEach(function (p) {",
    "        var t = c.verdicts[p], word = t.split(' ')[0];",
    "        r += '<td class=\"answer\"><span class=\"token ' + esc(word) + '\">' + esc(t) +",
    "          '</span><br><span class=\"mono\">' + esc(answerText(c.example.answers[p])) +",
    "          '</span></td>';",
    "      });",
    "      return r + '<td class=\"input\"><span class=\"mono\">' + esc(c.example.input) +",
    "        '</span><br><span class=\"path\">' + esc(c.example.path) + ' (' + c.example.bytes +",
    "        ' bytes)</span></td></tr>';",
    "    });",
    "    var tbody = $('classes').tBodies[0];",
    "    tbody.innerHTML = body.join('');",
    "    var rows = Array.prototype.slice.call(tbody.rows);",
    "    var haystack = rows.map(function (tr) { return tr.textContent.toLowerCase(); });",
    "    $('total').textContent = rows.length;",
    "    function apply() {",
    "      var dis = $('f-dis').checked, q = $('f-q').value.toLowerCase(), shown = 0;",
    "      rows.forEach(function (tr, i) {",
    "        var ok = (!dis || tr.dataset.disagreement === 'true') &&",
    "          (!q || haystack[i].indexOf(q) >= 0);",
    "        tr.hidden = !ok;",
    "        if (ok) shown++;",
    "      });",
    "      $('shown').textContent = shown;",
    "      $('shown').setAttribute('data-shown', String(shown));",
    "      var hash = (dis ? ['dis=1'] : []).concat(q ? ['q=' + encodeURIComponent(q)] : []);",
    "      if (history.replaceState) history.replaceState(null, '', '#' + hash.join('&'));",
    "    }",
    "    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {",
    "      var i = kv.indexOf('='), k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));",
    "      if (k === 'dis') $('f-dis').checked = v === '1';",
    "      if (k === 'q') $('f-q').value = v;",
    "    });",
    "    $('f-dis').addEventListener('change', apply);",
    "    $('f-q').addEventListener('input', apply);",
    "    apply();",
    "    document.body.setAttribute('data-rendered', 'true');",
    "  } catch (e) {",
    "    var p = $('render-error');",
    "    p.hidden = false;",
    "    p.textContent = 'The report could not be drawn: ' + e;",
    "    document.body.setAttribute('data-render-error', String(e));",
    "  }",
    "})();",
    "</script>",
    "</body></html>",
    NULL,
};

static void put_lines(sbuf *out, const char *const *lines) {
  for (; *lines; lines++) {
    sb_puts(out, *lines);
    sb_putc(out, '\n');
  }
}

void diff_report_html(sbuf *out, const json_t *doc) {
  put_lines(out, page_head);
  report_put_script_json(out, doc);
  put_lines(out, page_script);
}
