"""The pure parts of the world and the driver, as tables: judging, answer validation, phase
merging and its refusals, SMTP host addresses, requests, the dnsmasq configuration text. No
root, no servers."""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dns_server  # noqa: E402
import judge  # noqa: E402
import run_scenarios  # noqa: E402
import scenarios  # noqa: E402

EXPECT = {"apply": "new", "mode": "enforce", "id": "abc", "mx": ["mx1.a.test", "*.b.test"],
          "rpt": "", "mxMatch": {"mx1.a.test": True, "evil.test": False}}
NONE = {"apply": "none", "mode": "none", "mx": [], "rpt": "sts-policy-fetch-error"}
DELIVER = {"verdict": "deliver", "rpt": ""}
EXPIRED = {"verdict": "refuse", "rpt": "certificate-expired"}
TLS = dict(EXPECT, mxTls={"mx1.a.test": DELIVER, "evil.test": EXPIRED})


class Differences(unittest.TestCase):
    CASES = [
        # (name, got, expect, [differing fields])
        ("everything equal", dict(EXPECT), EXPECT, []),
        ("nothing reported is nothing compared", {"detail": "x"}, EXPECT, []),
        ("mx: a set, case-insensitive", {"mx": ["*.B.test", "MX1.a.test"]}, EXPECT, []),
        ("mx: duplicates do not matter", {"mx": ["mx1.a.test", "*.b.test", "MX1.A.TEST"]},
         EXPECT, []),
        ("mx: one missing", {"mx": ["mx1.a.test"]}, EXPECT, ["mx"]),
        ("mxMatch: host names case-insensitive", {"mxMatch": {"MX1.a.test": True,
                                                              "evil.TEST": False}}, EXPECT, []),
        ("mxMatch: one value differs", {"mxMatch": {"mx1.a.test": True, "evil.test": True}},
         EXPECT, ["mxMatch"]),
        ("mxMatch: one host missing", {"mxMatch": {"mx1.a.test": True}}, EXPECT, ["mxMatch"]),
        ("id: null is absent", {"id": None}, NONE, []),
        ("id: reported but expected absent", {"id": "abc"}, NONE, ["id"]),
        ("mxMatch: empty is absent", {"mxMatch": {}}, NONE, []),
        ("mxMatch: reported but expected absent", {"mxMatch": {"x": False}}, NONE, ["mxMatch"]),
        ("rpt: empty string is a value", {"rpt": ""}, NONE, ["rpt"]),
        ("mx: not compared when no policy is expected in force", {"mx": ["kept.test"]}, NONE,
         []),
        ("mx: compared under testing", {"mx": []}, dict(EXPECT, mode="testing"), ["mx"]),
        ("fields in order", {"rpt": "x", "apply": "cached", "mode": "testing"}, EXPECT,
         ["apply", "mode", "rpt"]),
        ("mxTls: equal, host names case-insensitive",
         {"mxTls": {"MX1.a.test": DELIVER, "evil.TEST": EXPIRED}}, TLS, []),
        ("mxTls: other members of a host's object are not compared",
         {"mxTls": {"mx1.a.test": dict(DELIVER, detail="x"), "evil.test": EXPIRED}}, TLS, []),
        ("mxTls: a verdict differs", {"mxTls": {"mx1.a.test": DELIVER, "evil.test":
                                                dict(EXPIRED, verdict="deliver-and-report")}},
         TLS, ["mxTls evil.test"]),
        ("mxTls: an rpt differs", {"mxTls": {"mx1.a.test": dict(DELIVER, rpt="validation-failure"),
                                             "evil.test": EXPIRED}}, TLS, ["mxTls mx1.a.test"]),
        ("mxTls: host by host, in host order",
         {"mxTls": {"mx1.a.test": EXPIRED, "evil.test": DELIVER}}, TLS,
         ["mxTls evil.test", "mxTls mx1.a.test"]),
        ("mxTls: a host missing", {"mxTls": {"mx1.a.test": DELIVER}}, TLS, ["mxTls evil.test"]),
        ("mxTls: a host too many", {"mxTls": {"mx1.a.test": DELIVER, "evil.test": EXPIRED,
                                              "x.test": DELIVER}}, TLS, ["mxTls x.test"]),
        ("mxTls: reported but not expected", {"mxTls": {"mx1.a.test": DELIVER}}, EXPECT,
         ["mxTls"]),
        ("mxTls: empty is absent", {"mxTls": {}}, EXPECT, []),
        ("mxTls: empty where expected", {"mxTls": {}}, TLS, ["mxTls"]),
        ("mxTls: not reported is not compared", {"apply": "new"}, TLS, []),
    ]

    def test_cases(self):
        for name, got, expect, fields in self.CASES:
            with self.subTest(name):
                self.assertEqual([d[0] for d in judge.differences(got, expect)], fields)


