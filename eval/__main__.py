from eval.cli import main
from indexer.cli_common import run_main

raise SystemExit(run_main(main))
