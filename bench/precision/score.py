#!/usr/bin/env python3
"""Scores a credsweep JSON report on the precision benchmark against the
hand-made labels, and lists what still needs a label.

    score.py FINDINGS.json LABELS.tsv [--tree DIR] [--to-label OUT.tsv]
             [--per-rule K] [--seed S] [--before REAL.tsv]

The sample: for each rule, its findings ordered by a seeded hash of
`path:line:rule` and the first K taken (every finding of a rule with K or
fewer). Findings of one rule are weighted by rule size / sample size, so
the overall figures estimate the whole report, not just the sample.

Labels (LABELS.tsv: path, line, rule, label, reason):
  REAL     a credential that would grant access if it were live
  EXAMPLE  credential-shaped, but a documented, demo, test or truncated value
  NOT      not a credential at all (an identifier, a path, a name, a hash...)

A label is looked up by path, line and rule; where the rule changed (a
better rule took the finding over) by path and line.

--before BEFORE.tsv: the labelled locations (path, line, rule, label) of
an earlier run, e.g. labels.tsv as it was then; a REAL one that the current
report no longer has is listed as lost and the exit status is 1; lost
EXAMPLE ones are counted and listed (a demo value may be dropped on purpose,
a test key should not be). The goal (issue 16) is printed with the figures: NOT <= 10%
overall and <= 15% for every rule with 20+ findings.
"""
import argparse
import collections
import csv
import hashlib
import json
import os
import sys


def key(f):
    loc = f["location"]
    return (loc["path"], loc["line"], f["rule_id"])


def read_labels(path):
    by_key, by_line = {}, {}
    if not os.path.exists(path):
        return by_key, by_line
    with open(path, newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "path":
                continue
            p, line, rule, label, reason = (row + [""] * 5)[:5]
            if label not in ("REAL", "EXAMPLE", "NOT"):
                sys.exit(f"{path}: bad label {label!r} for {p}:{line}")
            by_key[(p, int(line), rule)] = (label, reason)
            by_line.setdefault((p, int(line)), (label, reason))
    return by_key, by_line


def line_of(tree, path, line):
    try:
        with open(os.path.join(tree, path), "rb") as fh:
            for i, text in enumerate(fh, 1):
                if i == line:
                    return text.decode("utf-8", "replace").rstrip("\n")[:300]
    except OSError:
        pass
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("findings")
    ap.add_argument("labels")
    ap.add_argument("--tree")
    ap.add_argument("--to-label")
    ap.add_argument("--per-rule", type=int, default=25)
    ap.add_argument("--seed", default="credsweep-precision-1")
    ap.add_argument("--before")
    args = ap.parse_args()

    report = json.load(open(args.findings))
    findings = [f for f in report["findings"] if f["kind"] == "secret"]
    by_rule = collections.defaultdict(list)
    for f in findings:
        by_rule[f["rule_id"]].append(f)
    by_key, by_line = read_labels(args.labels)

    rows, unlabelled = [], []
    tot = collections.Counter()
    goal_ok = True
    for rule, fs in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        fs.sort(key=lambda f: hashlib.sha256(
            (args.seed + ":%s:%d:%s" % key(f)).encode()).hexdigest())
        sample = fs[: args.per_rule]
        counts = collections.Counter()
        for f in sample:
            k = key(f)
            lab = by_key.get(k) or by_line.get(k[:2])
            if lab is None:
                unlabelled.append(f)
                continue
            counts[lab[0]] += 1
        judged = sum(counts.values())
        weight = len(fs) / judged if judged else 0
        for lab in ("REAL", "EXAMPLE", "NOT"):
            tot[lab] += counts[lab] * weight
        tot["judged"] += judged
        not_rate = counts["NOT"] / judged if judged else float("nan")
        flag = ""
        if len(fs) >= 20 and judged and not_rate > 0.15:
            flag, goal_ok = "  <- over 15%", False
        rows.append((rule, len(fs), judged, counts["REAL"], counts["EXAMPLE"],
                     counts["NOT"], not_rate, flag))

    print(f"{'rule':40} {'found':>6} {'judged':>6} {'REAL':>5} {'EXMPL':>5} {'NOT':>5} {'NOT%':>6}")
    for rule, n, judged, r, e, nt, rate, flag in rows:
        pct = f"{100 * rate:5.1f}%" if judged else "    -"
        print(f"{rule:40} {n:6} {judged:6} {r:5} {e:5} {nt:5} {pct:>6}{flag}")
    weighted = tot["REAL"] + tot["EXAMPLE"] + tot["NOT"]
    overall = tot["NOT"] / weighted if weighted else float("nan")
    print(f"\nsecret findings: {len(findings)} in {len(by_rule)} rules; "
          f"judged {tot['judged']} (sample of up to {args.per_rule} per rule), "
          f"{len(unlabelled)} sampled without a label")
    if weighted:
        print(f"estimated over all findings: REAL {100 * tot['REAL'] / weighted:.1f}%, "
              f"EXAMPLE {100 * tot['EXAMPLE'] / weighted:.1f}%, NOT {100 * overall:.1f}%")
    goal_ok = goal_ok and weighted > 0 and overall <= 0.10 and not unlabelled
    print("goal: NOT <= 10% overall and <= 15% per rule with 20+ findings: "
          + ("met" if goal_ok else "not met"))

    if args.to_label:
        with open(args.to_label, "w", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            for f in sorted(unlabelled, key=key):
                p, line, rule = key(f)
                text = line_of(args.tree, p, line) if args.tree else ""
                red = " ".join(f["secret"]["redacted"].split())[:60]
                w.writerow([p, line, rule, "", "", red, text])
        if unlabelled:
            print(f"{len(unlabelled)} findings to label: {args.to_label}")

    lost = collections.defaultdict(list)
    if args.before:
        have = {key(f)[:2] for f in findings}
        with open(args.before) as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if not row or row[0].startswith("#") or len(row) < 4:
                    continue
                if row[3] in ("REAL", "EXAMPLE") and (row[0], int(row[1])) not in have:
                    lost[row[3]].append(row)
        for lab in ("REAL", "EXAMPLE"):
            print(f"{lab} locations of the earlier run no longer reported: {len(lost[lab])}")
            for row in lost[lab]:
                print("  lost:", "\t".join(row[:3]), "-", row[4] if len(row) > 4 else "")
    return 1 if lost["REAL"] else 0


if __name__ == "__main__":
    sys.exit(main())
