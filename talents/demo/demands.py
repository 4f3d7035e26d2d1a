"""Demo technology demands: 140 needs from 98 enterprises, 89 of them published (as the profile says).

The enterprises named in the source documents (源博新材料, 迈奇化学 and the six 南乐
bio-material firms) come first; the others are invented in the same vein.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from association.models import County, Organization
from volunteers.models import ServiceTeam

from ..models import Industry, Match, Talent, TechDemand
from ..services.demands import collector_for
from . import people

I = Industry  # noqa: E741

NAMED_ENTERPRISES = [
    ("河南源博新材料有限公司", I.NEW_MATERIALS, "濮阳工业园区"),
    ("濮阳迈奇化学有限公司", I.PETROCHEMICAL, "濮阳经济技术开发区"),
    ("青源天仁生物技术有限公司", I.BIO_MATERIALS, "南乐县"),
    ("龙都天仁生物材料有限公司", I.BIO_MATERIALS, "南乐县"),
    ("星汉生物科技有限公司", I.BIO_MATERIALS, "南乐县"),
    ("宝格润生物科技有限公司", I.BIO_MATERIALS, "南乐县"),
    ("曦江生物科技有限公司", I.BIO_MATERIALS, "南乐县"),
    ("华乐科技有限公司", I.BIO_MATERIALS, "南乐县"),
]

SUFFIX = {
    I.PETROCHEMICAL: "石油化工有限公司", I.NEW_MATERIALS: "新材料科技有限公司", I.BIO_MATERIALS: "生物材料有限公司",
    I.EQUIPMENT: "石油机械有限公司", I.ELECTRONICS: "电子科技有限公司", I.AGRICULTURE: "农业开发有限公司",
    I.FOOD: "食品有限公司", I.MEDICINE: "医药有限公司", I.ENVIRONMENT: "环保科技有限公司", I.ENERGY: "新能源有限公司",
    I.TEXTILE: "服饰有限公司",
}
CORES = ["宏达", "恒源", "中原", "龙丰", "金诺", "瑞丰", "华信", "天宇", "盛源", "永昌", "鑫磊", "浩然", "东方", "新兴",
         "三力", "昊阳", "国祥", "佳和", "润泽", "绿源", "德润", "汇通", "联创", "丰利", "凯瑞", "明泰", "裕华", "天正"]
PLACES = [("濮阳市", "华龙区"), ("濮阳", "濮阳经济技术开发区"), ("南乐县", "南乐县"), ("清丰县", "清丰县"), ("范县", "范县"),
          ("台前县", "台前县"), ("濮阳县", "濮阳县"), ("河南", "濮阳工业园区")]
INDUSTRY_WEIGHTS = [(I.PETROCHEMICAL, 18), (I.NEW_MATERIALS, 14), (I.BIO_MATERIALS, 8), (I.EQUIPMENT, 12), (I.ELECTRONICS, 6),
                    (I.AGRICULTURE, 12), (I.FOOD, 8), (I.MEDICINE, 5), (I.ENVIRONMENT, 8), (I.ENERGY, 5), (I.TEXTILE, 4)]

FIELDS_OF = {
    I.PETROCHEMICAL: ["化学化工", "石油天然气"], I.NEW_MATERIALS: ["新材料", "化学化工"], I.BIO_MATERIALS: ["生物基材料", "新材料"],
    I.EQUIPMENT: ["机械与装备", "智能制造"], I.ELECTRONICS: ["信息技术", "智能制造"], I.AGRICULTURE: ["农业与农技推广", "畜牧兽医"],
    I.FOOD: ["食品科学", "农业与农技推广"], I.MEDICINE: ["中医药", "临床医学"], I.ENVIRONMENT: ["生态环境", "化学化工"],
    I.ENERGY: ["能源电力", "新材料"], I.TEXTILE: ["新材料", "经济管理"], I.OTHER: ["其他"],
}

TECH_TITLES = {
    I.PETROCHEMICAL: ["碳四馏分综合利用工艺", "加氢催化剂寿命提升", "装置能耗优化与余热回收", "废催化剂中贵金属回收", "精馏塔控制系统优化",
                      "高纯溶剂杂质脱除技术"],
    I.NEW_MATERIALS: ["聚碳酸酯耐候改性", "可降解塑料母粒配方优化", "顺酐下游高附加值产品开发", "电子级化学品提纯工艺", "高性能涂料树脂开发",
                      "PBAT 生产工艺稳定性提升"],
    I.BIO_MATERIALS: ["聚乳酸增韧改性技术", "秸秆纤维素高效糖化工艺", "生物基丁二酸发酵提取", "乳酸发酵菌种选育", "生物基纤维纺丝工艺",
                      "可降解餐具成型工艺"],
    I.EQUIPMENT: ["抽油机智能控制系统", "压裂泵关键部件寿命提升", "焊接机器人工作站集成", "设备远程运维平台", "数控加工精度提升"],
    I.ELECTRONICS: ["工业物联网数据采集网关", "生产执行系统（MES）建设", "机器视觉缺陷检测", "企业数据中台建设"],
    I.AGRICULTURE: ["设施蔬菜水肥一体化", "小麦高产节水栽培技术", "肉牛养殖粪污资源化利用", "食用菌工厂化栽培", "莲藕机械化采收"],
    I.FOOD: ["速冻食品保鲜工艺", "杂粮食品风味改良", "食品检测快检方法", "发酵食品菌种优化"],
    I.MEDICINE: ["中药材提取工艺优化", "原料药杂质控制", "医用敷料新产品开发"],
    I.ENVIRONMENT: ["高盐废水处理技术", "VOCs 治理方案", "危废减量与资源化", "污泥干化焚烧工艺"],
    I.ENERGY: ["分布式光伏运维优化", "生物质锅炉燃烧效率提升", "储能电池梯次利用"],
    I.TEXTILE: ["功能性面料开发", "服装智能排产系统"],
}
TALENT_TITLES = ["高级工艺工程师", "研发中心技术负责人", "自动化控制工程师", "质量管理工程师", "环保工程师", "食品研发工程师",
                 "数据分析工程师", "注册安全工程师"]

# (status, how many): 20 + 16 + 15 waiting or refused, 40 + 30 + 19 = 89 published.
STATUS_PLAN = [
    (TechDemand.Status.SOLVED, 19), (TechDemand.Status.MATCHED, 30), (TechDemand.Status.PUBLISHED, 40),
    (TechDemand.Status.REJECTED, 15), (TechDemand.Status.CHECKED, 16), (TechDemand.Status.COLLECTED, 20),
]
TOTAL = sum(n for _s, n in STATUS_PLAN)  # 140
ENTERPRISES = 98


def _enterprises(rng) -> list[tuple[str, str, str]]:
    out = list(NAMED_ENTERPRISES)
    names = {name for name, _i, _c in out}
    industries = [i for i, w in INDUSTRY_WEIGHTS for _ in range(w)]
    while len(out) < ENTERPRISES:
        industry = rng.choice(industries)
        place, county = rng.choice(PLACES)
        name = f"{place}{rng.choice(CORES)}{SUFFIX[industry]}"
        if name not in names:
            names.add(name)
            out.append((name, industry, county))
    return out


def _description(rng, kind, title, enterprise) -> str:
    if kind == TechDemand.Kind.TALENT:
        return (f"{enterprise}因生产规模扩大，急需引进{title}1至2名，要求相关专业本科及以上学历、5年以上行业经验，"
                f"能够独立负责项目实施。待遇面议，可提供住房补贴，也欢迎专家以兼职、顾问等柔性方式合作。")
    return (f"企业在“{title}”方面遇到技术瓶颈：{rng.choice(['现有工艺收率偏低', '产品质量稳定性不足', '能耗和成本偏高', '环保排放压力大'])}，"
            f"{rng.choice(['已开展小试但未能放大', '缺少专业研发团队', '希望与高校院所联合攻关', '需要成熟技术转让'])}。"
            f"期望通过合作在{rng.choice(['6个月', '1年', '2年'])}内实现{rng.choice(['工业化应用', '指标达到行业先进水平', '形成自主知识产权'])}。")


# Demands a demo unit collects itself (besides those of its county, ``collector_for``):
# (collecting unit, enterprise whose demands it follows).
COLLECTED_BY_UNIT = [("河南源博新材料有限公司科协", "河南源博新材料有限公司")]


def assign_collectors() -> None:
    """Every demo demand has its 征集单位: the 源博 科协 its enterprise's, the others their
    county's 科协 (else the city association), as a public demand gets it. Idempotent."""
    for unit_name, enterprise in COLLECTED_BY_UNIT:
        unit = Organization.objects.filter(name=unit_name).first()
        if unit is not None:
            TechDemand.objects.filter(enterprise_name=enterprise).exclude(collected_by=unit).update(collected_by=unit)
    for county_id in TechDemand.objects.filter(collected_by__isnull=True).values_list("county_id", flat=True).distinct():
        TechDemand.objects.filter(collected_by__isnull=True, county_id=county_id).update(collected_by_id=collector_for(county_id))


