"""The published contract: ``schema/hub.graphql`` is exactly what the code produces."""

from pathlib import Path

from hub.console.schema import REGENERATE, SDL_PATH, full_sdl

ROOT = Path(__file__).resolve().parents[1]


def test_published_sdl_matches_the_code() -> None:
    published = (ROOT / SDL_PATH).read_text(encoding="utf-8")
    assert published == full_sdl(), (
        f"schema/hub.graphql has drifted from the code; regenerate it with `{REGENERATE}` "
        "and review the diff: it is the contract clients rely on"
    )
