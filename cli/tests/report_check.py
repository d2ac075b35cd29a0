#!/usr/bin/env python3
"""`mtasts report`: exact outputs, and memory that does not grow with the reports.

    report_check.py --mtasts BIN outputs    every input form, diagnostics, --json, exit statuses
    report_check.py --mtasts BIN html       the --html page rendered in headless Chromium shows
                                            the --json summary (exit 77 without Chromium)
    report_check.py --mtasts BIN memory     100 and 10,000 reports under valgrind's massif:
                                            the peak heap of the second run is at most
                                            MAX_HEAP_GROWTH bytes above the first

The inputs are made here (reports written for this test, gzip, a message, an mbox). Memory
is counted (heap bytes at massif's peak), never timed.
"""
import argparse
import base64
import gzip
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MAX_HEAP_GROWTH = 4096


def report(org="Sender A", day="2024-05-01", result="certificate-expired", mx="mx1.example.org",
           ip="192.0.2.10", ok=120, failed=2, extra=""):
    start = f"{day}T00:00:00Z"
    end = f"{day[:8]}{int(day[8:]) + 1:02d}T00:00:00Z"
    return ('{"organization-name":"%s","date-range":{"start-datetime":"%s","end-datetime":"%s"},'
            '"contact-info":"tlsrpt@sender.example","report-id":"%s_%s",'
            '"policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1",'
            '"mode: testing","mx: mx1.example.org","max_age: 86400"],'
            '"policy-domain":"example.org","mx-host":["mx1.example.org"]},'
            '"summary":{"total-successful-session-count":%d,"total-failure-session-count":%d},'
            '"failure-details":[{"result-type":"%s","sending-mta-ip":"%s",'
            '"receiving-mx-hostname":"%s","failed-session-count":%d%s}]}]}'
            % (org, start, end, day, org.replace(" ", ""), ok, failed, result, ip, mx, failed,
               extra))


def message(parts):
    """A multipart/report message (RFC 8460 5.3) with one tlsrpt+gzip part per report."""
    out = ["From: tlsrpt@sender.example", "To: tls@example.org",
           "Subject: Report Domain: example.org", "MIME-Version: 1.0",
           'Content-Type: multipart/report; report-type="tlsrpt"; boundary="b1"', "",
           "--b1", "Content-Type: text/plain", "", "A TLS report."]
    for i, body in enumerate(parts):
        out += ["--b1", "Content-Type: application/tlsrpt+gzip",
                "Content-Transfer-Encoding: base64",
                f'Content-Disposition: attachment; filename="r{i}.json.gz"', "",
                base64.encodebytes(gzip.compress(body.encode(), mtime=0)).decode().strip()]
    return "\n".join(out + ["--b1--", ""])


