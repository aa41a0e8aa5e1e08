"""What every command needs: settings, an engine for the configured database, and a way to
run a coroutine and turn the hub's errors into a message and an exit code."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from hub.errors import HubError

T = TypeVar("T")

err = Console(stderr=True)
out = Console()

EXIT_USER_ERROR = 2
EXIT_UNAVAILABLE = 3


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run ``main`` in a fresh event loop; a HubError becomes ``CODE: message`` and exit 2."""
    try:
        return asyncio.run(main())  # type: ignore[arg-type]
    except HubError as exc:
        err.print(f"[bold red]{exc.code}[/]: {exc.message}")
        raise typer.Exit(EXIT_USER_ERROR) from None
