"""The scenario driver end to end, with scripted adapters (tests/scripted_adapter.py) and the
fixture scenarios: requests, judging, restarts, reports and exit status. Needs root (it makes
network namespaces) and the world's packages; takes about 25 s (the hang waits out
ANSWER_TIMEOUT)."""

import json
import os
import re
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

TESTS = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.dirname(TESTS)
ROOT = os.path.dirname(os.path.dirname(WORLD))
DRIVER = os.path.join(WORLD, "run_scenarios.py")
FIXTURE = os.path.join(TESTS, "fixtures", "scenarios-mini.json")
ADAPTER = os.path.join(TESTS, "scripted_adapter.py")
PYTHON = "/usr/bin/python3"
# The driver's --timeout per answer. Only the "hangs" adapter ever meets it (it never answers);
# every other answer must come within it however loaded the machine is, so it is generous
# rather than short: a scripted answer takes milliseconds.
ANSWER_TIMEOUT = 10

# The expected mxTls of the fixture's SMTP scenario, tcId 9 (host names as the fixture has them,
# but mx2's upper-cased where a script replaces it: the hosts compare case-insensitively).
MX_TLS_9 = {"mx1.s09.world.test": {"verdict": "deliver", "rpt": ""},
            "mx3.s09.world.test": {"verdict": "refuse", "rpt": "starttls-not-supported"},
            "mx4.s09.world.test": {"verdict": "refuse", "rpt": "certificate-host-mismatch"},
            "mx.other-s09.world.test": {"verdict": "refuse", "rpt": "validation-failure"}}

# name -> (own, script, available); the scripts' expected verdicts are in EXPECTED.
IMPLS = {
    "own-good": (True, {"steps": {"6/0": "acceptable:0"}}, None),
    "judging": (False, {"steps": {
        "1/1": {"answer": {"apply": "cached", "mode": "testing", "id": "s01a"}},
        "2/0": "unsupported",
        "3/0": "partial", "3/1": "partial", "3/2": "error",
        "4/0": {"answer": {"apply": "none", "mode": "none", "mx": [], "rpt": "",
                           "detail": "x"}},
        "5/0": "partial",
        "6/0": {"answer": {"apply": "none", "mode": "none", "id": "t1", "mx": [],
                           "rpt": "sts-policy-fetch-error"}},
        "7/0": {"answer": {"apply": "new", "mode": "testing", "id": "w1",
                           "mx": ["MX.S07.world.test"], "rpt": "",
                           "mxMatch": {"MX.s07.WORLD.test": True}}},
        "8/0": {"answer": {"apply": "none", "mode": "none", "mx": [],
                           "rpt": "sts-policy-fetch-error", "mxMatch": {}}},
        "9/0": {"changes": {"mxTls": dict(MX_TLS_9, **{
            "MX2.s09.world.test": {"verdict": "deliver", "rpt": ""}})}}}}, None),
    "crashy": (False, {"steps": {"4/0": "crash"}}, None),
    "hangs": (False, {"steps": {"3/2": "hang", "9/0": "partial"}}, None),
    "garbage": (False, {"steps": {"2/1": "garbage"}}, None),
    "wrong-tcid": (False, {"steps": {"8/0": "wrong-tcid"}}, None),
    "missing": (False, {}, ["/bin/false"]),
    "excluded": (False, {}, None),
    "crash-loop": (False, {"default": "crash-always"}, None),
    "bad-exit": (False, {"exit_status": 4}, ["/bin/true"]),
}

EXITED = "the adapter exited (with status 3) without answering"
RESTARTED = "the adapter was restarted during the scenario (at tcId %d step %d: %s)"
NOT_JSON = "not a JSON answer: this is not json"
WRONG = "answer for tcId 1008 step 0 to a request for tcId 8 step 0"
NOT_SENT = "not sent: the adapter failed 3 times (--max-restarts)"
ACCEPTABLE = "step 0 matches an acceptable outcome"


def _all_pass(**changes):
    verdicts = {tc: ("pass", None) for tc in range(1, 10)}
    verdicts.update(changes)
    return verdicts


