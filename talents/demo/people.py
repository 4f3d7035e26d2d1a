"""Plausible Chinese names, birth dates and employers for demo and synthetic people (deterministic)."""

import datetime
import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_MALE = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志新海东亮振庆永德锋晓文博晨"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳慧颖洁萍红梅丹莉岚倩琴云月华晶璐瑶欣悦蕾楠雅秀英兰凤"

EMPLOYERS_BY_FIELD = {
    "化学化工": ["濮阳市化工研究所", "中原油田分公司石油化工总厂", "濮阳职业技术学院", "濮阳市产品质量检验检测中心", "濮阳市化工学会"],
    "新材料": ["河南源博新材料有限公司", "濮阳市新材料产业研究院", "濮阳迈奇化学有限公司", "濮阳市高分子材料工程技术中心"],
    "生物基材料": ["南乐生物基产业研究院", "濮阳市生物基材料协会", "龙都天仁生物材料有限公司", "青源天仁生物技术有限公司"],
    "石油天然气": ["中原油田勘探开发研究院", "中原石油工程有限公司", "中原油田分公司采油一厂"],
    "农业与农技推广": ["濮阳市农业科学院", "濮阳市农业技术推广站", "清丰县农业农村局", "范县农业农村局", "濮阳县农业技术推广中心"],
    "畜牧兽医": ["濮阳市畜牧技术推广站", "濮阳县动物疫病预防控制中心", "南乐县畜牧局"],
    "食品科学": ["濮阳市食品药品检验检测中心", "濮阳市农产品质量安全检测站", "清丰县食用菌研究所"],
    "临床医学": ["濮阳市人民医院", "濮阳市油田总医院", "濮阳市第三人民医院", "濮阳市妇幼保健院", "濮阳县人民医院", "清丰县人民医院"],
    "公共卫生": ["濮阳市疾病预防控制中心", "濮阳市卫生健康委员会", "华龙区疾病预防控制中心"],
    "中医药": ["濮阳市中医医院", "濮阳市中医药学会", "南乐县中医院"],
    "生态环境": ["濮阳市环境监测站", "濮阳市生态环境局", "濮阳市黄河河务局"],
    "信息技术": ["濮阳职业技术学院信息工程系", "濮阳市大数据中心", "濮阳市信息化研究所"],
    "智能制造": ["濮阳市智能制造研究院", "濮阳经济技术开发区创新创业中心", "濮阳市石油机械有限公司"],
    "机械与装备": ["濮阳市石油机械有限公司", "中原石油工程有限公司机械制造总厂", "濮阳市汽车工程学会"],
    "能源电力": ["国网濮阳供电公司", "濮阳市新能源研究所", "濮阳龙丰热电有限公司"],
    "建筑与规划": ["濮阳市规划勘察设计院", "濮阳市建筑设计研究院", "濮阳市住房和城乡建设局"],
    "经济管理": ["中共濮阳市委党校", "濮阳市科技局", "濮阳市发展和改革委员会"],
    "教育": ["濮阳市第一高级中学", "濮阳职业技术学院", "濮阳市青少年科技中心", "濮阳市教育局教研室"],
    "文化旅游": ["濮阳市文化广电和旅游局", "濮阳市博物馆", "濮阳市杂技艺术研究院"],
    "其他": ["濮阳市科技咨询服务中心", "濮阳市科学技术普及中心"],
}

TITLES_BY_LEVEL = {
    1: ["教授级高级工程师", "研究员", "主任医师", "教授", "正高级农艺师", "正高级经济师", "正高级教师"],
    2: ["高级工程师", "副研究员", "副主任医师", "副教授", "高级农艺师", "高级畜牧师", "高级实验师", "副主任护师"],
    3: ["工程师", "主治医师", "讲师", "农艺师", "主管护师", "助理研究员"],
    4: ["助理工程师", "医师", "助教", "助理农艺师"],
}

# Title series (职称系列) by field: (正高, 副高, 中级, 初级)
SERIES = {
    "medicine": (["主任医师", "主任护师"], ["副主任医师", "副主任护师"], ["主治医师", "主管护师"], ["医师", "护师"]),
    "agriculture": (["正高级农艺师", "推广研究员"], ["高级农艺师", "高级畜牧师"], ["农艺师", "畜牧师"], ["助理农艺师"]),
    "university": (["教授"], ["副教授"], ["讲师"], ["助教"]),
    "school": (["正高级教师"], ["高级教师"], ["一级教师"], ["二级教师"]),
    "research": (["研究员", "教授级高级工程师"], ["副研究员", "高级工程师"], ["助理研究员", "工程师"], ["研究实习员", "助理工程师"]),
    "engineering": (["教授级高级工程师"], ["高级工程师"], ["工程师"], ["助理工程师"]),
    "economics": (["正高级经济师", "研究员"], ["高级经济师", "副研究员"], ["经济师"], ["助理经济师"]),
    "culture": (["研究馆员"], ["副研究馆员"], ["馆员"], ["助理馆员"]),
}
SERIES_OF_FIELD = {
    "临床医学": "medicine", "公共卫生": "medicine", "中医药": "medicine", "农业与农技推广": "agriculture",
    "畜牧兽医": "agriculture", "教育": "school", "经济管理": "economics", "文化旅游": "culture",
    "食品科学": "research", "生态环境": "research",
}


def title_for(rng: random.Random, field: str, level: int, employer: str = "") -> str:
    series = "university" if "学院" in employer or "大学" in employer else SERIES_OF_FIELD.get(field, "engineering")
    if level not in (1, 2, 3, 4):
        return ""
    return rng.choice(SERIES[series][level - 1])


COUNTY_OF_EMPLOYER_HINTS = [
    ("南乐", "南乐县"), ("清丰", "清丰县"), ("范县", "范县"), ("台前", "台前县"), ("濮阳县", "濮阳县"),
    ("华龙", "华龙区"), ("开发区", "濮阳经济技术开发区"), ("中原", "华龙区"), ("职业技术学院", "华龙区"),
]


def person_name(rng: random.Random, gender: str) -> str:
    pool = GIVEN_MALE if gender == "M" else GIVEN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def unique_names(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    """(name, gender) pairs not in ``taken`` (which is extended)."""
    out = []
    while len(out) < count:
        gender = "M" if rng.random() < 0.62 else "F"
        name = person_name(rng, gender)
        if name not in taken:
            taken.add(name)
            out.append((name, gender))
    return out


def birth_date(rng: random.Random, year_from: int, year_to: int) -> datetime.date:
    year = rng.randint(year_from, year_to)
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def county_for(employer: str) -> str:
    for hint, county in COUNTY_OF_EMPLOYER_HINTS:
        if hint in employer:
            return county
    return "市直"


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "158", "186", "187", "135", "137"]) + f"{rng.randrange(10**8):08d}"
