#!/usr/bin/env bash
# Log precision benchmark (issue 16): recall and false findings of credsweep on
# a generated ~1 GiB cluster log (app logs, access logs, Kubernetes audit and
# klog lines) with fake secrets planted at known lines.
#
#   bench/precision/logs.sh                    # 1 GiB log in a temp folder
#   SIZE_MB=64 bench/precision/logs.sh         # smaller, for a quick look
#   KEEP=1 bench/precision/logs.sh             # keep the log, TSV and report
#   SEED=7 bench/precision/logs.sh             # another (reproducible) log
#   CREDSWEEP_BIN=path bench/precision/logs.sh # another binary
#   WORK=dir bench/precision/logs.sh           # generate into dir (implies KEEP)
#   WORK=dir REUSE=1 bench/precision/logs.sh   # rescan dir's log, no regeneration
#
# Uses $ROOT/target/release/credsweep as it is (built with
# `cargo build --release --quiet` only if missing). Generates the log with
# gen_log.py (secrets built at run time, nothing credential-shaped committed),
# times `credsweep scan --format json --show-secrets` on it next to ripgrep
# searching the rules' keywords on the same file, then compares the findings
# with <log>.planted.tsv and prints:
#   - planted secrets found / total (missed ones by line and label),
#   - false findings (not on a planted line) in total and per GiB,
#   - per rule id: the count of false findings and 3 examples, masked (the
#     first 6 characters of the secret; the line cut to 160 characters with
#     the secret replaced by <SECRET>).
# The binary is copied into the work folder first, so a rebuild during the run
# does not mix two versions.
# Exit status: 0 when every planted secret is found and there is at most 1
# false finding per GiB; 1 otherwise; 2 on an error.
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
SEED=${SEED:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KEEP=${KEEP:-0}
if [ -n "${WORK:-}" ]; then KEEP=1; else WORK=$(mktemp -d); fi
mkdir -p "$WORK"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT

BIN=${CREDSWEEP_BIN:-$ROOT/target/release/credsweep}
if [ ! -x "$BIN" ]; then
  echo "building $BIN ..." >&2
  (cd "$ROOT" && cargo build --release --quiet)
fi
echo "credsweep: $BIN ($(stat -c %y "$BIN" | cut -c1-19))" >&2
cp "$BIN" "$WORK/credsweep"
BIN="$WORK/credsweep"
HAVE_RG=1
command -v rg >/dev/null || { HAVE_RG=0; echo "rg not found (apt-get install ripgrep): no time ratio" >&2; }

LOG="$WORK/cluster.log"
if [ "${REUSE:-0}" = 1 ] && [ -s "$LOG" ] && [ -s "$LOG.planted.tsv" ]; then
  echo "reusing $LOG" >&2
else
  echo "generating a ${SIZE_MB} MiB log (seed $SEED) in $WORK ..." >&2
  python3 "$HERE/gen_log.py" "$LOG" --mb "$SIZE_MB" --seed "$SEED"
fi
cat "$LOG" > /dev/null  # warm the page cache for both contenders

# timed NAME CMD...: runs CMD, stdout to $WORK/out.NAME; exit 0/1 both fine.
timed() {
  local name=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  "$@" > "$WORK/out.$name" 2> "$WORK/err.$name" || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" -gt 1 ]; then echo "$name failed ($rc):" >&2; cat "$WORK/err.$name" >&2; exit 2; fi
  python3 -c "print('%.3f' % ($t1 - $t0))" > "$WORK/secs.$name"
}

if [ "$HAVE_RG" = 1 ]; then
  "$BIN" rules list --format json \
    | python3 -c 'import json,sys; print("\n".join(sorted({k.lower() for r in json.load(sys.stdin) for k in r.get("keywords",[])})))' \
    > "$WORK/keywords.txt"
  timed rg rg -c -i -F -f "$WORK/keywords.txt" "$LOG"
fi
timed scan "$BIN" scan --no-config --format json --show-secrets "$LOG"

python3 - "$LOG" "$WORK" "$HAVE_RG" <<'PY'
import json, re, sys, collections
log, work, have_rg = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
size = __import__("os").path.getsize(log)
gib = size / 2 ** 30
report = json.load(open(work + "/out.scan"))
findings = [f for f in report["findings"] if f.get("kind") == "secret" or f.get("secret")]
stats = report.get("stats", {})

planted = []
for row in open(log + ".planted.tsv"):
    if row.startswith("#") or not row.strip():
        continue
    a, b, rules, label = row.rstrip("\n").split("\t")
    planted.append((int(a), int(b), set(rules.split(",")), label))

def overlaps(f, p):
    lo, hi = f["location"]["line"], f["location"].get("end_line") or f["location"]["line"]
    return lo <= p[1] and hi >= p[0]

# planted lines, for the overlap test of every finding
planted_lines = {}
for i, p in enumerate(planted):
    for n in range(p[0], p[1] + 1):
        planted_lines[n] = i
found = [False] * len(planted)
other_on_planted = collections.Counter()
false = []
for f in findings:
    loc = f["location"]
    hit = [planted_lines[n] for n in range(loc["line"], (loc.get("end_line") or loc["line"]) + 1) if n in planted_lines]
    if not hit:
        false.append(f)
        continue
    for i in set(hit):
        if f["rule_id"] in planted[i][2]:
            found[i] = True
        else:
            other_on_planted[f["rule_id"]] += 1

# fetch the text of the example lines in one pass over the log
by_rule = collections.defaultdict(list)
for f in false:
    by_rule[f["rule_id"]].append(f)
def sample(fs, n=200):
    """n findings spread evenly over the log (not just its first chunk)."""
    return fs[:: max(1, len(fs) // n)][:n]
want = {}
for rule, fs in by_rule.items():
    for f in sample(fs):
        want[f["location"]["line"]] = None
if want:
    with open(log, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if n in want:
                want[n] = raw.decode("utf-8", "replace").rstrip("\n")

def lead(f):
    """The shape of a false finding: the field name (or last word) just before
    the secret, e.g. `pageToken=`, `"token":"`, `key="`."""
    sec = ((f.get("secret") or {}).get("redacted") or "").split("\n")[0]
    line = want.get(f["location"]["line"]) or ""
    i = line.find(sec) if sec else -1
    if i < 0:
        i = f["location"]["column"] - 1
    m = re.search(r"([A-Za-z][A-Za-z0-9_.-]*)([^A-Za-z0-9]{0,4})$", line[max(0, i - 60):i])
    return (m.group(1)[-24:] + m.group(2)) if m else line[max(0, i - 8):i]

def masked(f):
    sec = (f.get("secret") or {}).get("redacted") or ""
    line = want.get(f["location"]["line"]) or ""
    first = sec.split("\n")[0]
    if first and first in line:
        line = line.replace(first, "<SECRET>")
    else:
        c0, c1 = f["location"]["column"] - 1, f["location"].get("end_column")
        if f["location"].get("end_line") == f["location"]["line"] and c1:
            line = line[:c0] + "<SECRET>" + line[c1 - 1:]
    if len(line) > 160:
        line = line[:157] + "..."
    return sec[:6], line

print()
print("log: %s bytes (%.2f GiB), %d findings, files=%s skipped=%s" % (size, gib, len(findings), stats.get("files"), stats.get("skipped")))
nfound = sum(found)
print("planted secrets found: %d / %d" % (nfound, len(planted)))
for i, p in enumerate(planted):
    if not found[i]:
        print("  MISSED line %d%s  [%s]  %s" % (p[0], "-%d" % p[1] if p[1] != p[0] else "", ",".join(sorted(p[2])), p[3]))
if other_on_planted:
    print("other rules also reporting on planted lines (not counted as false): " + ", ".join("%s=%d" % kv for kv in other_on_planted.most_common()))
rate = len(false) / gib if gib else 0.0
print("false findings: %d total, %.2f per GiB (goal <= 1)" % (len(false), rate))
for rule, fs in sorted(by_rule.items(), key=lambda kv: -len(kv[1])):
    some = sample(fs)
    shapes = collections.Counter(lead(f) for f in some)
    print("  %-36s %6d" % (rule, len(fs)))
    print("      shapes (text before the secret, in %d spread samples): %s" % (len(some), "  ".join("%s x%d" % kv for kv in shapes.most_common(10))))
    seen, shown = set(), 0
    for f in some:
        sh = lead(f)
        if sh in seen:
            continue
        seen.add(sh)
        head, line = masked(f)
        print("      line %-9d secret %-8s %s" % (f["location"]["line"], head + "…", line))
        shown += 1
        if shown == 3:
            break
t_scan = float(open(work + "/secs.scan").read())
if have_rg:
    t_rg = float(open(work + "/secs.rg").read())
    print("time: credsweep scan %.2f s (%.0f MB/s), rg keywords %.2f s (%.0f MB/s), ratio %.2fx" % (t_scan, size / 1e6 / t_scan, t_rg, size / 1e6 / t_rg, t_scan / t_rg))
else:
    print("time: credsweep scan %.2f s (%.0f MB/s)" % (t_scan, size / 1e6 / t_scan))
ok = nfound == len(planted) and rate <= 1.0
print("RESULT: %s" % ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
