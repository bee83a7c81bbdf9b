rule build_archive:
    input:
        results=archived_results(),
        inputs=configured_inputs(),
        records=job_records(),
        source=workflow_source,
    output:
        f"results/archive/{PROJECT}-results.tar.gz",
        record=record_path("build_archive"),
    log:
        log_path("build_archive"),
    benchmark:
        benchmark_file("build_archive")
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **light_resources(),
    params:
        config=config,
        project=PROJECT,
    script:
        "../../scripts/build_archive.py"


rule archive:
    input:
        rules.build_archive.output,
