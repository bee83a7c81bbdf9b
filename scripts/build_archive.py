"""Rule build_archive: the results, their inputs and the workflow in one tarball."""

from pathlib import Path

from eigeninit.bundle import assemble_archive, recorded_steps, source_files
from eigeninit.citation import read_citation
from eigeninit.provenance import commit_time, short_commit
from eigeninit.runlog import logged

with logged(snakemake) as log:
    workflow_root = Path(snakemake.scriptdir).parent
    results = list(snakemake.input.results)
    manifest = assemble_archive(
        snakemake.output[0],
        root=".",
        results=results,
        inputs=list(snakemake.input.inputs),
        source=source_files(workflow_root),
        config=snakemake.params.config,
        credits=read_citation(snakemake.input.citation),
        top_folder=f"{snakemake.params.project}-{short_commit(workflow_root)}",
        mtime=commit_time(workflow_root),
        steps=recorded_steps(snakemake.input.records, results),
        workflow_dir=workflow_root,
    )
    files, datasets = len(manifest["files"]), len(manifest["datasets"])
    log.info("wrote %s: %d files, %d datasets", snakemake.output[0], files, datasets)
