#!/usr/bin/env bash
# Log benchmark: scan and redact throughput of credsweep next to ripgrep
# searching the rules' keywords, on the same generated log, in the same run;
# peak RSS from /usr/bin/time -v.
#
#   bench/logs.sh                 # 1 GiB log in a temp folder
#   SIZE_MB=256 bench/logs.sh     # smaller
#   CREDSWEEP_BIN=path bench/logs.sh   # skip the release build
#
# Goals (issue 5): scan <= 2x rg's time, redact <= 3x rg's time, RSS < 100 MB.
# The log is generated here (secrets built at run time, never committed).
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d)}
KEEP=${KEEP:-0}
mkdir -p "$WORK"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT

if [ -z "${CREDSWEEP_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  CREDSWEEP_BIN="$ROOT/target/release/credsweep"
fi
command -v rg >/dev/null || { echo "rg not found (apt-get install ripgrep)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }

LOG="$WORK/app.log"
echo "generating a ${SIZE_MB} MiB log in $WORK ..." >&2
python3 - "$SIZE_MB" "$LOG" <<'PY'
import random, sys, zlib
size = int(sys.argv[1]) * 1024 * 1024
path = sys.argv[2]
rng = random.Random(42)
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
def b62(n): return "".join(rng.choice(B62) for _ in range(n))
def crc_token(prefix):
    body = b62(30); n = zlib.crc32(body.encode()); c = ""
    for _ in range(6): c = B62[n % 62] + c; n //= 62
    return prefix + body + c
GH = "gh" + "p_"  # split so this file holds no token prefix next to a token
levels = ["INFO"] * 8 + ["DEBUG"] * 4 + ["WARN", "ERROR"]
paths = ["/healthz", "/api/v1/orders", "/api/v1/users/%d", "/static/app.%s.js", "/login", "/metrics"]
def filler(i):
    r = rng.random()
    ts = "2026-11-26T03:%02d:%02d.%03dZ" % (i // 3600 % 60, i // 60 % 60, i % 1000)
    lvl = rng.choice(levels)
    if r < 0.45:
        p = rng.choice(paths)
        if "%d" in p: p = p % rng.randrange(100000)
        if "%s" in p: p = p % b62(8)
        return '%s %s http method=GET path=%s status=%d dur_ms=%d ua="Mozilla/5.0 (X11; Linux x86_64)"' % (ts, lvl, p, rng.choice([200,200,200,304,404,500]), rng.randrange(900))
    if r < 0.75:
        return '{"ts":"%s","level":"%s","msg":"job finished","job_id":"%s","rows":%d,"worker":"w-%d"}' % (ts, lvl.lower(), b62(12), rng.randrange(10**6), rng.randrange(64))
    if r < 0.97:
        return "%s %s scheduler: pod web-%s-%s ready in %d ms on node ip-10-0-%d-%d" % (ts, lvl, b62(9).lower(), b62(5).lower(), rng.randrange(5000), rng.randrange(255), rng.randrange(255))
    # benign lines holding keywords (masked values, prose): realistic prefilter load
    return rng.choice([
        "%s INFO auth: token refreshed for session %d" % (ts, rng.randrange(10**6)),
        "%s DEBUG > Authorization: Bearer [REDACTED]" % ts,
        '%s INFO {"event":"login","user":"u%d","password":"********"}' % (ts, rng.randrange(10**5)),
        "%s WARN password reset requested for user %d" % (ts, rng.randrange(10**5)),
        "%s DEBUG GET /cb?state=%s&token=<hidden> 302" % (ts, b62(8)),
        "%s INFO set-cookie: theme=dark; Path=/" % ts,
    ])
def secret(i):
    return rng.choice([
        "export GITHUB_TOKEN=" + crc_token(GH),
        "> Authorization: Bearer " + b62(40),
        '{"level":"debug","msg":"config","api_key":"%s"}' % b62(32),
        "GET /login?user=ci&password=%s HTTP/1.1" % b62(14),
        "< Set-Cookie: sessionid=%s; Path=/; HttpOnly" % b62(32),
    ])
# 8 distinct ~4 MiB blocks, each with ~16 secrets, repeated up to the size
blocks = []
i = 0
for b in range(8):
    lines, n = [], 0
    while n < 4 * 1024 * 1024:
        i += 1
        line = secret(i) if rng.random() < 0.0003 else filler(i)
        lines.append(line); n += len(line) + 1
    blocks.append(("\n".join(lines) + "\n").encode())
with open(path, "wb") as f:
    written, k = 0, 0
    while written < size:
        blk = blocks[k % len(blocks)]
        f.write(blk); written += len(blk); k += 1
PY
BYTES=$(stat -c %s "$LOG")
MB=$(python3 -c "print($BYTES/1e6)")
"$CREDSWEEP_BIN" rules list --format json \
  | python3 -c 'import json,sys; print("\n".join(sorted({k.lower() for r in json.load(sys.stdin) for k in r.get("keywords",[])})))' \
  > "$WORK/keywords.txt"
echo "keywords: $(wc -l < "$WORK/keywords.txt"); log: $BYTES bytes" >&2
cat "$LOG" > /dev/null  # warm the page cache for every contender

# run NAME CMD...: prints "NAME seconds MB/s maxRSS_MB" (exit status 0/1 both ok)
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/time.$name" "$@" > /dev/null 2> "$WORK/err.$name" || {
    rc=$?; [ $rc -le 1 ] || { echo "$name failed ($rc):" >&2; cat "$WORK/err.$name" >&2; exit 2; }; }
  python3 - "$name" "$WORK/time.$name" "$MB" <<'PY'
import re, sys
name, f, mb = sys.argv[1], open(sys.argv[2]).read(), float(sys.argv[3])
m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", f)
secs = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", f).group(1)) / 1024
cpu = sum(float(re.search(p + r": ([\d.]+)", f).group(1)) for p in ["User time \\(seconds\\)", "System time \\(seconds\\)"])
print("%-12s %8.2f s %8.1f MB/s %8.2f s %8.1f MB" % (name, secs, mb / secs, cpu, rss))
open(sys.argv[2] + ".secs", "w").write("%s %s" % (secs, cpu))
PY
}

# On a shared machine wall time depends on the neighbours; CPU time (user +
# sys) is the steadier figure, so both are printed and compared.
echo "contender        wall   throughput      CPU  peak RSS"
run rg            rg -c -i -F -f "$WORK/keywords.txt" "$LOG"
run scan          "$CREDSWEEP_BIN" scan --format jsonl "$LOG"
run scan-stdin    sh -c "\"$CREDSWEEP_BIN\" scan --format jsonl - < \"$LOG\""
run redact        sh -c "\"$CREDSWEEP_BIN\" redact < \"$LOG\""
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
t = {n: [float(x) for x in open(f"{w}/time.{n}.secs").read().split()] for n in ["rg", "scan", "redact"]}
for i, what in enumerate(["wall", "CPU"]):
    print("%-4s scan/rg = %.2fx (goal <= 2x)   redact/rg = %.2fx (goal <= 3x)" % (what, t["scan"][i] / t["rg"][i], t["redact"][i] / t["rg"][i]))
PY
grep -h "finding" "$WORK/err.scan" | tail -1 || true
