#!/usr/bin/env bash
# ci/readme_resolver.sh EXAMPLE [README] - the resolver example in README.md
# (the C block between <!-- resolver:begin/end -->, built by resolver/'s
# CMakeLists.txt as EXAMPLE) prints what README.md says it prints.
#
# It runs for example.invalid (RFC 6761: no DNS server has it), so the
# answer is NXDOMAIN where a DNS server answers and a DNS error where none
# does: the TXT record reads "absent" or "dns-error", and everything else
# is the same. The resolver gets one try of one second (RES_OPTIONS).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -ge 1 ]] || die "usage: $0 EXAMPLE [README]"
example=$1
readme=${2:-$MTASTS_ROOT/README.md}
expected=$(readme_block "$readme" resolver-output) || die "no <!-- resolver-output:begin/end --> block in $readme"
actual=$(env -u MTASTS_CACHE_DIR RES_OPTIONS="timeout:1 attempts:1" "$example" example.invalid mx1.example.invalid)
indent <<<"$actual"
if [[ "$actual" != "$expected" && "${actual/TXT record dns-error/TXT record absent}" != "$expected" ]]; then
  diff <(echo "$expected") <(echo "$actual") || true
  die "the resolver example's output differs from README.md"
fi
say "ok: the README's resolver example compiles, runs and prints what README.md shows"
