# One job per set of figures: drawing one takes a fraction of a second, while
# starting Python with matplotlib and xarray takes about one. The other sets
# reuse the first rule's rest.


rule plot_circular_law:
    input:
        sizes=list(CIRCULAR_LAW_PARTS),
        summary="results/circular_law/summary.json",
    output:
        **figure_outputs(
            "results/circular_law",
            CIRCULAR_LAW_FIGURES,
            "circular_law",
            "Circular law",
        ),
        record=record_path("circular_law/plot_circular_law"),
    log:
        log_path("circular_law/plot_circular_law"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    params:
        figures=descriptions(CIRCULAR_LAW_FIGURES),
    script:
        "../../scripts/plot_figures.py"


use rule plot_circular_law as plot_experiment with:
    input:
        matrix="results/experiments/{experiment}/matrix.nc",
        spectrum="results/experiments/{experiment}/spectrum.nc",
        iterations="results/experiments/{experiment}/iterations.nc",
        summary="results/experiments/{experiment}/summary.json",
    output:
        **figure_outputs(
            "results/experiments/{experiment}",
            FIGURES,
            "experiment",
            "{experiment}",
            category="Part one",
            experiment="{experiment}",
        ),
        record=record_path("experiments/{experiment}/plot_experiment"),
    log:
        log_path("experiments/{experiment}/plot_experiment"),
    params:
        figures=descriptions(FIGURES),
        # Quoted by the Snakemake report's caption.
        settings=lambda wildcards: experiment_of(wildcards).matrix_params()
        | {"iterations": experiment_of(wildcards).iterations},


use rule plot_circular_law as plot_depth with:
    input:
        runs=list(DEPTH_PARTS),
        summary="results/depth/summary.json",
    output:
        **figure_outputs("results/depth", DEPTH_FIGURE_NAMES, "depth", "Depth"),
        record=record_path("depth/plot_depth"),
    log:
        log_path("depth/plot_depth"),
    params:
        figures={name: DEPTH_FIGURES[name].description for name in DEPTH_FIGURE_NAMES},


use rule plot_circular_law as plot_jacobian with:
    input:
        runs=JACOBIAN_RUNS,
        summary="results/depth/jacobian/summary.json",
    output:
        **figure_outputs(
            "results/depth/jacobian", JACOBIAN_FIGURES, "jacobian", "Jacobian"
        ),
        record=record_path("depth/plot_jacobian"),
    log:
        log_path("depth/plot_jacobian"),
    params:
        figures=descriptions(JACOBIAN_FIGURES),
