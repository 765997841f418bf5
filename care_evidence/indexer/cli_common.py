"""What the three command lines (indexer, evidence, eval) share: where the corpus and index are, and
how an expected error reaches the user (one line and an exit status; a traceback only for a bug)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_ERROR = 1  # the input, the corpus or the index is wrong, or the machine refused (disk full)
EXIT_USAGE = 2  # as argparse: the command line itself is wrong
EXIT_INTERRUPTED = 130


def add_location_arguments(parser: argparse.ArgumentParser) -> None:
    """--corpus and --index, defaulting to EVIDENCE_CORPUS and EVIDENCE_INDEX, else ./corpus and ./index."""
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("EVIDENCE_CORPUS") or "corpus"),
                        help="corpus folder, built into the index when there is none (default: %(default)s; "
                             "EVIDENCE_CORPUS sets it)")
    parser.add_argument("--index", type=Path, default=Path(os.environ.get("EVIDENCE_INDEX") or "index"),
                        help="index folder (default: %(default)s; EVIDENCE_INDEX sets it)")


def add_setting_argument(parser: argparse.ArgumentParser) -> None:
    """--setting name=value (repeatable): override one of the engine's settings (evidence/settings.py)."""
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="override an engine setting for this run (repeatable; see evidence/settings.py)")


def settings_from(args: argparse.Namespace):
    """The engine settings for a run: ranking.toml files, EVIDENCE_SETTINGS, then --setting."""
    from care_evidence.evidence.settings import load_settings, parse_assignments

    return load_settings(args.index, parse_assignments(args.setting, "--setting"))


def expected_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the user's or the machine's, not the program's: said in one line."""
    from care_evidence.evidence.errors import QueryError
    from care_evidence.evidence.settings import SettingsError
    from care_evidence.indexer.build import BuildFailed
    from care_evidence.indexer.corpus import CorpusFileError
    from care_evidence.indexer.embedding import ModelMissing
    from care_evidence.indexer.metadata import MetadataError
    from care_evidence.indexer.paths import UnsafePath
    from care_evidence.indexer.store import IndexProblem

    return (QueryError, SettingsError, BuildFailed, CorpusFileError, MetadataError, UnsafePath, IndexProblem, OSError,
            ModelMissing)


def one_line(err: BaseException) -> str:
    """The error as one line; an OSError as "No space left on device: /path" rather than its repr."""
    if isinstance(err, OSError) and err.strerror:
        where = f": {err.filename}" if err.filename else ""
        return f"{err.strerror}{where}"
    return " ".join(str(err).split()) or type(err).__name__


def run_main(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run a CLI's main; expected errors become `error: ...` on stderr and exit status 1."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except expected_errors() as err:
        print(f"error: {one_line(err)}", file=sys.stderr)
        return EXIT_ERROR
