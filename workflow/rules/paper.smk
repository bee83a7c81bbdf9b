# The paper's copies of every figure: source folder under results/ -> names.
PAPER_FIGURE_SOURCES = {f"experiments/{name}": FIGURES for name in EXPERIMENTS} | {
    "circular_law": CIRCULAR_LAW_FIGURES,
    "depth": DEPTH_FIGURE_NAMES,
}
PAPER_FIGURES = {
    f"results/{source}/figures/{figure}.pdf": f"results/paper/figures/{source}-{figure}.pdf"
    for source, names in PAPER_FIGURE_SOURCES.items()
    for figure in names
}
PAPER_EXPORTS = [
    "results/paper/numbers.tex",
    "results/paper/numbers.json",
    "results/paper/numbers.md",
    *PAPER_FIGURES.values(),
]


rule export_numbers:
    input:
        **PART_TWO_SUMMARIES,
        summaries=experiment_results("summary.json"),
        shown="results/report_numbers.json",
    output:
        tex="results/paper/numbers.tex",
        json="results/paper/numbers.json",
        table="results/paper/numbers.md",
        record=record_path("paper/export_numbers"),
    log:
        log_path("paper/export_numbers"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    script:
        "../../scripts/export_numbers.py"


# One job copies every figure: each copy takes microseconds, starting Python
# for it most of a second.
rule export_figures:
    input:
        list(PAPER_FIGURES),
    output:
        figures=list(PAPER_FIGURES.values()),
        record=record_path("paper/export_figures"),
    log:
        log_path("paper/export_figures"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    script:
        "../../scripts/export_figures.py"


rule paper:
    input:
        PAPER_EXPORTS,
