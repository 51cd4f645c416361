#!/usr/bin/env python3
"""One side-by-side measurement: the Spring BFF peer, Gatehouse and an nginx proxy hop, same upstream, same machine.

    bench/peers/spring-bff/measure.py [--rounds N] [--duration SECONDS] [--connections N] [--warmup SECONDS]

Starts, on 127.0.0.1 free ports: an nginx upstream answering a fixed 1 KiB body, an nginx reverse proxy to it (the
baseline), NAV's mock-oauth2-server, the Spring peer (through ./peer) and Gatehouse (./gatehouse serve, route
/api/** with token: relay). Signs in to the peer and to Gatehouse through the provider's authorize endpoint, checks
what each forwards upstream, warms both JVMs, then runs wrk in alternating rounds (peer, Gatehouse, nginx, peer, ...)
and prints a Markdown table with throughput, latency, CPU per request and RSS of each proxy tier (from /proc).
Every process it starts is stopped by its PID at the end, also on failure; each is also wrapped in a time limit.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PEER = os.path.join(HERE, "peer")
SIGNIN = os.path.join(HERE, "signin.py")
PROVIDER_LIB = os.path.join(HERE, "provider", "target", "lib")
LIFETIME = "30m"              # hard limit on every server this script starts
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def log(message):
    print(f"[measure {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(url, headers=None, timeout=5):
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def wait_until(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {seconds}s")


# ---- /proc: CPU and RSS of a process and its descendants ----

def process_tree(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                pass
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_ticks(root):
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])      # utime + stime
        except OSError:
            pass
    return total


def rss_bytes(root):
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


def foreign_wrk():
    """How many wrk processes not started by this script are running (other people's benchmarks)."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == "wrk":
                        count += 1
            except OSError:
                pass
    return count


# ---- wrk ----

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def parse_wrk(text):
    def latency(label):
        m = re.search(rf"^\s+{label}%?\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    size = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", text)
    read = float(size.group(1)) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[size.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "requests": requests,
        "bytes_per_request": read / max(requests, 1),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def run_wrk(url, headers, threads, connections, duration):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True)
    return done.stdout


# ---- the servers ----

class Servers:
    """Every process started here, stopped in reverse order by its own PID."""

    def __init__(self, work):
        self.work = work
        self.started = []          # (name, pid, how to stop)

    def spawn(self, name, command, env=None, limit=True):
        if limit:
            command = ["timeout", LIFETIME] + command
        out = open(os.path.join(self.work, f"{name}.log"), "w")
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, **(env or {})}, cwd=self.work)
        self.started.append((name, process.pid, lambda p=process: stop_process(p)))
        return process.pid

    def adopt(self, name, pid, stop):
        self.started.append((name, pid, stop))

    def stop_all(self):
        for name, pid, stop in reversed(self.started):
            try:
                stop()
            except Exception as e:                                  # keep stopping the others
                log(f"stopping {name} ({pid}) failed: {e}")
        self.started.clear()


