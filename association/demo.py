"""Demo and synthetic data of the core: the association, its organisations.

Names and dates come from the source documents (濮阳市科协's profile, its 13th five-year
review and the service corps report).
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from . import extensions
from .models import County, Organization, SiteSettings

COUNTIES = ["市直", "华龙区", "濮阳县", "清丰县", "南乐县", "范县", "台前县", "濮阳经济技术开发区", "濮阳工业园区", "濮阳城乡一体化示范区"]

K = Organization.Kind
ASSOCIATION_NAME = "濮阳市科学技术协会"

# (name, kind, parent name or None, county, founded, description)
ORGANIZATIONS = [
    (ASSOCIATION_NAME, K.ASSOCIATION, None, "市直", None,
     "濮阳市科协是全市科技工作者的群众组织，是市委领导下的人民团体，是市委市政府联系广大科技工作者的桥梁和纽带。"),
    ("办公室", K.DEPARTMENT, ASSOCIATION_NAME, "市直", None, "负责机关日常运转、新闻宣传、组织建设与综合协调。"),
    ("学会学术部", K.DEPARTMENT, ASSOCIATION_NAME, "市直", None, "负责学会管理、学术交流、人才举荐与表彰、科技成果转化服务。"),
    ("科学技术普及部", K.DEPARTMENT, ASSOCIATION_NAME, "市直", None, "负责全民科学素质工作、科普活动、科普志愿服务与基层科普阵地建设。"),
    ("濮阳市青少年科技中心", K.INSTITUTION, ASSOCIATION_NAME, "市直", None, "组织青少年科技创新大赛、机器人竞赛、高校科学营等活动。"),
    ("濮阳市反邪教协会办公室", K.INSTITUTION, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市科学技术普及中心", K.INSTITUTION, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市科技咨询服务中心", K.INSTITUTION, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市科技成果转化服务中心", K.INSTITUTION, ASSOCIATION_NAME, "市直", None,
     "面向全市共征集98家企业相关技术及人才需求140余项，发布89项有效技术需求。"),
    ("华龙区科协", K.COUNTY_ASSOCIATION, ASSOCIATION_NAME, "华龙区", None, ""),
    ("濮阳县科协", K.COUNTY_ASSOCIATION, ASSOCIATION_NAME, "濮阳县", None, ""),
    ("清丰县科协", K.COUNTY_ASSOCIATION, ASSOCIATION_NAME, "清丰县", None, ""),
    ("南乐县科协", K.COUNTY_ASSOCIATION, ASSOCIATION_NAME, "南乐县", None, ""),
    ("范县科协", K.COUNTY_ASSOCIATION, ASSOCIATION_NAME, "范县", None, ""),
    ("台前县科协", K.COUNTY_ASSOCIATION, ASSOCIATION_NAME, "台前县", None, ""),
    ("濮阳经济技术开发区科协", K.PARK_ASSOCIATION, ASSOCIATION_NAME, "濮阳经济技术开发区", None, ""),
    ("南乐县生物基材料产业园区科协", K.PARK_ASSOCIATION, "南乐县科协", "南乐县", None, ""),
    ("濮阳职业技术学院科协", K.UNIVERSITY_ASSOCIATION, ASSOCIATION_NAME, "华龙区", None, "能源与化学工程系等院系的科技工作者之家。"),
    ("濮阳市老科学技术工作者协会", K.OTHER, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市科技社团党委", K.OTHER, ASSOCIATION_NAME, "市直", None, "报请市委组织部批准设立，推动所属学会建立党支部。"),
    ("濮阳市化工学会", K.SOCIETY, ASSOCIATION_NAME, "市直", None, "秘书长张付杰。"),
    ("濮阳市生物基材料协会", K.SOCIETY, ASSOCIATION_NAME, "南乐县", None, "秘书长吴敏。"),
    ("濮阳市农学会", K.SOCIETY, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市医学会", K.SOCIETY, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市汽车工程学会", K.SOCIETY, ASSOCIATION_NAME, "市直", None, ""),
    ("濮阳市气象科技馆", K.POPSCI_BASE, None, "华龙区", None, "全国科普教育基地。"),
    ("范县黄河藕业科普教育基地", K.POPSCI_BASE, None, "范县", None, "省级科普教育基地。"),
    ("南乐县道德金食品安全教育基地", K.POPSCI_BASE, None, "南乐县", None, "市级食品安全科普基地。"),
    ("濮阳市科普主题公园", K.POPSCI_BASE, None, "濮阳城乡一体化示范区", None, "投资50万元在示范区高标准建设。"),
    ("台前县打渔陈镇梁集村科普e站", K.E_STATION, "台前县科协", "台前县", None, "结对帮扶村，建有村民文化广场。"),
    ("南乐县城关镇科普e站", K.E_STATION, "南乐县科协", "南乐县", None, ""),
    ("清丰县韩村镇科普e站", K.E_STATION, "清丰县科协", "清丰县", None, ""),
    ("濮阳县蔬菜种植农技协", K.RURAL_TECHNICAL_ASSOCIATION, "濮阳县科协", "濮阳县", None, ""),
    ("范县莲藕种植农技协", K.RURAL_TECHNICAL_ASSOCIATION, "范县科协", "范县", None, ""),
    ("清丰县食用菌农技协", K.RURAL_TECHNICAL_ASSOCIATION, "清丰县科协", "清丰县", None, ""),
    ("南乐县农村电商科普示范基地", K.RURAL_POPSCI_BASE, "南乐县科协", "南乐县", None, "农村电商技能人才培训基地。"),
    ("华龙区胜利路街道社区科普馆", K.COMMUNITY_HALL, "华龙区科协", "华龙区", None, ""),
    ("濮阳市化工研究所", K.OTHER, None, "华龙区", None, "所长孟庆臻，化工新材料服务队队长。"),
    ("濮阳市环境监测站", K.OTHER, None, "华龙区", None, ""),
    ("濮阳职业技术学院", K.OTHER, None, "华龙区", None, ""),
    ("河南源博新材料有限公司", K.ENTERPRISE, None, "濮阳工业园区", None, ""),
    ("濮阳迈奇化学有限公司", K.ENTERPRISE, None, "濮阳经济技术开发区", None, ""),
    ("青源天仁生物技术有限公司", K.ENTERPRISE, None, "南乐县", None, ""),
    ("龙都天仁生物材料有限公司", K.ENTERPRISE, None, "南乐县", None, ""),
    ("星汉生物科技有限公司", K.ENTERPRISE, None, "南乐县", None, ""),
    ("宝格润生物科技有限公司", K.ENTERPRISE, None, "南乐县", None, ""),
    ("曦江生物科技有限公司", K.ENTERPRISE, None, "南乐县", None, ""),
    ("华乐科技有限公司", K.ENTERPRISE, None, "南乐县", None, ""),
]


RECENT_WINDOW = 100  # days: the "recent" demo activity of every app lies within it


def recent_day(days_ago: int, today: date | None = None) -> date:
    """A day ``days_ago`` before today, kept inside this year so that the figures of the
    year (hours served, events held, news published) show recent work; early in January
    the offsets shrink in proportion and keep their order."""
    today = today or timezone.localdate()
    days_ago = min(days_ago, RECENT_WINDOW)
    elapsed = (today - date(today.year, 1, 1)).days
    if elapsed < RECENT_WINDOW:
        days_ago = elapsed * days_ago // RECENT_WINDOW
    return today - timedelta(days=days_ago)


@extensions.demo_loader(order=10)
def load_core(stdout):
    site = SiteSettings.load()
    if not site.address:
        site.name = ASSOCIATION_NAME
        site.short_name = "濮阳市科协"
        site.hotline = "8800110"
        site.address = "河南省濮阳市华龙区"
        site.icp = ""
        site.save()
    counties = {}
    for order, name in enumerate(COUNTIES):
        counties[name], _created = County.objects.update_or_create(name=name, defaults={"order": order})
    by_name = {}
    for order, (name, kind, parent, county, founded, description) in enumerate(ORGANIZATIONS):
        by_name[name], _created = Organization.objects.update_or_create(
            name=name,
            kind=kind,
            defaults={
                "parent": by_name.get(parent),
                "county": counties[county],
                "founded": founded,
                "description": description,
                "order": order,
            },
        )
    stdout.write(f"  组织体系：{len(by_name)} 个单位，{len(counties)} 个县（区）")


SIZES = {"small": 200, "medium": 1000, "large": 5000}
SYLLABLES = "华龙濮阳清丰南乐范台前城关文留胡状柳屯户部寨王助古城子岸白衣阁渠村马庄桥"


def synthetic_name(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


@extensions.data_generator(order=10)
def generate_organizations(scale, stdout):
    rng = random.Random(f"organizations:{scale}")
    load_core(stdout)
    counties = list(County.objects.all())
    kinds = [K.TOWNSHIP_ASSOCIATION, K.ENTERPRISE_ASSOCIATION, K.SOCIETY, K.RURAL_TECHNICAL_ASSOCIATION,
             K.E_STATION, K.RURAL_POPSCI_BASE, K.COMMUNITY_HALL, K.ENTERPRISE]
    wanted = SIZES[scale]
    existing = Organization.objects.filter(name__startswith="合成").count()
    batch = []
    for i in range(existing, wanted):
        kind = kinds[i % len(kinds)]
        batch.append(
            Organization(
                name=f"合成{synthetic_name(rng, 3)}{Organization.Kind(kind).label}{i:05d}",
                kind=kind,
                county=rng.choice(counties),
                founded=date(2000 + rng.randrange(22), rng.randrange(1, 13), rng.randrange(1, 28)),
                order=i,
            )
        )
    Organization.objects.bulk_create(batch, batch_size=2000)
    stdout.write(f"  组织体系：合成单位 {wanted} 个")
