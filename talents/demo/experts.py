"""Demo registry: the experts named in the source documents, the 博士联谊会 and 海智 experts."""

import random

from association.choices import TitleLevel
from association.models import County

from ..models import Degree, DoctorsCommittee, Field, Talent
from ..reference import COMMITTEES, FIELDS
from . import people

L = TitleLevel
D = Degree

# (name, gender, birth year, title, level, degree, field, specialty, employer, county, bio)
NAMED_EXPERTS = [
    ("孟庆臻", "M", 1968, "教授级高级工程师、濮阳市化工研究所所长", L.SENIOR, D.MASTER, "化学化工", "精细化工、化工新材料",
     "濮阳市化工研究所", "华龙区",
     "濮阳市化工研究所所长，濮阳市党外专家“科创中国”志愿服务团化工新材料服务队队长。长期从事精细化工和化工新材料研发，"
     "主持完成多项省市科技攻关项目，带领服务队分6个工作组深入企业开展技术服务。"),
    ("何建中", "M", 1965, "市政协副主席、民进濮阳市委主委", L.SENIOR, D.MASTER, "经济管理", "科技经济融合、生物基材料产业发展",
     "濮阳市政协", "市直",
     "濮阳市党外专家“科创中国”志愿服务团团长。2021年1月带领生物基材料志愿服务队赴南乐县调研青源天仁、龙都天仁、星汉生物等6家企业，"
     "征集企业技术和人才需求。"),
    ("张付杰", "M", 1972, "高级工程师、濮阳市化工学会秘书长", L.ASSOCIATE, D.BACHELOR, "化学化工", "化工工艺、安全生产",
     "濮阳市化工学会", "市直",
     "濮阳市化工学会秘书长，化工新材料服务队队员，对服务队开展服务的方式、内容提出建议，长期组织学会学术交流和企业技术咨询。"),
    ("李双妹", "F", 1978, "副教授", L.ASSOCIATE, D.MASTER, "化学化工", "能源化工、化工职业教育",
     "濮阳职业技术学院能源与化学工程系", "华龙区",
     "濮阳职业技术学院能源与化学工程系教师，化工新材料服务队队员，致力于化工技能人才培养和校企合作。"),
    ("郑瑞谦", "M", 1970, "高级工程师", L.ASSOCIATE, D.BACHELOR, "生态环境", "环境监测、污染防治",
     "濮阳市环境监测站", "华龙区",
     "濮阳市环境监测站高级工程师，化工新材料服务队队员，从环境保护方面为化工企业提供服务意见。"),
    ("吴敏", "F", 1976, "高级工程师、濮阳市生物基材料协会秘书长", L.ASSOCIATE, D.MASTER, "生物基材料", "聚乳酸、生物基材料产业",
     "濮阳市生物基材料协会", "南乐县",
     "濮阳市生物基材料协会秘书长，参与南乐县生物基材料产业园区企业调研对接，推动生物基材料领域专家与园区企业合作。"),
    ("张永旺", "M", 1975, "高级工程师", L.ASSOCIATE, D.BACHELOR, "新材料", "顺酐及可降解材料",
     "河南源博新材料有限公司", "濮阳工业园区", "河南源博新材料有限公司技术负责人，化工新材料服务队企业代表。"),
    ("刘俊广", "M", 1974, "高级工程师", L.ASSOCIATE, D.BACHELOR, "化学化工", "溶剂与精细化学品",
     "濮阳迈奇化学有限公司", "濮阳经济技术开发区", "濮阳迈奇化学有限公司技术负责人，化工新材料服务队企业代表。"),
    ("朱建璞", "M", 1969, "高级农艺师、市农业农村局副局长", L.ASSOCIATE, D.BACHELOR, "农业与农技推广", "乡村振兴、农业产业化",
     "濮阳市农业农村局", "市直", "为乡村振兴服务队讲解全市实施乡村振兴的背景、意义及目标任务。"),
]

# The 博士联谊会's advisers, as the source names them; nothing is added about them.
ADVISERS = [
    ("郝吉明", "M", "中国工程院院士、清华大学环境学院院长", "生态环境", "清华大学环境学院"),
    ("佟振合", "M", "中国科学院院士", None, ""),
    ("宋微波", "M", "中国科学院院士、中国海洋大学教授", None, "中国海洋大学"),
]

HAIZHI_COUNTRIES = ["美国", "德国", "日本", "英国", "澳大利亚", "加拿大", "新加坡", "韩国", "法国", "荷兰"]
HAIZHI_FIELDS = ["信息技术", "临床医学", "智能制造", "新材料", "生态环境", "化学化工", "机械与装备", "能源电力"]


def ensure_reference() -> tuple[dict[str, Field], dict[str, DoctorsCommittee]]:
    fields = {}
    for order, name in enumerate(FIELDS):
        fields[name], _c = Field.objects.update_or_create(name=name, defaults={"order": order})
    committees = {}
    for order, (name, description) in enumerate(COMMITTEES):
        committees[name], _c = DoctorsCommittee.objects.update_or_create(
            name=name, defaults={"order": order, "description": description}
        )
    return fields, committees


def _upsert(name, employer, **values) -> Talent:
    talent = Talent.objects.filter(name=name, employer=employer).first()
    if talent is None:
        talent = Talent(name=name, employer=employer)
    for key, value in values.items():
        setattr(talent, key, value)
    talent.save()
    return talent


