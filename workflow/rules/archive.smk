rule build_archive:
    input:
        results=archived_results(),
        inputs=sorted({e.matrix for e in EXPERIMENTS.values() if e.matrix}),
        records=job_records(),
        citation=workflow_file("CITATION.cff"),
        source=workflow_source,
    output:
        ARCHIVE,
        record=record_path("build_archive"),
    log:
        log_path("build_archive"),
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **LIGHT_RESOURCES,
    params:
        config=config,
        project=PROJECT,
    script:
        "../../scripts/build_archive.py"


rule archive:
    input:
        ARCHIVE,
