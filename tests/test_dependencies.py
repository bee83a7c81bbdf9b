"""The lock is complete and current: every third-party import is a declared
direct dependency, every declaration is pinned within its constraint, and the
conda environment installs the same pins."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml
from packaging.requirements import Requirement

from lock import compiled_for_python, read_pins

PROJECT = Path(__file__).resolve().parents[1]
RUNTIME_SOURCES = ("scripts", "workflow", "Snakefile")
TEST_SOURCES = ("tests", "benchmarks", "tools")
# Snakefile and .smk files are not Python to ast; their imports are plain lines.
SNAKEMAKE_IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements_in: str) -> dict[str, Requirement]:
    """The direct dependencies an input file names, without its -r and -c lines."""
    requirements = {}
    for line in (PROJECT / requirements_in).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            requirements[canonical(requirement.name)] = requirement
    return requirements


def source_files(roots) -> list[Path]:
    files = []
    for root in roots:
        path = PROJECT / root
        files += [path] if path.is_file() else sorted(path.rglob("*"))
    return [f for f in files if f.suffix in (".py", ".smk") or f.name == "Snakefile"]


def top_level_imports(path: Path) -> set[str]:
    text = path.read_text()
    if path.suffix != ".py":
        return set(SNAKEMAKE_IMPORT.findall(text))
    names = set()
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def local_modules() -> set[str]:
    """The project's own importable names: the package and the helper modules."""
    roots = [PROJECT / root for root in ("scripts", *TEST_SOURCES)]
    return {
        path.stem if path.is_file() else path.name
        for root in roots
        for path in root.iterdir()
        if path.suffix == ".py" or (path / "__init__.py").is_file()
    }


def undeclared_imports(roots, requirements: dict[str, Requirement]) -> dict:
    """File -> third-party module names of no declared distribution."""
    ignored = set(sys.stdlib_module_names) | local_modules()
    distributions = packages_distributions()
    missing = {}
    for path in source_files(roots):
        for module in sorted(top_level_imports(path) - ignored):
            providers = {canonical(d) for d in distributions.get(module, [])}
            if not providers & requirements.keys():
                source = ", ".join(sorted(providers)) or "no installed distribution"
                missing.setdefault(str(path.relative_to(PROJECT)), []).append(
                    f"{module} ({source})"
                )
    return missing


def test_every_third_party_import_is_a_declared_direct_dependency():
    runtime = declared("requirements.in")
    development = runtime | declared("requirements-dev.in")
    # The workflow's own code may use runtime dependencies only.
    assert undeclared_imports(RUNTIME_SOURCES, runtime) == {}
    assert undeclared_imports(TEST_SOURCES, development) == {}


def test_the_import_scan_sees_what_the_workflow_imports():
    # Guards the scan itself: modules known to be imported must be found.
    runtime_imports = set().union(
        *map(top_level_imports, source_files(RUNTIME_SOURCES))
    )
    assert {
        "numpy",
        "xarray",
        "markupsafe",
        "snakemake",
        "eigeninit",
    } <= runtime_imports


def test_locks_pin_every_declared_dependency_within_its_constraint():
    for requirements_in, lock in [
        ("requirements.in", "requirements.txt"),
        ("requirements-cluster.in", "requirements-cluster.txt"),
        ("requirements-dev.in", "requirements-dev.txt"),
        ("tests/validators/cffconvert.in", "tests/validators/cffconvert.txt"),
    ]:
        pins = {canonical(n): v for n, v in read_pins(PROJECT / lock).items()}
        for name, requirement in declared(requirements_in).items():
            assert name in pins, (
                f"{lock} lacks {name}: run pip-compile {requirements_in}"
            )
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"{lock} pins {name}=={pins[name]} outside {requirement}"
            )


def test_development_lock_keeps_every_runtime_pin():
    runtime = read_pins(PROJECT / "requirements.txt")
    development = read_pins(PROJECT / "requirements-dev.txt")
    assert {n: development.get(n) for n in runtime} == runtime


def test_conda_environment_installs_the_runtime_pins_for_the_locks_python():
    environment = yaml.safe_load((PROJECT / "workflow/envs/pipeline.yaml").read_text())
    conda, pip = [], []
    for dependency in environment["dependencies"]:
        if isinstance(dependency, dict):
            pip += dependency["pip"]
        else:
            conda.append(dependency)
    lock = PROJECT / "requirements.txt"
    assert f"python={compiled_for_python(lock)}" in conda
    assert dict(pin.split("==") for pin in pip) == read_pins(lock)
