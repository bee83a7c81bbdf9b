rule draw_matrix:
    input:
        matrix_file_input,
    output:
        "results/experiments/{experiment}/matrix.nc",
    log:
        "results/logs/experiments/{experiment}/draw_matrix.log",
    benchmark:
        benchmark_file("experiments/{experiment}/draw_matrix")
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **spectrum_resources(),
    params:
        settings=lambda wildcards: experiment_of(wildcards).matrix_params(),
    script:
        "../../scripts/draw_matrix.py"


rule compute_spectrum:
    input:
        "results/experiments/{experiment}/matrix.nc",
    output:
        "results/experiments/{experiment}/spectrum.nc",
    log:
        "results/logs/experiments/{experiment}/compute_spectrum.log",
    benchmark:
        benchmark_file("experiments/{experiment}/compute_spectrum")
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **spectrum_resources(),
    script:
        "../../scripts/compute_spectrum.py"


rule iterate:
    input:
        matrix="results/experiments/{experiment}/matrix.nc",
        spectrum="results/experiments/{experiment}/spectrum.nc",
    output:
        "results/experiments/{experiment}/iterations.nc",
    log:
        "results/logs/experiments/{experiment}/iterate.log",
    benchmark:
        benchmark_file("experiments/{experiment}/iterate")
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **iteration_resources(),
    params:
        iterations=lambda wildcards: experiment_of(wildcards).iterations,
        convergence_tolerance=config["convergence_tolerance"],
    script:
        "../../scripts/iterate.py"


rule measure_circular_law:
    output:
        "results/circular_law/sizes/k{k}.nc",
    log:
        "results/logs/circular_law/measure_k{k}.log",
    benchmark:
        benchmark_file("circular_law/measure_k{k}")
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **circular_law_resources(),
    params:
        matrices=CIRCULAR_LAW["matrices_per_size"],
        seed=CIRCULAR_LAW["seed"],
    script:
        "../../scripts/measure_circular_law.py"


rule run_depth:
    output:
        "results/depth/runs/{scheme}_{sharing}.nc",
    log:
        "results/logs/depth/run_{scheme}_{sharing}.log",
    benchmark:
        benchmark_file("depth/run_{scheme}_{sharing}")
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **depth_resources(),
    params:
        k=DEPTH["k"],
        layers=DEPTH["layers"],
        networks=DEPTH["networks_per_setting"],
        seed=DEPTH["seed"],
        activations=DEPTH["activations"],
    script:
        "../../scripts/run_depth.py"
