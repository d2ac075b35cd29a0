"""The MTA driver (run_mta.py) and the world's SMTP sinks, end to end with scripted MTA
adapters (tests/naive_mta.py) and four small scenarios made with gen_mta_scenarios.py's
helpers: the delivery records, judging on them, errors, not installed, and the reports.
Needs root (it makes a network namespace) and the world's packages. Also: mta.json is what
its generator writes."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.dirname(TESTS)
ROOT = os.path.dirname(os.path.dirname(WORLD))
GEN_DIR = os.path.join(ROOT, "vectors", "scenarios")
PYTHON = "/usr/bin/python3"
sys.path.insert(0, GEN_DIR)
import gen_mta_scenarios as gen  # noqa: E402


def d(n):
    return "t%d.world.test" % n


def scenarios_file():
    mx = gen.mx
    tests = [
        (1, [gen.step(0, gen.world(d(1), [mx("mx1." + d(1))]), gen.got("tls", "mx1." + d(1)))]),
        (2, [gen.step(0, gen.world(d(2), [mx("mx1." + d(2), starttls=False)]), gen.NONE)]),
        (3, [gen.step(0, gen.world(d(3), [mx("mx1." + d(3), 10, tls="abort"),
                                          mx("mx2." + d(3), 20)]),
                      gen.got("tls", "mx2." + d(3)))]),
        (4, [gen.step(0, gen.world(d(4), [mx("mx1." + d(4))]), gen.got("tls", "mx1." + d(4))),
             gen.step(600, gen.world(d(4), [mx("mx1." + d(4), tls="legacy")]), gen.NONE,
                      [gen.got("tls", "mx1." + d(4))])]),
    ]
    return {"kind": "mta-scenario", "testGroups": [{"tests": [
        {"tcId": tc, "name": "t%d" % tc, "domain": d(tc), "steps": steps}
        for tc, steps in tests]}]}


def adapter(name, mode, available=None):
    entry = {"name": name, "command": [PYTHON, os.path.join(TESTS, "naive_mta.py"), mode]}
    if available:
        entry["available"] = available
    return entry


MTAS = {"mtas": [adapter("naive", "naive"), adapter("holds", "holds"),
                 adapter("garbage", "garbage"), adapter("missing", "naive", ["/bin/false"])]}

NOT_JSON = "not a JSON answer: this is not json"
EXPECTED = {
    "naive": {1: ("pass", None),
              2: ("fail", "step 0: got delivered to mx1.t2.world.test in clear text, expected "
                          "not delivered (the MTA says: delivered, to mx1.t2.world.test)"),
              3: ("pass", None),
              4: ("acceptable", "step 1 matches an acceptable outcome")},
    "holds": {1: ("fail", "step 0: got not delivered, expected delivered to mx1.t1.world.test "
                          "over TLS (the MTA says: deferred, held)"),
              2: ("pass", None),
              3: ("fail", "step 0: got not delivered, expected delivered to mx2.t3.world.test "
                          "over TLS (the MTA says: deferred, held)"),
              4: ("fail", "step 0: got not delivered, expected delivered to mx1.t4.world.test "
                          "over TLS (the MTA says: deferred, held)")},
    "garbage": {1: ("error", "step 0: " + NOT_JSON),
                2: ("error", "step 0: " + NOT_JSON),
                3: ("error", "step 0: " + NOT_JSON),
                4: ("error", "step 0: not sent: the adapter failed 3 times")},
}


class MtaDriver(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        scen = os.path.join(cls.tmp.name, "mta.json")
        mtas = os.path.join(cls.tmp.name, "mtas.json")
        with open(scen, "w") as f:
            json.dump(scenarios_file(), f)
        with open(mtas, "w") as f:
            json.dump(MTAS, f)
        cls.out = os.path.join(cls.tmp.name, "out")
        cls.proc = subprocess.run([PYTHON, os.path.join(WORLD, "run_mta.py"), "--scenarios",
                                   scen, "--mtas", mtas, "--out", cls.out, "--timeout", "60"],
                                  capture_output=True, text=True, cwd=ROOT)
        with open(os.path.join(cls.out, "scenario-results.json")) as f:
            cls.results = json.load(f)
        with open(os.path.join(cls.out, "world", "logs", "deliveries.jsonl")) as f:
            cls.deliveries = [json.loads(line) for line in f]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_exit_status_and_statuses(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        status = {i["name"]: i["status"] for i in self.results["implementations"]}
        self.assertEqual(status, {"naive": "ran", "holds": "ran", "garbage": "ran",
                                  "missing": "not-installed"})

    def test_verdicts_and_reasons(self):
        got = {}
        for row in self.results["results"]:
            got.setdefault(row["impl"], {})[row["tcId"]] = (row["verdict"], row["reason"])
        self.assertEqual(got, EXPECTED)

    def test_observation_recorded_in_the_step(self):
        row = next(r for r in self.results["results"] if r["impl"] == "naive" and r["tcId"] == 1)
        self.assertEqual(row["steps"][0]["got"], {
            "queue": "delivered", "reason": "to mx1.t1.world.test", "delivery": "tls",
            "host": "mx1.t1.world.test", "tlsVersion": "TLSv1.3", "sni": "mx1.t1.world.test",
            "certKind": "valid"})

    def test_delivery_records(self):
        by_marker = {r["marker"]: r for r in self.deliveries}
        self.assertEqual(sorted(by_marker), ["naive.1.0", "naive.2.0", "naive.3.0",
                                             "naive.4.0", "naive.4.1"])
        plain = by_marker["naive.2.0"]
        self.assertEqual((plain["tls"], plain["tlsVersion"], plain["sni"], plain["cert"]),
                         (False, None, None, None))
        self.assertEqual((plain["mailFrom"], plain["rcptTo"]),
                         ("<tester@sender.world.test>", ["<someone@t2.world.test>"]))
        self.assertEqual(by_marker["naive.3.0"]["host"], "mx2.t3.world.test")
        legacy = by_marker["naive.4.1"]
        self.assertEqual((legacy["host"], legacy["tls"], legacy["tlsVersion"]),
                         ("mx1.t4.world.test", True, "TLSv1.1"))

    def test_abort_recorded_on_the_connection(self):
        with open(os.path.join(self.out, "world", "logs", "smtp.jsonl")) as f:
            sessions = [json.loads(line) for line in f]
        aborted = [s for s in sessions if s["host"] == "mx1.t3.world.test"
                   and s["end"] == "tls aborted"]
        self.assertEqual(len(aborted), 1)
        self.assertEqual(aborted[0]["deliveries"], [])

    def test_only_the_results_written(self):
        # The reports are mtasts-conformance's, from runner/ (test_runner_inputs).
        self.assertTrue(os.path.exists(os.path.join(self.out, "scenario-results.json")))
        for name in ("scenarios.md", "scenarios-junit.xml"):
            self.assertFalse(os.path.exists(os.path.join(self.out, name)), name)
        self.assertIn("4 MTA scenarios x 3 MTAs", self.proc.stdout)

    def test_runner_inputs(self):
        with open(os.path.join(self.out, "runner", "scenarios.json")) as f:
            scen = json.load(f)
        self.assertEqual((scen["kind"], [t["tcId"] for t in scen["testGroups"][0]["tests"]]),
                         ("scenario", [1, 2, 3, 4]))
        with open(os.path.join(self.out, "runner", "impls.json")) as f:
            impls = json.load(f)["implementations"]
        self.assertEqual([i["name"] for i in impls], ["naive", "holds", "garbage", "missing"])


class Generator(unittest.TestCase):
    def test_mta_json_is_generated(self):
        proc = subprocess.run([PYTHON, os.path.join(GEN_DIR, "gen_mta_scenarios.py"), "--check"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_at_least_30_scenarios(self):
        with open(os.path.join(GEN_DIR, "mta.json")) as f:
            self.assertGreaterEqual(json.load(f)["numberOfTests"], 30)


if __name__ == "__main__":
    unittest.main()
