#!/usr/bin/python3
"""The scenario driver: every scenario of vectors/scenarios/ through every resolve adapter.

  run_scenarios.py [--scenarios FILE] [--impls FILE] [--root DIR] [--build DIR] [--out DIR]
                   [--only NAMES] [--timeout SECONDS] [--max-restarts N]

It makes a fresh network namespace, runs itself again inside it, starts the world
(world.py), and starts each implementation of impls.json that has a `resolve` member once (its
`available` probe failing: not installed, skipped). Then for each phase k = 0, 1, ...: the
world switches to phase k and every adapter, concurrently (one thread each), gets the step-k
request of each scenario that has a step k (conformance/ADAPTERS.md, "Resolve protocol").
The answers are judged (judge.py) and written (reports.py) into --out: scenario-results.json,
<name>.resolve.stderr.log, and world/ (certificates, configurations, server logs).
mtasts-conformance --scenario-results renders the reports from the results file.

Exit status: 1 when the own implementation ("own": true) fails, errors or answers
unsupported on a scenario, exits badly, or is not installed (unless --only leaves it out);
2 on a usage or configuration error, or when the world cannot start; 0 otherwise (external
implementations never fail the run).
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)

import adapters  # noqa: E402
import judge  # noqa: E402
import netns  # noqa: E402
import reports  # noqa: E402
import scenarios  # noqa: E402
from world import run_phases, run_world  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SCENARIOS = "vectors/scenarios/scenarios.json"
FIXTURE_SCENARIOS = "conformance/world/tests/fixtures/scenarios-mini.json"
REQUEST_TIMEOUT = 5  # the fetch timeout asked of resolvers (FORMAT.md)
REFRESH = 86400  # the proactive refresh interval asked of resolvers (FORMAT.md)
USAGE = 2


class ImplRun:
    """One implementation through the run: its adapter, and each scenario's step outcomes."""

    def __init__(self, impl):
        self.name = impl["name"]
        self.own = impl["own"]
        self.impl = impl
        self.status = "ran"
        self.adapter = None
        self.wall_seconds = 0.0
        self.outcomes = {}  # tcId -> [StepOutcome]
        self.finished = set()  # tcIds that get no further request (error, unsupported)
        self.in_progress = set()  # tcIds whose resolver state lives in the current process
        self.interrupted = {}  # tcId -> why its later steps cannot be asked
        self.rows = []
        self.exit_problem = None


class Run:
    """What the reports read."""

    def __init__(self, scenarios_label, tests, impls):
        self.scenarios_label = scenarios_label
        self.tests = tests
        self.by_id = {t["tcId"]: t for t in tests}
        self.names = {t["tcId"]: t.get("name", "") for t in tests}
        self.phase_count = scenarios.phase_count(tests)
        self.impls = impls
        self.switch_seconds = []


def request_for(test, phase, clock0):
    step = test["steps"][phase]
    previous_at = test["steps"][phase - 1]["at"] if phase > 0 else step["at"]
    request = {"tcId": test["tcId"], "step": phase, "domain": test["domain"],
               "now": clock0 + step["at"], "elapsed": step["at"] - previous_at,
               "timeout": REQUEST_TIMEOUT, "refresh": REFRESH, "mx": step.get("mx", [])}
    if scenarios.step_has_smtp(step):
        request["mxTls"] = True  # absent otherwise: requests of steps without MX servers
    return request


def ask(impl_run, test, phase, clock0):
    """Sends one step and returns what the driver records as its answer."""
    tc_id = test["tcId"]
    if tc_id in impl_run.interrupted:
        return {"error": impl_run.interrupted[tc_id]}
    adapter = impl_run.adapter
    if adapter.proc is None and not adapter.can_start():
        return {"error": "not sent: the adapter failed %d times (--max-restarts)"
                % adapter.starts}
    try:
        return adapter.request(request_for(test, phase, clock0))
    except adapters.AdapterFailure as e:
        # The process and its resolver's cache are gone: what it was in the middle of stops.
        why = "the adapter was restarted during the scenario (at tcId %d step %d: %s)" % (
            tc_id, phase, e)
        for other in impl_run.in_progress - {tc_id}:
            impl_run.interrupted[other] = why
        impl_run.in_progress.clear()
        return {"error": str(e)}


