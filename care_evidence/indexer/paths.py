"""Paths made from data (metadata ids, CURRENT, corpus file names) that must stay inside their folder.

Every path the project builds from a value it read (an id in metadata.toml, the build name in CURRENT,
a corpus entry that may be a symlink) goes through `inside`, which resolves it, links included, and
refuses it unless it is still inside the folder it was meant for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# The name of a build folder as store.write_index makes it: 20261201T210501-a1b2c3.
BUILD_NAME_PATTERN = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")
# A document id (indexer.metadata.DOCUMENT_ID_PATTERN), checked again where it becomes a file name.
SAFE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$")


class UnsafePath(ValueError):
    """A path made from data would leave its folder; the message names both."""


def inside(folder: Path, *parts: str) -> Path:
    """`folder/part/...`, resolved (symlinks followed), refused unless it stays inside `folder`."""
    for part in parts:
        if not part or "\x00" in part or Path(part).is_absolute():
            raise UnsafePath(f"{part!r} is not a name inside {folder}")
    # os.path.realpath, not Path.resolve: a symlink loop must come back as a path (then "not a
    # regular file"), not as Python 3.11's RuntimeError.
    base = Path(os.path.realpath(folder))
    target = Path(os.path.realpath(base.joinpath(*parts)))
    if target != base and base not in target.parents:
        raise UnsafePath(f"{'/'.join(parts)!r} leads outside {folder} (to {target})")
    return target


def safe_name(name: str, what: str) -> str:
    """`name` if it is safe as one file name (letters, digits, . _ - inside), else UnsafePath."""
    if not isinstance(name, str) or not SAFE_NAME_PATTERN.match(name) or ".." in name:
        raise UnsafePath(f"{what} {name!r} cannot be used as a file name: only letters, digits and . _ - "
                         "inside are allowed")
    return name
