"""Is a build whole? Checksums of every file, the manifest's shape, and a hold on a build in use.

A build's manifest lists the SHA-256 of every file in it. Loading checks them when the build is small
enough to hash at start-up (`VERIFY_ON_LOAD_MAX_BYTES`; the five reports' index hashes in about 20 ms,
`python -m bench.query` prints it), and always checks sizes; `python -m care_evidence.indexer verify` hashes
everything whatever the size. A file changed in place (zeroed or NaN vectors keep their size) is
found by its checksum.

A loaded index holds a shared lock on its build folder for as long as it is in use; a later build
deletes an old build folder only when it can take that lock exclusively, so a running app or engine
keeps reading its files through any number of rebuilds.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

# Up to this much data, every file's checksum is checked when an index is loaded (about 1 s per GB);
# a larger index checks sizes on load and checksums with `python -m care_evidence.indexer verify`.
VERIFY_ON_LOAD_MAX_BYTES = 256 * 1024 * 1024
MANIFEST = "manifest.json"


class ChecksumMismatch(Exception):
    """Files of a build differ from what its manifest recorded; the message lists them."""


def build_files(build: Path) -> list[str]:
    """Every file of a build but the manifest, as paths relative to the build folder, sorted."""
    return sorted(str(p.relative_to(build)) for p in build.rglob("*") if p.is_file() and p.name != MANIFEST)


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def checksums(build: Path) -> dict[str, dict[str, int | str]]:
    """{relative path: {"bytes": size, "sha256": digest}} for every file of a build."""
    return {name: {"bytes": (build / name).stat().st_size, "sha256": file_sha256(build / name)}
            for name in build_files(build)}


def check_files(build: Path, recorded: dict, full: bool | None = None) -> None:
    """Raise ChecksumMismatch naming each missing, resized or changed file. `full=None`: hash when the
    build is at most VERIFY_ON_LOAD_MAX_BYTES, else sizes only."""
    problems = []
    total = sum(int(entry.get("bytes", 0)) for entry in recorded.values())
    hash_them = full if full is not None else total <= VERIFY_ON_LOAD_MAX_BYTES
    for name, entry in sorted(recorded.items()):
        path = build / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != entry.get("bytes"):
            problems.append(f"{name} is {path.stat().st_size} bytes, not {entry.get('bytes')}")
        elif hash_them and file_sha256(path) != entry.get("sha256"):
            problems.append(f"{name} has changed since it was built (checksum differs)")
    if problems:
        raise ChecksumMismatch("; ".join(problems))


def manifest_problem(manifest: object) -> str | None:
    """What is wrong with a manifest's shape, or None: a JSON list, a string or `model: null` is damage."""
    if not isinstance(manifest, dict):
        return f"the manifest is a JSON {type(manifest).__name__}, not an object"
    model = manifest.get("model")
    if not isinstance(model, dict) or not isinstance(model.get("name"), str):
        return "the manifest names no embedding model"
    if not isinstance(manifest.get("passages"), int):
        return "the manifest has no passage count"
    sums = manifest.get("checksums")
    if manifest.get("schema_version", 0) >= 7 and (not isinstance(sums, dict) or not sums):
        return "the manifest lists no checksums, so its files cannot be checked"
    if not isinstance(manifest.get("checksums", {}), dict):
        return "the manifest's checksums are not a table"
    return None


class BuildHold:
    """A shared lock on a build folder while an index loaded from it is in use (see module doc)."""

    def __init__(self, build: Path):
        self._fd: int | None = os.open(build, os.O_RDONLY)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self):
        self.release()


def in_use(build: Path) -> bool:
    """Whether some loaded index (in any process) still reads this build folder."""
    try:
        fd = os.open(build, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
