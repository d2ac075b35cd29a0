/*
 * report_html.c - one self-contained page: inline CSS and JS, the run's
 * JSON embedded, no network. The script draws the matrix and a filterable
 * table from that JSON, so what the page shows is exactly results.json
 * (the HTML check in conformance/tests compares the two in Chromium).
 *
 * Filters can be preset in the address: report.html#verdict=fail&kind=policy
 * (keys impl, kind, verdict - also "!pass" and "fail+error" -, profile, flag - "-" for
 * vectors without flags -, q).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Kept as separate lines: ISO C only promises 4095-character literals. */
static const char *const page_head[] = {
    "<!DOCTYPE html>",
    "<html lang=\"en\"><head><meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    "<title>mtasts conformance report</title>",
    "<style>",
    ":root{--pass:#1a7f37;--fail:#cf222e;--acceptable:#9a6700;--unsupported:#6e7781;"
    "--error:#8250df;--line:#d0d7de}",
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em 2em;"
    "color:#1f2328}",
    "h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .5em}",
    "#meta{color:#57606a;margin:0}",
    "table{border-collapse:collapse}",
    "th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}",
    "th{background:#f6f8fa;font-weight:600}",
    "#matrix td.n{text-align:right;font-variant-numeric:tabular-nums;cursor:pointer;min-width:4em}",
    "#matrix td.n:hover{outline:2px solid #0969da}",
    "#matrix td.zero{color:#b0b7be}",
    "#matrix tr.total td{font-weight:600;border-top:2px solid #8c959f}",
    "#matrix td.v-pass:not(.zero){color:var(--pass)}",
    "#matrix td.v-fail:not(.zero){color:#fff;background:var(--fail)}",
    "#matrix td.v-error:not(.zero){color:#fff;background:var(--error)}",
    "#matrix td.v-acceptable:not(.zero){color:var(--acceptable)}",
    "#matrix td.v-unsupported:not(.zero){color:var(--unsupported)}",
    "#matrix td.wall{color:#57606a}",
    "th.v-pass{color:var(--pass)}th.v-fail{color:var(--fail)}th.v-error{color:var(--error)}",
    "th.v-acceptable{color:var(--acceptable)}th.v-unsupported{color:var(--unsupported)}",
    ".filters{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:center;margin:.5em 0 1em}",
    ".filters select,.filters input{font:inherit;padding:2px 4px}",
    ".badge{display:inline-block;padding:0 .55em;border-radius:1em;color:#fff;font-size:.9em}",
    ".badge.v-pass{background:var(--pass)}.badge.v-fail{background:var(--fail)}",
    ".badge.v-acceptable{background:var(--acceptable)}",
    ".badge.v-unsupported{background:var(--unsupported)}.badge.v-error{background:var(--error)}",
    "#vectors td.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;"
    "white-space:pre-wrap;word-break:break-all;min-width:16em;max-width:34em}",
    "#vectors td.why{max-width:28em;color:#57606a}",
    "#vectors td:nth-child(-n+5){white-space:nowrap}",
    ".flag{display:inline-block;background:#ddf4ff;color:#0550ae;border-radius:4px;"
    "padding:0 4px;margin:1px 2px 0 0;font-size:.85em}",
    "#render-error{color:var(--fail);font-weight:600}",
    "#side td.sbs{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
    "#side td.sbs .f{color:var(--fail);font-weight:600}#side td.status{color:#6e7781}",
    "#external details{margin:.2em 0 .2em 1em}#external summary{cursor:pointer}",
    "#external table{margin:.3em 0 .6em}#external td{font-size:.92em}",
    "#external td.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;"
    "white-space:pre-wrap;word-break:break-all;max-width:34em}",
    "</style></head>",
    "<body data-rendered=\"false\">",
    "<h1>mtasts conformance report</h1>",
    "<p id=\"meta\"></p>",
    "<noscript><p>This page draws its tables with JavaScript; report.md in the same folder holds "
    "the same report as text.</p></noscript>",
    "<p id=\"render-error\" hidden></p>",
    "<h2>Matrix</h2>",
    "<p>Click a count to list those vectors below.</p>",
    "<table id=\"matrix\"></table>",
    "<h2>Side by side</h2>",
    "<p>Per kind and implementation: <b>pass</b>/<b>fail</b>, then +N acceptable (a), "
    "unsupported (u), error (e).</p>",
    "<table id=\"side\"></table>",
    "<h2>External implementations: failed vectors by flag</h2>",
    "<p>Each vector the implementation fails (or errors on), under each of its flags (the "
    "rulings it tests); \"no flag\" holds vectors without one. Open a flag to list them, or "
    "show them in the table below.</p>",
    "<div id=\"external\"></div>",
    "<h2>Vectors</h2>",
    "<div class=\"filters\">",
    "<label>implementation <select id=\"f-impl\"></select></label>",
    "<label>kind <select id=\"f-kind\"></select></label>",
    "<label>verdict <select id=\"f-verdict\"></select></label>",
    "<label>profile <select id=\"f-profile\"></select></label>",
    "<label>flag <select id=\"f-flag\"></select></label>",
    "<label>search <input id=\"f-q\" type=\"search\" placeholder=\"text, tcId, error\"></label>",
    "<span>showing <b id=\"shown\" data-shown=\"0\">0</b> of <b id=\"total\">0</b></span>",
    "</div>",
    "<table id=\"vectors\"><thead><tr><th>implementation</th><th>kind</th><th>tcId</th>"
    "<th>profile</th><th>verdict</th><th>vector</th><th>input</th><th>expected</th>"
    "<th>got</th><th>why</th></tr></thead><tbody></tbody></table>",
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
    "  function options(sel, values) {",
    "    sel.innerHTML = values.map(function (v) {",
    "      return '<option value=\"' + esc(v[0]) + '\">' + esc(v[1]) + '</option>';",
    "    }).join('');",
    "  }",
    "  try {",
    "    var data = JSON.parse($('report-data').textContent);",
    "    var verdicts = data.verdicts, kinds = Object.keys(data.vectors);",
    "    var nvec = kinds.reduce(function (a, k) { return a + data.vectors[k]; }, 0);",
    "    $('meta').textContent = 'Generated ' + data.generated + ' from ' + data.vectorsDir +",
    "      ' (' + nvec + ' vectors) with ' + data.implsFile + ', timeout ' +",
    "      data.timeoutSeconds + ' s per request.';",
    "    function countRow(im, kind, counts, label, wall, cls) {",
    "      var h = '<tr' + (cls ? ' class=\"' + cls + '\"' : '') + '><td>' + esc(label) +",
    "        '</td><td>' + (kind === '*' ? 'all' : esc(kind)) + '</td>';",
    "      verdicts.forEach(function (v) {",
    "        var n = counts[v];",
    "        h += '<td class=\"n v-' + v + (n ? '' : ' zero') + '\" data-cell=\"1\" data-impl=\"' "
    "+",
    "          esc(im.name) + '\" data-kind=\"' + esc(kind) + '\" data-verdict=\"' + v + '\">' +",
    "          n + '</td>';",
    "      });",
    "      return h + '<td class=\"wall\">' + esc(wall) + '</td></tr>';",
    "    }",
    "    var m = '<thead><tr><th>implementation</th><th>kind</th>';",
    "    verdicts.forEach(function (v) { m += '<th class=\"v-' + v + '\">' + v + '</th>'; });",
    "    m += '<th>run</th></tr></thead><tbody>';",
    "    data.implementations.forEach(function (im) {",
    "      if (im.status !== 'ran') {",
    "        m += '<tr data-impl-status=\"' + esc(im.status) + '\"><td>' + esc(im.name) +",
    "          '</td><td colspan=\"' + (verdicts.length + 2) + '\"><em>' + esc(im.status) +",
    "          '</em></td></tr>';",
    "        return;",
    "      }",
    "      kinds.forEach(function (k, i) {",
    "        m += countRow(im, k, im.kinds[k], i ? '' : im.name + (im.own ? ' (own)' : ''), '', "
    "'');",
    "      });",
    "      var wall = im.wallSeconds.toFixed(3) + ' s, ' + im.restarts + ' restart' +",
    "        (im.restarts === 1 ? '' : 's') + (im.adapterExit ? ', adapter ' + im.adapterExit : "
    "'');",
    "      m += countRow(im, '*', im.counts, '', wall, 'total');",
    "    });",
    "    $('matrix').innerHTML = m + '</tbody>';",
    "",
    "    function sideCell(im, counts) {",
    "      var total = verdicts.reduce(function (a, v) { return a + counts[v]; }, 0);",
    "      if (!total) return '-';",
    "      if (counts.unsupported === total) return 'unsupported';",
    "      var s = counts.pass + '/<span class=\"f\">' + counts.fail + '</span>';",
    "      if (counts.acceptable) s += ' +' + counts.acceptable + 'a';",
    "      if (counts.unsupported) s += ' +' + counts.unsupported + 'u';",
    "      if (counts.error) s += ' +' + counts.error + 'e';",
    "      return s;",
    "    }",
    "    var s = '<thead><tr><th>kind</th>';",
    "    data.implementations.forEach(function (im) { s += '<th>' + esc(im.name) + '</th>'; });",
    "    s += '</tr></thead><tbody>';",
    "    kinds.concat(['*']).forEach(function (k) {",
    "      s += '<tr><td>' + (k === '*' ? '<b>all</b>' : esc(k)) + '</td>';",
    "      data.implementations.forEach(function (im) {",
    "        if (im.status !== 'ran') {",
    "          s += '<td class=\"status\" data-sbs-impl=\"' + esc(im.name) + '\" data-sbs-kind=\"' "
    "+",
    "            esc(k) + '\" data-sbs-status=\"' + esc(im.status) + '\">' + esc(im.status) + "
    "'</td>';",
    "          return;",
    "        }",
    "        var c = k === '*' ? im.counts : im.kinds[k];",
    "        s += '<td class=\"sbs\" data-sbs-impl=\"' + esc(im.name) + '\" data-sbs-kind=\"' +",
    "          esc(k) + '\" data-pass=\"' + c.pass + '\" data-fail=\"' + c.fail + '\">' +",
    "          sideCell(im, c) + '</td>';",
    "      });",
    "      s += '</tr>';",
    "    });",
    "    $('side').innerHTML = s + '</tbody>';",
    "",
    "    var byKey = {};",
    "    data.results.forEach(function (r) { byKey[r.impl + ' ' + r.kind + ' ' + r.profile + ' ' +",
    "      r.tcId] = r; });",
    "    var ext = '';",
    "    data.implementations.forEach(function (im) {",
    "      if (im.own || im.status !== 'ran') return;",
    "      var fb = im.failedByFlag;",
    "      ext += '<section data-ext-impl=\"' + esc(im.name) + '\" data-failed=\"' + fb.failed +",
    "        '\"><h3>' + esc(im.name) + ': ' + fb.failed + ' failed</h3>';",
    "      if (!fb.groups.length) ext += '<p>None.</p>';",
    "      fb.groups.forEach(function (g) {",
    "        var flag = g.flag === null ? '-' : g.flag;",
    "        var link = '#impl=' + encodeURIComponent(im.name) + '&verdict=fail%2Berror&flag=' +",
    "          encodeURIComponent(flag);",
    "        ext += '<details data-flag=\"' + esc(flag) + '\" data-count=\"' + g.count +",
    "          '\"><summary>' + (g.flag === null ? '<em>no flag</em>' : esc(g.flag)) + ': ' +",
    "          g.count + ' <a href=\"' + link + '\">show in the table</a></summary><table>' +",
    "          '<thead><tr><th>kind</th><th>tcId</th><th>RFC</th><th>vector</th><th>input</th>' +",
    "          '<th>expected</th><th>got</th></tr></thead><tbody>';",
    "        g.vectors.forEach(function (v) {",
    "          var r = byKey[im.name + ' ' + v.kind + ' ' + v.profile + ' ' + v.tcId] || {};",
    "          ext += '<tr><td>' + esc(v.kind) + '</td><td>' + v.tcId + '</td><td>' + esc(v.rfc) +",
    "            '</td><td>' + esc(v.comment) + '</td><td class=\"mono\">' + esc(r.input || '') +",
    "            '</td><td>' + esc(r.expected || '') + '</td><td class=\"mono\">' +",
    "            (v.verdict === 'error' ? 'ERROR ' : '') + esc(gotText(r.got)) + '</td></tr>';",
    "        });",
    "        ext += '</tbody></table></details>';",
    "      });",
    "      ext += '</section>';",
    "    });",
    "    $('external').innerHTML = ext || '<p>No external implementation ran.</p>';",
    "",
    "    function gotText(g) {",
    "      if (!g) return 'no answer';",
    "      var s = g.result;",
    "      if (g.error) s += ' ' + g.error;",
    "      if (g.offset !== undefined) s += ' at ' + g.offset;",
    "      if (g.result === 'valid' && g.fields) s += ' ' + JSON.stringify(g.fields);",
    "      return s;",
    "    }",
    "    var body = data.results.map(function (r) {",
    "      var flags = r.flags.map(function (f) { return '<span class=\"flag\">' + esc(f) +",
    "        '</span>'; }).join('');",
    "      return '<tr data-row=\"1\" data-impl=\"' + esc(r.impl) + '\" data-kind=\"' + "
    "esc(r.kind) +",
    "        '\" data-verdict=\"' + esc(r.verdict) + '\" data-profile=\"' + esc(r.profile) +",
    "        '\" data-flags=\"' + esc(r.flags.length ? ' ' + r.flags.join(' ') + ' ' : ' - ') +",
    "        '\">' +",
    "        '<td>' + esc(r.impl) + '</td><td>' + esc(r.kind) + '</td><td>' + r.tcId + '</td><td>' "
    "+",
    "        esc(r.profile) + '</td><td><span class=\"badge v-' + esc(r.verdict) + '\">' +",
    "        esc(r.verdict) + '</span></td><td>' + esc(r.comment) + (flags ? '<br>' + flags : '') "
    "+",
    "        '</td><td class=\"mono\">' + esc(r.input) + '</td><td>' + esc(r.expected) +",
    "        (r.vectorResult === 'acceptable' ? ' (acceptable)' : '') +",
    "        (r.errorHint ? ' ' + esc(r.errorHint) : '') + '</td><td class=\"mono\">' +",
    "        esc(gotText(r.got)) + '</td><td class=\"why\">' + esc(r.reason || '') + '</td></tr>';",
    "    });",
    "    var tbody = $('vectors').tBodies[0];",
    "    tbody.innerHTML = body.join('');",
    "    var rows = Array.prototype.slice.call(tbody.rows);",
    "    var haystack = rows.map(function (tr) { return tr.textContent.toLowerCase(); });",
    "    $('total').textContent = rows.length;",
    "",
    "    var all = [['', 'all']];",
    "    options($('f-impl'), all.concat(data.implementations.filter(function (im) {",
    "      return im.status === 'ran'; }).map(function (im) { return [im.name, im.name]; })));",
    "    options($('f-kind'), all.concat(kinds.map(function (k) { return [k, k]; })));",
    "    options($('f-verdict'), all.concat([['!pass', 'all but pass'], ['fail+error', 'fail or "
    "error']],",
    "      verdicts.map(function (v) { return [v, v]; })));",
    "    options($('f-profile'), all.concat([['strict', 'strict'], ['lenient', 'lenient']]));",
    "    var flags = {};",
    "    data.results.forEach(function (r) { r.flags.forEach(function (f) { flags[f] = 1; }); });",
    "    options($('f-flag'), all.concat([['-', 'no flag']], Object.keys(flags).sort().map(",
    "      function (f) { return [f, f]; })));",
    "    var keys = {impl: 'f-impl', kind: 'f-kind', verdict: 'f-verdict', profile: 'f-profile',",
    "      flag: 'f-flag', q: 'f-q'};",
    "    function apply() {",
    "      var f = {};",
    "      Object.keys(keys).forEach(function (k) { f[k] = $(keys[k]).value; });",
    "      var q = f.q.toLowerCase(), shown = 0;",
    "      rows.forEach(function (tr, i) {",
    "        var d = tr.dataset;",
    "        var ok = (!f.impl || d.impl === f.impl) && (!f.kind || d.kind === f.kind) &&",
    "          (!f.profile || d.profile === f.profile) &&",
    "          (!f.verdict || (f.verdict === '!pass' ? d.verdict !== 'pass' :",
    "            f.verdict === 'fail+error' ? d.verdict === 'fail' || d.verdict === 'error' :",
    "            d.verdict === f.verdict)) && (!f.flag || d.flags.indexOf(' ' + f.flag + ' ') >= "
    "0) &&",
    "          (!q || haystack[i].indexOf(q) >= 0);",
    "        tr.hidden = !ok;",
    "        if (ok) shown++;",
    "      });",
    "      $('shown').textContent = shown;",
    "      $('shown').setAttribute('data-shown', String(shown));",
    "      var hash = Object.keys(f).filter(function (k) { return f[k]; }).map(function (k) {",
    "        return k + '=' + encodeURIComponent(f[k]); }).join('&');",
    "      if (history.replaceState) history.replaceState(null, '', hash ? '#' + hash : '#');",
    "    }",
    "    function readHash() {",
    "      location.hash.replace(/^#/, '').split('&').forEach(function (kv) {",
    "        var i = kv.indexOf('='), k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));",
    "        if (i > 0 && keys[k]) $(keys[k]).value = v;",
    "      });",
    "    }",
    "    readHash();",
    "    window.addEventListener('hashchange', function () {",
    "      Object.keys(keys).forEach(function (k) { $(keys[k]).value = ''; });",
    "      readHash();",
    "      apply();",
    "      $('vectors').scrollIntoView();",
    "    });",
    "    Object.keys(keys).forEach(function (k) {",
    "      $(keys[k]).addEventListener(k === 'q' ? 'input' : 'change', apply);",
    "    });",
    "    $('matrix').addEventListener('click', function (ev) {",
    "      var td = ev.target.closest('td[data-cell]');",
    "      if (!td) return;",
    "      $('f-impl').value = td.dataset.impl;",
    "      $('f-kind').value = td.dataset.kind === '*' ? '' : td.dataset.kind;",
    "      $('f-verdict').value = td.dataset.verdict;",
    "      $('f-profile').value = '';",
    "      apply();",
    "      $('vectors').scrollIntoView();",
    "    });",
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

/* Inside <script>, "</script" or "<!--" in a string would end or bend the
 * element; JSON allows \u escapes for exactly such characters. */
void report_put_script_json(sbuf *out, const json_t *doc) {
  char *text = json_dumps(doc, JSON_COMPACT);
  for (const char *p = text; *p; p++) {
    if (*p == '<')
      sb_puts(out, "\\u003c");
    else if (*p == '>')
      sb_puts(out, "\\u003e");
    else if (*p == '&')
      sb_puts(out, "\\u0026");
    else
      sb_putc(out, *p);
  }
  free(text);
  sb_putc(out, '\n');
}

void report_html(sbuf *out, const json_t *doc) {
  put_lines(out, page_head);
  report_put_script_json(out, doc);
  put_lines(out, page_script);
}
