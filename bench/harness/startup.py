"""Startup to first HTTPS response on the embedded default: the new user's `./portcullis run` with no config.

Each run spawns a fresh JVM with the launcher's options (not pinned: a user's machine gives it every core), reads the
URL and the local CA root the server prints, and polls that URL every few milliseconds with certificate verification
until it answers 200. The clock starts just before the process is spawned, so JVM start, config, local CA, TLS
contexts and binding are all inside the figure. The first run may create the local CA; later runs reuse it.
"""
import os
import re
import signal
import ssl
import subprocess
import time
import urllib.request

import noise

URL = re.compile(r"https://localhost[^ \s]*/")
CA = re.compile(r"trust its root to avoid browser warnings: (\S+)")


def _cpu_ms(pid):
    """utime + stime of the process so far (all threads), in ms."""
    return noise.stat_ticks(f"/proc/{pid}/stat") * 1000.0 / noise.CLK_TCK


def _first_response(url, cafile, deadline):
    ctx = ssl.create_default_context(cafile=cafile)
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, context=ctx, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.005)
    return False


def one(java_cmd, scratch, timeout=30.0):
    """Returns {"ok", "ms", "url"} for one cold start of java_cmd (a list ending in `run`)."""
    log_path = scratch / "startup.log"
    with open(log_path, "wb") as out:
        t0 = time.monotonic()
        proc = subprocess.Popen(java_cmd, stdout=out, stderr=subprocess.STDOUT, cwd=scratch,
                                start_new_session=True)
        deadline = t0 + timeout
        try:
            url = ca = None
            while time.monotonic() < deadline and proc.poll() is None:
                text = log_path.read_text(errors="replace")
                u, c = URL.search(text), CA.search(text)
                if u and c:
                    url, ca = u.group(0), c.group(1)
                    break
                time.sleep(0.002)
            if url is None:
                return {"ok": False, "output": log_path.read_text(errors="replace")[-1500:]}
            ok = _first_response(url, ca, deadline)
            ms = (time.monotonic() - t0) * 1000.0
            if not ok:
                return {"ok": False, "output": f"no 200 from {url}"}
            # CPU used until then: on a busy machine wall time stretches, CPU time much less so.
            return {"ok": True, "ms": round(ms, 1), "cpu_ms": round(_cpu_ms(proc.pid)), "url": url}
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
