#!/usr/bin/env bash
# conformance/adapters/exim/setup.sh BUILD_DIR - Debian's Exim 4.96 (exim4-base and
# exim4-daemon-light), extracted into BUILD_DIR/mta/exim-root without installing it: it
# conflicts with Postfix (both provide mail-transport-agent). apt-get download + dpkg-deb -x;
# its libraries are in ci/packages.txt. Quick when already extracted; exit 0 with a message
# when it cannot (the adapter's probe then shows Exim as not installed).
set -uo pipefail
build=${1:?usage: setup.sh BUILD_DIR}
root=$build/mta/exim-root
[[ -x $root/usr/sbin/exim4 ]] && exit 0
debs=$build/mta/debs
mkdir -p "$debs" && rm -rf "$root"
# apt's download user must be able to write the directory; else apt warns and works as root.
if ! (cd "$debs" && apt-get download -q exim4-base exim4-daemon-light >download.log 2>&1); then
  echo "exim: apt-get download failed (see $debs/download.log); Exim stays not installed"
  exit 0
fi
for deb in "$debs"/*.deb; do
  dpkg-deb -x "$deb" "$root" || {
    echo "exim: dpkg-deb -x $deb failed"
    exit 0
  }
done
echo "exim: extracted into $root"
