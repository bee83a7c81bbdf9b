rule paper_numbers:
    input:
        summaries=experiment_outputs("results/{experiment}/summary.json"),
        circular_law="results/circular_law/summary.json",
        depth="results/depth/summary.json",
    output:
        tex="results/paper/numbers.tex",
        json="results/paper/numbers.json",
    log:
        "results/logs/paper/numbers.log",
    conda:
        "../envs/pipeline.yaml"
    script:
        "../../scripts/export_numbers.py"


rule paper_figure:
    input:
        "results/{source}/figures/{figure}.pdf",
    output:
        "results/paper/figures/{source}-{figure}.pdf",
    log:
        "results/logs/paper/{source}-{figure}.log",
    wildcard_constraints:
        source="|".join([*EXPERIMENTS, "circular_law", "depth"]),
    conda:
        "../envs/pipeline.yaml"
    shell:
        "cp {input} {output} 2> {log}"


rule paper:
    input:
        paper_exports(),
