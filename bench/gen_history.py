#!/usr/bin/env python3
"""Write a `git fast-import` stream of a synthetic history to stdout.

Usage: bench/gen_history.py [--commits 10000] [--files 400] [--seed 1]
       | git fast-import --quiet

A tree of FILES text files (code, YAML, .env-style config, about 2-12 KiB
each) on branch main; each commit edits 1-3 files (replaces and appends a few
lines), every 50th commit on a side branch that is merged back, and about one
commit in 200 plants a fake token (built here from a seeded generator, right
shape and checksum, so no real-looking credential is ever committed). The
stream is the same for the same seed, so numbers are comparable between runs.
"""
import argparse
import random
import sys
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WORDS = ("user account order item price total config server client request "
         "response handler manager service cache index value key name path "
         "file buffer stream error result status message event queue worker "
         "thread lock timeout retry backoff session header body payload record "
         "table column schema query filter sort limit offset").split()


def b62(n, rng):
    return "".join(rng.choice(B62) for _ in range(n))


def github_pat(rng):
    body = b62(30, rng)
    n = zlib.crc32(body.encode()) & 0xFFFFFFFF
    check = []
    for _ in range(6):
        check.append(B62[n % 62])
        n //= 62
    return "gh" + "p_" + body + "".join(reversed(check))


def line(rng, kind):
    w = [rng.choice(WORDS) for _ in range(rng.randint(2, 7))]
    if kind == "py":
        return "    %s = %s(%s)  # %s" % (w[0], "_".join(w[1:3]), ", ".join(w[3:]), rng.randint(0, 99999))
    if kind == "yaml":
        return "%s%s: %s" % ("  " * rng.randint(0, 3), w[0], " ".join(w[1:]))
    return "%s_%s=%s" % (w[0].upper(), w[1].upper(), "-".join(w[2:]) or "x")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--files", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = sys.stdout.buffer
    kinds = ["py", "yaml", "env"]
    exts = {"py": "py", "yaml": "yaml", "env": "env"}
    files = {}
    for i in range(a.files):
        kind = kinds[i % 3]
        path = "svc%02d/mod%03d.%s" % (i % 40, i, exts[kind])
        files[path] = (kind, [line(rng, kind) for _ in range(rng.randint(40, 250))])
    paths = sorted(files)
    mark = 0
    t0 = 1_600_000_000

    def blob_cmd(path):
        data = ("\n".join(files[path][1]) + "\n").encode()
        return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)

    def commit(ref, n, msg, changed, parents):
        nonlocal mark
        mark += 1
        who = b"Bench Author <bench@example.com> %d +0000" % (t0 + 60 * n)
        msgb = msg.encode()
        buf = [b"commit %s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n" % (
            ref.encode(), mark, who, who, len(msgb), msgb)]
        for i, p in enumerate(parents):
            buf.append(b"%s :%d\n" % (b"from" if i == 0 else b"merge", p))
        for path in changed:
            buf.append(blob_cmd(path))
        buf.append(b"\n")
        out.write(b"".join(buf))
        return mark

    main_tip = commit("refs/heads/main", 0, "initial import", paths, [])
    side_tip = None
    for n in range(1, a.commits):
        on_side = n % 50 in range(40, 49)
        if n % 50 == 40:
            side_tip = main_tip
        changed = rng.sample(paths, rng.randint(1, 3))
        for path in changed:
            kind, lines = files[path]
            for _ in range(rng.randint(1, 4)):
                lines[rng.randrange(len(lines))] = line(rng, kind)
            lines.append(line(rng, kind))
            if len(lines) > 300:
                del lines[: rng.randint(20, 60)]
            if rng.random() < 0.005:
                lines.insert(rng.randrange(len(lines)), "GITHUB_TOKEN=" + github_pat(rng))
        if on_side:
            side_tip = commit("refs/heads/side", n, "side change %d" % n, changed, [side_tip])
        elif n % 50 == 49:
            main_tip = commit("refs/heads/main", n, "merge side %d" % n, changed, [main_tip, side_tip])
        else:
            main_tip = commit("refs/heads/main", n, "change %d" % n, changed, [main_tip])
    out.write(b"done\n")


if __name__ == "__main__":
    main()
