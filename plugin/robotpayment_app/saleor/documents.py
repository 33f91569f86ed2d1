"""The `.graphql` documents of the repository's `graphql/` folder, assembled for sending to Saleor.

Documents may spread fragments kept in `graphql/fragments/`; Saleor needs each query self-contained (a
webhook's `query`, a request's `query`), so `assemble_document` appends every fragment a document uses,
transitively. graphql-core is only a test dependency, so this is plain text work: the tests validate every
assembled document against Saleor's schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from .errors import SaleorLayerError

# graphql/ sits at the repository root: plugin/robotpayment_app/saleor/documents.py -> parents[3]
DEFAULT_GRAPHQL_DIR = Path(__file__).resolve().parents[3] / "graphql"
FRAGMENTS_SUBDIR = "fragments"

_COMMENT = re.compile(r"#[^\n]*")
_FRAGMENT_DEFINITION = re.compile(r"\bfragment\s+([_A-Za-z][_0-9A-Za-z]*)\s+on\b")
# `...Name` is a spread; `... on Type` / `...on Type` is an inline fragment.
_FRAGMENT_SPREAD = re.compile(r"\.\.\.\s*(?!on\b)([_A-Za-z][_0-9A-Za-z]*)")


class DocumentError(SaleorLayerError):
    """A document is missing or refers to a fragment that does not exist."""


def strip_comments(text: str) -> str:
    """Drop `#` comments (our documents hold no string literals) and blank lines."""
    lines = (_COMMENT.sub("", line).rstrip() for line in text.splitlines())
    return "\n".join(line for line in lines if line.strip()) + "\n"


def parse_fragments(texts: Mapping[str, str]) -> dict[str, str]:
    """Map fragment name -> its definition text, from files that each hold one fragment definition."""
    fragments: dict[str, str] = {}
    for source, text in texts.items():
        body = strip_comments(text)
        names = _FRAGMENT_DEFINITION.findall(body)
        if len(names) != 1:
            raise DocumentError(f"{source}: a fragment file must define one fragment, found {len(names)}")
        if names[0] in fragments:
            raise DocumentError(f"{source}: fragment {names[0]} is defined twice")
        fragments[names[0]] = body
    return fragments


def assemble_document(operation: str, fragments: Mapping[str, str]) -> str:
    """The operation followed by every fragment it uses (also via other fragments), first use first."""
    body = strip_comments(operation)
    defined_here = set(_FRAGMENT_DEFINITION.findall(body))
    needed: list[str] = []
    pending = [name for name in _FRAGMENT_SPREAD.findall(body) if name not in defined_here]
    while pending:
        name = pending.pop(0)
        if name in needed:
            continue
        if name not in fragments:
            raise DocumentError(f"fragment {name} is used but not defined in {FRAGMENTS_SUBDIR}/")
        needed.append(name)
        pending.extend(_FRAGMENT_SPREAD.findall(fragments[name]))
    return body + "".join("\n" + fragments[name] for name in needed)


class GraphQLDocuments:
    """Reads documents from a `graphql/` folder (the repository's by default) and assembles them."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or DEFAULT_GRAPHQL_DIR).resolve()

    def __repr__(self) -> str:
        return f"GraphQLDocuments({str(self.directory)!r})"

    def fragments(self) -> dict[str, str]:
        folder = self.directory / FRAGMENTS_SUBDIR
        files = sorted(folder.glob("*.graphql")) if folder.is_dir() else []
        return parse_fragments({path.name: path.read_text(encoding="utf-8") for path in files})

    def load(self, relative_path: str) -> str:
        """The assembled text of e.g. `subscriptions/transaction_initialize_session.graphql`."""
        path = (self.directory / relative_path).resolve()
        if self.directory not in path.parents or path.suffix != ".graphql":
            raise DocumentError(f"{relative_path}: not a .graphql document inside {self.directory.name}/")
        if not path.is_file():
            raise DocumentError(f"{relative_path}: no such document in {self.directory}")
        return assemble_document(path.read_text(encoding="utf-8"), self.fragments())

    def operation_paths(self) -> list[str]:
        """Every document except fragments, as paths relative to the folder (sorted)."""
        return sorted(
            path.relative_to(self.directory).as_posix()
            for path in self.directory.rglob("*.graphql")
            if path.parent.name != FRAGMENTS_SUBDIR
        )

