#!/usr/bin/env python3
"""Generate a benchmark corpus for credsweep: mixed source code, YAML, JSON,
logs and lock files, with a few fake secrets planted at generation time.

Usage: bench/gen_corpus.py OUT_DIR [--mb 200] [--seed 1]

Every token is built here from a seeded generator (right shape, right
checksum where the format has one) so no real-looking credential is ever
committed. The planted secrets are listed in OUT_DIR/PLANTED.txt (rule id,
path, line) so a benchmark can also check recall. The output is the same for
the same seed, so throughput numbers are comparable between runs.
"""
import argparse
import base64
import json
import os
import random
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WORDS = ("user account order item price total config server client request "
         "response handler manager service cache index value key name path "
         "file buffer stream error result status message event queue worker "
         "thread lock timeout retry backoff token session cookie header body "
         "payload record table column schema query filter sort limit offset").split()


def b62(n, rng):
    return "".join(rng.choice(B62) for _ in range(n))


def crc_b62(s):
    n = zlib.crc32(s.encode()) & 0xFFFFFFFF
    out = []
    for _ in range(6):
        out.append(B62[n % 62])
        n //= 62
    return "".join(reversed(out))


def github_pat(rng):
    body = b62(30, rng)
    return "gh" + "p_" + body + crc_b62(body)


def aws_key_id(rng):
    return "AK" + "IA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(rng, payload):
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(payload).encode())
    return head + "." + body + "." + b64url(bytes(rng.getrandbits(8) for _ in range(32)))


def ident(rng):
    a, b = rng.choice(WORDS), rng.choice(WORDS)
    return a + b.capitalize()


def py_file(rng, target):
    out = ["import os\nimport json\nfrom typing import Any, Dict\n\n"]
    size = 0
    while size < target:
        fn = ident(rng)
        block = (
            f"def {fn}_{rng.randrange(1000)}(payload: Dict[str, Any]) -> Any:\n"
            f'    """Handle the {rng.choice(WORDS)} {rng.choice(WORDS)} for the caller."""\n'
            f"    {ident(rng)} = payload.get(\"{rng.choice(WORDS)}\", {rng.randrange(100)})\n"
            f"    if {ident(rng)} is None:\n"
            f"        raise ValueError(\"missing {rng.choice(WORDS)}\")\n"
            f"    url = os.environ.get(\"{rng.choice(WORDS).upper()}_URL\", \"http://localhost:{rng.randrange(1024, 65535)}/api/v1\")\n"
            f"    return json.dumps({{\"{rng.choice(WORDS)}\": {ident(rng)}, \"id\": \"{rng.getrandbits(128):032x}\"}})\n\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def rs_file(rng, target):
    out = ["use std::collections::HashMap;\n\n"]
    size = 0
    while size < target:
        block = (
            f"/// Returns the {rng.choice(WORDS)} for a {rng.choice(WORDS)}.\n"
            f"pub fn {rng.choice(WORDS)}_{rng.choice(WORDS)}_{rng.randrange(1000)}(map: &HashMap<String, u64>, key: &str) -> Option<u64> {{\n"
            f"    let v = map.get(key)?;\n"
            f"    if *v > {rng.randrange(1 << 20)} {{ return None; }}\n"
            f"    Some(v.wrapping_mul(0x{rng.getrandbits(64):016x}))\n}}\n\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def yaml_file(rng, target):
    out = []
    size = 0
    while size < target:
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        block = (
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            f"  name: {name}\n  namespace: {rng.choice(WORDS)}\n  labels:\n    app: {name}\n"
            "spec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n"
            f"        - name: {name}\n          image: registry.example.com/{name}:1.{rng.randrange(50)}.{rng.randrange(10)}\n"
            "          env:\n"
            f"            - name: {rng.choice(WORDS).upper()}_HOST\n              value: \"{rng.choice(WORDS)}.svc.cluster.local\"\n"
            f"            - name: LOG_LEVEL\n              value: info\n"
            f"          resources:\n            limits:\n              memory: {rng.randrange(64, 4096)}Mi\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def json_file(rng, target):
    items = []
    size = 0
    while size < target:
        item = {
            "id": f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}",
            "name": ident(rng),
            "commit": f"{rng.getrandbits(160):040x}",
            "count": rng.randrange(10000),
            "tags": [rng.choice(WORDS) for _ in range(3)],
            "enabled": rng.random() < 0.5,
        }
        s = json.dumps(item)
        items.append(s)
        size += len(s) + 2
    return "[\n" + ",\n".join(items) + "\n]\n"


def log_file(rng, target):
    out = []
    size = 0
    levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
    while size < target:
        line = (
            f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z "
            f"{rng.choice(levels)} [{rng.choice(WORDS)}-{rng.randrange(16)}] {rng.choice(WORDS)} {rng.choice(WORDS)} "
            f"request_id={rng.getrandbits(64):016x} path=/api/v1/{rng.choice(WORDS)}/{rng.randrange(100000)} "
            f"status={rng.choice([200, 200, 200, 201, 404, 500])} duration_ms={rng.randrange(2000)}\n"
        )
        out.append(line)
        size += len(line)
    return "".join(out)


def lock_file(rng, target):
    out = []
    size = 0
    while size < target:
        digest = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(64))).decode()
        block = (
            f'    "node_modules/{rng.choice(WORDS)}-{rng.choice(WORDS)}": {{\n'
            f'      "version": "{rng.randrange(10)}.{rng.randrange(30)}.{rng.randrange(30)}",\n'
            f'      "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz",\n'
            f'      "integrity": "sha512-{digest}"\n    }},\n'
        )
        out.append(block)
        size += len(block)
    return '{\n  "lockfileVersion": 3,\n  "packages": {\n' + "".join(out) + '    "": {}\n  }\n}\n'


