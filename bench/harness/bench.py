#!/usr/bin/env python3
"""Portcullis beside nginx, haproxy and caddy: the load harness behind bench/run.sh (see bench/README.md).

Python 3.11 stdlib only. Servers run under `taskset -c <server core>`, load generators and the shared upstream under
`taskset -c <load core>`. Each workload is repeated; medians, Portcullis/peer ratios and p99 are printed and the raw
runs written as JSON to bench/results/<timestamp>.json.
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time
from pathlib import Path

import configs
import noise
import startup

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
SERVERS = ["portcullis", "nginx", "haproxy", "caddy"]
WORKLOADS = ["h1", "paced", "h2", "handshake", "proxy", "large", "idle", "startup"]
PORTS = {"portcullis": 18443, "nginx": 18444, "haproxy": 18445, "caddy": 18446}
NO_FILES = {"haproxy"}  # servers that cannot serve files: no large workload for them
UPSTREAM_PORT = 18480
# The paced workload's request rate: the same load for every server, about 40% of nginx's h1 peak on the reference
# machine (2-core EPYC VM), where latency reflects how a server serves rather than how deep its queue is.
PACED_RATE = 20000
LOAD_CORE, SERVER_CORE = "0", "1"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
# The load runs add one core's worth of sizing to the launcher's options.
LAUNCHER_OPTS = [line.strip() for line in (ROOT / "jvm.options").read_text().splitlines()
                 if line.strip() and not line.strip().startswith("#")]  # what ./portcullis runs with
JVM_OPTS = LAUNCHER_OPTS + ["-XX:ActiveProcessorCount=1"]

# What each workload reports: (metric key, unit, higher is better)
PRIMARY = {
    "h1": ("rps", "req/s", True),
    "paced": ("p99_ms", "p99 ms", False),
    "h2": ("rps", "req/s", True),
    "handshake": ("hs_per_cpu_s", "hs/CPU-s", True),
    "proxy": ("rps", "req/s", True),
    "large": ("gbps", "GB/s", True),
    "idle": ("kib_per_conn", "KiB/conn", False),
    "startup": ("ms", "ms", False),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- processes

def tree_pids(pid):
    """pid and all its descendants (nginx master + worker, a shell's child...)."""
    children = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(d.name))
            except (OSError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def jit_cpu_seconds(pid):
    """CPU of the JVM's JIT compiler threads (C1/C2): on the pinned server core it competes with the event loop."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            if (task / "comm").read_text().startswith(("C1 Compi", "C2 Compi")):
                total += noise.stat_ticks(task / "stat")
        except OSError:
            pass
    return total / noise.CLK_TCK


def cpu_seconds(pid):
    """utime + stime of the process tree (all threads), from /proc/PID/stat."""
    return sum(noise.stat_ticks(f"/proc/{p}/stat") for p in tree_pids(pid)) / noise.CLK_TCK


def rss_kib(pid):
    total = 0
    for p in tree_pids(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_KIB
        except (OSError, IndexError):
            pass
    return total


def port_free(port):
    """No listener on 127.0.0.1:port. SO_REUSEADDR, as the servers bind, so that connections of an earlier run still in
    TIME_WAIT do not count; Linux refuses the bind all the same while anything listens there."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_port(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class Server:
    def __init__(self, name, cmd, port, run, env=None, core=SERVER_CORE):
        self.name, self.port, self.run = name, port, run
        self.cmd = ["taskset", "-c", core] + cmd
        self.env = env
        self.proc = None
        self.logfile = run / f"{name}.log"

    def start(self):
        # A listener left on the port by something else would answer in this server's place (wait_port cannot tell
        # them apart), and the server itself would fail to bind.
        if not port_free(self.port):
            raise RuntimeError(f"port {self.port}, which {self.name} is to listen on, is already taken on 127.0.0.1; "
                               f"stop whatever listens there (ss -ltnp 'sport = :{self.port}')")
        out = open(self.logfile, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=out, stderr=subprocess.STDOUT, env=self.env,
                                     start_new_session=True)
        if not wait_port(self.port, self.proc):
            tail = self.logfile.read_text(errors="replace")[-2000:]
            self.stop()
            raise RuntimeError(f"{self.name} did not start listening on {self.port}; log {self.logfile}:\n{tail}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def check_response(server, port, cert):
    """The configs are meant to make every server send the same response to `/`; a drifted config would turn a
    comparison into one of different work, so a server whose response differs stops the run."""
    ctx = ssl.create_default_context(cafile=str(cert))
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := tls.recv(65536):
                data += chunk
    except OSError as e:  # refused, reset, TLS failure (ssl.SSLError is an OSError), timeout
        raise RuntimeError(f"{server} did not answer GET / over TLS on port {port}: {e}") from e
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    problems = [] if lines[0].split(" ")[1:2] == ["200"] else [f"status line {lines[0]!r}"]
    if body != configs.BODY.encode():
        problems.append(f"body {body[:40]!r}")
    problems += [f"{name}: {headers.get(name.lower())!r} (expected {value!r})"
                 for name, value in configs.SECURITY_HEADERS if headers.get(name.lower()) != value]
    if "alt-svc" in headers:
        problems.append("Alt-Svc (no server advertises HTTP/3 here)")
    if problems:
        raise RuntimeError(f"{server}'s response to / differs from the others': {'; '.join(problems)}")
    return len(data)


def run_load(cmd, timeout):
    """Runs a load generator pinned to the load core; returns (output, exit code, wall seconds)."""
    start = time.time()
    proc = subprocess.Popen(["taskset", "-c", LOAD_CORE] + cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode(errors="replace"), proc.returncode, time.time() - start


# ---------------------------------------------------------------------------------------------------- parsing

def parse_duration_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        return None
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    r["p99_ms"] = parse_duration_ms(m.group(1)) if m else None
    m = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    r["p50_ms"] = parse_duration_ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    m = re.search(r"paced: p99.9 ([\d.]+)ms max ([\d.]+)ms", out)  # printed by paced.lua's done()
    if m:
        r["p999_ms"], r["max_ms"] = float(m.group(1)), float(m.group(2))
    return r


def parse_h2load(out):
    r = {}
    m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored",
                  out)
    if m:
        r["requests"], r["failed"] = int(m.group(3)), int(m.group(4)) + int(m.group(5))
    m = re.search(r"status codes: (\d+) 2xx", out)
    r["ok_2xx"] = int(m.group(1)) if m else None
    m = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", out)
    if m:
        r["mean_ms"], r["max_ms"] = parse_duration_ms(m.group(3)), parse_duration_ms(m.group(2))
    m = re.search(r"Application protocol: (\S+)", out)
    r["alpn"] = m.group(1) if m else None
    return r


# ---------------------------------------------------------------------------------------------------- workloads

class Bench:
    def __init__(self, args, run):
        self.args, self.run = args, run
        self.cert = run / "cert.pem"
        self.tlsget = None  # the large workload's client, built by main() only when that workload runs

    def url(self, server, path="/"):
        return f"https://localhost:{PORTS[server]}{path}"

    def measure(self, server, fn):
        """Runs fn() while accounting CPU: the server's (from /proc/PID/stat) and each core's (from /proc/stat)."""
        pid = self.servers[server].proc.pid
        up = self.upstream.proc.pid
        c0 = cpu_seconds(pid)
        j0 = jit_cpu_seconds(pid)
        u0 = cpu_seconds(up)
        s0 = noise.snapshot()
        ru0 = os.times()
        t0 = time.time()
        result = fn()
        wall = time.time() - t0
        ru1 = os.times()
        s1 = noise.snapshot()
        server_cpu = cpu_seconds(pid) - c0
        load_cpu = (ru1.children_user - ru0.children_user) + (ru1.children_system - ru0.children_system) \
            + (cpu_seconds(up) - u0)
        foreign = noise.foreign_busy(s0, s1, {LOAD_CORE: load_cpu, SERVER_CORE: server_cpu})
        result.update(server_cpu_s=round(server_cpu, 3), server_cpu_util=round(server_cpu / wall, 3),
                      wall_s=round(wall, 2), foreign_busy=foreign)
        if server == "portcullis":
            result["jit_cpu_s"] = round(jit_cpu_seconds(pid) - j0, 3)
        return result

    def h1(self, server, duration, path="/", script=()):
        """wrk over 64 keep-alive connections; `script` is a wrk Lua script in harness/ and its arguments."""
        lua, lua_args = (["-s", str(HERE / script[0])], ["--", *script[1:]]) if script else ([], [])
        out, rc, _ = run_load(["wrk", "-t1", "-c64", f"-d{duration}s", "--latency", *lua, self.url(server, path),
                               *lua_args], duration + 30)
        r = parse_wrk(out)
        r["ok"] = rc == 0 and r["rps"] is not None and r["non2xx"] == 0 and r["p99_ms"] is not None
        if not r["ok"]:
            r["output"] = out[-1500:]
        return r

    def paced(self, server, duration):
        r = self.h1(server, duration, script=("paced.lua", str(PACED_RATE)))
        r["offered_rps"] = PACED_RATE
        if r["ok"] and r["rps"] < 0.95 * PACED_RATE:
            r["below_rate"] = True  # the server could not keep up: its latency is a queue's, say so in the table
        return r

    def h2(self, server, duration):
        out, rc, _ = run_load(["h2load", "-c16", "-m16", "-t1", "-D", str(duration), "--warm-up-time=1",
                               self.url(server)], duration + 30)
        r = parse_h2load(out)
        r["ok"] = rc == 0 and r["rps"] is not None and not r.get("failed") and r.get("alpn") == "h2"
        if not r["ok"]:
            r["output"] = out[-1500:]
        return r

    def handshake(self, server, duration):
        """Full handshakes only: `openssl s_time -new` never offers a session, so nothing is ever resumed. Four
        clients in parallel keep the server busy; handshakes per server CPU-second normalise for how busy it got."""
        procs = [subprocess.Popen(["taskset", "-c", LOAD_CORE, "openssl", "s_time", "-new", "-connect",
                                   f"127.0.0.1:{PORTS[server]}", "-time", str(duration)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(4)]
        total, ok = 0, True
        outs = []
        for p in procs:
            out = p.communicate(timeout=duration + 30)[0].decode(errors="replace")
            outs.append(out)
            m = re.search(r"(\d+) connections in ([\d.]+)s", out)
            if m is None or p.returncode != 0:
                ok = False
            else:
                total += int(m.group(1))
        r = {"handshakes": total, "ok": ok and total > 0}
        if not r["ok"]:
            r["output"] = "\n".join(outs)[-1500:]
        return r

    def large(self, server, sink=True):
        """One download of the large file by harness/tlsget.c: by default a sink that counts the body's TLS records
        without decrypting them (what the server delivers), with sink=False a client that decrypts every byte."""
        if server in NO_FILES:
            return {"ok": True, "skipped": f"{server} cannot serve files"}
        out, rc, _ = run_load([str(self.tlsget), "127.0.0.1", str(PORTS[server]), "/large/big.bin", str(self.cert),
                               *(["--sink"] if sink else [])], 600)
        parts = out.split()
        try:
            code, size, total = int(parts[0]), int(parts[1]), float(parts[2])
        except (ValueError, IndexError):
            return {"ok": False, "output": out[-1500:]}
        ok = rc == 0 and code == 200 and size == self.args.large_bytes
        r = {"ok": ok, "bytes": size, "seconds": total, "gbps": round(size / total / 1e9, 3) if total else None}
        if not ok:
            r["output"] = out[-500:]
        return r

    def idle(self, server):
        """Opens N TLS connections (h1 ALPN, handshake completed) and holds them; server RSS delta / N."""
        pid = self.servers[server].proc.pid
        n = self.args.idle_conns
        before = rss_kib(pid)
        holder = subprocess.Popen(["taskset", "-c", LOAD_CORE, sys.executable, str(HERE / "idle_conns.py"),
                                   "127.0.0.1", str(PORTS[server]), str(n), str(self.cert)],
                                  stdout=subprocess.PIPE, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        line = holder.stdout.readline().decode().strip()  # "open N" once all are connected, or "error ..."
        time.sleep(1.0)
        after = rss_kib(pid)
        holder.stdin.close()
        holder.wait(60)
        err = holder.stderr.read().decode(errors="replace")[-800:]
        m = re.match(r"open (\d+)", line)
        opened = int(m.group(1)) if m else 0
        r = {"ok": opened == n, "opened": opened, "rss_before_kib": before, "rss_after_kib": after,
             "kib_per_conn": round((after - before) / opened, 2) if opened else None}
        if not r["ok"]:
            r["output"] = (line + "\n" + err)[-1500:]
        time.sleep(2.0)  # let the server close and free the connections before the next workload
        return r

    def one(self, workload, server, duration):
        if workload == "h1":
            return self.measure(server, lambda: self.h1(server, duration))
        if workload == "paced":
            return self.measure(server, lambda: self.paced(server, duration))
        if workload == "h2":
            return self.measure(server, lambda: self.h2(server, duration))
        if workload == "handshake":
            r = self.measure(server, lambda: self.handshake(server, duration))
            r["hs_per_s"] = round(r["handshakes"] / r["wall_s"], 1) if r.get("handshakes") else None
            r["hs_per_cpu_s"] = round(r["handshakes"] / r["server_cpu_s"], 1) if r.get("server_cpu_s") else None
            return r
        if workload == "proxy":
            return self.measure(server, lambda: self.h1(server, duration, "/proxy/hello"))
        if workload == "large":
            resident = None if server in NO_FILES else cache_file(large_file(self.run))
            r = self.measure(server, lambda: self.large(server))
            if server not in NO_FILES:
                r["cached_before"] = resident
            if not r.get("skipped"):
                # The same download by a client that decrypts it: on one core the client's AES is then the limit.
                decrypting = self.large(server, sink=False)
                r["gbps_decrypting"] = decrypting.get("gbps")
                r["ok"] = r["ok"] and decrypting["ok"]
                if not decrypting["ok"]:
                    r["output"] = decrypting.get("output", "")
            return r
        if workload == "idle":
            return self.idle(server)
        raise ValueError(workload)

    def warm_up(self, server):
        secs = self.args.warmup * (2 if server == "portcullis" else 1)  # the JIT needs longer than C servers
        # Handshakes get the full time: the connection set-up path is the largest body of code the JIT compiles, and
        # with half of it Portcullis's first measured handshake repeat still paid several seconds of C2 compiling.
        half, settle = max(1, secs // 2), max(1, secs // 6)
        log(f"bench: warming up {server} ({secs}s h1, {half}s each of paced, h2 and proxy, {secs}s "
            f"handshakes, then {settle}s of each again)")
        self.h1(server, secs)
        # Paced load takes paths flat-out load rarely does (the event loop idles and wakes ~700 times a second to
        # serve small batches). Warmed with h1 alone, Portcullis read p99 3.4-7.2 ms in its first paced round and
        # 1.5-2.5 ms in its fifth and sixth (nginx 0.8-1.1); with some 70 s of paced load behind it, it matched nginx
        # (bench/README.md, "Where the paced tail comes from").
        self.paced(server, half)
        self.h2(server, half)
        self.h1(server, half, "/proxy/hello")
        self.handshake(server, secs)
        if server not in NO_FILES and large_file(self.run).exists():
            # The file path compiles too: without it round 1 paid 0.64 s of C2 (0.51 vs 0.76 GB/s). Portcullis gets
            # five downloads: a fresh server's first five 1 GiB downloads ran at 0.75, 0.88, 1.27, 1.51 and 1.54
            # GB/s (another: 0.51, 0.62, 0.72, 1.33, 1.39, 1.55), as per-chunk code reaches C2 only after ~4 GiB.
            cache_file(large_file(self.run))
            for _ in range(5 if server == "portcullis" else 1):
                self.large(server)
        # A settling pass: going back to a workload after the others recompiles part of its path (code compiled
        # while one workload ran is deoptimised when another loads classes or takes branches it never took, e.g. the
        # first connection reset loads io.netty.channel.unix.Errors). Without this pass Portcullis's first measured
        # round paid ~0.4 s of C2 on the server core and its h1 p99 read 4.8 ms against 1.6-1.8 ms in later rounds.
        self.h1(server, settle)  # in the order the workloads are measured
        self.paced(server, settle)  # the same code as h1, at a pace that lets the event loop go idle between bursts
        self.h2(server, settle)
        self.handshake(server, settle)
        # Every measured proxy run starts without pooled upstream connections: the gaps between a server's proxy runs
        # outlast the 60 s keep-alive timeouts of the servers and the upstream. The settle pass starts the same way,
        # so that a first request finding the pool empty is not first seen in a measured run (for Portcullis that
        # was a C2 deoptimisation and ~0.2 s of recompiling in round 1). Reloading the upstream nginx closes its idle
        # keep-alive connections.
        self.drop_upstream_connections()
        self.h1(server, settle, "/proxy/hello")

    def drop_upstream_connections(self):
        os.kill(self.upstream.proc.pid, signal.SIGHUP)
        time.sleep(1)  # the old worker closes its idle connections at once; the proxies notice the close


# ---------------------------------------------------------------------------------------------------- setup

def make_cert(run):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(run / "key.pem"), "-out", str(run / "cert.pem")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (run / "combined.pem").write_text((run / "cert.pem").read_text() + (run / "key.pem").read_text())


def make_servers(run, jar):
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    for d in ["nginx-tmp", "upstream-tmp", "caddy-data", "portcullis-data", "www"]:
        (run / d).mkdir(exist_ok=True)
    (run / "portcullis.yaml").write_text(configs.portcullis_yaml(run, PORTS["portcullis"], UPSTREAM_PORT))
    (run / "nginx.conf").write_text(configs.nginx_conf(run, PORTS["nginx"], UPSTREAM_PORT, nofile))
    (run / "upstream.conf").write_text(configs.upstream_conf(run, UPSTREAM_PORT, nofile))
    (run / "haproxy.cfg").write_text(configs.haproxy_cfg(run, PORTS["haproxy"], UPSTREAM_PORT, nofile))
    (run / "Caddyfile").write_text(configs.caddyfile(run, PORTS["caddy"], UPSTREAM_PORT))
    caddy_env = dict(os.environ, GOMAXPROCS="1", HOME=str(run / "caddy-data"), XDG_DATA_HOME=str(run / "caddy-data"),
                     XDG_CONFIG_HOME=str(run / "caddy-data"))
    java_env = dict(os.environ)
    java_env.pop("JAVA_TOOL_OPTIONS", None)
    servers = {
        "portcullis": Server("portcullis", ["java"] + JVM_OPTS + ["-jar", str(jar), "run", "--config",
                                                                  str(run / "portcullis.yaml")],
                             PORTS["portcullis"], run, java_env),
        "nginx": Server("nginx", ["nginx", "-p", str(run), "-e", str(run / "nginx-error.log"), "-c",
                                  str(run / "nginx.conf")], PORTS["nginx"], run),
        "haproxy": Server("haproxy", ["haproxy", "-db", "-f", str(run / "haproxy.cfg")], PORTS["haproxy"], run),
        "caddy": Server("caddy", ["caddy", "run", "--adapter", "caddyfile", "--config", str(run / "Caddyfile")],
                        PORTS["caddy"], run, caddy_env),
    }
    upstream = Server("upstream", ["nginx", "-p", str(run), "-e", str(run / "upstream-error.log"), "-c",
                                   str(run / "upstream.conf")], UPSTREAM_PORT, run, core=LOAD_CORE)
    return servers, upstream


def build_tlsget():
    """The large workload's client, compiled from harness/tlsget.c into bench/target when the source is newer."""
    source, exe = HERE / "tlsget.c", BENCH / "target" / "tlsget"
    if not exe.exists() or exe.stat().st_mtime < source.stat().st_mtime:
        exe.parent.mkdir(exist_ok=True)
        subprocess.run(["gcc", "-O2", "-Wall", "-o", str(exe), str(source), "-lssl", "-lcrypto"], check=True)
    return exe


def cache_file(path):
    """Reads the file through once so that the download that follows serves it from the page cache, as the workload
    says, whichever server goes first. This host's kernel pages out memory left untouched for about a minute (a
    DAMON "pageout" scheme, /sys/kernel/mm/damon): between two rounds half the 1 GiB file was gone from the cache,
    and the server that came next read it from disk (one download: 1.56 s with 586 of 1,024 MiB cached). Returns the
    fraction that was cached before the read (from mincore via fincore, when util-linux has it; else None)."""
    resident = None
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES,SIZE", str(path)],
                             capture_output=True, text=True, timeout=30).stdout.split()
        resident = round(int(out[0]) / int(out[1]), 3) if len(out) == 2 and int(out[1]) else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        pass
    with open(path, "rb", buffering=0) as f:
        while f.read(8 << 20):
            pass
    return resident


def large_file(run):
    return run / "www" / "big.bin"


def make_large_file(run, size):
    path = large_file(run)
    path.parent.mkdir(exist_ok=True)
    # Random-ish content so no layer can shortcut it; written once per run, then served from the page cache.
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(chunk))
            f.write(chunk[:n])
            left -= n


# ---------------------------------------------------------------------------------------------------- report

def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def run_noisy(r, baseline):
    """Was the run NOISY: foreign CPU on a core, or a core slower than the run's baseline before or after it?"""
    if r.get("foreign_busy", {}).get("noisy"):
        return True
    return any(s > noise.SLOW_THRESHOLD for ms in r.get("probe_ms", {}).values()
               for s in noise.slowdown(ms, baseline).values())


def measured(r):
    """A run that produced figures: it succeeded and was not skipped (a server that cannot serve the workload)."""
    return r.get("ok") and not r.get("skipped")


def summarise(results, servers, workloads):
    """Medians per workload and server. A cell's quiet runs are its figures when it has any (the host's slow spells
    cost 30-40% and would otherwise decide a ratio); a cell with none uses all its runs and is flagged."""
    summary = {}
    for w in workloads:
        key, unit, higher = PRIMARY[w]
        summary[w] = {}
        for s in servers:
            runs = results.get(w, {}).get(s, [])
            ok_runs = [r for r in runs if measured(r)]
            quiet_runs = [r for r in ok_runs if not r.get("noisy")]
            noisy = not quiet_runs and any(r.get("noisy") for r in runs)
            ok_runs = quiet_runs or ok_runs
            entry = {"metric": key, "unit": unit, "runs": len(runs), "ok_runs": len(ok_runs),
                     "quiet_runs": len(quiet_runs),
                     "median": median([r.get(key) for r in ok_runs])}
            if w in ("h1", "proxy"):
                entry["p99_ms"] = median([r.get("p99_ms") for r in ok_runs])
            if w == "h2":
                entry["mean_ms"] = median([r.get("mean_ms") for r in ok_runs])
            if w == "paced":
                entry["rps"] = median([r.get("rps") for r in ok_runs])
                entry["p999_ms"] = median([r.get("p999_ms") for r in ok_runs])
                entry["below_rate"] = any(r.get("below_rate") for r in ok_runs)
            if w in ("h1", "paced", "h2", "proxy", "handshake", "large"):
                entry["server_cpu_util"] = median([r.get("server_cpu_util") for r in ok_runs])
            if w in ("h1", "h2", "proxy"):
                # Requests per second of server CPU: on a host whose hypervisor steals time, req/s of runs taken a
                # minute apart differ by more than the servers do; the CPU each request cost varies far less.
                entry["req_per_cpu_s"] = median([r["rps"] / r["server_cpu_util"] for r in ok_runs
                                                 if r.get("rps") and r.get("server_cpu_util")])
            if w == "handshake":
                entry["hs_per_s"] = median([r.get("hs_per_s") for r in ok_runs])
            if w == "large":
                entry["gbps_decrypting"] = median([r.get("gbps_decrypting") for r in ok_runs])
                # server CPU per byte: what the server could do if nothing else on the machine limited it
                entry["ns_per_byte"] = median([r["server_cpu_s"] * 1e9 / r["bytes"] for r in ok_runs
                                               if r.get("server_cpu_s") and r.get("bytes")])
            if w == "startup":
                entry["cpu_ms"] = median([r.get("cpu_ms") for r in ok_runs])
                entry["first_start_ms"] = median([r.get("first_start_ms") for r in ok_runs])
            if runs and all(r.get("skipped") for r in runs):
                entry["skipped"] = runs[0]["skipped"]
            entry["noisy"] = noisy
            summary[w][s] = entry
        base = summary[w].get("portcullis", {}).get("median")
        for s in servers:
            m = summary[w][s]["median"]
            if s != "portcullis" and base and m:
                # Ratio > 1 means Portcullis is better, whichever way the metric points.
                summary[w][s]["portcullis_ratio"] = round(base / m if higher else m / base, 3)
            if s != "portcullis":
                paired, quiet_pairs = paired_ratio(results.get(w, {}).get("portcullis", []),
                                                   results.get(w, {}).get(s, []), key, higher)
                if paired is not None:
                    summary[w][s]["portcullis_paired_ratio"] = round(paired, 3)
                    summary[w][s]["quiet_pairs"] = quiet_pairs
            base_cpu = summary[w].get("portcullis", {}).get("req_per_cpu_s")
            peer_cpu = summary[w][s].get("req_per_cpu_s")
            if s != "portcullis" and base_cpu and peer_cpu:
                summary[w][s]["portcullis_cpu_ratio"] = round(base_cpu / peer_cpu, 3)
    return summary


def paired_ratio(ours, theirs, key, higher):
    """Median of the round-by-round ratios: Portcullis's run of round i against the peer's run of round i, taken
    seconds apart. The host's slow spells last tens of seconds to minutes and move both runs of a round together, so
    pairing cancels what separate medians of each cell keep (a cell's median can come from a fast round and its
    peer's from a slow one). Pairs where both runs were quiet when there are any, else all pairs that ran.
    Returns (ratio or None, number of quiet pairs)."""
    pairs = [(a, b) for a, b in zip(ours, theirs) if measured(a) and measured(b) and a.get(key) and b.get(key)]
    quiet = [(a, b) for a, b in pairs if not a.get("noisy") and not b.get("noisy")]
    ratios = [a[key] / b[key] if higher else b[key] / a[key] for a, b in (quiet or pairs)]
    return median(ratios), len(quiet)


def fmt(v, digits=0):
    if v is None:
        return "-"
    if isinstance(v, float) and digits == 0 and v < 100:
        return f"{v:.2f}"
    return f"{v:,.{digits}f}"


def ratio_line(label, key, entries, servers):
    """A table row of Portcullis/peer ratios: blank under Portcullis itself and where a figure is missing."""
    cells = []
    for s in servers:
        r = entries[s].get(key)
        cells.append(f"{('-' if s == 'portcullis' or r is None else f'{r:.2f}x'):>14}")
    return f"{'':<10} {label:<10} " + " ".join(cells)


def table(summary, servers, workloads):
    lines = []
    header = f"{'workload':<10} {'metric':<10} " + " ".join(f"{s:>14}" for s in servers)
    lines.append(header)
    lines.append("-" * len(header))
    for w in workloads:
        unit = PRIMARY[w][1]
        cells = []
        for s in servers:
            e = summary[w][s]
            cell = "n/a" if e.get("skipped") else fmt(e["median"], 2 if w in ("large", "idle") else 0)
            cells.append(f"{cell + ('*' if e['noisy'] else ''):>14}")
        lines.append(f"{w:<10} {unit:<10} " + " ".join(cells))
        if w in ("h1", "proxy", "h2"):
            k = "mean_ms" if w == "h2" else "p99_ms"
            label = "mean ms" if w == "h2" else "p99 ms"
            lines.append(f"{'':<10} {label:<10} " + " ".join(f"{fmt(summary[w][s].get(k), 2):>14}" for s in servers))
        if w == "paced":
            lines.append(f"{'':<10} {'p99.9 ms':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('p999_ms'), 2):>14}" for s in servers))
            lines.append(f"{'':<10} {'req/s':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('rps')) + ('!' if summary[w][s].get('below_rate') else ''):>14}"
                                    for s in servers))
        if w == "handshake":
            lines.append(f"{'':<10} {'hs/s wall':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('hs_per_s')):>14}" for s in servers))
        if w == "large":
            lines.append(f"{'':<10} {'decrypted':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('gbps_decrypting'), 2):>14}" for s in servers))
            lines.append(f"{'':<10} {'srv ns/B':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('ns_per_byte'), 2):>14}" for s in servers))
        if w == "startup":
            lines.append(f"{'':<10} {'CPU ms':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('cpu_ms')):>14}" for s in servers))
        if w not in ("idle", "startup"):
            utils = [summary[w][s].get("server_cpu_util") for s in servers]
            lines.append(f"{'':<10} {'srv CPU':<10} "
                         + " ".join(f"{('-' if u is None else f'{u:.0%}'):>14}" for u in utils))
        lines.append(ratio_line("P/peer", "portcullis_ratio", summary[w], servers))
        lines.append(ratio_line("paired", "portcullis_paired_ratio", summary[w], servers))
        if w in ("h1", "h2", "proxy"):
            lines.append(f"{'':<10} {'req/CPU-s':<10} "
                         + " ".join(f"{fmt(summary[w][s].get('req_per_cpu_s')):>14}" for s in servers))
            lines.append(ratio_line("P/peer CPU", "portcullis_cpu_ratio", summary[w], servers))
    lines.append("")
    lines.append("P/peer > 1.00x: Portcullis better (more req/s, hs/CPU-s, GB/s; lower paced p99; fewer KiB/conn). "
                 "P/peer CPU: the same for requests per server CPU-second.")
    lines.append("paired: the median of round-by-round ratios (each round's Portcullis run against the same round's "
                 "peer run, quiet pairs only when there are any); it cancels the host's slow spells, which move both "
                 "runs of a round.")
    lines.append(f"paced: {PACED_RATE:,} req/s offered to every server over 64 connections; ! = the server fell short "
                 "of it by more than 5%.")
    lines.append(f"Medians of each cell's quiet runs; * = every run of that cell was NOISY (>{noise.THRESHOLD:.0%} foreign "
                 f"CPU on a core, or a core >{noise.SLOW_THRESHOLD:.0%} slower than the run's baseline at a fixed task).")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--short", action="store_true", help="CI smoke mode: a few seconds per workload, one repeat")
    ap.add_argument("--only", default="", help="comma-separated workloads and/or servers, e.g. h1,h2 or nginx")
    ap.add_argument("--repeat", type=int)
    ap.add_argument("--duration", type=int, help="seconds per load run")
    ap.add_argument("--write-results", action="store_true", help="also write bench/RESULTS.md")
    ap.add_argument("--quiet-wait", type=int, help="seconds to wait before a run for a slow core to recover "
                    "(default 30, short mode 0); at most 15 minutes of waiting in all")
    ap.add_argument("--jar", required=True)
    args = ap.parse_args()

    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - set(SERVERS) - set(WORKLOADS)
    if unknown:
        ap.error(f"--only: unknown {', '.join(sorted(unknown))} (expected: {', '.join(WORKLOADS + SERVERS)})")
    workloads = [w for w in WORKLOADS if w in only] or list(WORKLOADS)
    servers = [s for s in SERVERS if s in only] or list(SERVERS)
    if "portcullis" not in servers:
        servers.insert(0, "portcullis")  # ratios need it
    args.repeat = args.repeat or (1 if args.short else 5)
    args.duration = args.duration or (2 if args.short else 15)
    args.warmup = 2 if args.short else 15
    args.quiet_wait = args.quiet_wait if args.quiet_wait is not None else (0 if args.short else 30)
    args.idle_conns = 1000 if args.short else 10000
    args.large_bytes = (128 << 20) if args.short else (1 << 30)

    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if args.idle_conns > (nofile - 200) // 2:
        args.idle_conns = max(100, (nofile - 200) // 2 - 100)
        log(f"bench: WARNING: open-file limit {nofile} is too low for the idle probe's connections; holding "
            f"{args.idle_conns} instead (raise the hard limit, e.g. `ulimit -Hn 65536` as root, for 10,000)")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    results_dir = BENCH / "results"
    run = results_dir / f"run-{stamp}"
    run.mkdir(parents=True, exist_ok=True)
    log(f"bench: mode {'short' if args.short else 'full'}, {args.repeat} repeat(s) of {args.duration}s, "
        f"workloads {','.join(workloads)}, servers {','.join(servers)}; scratch {run}")
    make_cert(run)
    bench = Bench(args, run)
    if "large" in workloads:
        try:
            bench.tlsget = build_tlsget()
        except (OSError, subprocess.CalledProcessError) as e:
            log(f"bench: cannot build the large workload's client harness/tlsget.c (gcc, libssl-dev): {e}")
            return 3
        make_large_file(run, args.large_bytes)
    all_servers, upstream = make_servers(run, Path(args.jar))
    bench.servers = {s: all_servers[s] for s in servers}
    bench.upstream = upstream

    pre = noise.sample(1.0)
    log(f"bench: before start, core {LOAD_CORE} {pre[LOAD_CORE]:.0%} busy, core {SERVER_CORE} "
        f"{pre[SERVER_CORE]:.0%} busy (by others)")
    host = noise.HostSpeed([LOAD_CORE, SERVER_CORE])
    for _ in range(5):
        host.probe()
    log(f"bench: speed probe baseline {host.baseline} ms (a fixed task; a core more than "
        f"{noise.SLOW_THRESHOLD:.0%} slower before or after a run makes it NOISY)")
    wait_budget = 900.0

    results = {w: {s: [] for s in servers} for w in workloads}
    failed = []
    started = []
    load_workloads = [w for w in workloads if w != "startup"]
    try:
        if not load_workloads:
            servers_to_start = []
        else:
            upstream.start()
            started.append(upstream)
            servers_to_start = servers
        for s in servers_to_start:
            log(f"bench: starting {s}")
            bench.servers[s].start()
            started.append(bench.servers[s])
            size = check_response(s, PORTS[s], run / "cert.pem")
            log(f"bench: {s} answers / with the agreed status, body and headers ({size} bytes)")
        for s in servers_to_start:
            bench.warm_up(s)
        for rep in range(args.repeat):
            for w in workloads:
                if w == "startup":
                    continue  # measured alone once the load servers are stopped, see below
                if w == "idle" and rep > 0:
                    # RSS counts pages first touched: a second round reuses the first round's freed memory and
                    # reads as ~0 KiB/conn for every server, so only the first round measures anything.
                    continue
                for s in servers:
                    before, waited = wait_for_full_speed(host, min(args.quiet_wait, wait_budget))
                    wait_budget -= waited
                    busy = noise.sample(0.3)
                    r = bench.one(w, s, args.duration)
                    r["pre_busy"] = {k: round(v, 3) for k, v in busy.items()}
                    r["probe_ms"] = {"before": before, "after": host.probe()}
                    if waited:
                        r["waited_s"] = round(waited, 1)
                    if max(busy.values()) > noise.THRESHOLD:
                        r.setdefault("foreign_busy", {})["noisy"] = True
                    results[w][s].append(r)
                    key = PRIMARY[w][0]
                    flag = " NOISY" if run_noisy(r, host.baseline) else ""
                    status = "ok" if r.get("ok") else "FAILED"
                    if r.get("skipped"):
                        status = f"skipped ({r['skipped']})"
                    extra = f" p99={r['p99_ms']}ms" if r.get("p99_ms") is not None and key != "p99_ms" else ""
                    if w == "paced" and r.get("rps") is not None:
                        extra += f" p99.9={r.get('p999_ms')}ms rps={r['rps']:.0f}"
                    if r.get("jit_cpu_s") is not None:
                        extra += f" jit={r['jit_cpu_s']}s"
                    log(f"bench: [{rep + 1}/{args.repeat}] {w:<9} {s:<10} {key}={r.get(key)}{extra} {status}{flag}")
                    if not r.get("ok"):
                        failed.append(f"{w}/{s}")
                        if r.get("output"):
                            log("  " + r["output"].replace("\n", "\n  ")[-800:])
                    if s in bench.servers and bench.servers[s].proc.poll() is not None:
                        raise RuntimeError(f"{s} exited during {w} (log {bench.servers[s].logfile})")
    except RuntimeError as e:
        log(f"bench: ERROR: {e}")
        for srv in started:
            srv.stop()
        return 2
    finally:
        for srv in started:
            srv.stop()
    if "startup" in workloads:
        measure_startup(args, run, results, servers, failed)

    # Judged once, against the whole run's baseline (the live NOISY flags used the baseline known at the time).
    all_runs = [r for w in results.values() for rs in w.values() for r in rs]
    for r in all_runs:
        r["noisy"] = run_noisy(r, host.baseline)
    summary = summarise(results, servers, workloads)
    noisy = any(e["noisy"] for w in summary.values() for e in w.values())
    set_aside = sum(1 for r in all_runs if r["noisy"])
    out = {"timestamp": stamp, "mode": "short" if args.short else "full", "repeat": args.repeat,
           "duration_s": args.duration, "warmup_s": args.warmup, "idle_conns": args.idle_conns,
           "large_bytes": args.large_bytes, "cores": {"load": LOAD_CORE, "server": SERVER_CORE},
           "noisy": noisy, "noisy_runs": set_aside, "all_runs": len(all_runs), "probe_baseline_ms": host.baseline,
           "failed": failed, "versions": versions(), "summary": summary, "runs": results}
    path = results_dir / f"{stamp}.json"
    path.write_text(json.dumps(out, indent=2))
    text = table(summary, servers, workloads)
    print(text)
    if noisy:
        print("\nNOISY: every run of the cells marked * had foreign CPU on a core or a core slowed by the host; "
              "those figures are not comparable. Re-run on a quieter machine.")
    if failed:
        print(f"\nFAILED runs: {', '.join(sorted(set(failed)))}")
    print(f"\nJSON: {path}")
    if args.write_results:
        write_results_md(out, text)
    shutil.rmtree(run / "www", ignore_errors=True)  # the large file; configs and logs stay for inspection
    # The harness worked (figures are not targets): exit 0 unless a server or tool failed.
    return 1 if failed else 0


def wait_for_full_speed(host, max_wait):
    """Probes the cores; while one is slow and max_wait allows, waits for the host's slow spell to pass (they last
    tens of seconds). Returns the last probe and the seconds waited."""
    ms = host.probe()
    slow = host.slow(ms)
    if not slow or max_wait <= 0:
        return ms, 0.0
    log(f"bench: host slow ({', '.join(f'core {c} +{v:.0%}' for c, v in slow.items())}), waiting up to "
        f"{max_wait:.0f}s")
    t0 = time.monotonic()
    while slow and time.monotonic() - t0 < max_wait:
        time.sleep(2)
        ms = host.probe()
        slow = host.slow(ms)
    return ms, time.monotonic() - t0


def measure_startup(args, run, results, servers, failed):
    """Cold starts of the embedded default, Portcullis only (peers have no comparable target). The first start may
    create the local CA and is kept out of the median but recorded."""
    launcher_jar = ROOT / "cli" / "target" / "portcullis.jar"
    if Path(args.jar).resolve() == launcher_jar.resolve():
        cmd = [str(ROOT / "portcullis"), "run"]  # exactly what the user runs, class-data archive included
    else:
        cmd = ["java"] + LAUNCHER_OPTS + ["-jar", args.jar, "run"]
    scratch = run / "startup"
    scratch.mkdir(exist_ok=True)
    for s in servers:
        if s != "portcullis":
            results["startup"][s].append({"ok": True, "skipped": "Portcullis only"})
    first = None
    for i in range(args.repeat + 1):
        r = startup.one(cmd, scratch)
        log(f"bench: [{i}/{args.repeat}] startup   portcullis ms={r.get('ms')} {'ok' if r['ok'] else 'FAILED'}"
            + (" (first start, not in the median)" if i == 0 else ""))
        if not r["ok"]:
            failed.append("startup/portcullis")
            log("  " + r.get("output", "").replace("\n", "\n  ")[-800:])
        if i == 0:
            first = r
        else:
            r["first_start_ms"] = first.get("ms")
            results["startup"]["portcullis"].append(r)


def versions():
    v = {}
    for name, cmd in {"nginx": ["nginx", "-v"], "haproxy": ["haproxy", "-v"], "caddy": ["caddy", "version"],
                      "java": ["java", "-version"], "wrk": ["wrk", "-v"], "h2load": ["h2load", "--version"],
                      "openssl": ["openssl", "version"]}.items():
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            v[name] = (p.stdout + p.stderr).strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            v[name] = None
    v["kernel"] = os.uname().release
    v["cpu"] = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name")), None)
    return v


def write_results_md(out, text):
    md = [
        "# Benchmark results",
        "",
        "Written by `bench/run.sh --write-results`; see [README.md](README.md) for what each workload measures.",
        "",
        f"- when: {out['timestamp']} ({out['mode']} mode, {out['repeat']} repeats of {out['duration_s']} s, "
        f"warm-up {out['warmup_s']} s, Portcullis twice that)",
        f"- machine: {out['versions'].get('cpu')}, kernel {out['versions'].get('kernel')}; server on core "
        f"{out['cores']['server']}, load and upstream on core {out['cores']['load']}",
        f"- peers: {out['versions'].get('nginx')}; {out['versions'].get('haproxy')}; caddy "
        f"{out['versions'].get('caddy')}; {out['versions'].get('java')}",
        f"- quiet machine: {'NO, figures flagged NOISY' if out['noisy'] else 'yes'}; {out['noisy_runs']} of "
        f"{out['all_runs']} runs noisy and set aside (speed probe baseline {out['probe_baseline_ms']} ms)"
        + (f"; failed runs: {', '.join(out['failed'])}" if out["failed"] else ""),
        "",
        "Medians:",
        "",
        "```",
        text,
        "```",
        "",
    ]
    (BENCH / "RESULTS.md").write_text("\n".join(md))
    log(f"bench: wrote {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    sys.exit(main())
