"""The enterprise register of the demo: departments, enterprises, their legal representatives
and their credit records.

Enterprises play roles that only the generator knows (they are not stored): ``contractor``,
``developer``, ``labour`` and ``supplier`` companies form the *project pool* (the general
contractors, construction units, labour subcontractors and suppliers of the projects); they
are all IN_OPERATION, carry no credit record and are never blacklisted, so that nothing about
a project's parties makes a clean project look suspicious. ``general`` enterprises are
everyone else: statuses spread over all four, 0-5 credit records of every kind, and the
blacklist draws its units from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hub.demo.constants import DEMO_TODAY, ENTERPRISES
from hub.demo.fake import DISTRICTS, District, Faker
from hub.demo.rows import Row
from hub.domains.credit.models import CreditRecordKind, SourcePlatform
from hub.domains.departments.models import Profile
from hub.domains.enterprises.models import EnterpriseStatus
from hub.domains.identifiers import CENT
from hub.domains.persons.models import IdType


@dataclass
class Company:
    """The generator's view of an enterprise: its row plus what the generator needs."""

    row: Row
    district: District
    role: str
    corporate_account: str

    @property
    def uscc(self) -> str:
        return str(self.row["uscc"])

    @property
    def name(self) -> str:
        return str(self.row["name"])

    @property
    def legal_representative(self) -> str:
        return str(self.row["legal_representative"])


def local_name(district: District) -> str:
    """``北京市大兴区`` / ``成都市武侯区``: how local authorities are named."""
    return f"{district.province}{district.name}" if district.in_beijing else district.full_name[3:]


def departments() -> list[Row]:
    rows = [
        ("HRSS-BJ", "北京市人力资源和社会保障局", Profile.HRSS, "110000"),
        ("HRSS-SC", "四川省人力资源和社会保障厅", Profile.HRSS, "510000"),
        ("DISTRICT-110115", "北京市大兴区人力资源和社会保障局", Profile.DISTRICT, "110115"),
        ("DISTRICT-510107", "成都市武侯区人力资源和社会保障局", Profile.DISTRICT, "510107"),
        ("DRC-SC", "四川省发展和改革委员会", Profile.DRC, "510000"),
        ("MSB-SC", "四川省市场监督管理局", Profile.MSB, "510000"),
        ("BDC-SC", "四川省大数据中心", Profile.BDC, "510000"),
        ("BANK-BJ", "国家金融监督管理总局北京监管局", Profile.BANK, "110000"),
        ("AUDITOR-HUB", "数据共享平台审计办公室", Profile.AUDITOR, None),
        ("ADMIN-HUB", "数据共享平台运维管理组", Profile.ADMIN, None),
    ]
    return [
        {"code": code, "name": name, "profile": profile, "division_code": division}
        for code, name, profile, division in rows
    ]


#: (role, districts it is drawn from, how many)
_POOL: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("contractor", ("110115",), 45),
    ("contractor", ("110101", "110105", "110106", "110108", "110112"), 35),
    ("developer", ("110115",), 30),
    ("developer", ("110105", "110108", "110112"), 20),
    ("labour", ("110115", "110106", "110112"), 25),
    ("supplier", ("110115", "110106"), 20),
    ("contractor", ("510107", "510104", "510112"), 15),
    ("developer", ("510107", "510104", "510112"), 10),
)
_BEIJING = tuple(c for c in DISTRICTS if c.startswith("11"))
_SICHUAN = tuple(c for c in DISTRICTS if c.startswith("51"))


def companies(faker: Faker, persons: list[Row]) -> list[Company]:
    """The project pool first, then general enterprises up to :data:`ENTERPRISES`.

    Each enterprise gets a new legal representative, appended to ``persons``.
    """
    rng = faker.rng
    plan: list[tuple[str, District]] = []
    for role, codes, count in _POOL:
        plan += [(role, DISTRICTS[codes[i % len(codes)]]) for i in range(count)]
    while len(plan) < ENTERPRISES:
        codes = _BEIJING if rng.random() < 0.55 else _SICHUAN
        plan.append(("general", DISTRICTS[rng.choice(codes)]))

    out: list[Company] = []
    for role, district in plan:
        person = {
            "name": faker.person_name(),
            "id_type": IdType.RESIDENT_ID,
            "id_number": faker.resident_id(district.code),
            "phone": faker.mobile(),
        }
        persons.append(person)
        status = EnterpriseStatus.IN_OPERATION
        if role == "general":
            status = rng.choices(
                list(EnterpriseStatus), weights=(82, 10, 4, 4)
            )[0]  # IN_OPERATION, ABNORMAL_OPERATION, REVOKED, DEREGISTERED
        capital = Decimal(rng.choice((100, 200, 500, 1000, 2000, 5000, 10000, 30000)) * 10_000)
        row = {
            "uscc": faker.uscc(district.code),
            "name": faker.company_name(district, role),
            "status": status,
            "address": faker.address(district),
            "registered_capital": capital.quantize(CENT),
            "district_code": district.code,
            "legal_representative": person["id_number"],
            "contact_person": faker.person_name(),
            "contact_phone": faker.landline(district) if rng.random() < 0.4 else faker.mobile(),
        }
        out.append(Company(row, district, role, faker.corporate_account(district)))
    return out


