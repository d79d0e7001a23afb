"""The settings for pooling shared spend maps (``data/spend_sharing.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from toolkit.content.loader import validated_yaml
from toolkit.content.paths import data_dir


class SpendSharingRules(BaseModel):
    """Rounding and the least number of maps behind a part of the pooled mix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    money_rounding: int = Field(ge=1)
    min_maps_per_part: int = Field(ge=1)


@lru_cache(maxsize=2)
def sharing_rules(path: Path | None = None) -> SpendSharingRules:
    """The settings; a fault names the file and the key."""
    return validated_yaml(SpendSharingRules, path or data_dir() / "spend_sharing.yaml")
