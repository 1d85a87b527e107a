#!/usr/bin/env python3
"""Generate a large, realistic cluster log with fake secrets planted at known lines.

Usage: bench/precision/gen_log.py OUT.log [--mb 1024] [--seed 1] [--jobs N]

Writes OUT.log and OUT.log.planted.tsv. The log mixes the line families of a
Kubernetes cluster's aggregated logs, each generated with variety:

  app      Go zap / logrus (JSON and key=value), Python logging (with
           tracebacks), Java logback (with stack traces), Node pino JSON:
           request / trace / span ids, UUIDs, SQL with placeholders, cache
           keys, base64 payloads and cursors, redacted or truncated JWTs, and
           key=value pairs whose *names* say token/secret/key/password but whose
           values are not secrets (token_type=Bearer, secret_name=db-credentials,
           api_key_id=<uuid>, pageToken=<cursor>, ...).
  access   nginx / ingress-nginx and Envoy access logs.
  k8s      API server audit events (JSON), kubelet / controller-manager /
           scheduler klog lines (leases, leader election, image digests,
           container ids, pod names).

About one event in 60-80k lines is a planted secret (roughly 40 per GiB), of
many types cycled in a seeded order so every type appears even in small logs.
Each secret is built here at run time from the seeded generator in its
provider's real format (right length, alphabet and checksum), so nothing
credential-shaped is committed. The TSV lists, per planted secret:

  line  end_line  rules  label

where line..end_line (1-based, inclusive) hold the secret, rules is a
comma-separated list of rule ids any one of which counts as finding it, and
label is a short description. The secret itself is never written to the TSV.

The log is generated in 16 MiB chunks, each from its own Random(seed, chunk),
in parallel; the output is the same for the same --seed and --mb.
"""
import argparse
import base64
import json
import multiprocessing
import os
import random
import sys
import time
import zlib

CHUNK = 16 * 1024 * 1024
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B64URL = B62 + "-_"
B64 = B62 + "+/"
K8S_ALNUM = "bcdfghjklmnpqrstvwxz2456789"  # pod-template-hash / suffix alphabet
LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
# Prefixes split so this file holds no token prefix next to a token body.
GHP = "gh" + "p_"
NPM = "np" + "m_"
GLPAT = "glp" + "at-"
XOXB = "xo" + "xb-"
SK_LIVE = "sk" + "_live_"
RK_LIVE = "rk" + "_live_"
AIZA = "AI" + "za"
SK_PROJ = "sk" + "-proj-"
OAI_MARK = "T3Blbk" + "FJ"
SG = "S" + "G."
AKIA = "AK" + "IA"
PEM_BEGIN = "-----BEGIN %sPRIVATE" + " KEY-----"
PEM_END = "-----END %sPRIVATE" + " KEY-----"

NAMESPACES = ["payments", "orders", "checkout", "search", "identity", "catalog", "notifications",
              "ingress-nginx", "monitoring", "argocd", "cert-manager", "kube-system", "default",
              "data-pipeline", "billing", "istio-system", "platform"]
APPS = ["checkout", "orders-api", "payment-gateway", "search-indexer", "auth-service", "catalog",
        "notification-worker", "cart", "inventory", "recommendation", "user-profile", "billing-worker",
        "gateway", "frontend", "ledger", "shipping", "pricing", "session-store", "webhooks", "reporting"]
USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "oscar", "peggy", "trent", "victor", "walter", "jdoe", "asmith", "mchen", "rpatel"]
WORDS = ("order item price total config server client request response handler cache index value "
         "name path file buffer stream error result status message event queue worker thread lock "
         "timeout retry backoff session cookie header body payload record table column schema query "
         "filter sort limit offset invoice customer account shipment refund product cart").split()
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "curl/8.5.0", "kube-probe/1.31", "Prometheus/2.54.1", "Go-http-client/2.0", "python-requests/2.32.3",
    "okhttp/4.12.0", "axios/1.7.7", "grpc-go/1.67.1", "ELB-HealthChecker/2.0", "Datadog Agent/7.59.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Googlebot/2.1 (+http://www.google.com/bot.html)",
]
K8S_UAS = [
    "kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46", "kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/leader-election",
    "kube-scheduler/v1.31.2 (linux/amd64) kubernetes/5864a46/leader-election", "kubectl/v1.31.1 (darwin/arm64) kubernetes/948afe5",
    "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format", "cert-manager-controller/v1.16.1 (linux/amd64) cert-manager/5a8b2e3c",
    "external-secrets/v0.0.0 (linux/amd64) kubernetes/$Format", "cluster-autoscaler/v1.31.0 (linux/amd64) kubernetes/$Format",
    "Go-http-client/2.0", "kube-probe/1.31", "helm/v3.16.2",
]


