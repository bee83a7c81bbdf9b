rule iterate:
    input:
        matrix="results/{experiment}/matrix.nc",
        spectrum="results/{experiment}/spectrum.nc",
    output:
        "results/{experiment}/iterations.nc",
    log:
        "results/logs/{experiment}/iterate.log",
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    params:
        iterations=lambda wildcards: experiment_of(wildcards).iterations,
        convergence_tolerance=config["convergence_tolerance"],
    script:
        "../../scripts/iterate.py"


rule summarize:
    input:
        matrix="results/{experiment}/matrix.nc",
        spectrum="results/{experiment}/spectrum.nc",
        iterations="results/{experiment}/iterations.nc",
    output:
        "results/{experiment}/summary.json",
    log:
        "results/logs/{experiment}/summarize.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        printed=lambda wildcards: experiment_of(wildcards).printed,
    script:
        "../../scripts/summarize.py"
