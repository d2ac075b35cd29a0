#!/usr/bin/env bash
# conformance/tests/install_suite.sh BUILD_DIR WORK_DIR runner|mta - the conformance suite as
# installed (cmake --install --component conformance) into a fresh prefix WORK_DIR/prefix, run
# from there, from WORK_DIR (never from the source tree or BUILD_DIR):
#   runner: the installed files are in place and mtasts-conformance finds the installed suite
#           beside itself (vectors, impls.json, our adapter in libexec) and writes its reports
#           in the working directory;
#   mta:    conformance/VALIDATE_MTA.md's command: the installed run_mta.py runs the template
#           adapter through two MTA scenarios of the installed mta.json (#101 enforce-good:
#           pass; #104 enforce-only-expired: fail, the stand-in has no MTA-STS), judged on the
#           world's deliveries, and the installed runner renders the results. Needs root and
#           the world's packages; without them it exits 77 (skipped), as the world tests do.
set -uo pipefail
build=$1
work=$2
part=$3
python=/usr/bin/python3
fail() {
  echo "install_suite ($part): FAIL: $*" >&2
  exit 1
}

if [[ $part == mta ]]; then
  missing=()
  [[ $(id -u) == 0 ]] || missing+=("root")
  for tool in ip dnsmasq nginx openssl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "install_suite (mta): SKIPPED (missing: ${missing[*]})"
    exit 77
  fi
fi

rm -rf "$work"
mkdir -p "$work/run"
prefix=$work/prefix
cmake --install "$build" --component conformance --prefix "$prefix" >"$work/install.log" 2>&1 ||
  fail "cmake --install: $(tail -5 "$work/install.log")"
suite=$prefix/share/mtasts
runner=$prefix/bin/mtasts-conformance
for f in bin/mtasts-conformance libexec/mtasts/mtasts-adapter share/mtasts/conformance/impls.json \
  share/mtasts/conformance/world/run_mta.py share/mtasts/conformance/world/mtas.json \
  share/mtasts/conformance/adapters/template/mta.py share/mtasts/conformance/VALIDATE_MTA.md \
  share/mtasts/vectors/policy.json share/mtasts/vectors/scenarios/mta.json \
  share/mtasts/conformance/adapters/mtasts/resolve_adapter.py; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
# Our adapter's C source is installed as the program in libexec, never as a file of the suite.
[[ ! -e $suite/conformance/adapters/mtasts/mtasts_adapter.c ]] ||
  fail "installed as source: conformance/adapters/mtasts/mtasts_adapter.c"
# The installed lists name installed products, never the build tree.
# shellcheck disable=SC2016 # a literal ${build}
if grep -n '\${build}/\(conformance\|cli\|daemon\)/' "$suite/conformance/impls.json" \
  "$suite/conformance/world/mtas.json"; then
  fail "an installed list still names a build-tree product"
fi
cd "$work/run" || exit 2

if [[ $part == runner ]]; then
  out=$("$runner" --only mtasts --list 0 2>&1) || fail "the installed runner failed: $out"
  grep -qx "reports: $work/run/conformance-report/{results.json,junit.xml,report.md,report.html}" \
    <<<"$out" || fail "reports not in the working directory: $out"
  grep -qx "result: own implementation passed every vector it ran" <<<"$out" ||
    fail "our installed adapter did not pass: $out"
  echo "install_suite (runner): ok"
  exit 0
fi

# Two scenarios of the installed mta.json, as a scenarios file of their own.
"$python" - "$suite/vectors/scenarios/mta.json" two.json <<'PY' || fail "cannot pick the scenarios"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
for group in doc["testGroups"]:
    group["tests"] = [t for t in group["tests"] if t["tcId"] in (101, 104)]
doc["testGroups"] = [g for g in doc["testGroups"] if g["tests"]]
doc["numberOfTests"] = sum(len(g["tests"]) for g in doc["testGroups"])
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"))
PY
"$python" "$suite/conformance/world/run_mta.py" --scenarios two.json \
  --mtas "$suite/conformance/adapters/template/mtas.json" --build "$work/run" \
  --out "$work/run/report" >run_mta.log 2>&1 || fail "run_mta.py: $(tail -20 run_mta.log)"
"$python" - report/scenario-results.json <<'PY' || fail "unexpected results (run_mta.log: $(tail -20 run_mta.log))"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = {(r["impl"], r["tcId"]): (r["verdict"], r["reason"]) for r in doc["results"]}
want = {("template", 101): ("pass", None),
        ("template", 104): ("fail", "step 0: got delivered to mx1.m04.world.test over TLS, "
                                    "expected not delivered (the MTA says: delivered, to "
                                    "mx1.m04.world.test)")}
if got != want:
    sys.exit("got %r, want %r" % (got, want))
PY
mkdir -p novectors
"$runner" --impls report/runner/impls.json --vectors novectors \
  --scenario-results report/scenario-results.json --scenarios report/runner/scenarios.json \
  --out rendered >render.log 2>&1 || fail "the installed runner's render: $(tail -20 render.log)"
grep -q "enforce-only-expired" rendered/report.md || fail "rendered/report.md has no scenario 104"
echo "install_suite (mta): ok"
