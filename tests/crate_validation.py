"""The RO-Crate validator (roc-validator), run offline on a crate folder.

The validator resolves the crate's JSON-LD contexts through its own HTTP
cache (requests-cache, SQLite), and in offline mode answers only from it. The
cache is filled here from the copies in tests/data/ro-crate through a
transport adapter, so no request leaves the machine.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession
from rocrate_validator import services
from rocrate_validator.models import Severity, ValidationSettings
from urllib3 import HTTPResponse

CONTEXTS_DIR = Path(__file__).parent / "data" / "ro-crate"
CONTEXTS = {
    "https://w3id.org/ro/crate/1.1/context": "ro-crate-1.1-context.jsonld",
    "https://w3id.org/ro/terms/workflow-run/context": "workflow-run-context.jsonld",
}
PROFILES = ("workflow-run-crate-0.5", "provenance-run-crate-0.5")


class VendoredContexts(HTTPAdapter):
    """Answers with the vendored copy of a context; refuses any other URL."""

    def send(self, request, **kwargs):
        if request.url not in CONTEXTS:
            raise requests.ConnectionError(f"{request.url} is not vendored")
        body = (CONTEXTS_DIR / CONTEXTS[request.url]).read_bytes()
        raw = HTTPResponse(
            body=io.BytesIO(body),
            status=200,
            headers={"Content-Type": "application/ld+json"},
            preload_content=False,
            request_url=request.url,
        )
        return self.build_response(request, raw)


def context_cache(cache_path: Path) -> Path:
    """An HTTP cache, in the validator's format, holding the vendored contexts."""
    with CachedSession(str(cache_path), backend="sqlite", expire_after=-1) as session:
        session.mount("https://", VendoredContexts())
        session.mount("http://", VendoredContexts())
        for url in CONTEXTS:
            session.get(url).raise_for_status()
    return cache_path


@dataclass(frozen=True)
class Issue:
    severity: str
    check: str
    entity: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.severity} {self.check} on {self.entity}: {self.message}"


def validate(
    crate_dir: Path, profile: str, severity: str, cache_path: Path
) -> list[Issue]:
    """Every issue the validator finds at ``severity`` and above, offline."""
    settings = ValidationSettings(
        rocrate_uri=str(crate_dir),
        profile_identifier=profile,
        requirement_severity=Severity[severity],
        offline=True,
        cache_path=cache_path,
        skip_availability_check=True,
    )
    result = services.validate(settings)
    return [
        Issue(
            issue.severity.name,
            issue.check.identifier,
            issue.violatingEntity,
            " ".join(issue.message.split()),
        )
        for issue in result.get_issues()
    ]


def explained_checks() -> set[str]:
    """Validator checks docs/archive.md explains why the crate does not meet."""
    readme = (Path(__file__).resolve().parents[1] / "docs" / "archive.md").read_text()
    return set(re.findall(r"`([a-z-]+-\d+\.\d+_\d+\.\d+)`", readme))
