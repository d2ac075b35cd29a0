#!/usr/bin/python3
"""A resolve adapter (protocol v1) that answers from a script: the driver's judging tests.

  scripted_adapter.py NAME SCENARIOS.json SCRIPT.json

SCRIPT: {"default": ACTION, "steps": {"TCID/STEP": ACTION, ...}}. ACTION is one of
  "expect"           the step's expect (every field)
  "acceptable:N"     the step's N-th acceptable outcome
  "partial"          only apply and mode of expect (a resolver that observes less)
  {"answer": {...}}  these members (tcId and step are added)
  {"changes": {...}} the step's expect with these members replaced
  "error" / "unsupported"   an error / unsupported answer with the reason "scripted"
  "crash"            exit 3 without answering
  "crash-always"     the same, and at every later request too (no ACTION applies any more)
  "hang"             never answer
  "garbage"          a line that is not JSON
  "wrong-tcid"       an answer for tcId + 1000
and "exit_status": N is the status to exit with at EOF (default 0).
Every request is appended to $MTASTS_WORLD_DIR/NAME/requests.jsonl, and what the adapter sees
of its environment to start.jsonl when it starts, so the tests can check what was sent.
"""

import json
import os
import socket
import sys
import time


def record(directory, filename, obj):
    with open(os.path.join(directory, filename), "a") as f:
        f.write(json.dumps(obj) + "\n")


def environment_seen():
    with open("/etc/resolv.conf") as f:
        resolv = f.read()
    return {"cwd": os.getcwd(), "SSL_CERT_FILE": os.environ.get("SSL_CERT_FILE"),
            "NODE_EXTRA_CA_CERTS": os.environ.get("NODE_EXTRA_CA_CERTS"),
            "MTASTS_WORLD_DIR": os.environ.get("MTASTS_WORLD_DIR"), "resolv.conf": resolv,
            "interfaces": sorted(n for _i, n in socket.if_nameindex())}


def answer_for(action, request, step):
    base = {"tcId": request["tcId"], "step": request["step"]}
    if action == "expect":
        return dict(base, **step["expect"])
    if isinstance(action, str) and action.startswith("acceptable:"):
        return dict(base, **step["acceptable"][int(action.split(":")[1])])
    if action == "partial":
        return dict(base, apply=step["expect"]["apply"], mode=step["expect"]["mode"])
    if isinstance(action, dict) and "changes" in action:
        return dict(base, **dict(step["expect"], **action["changes"]))
    if isinstance(action, dict):
        return dict(base, **action["answer"])
    if action in ("error", "unsupported"):
        return dict(base, **{action: "scripted"})
    if action == "wrong-tcid":
        return dict(step["expect"], tcId=request["tcId"] + 1000, step=request["step"])
    raise ValueError("unknown action %r" % (action,))


def main(argv):
    name, scenarios_path, script_path = argv[1:4]
    directory = os.path.join(os.environ["MTASTS_WORLD_DIR"], name)
    with open(scenarios_path) as f:
        tests = {t["tcId"]: t for g in json.load(f)["testGroups"] for t in g["tests"]}
    with open(script_path) as f:
        script = json.load(f)
    record(directory, "start.jsonl", environment_seen())
    crash_always = os.path.exists(os.path.join(directory, "crash-always"))
    for line in sys.stdin:
        request = json.loads(line)
        record(directory, "requests.jsonl", request)
        key = "%d/%d" % (request["tcId"], request["step"])
        action = script.get("steps", {}).get(key, script.get("default", "expect"))
        if crash_always or action in ("crash", "crash-always"):
            if action == "crash-always":
                open(os.path.join(directory, "crash-always"), "w").close()
            sys.exit(3)
        if action == "hang":
            time.sleep(3600)
        if action == "garbage":
            sys.stdout.write("this is not json\n")
        else:
            step = tests[request["tcId"]]["steps"][request["step"]]
            sys.stdout.write(json.dumps(answer_for(action, request, step)) + "\n")
        sys.stdout.flush()
    return script.get("exit_status", 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