class Gen:
    """One chunk's generator state: a seeded Random and a clock."""

    def __init__(self, seed, idx):
        self.r = random.Random(seed * 1000003 + idx)
        self.t = 1765108800.0 + idx * 95.0  # 2025-12-07T12:00:00Z plus ~95 s per chunk
        self.pods = {a: self.pod(a) for a in APPS}
        self.nodes = ["ip-10-0-%d-%d.ec2.internal" % (self.r.randrange(1, 64), self.r.randrange(1, 255)) for _ in range(12)]

    # -- random pieces ---------------------------------------------------
    def hexs(self, n):
        return "%0*x" % (n, self.r.getrandbits(4 * n))

    def s(self, alphabet, n):
        return "".join(self.r.choices(alphabet, k=n))

    def uuid(self):
        h = self.hexs(32)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20], h[20:32])

    def pod(self, app=None):
        app = app or self.r.choice(APPS)
        return "%s-%s-%s" % (app, self.s(K8S_ALNUM, self.r.choice([9, 10])), self.s(K8S_ALNUM, 5))

    def anypod(self):
        if self.r.random() < 0.15:
            a = self.r.choice(APPS)
            self.pods[a] = self.pod(a)  # rollouts: new pods appear
        return self.r.choice(list(self.pods.values()))

    def ip(self):
        return "10.%d.%d.%d" % (self.r.randrange(0, 4), self.r.randrange(256), self.r.randrange(1, 255))

    def pubip(self):
        return "%d.%d.%d.%d" % (self.r.choice([34, 52, 81, 91, 100, 141, 185, 203]), self.r.randrange(256), self.r.randrange(256), self.r.randrange(1, 255))

    def b64(self, nbytes, url=False):
        raw = bytes(self.r.getrandbits(8) for _ in range(nbytes))
        if url:
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        return base64.b64encode(raw).decode()

    def cursor(self):
        """An opaque pagination cursor: base64 of a small JSON document."""
        doc = self.r.choice([
            '{"offset":%d,"limit":%d}' % (self.r.randrange(0, 50000, 50), self.r.choice([20, 50, 100])),
            '{"id":"%s","ts":%d}' % (self.uuid(), int(self.t)),
            '{"last_key":"order#%d","dir":"fwd"}' % self.r.randrange(10 ** 7),
            '[%d,"%s"]' % (self.r.randrange(10 ** 9), self.hexs(16)),
        ])
        enc = base64.b64encode(doc.encode()).decode()
        return enc.rstrip("=") if self.r.random() < 0.5 else enc

    def aws_next_token(self):
        return self.b64(self.r.choice([96, 144, 192]))

    def traceparent(self):
        return "00-%s-%s-0%d" % (self.hexs(32), self.hexs(16), self.r.choice([0, 1]))

    def dur_ms(self):
        return round(self.r.lognormvariate(2.5, 1.2), 3)

    def tick(self):
        self.t += self.r.random() * 0.004
        return self.t

    # -- timestamps ------------------------------------------------------
    def iso(self, digits=3):
        t = self.tick()
        s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))
        if not digits:
            return s + "Z"
        return "%s.%sZ" % (s, ("%.9f" % (t % 1))[2:2 + digits])

    def pyts(self):
        t = self.tick()
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) + ",%03d" % int(t % 1 * 1000)

    def javats(self):
        t = self.tick()
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) + ".%03d" % int(t % 1 * 1000)

    def klogts(self):
        t = self.tick()
        return time.strftime("%m%d %H:%M:%S", time.gmtime(t)) + ".%06d" % int(t % 1 * 1e6)

    def clf(self):
        return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(self.tick()))

    # -- shared content --------------------------------------------------
    def api_path(self):
        r = self.r
        p = r.choice([
            "/api/v1/orders/%d" % r.randrange(10 ** 7),
            "/api/v1/orders",
            "/api/v2/customers/%s/invoices" % self.uuid(),
            "/api/v1/users/%d/profile" % r.randrange(10 ** 6),
            "/api/v1/cart/%s/items" % self.uuid(),
            "/api/v1/products/%s" % self.s(UPPER + DIGITS, 10),
            "/api/v1/search",
            "/graphql",
            "/healthz", "/readyz", "/livez", "/metrics",
            "/static/js/main.%s.chunk.js" % self.hexs(8),
            "/static/css/app.%s.css" % self.hexs(20),
            "/oauth2/token", "/oauth2/userinfo", "/.well-known/openid-configuration", "/.well-known/jwks.json",
            "/v1/payments/%s/capture" % self.uuid(),
            "/webhooks/stripe", "/webhooks/github",
            "/api/v1/sessions/refresh", "/api/v1/auth/password/reset",
            "/favicon.ico", "/robots.txt",
        ])
        return p

    def query(self):
        r = self.r
        opts = [
            "page=%d&per_page=%d&sort=%s" % (r.randrange(1, 40), r.choice([20, 50, 100]), r.choice(["asc", "desc", "created_at", "-updated_at"])),
            "q=%s&limit=%d" % (r.choice(WORDS), r.choice([10, 25, 50])),
            "token_type=%s" % r.choice(["bearer", "Bearer", "access_token", "refresh_token", "id_token"]),
            "cursor=%s" % self.cursor(),
            "pageToken=%s" % self.cursor(),
            "nextToken=%s" % self.aws_next_token().replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
            "sid=%s" % self.cursor(),
            "utm_source=%s&utm_medium=email&utm_campaign=%s" % (r.choice(["newsletter", "google", "partner"]), self.s(LOWER + DIGITS, 8)),
            "lang=en-US&currency=%s" % r.choice(["USD", "EUR", "GBP"]),
            "v=%s" % self.hexs(8),
            "include=line_items,customer&expand=payment_intent",
            "from=%d&to=%d" % (int(self.t) - 86400, int(self.t)),
            "grant_type=refresh_token&token_type_hint=refresh_token",
            "response_type=code&client_id=%s&redirect_uri=https%%3A%%2F%%2Fapp.example.com%%2Fcallback&scope=openid%%20profile%%20email&state=%s" % (self.s(LOWER + DIGITS, 20), self.s(B64URL, 22)),
            "password_reset=true&email_sent=1",
            "session_token_ttl=3600",
            "key=user:%d:profile" % r.randrange(10 ** 6),
            "api_key_id=%s" % self.uuid(),
            "trace_id=%s" % self.hexs(32),
        ]
        if r.random() < 0.55:
            return ""
        q = r.choice(opts)
        if r.random() < 0.25:
            q += "&" + r.choice(opts)
        return "?" + q

    def sql(self):
        r = self.r
        return r.choice([
            "SELECT id, customer_id, status, total_cents FROM orders WHERE id = $1",
            "SELECT o.id, o.status FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1 AND o.created_at > $2 ORDER BY o.created_at DESC LIMIT 50",
            "INSERT INTO events (id, type, payload, created_at) VALUES ($1, $2, $3, now())",
            "UPDATE users SET password_hash = $1, password_changed_at = now() WHERE id = $2",
            "UPDATE sessions SET token_hash = ?, expires_at = ? WHERE session_id = ?",
            "SELECT secret_name, version FROM secret_versions WHERE secret_name = ? AND deleted_at IS NULL",
            "DELETE FROM refresh_tokens WHERE expires_at < $1",
            "SELECT api_key_id, scopes, last_used_at FROM api_keys WHERE api_key_id = $1",
            "INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES (?, ?, ?)",
            "SELECT count(*) FROM line_items WHERE order_id = ANY($1)",
        ])

    # -- families --------------------------------------------------------
    def zap(self):
        r = self.r
        app = r.choice(APPS)
        base = {"level": r.choice(["info"] * 7 + ["debug"] * 3 + ["warn", "error"]),
                "ts": round(self.tick(), 6),
                "caller": "%s/%s.go:%d" % (r.choice(["handler", "server", "store", "auth", "cache", "worker", "grpc"]), r.choice(WORDS), r.randrange(20, 900))}
        k = r.random()
        if k < 0.35:
            base.update({"msg": "request completed", "request_id": self.uuid(), "trace_id": self.hexs(32), "span_id": self.hexs(16),
                         "method": r.choice(["GET", "GET", "POST", "PUT", "DELETE"]), "path": self.api_path(), "status": r.choice([200, 200, 200, 201, 204, 400, 401, 404, 500]),
                         "duration": round(self.dur_ms() / 1000, 6), "user_id": "u_%d" % r.randrange(10 ** 6), "bytes_out": r.randrange(20, 90000)})
        elif k < 0.5:
            base.update({"msg": "query", "db.system": "postgresql", "db.statement": self.sql(), "db.rows": r.randrange(0, 500), "elapsed": "%.3fms" % self.dur_ms(), "trace_id": self.hexs(32)})
        elif k < 0.6:
            base.update({"msg": r.choice(["cache hit", "cache miss", "cache set"]), "key": r.choice(["user:%d:profile" % r.randrange(10 ** 6), "session:%s" % self.hexs(32), "rate:%s:%d" % (self.ip(), int(self.t) // 60), "cart:%s" % self.uuid(), "feature-flags:v%d" % r.randrange(40)]), "ttl": r.choice([60, 300, 3600, 86400])})
        elif k < 0.68:
            base.update({"msg": "token refreshed", "token_type": "Bearer", "expires_in": r.choice([300, 900, 3600]), "client_id": app, "subject": "system:serviceaccount:%s:%s" % (r.choice(NAMESPACES), app), "refresh_token_rotated": r.random() < 0.5})
        elif k < 0.74:
            base.update({"msg": "loaded secret", "secret_name": r.choice(["db-credentials", "stripe-api", "tls-cert", "%s-env" % app, "oauth-client"]), "secret_version": r.randrange(1, 30), "key": r.choice(["password", "username", "tls.key", "api-key", "client-secret"]), "mount": "/var/run/secrets/%s" % app})
        elif k < 0.8:
            base.update({"msg": "api key authenticated", "api_key_id": self.uuid(), "api_key_prefix": self.s(LOWER + DIGITS, 6), "scopes": ["orders:read", "orders:write"], "org_id": self.uuid()})
        elif k < 0.86:
            base.update({"msg": "published message", "topic": "%s.%s.v1" % (r.choice(NAMESPACES), r.choice(WORDS)), "partition": r.randrange(24), "offset": r.randrange(10 ** 9), "payload_b64": self.b64(r.choice([24, 48, 72])), "message_id": self.uuid()})
        elif k < 0.92:
            base.update({"msg": "jwt validated", "iss": "https://auth.example.com/", "sub": self.uuid(), "aud": app, "kid": self.hexs(16), "jti": self.uuid(), "exp_in": "%dm" % r.randrange(1, 60),
                         "token": r.choice(["[REDACTED]", "eyJhbGciOiJSUzI1NiIsImtpZCI6IjF...", "<redacted>", "****"])})
        else:
            base.update({"msg": r.choice(["retrying request", "upstream timeout", "context canceled", "circuit breaker open"]), "attempt": r.randrange(1, 6), "backoff": "%dms" % r.choice([100, 200, 400, 800]),
                         "error": r.choice(["dial tcp %s:5432: connect: connection refused" % self.ip(), "context deadline exceeded", "rpc error: code = Unavailable desc = connection error", "EOF"]), "upstream": "%s.%s.svc.cluster.local:%d" % (r.choice(APPS), r.choice(NAMESPACES), r.choice([80, 8080, 9090, 5432]))})
        return json.dumps(base, separators=(",", ":"))

    def logrus(self):
        r = self.r
        lvl = r.choice(["info"] * 7 + ["debug"] * 3 + ["warning", "error"])
        head = 'time="%s" level=%s' % (self.iso(0), lvl)
        k = r.random()
        if k < 0.3:
            body = 'msg="handled request" method=%s path=%s status=%d latency=%.3fms request_id=%s traceparent=%s' % (
                r.choice(["GET", "POST"]), self.api_path(), r.choice([200, 200, 201, 304, 404, 500]), self.dur_ms(), self.hexs(32), self.traceparent())
        elif k < 0.45:
            body = 'msg="token refreshed" token_type=Bearer expires_in=%d session_token_ttl=%d user_id=%d refresh=true' % (r.choice([900, 3600]), r.choice([3600, 86400]), r.randrange(10 ** 6))
        elif k < 0.55:
            body = 'msg="password changed for user" user=%s user_id=%d password_reset=%s notify=email' % (r.choice(USERS), r.randrange(10 ** 6), r.choice(["true", "false"]))
        elif k < 0.65:
            body = 'msg="syncing secret" secret_name=%s namespace=%s key=%s provider=aws-secretsmanager refresh_interval=1h' % (r.choice(["db-credentials", "redis-auth", "smtp-password", "stripe-api-key"]), r.choice(NAMESPACES), r.choice(["password", "api_key", "token", "DB_PASSWORD"]))
        elif k < 0.75:
            body = 'msg="cache lookup" key=user:%d:profile hit=%s ttl=%ds' % (r.randrange(10 ** 6), r.choice(["true", "false"]), r.choice([60, 300]))
        elif k < 0.83:
            body = 'msg="listing objects" bucket=%s-artifacts prefix=%s/ max_keys=1000 nextToken=%s' % (r.choice(APPS), r.choice(WORDS), self.aws_next_token())
        elif k < 0.9:
            body = 'msg="issued api key" api_key_id=%s owner=%s scopes="read:orders write:orders" expires=%s' % (self.uuid(), r.choice(USERS), time.strftime("%Y-%m-%d", time.gmtime(self.t + 86400 * 90)))
        else:
            body = 'msg="query executed" sql="%s" args=%d rows=%d duration=%.2fms' % (self.sql(), r.randrange(1, 4), r.randrange(100), self.dur_ms())
        return head + " " + body

    def python(self):
        r = self.r
        lvl = r.choice(["INFO"] * 7 + ["DEBUG"] * 3 + ["WARNING", "ERROR"])
        logger = r.choice(["app.api.views", "app.services.billing", "celery.app.trace", "django.request", "urllib3.connectionpool", "app.auth.tokens", "sqlalchemy.engine.Engine", "gunicorn.access"])
        k = r.random()
        if logger == "celery.app.trace":
            msg = "Task %s.tasks.%s[%s] succeeded in %.4fs: %s" % (r.choice(["billing", "notifications", "reports"]), r.choice(["send_invoice", "send_email", "rebuild_index", "charge_customer"]), self.uuid(), self.dur_ms() / 100, r.choice(["None", "True", "{'sent': 1}"]))
        elif logger == "urllib3.connectionpool":
            msg = 'https://%s:443 "%s %s HTTP/1.1" %d %d' % (r.choice(["api.stripe.com", "hooks.slack.com", "sqs.us-east-1.amazonaws.com", "oauth2.googleapis.com", "api.github.com"]), r.choice(["GET", "POST"]), self.api_path(), r.choice([200, 200, 201, 429]), r.randrange(100, 9000))
        elif logger == "sqlalchemy.engine.Engine":
            msg = r.choice([self.sql().replace("$1", "%(id_1)s").replace("$2", "%(param_2)s"), "[cached since %.5gs ago] {'id_1': %d}" % (r.random() * 900, r.randrange(10 ** 6)), "BEGIN (implicit)", "COMMIT"])
        elif logger == "app.auth.tokens":
            msg = r.choice([
                "token refreshed for user %d (expires_in=3600, token_type=Bearer)" % r.randrange(10 ** 6),
                "password changed for user %s; revoking %d sessions" % (r.choice(USERS), r.randrange(1, 6)),
                "refresh token rotated: family=%s generation=%d" % (self.uuid(), r.randrange(1, 40)),
                "rejected token: signature verification failed (kid=%s, token=%s...)" % (self.hexs(16), "eyJhbGciOiJSUzI1Ni"),
                "password reset requested for %s@example.com, token sent (ttl=%ds)" % (r.choice(USERS), r.choice([900, 3600])),
            ])
        elif logger == "gunicorn.access":
            msg = '%s - - [%s] "%s %s%s HTTP/1.1" %d %d "-" "%s"' % (self.ip(), self.clf(), r.choice(["GET", "POST"]), self.api_path(), self.query(), r.choice([200, 302, 404]), r.randrange(100, 50000), r.choice(UAS))
        else:
            msg = r.choice([
                "order %d created for customer %s total=%d currency=%s" % (r.randrange(10 ** 7), self.uuid(), r.randrange(100, 10 ** 6), r.choice(["USD", "EUR"])),
                "Not Found: %s" % self.api_path(),
                "webhook delivered id=%s attempt=%d status=%d" % (self.uuid(), r.randrange(1, 4), r.choice([200, 202, 500])),
                "loaded settings: DEBUG=False ALLOWED_HOSTS=['*'] SECRET_KEY=<from env> DATABASES.default.PASSWORD=<from env>",
                "request_id=%s user_id=%d action=%s" % (self.uuid(), r.randrange(10 ** 6), r.choice(["login", "logout", "update_profile", "change_password"])),
            ])
        line = "%s %s [%s] %s" % (self.pyts(), lvl, logger, msg)
        if r.random() < 0.02:
            line += ("\nTraceback (most recent call last):\n"
                     '  File "/app/%s/views.py", line %d, in post\n    result = service.%s(request.data)\n'
                     '  File "/app/%s/services.py", line %d, in %s\n    row = self.session.execute(stmt, {"id": order_id}).one()\n'
                     '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/result.py", line 1809, in one\n    return self._only_one_row(\n'
                     "sqlalchemy.exc.NoResultFound: No row was found when one was required") % (
                r.choice(WORDS), r.randrange(10, 400), r.choice(WORDS), r.choice(WORDS), r.randrange(10, 400), r.choice(WORDS))
        return line

    def java(self):
        r = self.r
        lvl = r.choice(["INFO"] * 7 + ["DEBUG"] * 2 + ["WARN", "ERROR"])
        thread = r.choice(["http-nio-8080-exec-%d" % r.randrange(1, 200), "main", "scheduling-1", "kafka-consumer-%d" % r.randrange(8), "HikariPool-1 housekeeper", "reactor-http-epoll-%d" % r.randrange(1, 5)])
        logger = r.choice(["c.e.orders.web.OrderController", "c.e.payments.service.ChargeService", "o.h.SQL", "com.zaxxer.hikari.HikariDataSource", "o.s.web.servlet.DispatcherServlet", "c.e.auth.TokenService", "o.a.k.clients.consumer.KafkaConsumer"])
        if logger == "o.h.SQL":
            msg = r.choice(["select o1_0.id,o1_0.customer_id,o1_0.status from orders o1_0 where o1_0.id=?", "insert into payment (amount,currency,status,id) values (?,?,?,?)", "update users set password_hash=?,password_changed_at=? where id=?"])
        elif logger == "com.zaxxer.hikari.HikariDataSource":
            msg = r.choice(["HikariPool-1 - Starting...", "HikariPool-1 - Start completed.", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@%s" % self.hexs(8)])
        elif logger == "c.e.auth.TokenService":
            msg = r.choice(["Token refreshed for principal=%s tokenType=Bearer expiresIn=3600" % r.choice(USERS),
                            "Password changed for user id=%d, invalidating sessions" % r.randrange(10 ** 6),
                            "Loaded signing key kid=%s alg=RS256 from secret %s/jwt-signing-key" % (self.hexs(16), r.choice(NAMESPACES)),
                            "Issued access token jti=%s sub=%s scope=[orders:read] ttl=PT15M" % (self.uuid(), self.uuid())])
        else:
            msg = r.choice(["Completed %d %s in %dms" % (r.choice([200, 201, 404]), r.choice(["OK", "CREATED", "NOT_FOUND"]), r.randrange(1, 900)),
                            "Processing order orderId=%d customerId=%s traceId=%s spanId=%s" % (r.randrange(10 ** 7), self.uuid(), self.hexs(32), self.hexs(16)),
                            "Charge succeeded chargeId=ch_%s amount=%d currency=usd" % (self.s(B62, 24), r.randrange(100, 10 ** 5)),
                            "Received records partition=%d offset=%d count=%d" % (r.randrange(12), r.randrange(10 ** 8), r.randrange(1, 500))])
        line = "%s %5s 1 --- [%15s] %-40s : %s" % (self.javats(), lvl, thread[-15:], logger, msg)
        if lvl in ("WARN", "ERROR") and r.random() < 0.4:
            frames = "".join("\tat com.example.%s.%s.%s(%s.java:%d)\n" % (r.choice(["orders", "payments", "auth"]), r.choice(["service", "web", "repo"]), r.choice(["handle", "process", "apply", "lambda$run$0"]), r.choice(["OrderService", "ChargeService", "TokenFilter"]), r.randrange(20, 700)) for _ in range(r.randrange(3, 9)))
            line += ("\n%s: %s\n%s\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
                     "\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)\n\t... %d common frames omitted\n"
                     "Caused by: java.net.SocketTimeoutException: Read timed out\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)\n\t... %d more") % (
                r.choice(["org.springframework.dao.DataAccessResourceFailureException", "java.lang.IllegalStateException", "feign.RetryableException"]),
                r.choice(["Unable to acquire JDBC Connection", "Read timed out executing POST http://payments.payments.svc:8080/v1/charges", "token_type must be Bearer"]),
                frames, r.randrange(10, 90), r.randrange(10, 90))
        return line

    def pino(self):
        r = self.r
        host = self.anypod()
        d = {"level": r.choice([30] * 7 + [20, 40, 50]), "time": int(self.tick() * 1000), "pid": r.choice([1, 7, 18]), "hostname": host}
        k = r.random()
        if k < 0.5:
            d.update({"reqId": "req-%s" % self.s(LOWER + DIGITS, r.choice([4, 6])),
                      "req": {"method": r.choice(["GET", "POST"]), "url": self.api_path() + self.query(), "hostname": "%s.example.com" % r.choice(["app", "api", "shop"]), "remoteAddress": self.ip(),
                              "headers": {"user-agent": r.choice(UAS), "traceparent": self.traceparent(), "x-request-id": self.uuid(), "authorization": r.choice(["[Redacted]", "Bearer [Redacted]", "[REDACTED]"]), "cookie": "[Redacted]"}},
                      "res": {"statusCode": r.choice([200, 200, 304, 401, 404, 500])}, "responseTime": round(self.dur_ms(), 3), "msg": "request completed"})
        elif k < 0.65:
            d.update({"msg": "session created", "sessionIdSha256Prefix": self.hexs(12), "userId": r.randrange(10 ** 6), "csrfTokenLength": 43, "tokenType": "Bearer"})
        elif k < 0.8:
            d.update({"msg": "graphql operation", "operationName": r.choice(["GetCart", "ListOrders", "UpdateProfile"]), "variables": {"first": 20, "after": self.cursor()}, "durationMs": round(self.dur_ms(), 2)})
        else:
            d.update({"msg": r.choice(["upstream error", "retrying"]), "err": {"type": "FetchError", "message": "request to http://%s.%s.svc:8080/api failed, reason: socket hang up" % (r.choice(APPS), r.choice(NAMESPACES)), "code": "ECONNRESET"}})
        return json.dumps(d, separators=(",", ":"))

    def nginx(self):
        r = self.r
        path = self.api_path() + self.query()
        ref = r.choice(['"-"', '"https://app.example.com/%s"' % r.choice(["", "orders", "checkout", "account/settings"]), '"https://www.google.com/"'])
        if r.random() < 0.6:  # ingress-nginx format
            ns, app = r.choice(NAMESPACES), r.choice(APPS)
            return '%s - - [%s] "%s %s HTTP/%s" %d %d %s "%s" %d %.3f [%s-%s-%d] [] %s:%d %d %.3f %d %s' % (
                self.pubip(), self.clf(), r.choice(["GET"] * 4 + ["POST", "PUT", "OPTIONS"]), path, r.choice(["1.1", "2.0"]), r.choice([200] * 6 + [204, 301, 304, 401, 404, 499, 502]),
                r.randrange(0, 80000), ref, r.choice(UAS), r.randrange(200, 3000), self.dur_ms() / 1000, ns, app, r.choice([80, 8080, 443]), self.ip(), r.choice([8080, 3000, 8000]),
                r.randrange(0, 80000), self.dur_ms() / 1000, r.choice([200, 200, 404]), self.hexs(32))
        return '%s - %s [%s] "%s %s HTTP/1.1" %d %d %s "%s" rt=%.3f uct="%.3f" uht="%.3f" urt="%.3f" req_id=%s upstream=%s:%d' % (
            self.pubip(), r.choice(["-", "-", "-", r.choice(USERS)]), self.clf(), r.choice(["GET", "POST"]), path, r.choice([200, 200, 302, 404]), r.randrange(0, 60000), ref, r.choice(UAS),
            self.dur_ms() / 1000, r.random() / 100, self.dur_ms() / 1000, self.dur_ms() / 1000, self.hexs(32), self.ip(), r.choice([8080, 9000]))

    def envoy(self):
        r = self.r
        app, ns = r.choice(APPS), r.choice(NAMESPACES)
        return '[%s] "%s %s HTTP/%s" %d - via_upstream - "-" %d %d %d %d "%s" "%s" "%s" "%s" "%s:%d" outbound|%d||%s.%s.svc.cluster.local %s:%d %s:%d %s:%d %s default' % (
            self.iso(3), r.choice(["GET", "POST"]), r.choice([self.api_path() + self.query(), "/grpc.health.v1.Health/Check", "/%s.v1.%sService/%s" % (app.replace("-", ""), r.choice(WORDS).title(), r.choice(["Get", "List", "Create"]))]),
            r.choice(["1.1", "2"]), r.choice([200] * 8 + [404, 503]), r.randrange(0, 5000), r.randrange(0, 90000), r.randrange(1, 900), r.randrange(0, 800),
            self.ip() if r.random() < 0.5 else "-", r.choice(UAS), self.uuid(), "%s.%s.svc.cluster.local:8080" % (app, ns), self.ip(), 8080, 8080, app, ns,
            self.ip(), 8080, self.ip(), r.randrange(30000, 60000), self.ip(), 8080, r.choice(["-", "outbound_.8080_._.%s.%s.svc.cluster.local" % (app, ns)]))

    def audit(self):
        r = self.r
        ns = r.choice(NAMESPACES)
        app = r.choice(APPS)
        k = r.random()
        ts = self.iso(6)
        if k < 0.3:
            lease = r.choice(["kube-controller-manager", "kube-scheduler", "cert-manager-controller", "external-secrets-controller", "%s-leader" % app])
            lns = "kube-system" if lease.startswith("kube-") else ns
            user = r.choice(["system:kube-controller-manager", "system:kube-scheduler", "system:serviceaccount:%s:%s" % (lns, lease)])
            verb, uri = r.choice([("update", "/apis/coordination.k8s.io/v1/namespaces/%s/leases/%s?timeout=5s" % (lns, lease)), ("get", "/apis/coordination.k8s.io/v1/namespaces/%s/leases/%s?timeout=5s" % (lns, lease))])
            obj = {"resource": "leases", "namespace": lns, "name": lease, "apiGroup": "coordination.k8s.io", "apiVersion": "v1"}
        elif k < 0.5:
            node = r.choice(self.nodes)
            user = "system:node:%s" % node
            verb, uri = "patch", "/api/v1/namespaces/%s/pods/%s/status" % (ns, self.anypod())
            obj = {"resource": "pods", "namespace": ns, "name": uri.split("/")[-2], "apiVersion": "v1", "subresource": "status"}
        elif k < 0.62:
            sec = r.choice(["db-credentials", "%s-tls" % app, "%s-env" % app, "sh.helm.release.v1.%s.v%d" % (app, r.randrange(1, 60)), "registry-pull-secret", "oauth-client-secret"])
            user = r.choice(["system:serviceaccount:external-secrets:external-secrets", "system:serviceaccount:argocd:argocd-application-controller", "system:node:%s" % r.choice(self.nodes), "%s@example.com" % r.choice(USERS)])
            verb = r.choice(["get", "list", "watch", "update"])
            uri = "/api/v1/namespaces/%s/secrets/%s" % (ns, sec) if verb in ("get", "update") else "/api/v1/namespaces/%s/secrets?resourceVersion=%d&watch=true" % (ns, r.randrange(10 ** 8))
            obj = {"resource": "secrets", "namespace": ns, "name": sec, "apiVersion": "v1"}
        elif k < 0.72:
            sa = app
            user = "system:node:%s" % r.choice(self.nodes)
            verb, uri = "create", "/api/v1/namespaces/%s/serviceaccounts/%s/token" % (ns, sa)
            obj = {"resource": "serviceaccounts", "namespace": ns, "name": sa, "apiVersion": "v1", "subresource": "token"}
        elif k < 0.85:
            pod = self.anypod()
            user = r.choice(["%s@example.com" % r.choice(USERS), "system:serviceaccount:argocd:argocd-server", "oidc:%s" % r.choice(USERS)])
            verb, uri = "get", "/api/v1/namespaces/%s/pods/%s/log?container=%s&follow=true&tailLines=%d" % (ns, pod, app, r.choice([100, 500, 1000]))
            obj = {"resource": "pods", "namespace": ns, "name": pod, "apiVersion": "v1", "subresource": "log"}
        else:
            user = "system:serviceaccount:%s:%s" % (r.choice(["argocd", "flux-system", "kube-system"]), r.choice(["argocd-application-controller", "kustomize-controller", "replicaset-controller"]))
            res = r.choice(["deployments", "replicasets", "configmaps", "services", "horizontalpodautoscalers"])
            grp = {"deployments": "apps", "replicasets": "apps", "horizontalpodautoscalers": "autoscaling"}.get(res, "")
            verb = r.choice(["get", "list", "watch", "patch"])
            uri = ("/apis/%s/v1/namespaces/%s/%s/%s" % (grp, ns, res, app) if grp else "/api/v1/namespaces/%s/%s/%s" % (ns, res, app))
            if verb == "list":
                uri += "?limit=500&continue=%s" % self.cursor()
            obj = {"resource": res, "namespace": ns, "name": app, "apiVersion": "v1"}
            if grp:
                obj["apiGroup"] = grp
        groups = ["system:serviceaccounts", "system:serviceaccounts:%s" % ns, "system:authenticated"] if user.startswith("system:serviceaccount:") else (["system:nodes", "system:authenticated"] if user.startswith("system:node:") else ["system:authenticated"])
        u = {"username": user, "uid": self.uuid(), "groups": groups}
        if user.startswith("system:serviceaccount:"):
            u["extra"] = {"authentication.kubernetes.io/credential-id": ["JTI=%s" % self.uuid()], "authentication.kubernetes.io/node-name": [r.choice(self.nodes)],
                          "authentication.kubernetes.io/pod-name": [self.pod(user.split(":")[-1])], "authentication.kubernetes.io/pod-uid": [self.uuid()]}
        code = r.choice([200] * 9 + [201, 404, 409, 403])
        ev = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": self.uuid(), "stage": "ResponseComplete", "requestURI": uri, "verb": verb, "user": u,
              "sourceIPs": [self.ip()], "userAgent": r.choice(K8S_UAS), "objectRef": obj, "responseStatus": {"metadata": {}, "code": code},
              "requestReceivedTimestamp": ts, "stageTimestamp": ts,
              "annotations": {"authorization.k8s.io/decision": "allow" if code != 403 else "forbid",
                              "authorization.k8s.io/reason": ('RBAC: allowed by ClusterRoleBinding "%s" of ClusterRole "%s" to User "%s"' % (obj["resource"] + "-binding", obj["resource"] + "-reader", user)) if code != 403 else ""}}
        if obj.get("subresource") == "token":
            ev["annotations"]["authentication.kubernetes.io/issued-credential-id"] = "JTI=%s" % self.uuid()
        if code == 403:
            ev["responseStatus"].update({"status": "Failure", "message": '%s "%s" is forbidden: User "%s" cannot %s resource "%s"' % (obj["resource"], obj["name"], user, verb, obj["resource"]), "reason": "Forbidden"})
        if r.random() < 0.05:
            ev["annotations"]["pod-security.kubernetes.io/enforce-policy"] = "restricted:latest"
        return json.dumps(ev, separators=(",", ":"))

    def klog(self):
        r = self.r
        lvl = r.choice("IIIIIIIIWWE")
        pid = r.choice([1, 1, 12, 2841, 3127])
        pod = self.anypod()
        ns = r.choice(NAMESPACES)
        node = r.choice(self.nodes)
        k = r.random()
        if k < 0.18:
            body = 'kubelet.go:%d] "SyncLoop %s" source="api" pods=["%s/%s"]' % (r.choice([2447, 2463, 2475]), r.choice(["UPDATE", "ADD", "DELETE", "RECONCILE"]), ns, pod)
        elif k < 0.28:
            body = 'leaderelection.go:%d] %s' % (r.choice([250, 260, 271]), r.choice([
                "attempting to acquire leader lease kube-system/%s..." % r.choice(["kube-controller-manager", "kube-scheduler"]),
                'successfully acquired lease kube-system/%s' % r.choice(["kube-controller-manager", "kube-scheduler"]),
                '"Lease renewed" holder="%s_%s" lease="kube-system/kube-controller-manager"' % (node, self.uuid())]))
        elif k < 0.36:
            body = 'event.go:%d] "Event occurred" object="kube-system/kube-controller-manager" fieldPath="" kind="Lease" apiVersion="coordination.k8s.io/v1" type="Normal" reason="LeaderElection" message="%s_%s became leader"' % (r.choice([377, 389]), node, self.uuid())
        elif k < 0.46:
            img = "%s/%s/%s@sha256:%s" % (r.choice(["registry.example.com", "ghcr.io", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "docker.io"]), r.choice(["platform", "team-a", "library"]), r.choice(APPS), self.hexs(64))
            body = 'kuberuntime_manager.go:%d] "%s" image="%s" pod="%s/%s"' % (r.choice([1024, 1093]), r.choice(["Pulling image", "Container image already present on machine", "Successfully pulled image"]), img, ns, pod)
        elif k < 0.54:
            body = 'pod_container_deletor.go:80] "Container not found in pod\'s containers" containerID="containerd://%s"' % self.hexs(64)
        elif k < 0.62:
            body = 'pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod=%s_%s(%s)\\"" pod="%s/%s" podUID="%s"' % (pod, ns, self.uuid(), ns, pod, self.uuid())
        elif k < 0.7:
            body = 'replica_set.go:%d] "Finished syncing" logger="replicaset-controller" kind="ReplicaSet" key="%s/%s" duration="%.1fµs"' % (r.choice([676, 679]), ns, pod.rsplit("-", 1)[0], r.random() * 900)
        elif k < 0.76:
            body = 'reflector.go:561] object-"%s"/"%s": failed to list *v1.Secret: secrets "%s" is forbidden: User "system:node:%s" cannot list resource "secrets" in API group "" in the namespace "%s": no relationship found between node \'%s\' and this object' % (ns, "db-credentials", "db-credentials", node, ns, node)
        elif k < 0.81:
            body = 'warnings.go:70] Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.'
        elif k < 0.86:
            body = 'operation_generator.go:%d] "MountVolume.SetUp succeeded for volume \\"kube-api-access-%s\\" (UniqueName: \\"kubernetes.io/projected/%s-kube-api-access-%s\\") pod \\"%s\\" (UID: \\"%s\\")" pod="%s/%s"' % (
                r.choice([721, 637]), self.s(K8S_ALNUM, 5), self.uuid(), self.s(K8S_ALNUM, 5), pod, self.uuid(), ns, pod)
        elif k < 0.9:
            body = 'scheduler.go:%d] "Successfully bound pod to node" pod="%s/%s" node="%s" evaluatedNodes=%d feasibleNodes=%d' % (r.choice([475, 480]), ns, pod, node, r.randrange(6, 40), r.randrange(1, 6))
        elif k < 0.94:
            body = 'garbagecollector.go:%d] "Deleting item" logger="garbage-collector-controller" item="[v1/Pod, namespace: %s, name: %s, uid: %s]" propagationPolicy="Background"' % (r.choice([549, 688]), ns, pod, self.uuid())
        else:
            body = 'cri_stats_provider.go:%d] "Unable to fetch container log stats" err="failed to get fsstats for \\"/var/log/pods/%s_%s_%s/app/0.log\\": no such file or directory" containerName="app"' % (r.choice([452, 917]), ns, pod, self.uuid())
        return "%s%s %7d %s" % (lvl, self.klogts(), pid, body)

    def prose(self):
        """Benign lines full of keywords: masked values, prose, ids."""
        r = self.r
        ts = self.iso(3)
        return r.choice([
            "%s INFO auth: token refreshed for session %d (token_type=Bearer, expires_in=3600)" % (ts, r.randrange(10 ** 6)),
            "%s DEBUG > Authorization: Bearer [REDACTED]" % ts,
            "%s DEBUG > authorization: Bearer ****************" % ts,
            '%s INFO {"event":"login","user":"%s","password":"********"}' % (ts, r.choice(USERS)),
            "%s WARN password reset requested for user %d" % (ts, r.randrange(10 ** 5)),
            "%s INFO password changed for user %s" % (ts, r.choice(USERS)),
            "%s DEBUG GET /cb?state=%s&token=<hidden> 302" % (ts, self.s(B64URL, 22)),
            "%s INFO set-cookie: theme=dark; Path=/; SameSite=Lax" % ts,
            "%s INFO secret %s/%s rotated (version %d -> %d)" % (ts, r.choice(NAMESPACES), r.choice(["db-credentials", "api-keys", "tls"]), r.randrange(1, 9), r.randrange(10, 20)),
            "%s WARN access token for client %s expires in %d minutes" % (ts, r.choice(APPS), r.randrange(1, 60)),
            "%s INFO using AWS credentials from web identity token file /var/run/secrets/eks.amazonaws.com/serviceaccount/token" % ts,
            "%s INFO key rotation complete: kid=%s alg=ES256" % (ts, self.hexs(16)),
            "%s DEBUG resolved secretKeyRef name=db-credentials key=password for env DB_PASSWORD" % ts,
            "%s ERROR invalid api key (api_key_id=%s, prefix=%s...)" % (ts, self.uuid(), self.s(LOWER, 4)),
            "%s INFO id_token_hint=eyJhbGciOiJSUzI1NiIs...[truncated] post_logout_redirect_uri=https://app.example.com/" % ts,
        ])

    FAMILIES = [("zap", 0.12), ("logrus", 0.08), ("python", 0.08), ("java", 0.08), ("pino", 0.07),
                ("nginx", 0.13), ("envoy", 0.07), ("audit", 0.14), ("klog", 0.20), ("prose", 0.03)]

    # -- planted secrets -------------------------------------------------
    def crc_token(self, prefix):
        body = self.s(B62, 30)
        n = zlib.crc32(body.encode()) & 0xFFFFFFFF
        c = ""
        for _ in range(6):
            c = B62[n % 62] + c
            n //= 62
        return prefix + body + c

    def password(self):
        while True:
            p = self.s(B62 + "!@#%^&*-_", 16)
            if any(c.isdigit() for c in p) and any(c.isupper() for c in p) and any(c.islower() for c in p):
                return p

    def jwt(self):
        r = self.r
        head = {"alg": "RS256", "typ": "JWT", "kid": self.hexs(16)}
        iat = int(self.t)
        claims = {"iss": "https://auth.example.com/", "sub": self.uuid(), "aud": ["orders-api", "payments-api"], "iat": iat, "nbf": iat,
                  "exp": iat + r.choice([86400 * 30, 86400 * 365]), "jti": self.uuid(), "scope": "orders:read orders:write payments:read",
                  "email": "%s@example.com" % r.choice(USERS), "org_id": self.uuid()}

        def enc(d):
            return base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()
        return enc(head) + "." + enc(claims) + "." + self.b64(256, url=True)

    def pem_body(self):
        # DER-shaped: SEQUENCE, version 0, then random bytes (not a real key).
        n = self.r.choice([1190, 1192, 1217])
        der = b"\x30\x82" + (n - 4).to_bytes(2, "big") + b"\x02\x01\x00\x02\x82\x01\x01\x00" + bytes(self.r.getrandbits(8) for _ in range(n - 12))
        b = base64.b64encode(der).decode()
        return [b[i:i + 64] for i in range(0, len(b), 64)]

    def plant(self, kind):
        """Returns (lines, first, last, rules, label): the event's lines and the
        0-based indexes of the first and last line holding the secret."""
        r = self.r
        ts = self.iso(3)
        if kind == "github-pat":
            tok = self.crc_token(GHP)
            line = r.choice([
                "%s INFO ci-runner: + export GITHUB_TOKEN=%s" % (ts, tok),
                'time="%s" level=debug msg="cloning" repo=org/%s git_token=%s depth=1' % (ts, r.choice(APPS), tok),
                '{"level":"debug","ts":%.6f,"msg":"github client configured","token":"%s","base_url":"https://api.github.com"}' % (self.t, tok),
            ])
            return [line], 0, 0, "github-pat", "GitHub classic PAT (CRC32-valid)"
        if kind == "aws-pair":
            kid = AKIA + self.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
            sec = self.s(B64, 40)
            if r.random() < 0.5:
                lines = ["%s DEBUG [botocore.credentials] config dump:" % self.pyts(), "  region = us-east-1", "  aws_access_key_id = %s" % kid, "  aws_secret_access_key = %s" % sec, "  output = json"]
                return lines, 2, 3, "aws-access-key-id,aws-secret-access-key,aws-secret-access-key-pair", "AWS key id + secret key (multi-line config dump)"
            line = '{"level":"error","ts":%.6f,"msg":"s3 upload failed","config":{"region":"eu-west-1","bucket":"%s-artifacts","AccessKeyID":"%s","SecretAccessKey":"%s"},"error":"AccessDenied"}' % (self.t, r.choice(APPS), kid, sec)
            return [line], 0, 0, "aws-access-key-id,aws-secret-access-key,aws-secret-access-key-pair", "AWS key id + secret key (JSON config)"
        if kind == "slack-bot":
            tok = "%s%s-%s-%s" % (XOXB, self.s(DIGITS, 12), self.s(DIGITS, 13), self.s(B62, 24))
            line = r.choice(["%s ERROR [slack_sdk.web.base_client] chat.postMessage failed: not_in_channel (token=%s, channel=C%s)" % (self.pyts(), tok, self.s(UPPER + DIGITS, 10)),
                             "%s INFO alertmanager: env SLACK_BOT_TOKEN=%s SLACK_CHANNEL=#alerts" % (ts, tok)])
            return [line], 0, 0, "slack-bot-token", "Slack bot token"
        if kind == "stripe-live":
            tok = r.choice([SK_LIVE, RK_LIVE]) + self.s(B62, r.choice([24, 99]))
            line = "%s ERROR 1 --- [nio-8080-exec-%d] c.e.payments.StripeClient              : charge failed: StripeConfig{apiKey=%s, apiVersion=2024-06-20, maxRetries=2}" % (self.javats(), r.randrange(1, 200), tok)
            return [line], 0, 0, "stripe-live-secret-key", "Stripe live secret key"
        if kind == "jwt-bearer":
            line = r.choice(["%s DEBUG http: > Authorization: Bearer %s" % (ts, self.jwt()),
                             '{"level":30,"time":%d,"msg":"outgoing request","req":{"method":"GET","url":"https://payments.internal/v1/charges","headers":{"Authorization":"Bearer %s"}}}' % (int(self.t * 1000), self.jwt())])
            return [line], 0, 0, "http-bearer-token,jwt,jwt-long-lived,jwt-broad-scope", "JWT (RS256, 30d-1y exp) in Authorization: Bearer"
        if kind == "postgres-url":
            pw = self.s(B62, r.choice([16, 20, 24]))
            line = r.choice(['time="%s" level=info msg="connecting to database" url="postgres://%s:%s@%s-db.%s.svc.cluster.local:5432/%s?sslmode=require"' % (ts, r.choice(APPS).replace("-", "_"), pw, r.choice(APPS), r.choice(NAMESPACES), r.choice(WORDS)),
                             "%s ERROR [sqlalchemy.pool.impl.QueuePool] Exception during reset or similar: could not connect to postgresql://app:%s@10.0.4.17:5432/orders" % (self.pyts(), pw)])
            return [line], 0, 0, "database-url-password,url-credentials", "postgres URL with password"
        if kind == "login-password":
            pw = self.password()
            line = r.choice(['time="%s" level=debug msg="login failed" user=%s password=%s reason=invalid_credentials ip=%s' % (ts, r.choice(USERS), pw, self.pubip()),
                             "%s DEBUG [app.auth.views] authenticate() failed for username=%s password=%s remote=%s" % (self.pyts(), r.choice(USERS), pw, self.pubip())])
            return [line], 0, 0, "generic-password,command-line-password", "password= in failed-login debug line (16 random chars)"
        if kind == "pem-in-trace":
            typ = r.choice(["RSA ", ""])
            body = self.pem_body()
            lines = ["%s ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed" % self.javats(),
                     "java.lang.IllegalStateException: Failed to load TLS material: TlsProperties{certFile=/etc/tls/tls.crt, keyPassword=null, privateKey=" + (PEM_BEGIN % typ)] + body + [
                     (PEM_END % typ) + "}",
                     "\tat com.example.gateway.tls.TlsConfig.keyManager(TlsConfig.java:88)",
                     "\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1815)",
                     "\t... 24 common frames omitted"]
            return lines, 1, 2 + len(body), "private-key-pem", "PEM private key in a Java stack trace (multi-line)"
        if kind == "gcp-api-key":
            key = AIZA + self.s(B64URL, 35)
            line = r.choice(['{"level":"warn","ts":%.6f,"msg":"geocoding quota exceeded","url":"https://maps.googleapis.com/maps/api/geocode/json?address=%s&key=%s","status":429}' % (self.t, r.choice(WORDS), key),
                             "%s INFO [app.ai] gemini client init: GOOGLE_API_KEY=%s model=gemini-2.0-flash" % (self.pyts(), key)])
            return [line], 0, 0, "gcp-api-key,url-query-secret", "Google API key AIza..."
        if kind == "openai-proj":
            key = SK_PROJ + self.s(B64URL, 74) + OAI_MARK + self.s(B64URL, 74)
            line = '{"level":50,"time":%d,"msg":"openai call failed","request":{"model":"gpt-4o-mini","api_key":"%s"},"response":{"status":429,"body":{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}}}' % (int(self.t * 1000), key)
            return [line], 0, 0, "openai-api-key,openai-project-key", "OpenAI sk-proj- key in a JSON error body"
        if kind == "npm-token":
            tok = self.crc_token(NPM)
            return ["%s INFO ci-runner: //registry.npmjs.org/:_authToken=%s" % (ts, tok)], 0, 0, "npm-access-token", "npm access token (CRC32-valid) in .npmrc echo"
        if kind == "gitlab-pat":
            tok = GLPAT + self.s(B64URL, 20)
            return ['time="%s" level=info msg="registering runner" url=https://gitlab.example.com/ private_token=%s' % (ts, tok)], 0, 0, "gitlab-pat", "GitLab PAT glpat-"
        if kind == "sendgrid":
            tok = SG + self.s(B64URL, 22) + "." + self.s(B64URL, 43)
            return ["%s ERROR [notifications.mailer] send failed with SENDGRID_API_KEY=%s: HTTP Error 401: Unauthorized" % (self.pyts(), tok)], 0, 0, "sendgrid-api-key", "SendGrid API key"
        if kind == "basic-auth":
            cred = base64.b64encode(("%s:%s" % (r.choice(["deploy", "ci-bot", "grafana"]), self.password())).encode()).decode()
            return ["%s DEBUG http.client: send: b'GET /api/v1/query HTTP/1.1\\r\\nHost: prometheus:9090\\r\\nAuthorization: Basic %s\\r\\n\\r\\n'" % (self.pyts(), cred)], 0, 0, "http-basic-auth", "HTTP Basic credentials (user:16-char password)"
        raise ValueError(kind)

    PLANT_KINDS = ["github-pat", "aws-pair", "slack-bot", "stripe-live", "jwt-bearer", "postgres-url", "login-password",
                   "pem-in-trace", "gcp-api-key", "openai-proj", "npm-token", "gitlab-pat", "sendgrid", "basic-auth"]


def plant_schedule(seed, nchunks):
    """Which chunks get a secret and of which kind: two chunks in three, kinds
    cycled through a seeded shuffle so every kind appears early."""
    order = list(Gen.PLANT_KINDS)
    random.Random(seed).shuffle(order)
    sched, n = {}, 0
    for i in range(nchunks):
        if i % 3 != 2:
            sched[i] = order[n % len(order)]
            n += 1
    return sched


def make_chunk(args):
    seed, idx, size, kind = args
    g = Gen(seed, idx)
    names = [n for n, _ in Gen.FAMILIES]
    weights = [w for _, w in Gen.FAMILIES]
    fns = {n: getattr(g, n) for n in names}
    out, nbytes, nlines = [], 0, 0
    plant_at = int(size * g.r.uniform(0.05, 0.95)) if kind else -1
    planted = []
    picks = []
    while nbytes < size:
        if not picks:
            picks = g.r.choices(names, weights, k=4096)
        if plant_at >= 0 and nbytes >= plant_at:
            lines, first, last, rules, label = g.plant(kind)
            planted.append((nlines + first + 1, nlines + last + 1, rules, label))
            plant_at = -1
            text = "\n".join(lines)
        else:
            text = fns[picks.pop()]()
        out.append(text)
        nbytes += len(text) + 1  # ASCII apart from a rare "µ": close enough
        nlines += text.count("\n") + 1
    data = ("\n".join(out) + "\n").encode()
    return data, nlines, planted


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=1024, help="size in MiB (default 1024)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    total = int(args.mb * 1024 * 1024)
    nchunks = max(1, -(-total // CHUNK))
    sched = plant_schedule(args.seed, nchunks)
    work = [(args.seed, i, min(CHUNK, total - i * CHUNK), sched.get(i)) for i in range(nchunks)]
    line0, rows, written = 0, [], 0
    with open(args.out, "wb") as f:
        if args.jobs > 1:
            pool = multiprocessing.Pool(args.jobs)
            results = pool.imap(make_chunk, work)
        else:
            pool, results = None, map(make_chunk, work)
        for data, nlines, planted in results:
            f.write(data)
            written += len(data)
            for a, b, rules, label in planted:
                rows.append("%d\t%d\t%s\t%s" % (line0 + a, line0 + b, rules, label))
            line0 += nlines
        if pool:
            pool.close()
            pool.join()
    with open(args.out + ".planted.tsv", "w") as f:
        f.write("# line\tend_line\trules\tlabel\n")
        f.write("".join(r + "\n" for r in rows))
    print("%s: %.1f MiB, %d lines, %d planted secrets (%s.planted.tsv)" % (args.out, written / 1048576, line0, len(rows), args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
