"""``hub demo``: a deterministic demo data set, generated apart from the code that loads it.

* :mod:`hub.demo.constants` — the seed, the demo's "today" (2026-11-01) and the pilot's shape;
* :mod:`hub.demo.fake` — valid, unique Chinese identifiers, names and addresses;
* :mod:`hub.demo.registry`, :mod:`hub.demo.blacklist`, :mod:`hub.demo.pilot` — the rows of
  each part (:mod:`hub.demo.pilot` documents the patterns of the 54 problem projects);
* :mod:`hub.demo.generator` — :func:`generate_demo`, the whole data set as plain rows;
* :mod:`hub.demo.loader` — :func:`load_demo`, which writes them idempotently.
"""

from hub.demo.constants import DEMO_SEED, DEMO_TODAY
from hub.demo.generator import generate_demo
from hub.demo.loader import DemoSummary, load_demo

__all__ = ["DEMO_SEED", "DEMO_TODAY", "DemoSummary", "generate_demo", "load_demo"]
