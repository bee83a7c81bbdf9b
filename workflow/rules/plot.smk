rule plot_experiment:
    input:
        matrix="results/experiments/{experiment}/matrix.nc",
        spectrum="results/experiments/{experiment}/spectrum.nc",
        iterations="results/experiments/{experiment}/iterations.nc",
        summary="results/experiments/{experiment}/summary.json",
    output:
        png=report(
            "results/experiments/{experiment}/figures/{figure}.png",
            caption="../../report/snakemake/experiment_figure.rst",
            category="Part one",
            subcategory="{experiment}",
            labels={"experiment": "{experiment}", "figure": "{figure}"},
        ),
        pdf="results/experiments/{experiment}/figures/{figure}.pdf",
    log:
        "results/logs/experiments/{experiment}/plot_{figure}.log",
    benchmark:
        benchmark_file("experiments/{experiment}/plot_{figure}")
    wildcard_constraints:
        figure="|".join(FIGURES),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    params:
        # Quoted by the Snakemake report's caption.
        description=figure_description(FIGURES),
        settings=lambda wildcards: experiment_of(wildcards).matrix_params()
        | {"iterations": experiment_of(wildcards).iterations},
    script:
        "../../scripts/plot_experiment.py"


rule plot_circular_law:
    input:
        sizes=circular_law_sizes(),
        summary="results/circular_law/summary.json",
    output:
        png=report(
            "results/circular_law/figures/{figure}.png",
            caption="../../report/snakemake/circular_law_figure.rst",
            category="Part two",
            subcategory="Circular law",
            labels={"figure": "{figure}"},
        ),
        pdf="results/circular_law/figures/{figure}.pdf",
    log:
        "results/logs/circular_law/plot_{figure}.log",
    benchmark:
        benchmark_file("circular_law/plot_{figure}")
    wildcard_constraints:
        figure="|".join(CIRCULAR_LAW_FIGURES),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    params:
        description=figure_description(CIRCULAR_LAW_FIGURES),
    script:
        "../../scripts/plot_circular_law.py"


rule plot_depth:
    input:
        runs=depth_runs(),
        summary="results/depth/summary.json",
    output:
        png=report(
            "results/depth/figures/{figure}.png",
            caption="../../report/snakemake/depth_figure.rst",
            category="Part two",
            subcategory="Depth",
            labels={"figure": "{figure}"},
        ),
        pdf="results/depth/figures/{figure}.pdf",
    log:
        "results/logs/depth/plot_{figure}.log",
    benchmark:
        benchmark_file("depth/plot_{figure}")
    wildcard_constraints:
        figure="|".join(DEPTH_FIGURE_NAMES),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    params:
        description=figure_description(DEPTH_FIGURES),
    script:
        "../../scripts/plot_depth.py"
