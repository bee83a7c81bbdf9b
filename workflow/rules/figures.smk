rule figure:
    input:
        matrix="results/{experiment}/matrix.nc",
        spectrum="results/{experiment}/spectrum.nc",
        iterations="results/{experiment}/iterations.nc",
        summary="results/{experiment}/summary.json",
    output:
        png=report(
            "results/{experiment}/figures/{figure}.png",
            caption="../../report/snakemake/experiment_figure.rst",
            category="Part one",
            subcategory="{experiment}",
            labels={"experiment": "{experiment}", "figure": "{figure}"},
        ),
        pdf="results/{experiment}/figures/{figure}.pdf",
    log:
        "results/logs/{experiment}/figure_{figure}.log",
    wildcard_constraints:
        figure="|".join(FIGURES),
    conda:
        "../envs/pipeline.yaml"
    params:
        # Quoted by the Snakemake report's caption.
        settings=lambda wildcards: experiment_of(wildcards).matrix_params()
        | {"iterations": experiment_of(wildcards).iterations},
    script:
        "../../scripts/plot.py"
