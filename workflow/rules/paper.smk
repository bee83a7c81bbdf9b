rule export_numbers:
    input:
        summaries=experiment_results("summary.json"),
        circular_law="results/circular_law/summary.json",
        depth="results/depth/summary.json",
    output:
        tex="results/paper/numbers.tex",
        json="results/paper/numbers.json",
    log:
        "results/logs/paper/export_numbers.log",
    benchmark:
        benchmark_file("paper/export_numbers")
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    script:
        "../../scripts/export_numbers.py"


rule export_figure:
    input:
        "results/{source}/figures/{figure}.pdf",
    output:
        "results/paper/figures/{source}-{figure}.pdf",
    log:
        "results/logs/paper/export_{source}-{figure}.log",
    benchmark:
        benchmark_file("paper/export_{source}-{figure}")
    wildcard_constraints:
        source="|".join(PAPER_FIGURE_SOURCES),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    script:
        "../../scripts/export_figure.py"


rule paper:
    input:
        paper_exports(),