def run(mtasts, args, stdin=None):
    p = subprocess.run([mtasts] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def expect(failures, name, got, want):
    if got != want:
        failures.append(f"{name}:\n--- want\n{want}\n--- got\n{got}")


def outputs(mtasts):
    failures = []
    with tempfile.TemporaryDirectory() as d:
        def put(name, data, mode="w"):
            path = os.path.join(d, name)
            with open(path, mode) as f:
                f.write(data)
            return path

        a = put("a.json", report())
        b = put("b.json.gz", gzip.compress(report(org="Sender B", result="starttls-not-supported",
                                                  mx="mx2.example.org", ip="2001:db8::7",
                                                  ok=10, failed=5).encode(), mtime=0), "wb")
        eml = put("c.eml", message([report(failed=3), report(org="Sender B", ok=1, failed=1,
                                                              extra=',"failure-reason-code":'
                                                                    '"X509_V_ERR_CERT_HAS_EXPIRED"')]))
        mbox = put("d.mbox", "From x@y Mon Jan  1 00:00:00 2024\n" + message([report()]) +
                   "\nFrom x@y Mon Jan  1 00:00:00 2024\n" + message([report(day="2024-05-02")]))
        bad = put("bad.json", report(ip="192.0.2.256"))
        bomb = put("bomb.json.gz", gzip.compress(b" " * (17 * 1024 * 1024), mtime=0), "wb")
        other = put("note.txt", "hello\n")

        status, out, err = run(mtasts, ["report", a, b, eml, mbox])
        expect(failures, "four inputs", (status, out, err), (0, (
            "2024-05-01  Sender A: 360 sessions succeeded, 7 failed (3 reports)\n"
            "  7 x certificate-expired  mx mx1.example.org  from 192.0.2.10\n"
            "2024-05-01  Sender B: 11 sessions succeeded, 6 failed (2 reports)\n"
            "  5 x starttls-not-supported  mx mx2.example.org  from 2001:db8::7\n"
            "  1 x certificate-expired  mx mx1.example.org  from 192.0.2.10  "
            "(X509_V_ERR_CERT_HAS_EXPIRED)\n"
            "2024-05-02  Sender A: 120 sessions succeeded, 2 failed (1 report)\n"
            "  2 x certificate-expired  mx mx1.example.org  from 192.0.2.10\n"
            "6 reports read, 0 rejected\n"
            "MX hosts failing for every sender (yours to fix): mx1.example.org\n"
            "senders failing everywhere (theirs to fix): none\n"
            "ready for enforce: no\n"
            "  - 15 failed session(s), from 2 of 2 sender(s)\n"
            "  - the policies senders applied are not compared (no --policy FILE)\n"), ""))

        status, out, err = run(mtasts, ["report", "-"], stdin=open(bad, "rb").read())
        col = report(ip="192.0.2.256").index('"192.0.2.256"') + 1
        expect(failures, "rejected report", (status, out, err), (1, (
            f"<stdin>:1:{col}: error[E_REPORT_IP]: not an IPv4 (RFC 8460 4.4) or IPv6 "
            "(RFC 4291 2.2) address (at /policies/0/failure-details/0/sending-mta-ip)\n"
            "1 report read, 1 rejected\n"
            "MX hosts failing for every sender (yours to fix): none\n"
            "senders failing everywhere (theirs to fix): none\n"
            "ready for enforce: no\n"
            "  - 1 report(s) rejected\n"
            "  - the policies senders applied are not compared (no --policy FILE)\n"), ""))

        status, out, err = run(mtasts, ["--json", "report", a, bad])
        doc = json.loads(out)
        got = (status, doc["reports"], doc["rejected"], doc["days"], doc["diagnostics"])
        want = (1, 2, 1, [{"organization": "Sender A", "day": "2024-05-01", "reports": 1,
                           "successful": 120, "failed": 2, "failures": [
                               {"result-type": "certificate-expired", "mx-host": "mx1.example.org",
                                "sending-ip": "192.0.2.10", "reason": None, "sessions": 2}]}],
                [{"severity": "error", "name": "E_REPORT_IP", "code": 31,
                  "message": "not an IPv4 (RFC 8460 4.4) or IPv6 (RFC 4291 2.2) address",
                  "source": bad, "offset": col - 1, "line": 1, "column": col,
                  "pointer": "/policies/0/failure-details/0/sending-mta-ip"}])
        expect(failures, "--json", got, want)

        status, out, err = run(mtasts, ["report", bomb, other])
        expect(failures, "gzip bomb, not a report", (status, out, err), (2, (
            "0 reports read, 0 rejected\n"
            "MX hosts failing for every sender (yours to fix): none\n"
            "senders failing everywhere (theirs to fix): none\n"
            "ready for enforce: no\n"
            "  - no report read\n"
            "  - the policies senders applied are not compared (no --policy FILE)\n"), (
            f"mtasts: {bomb}: decompressed report larger than 16 MiB (MTASTS_REPORT_MAX_SIZE): "
            "not read\n"
            f"mtasts: {other}: neither a report (JSON, gzip) nor a mail message\n")))

        status, out, err = run(mtasts, ["--csv", "report", a, b, bad])
        expect(failures, "--csv", (status, out, err.count("error[E_REPORT_IP]")), (1, (
            "day,organization,reports,successful,failed,result-type,mx-host,sending-ip,reason,"
            "sessions\r\n"
            "2024-05-01,Sender A,1,120,2,certificate-expired,mx1.example.org,192.0.2.10,,2\r\n"
            "2024-05-01,Sender B,1,10,5,starttls-not-supported,mx2.example.org,2001:db8::7,,5\r\n"),
            1))
        comma = put("comma.json", report(org='Sender \\"C\\", Inc.', failed=0).replace(
            ',"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":'
            '"192.0.2.10","receiving-mx-hostname":"mx1.example.org","failed-session-count":0}]',
            ""))
        status, out, err = run(mtasts, ["--csv", "report", comma])
        expect(failures, "--csv quoting, a day without failures", (status, out, err), (0, (
            "day,organization,reports,successful,failed,result-type,mx-host,sending-ip,reason,"
            "sessions\r\n"
            '2024-05-01,"Sender ""C"", Inc.",1,120,0,,,,,\r\n'), ""))

        lenient = put("l.json", report().replace('"mx-host":["mx1.example.org"]',
                                                 '"mx-host":"mx1.example.org"'))
        status, out, err = run(mtasts, ["--profile", "lenient", "report", lenient])
        col = report().index('"mx-host"') + len('"mx-host":') + 1
        expect(failures, "lenient warning", (status, out.splitlines()[0], err), (
            0, f"{lenient}:1:{col}: warning[W_REPORT_MX_HOST_STRING]: mx-host is one string, "
               "not an array (lenient)", ""))
        policy_verdicts(mtasts, put, failures)
    for f in failures:
        print("FAIL " + f)
    print(f"report outputs: {len(failures)} failure(s)")
    return 1 if failures else 0


POLICY_STRING = ('"policy-string":["version: STSv1","mode: testing","mx: mx1.example.org",'
                 '"max_age: 86400"],')
NO_FAILURES = (',"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":'
               '"192.0.2.10","receiving-mx-hostname":"mx1.example.org","failed-session-count":0}]')


def policy_verdicts(mtasts, put, failures):
    """--policy (compared as policies: mx case and order do not matter), the MX hosts failing
    for every sender, the senders failing everywhere and "ready for enforce"."""
    policy = put("policy.txt", "version: STSv1\nmode: testing\nmx: MX1.example.org\n"
                               "max_age: 86400\n")
    clean = [put(f"clean{o}.json", report(org=f"Sender {o}", failed=0).replace(NO_FAILURES, ""))
             for o in "AB"]
    status, out, err = run(mtasts, ["report", "--policy", policy] + clean)
    expect(failures, "--policy, ready", (status, out, err), (0, (
        "2024-05-01  Sender A: 120 sessions succeeded, 0 failed (1 report)\n"
        "2024-05-01  Sender B: 120 sessions succeeded, 0 failed (1 report)\n"
        "2 reports read, 0 rejected\n"
        f"policy applied, against --policy {policy}:\n"
        "  Sender A: yours (120 sessions)\n"
        "  Sender B: yours (120 sessions)\n"
        "MX hosts failing for every sender (yours to fix): none\n"
        "senders failing everywhere (theirs to fix): none\n"
        "ready for enforce: yes\n"), ""))

    a = put("pa.json", report(org="Sender A"))
    b = put("pb.json", report(org="Sender B").replace("max_age: 86400", "max_age: 604800"))
    c = put("pc.json", report(org="Sender C", ok=0, failed=3).replace(
        '"mx: mx1.example.org"', '"mx: *.example.net","mx: mx1.example.org"'))
    d = put("pd.json", report(org="Sender D").replace('"policy-type":"sts",' + POLICY_STRING,
                                                      '"policy-type":"no-policy-found",'))
    e = put("pe.json", report(org="Sender A", day="2024-05-02", ok=7, failed=0).replace(
        "mode: testing", "mode: enforce").replace(NO_FAILURES, ""))
    status, out, err = run(mtasts, ["report", "--policy", policy, a, b, c, d, e])
    expect(failures, "--policy, not ready", (status, "\n".join(out.splitlines()[10:]), err), (0, (
        f"policy applied, against --policy {policy}:\n"
        "  Sender A: yours (122 sessions), another (7 sessions: mode enforce, yours testing)\n"
        "  Sender B: another (122 sessions: max_age 604800, yours 86400)\n"
        "  Sender C: another (3 sessions: mx *.example.net, not in yours)\n"
        "  Sender D: no policy found (122 sessions)\n"
        "MX hosts failing for every sender (yours to fix): mx1.example.org\n"
        "senders failing everywhere (theirs to fix): Sender C\n"
        "ready for enforce: no\n"
        "  - 9 failed session(s), from 4 of 4 sender(s)\n"
        "  - 3 sender(s) applied another policy than yours\n"
        "  - 1 sender(s) found no policy"), ""))

    status, out, err = run(mtasts, ["--json", "report", "--policy", policy, b, c])
    doc = json.loads(out)
    expect(failures, "--policy --json", (status, doc["senders"], doc["mx-failing-for-every-sender"],
                                         doc["ready-for-enforce"]), (0, [
        {"organization": "Sender B", "successful": 120, "failed": 2, "failing-everywhere": False,
         "policy": {"yours": 0, "another": 122, "difference": "max_age 604800, yours 86400",
                    "no-policy-found": 0}},
        {"organization": "Sender C", "successful": 0, "failed": 3, "failing-everywhere": True,
         "policy": {"yours": 0, "another": 3, "difference": "mx *.example.net, not in yours",
                    "no-policy-found": 0}}], ["mx1.example.org"],
        {"ready": False, "reasons": ["5 failed session(s), from 2 of 2 sender(s)",
                                     "2 sender(s) applied another policy than yours"]}))
    status, out, err = run(mtasts, ["--json", "report", a])
    expect(failures, "--json without --policy", (json.loads(out)["senders"][0]["policy"]), None)

    bad = put("bad-policy.txt", "version: STSv1\n")
    status, out, err = run(mtasts, ["report", "--policy", bad, a])
    expect(failures, "--policy not a policy", (status, out, err), (2, "", (
        f"mtasts: --policy {bad}: not a valid policy: E_POLICY_MISSING_MODE at byte 15 "
        "(see mtasts policy)\n")))


def dump_dom(chromium, path, work):
    profile = tempfile.mkdtemp(dir=work)
    p = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update",
                        "--user-data-dir=" + profile, "--dump-dom", "file://" + path],
                       capture_output=True, timeout=120)
    return p.stdout.decode("utf-8", "replace")


