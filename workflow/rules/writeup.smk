# Part two's summaries the write-up and the paper quote, by namespace
# (eigeninit.paper.NAMESPACES); the Jacobian's may be absent.
PART_TWO_SUMMARIES = dict(
    circular_law="results/circular_law/summary.json",
    depth="results/depth/summary.json",
    comparisons="results/part_two/comparisons.json",
    references="results/references/summary.json",
    jacobian=JACOBIAN_SUMMARIES,
)


rule render_writeup:
    input:
        **PART_TWO_SUMMARIES,
        summaries=experiment_results("summary.json"),
        figures=experiment_results("figures/{figure}.png", figure=FIGURES),
        jacobian_figures=figure_files(
            "results/depth/jacobian",
            JACOBIAN_FIGURES if JACOBIAN_SUMMARIES else [],
            ["png"],
        ),
        circular_law_figures=figure_files(
            "results/circular_law", CIRCULAR_LAW_FIGURES, ["png"]
        ),
        depth_figures=figure_files("results/depth", DEPTH_FIGURE_NAMES, ["png"]),
        # Every template, so editing a partial or caption reruns it.
        templates=sorted(map(str, (WORKFLOW_ROOT / "report/writeup").rglob("*.j2"))),
        style=workflow_file("report/writeup/style.css"),
    output:
        report(
            "results/report.html",
            caption="../../report/snakemake/writeup.rst",
            category="Write-up",
            labels={"file": "report.html"},
        ),
        # Each number the page shows with its text there, for the paper exports.
        shown="results/report_numbers.json",
        record=record_path("render_writeup"),
    log:
        log_path("render_writeup"),
    conda:
        "../envs/pipeline.yaml"
    resources:
        **LIGHT_RESOURCES,
    params:
        featured_experiment=config["featured_experiment"],
        config_hash=config_hash(config),
    script:
        "../../scripts/render_writeup.py"
