#!/usr/bin/env bash
# Throughput of `credsweep scan` next to ripgrep on the same files, same run.
#
# Usage: [PROFILE=mixed|k8s] bench/scan.sh [MB] [CORPUS_DIR]
#   MB          size of the generated corpus (default 500)
#   CORPUS_DIR  where to generate it (default /tmp/credsweep-bench-<MB>, or
#               /tmp/credsweep-bench-k8s-<MB> for PROFILE=k8s)
#   PROFILE     bench/gen_corpus.py's profile: `mixed` (default; large files,
#               dense pod-security findings) or `k8s` (many small files of Go,
#               Helm charts and rendered manifests)
#
# Two credsweep runs: the default scan (secret rules and pod-security checks)
# and `--only secrets` (the same job as the rg baselines).
# Two baselines, both with rg's default parallelism on this machine's cores:
#   rg-keywords  rg searching the union of all rules' keywords (-i -F), the
#                prefilter credsweep itself runs before any regex;
#   rg-16-regex  rg with 16 typical secret regexes (what a hand-rolled
#                secret grep looks like).
# Needs: python3, ripgrep, hyperfine (apt-get install ripgrep hyperfine); GNU
# time (/usr/bin/time) for the peak-memory lines, skipped without it.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-500}
PROFILE=${PROFILE:-mixed}
if [ "$PROFILE" = mixed ]; then
  DIR=${2:-/tmp/credsweep-bench-$MB}
else
  DIR=${2:-/tmp/credsweep-bench-$PROFILE-$MB}
fi
cargo build --release --quiet
BIN=$PWD/target/release/credsweep
if [ ! -f "$DIR/.complete" ]; then
  rm -rf "$DIR"
  python3 bench/gen_corpus.py "$DIR" --mb "$MB" --profile "$PROFILE"
  touch "$DIR/.complete"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BIN" rules list --format json |
  python3 -c 'import json,sys; print("\n".join(sorted({k.lower() for r in json.load(sys.stdin) for k in r["keywords"]})))' \
  > "$work/keywords.txt"
cat > "$work/regex16.txt" <<'RX'
\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b
\bgithub_pat_[A-Za-z0-9_]{82}\b
\b(AKIA|ASIA)[A-Z2-7]{16}\b
(?i)aws.{0,20}secret.{0,20}[A-Za-z0-9/+=]{40}
\bAIza[0-9A-Za-z_-]{35}\b
\bxox[abposr]-[0-9A-Za-z-]{10,}
\bsk_live_[0-9a-zA-Z]{24,}
\bglpat-[0-9A-Za-z_-]{20}\b
\bnpm_[A-Za-z0-9]{36}\b
\bsk-ant-[A-Za-z0-9_-]{90,}
\bsk-(proj-)?[A-Za-z0-9_-]{40,}
\bhf_[A-Za-z0-9]{34}\b
-----BEGIN ((RSA|EC|DSA|OPENSSH) )?PRIVATE KEY-----
\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}
(postgres|mysql|mongodb(\+srv)?|redis|amqp)://[^:/\s]+:[^@/\s]+@
(?i)(password|secret|token|api_?key)\s*[:=]\s*["'][^"'\s]{8,}["']
RX
bytes=$(du -sb --exclude=.complete "$DIR" | cut -f1)
echo "corpus ($PROFILE): $DIR, $((bytes / 1048576)) MiB, $(find "$DIR" -type f | wc -l) files; cores: $(nproc); keywords: $(wc -l < "$work/keywords.txt"); rules: $("$BIN" rules list | tail -1)"
find "$DIR" -type f -exec cat {} + > /dev/null  # warm the page cache for every tool alike
# BASE_BIN=path adds an earlier credsweep build to the same run (`base`,
# `base-secrets`), for before/after ratios measured side by side.
base=()
if [ -n "${BASE_BIN:-}" ]; then
  base=(-n base "$BASE_BIN scan --color never --format json $DIR > /dev/null"
        -n base-secrets "$BASE_BIN scan --only secrets --color never --format json $DIR > /dev/null")
fi
hyperfine --warmup 1 --runs 5 -i --export-json "$work/h.json" \
  -n credsweep "$BIN scan --color never --format json $DIR > /dev/null" \
  -n credsweep-secrets "$BIN scan --only secrets --color never --format json $DIR > /dev/null" \
  "${base[@]}" \
  -n rg-keywords "rg --hidden -i -F -c -f $work/keywords.txt $DIR > /dev/null" \
  -n rg-16-regex "rg --hidden -c -f $work/regex16.txt $DIR > /dev/null"
python3 - "$work/h.json" "$bytes" <<'PY'
import json, sys
res = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
mb = int(sys.argv[2]) / 1048576
for name, t in res.items():
    print(f"{name:12s} median {t:7.3f} s  {mb / t:8.1f} MiB/s")
for run in [r for r in ("credsweep", "credsweep-secrets", "base", "base-secrets") if r in res]:
    for base in ("rg-keywords", "rg-16-regex"):
        print(f"{run} / {base}: {res[run] / res[base]:.2f}x the time (goal: <= 2x)")
PY
# Peak memory of each credsweep run (one more run each, outside the timing):
# the default scan keeps every finding until it sorts them.
if [ -x /usr/bin/time ]; then
  for only in "" "--only secrets"; do
    /usr/bin/time -f "credsweep ${only:-(default)}: peak RSS %M KiB, %R minor page faults" \
      "$BIN" scan $only --color never --format json "$DIR" > /dev/null || true
  done
fi
