"""The workflow on a real single-node SLURM, run through profiles/slurm as the
docs/cluster.md documents it, gives the same datasets as a local run."""

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eigeninit.content_hash import dataset_content_hashes
from workflow_runner import SNAKEFILE, TINY_CONFIG, snakemake, write_config

pytestmark = pytest.mark.cluster

PROJECT = Path(__file__).resolve().parents[1]
LOCAL_SLURM = PROJECT / "tests" / "slurm" / "local_slurm.sh"
PROFILE = Path("profiles", "slurm", "config.yaml")

# The values a user puts in place of the profile's placeholders; the local
# cluster's only partition is "debug" and, without accounting, any account does.
SITE_SETTINGS = {
    '"<SET-YOUR-PARTITION>"': '"debug"',
    '"<SET-YOUR-ACCOUNT>"': '"eigeninit"',
}

# docs/cluster.md's options for a cluster without accounting (the local one has none).
WITHOUT_ACCOUNTING = (
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "2",
)

# Bounds in seconds: the SLURM run (about 25 jobs of 4 to 5 s each, two at a
# time, plus status checks; 10 minutes on a 2-core machine under heavy load),
# and the whole script, which may first install SLURM.
RUN_SECONDS = 1200
SCRIPT_SECONDS = RUN_SECONDS + 900


def small_config() -> dict:
    """The tiny config cut to its featured experiment, one circular-law size, one
    depth scheme and one activation: few jobs, every rule still runs."""
    config = copy.deepcopy(TINY_CONFIG)
    featured = config["featured_experiment"]
    config["experiments"] = {featured: config["experiments"][featured]}
    config["circular_law"]["sizes"] = config["circular_law"]["sizes"][:1]
    config["depth"]["schemes"] = config["depth"]["schemes"][:1]
    config["depth"]["activations"] = config["depth"]["activations"][:1]
    return config


def site_profile(directory: Path) -> None:
    """profiles/slurm in ``directory``, edited as docs/cluster.md tells a user to."""
    text = (PROJECT / PROFILE).read_text()
    for placeholder, value in SITE_SETTINGS.items():
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    (directory / PROFILE).parent.mkdir(parents=True)
    (directory / PROFILE).write_text(text)


def datasets(directory: Path) -> dict[str, dict[str, str]]:
    """Content hash of every variable of every dataset under results/."""
    return {
        path.relative_to(directory).as_posix(): dataset_content_hashes(path)
        for path in sorted((directory / "results").rglob("*.nc"))
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The small config run locally and on a local SLURM, in two directories."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(
            "the cluster tier installs and starts SLURM: it needs root on Debian "
            "(leave it out with -m 'not cluster')"
        )
    config = small_config()
    local, cluster = (tmp_path_factory.mktemp(name) for name in ("local", "cluster"))
    for directory in (local, cluster):
        write_config(directory, config)
    result = snakemake(local, local / "config.yaml", "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]

    site_profile(cluster)
    command = [
        "bash",
        str(LOCAL_SLURM),
        str(tmp_path_factory.mktemp("slurm")),
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(SNAKEFILE),
        "--configfile",
        "config.yaml",
        "--workflow-profile",
        str(PROFILE.parent),
        *WITHOUT_ACCOUNTING,
        "--slurm-keep-successful-logs",
    ]
    script = subprocess.Popen(
        command,
        cwd=cluster,
        env={**os.environ, "LOCAL_SLURM_TIMEOUT": str(RUN_SECONDS)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = script.communicate(timeout=SCRIPT_SECONDS)
    except subprocess.TimeoutExpired:
        # SIGTERM, not SIGKILL: the script then stops the daemons.
        script.terminate()
        output, _ = script.communicate(timeout=300)
    # Snakemake's output, then the daemons' logs if anything failed; pytest
    # shows it with the failure.
    print(output)
    assert script.returncode == 0, "the run on the local SLURM failed or timed out"
    return local, cluster


def outputs_of_slurm_jobs(directory: Path) -> set[str]:
    """Outputs named in the logs of SLURM jobs that finished (kept by
    --slurm-keep-successful-logs)."""
    outputs = set()
    for log in (directory / ".snakemake" / "slurm_logs").rglob("*.log"):
        text = log.read_text()
        if "1 of 1 steps (100%) done" in text:
            for line in re.findall(r"^\s+output: (.+)$", text, flags=re.M):
                outputs.update(line.split(", "))
    return outputs


MERGED = ("results/circular_law/sizes/", "results/depth/runs/")
"""Datasets a local rule merges from the parts that SLURM jobs computed."""


def test_slurm_jobs_computed_every_dataset(runs):
    _, cluster = runs
    written = set(datasets(cluster))
    computed = {path for path in written if not path.startswith(MERGED)}
    assert computed and computed != written
    assert computed <= outputs_of_slurm_jobs(cluster)


def test_datasets_equal_a_local_run(runs):
    local, cluster = runs
    expected = datasets(local)
    # One per dataset kind: matrix, spectrum, iterations, circular law, depth.
    assert len(expected) >= 5
    assert datasets(cluster) == expected
    assert (cluster / "results" / "report.html").stat().st_size > 10_000
