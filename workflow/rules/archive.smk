rule build_archive:
    input:
        results=archived_results(),
        inputs=configured_inputs(),
        source=workflow_source,
    output:
        f"results/archive/{PROJECT}-results.tar.gz",
    log:
        "results/logs/build_archive.log",
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
