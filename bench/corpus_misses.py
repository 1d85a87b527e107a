#!/usr/bin/env python3
"""Sort the corpus rows credsweep misses into why, to see what recall is left.

Usage: CREDSWEEP_CORPUS_DETAIL=1 cargo test --test main corpus -- --nocapture \
         > /tmp/corpus.txt; bench/corpus_misses.py /tmp/corpus.txt

Reads the miss line numbers the corpus test prints (0-based rows of
../shared/corpus/rule-examples/examples.jsonl) and puts each missed row in
the first class that fits:

  placeholder   the token's body is a run of one character (xxxx, 0000,
                AAAA), an ascending sequence (abcdef, 123456, 0123456789),
                a repeated short unit (abcabc, 12341234), or holds EXAMPLE,
                DEADBEEF, the RFC 4122 sample UUID (123e4567-e89b-...) or
                another well-known sample: a value the scanner drops on
                purpose, which the corpus's own nomatch rows (from other
                scanners' tests) also ask it to drop;
  demo-word     a credential slot holding a dictionary or demo word
                (password, secret, pass, admin, open sesame...);
  other         the rest: formats or contexts no rule reads (yet).

Prints the count per class, per source, and the rows of `other` (provider
and the first 100 characters), so the remaining rule work is visible.
Row text is corpus data from other projects' public test suites (fake or
revoked tokens); it is printed, never committed.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/rule-examples/examples.jsonl"

SAMPLES = re.compile(
    r"EXAMPLE|DEADBEEF|123e4567-e89b|abcdef|ABCDEF|bcdefg|123456|234567|987654|654321|"
    r"0123456789|qwerty|ZYXWV|zyxwv|XYZabc|xyzxyz|your[_-]?(api[_-]?)?(key|token)|"
    r"bu9JFVJtII3FINL1rOKcNpveXD4hSMtSDx7opOW",
    re.I,
)
DEMO = re.compile(
    r"(?i)[:=\s'\"](password|secret|pass|admin|test|open[ _-]?sesame|mypass|letmein|"
    r"changeme|hunter2|p@ssw0rd|root|guest|user|username)\d*['\"@;\s]|^(password|letmein|qwerty|blink|p@ssw0rd)\d*$"
)


def runs(text: str) -> bool:
    """A run of 8+ of one character, or a 2-4 character unit repeated 4+ times."""
    return bool(re.search(r"(.)\1{7,}", text) or re.search(r"(.{2,4})\1{3,}", text))


def classify(text: str) -> str:
    if runs(text) or SAMPLES.search(text):
        return "placeholder"
    if DEMO.search(text):
        return "demo-word"
    return "other"


def main() -> None:
    out = Path(sys.argv[1]).read_text()
    misses = [int(n) for m in re.finditer(r"misses \[([\d, ]*)\]", out) for n in m.group(1).split(",") if n.strip()]
    rows = [json.loads(line) for line in CORPUS.open()]
    total = sum(1 for r in rows if r.get("scope") == "scanner" and r["expect"] == "match")
    classes = Counter()
    by_source = Counter()
    others = []
    for n in misses:
        r = rows[n]
        c = classify(r["text"])
        classes[c] += 1
        by_source[(c, r.get("source", "?"))] += 1
        if c == "other":
            others.append((r["provider"], n, r["text"][:100]))
    found = total - len(misses)
    print(f"match rows {total}, found {found} ({100 * found / total:.1f}%), missed {len(misses)}")
    for c, k in classes.most_common():
        print(f"  {c:12} {k:4}  ({100 * k / total:.1f}% of match rows)")
    # the same classes over every match row, found or not
    missed = set(misses)
    plain = [i for i, r in enumerate(rows)
             if r.get("scope") == "scanner" and r["expect"] == "match" and classify(r["text"]) == "other"]
    plain_found = sum(1 for i in plain if i not in missed)
    print(f"recall over match rows that are neither placeholders nor demo words: "
          f"{plain_found}/{len(plain)} = {100 * plain_found / len(plain):.1f}%")
    for (c, s), k in sorted(by_source.items()):
        print(f"    {c:12} {s:14} {k}")
    print("other:")
    for p, n, t in sorted(others):
        print(f"  {p:20} {n:5} {t!r}")


if __name__ == "__main__":
    main()
