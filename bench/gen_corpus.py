#!/usr/bin/env python3
"""Generate a benchmark corpus for credsweep: mixed source code, YAML, JSON,
logs and lock files, with a few fake secrets planted at generation time.

Usage: bench/gen_corpus.py OUT_DIR [--mb 200] [--seed 1] [--profile mixed|k8s]

Profiles:
  mixed  source code, YAML, JSON, logs and lock files in large files (256 KB
         mean); a third of the bytes are Deployments without any
         securityContext, so pod-security findings are dense.
  k8s    the shape of a platform team's repository: many small files (12 KB
         mean) of Go code, Helm chart templates and values, and rendered
         multi-document manifests (Deployments with and without a
         securityContext, Services, ConfigMaps, RBAC, CustomResourceDefinitions).

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



GO_TYPES = ("Reconciler Controller Manager Client Cache Informer Lister Config Options "
            "Secret Token Key Status Spec Event Queue Handler Server Store").split()


def go_file(rng, target):
    pkg = rng.choice(WORDS)
    out = [f"package {pkg}\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n"
           "\tcorev1 \"k8s.io/api/core/v1\"\n\tmetav1 \"k8s.io/apimachinery/pkg/apis/meta/v1\"\n"
           "\t\"sigs.k8s.io/controller-runtime/pkg/client\"\n)\n\n"]
    size = len(out[0])
    while size < target:
        t = rng.choice(GO_TYPES)
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        block = (
            f"// {t}{a.title()} holds the {a} {b} of a {rng.choice(WORDS)}.\n"
            f"type {t}{a.title()} struct {{\n"
            f"\t{a.title()}Name string `json:\"{a}Name,omitempty\"`\n"
            f"\t{b.title()}Ref  *corev1.SecretKeySelector `json:\"{b}Ref,omitempty\"`\n"
            f"\tTimeout   metav1.Duration `json:\"timeout\"`\n}}\n\n"
            f"func (r *{t}{a.title()}) Reconcile(ctx context.Context, c client.Client, key client.ObjectKey) error {{\n"
            f"\tvar secret corev1.Secret\n"
            f"\tif err := c.Get(ctx, key, &secret); err != nil {{\n"
            f"\t\treturn fmt.Errorf(\"get {a} secret %s: %w\", key, err)\n\t}}\n"
            f"\ttoken, ok := secret.Data[\"{b}-token\"]\n"
            f"\tif !ok || len(token) == 0 {{\n\t\treturn fmt.Errorf(\"{b} token missing in %s\", key.Name)\n\t}}\n"
            f"\tr.{a.title()}Name = string(token[:{rng.randrange(4, 16)}])\n"
            f"\treturn nil\n}}\n\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def helm_template(rng, target):
    out, size = [], 0
    while size < target:
        n = rng.choice(WORDS)
        block = (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            f"  name: {{{{ include \"{n}.fullname\" . }}}}\n  labels:\n"
            f"    {{{{- include \"{n}.labels\" . | nindent 4 }}}}\nspec:\n"
            "  {{- if not .Values.autoscaling.enabled }}\n  replicas: {{ .Values.replicaCount }}\n  {{- end }}\n"
            "  template:\n    spec:\n      serviceAccountName: {{ include \"x.serviceAccountName\" . }}\n"
            "      securityContext:\n        {{- toYaml .Values.podSecurityContext | nindent 8 }}\n"
            "      containers:\n        - name: {{ .Chart.Name }}\n"
            "          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\"\n"
            "          env:\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef:\n"
            f"                  name: {{{{ .Release.Name }}}}-{n}\n                  key: token\n"
            "          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n---\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def values_file(rng, target):
    out, size = ["replicaCount: 1\nimage:\n  repository: registry.example.com/app\n  tag: \"\"\n"], 0
    while size < target:
        a = rng.choice(WORDS)
        block = (
            f"{a}{rng.randrange(1000)}:\n  enabled: {rng.choice(['true', 'false'])}\n"
            f"  existingSecret: \"\"\n  secretKey: {a}-key\n  host: {a}.svc.cluster.local\n"
            f"  port: {rng.randrange(1024, 65535)}\n  resources:\n    limits:\n      cpu: 500m\n      memory: 256Mi\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def manifests(rng, target):
    out, size = [], 0
    while size < target:
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        ns = rng.choice(WORDS)
        kind = rng.random()
        if kind < 0.3:
            hardened = rng.random() < 0.5
            sc = ("          securityContext:\n            runAsNonRoot: true\n            allowPrivilegeEscalation: false\n"
                  "            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]\n"
                  "            seccompProfile:\n              type: RuntimeDefault\n") if hardened else ""
            block = (
                f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
                f"  labels:\n    app.kubernetes.io/name: {name}\n    app.kubernetes.io/part-of: {ns}\n"
                f"spec:\n  replicas: {rng.randrange(1, 5)}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n"
                f"  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {name}\n    spec:\n"
                + ("      automountServiceAccountToken: false\n" if hardened else "")
                + f"      containers:\n        - name: {name}\n          image: registry.example.com/{name}:1.{rng.randrange(50)}.{rng.randrange(10)}\n"
                f"          ports:\n            - containerPort: {rng.randrange(1024, 9000)}\n"
                f"          env:\n            - name: {rng.choice(WORDS).upper()}_HOST\n              value: {rng.choice(WORDS)}.{ns}.svc\n"
                f"            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {{name: {name}-db, key: password}}\n"
                f"          resources:\n            limits: {{cpu: 500m, memory: {rng.randrange(64, 2048)}Mi}}\n"
                + sc
            )
        elif kind < 0.5:
            block = (f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n"
                     f"  selector:\n    app.kubernetes.io/name: {name}\n  ports:\n    - port: 80\n      targetPort: {rng.randrange(1024, 9000)}\n")
        elif kind < 0.65:
            block = (f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-config\n  namespace: {ns}\ndata:\n"
                     + "".join(f"  {rng.choice(WORDS)}_{i}: \"{rng.choice(WORDS)}-{rng.randrange(100)}\"\n" for i in range(8)))
        elif kind < 0.8:
            block = (f"---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
                     "rules:\n  - apiGroups: [\"\"]\n    resources: [configmaps, secrets]\n    verbs: [get, list, watch]\n"
                     f"---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
                     f"roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: {name}}}\n"
                     f"subjects:\n  - kind: ServiceAccount\n    name: {name}\n    namespace: {ns}\n")
        else:
            props = "".join(
                f"                {rng.choice(WORDS)}{i}:\n                  description: The {rng.choice(WORDS)} of the {rng.choice(WORDS)}.\n"
                f"                  type: {rng.choice(['string', 'integer', 'boolean'])}\n" for i in range(30))
            block = (f"---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
                     f"  name: {name}s.example.com\nspec:\n  group: example.com\n  names:\n    kind: {name.title().replace('-', '')}\n"
                     f"  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n"
                     f"      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n"
                     f"            spec:\n              type: object\n              properties:\n" + props)
        out.append(block)
        size += len(block)
    return "".join(out)


def markdown_file(rng, target):
    out, size = [], 0
    while size < target:
        block = (f"## {rng.choice(WORDS).title()} {rng.choice(WORDS)}\n\n"
                 + " ".join(rng.choice(WORDS) for _ in range(60)) + ".\n\n"
                 f"```sh\nkubectl -n {rng.choice(WORDS)} get secret {rng.choice(WORDS)}-token -o yaml\n```\n\n")
        out.append(block)
        size += len(block)
    return "".join(out)


K8S_KINDS = [
    ("go", go_file, 0.45),
    ("tpl.yaml", helm_template, 0.12),
    ("values.yaml", values_file, 0.05),
    ("yaml", manifests, 0.30),
    ("md", markdown_file, 0.08),
]

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
    ap.add_argument("--file-kb", type=int, default=None, help="mean file size")
    ap.add_argument("--profile", choices=["mixed", "k8s"], default="mixed")
    args = ap.parse_args()
    kinds = K8S_KINDS if args.profile == "k8s" else KINDS
    if args.file_kb is None:
        args.file_kb = 12 if args.profile == "k8s" else 256
    rng = random.Random(args.seed)
    total = int(args.mb * 1024 * 1024)
    written = 0
    planted = []
    n = 0
    while written < total:
        r = rng.random()
        acc = 0.0
        for ext, gen, share in kinds:
            acc += share
            if r < acc:
                break
        size = int(args.file_kb * 1024 * rng.uniform(0.5, 1.5))
        text = gen(rng, size)
        folder = f"d{n % 37:02d}"
        name = f"{folder}/{ident(rng)}_{n}.{ext}"
        if n % 97 == 0 and args.profile == "mixed":
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
