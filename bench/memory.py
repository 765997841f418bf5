"""Resident memory of this process, now and at its peak, from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def memory_mib() -> dict[str, float]:
    status = Path("/proc/self/status").read_text()
    values = {line.split(":")[0]: float(line.split()[1]) / 1024 for line in status.splitlines()
              if line.startswith(("VmRSS", "VmHWM"))}
    return {"rss_mib": round(values["VmRSS"], 1), "peak_mib": round(values["VmHWM"], 1)}
