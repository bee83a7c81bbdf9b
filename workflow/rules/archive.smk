localrules:
    build_archive,


rule build_archive:
    input:
        results=archive_results(),
        inputs=configured_inputs(),
        source=list(WORKFLOW_SOURCE.values()),
    output:
        f"results/archive/{ARCHIVE_NAME}.tar.gz",
    log:
        "results/logs/archive.log",
    threads: 1
    params:
        config=config,
        command_line=COMMAND_LINE,
        top_folder=ARCHIVE_NAME,
        mtime=COMMIT_TIME,
    run:
        write_results_archive(input, output, params, log)


rule archive:
    input:
        rules.build_archive.output,
