# One script for every summary: the stage params.stage names, called with the
# rule's inputs and other params by name. The base rule has no other params,
# since rules that use it keep its params beside their own.
rule summarize_circular_law:
    input:
        datasets=list(CIRCULAR_LAW_PARTS),
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
    params:
        stage="circular_law_summary",
    script:
        "../../scripts/summarize.py"


use rule summarize_circular_law as summarize_experiment with:
    input:
        matrix="results/experiments/{experiment}/matrix.nc",
        spectrum="results/experiments/{experiment}/spectrum.nc",
        iterations="results/experiments/{experiment}/iterations.nc",
    output:
        "results/experiments/{experiment}/summary.json",
        record=record_path("experiments/{experiment}/summarize_experiment"),
    log:
        log_path("experiments/{experiment}/summarize_experiment"),
    params:
        stage="experiment_summary",
        published_values=lambda wildcards: experiment_of(wildcards).published_values,


use rule summarize_circular_law as summarize_depth with:
    input:
        datasets=list(DEPTH_PARTS),
        references="results/references/summary.json",
    output:
        "results/depth/summary.json",
        record=record_path("depth/summarize_depth"),
    log:
        log_path("depth/summarize_depth"),
    params:
        stage="depth_summary",
        stable_within=DEPTH["stable_within"],


use rule summarize_circular_law as summarize_jacobian with:
    input:
        datasets=JACOBIAN_RUNS,
        depth_summary="results/depth/summary.json",
    output:
        "results/depth/jacobian/summary.json",
        record=record_path("depth/summarize_jacobian"),
    log:
        log_path("depth/summarize_jacobian"),
    params:
        stage="jacobian_summary",


use rule summarize_circular_law as compare_with_theory with:
    input:
        circular_law="results/circular_law/summary.json",
        depth="results/depth/summary.json",
        jacobian=JACOBIAN_SUMMARIES,
    output:
        "results/part_two/comparisons.json",
        record=record_path("part_two/compare_with_theory"),
    log:
        log_path("part_two/compare_with_theory"),
    params:
        stage="comparisons",