KINDS = [
    ("py", py_file, 0.3),
    ("rs", rs_file, 0.2),
    ("yaml", yaml_file, 0.15),
    ("json", json_file, 0.15),
    ("log", log_file, 0.2),
]


def plant(rng, text, ext):
    """Inserts one fake secret at a line boundary; returns (text, rule, line)."""
    kind = rng.choice(["github", "aws", "jwt", "b64-github"])
    if kind == "github":
        line, rule = f'GITHUB_TOKEN = "{github_pat(rng)}"\n', "github-pat"
    elif kind == "aws":
        line, rule = f"aws_access_key_id = {aws_key_id(rng)}\n", "aws-access-key-id"
    elif kind == "jwt":
        line, rule = f"Authorization: Bearer {jwt(rng, {'sub': 'svc', 'iat': 1700000000})}\n", "jwt-long-lived"
    else:
        enc = base64.b64encode(f"token={github_pat(rng)}\n".encode()).decode()
        line, rule = f"  credentials: {enc}\n", "github-pat"
    cut = text.find("\n", rng.randrange(max(1, len(text) // 2))) + 1
    lineno = text.count("\n", 0, cut) + 1
    return text[:cut] + line + text[cut:], rule, lineno


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--file-kb", type=int, default=256, help="mean file size")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    total = int(args.mb * 1024 * 1024)
    written = 0
    planted = []
    n = 0
    while written < total:
        r = rng.random()
        acc = 0.0
        for ext, gen, share in KINDS:
            acc += share
            if r < acc:
                break
        size = int(args.file_kb * 1024 * rng.uniform(0.5, 1.5))
        text = gen(rng, size)
        folder = f"d{n % 37:02d}"
        name = f"{folder}/{ident(rng)}_{n}.{ext}"
        if n % 97 == 0:
            name = f"{folder}/pkg{n}/package-lock.json"
            text = lock_file(rng, size)
        elif n % 25 == 0:
            text, rule, line = plant(rng, text, ext)
            planted.append(f"{rule}\t{name}\t{line}")
        path = os.path.join(args.out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        written += len(text)
        n += 1
    with open(os.path.join(args.out, "PLANTED.txt"), "w") as f:
        f.write("\n".join(planted) + "\n")
    print(f"{n} files, {written / 1048576:.1f} MiB, {len(planted)} planted secrets in {args.out}")


if __name__ == "__main__":
    main()
