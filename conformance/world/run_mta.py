#!/usr/bin/python3
"""The MTA driver: every MTA scenario (vectors/scenarios/mta.json) through every real MTA.

  run_mta.py [--scenarios FILE] [--mtas FILE] [--root DIR] [--build DIR] [--out DIR]
             [--only NAMES] [--timeout SECONDS]

Like run_scenarios.py it makes a fresh network namespace, runs itself again inside it and
starts the world; then each MTA adapter of --mtas (default conformance/world/mtas.json; the
protocol is "MTA protocol (kind mta), version 1" in conformance/ADAPTERS.md) gets, phase by
phase, one message per scenario step to submit for someone@<domain>, each marked with an
X-Mtasts-Marker header. The adapter makes its MTA try at once and answers what its queue and
logs say. The scenario is judged on what the world's MX hosts recorded for that marker
(logs/deliveries.jsonl), not on what the MTA says: delivered over TLS, delivered in clear
text, or not delivered, and to which host.

The results (reports.py, the same format as the resolver scenarios') go to --out (default
BUILD/mta-report): scenario-results.json, each adapter's stderr and the world's logs, and
runner/ (the inputs with which mtasts-conformance renders the MTA rows' reports:
ci/conformance.sh). Exit status: 2 on a usage error or when the world cannot start,
0 otherwise: MTAs are external implementations, their failures are findings.
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)

import adapters  # noqa: E402
import dnssec  # noqa: E402
import judge  # noqa: E402
import netns  # noqa: E402
import procs  # noqa: E402
import reports  # noqa: E402
import scenarios  # noqa: E402
from smtp_server import DELIVERIES_LOG  # noqa: E402
from world import run_phases, run_world  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SCENARIOS = "vectors/scenarios/mta.json"
DEFAULT_MTAS = "conformance/world/mtas.json"
USAGE = 2
DELIVERY_VALUES = ("tls", "plain", "none")
QUEUE_VALUES = ("delivered", "deferred", "bounced", "unknown")
# An MTA that says "delivered" has had the MX's 250, which the world wrote down before
# sending it; the wait for the record is a guard against a lost write, not a timing bound.
RECORD_GUARD = 10


class MtaRun:
    """One MTA through the run (the shape reports.py reads)."""

    def __init__(self, impl):
        self.name = impl["name"]
        self.own = False
        self.impl = impl
        self.status = "ran"
        self.adapter = None
        self.wall_seconds = 0.0
        self.outcomes = {}
        self.finished = set()
        self.rows = []
        self.exit_problem = None


class Run:
    def __init__(self, label, tests, impls):
        self.scenarios_label = label
        self.tests = tests
        self.by_id = {t["tcId"]: t for t in tests}
        self.names = {t["tcId"]: t.get("name", "") for t in tests}
        self.phase_count = scenarios.phase_count(tests)
        self.impls = impls
        self.switch_seconds = []


def load_mtas(path, root, build):
    """The MTA adapters of mtas.json: [{"name", "command", "available", "description"}]."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = []
    for entry in doc.get("mtas", []):
        if not isinstance(entry.get("name"), str) or not isinstance(entry.get("command"), list):
            raise adapters.ConfigError("%s: an MTA needs a name and a command" % path)

        def sub(argv):
            return [a.replace("${root}", root).replace("${build}", build) for a in argv]

        available = entry.get("available")
        out.append({"name": entry["name"], "command": sub(entry["command"]),
                    "available": sub(available) if available else None,
                    "description": entry.get("description", "")})
    return out


class MtaAdapter(adapters.Adapter):
    """An MTA adapter process: the resolve adapters' line protocol, with its own answers."""

    @staticmethod
    def _decode(line, message):
        shown = line[:200].decode("utf-8", "replace")
        try:
            answer = json.loads(line)
        except ValueError:
            raise adapters.AdapterFailure("not a JSON answer: %s" % shown)
        if not isinstance(answer, dict) or answer.get("tcId") != message["tcId"] or \
                answer.get("step") != message["step"]:
            raise adapters.AdapterFailure("not the answer to tcId %s step %s: %s"
                                          % (message["tcId"], message["step"], shown))
        return {k: v for k, v in answer.items() if k not in ("tcId", "step")}


def marker_for(impl_name, tc_id, step):
    return "%s.%d.%d" % (impl_name, tc_id, step)


def request_for(impl_name, test, phase, clock0):
    step = test["steps"][phase]
    previous_at = test["steps"][phase - 1]["at"] if phase > 0 else step["at"]
    return {"tcId": test["tcId"], "step": phase, "domain": test["domain"],
            "recipient": "someone@" + test["domain"],
            "marker": marker_for(impl_name, test["tcId"], phase),
            "now": clock0 + step["at"], "elapsed": step["at"] - previous_at}