def load_experts(fields, committees) -> list[Talent]:
    rng = random.Random("talents-demo:experts")
    counties = {c.name: c for c in County.objects.all()}
    taken = {row[0] for row in NAMED_EXPERTS} | {row[0] for row in ADVISERS}
    experts = []
    for name, gender, year, title, level, degree, field, specialty, employer, county, bio in NAMED_EXPERTS:
        experts.append(_upsert(
            name, employer, gender=gender, birth_year=year, title=title, title_level=level, degree=degree,
            field=fields[field], specialty=specialty, county=counties.get(county), in_expert_pool=True,
            public_profile=name not in ("张永旺",), bio=bio, contact=people.mobile(rng),
        ))
    for name, gender, title, field, employer in ADVISERS:
        experts.append(_upsert(
            name, employer, gender=gender, title=title, title_level=L.SENIOR, degree=D.DOCTOR,
            field=fields[field] if field else None, in_doctors_association=True,
            doctors_role=Talent.DoctorsRole.ADVISER, public_profile=True,
            bio=f"{title}，受聘为博士联谊会顾问。",
        ))

    # The expert pool: senior titles across chemistry, agriculture, medicine and ecology.
    pool_fields = ["化学化工"] * 8 + ["新材料"] * 5 + ["生物基材料"] * 6 + ["农业与农技推广"] * 9 + ["畜牧兽医"] * 4 + \
        ["食品科学"] * 4 + ["临床医学"] * 8 + ["公共卫生"] * 3 + ["中医药"] * 3 + ["生态环境"] * 5 + \
        ["石油天然气"] * 4 + ["信息技术"] * 3 + ["机械与装备"] * 2 + ["能源电力"] * 2
    for (name, gender), field in zip(people.unique_names(rng, len(pool_fields), taken), pool_fields, strict=True):
        level = L.SENIOR if rng.random() < 0.45 else L.ASSOCIATE
        employer = rng.choice(people.EMPLOYERS_BY_FIELD[field])
        experts.append(_upsert(
            name, employer, gender=gender, birth_year=rng.randint(1960, 1986),
            title=people.title_for(rng, field, level, employer), title_level=level,
            degree=rng.choice([D.DOCTOR, D.MASTER, D.MASTER, D.BACHELOR, D.BACHELOR]), field=fields[field],
            county=counties.get(people.county_for(employer)), in_expert_pool=True, public_profile=rng.random() < 0.85,
            contact=people.mobile(rng),
            bio=f"{employer}{rng.choice(['技术骨干', '学科带头人', '专业技术负责人'])}，长期从事{field}领域的研究与技术推广工作，"
                f"{rng.choice(['多次深入企业和乡村开展技术服务', '主持或参与省市科研项目多项', '获市级科技进步奖'])}。",
        ))

    # 博士联谊会: four doctors in each of the nine committees, one of them its chair.
    committee_fields = {"信息产业": "信息技术", "新材料": "新材料", "文化旅游": "文化旅游", "医养健康": "临床医学",
                        "高端装备": "智能制造", "现代农业": "农业与农技推广", "生态环保": "生态环境", "能源化工": "化学化工",
                        "金融与经济": "经济管理"}
    first = True
    for committee_name, committee in committees.items():
        field = committee_fields[committee_name]
        for i, (name, gender) in enumerate(people.unique_names(rng, 4, taken)):
            employer = rng.choice(people.EMPLOYERS_BY_FIELD[field])
            role = Talent.DoctorsRole.PRESIDENT if first else (Talent.DoctorsRole.CHAIR if i == 0 else Talent.DoctorsRole.MEMBER)
            first = False
            level = L.SENIOR if i == 0 else rng.choice([L.SENIOR, L.ASSOCIATE, L.INTERMEDIATE])
            experts.append(_upsert(
                name, employer, gender=gender, birth_year=rng.randint(1970, 1992),
                title=people.title_for(rng, field, level, employer), title_level=level, degree=D.DOCTOR,
                field=fields[field], county=counties.get(people.county_for(employer)),
                native_place=rng.choice(["山东济宁", "山东梁山", "山东汶上", "山东嘉祥", "山东泗水", "河南濮阳", "河南清丰"]),
                in_doctors_association=True, committee=committee, doctors_role=role, in_expert_pool=i == 0,
                public_profile=True, contact=people.mobile(rng),
                bio=f"博士，{committee_name}专业委员会{'主任' if i == 0 else '委员'}，"
                    f"参与博士联谊会与县市区企业的技术交流与对接。",
            ))

    # 海智专家: overseas scientists working with the 海智计划 base.
    for name, gender in people.unique_names(rng, 12, taken):
        field = rng.choice(HAIZHI_FIELDS)
        country = rng.choice(HAIZHI_COUNTRIES)
        employer = f"{country}{rng.choice(['高校', '科研机构', '科技企业'])}"
        experts.append(_upsert(
            name, employer, gender=gender, birth_year=rng.randint(1965, 1988), title=rng.choice(["教授", "研究员", "首席科学家"]),
            title_level=L.SENIOR, degree=D.DOCTOR, field=fields[field], is_haizhi=True, overseas_country=country,
            public_profile=True, contact=f"{people.person_name(rng, gender)[:1].lower()}expert{rng.randrange(1000)}@example.org",
            bio=f"旅居{country}的科技工作者，通过“海智专家济宁行”等活动与企业开展项目对接，涉及{field}领域。",
        ))
    return experts


def link_volunteers(experts: list[Talent]) -> int:
    """Tie experts to the volunteer accounts of the same person, where exactly one matches."""
    from volunteers.models import Volunteer

    linked = 0
    for talent in experts:
        if talent.volunteer_id:
            continue
        candidates = list(Volunteer.objects.filter(name=talent.name, talent__isnull=True)[:2])
        if len(candidates) == 1 and (not candidates[0].employer or candidates[0].employer == talent.employer
                                     or talent.employer in candidates[0].employer or candidates[0].employer in talent.employer):
            talent.volunteer = candidates[0]
            talent.save(update_fields=["volunteer"])
            linked += 1
    return linked
