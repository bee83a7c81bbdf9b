from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "report/snakemake/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/jacobian.smk"
include: "workflow/rules/summarize.smk"
include: "workflow/rules/plot.smk"
include: "workflow/rules/writeup.smk"
include: "workflow/rules/paper.smk"
include: "workflow/rules/archive.smk"


# Seconds-long jobs run where Snakemake runs; on a cluster starting one costs seconds.
localrules:
    merge_circular_law,
    merge_depth,
    summarize_experiment,
    summarize_circular_law,
    summarize_depth,
    summarize_jacobian,
    compare_with_theory,
    plot_experiment,
    plot_circular_law,
    plot_depth,
    plot_jacobian,
    render_writeup,
    export_numbers,
    export_figures,
    build_archive,
    all,
    paper,
    archive,


rule all:
    default_target: True
    input:
        "results/report.html",
