"""Is the machine quiet? Per-core busy time from /proc/stat, minus what the harness itself used on that core; and the
per-process CPU reader the harness and the startup probe share."""
import os
import subprocess
import sys
import time
from pathlib import Path

THRESHOLD = 0.10  # more than 10% of a core used by something other than the harness: NOISY
CLK_TCK = os.sysconf("SC_CLK_TCK")


def stat_ticks(stat_path):
    """utime + stime in clock ticks from a /proc/PID/stat or /proc/PID/task/TID/stat file; 0 when it is gone."""
    try:
        fields = Path(stat_path).read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def snapshot():
    """{core: (busy_ticks, total_ticks)} for every core, plus the time it was taken."""
    cores = {}
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("cpu") and line[3].isdigit():
            name, *vals = line.split()
            v = [int(x) for x in vals]
            idle = v[3] + v[4]  # idle + iowait
            total = sum(v[:8])  # guest time is already in user
            cores[name[3:]] = (total - idle, total)
    return time.monotonic(), cores


def busy_fraction(a, b):
    (_, ca), (_, cb) = a, b
    out = {}
    for core in cb:
        busy = cb[core][0] - ca[core][0]
        total = cb[core][1] - ca[core][1]
        out[core] = busy / total if total > 0 else 0.0
    return out


def sample(seconds):
    """Busy fraction of each core over a short idle interval (nothing of the harness is loading anything)."""
    a = snapshot()
    time.sleep(seconds)
    return busy_fraction(a, snapshot())


def foreign_busy(a, b, ours):
    """Busy fraction per core not explained by the harness. `ours` maps core -> CPU seconds our pinned processes used
    there (server on its core, load generator + upstream on the other)."""
    wall = b[0] - a[0]
    out = {}
    noisy = False
    for core in b[1]:
        busy_s = (b[1][core][0] - a[1][core][0]) / CLK_TCK
        foreign = max(0.0, busy_s - ours.get(core, 0.0)) / wall if wall > 0 else 0.0
        out[core] = round(foreign, 3)
        noisy = noisy or foreign > THRESHOLD
    out["noisy"] = noisy
    return out


# A VM's host can slow a core without any of it showing in /proc/stat (this machine class reports no steal time):
# a fixed CPU task pinned to each core then takes longer. Seen here: core 0 ran it at a median 6.2 ms against 4.3 ms
# on core 1 for minutes, while foreign_busy read 0% and h1 req/s swung 36k-59k between rounds.
# Probes of a quiet core spread about +-7% (4.5-5.2 ms with both cores probed at once); the host's slow spells cost
# 30-40%. A core more than 15% slower than the run's baseline (the 10th percentile of all its probes): NOISY.
SLOW_THRESHOLD = 0.15
_PROBE = """
import hashlib, statistics, sys, time
block = b"p" * 65536
def unit():
    h = hashlib.sha256()
    for _ in range(64):
        h.update(block)
    s = 0
    for i in range(100000):
        s += i
    return s
times = []
for _ in range(7):
    t = time.perf_counter()
    unit()
    times.append((time.perf_counter() - t) * 1000)
    time.sleep(0.005)
print(round(statistics.median(times), 3))
"""


def probe_ms(cores):
    """Median milliseconds of a fixed CPU task (4 MiB of SHA-256 and a 100,000-step loop) on each core, all probed at
    once, each pinned to its core: {core: ms}."""
    procs = {c: subprocess.Popen(["taskset", "-c", c, sys.executable, "-c", _PROBE], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True) for c in cores}
    out = {}
    for c, p in procs.items():
        text, _ = p.communicate(timeout=30)
        out[c] = float(text.strip()) if p.returncode == 0 and text.strip() else None
    return out


def slowdown(ms, best):
    """{core: how much slower than `best` (0.25 = 25% slower)} for a probe_ms() result."""
    return {c: round(v / best - 1, 3) for c, v in ms.items() if v and best}


class HostSpeed:
    """Probes the cores and judges each probe against the run's baseline. The cores are alike, so every core's probes
    go into one history; the baseline is its 10th percentile, so that one lucky probe does not set it."""

    def __init__(self, cores):
        self.cores = cores
        self.history = []

    @property
    def baseline(self):
        if not self.history:
            return None
        ordered = sorted(self.history)
        return ordered[len(ordered) // 10]

    def probe(self):
        ms = probe_ms(self.cores)
        self.history.extend(v for v in ms.values() if v)
        return ms

    def slow(self, ms):
        """{core: slowdown} of the cores in `ms` beyond the threshold; empty when the host ran at full speed."""
        return {c: s for c, s in slowdown(ms, self.baseline).items() if s > SLOW_THRESHOLD}
