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
  [rtcp_packet_fuzz]="src/media/rtp/rtcp_packet.cc src/media/rtp/rtp_receive_stats.cc"
  [telephone_event_fuzz]="src/media/dsp/telephone_event.cc src/media/dsp/telephone_event_receiver.cc src/media/dsp/digit_event.cc"
  [dtmf_relay_fuzz]="src/media/dsp/dtmf_relay.cc src/media/dsp/telephone_event.cc src/media/dsp/digit_event.cc"
  [jitter_buffer_fuzz]="src/media/rtp/jitter_buffer.cc src/media/rtp/jitter_delay_estimator.cc src/media/rtp/rtp_packet.cc"
  [wav_recovery_fuzz]="src/media/record/wav_recovery.cc src/media/record/wav_header.cc src/media/record/recording_error.cc"
  [sdp_anchoring_fuzz]="src/sdp/*.cc src/call/sdp_anchoring.cc src/media/engine/udp_address.cc"
)
# Per target: extra link flags (e.g. "-lfmt -lspdlog" for targets that log).
declare -A target_libs=(
  [sip_message_fuzz]=""
  [sdp_fuzz]=""
  [rtp_packet_fuzz]=""
  [rtcp_packet_fuzz]=""
  [telephone_event_fuzz]=""
  [dtmf_relay_fuzz]=""
  [jitter_buffer_fuzz]=""
  [wav_recovery_fuzz]="-lsndfile"
  [sdp_anchoring_fuzz]=""
)
# Per target: read-only seed corpus directories (relative to the repo).
declare -A target_seeds=(
  [sip_message_fuzz]="../shared/conformance/rfc4475"
  [sdp_fuzz]="tests/unit/sdp/fuzz_seeds"
  [rtp_packet_fuzz]=""
  [rtcp_packet_fuzz]="tests/fuzz/seeds/rtcp_packet_fuzz"
  [telephone_event_fuzz]="tests/fuzz/seeds/telephone_event_fuzz"
  [dtmf_relay_fuzz]="tests/fuzz/seeds/dtmf_relay_fuzz"
  [jitter_buffer_fuzz]="tests/fuzz/seeds/jitter_buffer_fuzz"
  [wav_recovery_fuzz]="tests/fuzz/seeds/wav_recovery_fuzz"
  [sdp_anchoring_fuzz]="tests/unit/sdp/fuzz_seeds"
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
