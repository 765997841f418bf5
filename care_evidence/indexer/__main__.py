from care_evidence.indexer.cli import main
from care_evidence.indexer.cli_common import run_main

raise SystemExit(run_main(main))
