"""Settings: environment variables override the config file, which overrides the defaults.

Config file: `$INTERLOCK_CONFIG`, else `<user config dir>/interlock/config.toml`, with keys named
like the variables without the prefix, lower case (`database_url = "postgresql://…"`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

# The calibrated probability at or above which a result is a match: on the plateau of F1 over the
# held-out development pairs, below the F1-maximising threshold, since a missed listed party costs
# more than a reviewed near miss (benchmarks/results/calibration.md).
DEFAULT_MATCH_THRESHOLD = 0.65
ENV_PREFIX = "INTERLOCK_"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    match_threshold: float
    fetch_timeout: float
    fetch_retries: int
    quarantine_drop: float  # a fall in entry count larger than this fraction quarantines a snapshot
    # after a load or an event, re-screen the parts of a screened counterparty book it can reach
    rescreen_on_change: bool = True
    alert_sla_hours: float = 48.0  # an undecided alert is flagged overdue after this long
    # the job worker fetches every loaded list's official files this often; 0: never (the default,
    # so that nothing reaches the network unless an operator asks for it)
    fetch_interval_hours: float = 0.0
    rate_limit_per_minute: int = 600  # per API key, unless the key has its own

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def config_path() -> Path:
    explicit = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if explicit:
        return Path(explicit)
    return Path(user_config_dir("interlock")) / "config.toml"


def _file_values(path: Path) -> dict[str, Any]:
    if not path.exists():
        if os.environ.get(f"{ENV_PREFIX}CONFIG"):
            raise ConfigError(f"config file {path} named by {ENV_PREFIX}CONFIG does not exist")
        return {}
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def load_settings() -> Settings:
    values = _file_values(config_path())

    def get(key: str, default: Any) -> Any:
        return os.environ.get(ENV_PREFIX + key.upper(), values.get(key, default))

    data_dir = Path(get("data_dir", user_data_dir("interlock"))).expanduser()
    default_db = f"sqlite:///{data_dir / 'interlock.sqlite3'}"

    def number(key: str, default: float, kind: type[float] | type[int]) -> Any:
        raw = get(key, default)
        try:
            return kind(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{ENV_PREFIX}{key.upper()} must be a number, got {raw!r}") from None

    threshold = number("match_threshold", DEFAULT_MATCH_THRESHOLD, float)
    if not 0 < threshold <= 1:
        raise ConfigError(f"{ENV_PREFIX}MATCH_THRESHOLD must be in (0, 1], got {threshold}")
    return Settings(
        database_url=str(get("database_url", default_db)),
        data_dir=data_dir,
        match_threshold=threshold,
        fetch_timeout=number("fetch_timeout", 60.0, float),
        fetch_retries=number("fetch_retries", 4, int),
        quarantine_drop=number("quarantine_drop", 0.10, float),
        rescreen_on_change=_flag(get("rescreen_on_change", True), "rescreen_on_change"),
        alert_sla_hours=number("alert_sla_hours", 48.0, float),
        fetch_interval_hours=number("fetch_interval_hours", 0.0, float),
        rate_limit_per_minute=number("rate_limit_per_minute", 600, int),
    )


def _flag(raw: object, key: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{ENV_PREFIX}{key.upper()} must be true or false, got {raw!r}")
