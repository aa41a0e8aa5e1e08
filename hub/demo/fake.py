"""Realistic-looking, valid and unique Chinese identifiers, names and addresses.

Everything is drawn from the ``random.Random`` handed in, so the same seed gives the same
names. Identifiers carry correct check characters, computed by the hub's own validators'
functions (:mod:`hub.domains.identifiers`); uniqueness is kept by remembering what was issued.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from hub.domains.identifiers import resident_id_check_char, uscc_check_char


@dataclass(frozen=True)
class District:
    code: str
    province: str  # "北京市" or "四川省"
    city: str  # "" for Beijing, whose districts sit directly under the municipality
    name: str
    towns: tuple[str, ...]

    @property
    def full_name(self) -> str:
        return f"{self.province}{self.city}{self.name}"

    @property
    def in_beijing(self) -> bool:
        return self.code.startswith("11")


DISTRICTS: dict[str, District] = {
    d.code: d
    for d in (
        District("110101", "北京市", "", "东城区", ("东华门街道", "景山街道", "交道口街道")),
        District("110102", "北京市", "", "西城区", ("新街口街道", "金融街街道", "德胜街道")),
        District("110105", "北京市", "", "朝阳区", ("建外街道", "望京街道", "酒仙桥街道")),
        District("110106", "北京市", "", "丰台区", ("卢沟桥街道", "新村街道", "花乡")),
        District("110108", "北京市", "", "海淀区", ("中关村街道", "学院路街道", "上地街道")),
        District("110112", "北京市", "", "通州区", ("永顺镇", "梨园镇", "宋庄镇")),
        District("110114", "北京市", "", "昌平区", ("回龙观镇", "沙河镇", "南口镇")),
        District(
            "110115",
            "北京市",
            "",
            "大兴区",
            ("黄村镇", "西红门镇", "旧宫镇", "亦庄镇", "瀛海镇", "魏善庄镇", "礼贤镇",
             "榆垡镇", "庞各庄镇", "北臧村镇", "采育镇", "安定镇", "青云店镇", "长子营镇"),
        ),
        District("510104", "四川省", "成都市", "锦江区", ("春熙路街道", "牛市口街道")),
        District("510105", "四川省", "成都市", "青羊区", ("草市街街道", "少城街道")),
        District("510106", "四川省", "成都市", "金牛区", ("荷花池街道", "茶店子街道")),
        District("510107", "四川省", "成都市", "武侯区", ("玉林街道", "簇桥街道", "浆洗街街道")),
        District("510108", "四川省", "成都市", "成华区", ("猛追湾街道", "双桥子街道")),
        District("510112", "四川省", "成都市", "龙泉驿区", ("龙泉街道", "大面街道")),
        District("510116", "四川省", "成都市", "双流区", ("东升街道", "西航港街道")),
        District("510703", "四川省", "绵阳市", "涪城区", ("城厢街道", "城郊街道")),
        District("511302", "四川省", "南充市", "顺庆区", ("中城街道", "北城街道")),
    )
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红春玉海波东文斌宁博鹏辉玲萍飞"
    "凯浩宇晨轩雪琳婷晓亮成林峰鑫宏振德永福庆祥瑞梅兵俊鸿荣浩然子涵思远嘉欣佳怡"
)
TRADE_CHARS = (
    "华兴鑫达恒泰盛隆宏远金诚信德利丰祥瑞安康顺通博源中建城宇嘉和宝聚富晟昌茂荣耀鼎恒润"
    "锦程天成永新凯越众合创新力方圆鸿基伟业正弘辰汇腾龙东升万邦晨光"
)
ROADS = (
    "兴华大街", "金星路", "永旺路", "黄村西大街", "京开路", "清源路", "欣宁街", "林校路",
    "科创街", "荣华中路", "人民南路", "科华北路", "一环路", "蜀都大道", "红星路", "建设路",
    "府青路", "天府大道", "武侯大街", "光华大道", "朝阳北路", "学院路", "通惠河北路",
)
PLACES = (
    "兴华", "金域", "瀛海", "康庄", "星光", "福源", "清源", "瑞合", "天宫院", "高米店", "枣园",
    "观音寺", "新凤河", "融汇", "盛悦", "景园", "青云", "绿地", "春和", "首开", "龙湖", "永定",
)
PROJECT_KINDS = (
    "住宅小区一期工程", "住宅小区二期工程", "安置房项目", "商业综合体工程", "道路改造工程",
    "学校教学楼工程", "医院门诊楼工程", "产业园厂房工程", "公租房项目", "污水处理厂扩建工程",
    "地铁站附属工程", "幼儿园新建工程", "社区服务中心工程", "物流仓储中心工程",
)

_CORP_SUFFIXES = {
    "contractor": ("建设工程有限公司", "建筑工程有限公司", "建工集团有限公司", "市政工程有限公司"),
    "developer": ("房地产开发有限公司", "置业有限公司", "城市建设投资有限公司"),
    "labour": ("劳务分包有限公司", "建筑劳务有限公司", "人力资源服务有限公司"),
    "supplier": ("建材有限公司", "商贸有限公司", "机械设备租赁有限公司", "混凝土有限公司"),
    "general": (
        "建筑工程有限公司", "装饰工程有限公司", "劳务有限公司", "科技有限公司", "物流有限公司",
        "餐饮管理有限公司", "商贸有限公司", "物业管理有限公司", "园林绿化工程有限公司",
        "电气安装工程有限公司", "钢结构工程有限公司", "保安服务有限公司",
    ),
}

#: Resident-ID issuing banks' card prefixes: personal debit cards are 19 digits from "62".
_CARD_PREFIXES = ("622202", "621700", "622848", "621483", "622588", "623058")
BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "北京银行")


def _org_code_check(body: str) -> str:
    """GB 11714 organisation code check character (the USCC's 17th character)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch) * w for ch, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class Faker:
    """Draws unique, valid values from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._issued: set[str] = set()

    def _unique(self, make: object) -> str:
        for _ in range(1000):
            value = make()  # type: ignore[operator]
            if value not in self._issued:
                self._issued.add(value)
                return value  # type: ignore[no-any-return]
        raise RuntimeError("could not draw a unique value")

    # -- people ---------------------------------------------------------------------------

    def person_name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def resident_id(self, division: str, born_from: int = 1960, born_to: int = 1998) -> str:
        def make() -> str:
            birth = date(born_from, 1, 1) + timedelta(
                days=self.rng.randrange((date(born_to, 12, 31) - date(born_from, 1, 1)).days)
            )
            first17 = f"{division}{birth:%Y%m%d}{self.rng.randrange(1, 1000):03d}"
            return first17 + resident_id_check_char(first17)

        return self._unique(make)

    def mobile(self) -> str:
        prefix = self.rng.choice(("133", "135", "136", "138", "139", "150", "158", "186", "189"))
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def landline(self, district: District) -> str:
        area = "010" if district.in_beijing else "028"
        return f"{area}-{self.rng.randrange(6 * 10**7, 9 * 10**7)}"

    # -- enterprises ----------------------------------------------------------------------

    def uscc(self, division: str) -> str:
        def make() -> str:
            body = f"{self.rng.randrange(10**8):08d}"
            first17 = "91" + division + body + _org_code_check(body)
            return first17 + uscc_check_char(first17)

        return self._unique(make)

    def company_name(self, district: District, role: str) -> str:
        place = "北京" if district.in_beijing else (district.city[:-1] or "四川")

        def make() -> str:
            trade = self.rng.choice(TRADE_CHARS) + self.rng.choice(TRADE_CHARS)
            return f"{place}{trade}{self.rng.choice(_CORP_SUFFIXES[role])}"

        return self._unique(make)

    def address(self, district: District) -> str:
        town = self.rng.choice(district.towns)
        return f"{district.full_name}{town}{self.rng.choice(ROADS)}{self.rng.randrange(1, 300)}号"

    # -- accounts -------------------------------------------------------------------------

    def corporate_account(self, district: District) -> str:
        """A settlement account of a company: 17 digits, never starting with 62."""
        lead = "11" if district.in_beijing else "51"
        return self._unique(lambda: lead + f"{self.rng.randrange(10**15):015d}")

    def wage_account_number(self) -> str:
        """A special or deposit account: 19 digits starting with 02 (never a personal card)."""
        return self._unique(lambda: "02" + f"{self.rng.randrange(10**17):017d}")

    def personal_card(self) -> str:
        """A worker's own debit card: 19 digits starting with 62."""
        return self._unique(
            lambda: self.rng.choice(_CARD_PREFIXES) + f"{self.rng.randrange(10**13):013d}"
        )

    # -- dates ----------------------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))
