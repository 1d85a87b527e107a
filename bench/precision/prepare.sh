#!/usr/bin/env bash
# Lays out the real-world precision benchmark's repositories (repos.tsv) as
# plain trees at their pinned commits, ready for `run.sh`.
#
#   bench/precision/prepare.sh WORK [MIRROR]
#
# WORK    where the trees go (WORK/trees/<name>/...); created, existing trees kept.
# MIRROR  a folder holding the repositories as git directories, one per
#         name: MIRROR/<name> or MIRROR/<name>/repo (bare or not). Without
#         it each repository is cloned from its url (needs the network;
#         credsweep itself never touches it).
#
# The tree is read object by object from the pinned commit, so a mirror
# that lacks a few large blobs (binary images over a few MiB) still gives
# every text file; the missing paths are listed in WORK/<name>.missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${1:?usage: prepare.sh WORK [MIRROR]}
MIRROR=${2:-}
mkdir -p "$WORK/trees"
T="$WORK/trees"
grep -v '^#' "$HERE/repos.tsv" | while IFS=$'\t' read -r name url commit _licence _what; do
  [ -n "$name" ] || continue
  if [ -f "$T/$name/.prepared" ]; then echo "$name: ready"; continue; fi
  gitdir=""
  if [ -n "$MIRROR" ]; then
    for c in "$MIRROR/$name/repo" "$MIRROR/$name/.git" "$MIRROR/$name"; do
      if git --git-dir="$c" rev-parse --verify -q "$commit^{commit}" >/dev/null 2>&1; then gitdir=$c; break; fi
    done
    [ -n "$gitdir" ] || { echo "$name: commit $commit not found under $MIRROR" >&2; exit 2; }
  else
    gitdir="$WORK/.git-$name"
    [ -d "$gitdir" ] || git clone --bare --filter=blob:limit=4m "$url" "$gitdir"
  fi
  rm -rf "$T/$name"; mkdir -p "$T/$name"
  python3 "$HERE/extract.py" "$gitdir" "$commit" "$T/$name" "$WORK/$name.missing"
  touch "$T/$name/.prepared"
  echo "$name: $(git --git-dir="$gitdir" log -1 --format='%h %cs' "$commit"), $(wc -l < "$WORK/$name.missing") blobs missing"
done
