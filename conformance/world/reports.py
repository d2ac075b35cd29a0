"""The scenario driver's reports: the terminal text, scenario-results.json (format in
conformance/ADAPTERS.md), scenarios.md and scenarios-junit.xml.

Every function takes the finished run (run_scenarios.Run) and only reads it.
"""

import json
import os
from xml.sax.saxutils import escape, quoteattr

from judge import VERDICTS

RESULTS_FORMAT = "mtasts-scenario-results/1"
COUNT_HEADINGS = ("pass", "fail", "acceptable", "unsupported", "error")
STATUS_TEXT = {"not-installed": "not installed (its availability probe failed); skipped",
               "skipped": "skipped (not in --only)"}


def counts(impl):
    out = {v: 0 for v in VERDICTS}
    for row in impl.rows:
        out[row["verdict"]] += 1
    return out


def cell(impl, tc_id):
    if impl.status != "ran":
        return "-"
    for row in impl.rows:
        if row["tcId"] == tc_id:
            return row["verdict"]
    return "-"


def problem_rows(impl):
    return [row for row in impl.rows if row["verdict"] in ("fail", "error")]


# --- terminal --------------------------------------------------------------------------------

def terminal(run):
    lines = ["scenarios: %s (%d scenarios, %d phases)" % (run.scenarios_label, len(run.tests),
                                                          run.phase_count)]
    if run.switch_seconds:
        lines.append("world: phase switches %s s" % ", ".join("%.2f" % s for s in
                                                              run.switch_seconds))
    lines.append("")
    lines += _matrix_lines(run)
    lines.append("")
    lines += _table_lines(run)
    for impl in run.impls:
        rows = problem_rows(impl)
        if not rows:
            continue
        lines.append("")
        lines.append("%s%s: %d failed or errored scenarios" % (
            impl.name, " (own)" if impl.own else "", len(rows)))
        for row in rows:
            lines.append("  #%d %s: %s: %s" % (row["tcId"], run.names[row["tcId"]],
                                               row["verdict"], row["reason"]))
    for impl in run.impls:
        if impl.exit_problem:
            lines.append("%s: adapter %s" % (impl.name, impl.exit_problem))
    return "\n".join(lines) + "\n"


def _matrix_lines(run):
    width = max([len("implementation")] + [len(i.name) for i in run.impls])
    head = "%-*s" % (width, "implementation") + "".join(
        "  %*s" % (len(h), h) for h in COUNT_HEADINGS) + "     wall"
    lines = [head]
    for impl in run.impls:
        if impl.status != "ran":
            lines.append("%-*s  %s" % (width, impl.name, STATUS_TEXT[impl.status]))
            continue
        c = counts(impl)
        lines.append("%-*s" % (width, impl.name) + "".join(
            "  %*d" % (len(h), c[h]) for h in COUNT_HEADINGS) + "  %5.1f s" % impl.wall_seconds)
    return lines


def _table_lines(run):
    name_width = max([len("name")] + [len(n) for n in run.names.values()])
    widths = [max(len(i.name), len("unsupported")) for i in run.impls]
    lines = ["tcId  %-*s" % (name_width, "name") + "".join(
        "  %-*s" % (w, i.name) for w, i in zip(widths, run.impls))]
    for test in run.tests:
        tc_id = test["tcId"]
        lines.append("%4d  %-*s" % (tc_id, name_width, run.names[tc_id]) + "".join(
            "  %-*s" % (w, cell(i, tc_id)) for w, i in zip(widths, run.impls)))
    return [line.rstrip() for line in lines]


# --- scenario-results.json -------------------------------------------------------------------

def results_json(run):
    implementations = []
    results = []
    for impl in run.impls:
        entry = {"name": impl.name, "status": impl.status,
                 "wall_seconds": round(impl.wall_seconds, 3), "counts": counts(impl)}
        implementations.append(entry)
        for row in impl.rows:
            results.append({"impl": impl.name, "tcId": row["tcId"], "verdict": row["verdict"],
                            "reason": row["reason"],
                            "steps": [o.as_json() for o in row["steps"]]})
    return {"format": RESULTS_FORMAT, "scenarios": run.scenarios_label,
            "numberOfScenarios": len(run.tests), "implementations": implementations,
            "results": results}


