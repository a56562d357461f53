#!/usr/bin/env bash
# `make bench` runs this after building the release preset:
#  (a) the Google Benchmark parser/serializer bench, when it was built;
#  (b) stateless OPTIONS answered per second over UDP, kolokold beside Kamailio 5.6 (sipp).
# Environment: KOLOKOL_BUILD_DIR (default build/release). Extra arguments go to options_rate.py,
# e.g. `bench/run.sh --seconds 3 --rates 2000 4000 6000`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${KOLOKOL_BUILD_DIR:-$root/build/release}"

echo "== parser bench"
if [ -x "$build/bench/bench_sip_parser" ]; then
  "$build/bench/bench_sip_parser"
else
  echo "skipped: $build/bench/bench_sip_parser not built (configure with -DKOLOKOL_BUILD_BENCH=ON)"
fi

echo
echo "== stateless OPTIONS per second over UDP (sipp -> kolokold, then sipp -> kamailio)"
if [ ! -x "$build/src/server/kolokold" ]; then
  echo "error: $build/src/server/kolokold not built" >&2
  exit 1
fi
exec python3 "$root/bench/options_rate.py" --kolokold "$build/src/server/kolokold" "$@"
