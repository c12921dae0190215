#!/usr/bin/env bash
# Installs the Debian packages that the deploy tests need, only those missing (idempotent).
#   prometheus  -> promtool (check config/rules, rule unit tests) and prometheus (dashboard query tests)
# (The compose files are checked against the Compose Specification schema from PyPI's check-jsonschema:
# Debian's docker-compose is the retired 1.x, which predates the spec we write to.)
# The Debian prometheus package starts a system prometheus on :9090 where an init system runs; the tests
# never use it (they start their own on a free port), and this script keeps dpkg from starting it.
set -euo pipefail

PACKAGES=(prometheus)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install-system-deps: all present (${PACKAGES[*]})"
    exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d 101 keeps dpkg from starting prometheus as a system service during the install.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod +x "$policy"
    created_policy=1
fi
cleanup() {
    if [[ $created_policy == 1 ]]; then
        $SUDO rm -f "$policy"
    fi
}
trap cleanup EXIT
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-system-deps: done"
