"""Resident memory of this process, now and at its peak, from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def memory_mib() -> dict[str, float]:
    """Resident (rss) and peak resident (peak) MiB, and the resident split into anonymous memory
    (anon: the heap, what the process really holds) and file pages (file: memory-mapped index files
    read so far, which the kernel drops under pressure and reads again on demand)."""
    status = Path("/proc/self/status").read_text()
    values = {line.split(":")[0]: float(line.split()[1]) / 1024 for line in status.splitlines()
              if line.startswith(("VmRSS", "VmHWM", "RssAnon", "RssFile"))}
    return {"rss_mib": round(values["VmRSS"], 1), "peak_mib": round(values["VmHWM"], 1),
            "anon_mib": round(values.get("RssAnon", 0.0), 1), "file_mib": round(values.get("RssFile", 0.0), 1)}
