#!/usr/bin/env python3
"""The Gatehouse load harness behind bench/run (see docs/benchmarks.md).

Starts, all on 127.0.0.1 and free ports: an upstream nginx serving a fixed 1 KiB body, a baseline nginx reverse
proxy to it, NAV mock-oauth2-server as the OpenID provider, Gatehouse in front of the same upstream (and the
Spring peer when bench/peers/spring-bff is there); signs in through the provider; runs wrk against baseline and
Gatehouse in alternating rounds per scenario; prints markdown tables. Every process it starts is stopped by PID
when it ends, however it ends.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NGINX = "/usr/sbin/nginx"
CLK_TCK = os.sysconf("SC_CLK_TCK")
BODY = (("Gatehouse benchmark body. " * 64)[:1023] + "\n").encode()   # exactly 1024 bytes, no quote or $
# What the baseline nginx sends upstream in place of the user's token: about as long as an access token.
BASELINE_TOKEN = "bench." + "x" * 600
CLIENT_ID = "gatehouse"
ISSUER_ID = "bench"
PATH_QUERY = "/resource?id=42"

# BRIEF §5 bars, by scenario: minimum throughput ratio to the baseline.
BARS = {"relay": 0.8, "minted": 0.8, "verify": 0.9, "public": 0.8}
P99_ADDED_BAR_MS = 1.0
PEER_BAR = 7.0


class Stop(Exception):
    """Raised by the signal and time-limit handlers so that cleanup runs."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- processes

class Processes:
    """Everything this run started, stopped in reverse order by PID."""

    def __init__(self):
        self.started = []   # (name, Popen or pid)

    def add(self, name, proc):
        self.started.append((name, proc))
        return proc

    def stop_all(self):
        for name, proc in reversed(self.started):
            pid = proc if isinstance(proc, int) else proc.pid
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            deadline = time.time() + 15
            while time.time() < deadline and alive(pid, proc):
                time.sleep(0.1)
            if alive(pid, proc):
                log(f"bench: {name} (pid {pid}) did not stop on TERM; killing it")
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                if not isinstance(proc, int):
                    proc.wait(5)
        self.started.clear()


