"""Use cases of projects: HRSS registers the projects whose accounts it shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.identifiers import validate_division_code, validate_money, validate_uscc
from hub.domains.projects import repository as repo
from hub.domains.projects.models import PayCycle, Project, ProjectStatus
from hub.errors import Conflict, InvalidInput, NotFound


async def register_project(session: AsyncSession, *, code: str, name: str, district_code: str,
                           general_contractor_uscc: str, construction_unit_uscc: str | None,
                           contract_value: Decimal | None, start_date: date, workers: int,
                           pay_cycle: PayCycle, status: ProjectStatus) -> Project:
    code, name = code.strip(), name.strip()
    if not code or len(code) > 40:
        raise InvalidInput("`code` must be 1 to 40 characters", field="code")
    if not name or len(name) > 200:
        raise InvalidInput("`name` must be 1 to 200 characters", field="name")
    if workers < 0:
        raise InvalidInput("`workers` must not be negative", field="workers")
    if await repo.by_code(session, code) is not None:
        raise Conflict(f"project {code} is already in the hub", field="code")
    gc = await repo.enterprise_by_uscc(session, validate_uscc(general_contractor_uscc, "generalContractorUscc"))
    if gc is None:
        raise NotFound("no enterprise with this USCC", field="generalContractorUscc")
    cu = None
    if construction_unit_uscc:
        cu = await repo.enterprise_by_uscc(session, validate_uscc(construction_unit_uscc, "constructionUnitUscc"))
        if cu is None:
            raise NotFound("no enterprise with this USCC", field="constructionUnitUscc")
    project = Project(
        code=code, name=name, district_code=validate_division_code(district_code, "districtCode"),
        status=status, general_contractor_id=gc.id, construction_unit_id=cu.id if cu else None,
        contract_value=validate_money(contract_value, "contractValue") if contract_value is not None else None,
        start_date=start_date, workers=workers, pay_cycle=pay_cycle,
    )
    try:
        await repo.add(session, project)
    except IntegrityError:
        raise Conflict(f"project {code} is already in the hub", field="code") from None
    return project
