rule writeup:
    input:
        **part_two_outputs(),
        summaries=experiment_outputs("results/{experiment}/summary.json"),
        figures=expand(
            "results/{experiment}/figures/{figure}.png",
            experiment=EXPERIMENTS,
            figure=FIGURES,
        ),
        template=workflow_file("report/writeup.html.j2"),
        style=workflow_file("report/style.css"),
        partials=report_templates(),
    output:
        report(
            "results/report.html",
            caption="../../report/snakemake/writeup.rst",
            category="Write-up",
            labels={"file": "report.html"},
        ),
    log:
        "results/logs/writeup.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        narrative=config["narrative"],
        config_hash=config_hash(config),
    script:
        "../../scripts/render_writeup.py"
