"""A rule script's output and warnings go to the rule's log; each job also
writes its ``record`` output, the files it read and wrote, from which the
archive's RO-Crate describes the run (a lost record reruns its job)."""

import contextlib
import logging
import warnings
from pathlib import Path

from eigeninit.atomic import write_text
from eigeninit.jsonio import canonical_json


@contextlib.contextmanager
def logged(job):
    """Redirect stdout, stderr, warnings and logging to the log of ``job`` (a
    rule script's ``snakemake`` object) while it runs. An exception is logged
    with its traceback and raised again, so the job fails and Snakemake removes
    its outputs; on success the job's record is written."""
    path = Path(job.log[0])
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
            yield logging.getLogger(job.rule)
        except BaseException:
            logging.exception("failed")
            raise
    # A folder output is there for Snakemake's report; its rule lists its files too.
    outputs = [
        out for out in job.output if out != job.output.record and not Path(out).is_dir()
    ]
    record = {
        "rule": job.rule,
        "inputs": sorted(map(str, job.input)),
        "outputs": sorted(map(str, outputs)),
    }
    write_text(job.output.record, canonical_json(record))
