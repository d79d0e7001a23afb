"""The register of sources (``data/sources.yaml``): citations a person can follow.

Every figure, caveat and question names its source by a register id (``ndti-2014``); this
module turns the id and a place ("Table 8") into what a reader sees: "NDTi (2014), The Cost
Effectiveness of Employment Support for People with Disabilities, Table 8 (pages 36-54)".
A repository file name given where an id belongs is mapped to its id, so older content still
cites properly; nothing a user reads ever shows the file name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from toolkit.content.paths import data_dir

#: What a repository file name looks like (seed files, data files): never shown to a user.
FILE_NAME_PATTERN = re.compile(
    r"\b\d{3}_[0-9a-f]{16}\.txt\b|\b(?:data|workbook)/[\w./-]+|\b[\w-]+\.(?:ya?ml|csv)\b"
)


class SourcesFileError(ValueError):
    """The register is missing or an entry in it is not what the toolkit expects."""


class Source(BaseModel):
    """One document in the register."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    short: str
    title: str
    year: str
    publisher: str
    authors: str = ""
    body: str = ""
    year_note: str = ""
    files: tuple[str, ...] = ()
    pages: dict[str, str] = {}

    @property
    def citation(self) -> str:
        """The full reference: authors or body, year, title, publisher."""
        who = self.authors or self.body
        year = f" ({self.year})" if self.year else ""
        return f"{who}{year}. {self.title}. {self.publisher}."

    def pages_for(self, where: str) -> str:
        """The pages of the section or table that ``where`` starts with, or ''."""
        for place, pages in sorted(self.pages.items(), key=lambda item: -len(item[0])):
            if re.match(rf"{re.escape(place)}\b", where.strip(), flags=re.IGNORECASE):
                return pages
        return ""

    def cite(self, where: str = "") -> str:
        """Short citation with the place in the document: what a note or caption shows."""
        place = where.strip()
        pages = self.pages_for(place) if place else ""
        if pages and "page" not in place.lower():
            label = "page" if "-" not in pages else "pages"
            place = f"{place} ({label} {pages})"
        title = self.title.split(":")[0].strip()
        text = f"{self.short}, {title}"
        return f"{text}, {place}" if place else text


class _Register(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[Source]


@lru_cache(maxsize=2)
def load_sources(path: Path | None = None) -> dict[str, Source]:
    """The register, keyed by id; errors name the file and the key."""
    path = path or data_dir() / "sources.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = _Register.model_validate(raw).sources
    except (OSError, yaml.YAMLError) as exc:
        raise SourcesFileError(f"{path.name}: could not be read ({exc})") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise SourcesFileError(f"{path.name}, key '{key}': {error['msg']}") from None
    register: dict[str, Source] = {}
    for entry in entries:
        if entry.id in register:
            raise SourcesFileError(f"{path.name}: the id '{entry.id}' is used twice")
        register[entry.id] = entry
    return register


def source_id(document: str) -> str | None:
    """The register id for an id or a repository file name; None when it is in neither."""
    register = load_sources()
    key = document.strip()
    if key in register:
        return key
    for entry in register.values():
        if key in entry.files:
            return entry.id
    return None


def source_for(document: str) -> Source | None:
    """The register entry for an id or file name, or None."""
    key = source_id(document)
    return None if key is None else load_sources()[key]


def cite(document: str, where: str = "") -> str:
    """What a reader sees for a source and a place in it.

    An unknown document is shown as written, unless it looks like a file name, which is
    never shown: then only the place is given.
    """
    entry = source_for(document)
    if entry is not None:
        return entry.cite(where)
    if FILE_NAME_PATTERN.search(document):
        return where.strip() or "source not in the register"
    return f"{document.strip()}, {where.strip()}" if where.strip() else document.strip()


def full_citation(document: str) -> str:
    """The full reference for the list of sources at the end of a report."""
    entry = source_for(document)
    return entry.citation if entry is not None else cite(document)


def file_names_in(text: str) -> list[str]:
    """Repository file names found in text a user would read (for checks and tests)."""
    return FILE_NAME_PATTERN.findall(text)


def resolved(data: object) -> object:
    """A ``{document, section}`` block with the document cited from the register.

    For content models' ``mode="before"`` validators: ``document`` (an id or file name)
    becomes the short citation, ``section`` gains its pages, and ``source_id`` keeps the id.
    A block that is not a mapping, or whose document is not in the register, is returned as
    it was (a file name is still never shown: see :func:`cite`).
    """
    if not isinstance(data, dict) or "document" not in data:
        return data
    found = _resolve(str(data["document"]), str(data.get("section", "")))
    if found is None:
        return data
    return {**data, **found}


@lru_cache(maxsize=1024)
def _resolve(document: str, section: str) -> dict[str, str] | None:
    """The fields :func:`resolved` replaces, cached: content repeats the same few sources."""
    entry = source_for(document)
    if entry is None:
        if FILE_NAME_PATTERN.search(document):
            return {"document": "source not in the register"}
        return None
    cited = entry.cite(section)
    short = entry.cite("")
    place = cited[len(short) + 2 :] if cited.startswith(short + ", ") else section
    return {"document": short, "section": place, "source_id": entry.id}
