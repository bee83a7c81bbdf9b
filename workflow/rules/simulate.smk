# Part two's ensembles, each split into jobs of ranges of members.
CIRCULAR_LAW_PARTS = {
    f"results/circular_law/sizes/k{k}.nc": [
        f"results/circular_law/parts/k{k}/matrices{jobs.range_label(members)}.nc"
        for members in ranges
    ]
    for k, ranges in jobs.circular_law_jobs(CIRCULAR_LAW).items()
}
DEPTH_PARTS = {
    f"results/depth/runs/{scheme}_{sharing}.nc": [
        f"results/depth/parts/{scheme}_{sharing}/networks{jobs.range_label(members)}.nc"
        for members in ranges
    ]
    for scheme, ranges in jobs.depth_jobs(DEPTH).items()
    for sharing in DEPTH["weight_sharing"]
}


CIRCULAR_LAW_VALUES = 2 * sum(
    k * n for k, n in jobs.matrices_per_size(CIRCULAR_LAW).items()
)
DEPTH_VALUES = len(DEPTH_PARTS) * DEPTH["networks_per_setting"]
DEPTH_VALUES *= (len(DEPTH["activations"]) + 1) * (DEPTH["layers"] + 2)
# The settings a depth job and the references depend on: no others rerun them.
DEPTH_RUN_KEYS = ("k", "layers", "seed", "activations", "weight_sharing")
DEPTH_REFERENCE_KEYS = ("k", "layers", "schemes", "activations", "networks_per_setting")


rule draw_matrix:
    input:
        # The matrix file an experiment reads, so that editing it reruns the job.
        lambda wildcards: experiment_of(wildcards).matrix or [],
    output:
        "results/experiments/{experiment}/matrix.nc",
        record=record_path("experiments/{experiment}/draw_matrix"),
    log:
        log_path("experiments/{experiment}/draw_matrix"),
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **resources(lambda wildcards: jobs.spectrum_cost(experiment_of(wildcards).k)),
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
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **resources(lambda wildcards: jobs.spectrum_cost(experiment_of(wildcards).k)),
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
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **resources(
            lambda wildcards: jobs.iteration_cost(
                experiment_of(wildcards).k, experiment_of(wildcards).iterations
            )
        ),
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
    # Heavy jobs first, so the light ones fill the cores at the end.
    priority: 1
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **resources(
            lambda wildcards: jobs.circular_law_cost(
                int(wildcards.k), len(jobs.parse_range_label(wildcards.matrices))
            )
        ),
    params:
        seed=CIRCULAR_LAW["seed"],
    script:
        "../../scripts/measure_circular_law.py"


rule merge_circular_law:
    input:
        all_parts(CIRCULAR_LAW_PARTS),
    output:
        list(CIRCULAR_LAW_PARTS),
        record=record_path("circular_law/merge_circular_law"),
    log:
        log_path("circular_law/merge_circular_law"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **resources(lambda wildcards: jobs.merge_cost(CIRCULAR_LAW_VALUES)),
    params:
        parts=CIRCULAR_LAW_PARTS,
    script:
        "../../scripts/merge_parts.py"


# A job runs every weight sharing of its scheme: shared weights cost about a start-up.
rule run_depth:
    output:
        runs=[
            f"results/depth/parts/{{scheme}}_{sharing}/networks{{networks}}.nc"
            for sharing in DEPTH["weight_sharing"]
        ],
        record=record_path("depth/run_{scheme}_networks{networks}"),
    log:
        log_path("depth/run_{scheme}_networks{networks}"),
    # Heavy: before the light jobs, as measure_circular_law.
    priority: 1
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **resources(
            lambda wildcards: jobs.depth_cost(
                DEPTH,
                wildcards.scheme,
                len(jobs.parse_range_label(wildcards.networks)),
            )
        ),
    params:
        depth={key: DEPTH[key] for key in DEPTH_RUN_KEYS},
    script:
        "../../scripts/run_depth.py"


use rule merge_circular_law as merge_depth with:
    input:
        all_parts(DEPTH_PARTS),
    output:
        list(DEPTH_PARTS),
        record=record_path("depth/merge_depth"),
    log:
        log_path("depth/merge_depth"),
    resources:
        **resources(lambda wildcards: jobs.merge_cost(DEPTH_VALUES)),
    params:
        parts=DEPTH_PARTS,


# The finite-size references no closed form gives: one job, its own streams.
rule compute_references:
    output:
        "results/references/summary.json",
        record=record_path("references/compute_references"),
    log:
        log_path("references/compute_references"),
    priority: 1
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **LIGHT_RESOURCES,
    params:
        circular_law={key: CIRCULAR_LAW[key] for key in ("sizes", "matrices_per_size")},
        depth={key: DEPTH[key] for key in DEPTH_REFERENCE_KEYS},
        references=config["references"],
    script:
        "../../scripts/compute_references.py"
