rule depth_run:
    output:
        "results/depth/runs/{scheme}_{weights}.nc",
    log:
        "results/logs/depth/{scheme}_{weights}.log",
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    params:
        k=config["depth"]["k"],
        layers=config["depth"]["layers"],
        seeds=config["depth"]["seeds"],
        seed=config["depth"]["seed"],
        activations=config["depth"]["activations"],
    script:
        "../../scripts/run_depth.py"


rule depth_summary:
    input:
        depth_runs(),
    output:
        "results/depth/summary.json",
    log:
        "results/logs/depth/summary.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        stable_within=config["depth"]["stable_within"],
    script:
        "../../scripts/summarize_depth.py"


rule depth_figure:
    input:
        runs=depth_runs(),
        summary="results/depth/summary.json",
    output:
        png=report(
            "results/depth/figures/{figure}.png",
            caption="../../report/snakemake/depth_figure.rst",
            category="Part two",
            subcategory="Depth",
            labels={"figure": "{figure}"},
        ),
        pdf="results/depth/figures/{figure}.pdf",
    log:
        "results/logs/depth/figure_{figure}.log",
    wildcard_constraints:
        figure="|".join(DEPTH_FIGURES),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../../scripts/plot_depth.py"
