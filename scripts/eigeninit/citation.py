"""Title, authors, licence and version as CITATION.cff, their one home, states
them; the RO-Crate and the archive read them through here."""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

SPDX_LICENSE_LIST = "https://spdx.org/licenses/"
CFF_NAME_PARTS = ("given-names", "name-particle", "family-names", "name-suffix")


@dataclass(frozen=True)
class Author:
    """A schema.org Person or Organization, with its ORCID or else website."""

    name: str
    type: str
    url: str | None = None

    @property
    def identifier(self) -> str:
        """The URL, or a local identifier made from the name."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        return self.url or f"#{slug}"


@dataclass(frozen=True)
class Citation:
    title: str
    version: str
    authors: tuple[Author, ...]
    license: str  # SPDX identifier
    repository: str | None  # the code repository's URL, when there is a public one

    @property
    def license_url(self) -> str:
        """The licence's page in the SPDX list, the identifier RO-Crate asks for."""
        return SPDX_LICENSE_LIST + self.license

    @property
    def publisher(self) -> Author | None:
        """The first organization among the authors, which publishes the work."""
        return next((a for a in self.authors if a.type == "Organization"), None)


def author_from_cff(entry: dict) -> Author:
    """A CFF person (given and family names) or entity (``name``) as an Author."""
    url = entry.get("orcid") or entry.get("website")
    if "name" in entry:
        return Author(entry["name"], "Organization", url)
    name = " ".join(entry[part] for part in CFF_NAME_PARTS if entry.get(part))
    if not name:
        raise ValueError(f"CITATION.cff: author {entry!r} has no name")
    return Author(name, "Person", url)


def read_citation(path: str | Path) -> Citation:
    """Title, version, authors and licence of a CITATION.cff file."""
    cff = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    license_id, version = cff.get("license"), cff["version"]
    # CFF allows a list of licences; the crate and archive name exactly one.
    if not isinstance(license_id, str):
        raise ValueError(
            f"{path}: license must be one SPDX identifier, not {license_id!r}"
        )
    if not isinstance(version, str):
        raise ValueError(
            f"{path}: quote the version ({version!r}); "
            "YAML reads an unquoted 1.10 as the number 1.1"
        )
    authors = tuple(map(author_from_cff, cff["authors"]))
    return Citation(
        cff["title"], version, authors, license_id, cff.get("repository-code")
    )
