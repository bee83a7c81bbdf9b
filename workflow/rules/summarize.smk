rule summarize_experiment:
    input:
        matrix="results/experiments/{experiment}/matrix.nc",
        spectrum="results/experiments/{experiment}/spectrum.nc",
        iterations="results/experiments/{experiment}/iterations.nc",
    output:
        "results/experiments/{experiment}/summary.json",
        record=record_path("experiments/{experiment}/summarize_experiment"),
    log:
        log_path("experiments/{experiment}/summarize_experiment"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    params:
        published_values=lambda wildcards: experiment_of(wildcards).published_values,
    script:
        "../../scripts/summarize_experiment.py"


rule summarize_circular_law:
    input:
        sizes=list(CIRCULAR_LAW_PARTS),
        references="results/references/summary.json",
    output:
        "results/circular_law/summary.json",
        record=record_path("circular_law/summarize_circular_law"),
    log:
        log_path("circular_law/summarize_circular_law"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    script:
        "../../scripts/summarize_circular_law.py"


rule summarize_depth:
    input:
        runs=list(DEPTH_PARTS),
        references="results/references/summary.json",
    output:
        "results/depth/summary.json",
        record=record_path("depth/summarize_depth"),
    log:
        log_path("depth/summarize_depth"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    params:
        stable_within=DEPTH["stable_within"],
    script:
        "../../scripts/summarize_depth.py"


rule compare_with_theory:
    input:
        circular_law="results/circular_law/summary.json",
        depth="results/depth/summary.json",
        jacobian=JACOBIAN_SUMMARIES,
    output:
        "results/part_two/comparisons.json",
        record=record_path("part_two/compare_with_theory"),
    log:
        log_path("part_two/compare_with_theory"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    script:
        "../../scripts/compare_with_theory.py"
