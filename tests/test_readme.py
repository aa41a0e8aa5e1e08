"""The README stays true: every setting is documented, and the two commands are there."""

from pathlib import Path

from hub.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [f"HUB_{name.upper()}" for name in Settings.model_fields if f"`HUB_{name.upper()}`" not in README]
    assert not missing, f"settings missing from the README's table: {missing}"


def test_the_two_commands_are_in_the_readme_and_ci_uses_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
