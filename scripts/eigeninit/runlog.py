"""Send a rule script's output and warnings to the rule's log file."""

import contextlib
import logging
import sys
import warnings
from pathlib import Path


@contextlib.contextmanager
def logged(path: str | Path):
    """Redirect stdout, stderr, warnings and logging to ``path`` while the block runs.

    An exception is written to the log with its traceback and raised again, so
    the job fails and Snakemake removes its partial outputs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("w") as log,
        contextlib.redirect_stdout(log),
        contextlib.redirect_stderr(log),
    ):
        logging.basicConfig(
            stream=log,
            level=logging.INFO,
            format="%(levelname)s %(message)s",
            force=True,
        )
        logging.captureWarnings(True)
        warnings.simplefilter("default")
        try:
            yield logging.getLogger(Path(sys.argv[0]).stem or "rule")
        except BaseException:
            logging.exception("failed")
            raise
