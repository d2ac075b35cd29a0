"""The fixture scenarios through a resolver that really queries the world
(tests/world_client_adapter.py): the world serves what the scenarios say, phase by phase, and
the driver carries a resolver's cache across phases; the MX hosts' SMTP servers answer each
as its smtp entry says, and the driver judges the mxTls answer. Needs root; takes about 7 s
(the slow body waits out its 5 s timeout)."""

import json
import os
import subprocess
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(TESTS)))
DRIVER = os.path.join(os.path.dirname(TESTS), "run_scenarios.py")
FIXTURES = os.path.join(TESTS, "fixtures")

# (tcId, step) -> the adapter's `detail`: what it met in the world at that step.
DETAILS = {
    (1, 0): "discovery valid; fetched (length)",
    (1, 1): "discovery valid",
    (1, 2): "discovery valid; fetched (length)",
    (2, 0): "discovery valid; fetched (length)",
    (2, 1): "discovery valid; fetched (length)",
    (3, 0): "discovery valid; fetched (length)",
    (3, 1): "discovery absent",
    (3, 2): "discovery dns-error",
    (4, 0): "discovery valid; status 404",
    (5, 0): "discovery valid; certificate: certificate has expired",
    (6, 0): "discovery valid; content type None",
    (7, 0): "discovery valid; fetched (chunked)",
    (8, 0): "discovery valid; fetch: timed out",
    (9, 0): "discovery valid; fetched (length); mx1.s09.world.test: verified; "
            "mx2.s09.world.test: certificate has expired; "
            "mx3.s09.world.test: STARTTLS not advertised; "
            "mx4.s09.world.test: Hostname mismatch, certificate is not valid for "
            "'mx4.s09.world.test'.; mx.other-s09.world.test: not in the policy",
}


class EndToEnd(unittest.TestCase):
    def test_fixture_scenarios_in_the_real_world(self):
        with tempfile.TemporaryDirectory(prefix="world-test-") as tmp:
            out = os.path.join(tmp, "out")
            proc = subprocess.run(
                ["/usr/bin/python3", DRIVER,
                 "--scenarios", os.path.join(FIXTURES, "scenarios-mini.json"),
                 "--impls", os.path.join(FIXTURES, "impls-world-client.json"),
                 "--out", out], capture_output=True, text=True, timeout=120, cwd=ROOT)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            with open(os.path.join(out, "scenario-results.json")) as f:
                results = json.load(f)
        self.assertEqual([(e["name"], e["status"], e["counts"]["pass"])
                          for e in results["implementations"]], [("world-client", "ran", 9)])
        details = {(row["tcId"], step["step"]): step["got"]["detail"]
                   for row in results["results"] for step in row["steps"]}
        self.assertEqual(details, DETAILS)
        self.assertIn("world-client       9     0           0            0      0", proc.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
