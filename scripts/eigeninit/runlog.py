"""Send a rule script's output and warnings to the rule's log file.

Every job also leaves a record of what it read and wrote, its ``record``
output, so that the archive can describe each step of the run from the jobs
themselves; as an output, a lost record makes Snakemake rerun its job.
"""

import contextlib
import logging
import warnings
from pathlib import Path

from eigeninit.atomic import write_text
from eigeninit.jsonio import canonical_json


def job_record(rule: str, inputs, outputs) -> dict:
    """A job as the archive's RO-Crate describes it: rule, input and output files."""
    return {
        "rule": rule,
        "inputs": sorted(map(str, inputs)),
        "outputs": sorted(map(str, outputs)),
    }


@contextlib.contextmanager
def logged(job):
    """Redirect stdout, stderr, warnings and logging to the job's log while it runs.

    ``job`` is the ``snakemake`` object of a rule script, whose rule has a
    ``record`` output. An exception is written to the log with its traceback
    and raised again, so the job fails and Snakemake removes its partial
    outputs; on success the job's record is written.
    """
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
    files = [
        output
        for output in job.output
        if output != job.output.record and not Path(output).is_dir()
    ]
    write_text(
        job.output.record, canonical_json(job_record(job.rule, job.input, files))
    )
