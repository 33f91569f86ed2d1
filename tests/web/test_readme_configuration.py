"""The README's Configuration table names every setting the app reads, and nothing the app does not know."""

from __future__ import annotations

import re

from robotpayment_app.settings import AppSettings, env_var
from tests.support.shared import REPO_ROOT


def _configuration_table() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("| `ROBOTPAYMENT_APP_"))


def test_every_setting_has_a_row() -> None:
    documented = set(re.findall(r"^\| `(ROBOTPAYMENT_APP_[A-Z_]+)`", _configuration_table(), flags=re.MULTILINE))
    assert documented == {env_var(name) for name in AppSettings.model_fields}


def test_simple_defaults_are_the_documented_ones() -> None:
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `(ROBOTPAYMENT_APP_[A-Z_]+)` \| ([^|]+) \|", _configuration_table(), re.M)
    }
    for name, field in AppSettings.model_fields.items():
        if isinstance(field.default, bool | int | float | str) and field.default != "":
            shown = str(field.default).lower() if isinstance(field.default, bool) else str(field.default)
            assert f"`{shown}`" in rows[env_var(name)], name