def alive(pid, proc):
    if not isinstance(proc, int):
        return proc.poll() is None
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, headers=None, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def wait_for(what, port, path, proc, timeout, statuses=(200,), headers=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited during start-up (exit {proc.returncode})")
        try:
            status, _ = http_get(port, path, headers, timeout=2)
            if status in statuses:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer {path} on port {port} within {timeout}s")


# ---------------------------------------------------------------------------------------------------- components

NGINX_COMMON = """daemon off;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log warn;
events { worker_connections 4096; }
worker_processes @WORKERS@;
http {
  access_log off;
  client_body_temp_path @DIR@/client_body; proxy_temp_path @DIR@/proxy;
  fastcgi_temp_path @DIR@/fastcgi; uwsgi_temp_path @DIR@/uwsgi; scgi_temp_path @DIR@/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
"""


def fill(template, **values):
    for key, value in values.items():
        template = template.replace("@" + key.upper() + "@", str(value))
    return template


def start_nginx(procs, name, work, conf):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    out = open(os.path.join(d, "stdout.log"), "w")
    return procs.add(name, subprocess.Popen([NGINX, "-p", d, "-c", path, "-e", os.path.join(d, "error.log")],
                                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))


# Authenticated paths answer 403 without a Bearer token, and every path 400 if a session cookie leaked through,
# so such a mistake shows as non-2xx responses in the tables.
UPSTREAM_GUARDED = """
      if ($http_authorization !~ "^Bearer .") { return 403; }
      if ($http_cookie ~ "gatehouse|SESSION") { return 400; }
      return 200 "@BODY@";
"""
UPSTREAM_CONF = NGINX_COMMON + """  server {
    listen 127.0.0.1:@PORT@;
    default_type text/plain;
    location /relay/ {@GUARDED@    }
    location /minted/ {@GUARDED@    }
    location /api/ {@GUARDED@    }
    location / {
      if ($http_cookie ~ "gatehouse|SESSION") { return 400; }
      return 200 "@BODY@";
    }
  }
}
"""

BASELINE_PROXY = """
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_buffering off;
      proxy_set_header Connection "";
      proxy_set_header Cookie "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
"""
BASELINE_CONF = NGINX_COMMON + """  upstream origin {
    server 127.0.0.1:@UP@;
    keepalive 128;
  }
  server {
    listen 127.0.0.1:@PORT@;
    location = /auth/verify {
      return 200;
    }
    location /relay/ {@PROXY@      proxy_set_header Authorization "Bearer @TOKEN@";
    }
    location /minted/ {@PROXY@      proxy_set_header Authorization "Bearer @TOKEN@";
    }
    location / {@PROXY@      proxy_set_header Authorization "";
    }
  }
}
"""


def upstream_conf(work, port):
    d = os.path.join(work, "upstream")
    os.makedirs(d, exist_ok=True)
    # The body is in the configuration (nginx's workers run as www-data and cannot read the private work dir).
    return fill(fill(UPSTREAM_CONF, guarded=UPSTREAM_GUARDED), dir=d, port=port, workers=1, body=BODY.decode())


def baseline_conf(work, port, upstream_port, workers):
    d = os.path.join(work, "baseline")
    os.makedirs(d, exist_ok=True)
    return fill(fill(BASELINE_CONF, proxy=BASELINE_PROXY), dir=d, port=port, up=upstream_port, workers=workers,
                token=BASELINE_TOKEN)


def start_provider(procs, work, classpath, port):
    d = os.path.join(work, "provider")
    os.makedirs(d, exist_ok=True)
    config = {
        "interactiveLogin": False,
        "tokenCallbacks": [{
            "issuerId": ISSUER_ID,
            "tokenExpiry": 7200,
            "requestMappings": [{
                "requestParam": "grant_type", "match": "*",
                "claims": {"sub": "bench-user", "email": "bench@example.com", "name": "Bench User",
                           "aud": [CLIENT_ID]}}]}]}
    path = os.path.join(d, "config.json")
    with open(path, "w") as f:
        json.dump(config, f)
    env = dict(os.environ, SERVER_HOSTNAME="127.0.0.1", SERVER_PORT=str(port), JSON_CONFIG_PATH=path)
    out = open(os.path.join(d, "provider.log"), "w")
    proc = procs.add("provider", subprocess.Popen(
        ["java", "-Xmx256m", "-cp", classpath, "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"],
        env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
    wait_for("mock-oauth2-server", port, f"/{ISSUER_ID}/.well-known/openid-configuration", proc, 90)
    return proc


def gateway_yaml(work, port, provider_port, upstream_port):
    d = os.path.join(work, "gatehouse")
    return f"""# Generated by bench/run.
public_url: http://127.0.0.1:{port}
listen: 127.0.0.1:{port}
admin_listen: off
identity:
  issuer: http://127.0.0.1:{provider_port}/{ISSUER_ID}
  client_id: {CLIENT_ID}
  client_secret: ${{BENCH_CLIENT_SECRET}}
signing:
  key_file: {d}/signing-keys.json
token_templates:
  service:
    audience: bench-api
    lifetime: 5m
    claims:
      email: "{{{{user.email}}}}"
routes:
  - match: /relay/**
    upstream: http://127.0.0.1:{upstream_port}
    token: relay
  - match: /minted/**
    upstream: http://127.0.0.1:{upstream_port}
    token: {{ template: service }}
  - match: /public/**
    upstream: http://127.0.0.1:{upstream_port}
    access: public
"""


def start_gateway(procs, work, jar, port, provider_port, upstream_port, java_opts):
    d = os.path.join(work, "gatehouse")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "gatehouse.yaml")
    with open(path, "w") as f:
        f.write(gateway_yaml(work, port, provider_port, upstream_port))
    # mock-oauth2-server accepts any secret; it is still passed the way the docs say, through the environment.
    env = dict(os.environ, BENCH_CLIENT_SECRET="bench-secret")
    out = open(os.path.join(d, "gatehouse.log"), "w")
    argv = ["java"] + java_opts + ["-jar", jar, "serve", "--config", path]
    proc = procs.add("gatehouse", subprocess.Popen(argv, env=env, cwd=d, stdout=out, stderr=subprocess.STDOUT,
                                                   stdin=subprocess.DEVNULL))
    wait_for("Gatehouse", port, "/auth/health/live", proc, 90)
    return proc


def sign_in(start_url, cookie_name):
    """Follows the sign-in redirects like a browser (cookies by host, attributes ignored: Python's cookie jar would
    withhold the Secure cookie over http, which browsers send to 127.0.0.1). Returns the session cookie value."""
    jars = {}
    url = start_url
    for _ in range(15):
        parts = urllib.parse.urlsplit(url)
        jar = jars.setdefault(parts.hostname, {})
        headers = {"Accept": "text/html", "User-Agent": "gatehouse-bench"}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers)
        resp = conn.getresponse()
        resp.read()
        for header in resp.msg.get_all("Set-Cookie") or []:
            pair, _, attrs = header.partition(";")
            name, _, value = pair.strip().partition("=")
            if value == "" or re.search(r"max-age=0\b", attrs, re.I):
                jar.pop(name, None)
            else:
                jar[name] = value
        location = resp.getheader("Location")
        conn.close()
        if resp.status in (301, 302, 303, 307, 308) and location:
            url = urllib.parse.urljoin(url, location)
            continue
        break
    value = jars.get("127.0.0.1", {}).get(cookie_name)
    if value is None:
        raise RuntimeError(f"sign-in did not set the {cookie_name} cookie (ended with {resp.status} at {url})")
    return value


class Peer:
    """The Spring peer, driven through its own script (bench/peers/spring-bff/README.md)."""

    def __init__(self, directory):
        self.script = os.path.join(directory, "peer")

    def run(self, *args, timeout=600):
        # The peer forwards the browser's cookie upstream unless told not to; Gatehouse and the baseline drop it,
        # so the peer does too, for the same work (and the upstream refuses a leaked session cookie).
        env = dict(os.environ, PEER_STRIP_COOKIE="true")
        r = subprocess.run([self.script] + list(args), capture_output=True, text=True, timeout=timeout, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"peer {args[0]} failed ({r.returncode}): {r.stderr.strip()[-2000:]}")
        return r.stdout.strip()


# ---------------------------------------------------------------------------------------------------- measuring

def proc_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks, split."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]), int(fields[12])
    except (FileNotFoundError, ProcessLookupError):
        return 0, 0


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
    return out


def thread_ticks(pid):
    """CPU ticks of a JVM's threads, by kind: each event loop on its own (to see whether the load is spread), the
    rest grouped by name (JIT compiler, GC, ...)."""
    out = {}
    try:
        tids = sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                comm = f.read().strip()
        except FileNotFoundError:
            continue
        if comm.startswith("vert.x-eventloo"):
            name = f"event loop {sum(1 for k in out if k.startswith('event loop')) + 1}"
        elif comm.startswith(("C1 Compiler", "C2 Compiler")):
            name = "JIT compiler"
        elif comm.startswith(("GC Thread", "G1 ")):
            name = "GC"
        else:
            name = "other"
        u, st = proc_ticks(f"{pid}/task/{tid}")
        out[name] = out.get(name, 0) + u + st
    return out


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v[:8]) - idle, sum(v[:8])


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return None