EXPECTED = {
    "own-good": _all_pass(**{"6": ("acceptable", ACCEPTABLE)}),
    "judging": _all_pass(**{
        "1": ("fail", 'step 1: mode: got "testing", expected "enforce"'),
        "2": ("unsupported", "step 0: scripted"),
        "3": ("error", "step 2: scripted"),
        "4": ("fail", 'step 0: rpt: got "", expected "sts-policy-fetch-error"'),
        "6": ("fail", 'step 0: id: got "t1", expected absent'),
        "9": ("fail", 'step 0: mxTls mx2.s09.world.test: got {"verdict": "deliver", "rpt": ""}, '
                      'expected {"verdict": "refuse", "rpt": "certificate-expired"}')}),
    "crashy": _all_pass(**{
        "1": ("error", "step 1: " + RESTARTED % (4, 0, EXITED)),
        "2": ("error", "step 1: " + RESTARTED % (4, 0, EXITED)),
        "3": ("error", "step 1: " + RESTARTED % (4, 0, EXITED)),
        "4": ("error", "step 0: " + EXITED)}),
    "hangs": _all_pass(**{"3": ("error", "step 2: no answer within %d s (killed)"
                                % ANSWER_TIMEOUT)}),
    "garbage": _all_pass(**{
        "1": ("error", "step 2: " + RESTARTED % (2, 1, NOT_JSON)),
        "2": ("error", "step 1: " + NOT_JSON),
        "3": ("error", "step 1: " + RESTARTED % (2, 1, NOT_JSON))}),
    "wrong-tcid": _all_pass(**{
        "1": ("error", "step 1: " + RESTARTED % (8, 0, WRONG)),
        "2": ("error", "step 1: " + RESTARTED % (8, 0, WRONG)),
        "3": ("error", "step 1: " + RESTARTED % (8, 0, WRONG)),
        "8": ("error", "step 0: " + WRONG)}),
    "crash-loop": {tc: ("error", "step 0: " + (EXITED if tc <= 3 else NOT_SENT))
                   for tc in range(1, 10)},
    "bad-exit": _all_pass(),
}
for _verdicts in EXPECTED.values():
    for _key in [k for k in _verdicts if isinstance(k, str)]:
        _verdicts[int(_key)] = _verdicts.pop(_key)


def write_impls(directory, names, own=None, scripts=None):
    entries = []
    for name in names:
        is_own, script, available = IMPLS[name]
        script = (scripts or {}).get(name, script)
        script_path = os.path.join(directory, "%s.script.json" % name)
        with open(script_path, "w") as f:
            json.dump(script, f)
        resolve = {"command": [PYTHON, ADAPTER, name, FIXTURE, script_path]}
        if available:
            resolve["available"] = available
        # command and kinds: the runner's schema wants them (it renders the results with this
        # file), though it starts no adapter in a run without vectors.
        entries.append({"name": name, "own": is_own if own is None else name == own,
                        "command": ["/bin/false"], "kinds": ["policy"], "resolve": resolve})
    path = os.path.join(directory, "impls.json")
    with open(path, "w") as f:
        json.dump({"implementations": entries}, f)
    return path


def run_driver(*args, timeout=120):
    """Runs the driver; the result has .namespace, the name of the namespace it made."""
    with subprocess.Popen([PYTHON, DRIVER] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT) as proc:
        stdout, stderr = proc.communicate(timeout=timeout)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    result.namespace = "mtw-%d" % proc.pid
    return result


def namespaces():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


