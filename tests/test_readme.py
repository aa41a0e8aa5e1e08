"""The README stays true: every setting is documented, and the two commands are there."""

from pathlib import Path

from hub.settings import settings_table

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_settings_table_is_the_one_the_code_renders() -> None:
    assert settings_table() in README, "the README's settings table drifted: paste the output of `hub settings`"


def test_the_two_commands_are_in_the_readme_and_ci_uses_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