class CpuMeter:
    """CPU time of named process groups (a PID and its children) across one wrk run."""

    def __init__(self, groups):
        self.groups = groups   # name -> root pid

    def snapshot(self):
        snap = {}
        for name, pid in self.groups.items():
            u, s = proc_ticks(pid)
            for c in children(pid):
                cu, cs = proc_ticks(c)
                u, s = u + cu, s + cs
            snap[name] = (u, s)
        snap["_machine"] = machine_busy()
        snap["_self"] = os.times()
        if "gatehouse" in self.groups:
            snap["_threads"] = thread_ticks(self.groups["gatehouse"])
        return snap

    @staticmethod
    def delta(before, after, requests, elapsed):
        out = {}
        mine = 0
        for name in before:
            if name.startswith("_"):
                continue
            du = after[name][0] - before[name][0]
            ds = after[name][1] - before[name][1]
            mine += du + ds
            out[name] = {"user_us_per_req": du / CLK_TCK * 1e6 / max(requests, 1),
                         "sys_us_per_req": ds / CLK_TCK * 1e6 / max(requests, 1)}
        # wrk: a waited child of this process
        wrk_s = (after["_self"].children_user - before["_self"].children_user
                 + after["_self"].children_system - before["_self"].children_system)
        out["wrk"] = {"user_us_per_req": wrk_s * 1e6 / max(requests, 1), "sys_us_per_req": 0.0}
        busy = (after["_machine"][0] - before["_machine"][0]) / CLK_TCK
        ncpu = os.cpu_count() or 1
        foreign = busy - mine / CLK_TCK - wrk_s
        out["_foreign_share"] = max(0.0, foreign) / (elapsed * ncpu) if elapsed > 0 else 0.0
        if "_threads" in before:
            out["_threads"] = {k: (v - before["_threads"].get(k, 0)) / CLK_TCK * 1e6 / max(requests, 1)
                               for k, v in after["_threads"].items()}
        return out