class AnswerProblems(unittest.TestCase):
    CASES = [
        ({"apply": "new"}, None),
        ({"error": "why"}, None),
        ({"unsupported": "why"}, None),
        ({"error": 3}, "error must be a string"),
        ({"detail": "only"}, "no decision member (apply, mode, id, mx, rpt, mxMatch, mxTls) "
                             "and no error/unsupported"),
        ({"mxTls": {"h": {"verdict": "refuse", "rpt": "certificate-not-trusted"}}}, None),
        ({"mxTls": {}}, None),
        ({"mxTls": []}, "mxTls has a bad value: []"),
        ({"mxTls": {"h": "deliver"}}, 'mxTls has a bad value: {"h": "deliver"}'),
        ({"mxTls": {"h": {"verdict": "deliver"}}},
         'mxTls has a bad value: {"h": {"verdict": "deliver"}}'),
        ({"mxTls": {"h": {"verdict": "bounce", "rpt": ""}}},
         'mxTls has a bad value: {"h": {"verdict": "bounce", "rpt": ""}}'),
        ({"mxTls": {"h": {"verdict": "refuse", "rpt": "sts-webpki-invalid"}}},
         'mxTls has a bad value: {"h": {"verdict": "refuse", "rpt": "sts-webpki-invalid"}}'),
        ({"apply": "maybe"}, 'apply has a bad value: "maybe"'),
        ({"mode": "strict"}, 'mode has a bad value: "strict"'),
        ({"id": 5}, "id has a bad value: 5"),
        ({"mx": "a"}, 'mx has a bad value: "a"'),
        ({"mx": [1]}, "mx has a bad value: [1]"),
        ({"rpt": "sts-other"}, 'rpt has a bad value: "sts-other"'),
        ({"mxMatch": {"a": 1}}, 'mxMatch has a bad value: {"a": 1}'),
        ({"mxMatch": []}, "mxMatch has a bad value: []"),
        ({"apply": "none", "detail": 1}, "detail must be a string"),
    ]

    def test_cases(self):
        for answer, problem in self.CASES:
            with self.subTest(answer=answer):
                self.assertEqual(judge.answer_problem(answer), problem)


def _step(expect=EXPECT, acceptable=None):
    step = {"at": 0, "expect": expect}
    if acceptable is not None:
        step["acceptable"] = acceptable
    return step


