rule figure:
    input:
        matrix="results/{experiment}/matrix.nc",
        spectrum="results/{experiment}/spectrum.nc",
        iterations="results/{experiment}/iterations.nc",
        summary="results/{experiment}/summary.json",
    output:
        png="results/{experiment}/figures/{figure}.png",
        pdf="results/{experiment}/figures/{figure}.pdf",
    log:
        "results/logs/{experiment}/figure_{figure}.log",
    wildcard_constraints:
        figure="|".join(FIGURES),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../../scripts/plot.py"