def run_wrk(args, url, headers, duration, script, script_args=(), connections=None):
    argv = ["wrk", f"-t{args.threads}", f"-c{connections or args.connections}", f"-d{duration}s",
            "--timeout", "5s", "-s", script]
    for h in headers:
        argv += ["-H", h]
    argv.append(url)
    if script_args:
        argv += ["--"] + [str(a) for a in script_args]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
    m = re.search(r"^BENCH_JSON (\{.*\})$", r.stdout, re.M)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed ({r.returncode}): {r.stdout[-1000:]} {r.stderr[-1000:]}")
    res = json.loads(m.group(1))
    res["rps"] = res["requests"] / (res["duration_us"] / 1e6)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    res["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    res["errors"] = res["connect_errors"] + res["read_errors"] + res["write_errors"] + res["timeouts"]
    return res


def measured(args, meter, target, scenario, duration, script, script_args=(), connections=None):
    before = meter.snapshot()
    t0 = time.time()
    res = run_wrk(args, target["base"] + scenario["path"], scenario["headers"], duration, script, script_args,
                  connections)
    elapsed = time.time() - t0
    after = meter.snapshot()
    res["cpu"] = CpuMeter.delta(before, after, res["requests"], elapsed)
    return res


# ---------------------------------------------------------------------------------------------------- reporting

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_rps(x):
    return f"{x:,.0f}"


def fmt_ms(us):
    return f"{us / 1000:.2f}"


def cpu_of(res, group):
    c = res["cpu"].get(group)
    return None if c is None else c["user_us_per_req"] + c["sys_us_per_req"]


def proxy_group(target_name):
    return {"nginx": "baseline", "gatehouse": "gatehouse", "spring": "spring"}[target_name]


def print_throughput(scenario, targets, results, rounds):
    names = [t["name"] for t in targets]
    base = names[0]
    print(f"\n### {scenario['title']}\n")
    print(f"`GET {scenario['path']}`; {scenario['note']}\n")
    print("| round | " + " | ".join(f"{n} req/s" for n in names) + " | "
          + " | ".join(f"{n}/{base}" for n in names[1:]) + " | foreign CPU |")
    print("|---" * (1 + len(names) + len(names) - 1 + 1) + "|")
    for r in range(rounds):
        row = [results[n][r] for n in names]
        ratios = [f"{results[n][r]['rps'] / results[base][r]['rps']:.2f}" for n in names[1:]]
        foreign = max(x["cpu"]["_foreign_share"] for x in row)
        print(f"| {r + 1} | " + " | ".join(fmt_rps(x["rps"]) for x in row) + " | " + " | ".join(ratios)
              + f" | {foreign:.0%} |")
    print()
    print("| target | req/s median (min–max) | p50 ms | p99 ms | ratio to " + base
          + " (median of rounds) | proxy CPU µs/req (user+sys) | upstream µs/req | wrk µs/req | non-2xx / errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in names:
        rs = results[n]
        rps = [x["rps"] for x in rs]
        ratio = "1.00" if n == base else f"{med([rs[i]['rps'] / results[base][i]['rps'] for i in range(rounds)]):.2f}"
        g = proxy_group(n)
        user = med([x["cpu"][g]["user_us_per_req"] for x in rs])
        sys_ = med([x["cpu"][g]["sys_us_per_req"] for x in rs])
        up = med([cpu_of(x, "upstream") for x in rs])
        wrk = med([cpu_of(x, "wrk") for x in rs])
        bad = sum(x["non2xx"] for x in rs)
        err = sum(x["errors"] for x in rs)
        up_s = "–" if scenario["name"] == "verify" else f"{up:.0f}"
        print(f"| {n} | {fmt_rps(med(rps))} ({fmt_rps(min(rps))}–{fmt_rps(max(rps))}) | "
              f"{fmt_ms(med([x['p50_us'] for x in rs]))} | {fmt_ms(med([x['p99_us'] for x in rs]))} | {ratio} | "
              f"{user + sys_:.0f} ({user:.0f}+{sys_:.0f}) | {up_s} | {wrk:.0f} | {bad} / {err} |")
    threads = {}
    for x in results["gatehouse"]:
        for k, v in x["cpu"].get("_threads", {}).items():
            threads.setdefault(k, []).append(v)
    if threads:
        print("\nGatehouse CPU by thread, µs per request (median of rounds): " + ", ".join(
            f"{k} {med(v):.0f}" for k, v in sorted(threads.items())))
    if "spring" in names:
        gs = [results["gatehouse"][i]["rps"] / results["spring"][i]["rps"] for i in range(rounds)]
        print(f"\nGatehouse / Spring peer per round: {', '.join(f'{x:.1f}' for x in gs)}; median **{med(gs):.1f}x**")


def print_fixed(scenario, targets, results, rates, rounds):
    names = [t["name"] for t in targets]
    base = names[0]
    print(f"\n### Fixed rate: {scenario['title']}\n")
    print(f"Target rate {fmt_rps(rates['target'])} req/s (half the baseline's median maximum); think time per "
          "connection calibrated per target: " + ", ".join(f"{n} {rates[n]:.2f} ms" for n in names) + "\n")
    print("| round | " + " | ".join(f"{n} req/s | {n} p50 / p99 / p99.9 ms" for n in names)
          + " | added p99 ms | foreign CPU |")
    print("|---" * (1 + 2 * len(names) + 2) + "|")
    added = []
    for r in range(rounds):
        row = [results[n][r] for n in names]
        a = (results["gatehouse"][r]["p99_us"] - results[base][r]["p99_us"]) / 1000
        added.append(a)
        foreign = max(x["cpu"]["_foreign_share"] for x in row)
        print(f"| {r + 1} | " + " | ".join(
            f"{fmt_rps(x['rps'])} | {fmt_ms(x['p50_us'])} / {fmt_ms(x['p99_us'])} / {fmt_ms(x['p999_us'])}"
            for x in row) + f" | {a:+.2f} | {foreign:.0%} |")
    print("| median | " + " | ".join(
        f"{fmt_rps(med([x['rps'] for x in results[n]]))} | {fmt_ms(med([x['p50_us'] for x in results[n]]))} / "
        f"{fmt_ms(med([x['p99_us'] for x in results[n]]))} / {fmt_ms(med([x['p999_us'] for x in results[n]]))}"
        for n in names) + f" | **{med(added):+.2f}** | |")
    bad = {n: (sum(x["non2xx"] for x in results[n]), sum(x["errors"] for x in results[n])) for n in names}
    print("\nnon-2xx / socket errors: " + ", ".join(f"{n} {b[0]} / {b[1]}" for n, b in bad.items()))
    short = [n for n in names if med([x["rps"] for x in results[n]]) < 0.9 * rates["target"]]
    if short:
        print(f"\n**{', '.join(short)} could not reach the target rate** (below 90% of it even without think time): "
              "saturated, so its latency here is queueing at its maximum, not added latency at half load.")
    return med(added)


# ---------------------------------------------------------------------------------------------------- profiling

GROUPS = [("dev.gatehouse.", "Gatehouse"), ("io.vertx.", "Vert.x"), ("io.netty.", "Netty"),
          ("com.nimbusds.", "Nimbus"), ("com.github.benmanes.", "Caffeine"), ("java.", "JDK"), ("javax.", "JDK"),
          ("jdk.", "JDK"), ("sun.", "JDK"), ("ch.qos.", "logging"), ("org.slf4j.", "logging")]


def frame_name(frame):
    m = frame["method"]
    return f"{m['type']['name'].replace('/', '.')}.{m['name']}"


def group_of(name):
    for prefix, group in GROUPS:
        if name.startswith(prefix):
            return group
    return "other"


def summarize_jfr(path, top):
    r = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample,jdk.ObjectAllocationSample,"
                        "jdk.GarbageCollection", path], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return f"jfr print failed: {r.stderr.strip()[-500:]}"
    events = json.loads(r.stdout)["recording"]["events"]
    samples = [e for e in events if e["type"] == "jdk.ExecutionSample"]
    allocs = [e for e in events if e["type"] == "jdk.ObjectAllocationSample"]
    gcs = [e for e in events if e["type"] == "jdk.GarbageCollection"]
    self_counts, incl_gh, groups, threads = {}, {}, {}, {}
    for e in samples:
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        top_name = frame_name(frames[0])
        self_counts[top_name] = self_counts.get(top_name, 0) + 1
        g = group_of(top_name)
        groups[g] = groups.get(g, 0) + 1
        t = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
        t = re.sub(r"-\d+$", "-N", t)
        threads[t] = threads.get(t, 0) + 1
        seen = set()
        for f in frames:
            n = frame_name(f)
            if n.startswith("dev.gatehouse.") and n not in seen:
                seen.add(n)
                incl_gh[n] = incl_gh.get(n, 0) + 1
    total = max(1, sum(self_counts.values()))
    lines = [f"{total} execution samples (Java code only: time in the kernel, e.g. socket writes, is not sampled)"]
    lines.append("self time by package: " + ", ".join(
        f"{g} {c / total:.0%}" for g, c in sorted(groups.items(), key=lambda x: -x[1])))
    lines.append("by thread: " + ", ".join(f"{t} {c / total:.0%}" for t, c in sorted(threads.items(), key=lambda x: -x[1])[:4]))
    lines.append(f"top {top} frames by self samples:")
    for n, c in sorted(self_counts.items(), key=lambda x: -x[1])[:top]:
        lines.append(f"  {c / total:6.1%}  {n}")
    lines.append("Gatehouse methods by inclusive samples (on the stack):")
    for n, c in sorted(incl_gh.items(), key=lambda x: -x[1])[:12]:
        lines.append(f"  {c / total:6.1%}  {n}")
    if allocs:
        weight = {}
        for e in allocs:
            frames = (e["values"].get("stackTrace") or {}).get("frames") or []
            # the first frame outside the JDK's collections/strings is where the allocation is decided
            site = next((frame_name(f) for f in frames if not frame_name(f).startswith(("java.", "jdk.", "sun."))),
                        frame_name(frames[0]) if frames else "?")
            cls = (e["values"].get("objectClass") or {}).get("name", "?")
            key = f"{site} ({cls})"
            weight[key] = weight.get(key, 0) + int(e["values"].get("weight") or 0)
        tw = max(1, sum(weight.values()))
        lines.append(f"allocation (sampled weight {tw / 2**20:,.0f} MiB): top sites")
        for n, w in sorted(weight.items(), key=lambda x: -x[1])[:10]:
            lines.append(f"  {w / tw:6.1%}  {n}")
    if gcs:
        pause = 0.0
        for e in gcs:
            d = e["values"].get("sumOfPauses") or "0"
            pause += parse_duration_ms(d)
        lines.append(f"GC: {len(gcs)} collections, {pause:.1f} ms of pauses in total")
    return "\n".join(lines)


def parse_duration_ms(value):
    if isinstance(value, (int, float)):
        return value / 1e6
    m = re.match(r"PT?([0-9.]+)S", str(value))
    return float(m.group(1)) * 1000 if m else 0.0


# ---------------------------------------------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__.strip().splitlines()[0])
    p.add_argument("--jar", required=True, help=argparse.SUPPRESS)                  # given by bench/run
    p.add_argument("--provider-classpath", required=True, help=argparse.SUPPRESS)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=20,
                   help="seconds of wrk per target and scenario before the rounds (default 20: the JVMs' JIT needs "
                        "about a minute of load on 2 cores; 'JIT compiler' in the CPU-by-thread line shows what is left)")
    p.add_argument("--pause", type=float, default=1.0, help="seconds between wrk runs")
    p.add_argument("--scenarios", default="relay,minted,verify,public")
    p.add_argument("--fixed-rate", action="store_true", help="also measure p99 at half the baseline's maximum rate")
    p.add_argument("--check", action="store_true", help="print whether each figure meets BRIEF §5")
    p.add_argument("--profile", action="store_true", help="record a JFR of Gatehouse during one extra round")
    p.add_argument("--nginx-workers", type=int, default=os.cpu_count() or 1,
                   help="baseline nginx workers (default: cores, as Gatehouse's event loops)")
    p.add_argument("--java-opts", default="", help="JVM options for Gatehouse")
    p.add_argument("--peer-dir", default=os.path.join(ROOT, "bench", "peers", "spring-bff"))
    p.add_argument("--no-peer", action="store_true")
    p.add_argument("--keep", action="store_true", help="keep the work directory (configs, logs, JFR files)")
    p.add_argument("--max-minutes", type=float, default=0, help="hard time limit (default: from the plan)")
    args = p.parse_args()

    scenario_names = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenario_names if s not in BARS]
    if unknown:
        p.error(f"unknown scenario {unknown}; known: {', '.join(BARS)}")
    use_peer = not args.no_peer and os.access(os.path.join(args.peer_dir, "peer"), os.X_OK) and "relay" in scenario_names
    n_runs = len(scenario_names) * 2 + (1 if use_peer else 0)
    per_run = args.duration + args.pause + 0.5
    plan = n_runs * (args.warmup + args.rounds * per_run)
    if args.fixed_rate:
        plan += n_runs * (3 + 3 + args.rounds * per_run)
    if args.profile:
        plan += len(scenario_names) * (4 * per_run + 20)
    limit = args.max_minutes * 60 if args.max_minutes else plan * 1.5 + 600
    log(f"bench: plan about {plan / 60:.1f} min of load (hard limit {limit / 60:.0f} min)")

    def on_signal(signum, frame):
        raise Stop(f"signal {signum}")

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    signal.signal(signal.SIGALRM, lambda s, f: (_ for _ in ()).throw(Stop(f"time limit of {limit / 60:.0f} min")))
    signal.alarm(int(limit))

    work = tempfile.mkdtemp(prefix="gatehouse-bench-")
    procs = Processes()
    peer = None
    ok = False
    try:
        up_port, base_port, prov_port, gw_port = free_port(), free_port(), free_port(), free_port()
        upstream = start_nginx(procs, "upstream", work, upstream_conf(work, up_port))
        wait_for("upstream nginx", up_port, "/public" + PATH_QUERY, upstream, 20)
        baseline = start_nginx(procs, "baseline", work, baseline_conf(work, base_port, up_port, args.nginx_workers))
        wait_for("baseline nginx", base_port, "/relay" + PATH_QUERY, baseline, 20)
        log(f"bench: upstream nginx :{up_port}, baseline nginx :{base_port}")
        start_provider(procs, work, args.provider_classpath, prov_port)
        log(f"bench: mock-oauth2-server :{prov_port}")
        java_opts = args.java_opts.split()
        gateway = start_gateway(procs, work, args.jar, gw_port, prov_port, up_port, java_opts)
        log(f"bench: Gatehouse :{gw_port} (pid {gateway.pid})")

        session = sign_in(f"http://127.0.0.1:{gw_port}/auth/login?returnTo=%2Fpublic%2Fwelcome", "gatehouse")
        cookie = f"Cookie: gatehouse={session}"
        status, body = http_get(gw_port, "/api/auth/session", {"Cookie": f"gatehouse={session}"})
        if status != 200:
            raise RuntimeError(f"the signed-in session is not recognised: {status} {body[:200]!r}")
        for path in ("/relay", "/minted"):
            status, body = http_get(gw_port, path + PATH_QUERY, {"Cookie": f"gatehouse={session}"})
            if status != 200 or body != BODY:
                raise RuntimeError(f"{path} through Gatehouse answered {status}")
            status, _ = http_get(gw_port, path + PATH_QUERY)
            if status != 401:
                raise RuntimeError(f"{path} without the cookie answered {status}, expected 401")
        log("bench: signed in through the provider's authorize endpoint; /relay and /minted answer 200 with the "
            "cookie and 401 without")

        targets = {"nginx": {"name": "nginx", "base": f"http://127.0.0.1:{base_port}"},
                   "gatehouse": {"name": "gatehouse", "base": f"http://127.0.0.1:{gw_port}"}}
        groups = {"upstream": upstream.pid, "baseline": baseline.pid, "gatehouse": gateway.pid}
        peer_cookie = None
        if use_peer:
            try:
                peer = Peer(args.peer_dir)
                log("bench: building/starting the Spring peer (bench/peers/spring-bff/peer)")
                peer.run("build", timeout=900)
                peer_port = free_port()
                pid = int(peer.run("start", str(peer_port), f"http://127.0.0.1:{prov_port}/{ISSUER_ID}",
                                   f"http://127.0.0.1:{up_port}", CLIENT_ID, "bench-secret", timeout=300)
                          .splitlines()[-1])
                procs.add("spring peer", pid)
                peer_cookie = peer.run("signin", str(peer_port), timeout=120).splitlines()[-1]
                status, body = http_get(peer_port, "/api" + PATH_QUERY, {"Cookie": peer_cookie})
                if status != 200 or body != BODY:
                    raise RuntimeError(f"/api through the Spring peer answered {status}")
                targets["spring"] = {"name": "spring", "base": f"http://127.0.0.1:{peer_port}"}
                groups["spring"] = pid
                log(f"bench: Spring peer :{peer_port} (pid {pid}) signed in")
            except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
                log(f"bench: Spring peer not measured: {e}")
                use_peer = False
        meter = CpuMeter(groups)

        scenarios = {
            "relay": {"name": "relay", "title": "(a) authenticated proxy, `token: relay`",
                      "path": "/relay" + PATH_QUERY, "headers": [cookie],
                      "note": "session cookie; Gatehouse looks up the session, checks the rule, relays the provider's "
                              "access token; nginx proxies with a fixed `Authorization` and drops the cookie."},
            "minted": {"name": "minted", "title": "(b) authenticated proxy, minted per-service token (cached)",
                       "path": "/minted" + PATH_QUERY, "headers": [cookie],
                       "note": "as (a) but `token: {template: service}`: an ES256 token minted once, then from the cache."},
            "verify": {"name": "verify", "title": "(c) `/auth/verify` (ForwardAuth) against nginx `return 200`",
                       "path": "/auth/verify", "headers": [cookie, "X-Forwarded-Method: GET",
                                                           "X-Forwarded-Proto: http", "X-Forwarded-Host: 127.0.0.1",
                                                           "X-Forwarded-Uri: /minted" + PATH_QUERY],
                       "note": "cookie and `X-Forwarded-*` naming the minted route; Gatehouse answers 200 with the "
                               "identity headers and the minted token; nginx answers a bare `return 200`."},
            "public": {"name": "public", "title": "(d) public route",
                       "path": "/public" + PATH_QUERY, "headers": [cookie],
                       "note": "`access: public`: no session lookup; the browser's cookie is still sent and dropped."},
        }
        report = os.path.join(HERE, "report.lua")
        pace = os.path.join(HERE, "pace.lua")

        def scenario_targets(name):
            ts = [targets["nginx"], targets["gatehouse"]]
            if name == "relay" and "spring" in targets:
                ts.append(targets["spring"])
            return ts

        def scenario_for(name, target):
            s = scenarios[name]
            if target["name"] == "spring":
                # the peer proxies /api/** and knows its own SESSION cookie
                return dict(s, path="/api" + PATH_QUERY, headers=[f"Cookie: {peer_cookie}"])
            return s

        # warm-up
        for name in scenario_names:
            for t in scenario_targets(name):
                log(f"bench: warm-up {name} on {t['name']} ({args.warmup}s)")
                run_wrk(args, t["base"] + scenario_for(name, t)["path"], scenario_for(name, t)["headers"],
                        args.warmup, report)
                time.sleep(args.pause)

        throughput = {}
        for name in scenario_names:
            throughput[name] = {t["name"]: [] for t in scenario_targets(name)}
        for r in range(args.rounds):
            for name in scenario_names:
                ts = scenario_targets(name)
                order = ts if r % 2 == 0 else list(reversed(ts))   # A B, then B A: drift cancels out
                for t in order:
                    res = measured(args, meter, t, scenario_for(name, t), args.duration, report)
                    throughput[name][t["name"]].append(res)
                    log(f"bench: round {r + 1}/{args.rounds} {name:7s} {t['name']:9s} {res['rps']:>9,.0f} req/s "
                        f"p99 {fmt_ms(res['p99_us'])} ms non-2xx {res['non2xx']} foreign CPU "
                        f"{res['cpu']['_foreign_share']:.0%}")
                    time.sleep(args.pause)

        fixed, added = {}, {}
        if args.fixed_rate:
            for name in scenario_names:
                ts = scenario_targets(name)
                target_rate = med([x["rps"] for x in throughput[name]["nginx"]]) / 2
                rates = {"target": target_rate}
                for t in ts:
                    # think time = connections / rate - latency; calibrated with two short runs
                    think = args.connections * 1000 / target_rate
                    for _ in range(2):
                        res = run_wrk(args, t["base"] + scenario_for(name, t)["path"], scenario_for(name, t)["headers"],
                                      3, pace, [f"{think:.3f}"])
                        cycle = args.connections * 1000 / res["rps"]
                        latency = max(0.0, cycle - think)
                        think = max(0.0, args.connections * 1000 / target_rate - latency)
                        time.sleep(args.pause)
                    rates[t["name"]] = think
                    log(f"bench: fixed rate {name} {t['name']}: think time {think:.2f} ms for {target_rate:,.0f} req/s")
                fixed[name] = {t["name"]: [] for t in ts}
                for r in range(args.rounds):
                    order = ts if r % 2 == 0 else list(reversed(ts))
                    for t in order:
                        res = measured(args, meter, t, scenario_for(name, t), args.duration, pace,
                                       [f"{rates[t['name']]:.3f}"])
                        fixed[name][t["name"]].append(res)
                        log(f"bench: fixed-rate round {r + 1} {name:7s} {t['name']:9s} {res['rps']:>9,.0f} req/s "
                            f"p99 {fmt_ms(res['p99_us'])} ms")
                        time.sleep(args.pause)
                fixed[name]["_rates"] = rates

        profiles = {}
        if args.profile:
            # Starting JFR makes the JIT recompile what it instruments, which takes tens of seconds of load on a
            # 2-core machine; a first recording runs through two warm-up rounds of every scenario, then one more of
            # the scenario right before its recorded round.
            jcmd = lambda *a: subprocess.run(["jcmd", str(gateway.pid)] + list(a), capture_output=True, check=True,
                                             timeout=120)
            jcmd("JFR.start", "name=bench-warm", "settings=profile")
            for name in scenario_names + scenario_names:
                run_wrk(args, targets["gatehouse"]["base"] + scenarios[name]["path"], scenarios[name]["headers"],
                        args.duration, report)
            for name in scenario_names:
                run_wrk(args, targets["gatehouse"]["base"] + scenarios[name]["path"], scenarios[name]["headers"],
                        args.duration, report)
                jfr = os.path.join(work, f"gatehouse-{name}.jfr")
                jcmd("JFR.start", f"name=bench-{name}", "settings=profile", f"filename={jfr}")
                res = measured(args, meter, targets["gatehouse"], scenarios[name], args.duration, report)
                jcmd("JFR.stop", f"name=bench-{name}")
                log(f"bench: profiled round {name}: {res['rps']:,.0f} req/s with JFR on")
                profiles[name] = (res, summarize_jfr(jfr, 25))
            jcmd("JFR.stop", "name=bench-warm")

        # ------------------------------------------------------------------ report
        print("\n## Results\n")
        print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds, "
              f"{args.warmup}s warm-up per target and scenario; targets alternate A B / B A by round. "
              f"Gatehouse RSS after the rounds: {rss_mib(gateway.pid):.0f} MiB; baseline nginx workers: "
              f"{args.nginx_workers}. CPU µs/req is the process's user+sys time over the wrk run divided by the "
              "requests served (proxy: Gatehouse, the baseline nginx or the peer; upstream: the origin nginx).")
        for name in scenario_names:
            print_throughput(scenarios[name], scenario_targets(name), throughput[name], args.rounds)
        for name in fixed:
            added[name] = print_fixed(scenarios[name], scenario_targets(name), fixed[name], fixed[name]["_rates"],
                                      args.rounds)
        for name, (res, summary) in profiles.items():
            print(f"\n### Profile: {scenarios[name]['title']}\n")
            print(f"One extra Gatehouse-only round with JFR (`jcmd JFR.start settings=profile`, after a warm-up "
                  f"round under JFR): "
                  f"{res['rps']:,.0f} req/s, CPU {cpu_of(res, 'gatehouse'):.0f} µs/req "
                  f"(user {res['cpu']['gatehouse']['user_us_per_req']:.0f} + sys "
                  f"{res['cpu']['gatehouse']['sys_us_per_req']:.0f}); by thread, µs/req: " + ", ".join(
                      f"{k} {v:.0f}" for k, v in sorted(res["cpu"].get("_threads", {}).items())) + ".\n")
            print("```\n" + summary + "\n```")
        if args.check:
            print("\n### Check against BRIEF §5\n")
            print("| figure | measured | bar | meets |")
            print("|---|---|---|---|")
            for name in scenario_names:
                ratio = med([throughput[name]["gatehouse"][i]["rps"] / throughput[name]["nginx"][i]["rps"]
                             for i in range(args.rounds)])
                bar = BARS[name]
                label = {"verify": "`/auth/verify` vs nginx `return 200`"}.get(name, f"{name} proxy vs nginx proxy")
                print(f"| {label} | {ratio:.2f}x | ≥ {bar}x | {'yes' if ratio >= bar else 'NO'} |")
                if name in added:
                    a = added[name]
                    print(f"| {name}: p99 added at half the max rate | {a:+.2f} ms | < {P99_ADDED_BAR_MS} ms | "
                          f"{'yes' if a < P99_ADDED_BAR_MS else 'NO'} |")
            if not args.fixed_rate:
                print("| p99 added at half the max rate | not measured (add `--fixed-rate`) | < 1 ms | – |")
            if "spring" in targets and "relay" in scenario_names:
                g = throughput["relay"]
                x = med([g["gatehouse"][i]["rps"] / g["spring"][i]["rps"] for i in range(args.rounds)])
                print(f"| relay: Gatehouse vs the Spring peer | {x:.1f}x | ≥ {PEER_BAR}x | {'yes' if x >= PEER_BAR else 'NO'} |")
            else:
                print(f"| Gatehouse vs the Spring peer | not measured (no {os.path.relpath(args.peer_dir, ROOT)}/peer) "
                      f"| ≥ {PEER_BAR}x | – |")
        ok = True
    except Stop as e:
        log(f"bench: stopped: {e}")
    except Exception as e:
        log(f"bench: failed: {e}")
        raise
    finally:
        signal.alarm(0)
        procs.stop_all()
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"bench: configs and logs kept in {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