class Verdicts(unittest.TestCase):
    def outcome(self, index, got, step=None):
        return judge.StepOutcome(index, step or _step(), got)

    def test_step_verdicts(self):
        cases = [
            (dict(EXPECT), _step(), "pass", None),
            ({"mode": "testing"}, _step(), "fail",
             'step 0: mode: got "testing", expected "enforce"'),
            (dict(NONE), _step(acceptable=[NONE]), "acceptable",
             "step 0 matches an acceptable outcome"),
            ({"mode": "testing"}, _step(acceptable=[NONE]), "fail",
             'step 0: mode: got "testing", expected "enforce"'),
            ({"error": "boom"}, _step(), "error", "step 0: boom"),
            ({"unsupported": "no clock"}, _step(), "unsupported", "step 0: no clock"),
            ({"mxTls": {"mx1.a.test": DELIVER, "evil.test": DELIVER}}, _step(TLS), "fail",
             'step 0: mxTls evil.test: got {"verdict": "deliver", "rpt": ""}, expected '
             '{"verdict": "refuse", "rpt": "certificate-expired"}'),
            ({"mxTls": {"mx1.a.test": DELIVER}}, _step(TLS), "fail",
             'step 0: mxTls evil.test: got absent, expected {"verdict": "refuse", "rpt": '
             '"certificate-expired"}'),
            ({"mxTls": {"mx1.a.test": DELIVER}}, _step(), "fail",
             'step 0: mxTls: got {"mx1.a.test": {"verdict": "deliver", "rpt": ""}}, expected '
             'absent'),
        ]
        for got, step, verdict, reason in cases:
            with self.subTest(got=got):
                outcome = self.outcome(0, got, step)
                self.assertEqual((outcome.verdict, outcome.reason), (verdict, reason))

    def test_compared_lists_what_was_reported(self):
        outcome = self.outcome(1, {"mxMatch": {}, "apply": "new", "mx": [], "detail": "d"})
        self.assertEqual(outcome.as_json()["compared"], ["apply", "mx", "mxMatch"])
        none = self.outcome(1, {"apply": "none", "mx": ["x"]}, _step(NONE))
        self.assertEqual(none.as_json()["compared"], ["apply"])
        self.assertEqual(self.outcome(1, {"error": "x"}).as_json()["compared"], [])

    def test_scenario_verdict_first_bad_step_decides(self):
        ok = self.outcome(0, dict(EXPECT))
        alt = self.outcome(1, dict(NONE), _step(acceptable=[NONE]))
        bad = self.outcome(2, {"apply": "none"})
        err = self.outcome(2, {"error": "gone"})
        cases = [
            ([ok, ok], ("pass", None)),
            ([ok, alt], ("acceptable", "step 1 matches an acceptable outcome")),
            ([alt, bad], ("fail", 'step 2: apply: got "none", expected "new"')),
            ([bad, err], ("fail", 'step 2: apply: got "none", expected "new"')),
            ([ok, err], ("error", "step 2: gone")),
            ([], ("error", "no step was answered")),
        ]
        for outcomes, expected in cases:
            with self.subTest(expected=expected):
                self.assertEqual(judge.scenario_verdict(outcomes), expected)


def _txt(name, *strings):
    return {"name": name, "type": "TXT", "strings": list(strings)}


def _entry(host, **changes):
    entry = {"host": host, "cert": "valid", "status": 200, "contentType": "text/plain",
             "body": "b"}
    entry.update(changes)
    return entry


