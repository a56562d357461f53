#!/usr/bin/env bash
# Installs the Debian packages Kolokol needs to build, run and test, and only those that are
# missing, so a second run is a no-op. Works as root or through sudo.
set -euo pipefail

build_packages=(
  g++ cmake ninja-build make pkg-config git
  libboost-dev libboost-system-dev
  libssl-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  libsqlite3-dev
  libsrtp2-dev libspandsp-dev libopus-dev libopusenc-dev libbcg729-dev libgsm1-dev
  libspeexdsp-dev libsndfile1-dev libmp3lame-dev libespeak-ng-dev espeak-ng-data
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format clang-tidy
  sip-tester kamailio baresip sox openssl python3 procps iproute2 curl rtpengine-daemon
)

want=("${build_packages[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_packages[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
