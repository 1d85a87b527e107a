#!/bin/sh
# Runs every fuzz target (or the TARGETs named) for SECONDS each (default
# 60) with a 512 MB RSS
# limit, starting from the committed seeds in fuzz/seeds/<target>/ (the
# growing corpus goes to fuzz/corpus/<target>/, crashes to
# fuzz/artifacts/<target>/, both git-ignored). Prints the executions per
# target. Needs a nightly toolchain and cargo-fuzz; without them it says so
# and exits 0, so CI can call it unconditionally.
#
#   fuzz/run.sh 600              # the issue's 10 minutes per target
#   fuzz/run.sh 600 detector     # one target
set -u
SECONDS_PER_TARGET=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-rules_loader detector manifest stream_chunker redaction keywords yaml_fast}
cd "$(dirname "$0")" || exit 2
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz/run.sh: no nightly toolchain; skipping fuzzing" >&2
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: cargo-fuzz not installed (cargo install cargo-fuzz); skipping fuzzing" >&2
    exit 0
fi
# AddressSanitizer keeps 256 MB of freed memory in quarantine by default,
# which counts against the 512 MB RSS limit and put peaks at 460-505 MB with
# nothing leaking; 64 MB keeps the limit about the program, not the tool.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}
status=0
for target in $TARGETS; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log="artifacts/$target/run.log"
    echo "== $target: ${SECONDS_PER_TARGET}s" >&2
    cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=512 -timeout=20 \
        -max_len=65536 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    echo "$target: exit $rc, ${execs:-?} executions in ${SECONDS_PER_TARGET}s (log: fuzz/$log)"
    if [ "$rc" -ne 0 ]; then
        status=1
        tail -n 30 "$log" >&2
    fi
done
exit $status
