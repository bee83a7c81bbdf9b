rule draw_matrix:
    input:
        matrix_file_input,
    output:
        "results/{experiment}/matrix.nc",
    log:
        "results/logs/{experiment}/draw_matrix.log",
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    params:
        settings=lambda wildcards: experiment_of(wildcards).matrix_params(),
    script:
        "../../scripts/draw_matrix.py"


rule spectrum:
    input:
        "results/{experiment}/matrix.nc",
    output:
        "results/{experiment}/spectrum.nc",
    log:
        "results/logs/{experiment}/spectrum.log",
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    script:
        "../../scripts/compute_spectrum.py"
