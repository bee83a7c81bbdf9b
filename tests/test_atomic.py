"""Atomic writes leave either the old file or the new one, never a part."""

import pytest

from eigeninit.atomic import replacing, write_text


def test_write_text_leaves_only_the_file(tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]


def test_a_failed_write_keeps_the_old_file_and_no_partial(tmp_path) -> None:
    target = tmp_path / "result.nc"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as partial:
        partial.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["result.nc"]
