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
# (seconds, not minutes), then repacked as `git gc` would. Needs:
# python3, git; hyperfine and /usr/bin/time are used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${1:-10000}
REPO=${2:-/tmp/credsweep-git-bench-$COMMITS}
cargo build --release --quiet
BIN=$PWD/target/release/credsweep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$work/gitconfig"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$work/gitconfig

if [ ! -f "$REPO/.git/bench-complete-v2" ]; then
  rm -rf "$REPO"
  git init -q -b main "$REPO"
  t0=$(date +%s%N)
  python3 bench/gen_history.py --commits "$COMMITS" | git -C "$REPO" fast-import --quiet --done
  # recompute deltas as `git gc` would (newest version whole, older ones as
  # deltas against it): fast-import's own deltas run the other way
  git -C "$REPO" repack -adfq --depth=50 --window=10
  git -C "$REPO" checkout -q main
  touch "$REPO/.git/bench-complete-v2"
  echo "built $COMMITS commits in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi

# Each measurement: wall seconds, CPU seconds (user + sys) and peak RSS, via
# /usr/bin/time when present (CPU time is the fairer figure on a shared,
# loaded machine), else wall time from date.
measure() { # measure NAME OUT CMD...: runs CMD > OUT, appends "NAME wall cpu rss"
  local name=$1 out=$2; shift 2
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" > "$out" || true
    read -r e u s m < <(tail -n 1 "$work/t")
    echo "$name $e $(echo "$u + $s" | bc) $((m / 1024))" >> "$work/times"
  else
    local t; t=$(date +%s%N); "$@" > "$out" || true
    echo "$name $(echo "scale=3; ($(date +%s%N) - $t) / 1000000000" | bc) 0 0" >> "$work/times"
  fi
}

echo "repo: $REPO, $(git -C "$REPO" rev-list --all | wc -l) commits, pack $(du -sh "$REPO/.git/objects/pack" | cut -f1); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# warm the page cache for every tool alike
cat "$REPO"/.git/objects/pack/* > /dev/null

# 1. git itself inflating every object (the floor for any history scanner)
measure catfile /dev/null git -C "$REPO" cat-file --batch-all-objects --batch --unordered

# 2. credsweep git, whole history
measure git "$work/git.json" "$BIN" git "$REPO" --format json --color never

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
find "$work/blobs" -type f -exec cat {} + > /dev/null
measure scan "$work/scan.json" "$BIN" scan "$work/blobs" --format json --color never

python3 - "$work/git.json" "$work/scan.json" "$work/times" <<'PY'
import json, sys
g, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
t = {}
for row in open(sys.argv[3]):
    name, wall, cpu, rss = row.split()
    t[name] = (float(wall), float(cpu), int(rss))
gs, ss = g["stats"], s["stats"]
gmb, smb = gs["bytes"] / 1048576, ss["bytes"] / 1048576
(gw, gc, gr), (sw, sc, sr), (cw, cc, _) = t["git"], t["scan"], t["catfile"]
print(f"credsweep git : {gw:6.2f} s wall, {gc:6.2f} s CPU; {gs['commits']} commits, {gs['blobs']} unique text blobs, "
      f"{gmb:.1f} MiB, {gs['skipped']} skipped -> {gmb / gw:.1f} MiB/s wall; {len(g['findings'])} findings; peak RSS {gr} MiB")
print(f"credsweep scan: {sw:6.2f} s wall, {sc:6.2f} s CPU; {ss['files']} files, {smb:.1f} MiB -> {smb / sw:.1f} MiB/s wall; "
      f"{len(s['findings'])} findings (every version: no history dedupe); peak RSS {sr} MiB")
print(f"git cat-file --batch-all-objects --batch --unordered: {cw:.2f} s wall, {cc:.2f} s CPU")
print(f"history MiB/s / scan MiB/s: {(gmb / gw) / (smb / sw):.2f} wall, {(gmb / gc) / (smb / sc):.2f} CPU (goal >= 0.5)")
print(f"credsweep git / cat-file: {gw / cw:.2f}x wall, {gc / cc:.2f}x CPU (goal <= 4x)")
PY

# 4. --staged on a one-file change
f=$(git -C "$REPO" ls-files | awk "NR == 1")
echo "EXTRA_SETTING=on" >> "$REPO/$f"
git -C "$REPO" add "$f"
if command -v hyperfine > /dev/null; then
  hyperfine -N -i --warmup 5 --runs 50 --export-json "$work/staged.json" \
    "$BIN git $REPO --staged --color never" > /dev/null
  python3 - "$work/staged.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
med, mean, n = r["median"] * 1000, r["mean"] * 1000, len(r["times"])
print(f"credsweep git --staged (one-file change): median {med:.1f} ms, mean {mean:.1f} ms over {n} runs (hyperfine; goal < 30 ms)")
PY
else
  times=()
  for _ in $(seq 30); do
    t=$(date +%s%N); "$BIN" git "$REPO" --staged --color never > /dev/null 2>&1 || true
    times+=($(( ($(date +%s%N) - t) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "credsweep git --staged (one-file change): median %.1f ms over %d runs (date loop; goal < 30 ms)\n", a[int((NR+1)/2)]/1000, NR}'
fi
git -C "$REPO" reset -q --hard
