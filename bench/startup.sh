#!/usr/bin/env bash
# Start-up latency: what a pre-commit hook or an editor integration waits
# for, next to the tools it is compared with, in the same hyperfine run.
#
# Usage: bench/startup.sh [FILES] [REPO_DIR]
#   FILES     tracked files in the generated repository (default 12000, the
#             size of moby/moby's tree)
#   REPO_DIR  where to build it (default /tmp/credsweep-startup-<FILES>)
#
# Runs (hyperfine -N, no shell in between):
#   credsweep --version                 process start, argument parsing
#   credsweep scan one-small-file       built-in rules loaded + one file
#   credsweep scan --no-builtin-rules   the same without rules (the floor)
#   rg PATTERN one-small-file           ripgrep's start-up on the same file
#   git diff --cached                   in a FILES-file repository with one
#   credsweep git --staged              staged change (what a hook runs)
# and prints each median with the ratios the issue sets goals for
# (scan <= 4 ms, --version <= 2 ms, --staged <= 20 ms and <= 3x git diff).
# Needs: python3, git, hyperfine, ripgrep.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-12000}
REPO=${2:-/tmp/credsweep-startup-$FILES}
cargo build --release --quiet
BIN=$PWD/target/release/credsweep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$work/gitconfig"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$work/gitconfig

if [ ! -f "$REPO/.git/startup-bench-complete" ]; then
  rm -rf "$REPO"
  git init -q -b main "$REPO"
  # one commit of FILES small source files, written by fast-import
  python3 - "$FILES" <<'PY' | git -C "$REPO" fast-import --quiet --done
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\n")
msg = b"tree of %d files" % n
out.write(b"data %d\n%s\n" % (len(msg), msg))
for i in range(n):
    body = (b"package pkg%d\n\n// File %d of the start-up benchmark tree.\n"
            b"func F%d() int { return %d }\n") % (i // 100, i, i, i)
    out.write(b"M 100644 inline src/pkg%03d/file%05d.go\ndata %d\n%s\n" % (i // 100, i, len(body), body))
out.write(b"done\n")
PY
  git -C "$REPO" checkout -q -f main
  touch "$REPO/.git/startup-bench-complete"
fi
git -C "$REPO" reset -q --hard
f=$(git -C "$REPO" ls-files | awk 'NR == 1')
echo "EXTRA_SETTING=on" >> "$REPO/$f"
git -C "$REPO" add "$f"
printf 'EXTRA_SETTING=on\n' > "$work/one.txt"

echo "repository: $REPO, $(git -C "$REPO" ls-files | wc -l) tracked files, one staged; cores: $(nproc); rules: $("$BIN" rules list | tail -1)"
hyperfine -N -i --warmup 10 --runs 100 --export-json "$work/h.json" \
  -n version "$BIN --version" \
  -n scan-one-file "$BIN scan --color never $work/one.txt" \
  -n scan-no-rules "$BIN scan --no-builtin-rules --color never $work/one.txt" \
  -n rg-one-file "rg EXTRA $work/one.txt" \
  -n git-diff-cached "git -C $REPO diff --cached" \
  -n git-staged "$BIN git $REPO --staged --color never" > "$work/hyperfine.txt"
git -C "$REPO" reset -q --hard
python3 - "$work/h.json" <<'PY'
import json, sys
res = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
for name, ms in res.items():
    print(f"{name:16} median {ms:6.2f} ms")
def goal(name, ms, limit):
    return f"{name}: {ms:.2f} ms (goal <= {limit} ms: {'met' if ms <= limit else 'NOT MET'})"
print(goal("credsweep --version", res["version"], 2))
print(goal("credsweep scan one-small-file", res["scan-one-file"], 4),
      f"= {res['scan-one-file'] / res['rg-one-file']:.1f}x rg on the same file")
staged, diff = res["git-staged"], res["git-diff-cached"]
print(goal("credsweep git --staged", staged, 20),
      f"= {staged / diff:.1f}x git diff --cached (goal <= 3x: {'met' if staged <= 3 * diff else 'NOT MET'})")
PY
