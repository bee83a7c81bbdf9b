# The input-output Jacobian of the depth experiment's first networks with
# independent weights (lecun, kaiming, orthogonal; every activation): its
# singular values per scheme (summarize.smk summarizes them, plot.smk draws them).
from eigeninit.jacobian import SCHEMES as JACOBIAN_LAWS
from eigeninit.jobs import jacobian_cost
from eigeninit.part_two_figures import JACOBIAN_FIGURES

JACOBIAN_SCHEMES = [scheme for scheme in DEPTH["schemes"] if scheme in JACOBIAN_LAWS]
JACOBIAN_RUNS = expand("results/depth/jacobian/{scheme}.nc", scheme=JACOBIAN_SCHEMES)
# None when no scheme's Jacobian is measured; the archive keeps it all.
JACOBIAN_SUMMARIES = ["results/depth/jacobian/summary.json"] if JACOBIAN_RUNS else []
JACOBIAN_RESULTS = JACOBIAN_RUNS + JACOBIAN_SUMMARIES
if JACOBIAN_RUNS:
    JACOBIAN_RESULTS += figure_files("results/depth/jacobian", JACOBIAN_FIGURES)


rule measure_jacobian:
    output:
        "results/depth/jacobian/{scheme}.nc",
        record=record_path("depth/measure_jacobian_{scheme}"),
    log:
        log_path("depth/measure_jacobian_{scheme}"),
    wildcard_constraints:
        scheme="|".join(JACOBIAN_SCHEMES),
    # Heavy: before the light jobs, as run_depth.
    priority: 1
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    resources:
        **resources(lambda wildcards: jacobian_cost(DEPTH, wildcards.scheme)),
    params:
        depth={
            key: DEPTH[key]
            for key in ("k", "layers", "seed", "jacobian_networks", "activations")
        },
    script:
        "../../scripts/measure_jacobian.py"
