rule draw_matrix:
    input:
        matrix_file_input,
    output:
        "results/experiments/{experiment}/matrix.nc",
        record=record_path("experiments/{experiment}/draw_matrix"),
    log:
        log_path("experiments/{experiment}/draw_matrix"),
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
        record=record_path("experiments/{experiment}/compute_spectrum"),
    log:
        log_path("experiments/{experiment}/compute_spectrum"),
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
        record=record_path("experiments/{experiment}/iterate"),
    log:
        log_path("experiments/{experiment}/iterate"),
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
        "results/circular_law/parts/k{k}/matrices{matrices}.nc",
        record=record_path("circular_law/measure_k{k}_matrices{matrices}"),
    log:
        log_path("circular_law/measure_k{k}_matrices{matrices}"),
    benchmark:
        benchmark_file("circular_law/measure_k{k}_matrices{matrices}")
    # Heavy jobs first, so the light ones fill the cores at the end.
    priority: 1
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **circular_law_resources(),
    params:
        seed=CIRCULAR_LAW["seed"],
    script:
        "../../scripts/measure_circular_law.py"


rule merge_circular_law:
    input:
        all_parts(circular_law_parts()),
    output:
        circular_law_sizes(),
        record=record_path("circular_law/merge_circular_law"),
    log:
        log_path("circular_law/merge_circular_law"),
    benchmark:
        benchmark_file("circular_law/merge_circular_law")
    conda:
        "../envs/pipeline.yaml"
    resources:
        **merge_resources(2 * sum(k * count for k, count in MATRICES_PER_SIZE.items())),
    params:
        parts=circular_law_parts(),
    script:
        "../../scripts/merge_circular_law.py"


# Every weight mode of a scheme in one job: shared weights cost little more
# than a job's start-up.
rule run_depth:
    output:
        runs=[
            depth_part("{scheme}", sharing, "{networks}")
            for sharing in DEPTH["weight_sharing"]
        ],
        record=record_path("depth/run_{scheme}_networks{networks}"),
    log:
        log_path("depth/run_{scheme}_networks{networks}"),
    benchmark:
        benchmark_file("depth/run_{scheme}_networks{networks}")
    # Heavy: before the light jobs, as measure_circular_law.
    priority: 1
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **depth_resources(),
    params:
        k=DEPTH["k"],
        layers=DEPTH["layers"],
        seed=DEPTH["seed"],
        activations=DEPTH["activations"],
        weight_sharing=DEPTH["weight_sharing"],
    script:
        "../../scripts/run_depth.py"


rule merge_depth:
    input:
        all_parts(depth_parts()),
    output:
        depth_runs(),
        record=record_path("depth/merge_depth"),
    log:
        log_path("depth/merge_depth"),
    benchmark:
        benchmark_file("depth/merge_depth")
    conda:
        "../envs/pipeline.yaml"
    resources:
        **merge_resources(
            len(depth_settings())
            * DEPTH["networks_per_setting"]
            * (len(DEPTH["activations"]) + 1)
            * (DEPTH["layers"] + 2)
        ),
    params:
        parts=depth_parts(),
    script:
        "../../scripts/merge_depth.py"
