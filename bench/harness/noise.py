"""Is the machine quiet? Per-core busy time from /proc/stat, minus what the harness itself used on that core; and the
per-process CPU reader the harness and the startup probe share."""
import os
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
