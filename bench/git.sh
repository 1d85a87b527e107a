#!/usr/bin/env bash
# History throughput of `credsweep git`, next to `credsweep scan` on the same
# bytes checked out and to `git cat-file` inflating every object, plus the
# latency of `credsweep git --staged` on a one-file change.
#
# Usage: bench/git.sh [COMMITS] [REPO_DIR]
#   COMMITS   size of the generated history (default 10000)
#   REPO_DIR  where to build it (default /tmp/credsweep-git-bench-<COMMITS>)
#
# The repository is built with `git fast-import` from bench/gen_history.py
# (seconds, not minutes), then repacked as a real clone would be. Needs:
# python3, git; hyperfine and /usr/bin/time are used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${1:-10000}
REPO=${2:-/tmp/credsweep-git-bench-$COMMITS}
cargo build --release --quiet
BIN=$PWD/target/release/credsweep
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

if [ ! -f "$REPO/.git/bench-complete" ]; then
  rm -rf "$REPO"
  git init -q -b main "$REPO"
  t0=$(date +%s%N)
  python3 bench/gen_history.py --commits "$COMMITS" | git -C "$REPO" fast-import --quiet --done
  git -C "$REPO" repack -adq
  git -C "$REPO" checkout -q main
  touch "$REPO/.git/bench-complete"
  echo "built $COMMITS commits in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
rss() { # peak RSS in MiB of a command, via /usr/bin/time -v when available
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$@" 2> "$work/time.txt" > /dev/null || true
    awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$work/time.txt"
  else
    echo "n/a"
  fi
}

echo "repo: $REPO, $(git -C "$REPO" rev-list --all | wc -l) commits, pack $(du -sh "$REPO/.git/objects/pack" | cut -f1); cores: $(nproc)"

# warm the page cache for every tool alike
cat "$REPO"/.git/objects/pack/* > /dev/null

# 1. git itself inflating every object (the floor for any history scanner)
t=$(date +%s%N)
git -C "$REPO" cat-file --batch-all-objects --batch --unordered > /dev/null
catfile_ms=$(ms "$t")

# 2. credsweep git, whole history
t=$(date +%s%N)
"$BIN" git "$REPO" --format json --color never > "$work/git.json" || [ $? -eq 1 ]
git_ms=$(ms "$t")
git_rss=$(rss "$BIN" git "$REPO" --format json --color never)

# 3. the same unique blobs written out as files, scanned by credsweep scan
mkdir -p "$work/blobs"
git -C "$REPO" cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)' \
  | awk '$2 == "blob" {print $1}' \
  | git -C "$REPO" cat-file --batch \
  | python3 -c '
import os, sys
out, inp = sys.argv[1], sys.stdin.buffer
while True:
    head = inp.readline()
    if not head:
        break
    oid, _, size = head.split()
    data = inp.read(int(size)); inp.read(1)
    d = os.path.join(out, oid[:2].decode())
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, oid[2:].decode()), "wb").write(data)
' "$work/blobs"
cat $(find "$work/blobs" -type f) > /dev/null
t=$(date +%s%N)
"$BIN" scan "$work/blobs" --format json --color never > "$work/scan.json" || [ $? -eq 1 ]
scan_ms=$(ms "$t")

python3 - "$work/git.json" "$work/scan.json" "$git_ms" "$scan_ms" "$catfile_ms" "$git_rss" <<'PY'
import json, sys
g, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
git_ms, scan_ms, cat_ms, rss = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
gs, ss = g["stats"], s["stats"]
gmb, smb = gs["bytes"] / 1048576, ss["bytes"] / 1048576
print(f"credsweep git : {git_ms:6d} ms  {gs['commits']} commits, {gs['blobs']} unique text blobs, "
      f"{gmb:.1f} MiB, skipped {gs['skipped']}  -> {gmb / (git_ms / 1000):.1f} MiB/s, "
      f"{len(g['findings'])} findings, peak RSS {rss} MiB")
print(f"credsweep scan: {scan_ms:6d} ms  {ss['files']} files, {smb:.1f} MiB  -> {smb / (scan_ms / 1000):.1f} MiB/s, "
      f"{len(s['findings'])} findings (every version, not deduplicated)")
print(f"git cat-file --batch-all-objects --batch --unordered: {cat_ms} ms")
print(f"history MiB/s / scan MiB/s = {(gmb / git_ms) / (smb / scan_ms):.2f} (goal >= 0.5)")
print(f"credsweep git time / cat-file time = {git_ms / cat_ms:.2f}x (goal <= 4x)")
PY

# 4. --staged on a one-file change
f=$(git -C "$REPO" ls-files | head -1)
echo "EXTRA_SETTING=on" >> "$REPO/$f"
git -C "$REPO" add "$f"
if command -v hyperfine > /dev/null; then
  hyperfine -N -i --warmup 5 --runs 50 --export-json "$work/staged.json" \
    "$BIN git $REPO --staged --color never" > /dev/null
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(f"credsweep git --staged (one-file change): median {r[\"median\"]*1000:.1f} ms, mean {r[\"mean\"]*1000:.1f} ms over {len(r[\"times\"])} runs (hyperfine; goal < 30 ms)")' "$work/staged.json"
else
  times=()
  for _ in $(seq 30); do
    t=$(date +%s%N); "$BIN" git "$REPO" --staged --color never > /dev/null 2>&1 || true
    times+=($(( ($(date +%s%N) - t) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "credsweep git --staged (one-file change): median %.1f ms over %d runs (date loop; goal < 30 ms)\n", a[int((NR+1)/2)]/1000, NR}'
fi
git -C "$REPO" reset -q --hard
