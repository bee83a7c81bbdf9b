rule draw_matrix:
    input:
        matrix_file_input,
    output:
        "results/{experiment}/matrix.nc",
    params:
        settings=lambda wildcards: experiment_of(wildcards).matrix_params(),
    log:
        "results/logs/{experiment}/draw_matrix.log",
    threads: 1
    script:
        "../../scripts/draw_matrix.py"


rule spectrum:
    input:
        "results/{experiment}/matrix.nc",
    output:
        "results/{experiment}/spectrum.nc",
    log:
        "results/logs/{experiment}/spectrum.log",
    threads: 1
    script:
        "../../scripts/compute_spectrum.py"