def run_phase_for(impl_run, tests, phase, clock0):
    start = time.monotonic()
    for test in tests:
        tc_id = test["tcId"]
        if tc_id in impl_run.finished:
            continue
        got = ask(impl_run, test, phase, clock0)
        outcome = judge.StepOutcome(phase, test["steps"][phase], got)
        impl_run.outcomes.setdefault(tc_id, []).append(outcome)
        if outcome.verdict in ("error", "unsupported"):
            impl_run.finished.add(tc_id)
            impl_run.in_progress.discard(tc_id)
        elif phase + 1 < len(test["steps"]):
            impl_run.in_progress.add(tc_id)
        else:
            impl_run.in_progress.discard(tc_id)
    impl_run.wall_seconds += time.monotonic() - start


def finish_rows(impl_run, tests):
    for test in tests:
        outcomes = impl_run.outcomes.get(test["tcId"], [])
        verdict, reason = judge.scenario_verdict(outcomes)
        impl_run.rows.append({"tcId": test["tcId"], "verdict": verdict, "reason": reason,
                              "steps": outcomes})


def start_impls(impl_runs, world, args, out_dir):
    env = world.environment()
    for impl_run in impl_runs:
        if impl_run.status != "ran":
            continue
        if not adapters.probe(impl_run.impl, args.root, env):
            impl_run.status = "not-installed"
            continue
        os.makedirs(os.path.join(world.scratch_dir, impl_run.name), exist_ok=True)
        stderr_path = os.path.join(out_dir, "%s.resolve.stderr.log" % impl_run.name)
        open(stderr_path, "w").close()
        impl_run.adapter = adapters.Adapter(impl_run.impl, args.root, env, stderr_path,
                                            args.timeout, args.max_restarts)


def drive(run, world, args):
    clock0 = int(time.time())
    ran = [i for i in run.impls if i.status == "ran"]
    run_phases(run, world, ran, "implementations",
               lambda impl_run, tests, phase: run_phase_for(impl_run, tests, phase, clock0))
    for impl_run in ran:
        impl_run.exit_problem = impl_run.adapter.close()
        finish_rows(impl_run, run.tests)


def exit_status(run):
    """Our own resolver must run every scenario and pass it (acceptable is fine): a fail, an
    error, an `unsupported`, a bad exit, or not being installed at all fails the run, so that
    a CI run cannot go green without having tested it. Excluded with --only is not a failure."""
    for impl in run.impls:
        if impl.own and impl.status == "not-installed":
            return 1
        if impl.own and impl.status == "ran":
            c = reports.counts(impl)
            if c["fail"] or c["error"] or c["unsupported"] or impl.exit_problem:
                return 1
    return 0


def _parser():
    parser = argparse.ArgumentParser(prog="run_scenarios.py",
                                     description="Run the scenarios through every resolve "
                                                 "adapter in the loopback world.")
    parser.add_argument("--scenarios", help="default: %s (until it exists: %s)"
                        % (DEFAULT_SCENARIOS, FIXTURE_SCENARIOS))
    parser.add_argument("--impls", default=os.path.join(ROOT, "conformance", "impls.json"))
    parser.add_argument("--root", default=ROOT, help="${root}, the adapters' working directory")
    parser.add_argument("--build", default="build", help="${build} (relative to --root)")
    parser.add_argument("--out", help="reports (default: BUILD/scenario-report)")
    parser.add_argument("--only", help="comma-separated implementation names")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds to wait for each answer (default 30)")
    parser.add_argument("--max-restarts", type=int, default=10)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    return parser