_PENALTIES = (
    "未按规定公示年度报告，罚款",
    "施工现场扬尘污染防治措施不到位，罚款",
    "未依法签订劳动合同，责令改正并罚款",
    "发布虚假广告，罚款",
    "未按规定办理建筑工程施工许可，罚款",
    "拒不配合劳动保障监察调查，罚款",
)
_DISHONESTY = (
    "拒不执行生效法律文书，列入失信被执行人名单",
    "提供虚假材料骗取资质，列入严重违法失信名单",
    "拖欠农民工工资情节严重，列入严重失信主体名单",
)


def credit_records(
    faker: Faker, companies_: list[Company], joint_discipline: Mapping[str, date]
) -> list[Row]:
    """0-5 records per general enterprise, every kind present; consistent with the register:
    an enterprise in abnormal operation has its listing record, and every unit the blacklist
    included has its joint-discipline record (dated on the inclusion)."""
    rng = faker.rng
    rows: list[Row] = []
    seq = 0
    for company in companies_:
        if company.role != "general":
            continue
        d = company.district
        abbr = "京" if d.in_beijing else "川"
        msb = f"{local_name(d)}市场监督管理局"
        wanted: list[CreditRecordKind] = []
        if company.row["status"] is EnterpriseStatus.ABNORMAL_OPERATION:
            wanted.append(CreditRecordKind.ABNORMAL_OPERATION)
        if company.uscc in joint_discipline:
            wanted.append(CreditRecordKind.JOINT_DISCIPLINE)
        extra = rng.choices(range(6), weights=(30, 25, 20, 12, 8, 5))[0]
        while len(wanted) < min(5, max(extra, len(wanted))):
            wanted.append(
                rng.choices(list(CreditRecordKind), weights=(60, 20, 12, 8))[0]
            )
        listed_recorded = False
        for kind in wanted:
            seq += 1
            decided = faker.day_between(date(2021, 1, 1), DEMO_TODAY - timedelta(days=3))
            if kind is CreditRecordKind.ADMINISTRATIVE_PENALTY:
                authority = rng.choice((msb, f"{local_name(d)}人力资源和社会保障局",
                                        f"{local_name(d)}住房和城乡建设委员会"))
                number = f"{abbr}{d.name[:1]}罚字〔{decided.year}〕{seq:05d}号"
                summary = rng.choice(_PENALTIES) + f"{rng.randrange(1, 50) * 1000}元"
                platform = rng.choice((SourcePlatform.NECIPS, SourcePlatform.CREDIT_CHINA))
            elif kind is CreditRecordKind.ABNORMAL_OPERATION:
                authority = msb
                number = f"{abbr}{d.name[:1]}市监异〔{decided.year}〕{seq:05d}号"
                summary = "通过登记的住所或者经营场所无法联系，列入经营异常名录"
                if company.row["status"] is not EnterpriseStatus.ABNORMAL_OPERATION:
                    summary += "；已于次年移出"
                platform = SourcePlatform.NECIPS
            elif kind is CreditRecordKind.SERIOUS_DISHONESTY:
                authority = rng.choice((msb, f"{local_name(d)}人民法院"))
                number = f"{abbr}{d.name[:1]}失信〔{decided.year}〕{seq:05d}号"
                summary = rng.choice(_DISHONESTY)
                platform = SourcePlatform.CREDIT_CHINA
            elif company.uscc in joint_discipline and not listed_recorded:
                listed_recorded = True
                decided = joint_discipline[company.uscc]
                authority = f"{local_name(d)}人力资源和社会保障局"
                number = f"{abbr}{d.name[:1]}联惩〔{decided.year}〕{seq:05d}号"
                summary = "列入拖欠农民工工资失信联合惩戒对象名单，实施联合惩戒"
                platform = SourcePlatform.HRSS_PORTAL
            else:
                authority = f"{local_name(d)}发展和改革委员会"
                number = f"{abbr}{d.name[:1]}联惩〔{decided.year}〕{seq:05d}号"
                summary = "因严重失信行为被实施联合惩戒：限制参与政府采购和招标投标"
                platform = SourcePlatform.CREDIT_CHINA
            rows.append({
                "enterprise": company.uscc,
                "kind": kind,
                "authority": authority,
                "document_number": number,
                "decided_on": decided,
                "summary": summary,
                "source_platform": platform,
            })
    return rows
