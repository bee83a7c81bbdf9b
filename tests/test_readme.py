"""The README reads in five minutes: short, the two quick-start commands near
the top, the test command the one CI runs, and every page it points to there."""

import re

import pytest

from conftest import PROJECT

README = (PROJECT / "README.md").read_text()
PAGES = [PROJECT / "README.md", PROJECT / "config" / "README.md"]
PAGES += sorted((PROJECT / "docs").glob("*.md"))
WRITTEN_ELSEWHERE = PROJECT / "docs" / "performance.md"


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", text, re.DOTALL)


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_both_quick_start_commands_come_within_the_first_forty_lines():
    build, test = shell_blocks("\n".join(README.splitlines()[:40]))[:2]
    assert build.startswith("python3 -m venv .venv") and build.endswith("snakemake -c4")
    assert test.endswith("python -m pytest --all-tiers")


def test_ci_runs_the_readmes_test_command_verbatim():
    ci = (PROJECT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == shell_blocks(README)[1]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_leads_to_a_file(page):
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
        path = (page.parent / target).resolve()
        if path == WRITTEN_ELSEWHERE and not path.exists():
            continue  # the performance page comes from its own branch
        assert path.exists(), f"{page.relative_to(PROJECT)} links to missing {target}"