def resolve_paths(args):
    args.root = os.path.abspath(args.root)
    args.build = os.path.join(args.root, args.build)
    args.out = os.path.abspath(args.out or os.path.join(args.build, "scenario-report"))
    if args.scenarios is None:
        default = os.path.join(args.root, DEFAULT_SCENARIOS)
        if os.path.exists(default):
            args.scenarios = default
        else:
            args.scenarios = os.path.join(args.root, FIXTURE_SCENARIOS)
            print("note: %s does not exist yet; running the fixture %s"
                  % (DEFAULT_SCENARIOS, FIXTURE_SCENARIOS), file=sys.stderr)
    args.scenarios = os.path.abspath(args.scenarios)


def load_config(args):
    """(scenarios label, tests, [ImplRun]) or raises ConfigError/SpecError/OSError."""
    tests = scenarios.tests_of(scenarios.load(args.scenarios))
    for phase in range(scenarios.phase_count(tests)):
        scenarios.phase_world(tests, phase)  # a world we cannot serve is a usage error
    impls = adapters.resolve_impls(args.impls, args.root, args.build)
    impl_runs = [ImplRun(i) for i in impls]
    if args.only is not None:
        wanted = [n for n in args.only.split(",") if n]
        unknown = sorted(set(wanted) - {i.name for i in impl_runs})
        if unknown:
            raise adapters.ConfigError("--only: no resolve adapter named %s in %s"
                                       % (", ".join(unknown), args.impls))
        for impl_run in impl_runs:
            if impl_run.name not in wanted:
                impl_run.status = "skipped"
    label = os.path.relpath(args.scenarios, args.root)
    if label.startswith(".."):
        label = args.scenarios
    return label, tests, impl_runs


def inside(args):
    label, tests, impl_runs = load_config(args)
    run = Run(label, tests, impl_runs)

    def start(world):
        start_impls(impl_runs, world, args, args.out)
        if not any(i.status == "ran" for i in impl_runs):
            print("run_scenarios.py: no implementation to run", file=sys.stderr)

    started = run_world(args.out, "run_scenarios.py", impl_runs, start,
                        lambda world: drive(run, world, args))
    if started is None:
        return USAGE
    reports.write_results(run, args.out)
    sys.stdout.write("\n" + reports.terminal(run))
    status = exit_status(run)
    print("\n%d scenarios x %d implementations in %.1f s; results in %s" % (
        len(tests), sum(1 for i in impl_runs if i.status == "ran"), time.monotonic() - started,
        args.out))
    print("result: " + result_line(run, status))
    return status


def result_line(run, status):
    if status and any(i.own and i.status == "not-installed" for i in run.impls):
        return "own implementation is NOT INSTALLED (its `available` probe failed)"
    if status:
        return "own implementation FAILED (see above)"
    if any(i.own and i.status == "ran" for i in run.impls):
        return "own implementation passed every scenario it ran"
    return "no own implementation ran"


def outside(args, argv):
    try:
        load_config(args)
    except (OSError, ValueError, adapters.ConfigError, scenarios.SpecError) as e:
        print("run_scenarios.py: %s" % e, file=sys.stderr)
        return USAGE
    netns.raise_on_termination()
    inner = [sys.executable, os.path.abspath(__file__), "--inside", "--scenarios",
             args.scenarios, "--impls", os.path.abspath(args.impls), "--root", args.root,
             "--build", args.build, "--out", args.out, "--timeout", str(args.timeout),
             "--max-restarts", str(args.max_restarts)]
    if args.only is not None:
        inner += ["--only", args.only]
    status = netns.run_in_fresh_namespace(inner, "run_scenarios.py")
    return USAGE if status is None else status


def main(argv):
    args = _parser().parse_args(argv)
    resolve_paths(args)
    if args.timeout <= 0 or args.max_restarts < 0:
        print("run_scenarios.py: --timeout must be > 0 and --max-restarts >= 0", file=sys.stderr)
        return USAGE
    if not args.inside:
        return outside(args, argv)
    try:
        return inside(args)
    except (OSError, ValueError, adapters.ConfigError, scenarios.SpecError) as e:
        print("run_scenarios.py: %s" % e, file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    netns.exit_with(main)