def html(mtasts):
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if not chromium:
        print("skipped: no chromium")
        return 77
    failures = []
    with tempfile.TemporaryDirectory() as d:
        files = []
        for i, (org, day, failed) in enumerate([("Sender <i>&</script>", "2024-05-01", 2),
                                                ("Sender B", "2024-05-01", 0),
                                                ("Sender A", "2024-05-02", 7)]):
            files.append(os.path.join(d, f"r{i}.json"))
            with open(files[-1], "w") as f:
                f.write(report(org=org, day=day, failed=failed))
        files.append(os.path.join(d, "bad.json"))
        with open(files[-1], "w") as f:
            f.write(report(ip="192.0.2.256"))
        page = os.path.join(d, "page.html")
        policy = os.path.join(d, "policy.txt")
        with open(policy, "w") as f:
            f.write("version: STSv1\nmode: testing\nmx: mx1.example.org\nmax_age: 604800\n")
        with open(page, "w") as f:
            status = subprocess.run([mtasts, "--html", "report", "--policy", policy] + files,
                                    stdout=f).returncode
        want = json.loads(run(mtasts, ["--json", "report", "--policy", policy] + files)[1])
        dom = dump_dom(chromium, page, d)
        expect(failures, "exit status", status, 1)
        expect(failures, "rendered", re.findall(r'<body[^>]*data-render[^>]*>', dom),
               ['<body data-rendered="true">'])
        rows = re.findall(r'<tr class="day">(.*?)</tr>', dom)
        expect(failures, "rows", [[htmllib.unescape(c) for c in
                                   re.findall(r"<td[^>]*>([^<]*)</td>", r)[:5]] for r in rows],
               [[x["day"], x["organization"], str(x["reports"]), str(x["successful"]),
                 str(x["failed"])] for x in want["days"]])
        failures_shown = sum(len(re.findall(r'<li class="failure">', r)) for r in rows)
        expect(failures, "failures", failures_shown, sum(len(x["failures"]) for x in want["days"]))
        expect(failures, "a name with markup is shown as text",
               "Sender &lt;i&gt;&amp;&lt;/script&gt;" in dom, True)
        bars = re.findall(r'<g class="bar" data-day="([^"]+)" data-successful="(\d+)" '
                          r'data-failed="(\d+)"', dom)
        per_day = {}
        for x in want["days"]:
            s, f = per_day.get(x["day"], (0, 0))
            per_day[x["day"]] = (s + x["successful"], f + x["failed"])
        expect(failures, "bars", bars, [(k, str(v[0]), str(v[1])) for k, v in
                                        sorted(per_day.items())])
        expect(failures, "diagnostics", len(re.findall(r'<li class="(error|warning)">', dom)),
               len(want["diagnostics"]))
        expect(failures, "ready for enforce", re.findall(r'<span id="ready">([^<]*)</span>', dom),
               ["no"])
        expect(failures, "reasons", [htmllib.unescape(x) for x in
                                     re.findall(r'<li class="reason">([^<]*)</li>', dom)],
               want["ready-for-enforce"]["reasons"])
        expect(failures, "verdicts", [htmllib.unescape(x) for x in re.findall(
            r'<li class="(?:mx-all|failing-everywhere|policy)">([^<]*)</li>', dom)], [
            "MX hosts failing for every sender (yours to fix): none",
            "senders failing everywhere (theirs to fix): none",
            "Sender <i>&</script>: yours 0, another 122 (max_age 86400, yours 604800), "
            "no policy found 0",
            "Sender A: yours 0, another 127 (max_age 86400, yours 604800), no policy found 0",
            "Sender B: yours 0, another 120 (max_age 86400, yours 604800), no policy found 0"])
    for f in failures:
        print("FAIL " + f)
    print(f"report --html: {len(failures)} failure(s)")
    return 1 if failures else 0


