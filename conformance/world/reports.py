"""What the scenario drivers write: their terminal summary and scenario-results.json (format
in conformance/ADAPTERS.md). The reports (Markdown, HTML, JUnit) are mtasts-conformance's, which
renders them from the results file (--scenario-results), so that one renderer has them all.

Every function takes the finished run (run_scenarios.Run) and only reads it.
"""

import json
import os

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


def write_results(run, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "scenario-results.json"), "w", encoding="utf-8") as f:
        json.dump(results_json(run), f, indent=1, ensure_ascii=False)
        f.write("\n")
