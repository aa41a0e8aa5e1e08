"""The whole demo data set, generated deterministically from one seed.

The generator only produces plain rows (:mod:`hub.demo.rows`); it never touches a database.
The same seed always gives the same rows, in the same order.
"""

from __future__ import annotations

import random

from hub.demo import blacklist, pilot, registry
from hub.demo.constants import DEMO_SEED
from hub.demo.fake import Faker
from hub.demo.rows import DemoData


def generate_demo(seed: int = DEMO_SEED) -> DemoData:
    faker = Faker(random.Random(seed))
    data = DemoData(departments=registry.departments())
    companies = registry.companies(faker, data.persons)
    data.enterprises = [c.row for c in companies]
    data.blacklist, first_inclusion = blacklist.blacklist_cases(faker, companies, data.persons)
    data.credit_records = registry.credit_records(faker, companies, first_inclusion)
    pilot.projects(faker, companies, data)
    return data