def load_demands(fields, stdout) -> None:
    if TechDemand.objects.exists():
        assign_collectors()
        stdout.write(f"  技术需求：已有 {TechDemand.objects.count()} 项，跳过")
        return
    rng = random.Random("talents-demo:demands")
    counties = {c.name: c for c in County.objects.all()}
    orgs = {o.name: o for o in Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)}
    enterprises = _enterprises(rng)
    # every enterprise posts at least one need; the named ones and a few others post more
    posters = list(enterprises) + [enterprises[i % 8] for i in range(16)] + rng.sample(enterprises[8:], TOTAL - ENTERPRISES - 16)
    rng.shuffle(posters)
    # Oldest first: most needs were handled long ago; those still waiting are among the newest.
    waiting = (TechDemand.Status.COLLECTED, TechDemand.Status.CHECKED)
    handled = [s for s, n in STATUS_PLAN for _ in range(n) if s not in waiting]
    pending = [s for s, n in STATUS_PLAN for _ in range(n) if s in waiting]
    rng.shuffle(handled)
    recent = handled[80:] + pending
    rng.shuffle(recent)
    statuses = handled[:80] + recent
    start = datetime.date(2018, 1, 8)
    span = (timezone.localdate() - start).days
    experts_by_field = {}
    for talent in Talent.objects.filter(in_expert_pool=True).select_related("field"):
        if talent.field:
            experts_by_field.setdefault(talent.field.name, []).append(talent)
    teams = list(ServiceTeam.objects.filter(is_active=True))
    for i, ((enterprise, industry, county), status) in enumerate(zip(posters, statuses, strict=True)):
        kind = TechDemand.Kind.TALENT if rng.random() < 0.22 else TechDemand.Kind.TECHNOLOGY
        title = rng.choice(TALENT_TITLES) if kind == TechDemand.Kind.TALENT else rng.choice(TECH_TITLES[industry])
        # the waiting ones are the newest; published ones older
        created_on = start + datetime.timedelta(days=int(span * (i + rng.random()) / TOTAL))
        created = timezone.make_aware(datetime.datetime.combine(created_on, datetime.time(9 + rng.randrange(8), rng.randrange(60))))
        published = created + datetime.timedelta(days=rng.randint(5, 20)) if status in TechDemand.PUBLIC_STATES else None
        demand = TechDemand.objects.create(
            kind=kind, industry=industry, title=(f"招聘{title}" if kind == TechDemand.Kind.TALENT else title),
            description=_description(rng, kind, title, enterprise),
            budget=Decimal(rng.choice([10, 20, 30, 50, 80, 100, 150, 200, 300])) if rng.random() < 0.7 else None,
            enterprise_name=enterprise, enterprise=orgs.get(enterprise), county=counties.get(county),
            contact_person=people.person_name(rng, "M" if rng.random() < 0.7 else "F"), contact_phone=people.mobile(rng),
            status=status, created=created, published_at=published, status_changed=published or created,
            solved_at=published + datetime.timedelta(days=rng.randint(30, 120)) if status == TechDemand.Status.SOLVED else None,
            review_note="需求描述不完整，企业未补充材料。" if status == TechDemand.Status.REJECTED else "",
        )
        field_names = FIELDS_OF[industry]
        demand.fields.set([fields[name] for name in field_names])
        if status in (TechDemand.Status.MATCHED, TechDemand.Status.SOLVED):
            candidates = [t for name in field_names for t in experts_by_field.get(name, [])]
            chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))
            for k, talent in enumerate(chosen):
                outcome = (Match.Outcome.SUCCEEDED if status == TechDemand.Status.SOLVED and k == 0
                           else rng.choice([Match.Outcome.PROPOSED, Match.Outcome.IN_CONTACT]))
                Match.objects.create(demand=demand, talent=talent, outcome=outcome, created=published + datetime.timedelta(days=3),
                                     note=f"[{(published + datetime.timedelta(days=3)).date()}] 推荐专家与企业技术负责人电话沟通，约定现场调研。")
            fitting = [t for t in teams if any(name[:2] in (t.field + t.name) for name in field_names)]
            if fitting and rng.random() < 0.4:
                Match.objects.create(demand=demand, team=rng.choice(fitting), outcome=Match.Outcome.IN_CONTACT,
                                     created=published + datetime.timedelta(days=5), note="服务队赴企业开展调研对接。")
    assign_collectors()
    published = TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).count()
    stdout.write(f"  技术需求：{TechDemand.objects.count()} 项，来自 {len(enterprises)} 家企业，发布 {published} 项")
