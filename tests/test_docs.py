"""The README documents every setting, and every documentation page it names exists."""

import re
from pathlib import Path

from matcher.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    missing = [
        f"MATCHER_{name.upper()}" for name in Settings.model_fields if f"MATCHER_{name.upper()}" not in README
    ]
    assert not missing, f"README configuration table lacks {missing}"


def test_documentation_pages_named_in_the_readme_exist():
    for page in re.findall(r"`(docs/[\w.-]+\.md)`", README):
        assert (ROOT / page).exists(), page


def test_every_command_is_in_the_readme():
    from matcher.cli import _register_all, app

    _register_all()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    names += [g.name for g in app.registered_groups if g.name]
    missing = [n for n in names if f"`matcher {n}" not in README]
    assert not missing, f"README command table lacks {missing}"