class FullRun(unittest.TestCase):
    """One run with every scripted behaviour; the own implementation passes: exit 0."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="world-test-")
        cls.out = os.path.join(cls.tmp.name, "out")
        names = [n for n in IMPLS]
        impls = write_impls(cls.tmp.name, names)
        only = ",".join(n for n in names if n != "excluded")
        cls.proc = run_driver("--scenarios", FIXTURE, "--impls", impls, "--out", cls.out,
                              "--only", only, "--timeout", str(ANSWER_TIMEOUT),
                              "--max-restarts", "2")
        cls.namespaces_after = namespaces()
        with open(os.path.join(cls.out, "scenario-results.json")) as f:
            cls.results = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def requests_of(self, name):
        path = os.path.join(self.out, "world", "scratch", name, "requests.jsonl")
        with open(path) as f:
            return [json.loads(line) for line in f]

    def test_exit_status_and_cleanup(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stdout + self.proc.stderr)
        self.assertNotIn(self.proc.namespace, self.namespaces_after)
        self.assertFalse(os.path.exists("/etc/netns/" + self.proc.namespace))
        self.assertEqual(self.proc.stdout.splitlines()[-1],
                         "result: own implementation passed every scenario it ran")

    def test_verdicts_and_reasons(self):
        got = {}
        for row in self.results["results"]:
            got.setdefault(row["impl"], {})[row["tcId"]] = (row["verdict"], row["reason"])
        self.assertEqual(got, EXPECTED)

    def test_implementation_statuses_and_counts(self):
        entries = {e["name"]: e for e in self.results["implementations"]}
        self.assertEqual(list(entries), list(IMPLS))
        self.assertEqual(entries["missing"]["status"], "not-installed")
        self.assertEqual(entries["excluded"]["status"], "skipped")
        self.assertEqual(entries["judging"]["counts"],
                         {"pass": 3, "fail": 4, "acceptable": 0, "unsupported": 1, "error": 1})
        self.assertEqual(entries["own-good"]["counts"],
                         {"pass": 8, "fail": 0, "acceptable": 1, "unsupported": 0, "error": 0})
        self.assertEqual(self.results["format"], "mtasts-scenario-results/1")
        self.assertEqual(self.results["numberOfScenarios"], 9)
        self.assertEqual(self.results["scenarios"],
                         "conformance/world/tests/fixtures/scenarios-mini.json")

    def test_requests(self):
        with open(FIXTURE) as f:
            tests = {t["tcId"]: t for t in json.load(f)["testGroups"][0]["tests"]}
        requests = self.requests_of("own-good")
        order = [(r["tcId"], r["step"]) for r in requests]
        self.assertEqual(order, [(tc, 0) for tc in range(1, 10)] + [(1, 1), (2, 1), (3, 1),
                                                                     (1, 2), (3, 2)])
        clocks = {r["now"] - tests[r["tcId"]]["steps"][r["step"]]["at"] for r in requests}
        self.assertEqual(len(clocks), 1, "now = one start time + at")
        for r in requests:
            step = tests[r["tcId"]]["steps"][r["step"]]
            previous = tests[r["tcId"]]["steps"][r["step"] - 1]["at"] if r["step"] else step["at"]
            expected = {"tcId": r["tcId"], "step": r["step"],
                        "domain": tests[r["tcId"]]["domain"], "now": r["now"],
                        "elapsed": step["at"] - previous, "timeout": 5, "refresh": 86400,
                        "mx": step["mx"]}
            if r["tcId"] == 9:  # the only step whose world has SMTP servers
                expected["mxTls"] = True
            self.assertEqual(r, expected)

    def test_no_request_after_unsupported_error_or_restart(self):
        sent = [(r["tcId"], r["step"]) for r in self.requests_of("judging")]
        self.assertNotIn((2, 1), sent)
        self.assertEqual(len(sent), 13)
        self.assertEqual([(r["tcId"], r["step"]) for r in self.requests_of("crashy")],
                         [(tc, 0) for tc in range(1, 10)])
        self.assertEqual(len(self.requests_of("crash-loop")), 3)

    def test_adapter_environment(self):
        path = os.path.join(self.out, "world", "scratch", "own-good", "start.jsonl")
        with open(path) as f:
            seen = json.loads(f.readline())
        ca = os.path.join(self.out, "world", "certs", "ca.pem")
        self.assertEqual(seen, {"cwd": ROOT, "SSL_CERT_FILE": ca, "NODE_EXTRA_CA_CERTS": ca,
                                "MTASTS_WORLD_DIR": os.path.join(self.out, "world", "scratch"),
                                "resolv.conf": "nameserver 127.0.0.1\n", "interfaces": ["lo"]})

    def test_steps_in_results(self):
        rows = {(r["impl"], r["tcId"]): r for r in self.results["results"]}
        partial = rows[("judging", 5)]["steps"]
        self.assertEqual(partial[0]["compared"], ["apply", "mode"])
        self.assertEqual(partial[0]["got"], {"apply": "none", "mode": "none"})
        self.assertEqual(partial[0]["expect"]["rpt"], "sts-webpki-invalid")
        interrupted = rows[("crashy", 1)]["steps"]
        self.assertEqual([s["step"] for s in interrupted], [0, 1])
        self.assertEqual(interrupted[1]["got"], {"error": RESTARTED % (4, 0, EXITED)})
        self.assertEqual(interrupted[1]["compared"], [])

    def test_mx_tls_in_results(self):
        rows = {(r["impl"], r["tcId"]): r for r in self.results["results"]}
        judged = rows[("judging", 9)]["steps"][0]
        self.assertEqual(judged["compared"], ["apply", "mode", "id", "mx", "rpt", "mxMatch",
                                              "mxTls"])
        self.assertEqual(judged["got"]["mxTls"]["MX2.s09.world.test"],
                         {"verdict": "deliver", "rpt": ""})
        unreported = rows[("hangs", 9)]
        self.assertEqual((unreported["verdict"], unreported["steps"][0]["compared"]),
                         ("pass", ["apply", "mode"]))

    def test_terminal_matrix(self):
        lines = [re.sub(r"\d+\.\d s$", "W s", line) for line in self.proc.stdout.splitlines()]
        self.assertIn("implementation  pass  fail  acceptable  unsupported  error     wall", lines)
        for expected in [
                "own-good           8     0           1            0      0    W s",
                "judging            3     4           0            1      1    W s",
                "crash-loop         0     0           0            0      9    W s",
                "missing         not installed (its availability probe failed); skipped",
                "excluded        skipped (not in --only)"]:
            self.assertIn(expected, lines)

    def test_terminal_table_and_reasons(self):
        lines = self.proc.stdout.splitlines()
        header = [line for line in lines if line.startswith("tcId  name")]
        self.assertEqual(len(header), 1)
        self.assertEqual(header[0].split(), ["tcId", "name"] + list(IMPLS))
        row6 = [line for line in lines if line.startswith("   6  no-content-type")][0].split()
        self.assertEqual(row6, ["6", "no-content-type", "acceptable", "fail", "pass", "pass",
                                "pass", "pass", "-", "-", "error", "pass"])
        self.assertIn("judging: 5 failed or errored scenarios", lines)
        self.assertIn('  #1 valid-cached-refreshed: fail: step 1: mode: got "testing", '
                      'expected "enforce"', lines)
        self.assertIn("bad-exit: adapter exited with status 4 at EOF", lines)

    def test_only_the_results_file(self):
        # The reports are the runner's (test_runner_renders_the_results), never the driver's.
        for name in ("scenarios.md", "scenarios-junit.xml", "report.md", "junit.xml"):
            self.assertFalse(os.path.exists(os.path.join(self.out, name)), name)

    def test_runner_renders_the_results(self):
        runner = os.environ.get("MTASTS_CONFORMANCE")
        if not runner:
            self.skipTest("MTASTS_CONFORMANCE (the mtasts-conformance to render with) is unset")
        rendered = os.path.join(self.tmp.name, "rendered")
        novectors = os.path.join(self.tmp.name, "novectors")
        os.makedirs(novectors, exist_ok=True)
        results = os.path.join(self.out, "scenario-results.json")
        proc = subprocess.run([runner, "--impls", os.path.join(self.tmp.name, "impls.json"),
                               "--vectors", novectors, "--root", ROOT, "--out", rendered,
                               "--scenario-results", results, "--scenarios", FIXTURE],
                              capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        with open(os.path.join(rendered, "results.json")) as f:
            doc = json.load(f)
        got = {}
        for row in doc["results"]:
            got.setdefault(row["impl"], {})[row["tcId"]] = (row["verdict"], row.get("reason"))
        self.assertEqual(got, EXPECTED)
        statuses = {i["name"]: i["status"] for i in doc["implementations"]}
        self.assertEqual((statuses["missing"], statuses["judging"]), ("not installed", "ran"))
        root = ET.parse(os.path.join(rendered, "junit.xml")).getroot()
        suites = {s.get("name"): s for s in root.findall("testsuite")}
        judging = suites["judging"]
        self.assertEqual((judging.get("tests"), judging.get("failures"), judging.get("errors"),
                          judging.get("skipped")), ("9", "4", "1", "1"))
        with open(os.path.join(rendered, "report.md")) as f:
            text = f.read()
        self.assertIn("| judging | scenario | 3 | 4 | 0 | 1 | 1 |", text)
        self.assertIn('step 0: rpt: got "", expected "sts-policy-fetch-error"', text)

    def test_stderr_logs(self):
        for name in ("own-good", "crashy"):
            self.assertTrue(os.path.exists(os.path.join(self.out,
                                                        "%s.resolve.stderr.log" % name)))


class ExitStatus(unittest.TestCase):
    def test_own_failure_exits_1(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            impls = write_impls(tmp, ["judging"], own="judging")
            proc = run_driver("--scenarios", FIXTURE, "--impls", impls, "--out",
                              os.path.join(tmp, "out"), "--timeout", str(ANSWER_TIMEOUT))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[-1],
                         "result: own implementation FAILED (see above)")

    def test_own_unsupported_exits_1(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            impls = write_impls(tmp, ["own-good"], scripts={"own-good": {"steps": {"2/0": "unsupported"}}})
            proc = run_driver("--scenarios", FIXTURE, "--impls", impls, "--out",
                              os.path.join(tmp, "out"), "--timeout", str(ANSWER_TIMEOUT))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[-1],
                         "result: own implementation FAILED (see above)")

    def test_own_not_installed_exits_1(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            impls = write_impls(tmp, ["missing"], own="missing")
            proc = run_driver("--scenarios", FIXTURE, "--impls", impls, "--out",
                              os.path.join(tmp, "out"), "--timeout", str(ANSWER_TIMEOUT))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[-1], "result: own implementation is NOT "
                         "INSTALLED (its `available` probe failed)")

    def test_own_bad_exit_exits_1(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            impls = write_impls(tmp, ["bad-exit"], own="bad-exit")
            proc = run_driver("--scenarios", FIXTURE, "--impls", impls, "--out",
                              os.path.join(tmp, "out"), "--timeout", str(ANSWER_TIMEOUT))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)

    def test_usage_errors_exit_2_before_any_namespace(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            impls = write_impls(tmp, ["own-good"])
            bad_txt = os.path.join(tmp, "bad.json")
            with open(FIXTURE) as f:
                doc = json.load(f)
            doc["testGroups"][0]["tests"][0]["steps"][0]["world"]["dns"][0]["strings"] = ["a\x01"]
            with open(bad_txt, "w") as f:
                json.dump(doc, f)
            cases = [
                (["--scenarios", os.path.join(tmp, "none.json"), "--impls", impls],
                 "none.json"),
                (["--scenarios", FIXTURE, "--impls", impls, "--only", "nobody"],
                 "--only: no resolve adapter named nobody in %s" % impls),
                (["--scenarios", FIXTURE, "--impls", os.path.join(tmp, "none.json")],
                 "none.json"),
                (["--scenarios", bad_txt, "--impls", impls],
                 "tcId 1: _mta-sts.s01.world.test TXT: TXT string 'a\\x01': control character "
                 "U+0001 (dnsmasq's configuration cannot carry it)"),
                (["--scenarios", FIXTURE, "--impls", impls, "--timeout", "0"], "--timeout"),
            ]
            for args, message in cases:
                proc = run_driver(*args, "--out", os.path.join(tmp, "out"))
                self.assertEqual(proc.returncode, 2, (args, proc.stderr))
                self.assertIn(message, proc.stderr)
                self.assertFalse(os.path.exists(os.path.join(tmp, "out")), args)


if __name__ == "__main__":
    unittest.main(verbosity=2)