def stop_process(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def nginx_conf(work, name, port, body, http_extra=""):
    conf = os.path.join(work, f"{name}.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off;
worker_processes auto;
pid {work}/{name}.pid;
error_log {work}/{name}-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {work}/{name}-tmp;
  proxy_temp_path {work}/{name}-tmp;
  fastcgi_temp_path {work}/{name}-tmp;
  uwsgi_temp_path {work}/{name}-tmp;
  scgi_temp_path {work}/{name}-tmp;
{http_extra}  server {{
    listen 127.0.0.1:{port};
{body}
  }}
}}
""")
    return conf


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of wrk on each JVM before the rounds")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, wrk outputs)")
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "java", "mvn", "timeout"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"measure: {tool} is not installed (apt-get install nginx-light wrk)")

    work = tempfile.mkdtemp(prefix="peer-measure-")
    os.chmod(work, 0o755)          # nginx workers run as www-data when started by root; they read www/ here
    servers = Servers(work)
    started = time.monotonic()
    try:
        results = measure(args, work, servers)
    finally:
        servers.stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["elapsed_s"] = round(time.monotonic() - started)
    print(report(args, results))


def measure(args, work, servers):
    log("building the peer and the provider's jars when missing or stale")
    subprocess.run([PEER, "build"], check=True, timeout=900)
    if not os.path.isdir(PROVIDER_LIB):
        subprocess.run(["mvn", "-B", "-q", "dependency:copy-dependencies", "-DoutputDirectory=target/lib"],
                       cwd=os.path.join(HERE, "provider"), check=True, timeout=900)

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    os.makedirs(os.path.join(work, "www"))
    with open(os.path.join(work, "www", "1k.txt"), "w") as f:
        f.write(("gatehouse-bench " * 64)[:1023] + "\n")
    for name in ("upstream", "proxy"):
        os.makedirs(os.path.join(work, f"{name}-tmp"))

    upstream_port, proxy_port, provider_port, peer_port, gateway_port = (free_port() for _ in range(5))
    # What each proxy passes on, shown once, without values: the token's presence and whether a cookie came along.
    upstream_pid = servers.spawn("upstream", [nginx, "-p", work, "-e", f"{work}/upstream-error.log", "-c", nginx_conf(
        work, "upstream", upstream_port,
        '    location = /api/forwarded { default_type text/plain;'
        ' return 200 "authorization=$http_authorization\\ncookie=$http_cookie\\n"; }\n'
        f'    location / {{ root {work}/www; default_type text/plain; try_files /1k.txt =404; }}')])
    proxy_pid = servers.spawn("proxy", [nginx, "-p", work, "-e", f"{work}/proxy-error.log", "-c", nginx_conf(
        work, "proxy", proxy_port,
        '    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }',
        f"  upstream backend {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}\n")])
    servers.spawn("provider", ["java", "-Xmx128m", "-cp", os.path.join(PROVIDER_LIB, "*"),
                               "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"],
                  env={"SERVER_HOSTNAME": "127.0.0.1", "SERVER_PORT": str(provider_port)})
    issuer = f"http://127.0.0.1:{provider_port}/default"
    wait_until(lambda: status_of(f"http://127.0.0.1:{upstream_port}/x")[0] == 200, 20, "nginx upstream")
    wait_until(lambda: status_of(f"http://127.0.0.1:{proxy_port}/x")[0] == 200, 20, "nginx proxy")
    wait_until(lambda: status_of(f"{issuer}/.well-known/openid-configuration")[0] == 200, 60, "mock-oauth2-server")
    upstream = f"http://127.0.0.1:{upstream_port}"
    secret = os.urandom(16).hex()

    log("starting the Spring peer")
    launched = time.monotonic()
    peer_pid = int(subprocess.run([PEER, "start", str(peer_port), issuer, upstream, "spring-bff", secret],
                                  capture_output=True, text=True, check=True, timeout=180,
                                  env={**os.environ, "PEER_MAX_LIFETIME": LIFETIME,
                                       "PEER_LOG": os.path.join(work, "peer.log")}).stdout.strip())
    peer_ready = time.monotonic() - launched
    servers.adopt("peer", peer_pid, lambda: subprocess.run([PEER, "stop", str(peer_pid)], timeout=60))

    log("starting Gatehouse")
    config = os.path.join(work, "gatehouse.yaml")
    with open(config, "w") as f:
        f.write(f"""public_url: http://127.0.0.1:{gateway_port}
listen: 127.0.0.1:{gateway_port}
admin_listen: "off"
identity:
  issuer: {issuer}
  client_id: gatehouse
  client_secret: ${{BENCH_CLIENT_SECRET}}
signing:
  key_file: {work}/signing-keys.json
