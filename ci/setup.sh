#!/usr/bin/env bash
# ci/setup.sh - install what the project needs on Debian 12, if missing.
#
# Installs every package of ci/packages.txt that dpkg does not know as
# installed (one `apt-get update`, then one `apt-get install`), then runs
# `npm ci` in each conformance/adapters/*/ that has a package-lock.json.
# Lines written "optional: NAME" are what only external implementations
# and extra checks need: each is tried on its own, and a failure is a
# warning (issue 4: an external that cannot be installed never fails CI).
# Idempotent, and quick when everything is already there.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

list=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$MTASTS_ROOT/ci/packages.txt" | grep -v '^$' | sort -u)
mapfile -t packages < <(grep -v '^optional:' <<<"$list" || true)
mapfile -t optional < <(sed -n 's/^optional://p' <<<"$list")
is_installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true) == installed ]]; }
missing=()
for p in "${packages[@]}"; do
  is_installed "$p" || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  is_installed "$p" || missing_optional+=("$p")
done

if [[ ${#missing[@]} -eq 0 && ${#missing_optional[@]} -eq 0 ]]; then
  say "all ${#packages[@]} + ${#optional[@]} optional packages of ci/packages.txt are installed"
else
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} ${missing_optional[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_options=(-o DPkg::Lock::Timeout=300 -q)
  # The servers among the packages (nginx, postfix, ...) are run by the tests
  # inside the loopback world only: keep apt from starting them on this host
  # (the policy-rc.d convention, 101 = action forbidden), unless the host has
  # its own policy.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
    trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${sudo[@]}" apt-get "${apt_options[@]}" update
  if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${#missing[@]} of ${#packages[@]} packages: ${missing[*]}"
    "${sudo[@]}" apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}"
  fi
  for p in "${missing_optional[@]}"; do
    say "installing optional package $p"
    "${sudo[@]}" apt-get "${apt_options[@]}" install -y --no-install-recommends "$p" ||
      say "WARNING: optional package $p could not be installed; what needs it reports itself as skipped"
  done
fi

shopt -s nullglob
for lock in "$MTASTS_ROOT"/conformance/adapters/*/package-lock.json; do
  dir=$(dirname "$lock")
  if [[ -d $dir/node_modules && $dir/node_modules -nt $lock ]]; then
    say "npm packages of ${dir#"$MTASTS_ROOT"/} are up to date"
    continue
  fi
  if ! command -v npm >/dev/null; then
    say "WARNING: no npm: ${dir#"$MTASTS_ROOT"/} stays uninstalled (shown as not installed)"
    continue
  fi
  say "npm ci in ${dir#"$MTASTS_ROOT"/}"
  if (cd "$dir" && npm ci --no-audit --no-fund); then
    touch "$dir/node_modules"
  else
    say "WARNING: npm ci failed in ${dir#"$MTASTS_ROOT"/}; that implementation is shown as not installed"
  fi
done
say "setup done"