class PhaseMerging(unittest.TestCase):
    def test_refusals(self):
        cases = [
            ({"dns": [_txt("a.example.com", "x")]},
             "a.example.com is not under world.test: the world serves nothing else"),
            ({"dns": [_txt("a.world.test", "x" * 256)]},
             "longer than 255 bytes (one character-string holds at most 255)"),
            ({"dns": [_txt("a.world.test", "a\x00b")]}, "control character U+0000"),
            ({"dns": [_txt("a.world.test", "\x7f")]}, "control character U+007F"),
            ({"dns": [_txt("a.world.test")]}, "a TXT record needs at least one string"),
            ({"dns": [_txt("a b.world.test", "x")]}, "bad DNS name 'a b.world.test'"),
            ({"https": [_entry("h.world.test; }")]}, "bad DNS name 'h.world.test; }'"),
            ({"dns": [{"name": "m.world.test", "type": "MX", "preference": 1,
                       "exchange": "a,b"}]}, "bad DNS name 'a,b'"),
            ({"dns": [{"name": "a.world.test", "type": "AAAA"}]}, "unknown record type 'AAAA'"),
            ({"dns": [{"name": "a.world.test", "type": "A", "address": "::1"}]},
             "bad A address '::1'"),
            ({"dns": [{"name": "a.world.test", "type": "MX", "preference": -1,
                       "exchange": "m"}]}, "bad MX preference -1"),
            ({"dns": [{"name": "a.world.test", "type": "SERVFAIL"}, _txt("a.world.test", "x")]},
             "a.world.test: SERVFAIL and other records at one name"),
            ({"dns": [{"name": "a.world.test", "type": "SERVFAIL"}, _txt("b.a.world.test", "x")]},
             "b.a.world.test: records below the SERVFAIL name a.world.test"),
            ({"dns": [{"name": "a.world.test", "type": "CNAME", "target": "b.world.test"},
                      _txt("a.world.test", "x")]}, "a.world.test: a CNAME cannot share its name"),
            ({"https": [_entry("h.world.test", cert="odd")]}, "unknown cert kind 'odd'"),
            ({"https": [_entry("h.world.test", status=99)]}, "bad status 99"),
            ({"https": [_entry("h.world.test", transfer="gzip")]}, "bad transfer 'gzip'"),
            ({"https": [_entry("h.world.test", contentType="a\r\nb")]}, "bad contentType"),
            ({"https": [{k: v for k, v in _entry("h.world.test").items()
                         if k != "contentType"}]}, "contentType missing"),
            ({"https": [_entry("h.world.test"), _entry("h.world.test", body="other")]},
             "https h.world.test: host already served differently for tcId spec"),
        ]
        for spec, message in cases:
            with self.subTest(message):
                with self.assertRaises(scenarios.SpecError) as caught:
                    scenarios.world_from_dict(spec)
                self.assertIn(message, str(caught.exception))

    def test_merge_deduplicates_and_normalizes(self):
        world = scenarios.world_from_dict({
            "dns": [_txt("A.World.Test.", "x"), _txt("a.world.test", "x"),
                    _txt("a.world.test", "y")],
            "https": [_entry("H.world.test"), _entry("h.world.test")]})
        self.assertEqual(world.all_records(), [_txt("a.world.test", "x"),
                                               _txt("a.world.test", "y")])
        self.assertEqual(list(world.https), ["h.world.test"])
        self.assertEqual(world.https["h.world.test"]["transfer"], "length")

    def test_phases_of_scenarios(self):
        tests = [{"tcId": 2, "steps": [{"world": {"dns": [_txt("b.world.test", "2")]}}]},
                 {"tcId": 1, "steps": [{"world": {"dns": [_txt("a.world.test", "1a")]}},
                                       {"world": {"dns": [_txt("a.world.test", "1b")]}}]}]
        self.assertEqual(scenarios.phase_count(tests), 2)
        self.assertEqual([t["tcId"] for t in scenarios.in_phase(tests, 1)], [1])
        self.assertEqual(scenarios.phase_world(tests, 1).all_records(),
                         [_txt("a.world.test", "1b")])
        self.assertEqual(len(scenarios.phase_world(tests, 0).all_records()), 2)


def _a(name, address="127.0.0.1"):
    return {"name": name, "type": "A", "address": address}


def _smtp(host, cert="valid", starttls=True):
    return {"host": host, "cert": cert, "starttls": starttls}