def peak_heap(mtasts, directory, work):
    out = os.path.join(work, "massif.out")
    subprocess.run(["valgrind", "--tool=massif", "--massif-out-file=" + out, mtasts, "-q",
                    "report", directory], check=False, capture_output=True)
    with open(out, encoding="utf-8") as f:
        return max(int(x) for x in re.findall(r"^mem_heap_B=(\d+)$", f.read(), re.M))


def memory(mtasts):
    peaks = {}
    with tempfile.TemporaryDirectory() as work:
        for n in (100, 10000):
            d = os.path.join(work, str(n))
            os.mkdir(d)
            for i in range(n):
                # 10 senders, 3 kinds of failure: the summary stays 10 rows of at most 3.
                body = report(org=f"Sender {i % 10}", result=("certificate-expired",
                                                              "starttls-not-supported",
                                                              "validation-failure")[i % 3])
                with open(os.path.join(d, f"r{i:05d}.json"), "w") as f:
                    f.write(body)
            status, out, _ = run(mtasts, ["--json", "report", d])
            if json.loads(out)["reports"] != n:
                print(f"FAIL {n} reports written, {json.loads(out)['reports']} read")
                return 1
            peaks[n] = peak_heap(mtasts, d, work)
    growth = peaks[10000] - peaks[100]
    print(f"peak heap: 100 reports {peaks[100]} bytes, 10,000 reports {peaks[10000]} bytes "
          f"(growth {growth}, at most {MAX_HEAP_GROWTH})")
    return 0 if growth <= MAX_HEAP_GROWTH else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtasts", required=True)
    ap.add_argument("part", choices=["outputs", "html", "memory"])
    a = ap.parse_args()
    return {"outputs": outputs, "html": html, "memory": memory}[a.part](a.mtasts)


if __name__ == "__main__":
    sys.exit(main())
