rule circular_law_size:
    output:
        "results/circular_law/sizes/k{k}.nc",
    log:
        "results/logs/circular_law/k{k}.log",
    conda:
        "../envs/pipeline.yaml"
    threads: 1
    params:
        seeds=config["circular_law"]["seeds"],
        seed=config["circular_law"]["seed"],
    script:
        "../../scripts/measure_circular_law.py"


rule circular_law_summary:
    input:
        circular_law_sizes(),
    output:
        "results/circular_law/summary.json",
    log:
        "results/logs/circular_law/summary.log",
    conda:
        "../envs/pipeline.yaml"
    script:
        "../../scripts/summarize_circular_law.py"


rule circular_law_figure:
    input:
        sizes=circular_law_sizes(),
        summary="results/circular_law/summary.json",
    output:
        png=report(
            "results/circular_law/figures/{figure}.png",
            caption="../../report/snakemake/circular_law_figure.rst",
            category="Part two",
            subcategory="Circular law",
            labels={"figure": "{figure}"},
        ),
        pdf="results/circular_law/figures/{figure}.pdf",
    log:
        "results/logs/circular_law/figure_{figure}.log",
    wildcard_constraints:
        figure="|".join(CIRCULAR_LAW_FIGURES),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../../scripts/plot_circular_law.py"
