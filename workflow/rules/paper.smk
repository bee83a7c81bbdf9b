rule export_numbers:
    input:
        summaries=experiment_results("summary.json"),
        circular_law="results/circular_law/summary.json",
        depth="results/depth/summary.json",
    output:
        tex="results/paper/numbers.tex",
        json="results/paper/numbers.json",
        record=record_path("paper/export_numbers"),
    log:
        log_path("paper/export_numbers"),
    benchmark:
        benchmark_file("paper/export_numbers")
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    script:
        "../../scripts/export_numbers.py"


# One job copies every figure: each copy takes microseconds, starting Python
# for it most of a second.
rule export_figures:
    input:
        list(paper_figures()),
    output:
        figures=list(paper_figures().values()),
        record=record_path("paper/export_figures"),
    log:
        log_path("paper/export_figures"),
    benchmark:
        benchmark_file("paper/export_figures")
    conda:
        "../envs/pipeline.yaml"
    resources:
        **light_resources(),
    script:
        "../../scripts/export_figures.py"


rule paper:
    input:
        paper_exports(),
