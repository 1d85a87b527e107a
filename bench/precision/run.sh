#!/usr/bin/env bash
# Real-world precision benchmark: scan the pinned repositories and score the
# findings against the hand-made labels.
#
#   bench/precision/run.sh WORK [MIRROR]      # prepare (once), scan, score
#   CREDSWEEP_BIN=path bench/precision/run.sh WORK
#
# WORK holds the trees (WORK/trees, see prepare.sh) and, after a run, findings.json and
# to-label.tsv: the sampled findings that have no label yet, with the line
# they are on, for a person to judge. Copy judged rows into labels.tsv
# (path, line, rule, label, reason; label REAL / EXAMPLE / NOT) and run
# again. score.py --help says how the sample is drawn.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${1:?usage: run.sh WORK [MIRROR]}
"$HERE/prepare.sh" "$WORK" "${2:-}" >&2
if [ -z "${CREDSWEEP_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  CREDSWEEP_BIN="$ROOT/target/release/credsweep"
fi
# Secrets only, every severity (the score shows which severities hold the
# noise); --show-secrets so to-label.tsv can show what was matched. The
# report stays in WORK, outside the repository.
set +e
(cd "$WORK/trees" && "$CREDSWEEP_BIN" scan --no-config --only secrets --min-severity info \
  --show-secrets --format json -o "$WORK/findings.json" .)
rc=$?
set -e
[ "$rc" -le 1 ] || exit "$rc"
python3 "$HERE/score.py" "$WORK/findings.json" "$HERE/labels.tsv" \
  --tree "$WORK/trees" --to-label "$WORK/to-label.tsv" "${@:3}"