class SmtpHosts(unittest.TestCase):
    def test_refusals(self):
        cases = [
            ({"dns": [_a("m.world.test")], "smtp": [_smtp("m.world.test", cert="odd")]},
             "tcId spec: smtp m.world.test: unknown cert kind 'odd'"),
            ({"dns": [_a("m.world.test")], "smtp": [_smtp("m.world.test", starttls="yes")]},
             "starttls must be true or false"),
            ({"dns": [_a("m.world.test")], "smtp": [dict(_smtp("m.world.test"), port=26)]},
             "unknown member port"),
            ({"smtp": [_smtp("m.example.com")]}, "m.example.com is not under world.test"),
            ({"dns": [_a("m.world.test")],
              "smtp": [_smtp("m.world.test"), _smtp("M.world.test", starttls=False)]},
             "smtp M.world.test: host already served differently for tcId spec"),
            ({"smtp": [_smtp("m.world.test")]},
             'smtp m.world.test: needs exactly one A record 127.0.0.1 at its name (the world '
             "serves it with the host's own address); has []"),
            ({"dns": [_a("m.world.test", "127.0.0.2")], "smtp": [_smtp("m.world.test")]},
             'has ["127.0.0.2"]'),
            ({"dns": [_a("m.world.test"), _a("m.world.test", "127.0.0.2")],
              "smtp": [_smtp("m.world.test")]}, 'has ["127.0.0.1", "127.0.0.2"]'),
            ({"dns": [{"name": "m.world.test", "type": "CNAME", "target": "n.world.test"}],
              "smtp": [_smtp("m.world.test")]}, 'has ["CNAME"]'),
            ({"dns": [_a("m.world.test")], "https": [_entry("m.world.test")],
              "smtp": [_smtp("m.world.test")]},
             "smtp m.world.test: also an HTTPS host (HTTPS is served on 127.0.0.1 only"),
        ]
        for spec, message in cases:
            with self.subTest(message):
                with self.assertRaises(scenarios.SpecError) as caught:
                    scenarios.world_from_dict(spec)
                self.assertIn(message, str(caught.exception))

    def test_addresses_in_name_order_and_a_records_rewritten(self):
        world = scenarios.world_from_dict({
            "dns": [_a("b.world.test"), _a("A.world.test"), _a("c.world.test"),
                    _txt("b.world.test", "kept")],
            "smtp": [_smtp("b.world.test", starttls=False), _smtp("a.world.test"),
                     _smtp("B.world.test.", starttls=False)]})
        self.assertEqual(world.smtp, {
            "a.world.test": dict(_smtp("a.world.test"), address="127.0.1.1"),
            "b.world.test": dict(_smtp("b.world.test", starttls=False), address="127.0.1.2")})
        self.assertEqual(world.all_records(), [_a("a.world.test", "127.0.1.1"),
                                               _a("b.world.test", "127.0.1.2"),
                                               _txt("b.world.test", "kept"),
                                               _a("c.world.test")])

    def test_a_host_keeps_its_address_in_every_phase(self):
        def step(*hosts):
            return {"world": {"dns": [_a(h) for h in hosts], "smtp": [_smtp(h) for h in hosts]}}
        tests = [{"tcId": 1, "steps": [step("z.world.test"), step("z.world.test")]},
                 {"tcId": 2, "steps": [step("a.world.test")]}]
        self.assertEqual(scenarios.phase_world(tests, 0).smtp["z.world.test"]["address"],
                         "127.0.1.2")
        self.assertEqual(scenarios.phase_world(tests, 1).smtp["z.world.test"]["address"],
                         "127.0.1.2")
        self.assertEqual(scenarios.smtp_addresses(["h%d.world.test" % i for i in range(300)])
                         ["h99.world.test"], "127.0.2.44")

    def test_requests_ask_for_mx_tls_only_with_smtp_servers(self):
        with_smtp = {"at": 0, "mx": ["m.world.test"],
                     "world": {"dns": [], "smtp": [_smtp("m.world.test")]}}
        without = {"at": 120, "mx": ["m.world.test"], "world": {"dns": [], "smtp": []}}
        test = {"tcId": 5, "domain": "s05.world.test", "steps": [with_smtp, without]}
        self.assertEqual(run_scenarios.request_for(test, 0, 1000), {
            "tcId": 5, "step": 0, "domain": "s05.world.test", "now": 1000, "elapsed": 0,
            "timeout": 5, "refresh": 86400, "mx": ["m.world.test"], "mxTls": True})
        self.assertNotIn("mxTls", run_scenarios.request_for(test, 1, 1000))


class DnsmasqConfig(unittest.TestCase):
    def test_record_lines(self):
        cases = [
            (_txt("a.world.test", 'v=STSv1; id="x\\y";', "# ,end\t"),
             'txt-record=a.world.test,"v=STSv1; id=\\"x\\\\y\\";","# ,end\\t"'),
            ({"name": "h.world.test", "type": "A", "address": "127.0.0.2"},
             "host-record=h.world.test,127.0.0.2"),
            ({"name": "c.world.test", "type": "CNAME", "target": "t.world.test"},
             "cname=c.world.test,t.world.test"),
            ({"name": "m.world.test", "type": "MX", "preference": 5, "exchange": "mx.world.test"},
             "mx-host=m.world.test,mx.world.test,5"),
            ({"name": "f.world.test", "type": "SERVFAIL"}, "server=/f.world.test/127.0.0.1#5300"),
        ]
        for record, line in cases:
            with self.subTest(line):
                self.assertEqual(dns_server.record_line(record, 5300), line)

    def test_config_has_no_upstream_and_local_zone(self):
        text = dns_server.config_text([], 5300, "/x/dnsmasq.log")
        for line in ("no-resolv", "no-hosts", "local=/world.test/", "local-ttl=0",
                     "cache-size=0", "listen-address=127.0.0.1", "bind-interfaces"):
            self.assertIn(line + "\n", text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
