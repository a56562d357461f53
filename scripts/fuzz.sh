#!/usr/bin/env bash
# Builds every tests/fuzz/*_fuzz.cc with clang++ and libFuzzer (ASan + UBSan) into build/fuzz/
# and runs each target for N seconds. Exits non-zero when a target crashes or fails to build.
#
# Usage: scripts/fuzz.sh [seconds=30] [target ...]     e.g. scripts/fuzz.sh 300 sip_message_fuzz
# Environment: KOLOKOL_FUZZ_DIR (default <repo>/build/fuzz), CXX (default clang++).
set -euo pipefail

# The braces make bash read the whole script before running it, so editing this file while a
# long fuzz run is under way cannot derail that run.
{

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
out=${KOLOKOL_FUZZ_DIR:-$root/build/fuzz}
cxx=${CXX_FUZZ:-clang++}

# Per target: the sources it needs besides tests/fuzz/<target>.cc (globs, relative to the repo).
declare -A target_sources=(
  [sip_message_fuzz]="src/sip/msg/*.cc"
  [sdp_fuzz]="src/sdp/*.cc"
  [rtp_packet_fuzz]="src/media/rtp/*.cc"
)
# Per target: extra link flags (e.g. "-lfmt -lspdlog" for targets that log).
declare -A target_libs=(
  [sip_message_fuzz]=""
  [sdp_fuzz]=""
  [rtp_packet_fuzz]=""
)
# Per target: read-only seed corpus directories (relative to the repo).
declare -A target_seeds=(
  [sip_message_fuzz]="../shared/conformance/rfc4475"
  [sdp_fuzz]="tests/unit/sdp/fuzz_seeds"
  [rtp_packet_fuzz]=""
)

flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=undefined -I"$root/src")

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done
fi

mkdir -p "$out"
failed=()
for t in "${targets[@]}"; do
  src="$root/tests/fuzz/$t.cc"
  if [ ! -f "$src" ]; then echo "fuzz: no such target $t" >&2; failed+=("$t"); continue; fi
  if [ -z "${target_sources[$t]+set}" ]; then
    echo "fuzz: $t has no entry in target_sources (scripts/fuzz.sh)" >&2; failed+=("$t"); continue
  fi
  # shellcheck disable=SC2206  # globs in the source list are meant to expand
  deps=(); for pattern in ${target_sources[$t]}; do deps+=("$root"/$pattern); done
  echo "fuzz: building $t"
  # shellcheck disable=SC2086
  if ! "$cxx" "${flags[@]}" "$src" "${deps[@]}" ${target_libs[$t]:-} -o "$out/$t"; then
    failed+=("$t"); continue
  fi
  corpus="$out/corpus/$t"
  artifacts="$out/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  seeds=(); for d in ${target_seeds[$t]:-}; do seeds+=("$root/$d"); done
  dict=(); [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
  echo "fuzz: running $t for ${seconds}s"
  if ! "$out/$t" -max_total_time="$seconds" -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" "${seeds[@]}" \
      2>"$out/$t.log"; then
    echo "fuzz: $t FAILED, see $out/$t.log and $artifacts/" >&2
    tail -40 "$out/$t.log" >&2
    failed+=("$t")
  else
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec)" "$out/$t.log" || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets passed"
exit 0
}
