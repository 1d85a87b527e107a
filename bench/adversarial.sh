#!/usr/bin/env bash
# The adversarial cases too slow for every test run, with wall time and
# peak RSS (/usr/bin/time -v):
#   1. one 1 GiB line of 'a' without a newline, a GitHub-shaped token at the
#      end (streamed through the chunker; must be found, memory bounded);
#   2. a sparse 1 GiB file (NUL bytes: binary, skipped after the sniff);
#   3. 1,000,000 tiny files in 1,000 folders (completes, memory bounded).
#
#   bench/adversarial.sh                    # builds release first
#   CREDSWEEP_BIN=path bench/adversarial.sh
#   FILES=100000 LINE_MB=256 bench/adversarial.sh   # smaller
#
# Inputs are generated in a temp folder (token built at run time).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d)}
FILES=${FILES:-1000000}
LINE_MB=${LINE_MB:-1024}
trap 'rm -rf "$WORK"' EXIT
if [ -z "${CREDSWEEP_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  CREDSWEEP_BIN="$ROOT/target/release/credsweep"
fi
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }

measure() { # name, then the command
  local name=$1; shift
  local t="$WORK/time.txt"
  set +e
  /usr/bin/time -v "$@" >"$WORK/out.txt" 2>"$t"
  local rc=$?
  set -e
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$t" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$t" | awk '{print $NF}')
  printf '%-28s exit %s  wall %s  peak RSS %s MiB\n' "$name" "$rc" "$wall" "$((rss / 1024))"
}

mkdir -p "$WORK/line" "$WORK/sparse" "$WORK/many"
python3 - "$WORK/line/line.txt" "$LINE_MB" <<'PY'
import random, string, sys, zlib
path, mb = sys.argv[1], int(sys.argv[2])
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
body = "".join(random.choice(B62) for _ in range(30))
n = zlib.crc32(body.encode())
check = ""
for _ in range(6):
    check = B62[n % 62] + check
    n //= 62
with open(path, "wb") as f:
    block = b"a" * (1 << 20)
    for _ in range(mb):
        f.write(block)
    f.write((" token=" + "gh" + "p_" + body + check).encode())
PY
measure "1 GiB line, no newline" "$CREDSWEEP_BIN" scan --format json "$WORK/line"
echo "  findings: $(grep -c '"rule_id"' "$WORK/out.txt" || true)"

truncate -s 1G "$WORK/sparse/sparse.txt"
measure "sparse 1 GiB (NUL)" "$CREDSWEEP_BIN" scan --format json "$WORK/sparse"

python3 - "$WORK/many" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
per = 1000
for d in range((n + per - 1) // per):
    p = os.path.join(root, f"d{d}")
    os.mkdir(p)
    for i in range(min(per, n - d * per)):
        with open(os.path.join(p, f"f{i}.txt"), "w") as f:
            f.write("x = 1\n")
PY
measure "$FILES tiny files" "$CREDSWEEP_BIN" scan --format json "$WORK/many"
grep -o '"files": *[0-9]*' "$WORK/out.txt" || true