def deliveries_of(log_dir, marker):
    """The world's records of messages carrying `marker`, in the order they were accepted."""
    out = []
    try:
        with open(os.path.join(log_dir, DELIVERIES_LOG), encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if record.get("marker") == marker:
                    out.append(record)
    except OSError:
        pass
    return out


def observe(log_dir, marker, queue):
    """What the MX hosts saw of this message: {"delivery", "host"?, "tlsVersion"?, ...}."""
    records = deliveries_of(log_dir, marker)
    if not records and queue == "delivered":
        procs.wait_until(lambda: deliveries_of(log_dir, marker), timeout=RECORD_GUARD,
                         interval=0.1)
        records = deliveries_of(log_dir, marker)
    if not records:
        return {"delivery": "none"}
    first = records[0]
    seen = {"delivery": "tls" if first["tls"] else "plain", "host": first["host"]}
    for key in ("tlsVersion", "sni", "certKind"):
        if first.get(key) is not None:
            seen[key] = first[key]
    if len(records) > 1:
        seen["copies"] = len(records)
    return seen


class MtaOutcome(judge.StepOutcome):
    """One step: the MTA's own account (`got.queue`) and the world's record (`got.delivery`);
    only the record is judged (delivery, then host when delivered)."""

    def _compared(self):
        return ["delivery", "host"]

    def _difference(self, expect):
        got = self.got
        if got.get("delivery") != expect["delivery"] or (
                expect["delivery"] != "none" and got.get("host") != expect.get("host")):
            return "got %s, expected %s" % (_show(got), _show(expect))
        return None

    def _failure(self, diff):
        reason = ", " + self.got["reason"] if self.got.get("reason") else ""
        return "%s (the MTA says: %s%s)" % (diff, self.got.get("queue"), reason)


def _show(seen):
    if seen.get("delivery") == "none":
        return "not delivered"
    return "delivered to %s%s" % (seen.get("host"), " over TLS" if seen.get("delivery") == "tls"
                                  else " in clear text")


def ask(mta, test, phase, clock0, log_dir):
    if mta.adapter.proc is None and not mta.adapter.can_start():
        return {"error": "not sent: the adapter failed %d times" % mta.adapter.starts}
    request = request_for(mta.name, test, phase, clock0)
    try:
        answer = mta.adapter.request(request)
    except adapters.AdapterFailure as e:
        return {"error": str(e)}
    if "error" in answer or "unsupported" in answer:
        return answer
    if answer.get("queue") not in QUEUE_VALUES:
        return {"error": "malformed answer: queue must be one of %s" % ", ".join(QUEUE_VALUES)}
    got = {"queue": answer["queue"], "reason": str(answer.get("reason", ""))}
    got.update(observe(log_dir, request["marker"], answer["queue"]))
    if answer.get("detail"):
        got["detail"] = str(answer["detail"])[:500]
    return got


def run_phase_for(mta, tests, phase, clock0, log_dir):
    start = time.monotonic()
    for test in tests:
        if test["tcId"] in mta.finished:
            continue
        outcome = MtaOutcome(phase, test["steps"][phase], ask(mta, test, phase, clock0, log_dir))
        mta.outcomes.setdefault(test["tcId"], []).append(outcome)
        if outcome.verdict in ("error", "unsupported"):
            mta.finished.add(test["tcId"])
    mta.wall_seconds += time.monotonic() - start


def start_mtas(mtas, world, args):
    env = world.environment()
    for mta in mtas:
        if mta.status != "ran":
            continue
        if not adapters.probe(mta.impl, args.root, env):
            mta.status = "not-installed"
            continue
        workdir = os.path.join(world.scratch_dir, mta.name)
        os.makedirs(workdir, exist_ok=True)
        stderr_path = os.path.join(args.out, "%s.mta.stderr.log" % mta.name)
        open(stderr_path, "w").close()
        mta_env = dict(env, MTASTS_MTA_WORKDIR=workdir, MTASTS_BUILD_DIR=args.build)
        mta.adapter = MtaAdapter(mta.impl, args.root, mta_env, stderr_path, args.timeout,
                                       max_restarts=2)


def drive(run, world, args):
    clock0 = int(time.time())
    ran = [m for m in run.impls if m.status == "ran"]
    run_phases(run, world, ran, "MTAs",
               lambda mta, tests, phase: run_phase_for(mta, tests, phase, clock0, world.log_dir))
    for mta in ran:
        mta.exit_problem = mta.adapter.close()
        for test in run.tests:
            verdict, reason = judge.scenario_verdict(mta.outcomes.get(test["tcId"], []))
            mta.rows.append({"tcId": test["tcId"], "verdict": verdict, "reason": reason,
                             "steps": mta.outcomes.get(test["tcId"], [])})


def write_runner_inputs(run, args):
    """OUT/runner/: what mtasts-conformance needs to render the MTA rows in its matrix and
    reports (ci/conformance.sh: --scenario-results OUT/scenario-results.json --scenarios
    OUT/runner/scenarios.json --impls OUT/runner/impls.json, and no vectors): the scenarios
    file as kind "scenario", and the MTAs as implementations. Their command, kinds and
    profiles are never used (a run without vectors starts no adapter); the runner's schema
    wants them."""
    runner = os.path.join(args.out, "runner")
    os.makedirs(runner, exist_ok=True)
    with open(args.scenarios, encoding="utf-8") as f:
        doc = json.load(f)
    doc["kind"] = "scenario"
    with open(os.path.join(runner, "scenarios.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
    impls = [{"name": m.name, "description": m.impl["description"], "command": ["/bin/false"],
              "kinds": ["policy"], "profiles": ["strict"]} for m in run.impls]
    with open(os.path.join(runner, "impls.json"), "w", encoding="utf-8") as f:
        json.dump({"comment": ["Written by run_mta.py for mtasts-conformance; not an adapter "
                               "list (no vectors are run with it)."],
                   "implementations": impls}, f, indent=1)


def _parser():
    parser = argparse.ArgumentParser(prog="run_mta.py", description="Run the MTA scenarios "
                                     "through real MTAs in the loopback world.")
    parser.add_argument("--scenarios", default=os.path.join(ROOT, DEFAULT_SCENARIOS))
    parser.add_argument("--mtas", default=os.path.join(ROOT, DEFAULT_MTAS))
    parser.add_argument("--root", default=ROOT)
    parser.add_argument("--build", default="build")
    parser.add_argument("--out")
    parser.add_argument("--only", help="comma-separated MTA names")
    parser.add_argument("--timeout", type=float, default=150.0,
                        help="seconds to wait for each answer (a guard above the adapters' "
                             "own 100 s; default 150)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    return parser


def without_signed_zone(tests):
    """The scenarios without the signed zone when its tools (dnssec.py) are missing: the DANE
    scenarios are then not run, and the run says so, instead of the world refusing to start."""
    missing = dnssec.missing_tools()
    signed = [t for t in tests if scenarios.in_signed_zone(t.get("domain", ""))]
    if not missing or not signed:
        return tests
    print("run_mta.py: %d scenarios under %s not run: they need %s (ci/packages.txt: ldnsutils, "
          "nsd)" % (len(signed), scenarios.SIGNED_ZONE, ", ".join(missing)), file=sys.stderr)
    return [t for t in tests if t not in signed]


def load_config(args):
    tests = without_signed_zone(scenarios.tests_of(scenarios.load(args.scenarios)))
    for phase in range(scenarios.phase_count(tests)):
        scenarios.phase_world(tests, phase)
    mtas = [MtaRun(m) for m in load_mtas(args.mtas, args.root, args.build)]
    if args.only is not None:
        wanted = [n for n in args.only.split(",") if n]
        unknown = sorted(set(wanted) - {m.name for m in mtas})
        if unknown:
            raise adapters.ConfigError("--only: no MTA named %s" % ", ".join(unknown))
        for mta in mtas:
            if mta.name not in wanted:
                mta.status = "skipped"
    label = os.path.relpath(args.scenarios, args.root)
    return label, tests, mtas


def inside(args):
    label, tests, mtas = load_config(args)
    run = Run(label, tests, mtas)
    started = run_world(args.out, "run_mta.py", mtas, lambda world: start_mtas(mtas, world, args),
                        lambda world: drive(run, world, args))
    if started is None:
        return USAGE
    reports.write_results(run, args.out)
    write_runner_inputs(run, args)
    sys.stdout.write("\n" + reports.terminal(run))
    print("\n%d MTA scenarios x %d MTAs in %.1f s; results in %s" % (
        len(tests), sum(1 for m in mtas if m.status == "ran"), time.monotonic() - started,
        args.out))
    return 0


def main(argv):
    args = _parser().parse_args(argv)
    args.root = os.path.abspath(args.root)
    args.build = os.path.join(args.root, args.build)
    args.out = os.path.abspath(args.out or os.path.join(args.build, "mta-report"))
    args.scenarios = os.path.abspath(args.scenarios)
    try:
        load_config(args)
        if args.inside:
            return inside(args)
    except (OSError, ValueError, adapters.ConfigError, scenarios.SpecError) as e:
        print("run_mta.py: %s" % e, file=sys.stderr)
        return USAGE
    netns.raise_on_termination()
    inner = [sys.executable, os.path.abspath(__file__), "--inside", "--scenarios",
             args.scenarios, "--mtas", os.path.abspath(args.mtas), "--root", args.root,
             "--build", args.build, "--out", args.out, "--timeout", str(args.timeout)]
    if args.only is not None:
        inner += ["--only", args.only]
    status = netns.run_in_fresh_namespace(inner, "run_mta.py")
    return USAGE if status is None else status


if __name__ == "__main__":
    netns.exit_with(main)
