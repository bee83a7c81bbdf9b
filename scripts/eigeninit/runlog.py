"""Send a rule script's output and warnings to the rule's log file.

Every job also leaves a record of what it read and wrote beside its log, so
that the archive can describe each step of the run from the jobs themselves.
"""

import contextlib
import logging
import warnings
from pathlib import Path

from eigeninit.jsonio import canonical_json

JOB_RECORD_SUFFIX = ".job.json"


def job_record_path(log_path: str | Path) -> Path:
    """Where the job whose log is ``log_path`` records its rule, inputs and outputs."""
    log_path = Path(log_path)
    return log_path.with_name(log_path.name + JOB_RECORD_SUFFIX)


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

    ``job`` is the ``snakemake`` object of a rule script. An exception is
    written to the log with its traceback and raised again, so the job fails
    and Snakemake removes its partial outputs; on success the job's record is
    written beside the log.
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
    files = [output for output in job.output if not Path(output).is_dir()]
    record = job_record(job.rule, job.input, files)
    job_record_path(path).write_text(canonical_json(record))
