"""The toolkit's rules (caps, confidence level), read from ``data/rules.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from toolkit.content.loader import DataFileError, validated_yaml
from toolkit.content.paths import data_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValidationRules(_Strict):
    max_total_cost_gbp: float = Field(gt=0)
    max_people_supported: int = Field(gt=0)
    max_average_weekly_hours: float = Field(gt=0)
    max_name_length: int = Field(gt=0)


class ComparisonRules(_Strict):
    confidence_level: float = Field(gt=0.5, lt=1)
    small_service_people: int = Field(ge=0)


class ImportRules(_Strict):
    max_upload_bytes: int = Field(gt=0)
    max_rows: int = Field(gt=0)


class DisclosureRules(_Strict):
    """Disclosure control for learning-network sessions (``disclosure`` in the file)."""

    min_services_for_pooled: int = Field(ge=1)
    min_count_shown: int = Field(ge=1)
    suppress_zero_counts: bool
    #: Each service's counts are rounded to this base before a group's totals are added up.
    rounding_base: int = Field(default=5, ge=1)
    #: A hidden count is protected when whoever reads the summary can narrow it down to
    #: no fewer than this many possible whole numbers.
    protection_values: int = Field(default=5, ge=1)


class Rules(_Strict):
    validation: ValidationRules
    comparison: ComparisonRules
    #: Limits on spreadsheets people upload (``import`` in the file; a Python keyword).
    import_: ImportRules = Field(alias="import")
    disclosure: DisclosureRules


class RulesFileError(DataFileError):
    """``data/rules.yaml`` is missing, or a key is missing or holds a value of the wrong kind."""


def load_rules(path: Path | None = None) -> Rules:
    """Read and validate the rules file; errors name the file and the key."""
    try:
        return validated_yaml(Rules, path or data_dir() / "rules.yaml")
    except DataFileError as exc:
        raise RulesFileError(exc.problems) from None


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules in force (read once per process)."""
    return load_rules()
