from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "report/snakemake/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/matrices.smk"
include: "workflow/rules/iterations.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/circular_law.smk"
include: "workflow/rules/depth.smk"
include: "workflow/rules/writeup.smk"
include: "workflow/rules/paper.smk"
include: "workflow/rules/archive.smk"


rule all:
    default_target: True
    input:
        "results/report.html",
