#!/usr/bin/python3
"""Resolve adapter (protocol: conformance/ADAPTERS.md, "Resolve protocol
(scenarios), version 1") for this project's resolver, `mtasts resolve`.

    resolve_adapter.py /path/to/mtasts

For each request line it runs

    mtasts resolve --json --cache-dir $MTASTS_WORLD_DIR/mtasts/cache \
        --ca-file $SSL_CERT_FILE --now NOW --timeout T --refresh R \
        [--starttls] --mx HOST... DOMAIN

and answers with what the command decided. --starttls is passed when the
request has "mxTls": true; the command then reaches each MX host over
SMTP (EHLO, STARTTLS, its certificate) and the answer's mxTls gives each
host's verdict and rpt. The clock is the scenario's
(--now), so `elapsed` needs no translation. At step 0 the domain's cache
file is removed: every scenario starts from an empty cache, and later
steps find what the earlier ones stored. --ca-file names the world's CA
and nothing else (the default store would add the system's CAs).

Python standard library only; runs on /usr/bin/python3.
"""
import json
import os
import subprocess
import sys
import tempfile

# Time allowed to one run beyond its timeouts (the fetch, and each MX
# host's SMTP conversation): the DNS lookups (two system-resolver attempts
# of 5 s each at worst, per name) and start-up.
MARGIN_SECONDS = 30


def cache_dir():
    base = os.environ.get("MTASTS_WORLD_DIR") or tempfile.mkdtemp(prefix="mtasts-resolve-")
    path = os.path.join(base, "mtasts", "cache")
    os.makedirs(path, exist_ok=True)
    return path


def cache_file(directory, domain):
    """The file `mtasts resolve` keeps the domain in: its name in lower
    case without a final dot (resolver/include/resolver_cache.h)."""
    name = domain.lower()
    if name.endswith("."):
        name = name[:-1]
    return os.path.join(directory, name)


def command(mtasts, directory, req):
    argv = [mtasts, "resolve", "--json", "--cache-dir", directory,
            "--now", str(int(req["now"])), "--timeout", str(int(req.get("timeout", 60))),
            "--refresh", str(int(req.get("refresh", 86400)))]
    ca_file = os.environ.get("SSL_CERT_FILE")
    if ca_file:
        argv += ["--ca-file", ca_file]
    if req.get("mxTls") is True:
        argv.append("--starttls")
    for host in req.get("mx", []):
        argv += ["--mx", host]
    return argv + ["--", req["domain"]]


def time_allowed(req):
    """The fetch timeout, plus one per MX host checked over SMTP."""
    timeout = int(req.get("timeout", 60))
    conversations = len(req.get("mx", [])) if req.get("mxTls") is True else 0
    return timeout * (1 + conversations) + MARGIN_SECONDS


def detail(result):
    """One line for the reports: what was found, fetched and decided."""
    words = ["txt " + result["discovery"]]
    if result.get("live_id"):
        words[0] += " id " + result["live_id"]
    cache = result["cache"]
    if cache["entry"]:
        words.append("cache %s id %s" % (cache["state"], cache["entry"]["id"]))
    fetch = result["fetch"]
    if fetch["attempted"]:
        what = "fetch " + fetch["reason"]
        if fetch["status"] is not None:
            what += " %d" % fetch["status"]
        if fetch["error"]:
            what += ": " + fetch["error"]
        words.append(what)
    elif fetch["needed"]:
        words.append("fetch %s deferred" % fetch["needed"])
    words.append(result["event"])
    for host, t in (result.get("mxTls") or {}).items():
        words.append("%s %s %s" % (host, t["tls"], t["verdict"]))
    return "; ".join(words)


def answer(req, result):
    out = {"tcId": req["tcId"], "step": req["step"], "apply": result["apply"],
           "mode": result["mode"], "mx": result["mx"], "rpt": result["rpt"]}
    if result["apply"] != "none":
        out["id"] = result["id"]
    # FORMAT.md: mxMatch is absent when the mode in force is none.
    if result["mode"] != "none":
        out["mxMatch"] = result["mxMatch"]
    if req.get("mxTls") is True:
        out["mxTls"] = {host: {"verdict": t["verdict"], "rpt": t["rpt"]}
                        for host, t in result["mxTls"].items()}
    out["detail"] = detail(result)
    return out


def failure(stderr):
    """The line of stderr that says why the command failed."""
    lines = stderr.strip().splitlines()
    for line in lines:
        if line.startswith("mtasts: ") and not line.startswith("mtasts: warning"):
            return line[len("mtasts: "):]
    return lines[-1] if lines else "no output"


def resolve(mtasts, directory, req):
    if req["step"] == 0:
        try:
            os.remove(cache_file(directory, req["domain"]))
        except FileNotFoundError:
            pass
    argv = command(mtasts, directory, req)
    try:
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=time_allowed(req))
    except subprocess.TimeoutExpired:
        return {"tcId": req["tcId"], "step": req["step"], "error": "mtasts resolve did not finish"}
    if p.stderr:
        sys.stderr.write(p.stderr)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = None
    if p.returncode != 0 or not isinstance(doc, dict) or doc.get("verdict") != "resolved":
        return {"tcId": req["tcId"], "step": req["step"],
                "error": "mtasts resolve exited %d: %s" % (p.returncode, failure(p.stderr))}
    return answer(req, doc["result"])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: resolve_adapter.py /path/to/mtasts")
    mtasts = sys.argv[1]
    directory = cache_dir()
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            out = resolve(mtasts, directory, req)
        except (OSError, KeyError, TypeError, ValueError) as e:
            out = {"tcId": req.get("tcId"), "step": req.get("step"), "error": "adapter: %s" % e}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