# --- scenarios.md ----------------------------------------------------------------------------

def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(run):
    out = ["# Scenario results", "",
           "Scenarios: `%s` (%d scenarios, %d phases), run through each implementation's "
           "resolve adapter in the loopback world (`conformance/world/`)." % (
               run.scenarios_label, len(run.tests), run.phase_count), "",
           "| implementation | " + " | ".join(COUNT_HEADINGS) + " | wall |",
           "|---|" + "---:|" * (len(COUNT_HEADINGS) + 1)]
    for impl in run.impls:
        if impl.status != "ran":
            out.append("| %s | %s |" % (_md(impl.name), STATUS_TEXT[impl.status]) +
                       " |" * len(COUNT_HEADINGS))
            continue
        c = counts(impl)
        out.append("| %s | " % _md(impl.name) + " | ".join(str(c[h]) for h in COUNT_HEADINGS) +
                   " | %.1f s |" % impl.wall_seconds)
    out += ["", "| tcId | name | " + " | ".join(_md(i.name) for i in run.impls) + " |",
            "|---:|---|" + "---|" * len(run.impls)]
    for test in run.tests:
        out.append("| %d | %s | " % (test["tcId"], _md(test.get("name", ""))) +
                   " | ".join(cell(i, test["tcId"]) for i in run.impls) + " |")
    problems = [(impl, row) for impl in run.impls for row in problem_rows(impl)]
    if problems:
        out += ["", "## Failed and errored scenarios", ""]
        for impl, row in problems:
            test = run.by_id[row["tcId"]]
            out.append("- **%s** #%d `%s` (%s): %s" % (_md(impl.name), row["tcId"],
                                                      _md(test.get("name", "")), row["verdict"],
                                                      _md(row["reason"])))
            flags = ", ".join(test.get("flags", [])) or "none"
            out.append("  - flags: %s; %s" % (_md(flags), _md(test.get("comment", ""))))
    return "\n".join(out) + "\n"


# --- scenarios-junit.xml ---------------------------------------------------------------------

def junit(run):
    ran = [impl for impl in run.impls if impl.status == "ran"]
    totals = {v: sum(counts(i)[v] for i in ran) for v in VERDICTS}
    tests = sum(totals.values())
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<testsuites name="mtasts-scenarios" tests="%d" failures="%d" errors="%d" '
           'skipped="%d">' % (tests, totals["fail"], totals["error"], totals["unsupported"])]
    for impl in ran:
        c = counts(impl)
        out.append('  <testsuite name=%s tests="%d" failures="%d" errors="%d" skipped="%d" '
                   'time="%.3f">' % (quoteattr(impl.name), len(impl.rows), c["fail"],
                                     c["error"], c["unsupported"], impl.wall_seconds))
        for row in impl.rows:
            out.append(_junit_case(run, impl, row))
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _junit_case(run, impl, row):
    title = "#%d %s" % (row["tcId"], run.names[row["tcId"]])
    head = "    <testcase classname=%s name=%s time=\"0\"" % (
        quoteattr(impl.name + ".scenario"), quoteattr(title))
    detail = "\n".join(json.dumps(o.as_json(), ensure_ascii=False) for o in row["steps"])
    tag = {"fail": "failure", "error": "error", "unsupported": "skipped"}.get(row["verdict"])
    if tag:
        return "%s>\n      <%s message=%s>%s</%s>\n    </testcase>" % (
            head, tag, quoteattr(row["reason"] or row["verdict"]), escape(detail), tag)
    if row["verdict"] == "acceptable":
        return "%s>\n      <system-out>%s</system-out>\n    </testcase>" % (
            head, escape("acceptable: %s\n%s" % (row["reason"], detail)))
    return head + "/>"


def write_all(run, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "scenario-results.json"), "w", encoding="utf-8") as f:
        json.dump(results_json(run), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(out_dir, "scenarios.md"), "w", encoding="utf-8") as f:
        f.write(markdown(run))
    with open(os.path.join(out_dir, "scenarios-junit.xml"), "w", encoding="utf-8") as f:
        f.write(junit(run))
