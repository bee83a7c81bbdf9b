from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "report/snakemake/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/summarize.smk"
include: "workflow/rules/plot.smk"
include: "workflow/rules/writeup.smk"
include: "workflow/rules/paper.smk"
include: "workflow/rules/archive.smk"


rule all:
    default_target: True
    input:
        "results/report.html",