routes:
  - match: /api/**
    upstream: {upstream}
    access: authenticated
    token: relay
""")
    # check builds the jar when it is stale (so serve's start-up below is not a build) and validates the config.
    subprocess.run([os.path.join(ROOT, "gatehouse"), "check", "--config", config], check=True, timeout=900,
                   env={**os.environ, "BENCH_CLIENT_SECRET": secret}, stdout=subprocess.DEVNULL)
    launched = time.monotonic()
    gateway_pid = servers.spawn("gatehouse", [os.path.join(ROOT, "gatehouse"), "serve", "--config", config],
                                env={"BENCH_CLIENT_SECRET": secret})
    wait_until(lambda: status_of(f"http://127.0.0.1:{gateway_port}/auth/health")[0] == 200, 120, "Gatehouse")
    gateway_ready = time.monotonic() - launched

    log("signing in through the provider")
    peer_cookie = subprocess.run([PEER, "signin", str(peer_port)], capture_output=True, text=True, check=True,
                                 timeout=60).stdout.strip()
    gateway_cookie = subprocess.run([sys.executable, SIGNIN, f"http://127.0.0.1:{gateway_port}/auth/login?returnTo=/",
                                     "gatehouse"], capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    targets = {
        "spring": {"label": "Spring peer", "port": peer_port, "pid": peer_pid, "cookie": peer_cookie,
                   "ready_s": peer_ready},
        "gatehouse": {"label": "Gatehouse", "port": gateway_port, "pid": gateway_pid, "cookie": gateway_cookie,
                      "ready_s": gateway_ready},
        # nginx gets a cookie of the same shape, so every request carries the same bytes.
        "nginx": {"label": "nginx proxy hop", "port": proxy_port, "pid": proxy_pid,
                  "cookie": "SESSION=" + "0" * (len(peer_cookie) - len("SESSION="))},
    }

    for key, target in targets.items():
        base = f"http://127.0.0.1:{target['port']}"
        status, body = status_of(f"{base}/api/bench", {"Cookie": target["cookie"]})
        if status != 200 or len(body) != 1024:
            raise RuntimeError(f"{target['label']}: /api/bench gave {status} with {len(body)} bytes, not 200 with 1 KiB")
        anonymous, _ = status_of(f"{base}/api/bench")
        _, seen = status_of(f"{base}/api/forwarded", {"Cookie": target["cookie"]})
        seen = dict(line.split("=", 1) for line in seen.decode().splitlines() if "=" in line)
        authorization = seen.get("authorization", "")
        target["anonymous_status"] = anonymous
        target["relays_bearer"] = authorization.startswith("Bearer ey")
        target["cookie_reaches_upstream"] = bool(seen.get("cookie"))
        target["rss_idle"] = rss_bytes(target["pid"])
        target["rounds"] = []

    upstream_cpu_start = cpu_ticks(upstream_pid)
    for key in ("spring", "gatehouse"):
        log(f"warming {targets[key]['label']} for {args.warmup}s")
        run_wrk(f"http://127.0.0.1:{targets[key]['port']}/api/bench", {"Cookie": targets[key]["cookie"]},
                args.threads, args.connections, args.warmup)

    for round_number in range(1, args.rounds + 1):
        for key in ("spring", "gatehouse", "nginx"):
            target = targets[key]
            others = foreign_wrk()
            load = os.getloadavg()[0]
            before = cpu_ticks(target["pid"])
            output = run_wrk(f"http://127.0.0.1:{target['port']}/api/bench", {"Cookie": target["cookie"]},
                             args.threads, args.connections, args.duration)
            ticks = cpu_ticks(target["pid"]) - before
            result = parse_wrk(output)
            result.update(round=round_number, load=load, foreign_wrk=others, rss=rss_bytes(target["pid"]),
                          cpu_us_per_request=ticks / CLOCK_TICKS * 1e6 / max(result["requests"], 1))
            if result["bytes_per_request"] < 1024:
                raise RuntimeError(f"{target['label']} round {round_number}: {result['bytes_per_request']:.0f} bytes"
                                   " per response, less than the 1 KiB body: it stopped proxying (signed out?)")
            target["rounds"].append(result)
            log(f"round {round_number} {target['label']}: {result['rps']:.0f} req/s, p99 {result['p99_ms']:.2f} ms,"
                f" {result['cpu_us_per_request']:.0f} us CPU/req, load {load:.1f}, other wrk {others}")
    for key, target in targets.items():
        status, _ = status_of(f"http://127.0.0.1:{target['port']}/api/bench", {"Cookie": target["cookie"]})
        target["still_signed_in"] = status == 200
        target.pop("cookie")
    return {"targets": targets, "machine": machine_facts(nginx)}


def machine_facts(nginx):
    def first_line(command):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=20)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    with open("/proc/meminfo") as f:
        memory = int(f.readline().split()[1]) // 1024
    return {
        "cpu": f"{os.cpu_count()} x {model}",
        "memory_mib": memory,
        "kernel": platform.release(),
        "java": first_line(["java", "-version"]),
        "nginx": first_line([nginx, "-v"]),
        "wrk": first_line(["wrk", "-v"]),
    }


def report(args, results):
    targets, machine = results["targets"], results["machine"]
    nginx_by_round = {r["round"]: r["rps"] for r in targets["nginx"]["rounds"]}
    spring_by_round = {r["round"]: r["rps"] for r in targets["spring"]["rounds"]}
    mib = 1024 * 1024
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, {args.rounds} alternating rounds"
        f" (Spring peer, Gatehouse, nginx), JVMs warmed {args.warmup}s each; total {results['elapsed_s']} s.",
        f"Machine: {machine['cpu']}, {machine['memory_mib']} MiB, Linux {machine['kernel']}; {machine['java']};"
        f" {machine['nginx']}; {machine['wrk']}.",
        "",
        "| target | req/s median (range) | p50 ms | p99 ms | x nginx (per round) | CPU us/req | RSS idle | RSS after load"
        " | ready in |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key in ("spring", "gatehouse", "nginx"):
        t = targets[key]
        rps = [r["rps"] for r in t["rounds"]]
        ratios = [r["rps"] / nginx_by_round[r["round"]] for r in t["rounds"]]
        lines.append(
            f"| {t['label']} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f})"
            f" | {statistics.median(r['p50_ms'] for r in t['rounds']):.2f}"
            f" | {statistics.median(r['p99_ms'] for r in t['rounds']):.2f}"
            f" | {statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)})"
            f" | {statistics.median(r['cpu_us_per_request'] for r in t['rounds']):.0f}"
            f" | {t['rss_idle'] / mib:.0f} MiB | {max(r['rss'] for r in t['rounds']) / mib:.0f} MiB"
            f" | {t.get('ready_s', 0):.1f} s |" if key != "nginx" else
            f"| {t['label']} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f})"
            f" | {statistics.median(r['p50_ms'] for r in t['rounds']):.2f}"
            f" | {statistics.median(r['p99_ms'] for r in t['rounds']):.2f}"
            f" | 1.00 | {statistics.median(r['cpu_us_per_request'] for r in t['rounds']):.0f}"
            f" | {t['rss_idle'] / mib:.0f} MiB | {max(r['rss'] for r in t['rounds']) / mib:.0f} MiB | - |")
    gateway_ratios = [r["rps"] / spring_by_round[r["round"]] for r in targets["gatehouse"]["rounds"]]
    lines += [
        "",
        f"**Gatehouse / Spring peer: {statistics.median(gateway_ratios):.1f}x** (per round:"
        f" {', '.join(f'{x:.1f}x' for x in gateway_ratios)}); the bar is 7x.",
        "",
        "| round | target | req/s | p50 ms | p99 ms | CPU us/req | load (1 min) | other wrk running | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for round_number in range(1, args.rounds + 1):
        for key in ("spring", "gatehouse", "nginx"):
            r = targets[key]["rounds"][round_number - 1]
            lines.append(f"| {round_number} | {targets[key]['label']} | {r['rps']:,.0f} | {r['p50_ms']:.2f}"
                         f" | {r['p99_ms']:.2f} | {r['cpu_us_per_request']:.0f} | {r['load']:.1f} | {r['foreign_wrk']}"
                         f" | {r['non_2xx_3xx']} |")
    lines += ["", "| target | anonymous /api/bench | Bearer token upstream | browser cookie upstream | signed in after the run |",
              "|---|---|---|---|---|"]
    for key in ("spring", "gatehouse"):
        t = targets[key]
        lines.append(f"| {t['label']} | {t['anonymous_status']} | {'yes' if t['relays_bearer'] else 'NO'}"
                     f" | {'yes' if t['cookie_reaches_upstream'] else 'no'} | {'yes' if t['still_signed_in'] else 'NO'} |")
    lines += ["", "```json", json.dumps(results, indent=1, default=str), "```"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
