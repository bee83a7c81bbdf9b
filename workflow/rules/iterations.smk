rule iterate:
    input:
        matrix="results/{experiment}/matrix.nc",
        spectrum="results/{experiment}/spectrum.nc",
    output:
        "results/{experiment}/iterations.nc",
    params:
        iterations=lambda wildcards: experiment_of(wildcards).iterations,
        convergence_tolerance=config["convergence_tolerance"],
    log:
        "results/logs/{experiment}/iterate.log",
    threads: 1
    script:
        "../../scripts/iterate.py"


rule summarize:
    input:
        matrix="results/{experiment}/matrix.nc",
        spectrum="results/{experiment}/spectrum.nc",
        iterations="results/{experiment}/iterations.nc",
    output:
        "results/{experiment}/summary.json",
    params:
        printed=lambda wildcards: experiment_of(wildcards).printed,
    log:
        "results/logs/{experiment}/summarize.log",
    script:
        "../../scripts/summarize.py"
