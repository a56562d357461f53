#!/usr/bin/env bash
# `make bench` runs this after building the release preset. Every bench prints its figures and,
# where a peer does the same job, the peer's figures from the same run (docs/performance.md):
#   parser     Google Benchmark of the SIP parser/serializer (when it was built)
#   options    stateless OPTIONS per second over UDP, kolokold beside Kamailio 5.6 (~2 min)
#   registrar  authenticated REGISTERs per second over 60 s steps, beside Kamailio (~10 min)
#   calls      B2BUA calls per second over 60 s steps, caller authenticated (~6 min)
#   memory     RSS with 100,000 registered contacts and after 1,000,000 registrations (~6 min)
#   relay      anchored G.711 calls with RTP both ways (bench/rtp_load): loss, latency, CPU (~6 min)
#   transcoding  CPU per packet of PCMA<->opus and other transcoding paths (Google Benchmark)
# Usage: bench/run.sh [bench...] (default: all, in that order). BENCH_ARGS_<NAME> passes extra
# arguments to one bench, e.g. BENCH_ARGS_REGISTRAR="--seconds 10 --rates 4000 8000".
# Environment: KOLOKOL_BUILD_DIR (default build/release).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${KOLOKOL_BUILD_DIR:-$root/build/release}"
kolokold="$build/src/server/kolokold"
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(parser options registrar calls memory relay transcoding)

# run_sipp_bench TITLE SCRIPT EXTRA_ARGS: a Python bench that drives kolokold with sipp.
run_sipp_bench() {
  echo "== $1"
  if [ ! -x "$kolokold" ]; then
    echo "error: $kolokold not built" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  python3 "$root/bench/$2" --kolokold "$kolokold" $3
}

for bench in "${benches[@]}"; do
  echo
  case "$bench" in
    parser)
      echo "== parser bench"
      if [ -x "$build/bench/bench_sip_parser" ]; then
        "$build/bench/bench_sip_parser"
      else
        echo "skipped: $build/bench/bench_sip_parser not built (configure with -DKOLOKOL_BUILD_BENCH=ON)"
      fi
      ;;
    options)
      run_sipp_bench "stateless OPTIONS per second over UDP (sipp -> kolokold, then kamailio)" \
        options_rate.py "${BENCH_ARGS_OPTIONS:-}"
      ;;
    registrar)
      run_sipp_bench "authenticated REGISTERs per second (sipp -> kolokold, then kamailio)" \
        registrar_rate.py "${BENCH_ARGS_REGISTRAR:-}"
      ;;
    calls)
      run_sipp_bench "B2BUA calls per second (sipp 1001 -> kolokold -> sipp 1002)" \
        call_rate.py "${BENCH_ARGS_CALLS:-}"
      ;;
    memory)
      run_sipp_bench "memory with many registered contacts" \
        registrar_memory.py "${BENCH_ARGS_MEMORY:-}"
      ;;
    transcoding)
      echo "== transcoding bench"
      if [ -x "$build/bench/bench_transcoding" ]; then
        "$build/bench/bench_transcoding"
      else
        echo "skipped: $build/bench/bench_transcoding not built (configure with -DKOLOKOL_BUILD_BENCH=ON)"
      fi
      ;;
    relay)
      run_sipp_bench "anchored G.711 calls, RTP both ways (rtp_load -> kolokold -> rtp_load)" \
        media_relay.py "${BENCH_ARGS_RELAY:-}"
      ;;
    *)
      echo "unknown bench '$bench' (parser, options, registrar, calls, memory, relay, transcoding)" >&2
      exit 2
      ;;
  esac
done
