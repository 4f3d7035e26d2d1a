"""Demo and synthetic data of the core: the association, its organisations.

Names and dates come from the source documents (濮阳市科协's profile, its 13th five-year
review and the service corps report).
"""

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from . import extensions, scoping
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
    ("河南源博新材料有限公司科协", K.ENTERPRISE_ASSOCIATION, ASSOCIATION_NAME, "濮阳工业园区", None, "企业科协，联系企业的科技工作者。"),
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
        site.save()
    if not site.icp:
        # Placeholders so that the footer shows where the registrations go; marked as such.
        site.icp = "豫ICP备00000000号-1（演示）"
        site.police_record = "豫公网安备41090000000000号（演示）"
        site.site_code = "0000000000（演示）"
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
    city = by_name.get(ASSOCIATION_NAME)
    if city is not None and not city.seal:
        city.seal = ContentFile(demo_seal(ASSOCIATION_NAME), name="seal.png")
        city.certificate_handler, city.certificate_phone = "王晓红", "0393-8800110"
        city.save(update_fields=["seal", "certificate_handler", "certificate_phone"])
    stdout.write(f"  组织体系：{len(by_name)} 个单位，{len(counties)} 个县（区）")


def demo_seal(name: str) -> bytes:
    """A round red stamp with the unit's name along the rim and 演示专用 across it: what a
    certificate looks like with a seal, unmistakably not a real one."""
    import io
    import math
    import os

    from PIL import Image, ImageDraw, ImageFont

    from .pdf import CANDIDATES

    size, red = 400, (215, 25, 32, 235)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=14)
    star = [(size / 2 + r * math.cos(math.radians(-90 + 36 * k)), size / 2 + r * math.sin(math.radians(-90 + 36 * k)))
            for k, r in ((k, 66 if k % 2 == 0 else 26) for k in range(10))]
    draw.polygon(star, fill=red)
    path = next((p for _n, p, _i in CANDIDATES if os.path.exists(p)), None)
    font = ImageFont.truetype(path, 46) if path else ImageFont.load_default()
    small = ImageFont.truetype(path, 34) if path else font
    # The name on an arc over the top, from about 8 o'clock to 4 o'clock, upright towards the centre.
    span = 240
    for i, char in enumerate(name):
        angle = -90 - span / 2 + span * (i + 0.5) / len(name)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), char, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        radius = size / 2 - 62
        x = size / 2 + radius * math.cos(math.radians(angle)) - 30
        y = size / 2 + radius * math.sin(math.radians(angle)) - 30
        image.alpha_composite(glyph, (int(x), int(y)))
    draw.text((size / 2, size / 2 + 110), "演示专用", font=small, fill=red, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# Grassroots bodies as many as the 13th five-year review counts (农技协 652, 农村科普示范基地 366,
# 科普e站 263, 科普教育基地 2 national + 40 provincial and municipal), so the figures at a glance
# match the documents. The documents name only a few; the rest are named after the real
# townships of each county, with invented villages and specialities.
GRASSROOTS_TOTALS = {K.RURAL_TECHNICAL_ASSOCIATION: 652, K.RURAL_POPSCI_BASE: 366, K.E_STATION: 263,
                     K.POPSCI_BASE: 42}
TOWNSHIPS = {
    "华龙区": ["岳村镇", "孟轲乡", "胜利路街道", "人民路街道", "中原路街道", "黄河路街道", "任丘路街道", "长庆路街道"],
    "濮阳县": ["城关镇", "文留镇", "柳屯镇", "户部寨镇", "王称堌镇", "胡状镇", "梁庄镇", "庆祖镇", "八公桥镇", "徐镇镇",
             "子岸镇", "海通乡", "五星乡", "鲁河镇", "清河头乡", "白堽乡", "渠村乡", "习城乡", "郎中乡", "梨园乡"],
    "清丰县": ["城关镇", "韩村镇", "马庄桥镇", "瓦屋头镇", "仙庄镇", "柳格镇", "纸房镇", "高堡乡", "古城乡", "大流乡",
             "六塔乡", "阳邵乡", "双庙乡", "巩营乡", "大屯乡", "固城乡", "马村乡"],
    "南乐县": ["城关镇", "韩张镇", "元村镇", "福堪镇", "千口镇", "杨村乡", "谷金楼镇", "西邵乡", "寺庄乡", "近德固乡",
             "梁村乡", "张果屯镇"],
    "范县": ["城关镇", "濮城镇", "王楼镇", "龙王庄镇", "辛庄镇", "杨集乡", "陈庄镇", "高码头镇", "白衣阁乡", "颜村铺乡",
           "张庄乡", "陆集乡"],
    "台前县": ["城关镇", "侯庙镇", "孙口镇", "打渔陈镇", "夹河乡", "吴坝镇", "马楼镇", "清水河乡", "后方乡"],
}
SPECIALITIES = ["蔬菜种植", "食用菌", "畜牧养殖", "生猪养殖", "肉牛养殖", "家禽养殖", "果树种植", "葡萄种植", "莲藕种植",
                "小麦良种", "花生种植", "中药材种植", "水产养殖", "西瓜种植", "芦笋种植", "苗木花卉", "养蜂", "农机服务",
                "植保", "红薯种植"]
VILLAGE_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶阎"
VILLAGE_SUFFIXES = ["庄", "屯", "集", "寨", "店", "楼", "营", "堤", "固", "口", "庙", "湾"]
BASE_TOPICS = ["气象", "农业科技", "生态湿地", "地质", "消防安全", "防震减灾", "中医药文化", "青少年科技", "水利", "林业",
               "食品安全", "黄河文化", "石油科技", "化工安全", "禁毒", "交通安全", "环保", "天文"]


def _grassroots_rows(counties: dict, parents: dict, existing: set[str]) -> list[Organization]:
    rng = random.Random("grassroots-demo")
    current = dict(Organization.objects.filter(kind__in=GRASSROOTS_TOTALS).values_list("kind").annotate(
        n=models.Count("id")).order_by())
    places = [(county, town) for county, towns in TOWNSHIPS.items() for town in towns]
    rows, names = [], set(existing)

    def add(kind, county, name):
        if name in names:
            return False
        names.add(name)
        rows.append(Organization(name=name, kind=kind, county=counties[county], parent=parents.get(county),
                                 order=1000 + len(rows)))
        return True

    def village():
        return rng.choice(VILLAGE_SURNAMES) + rng.choice(VILLAGE_SUFFIXES)

    makers = {
        K.RURAL_TECHNICAL_ASSOCIATION: lambda c, t: f"{c}{t}{rng.choice(SPECIALITIES)}农技协",
        K.RURAL_POPSCI_BASE: lambda c, t: f"{c}{t}{village()}村{rng.choice(SPECIALITIES)}科普示范基地",
        # A street (街道) has communities, a township villages.
        K.E_STATION: lambda c, t: f"{c}{t}{village()}{'社区' if t.endswith('街道') else '村'}科普e站",
        K.POPSCI_BASE: lambda c, t: f"{c}{rng.choice(BASE_TOPICS)}科普教育基地",
    }
    rural_places = [(c, t) for c, t in places if not t.endswith("街道")]
    for kind, total in GRASSROOTS_TOTALS.items():
        missing, tries = total - current.get(kind, 0), 0
        while missing > 0 and tries < total * 20:
            county, town = rng.choice(places if kind == K.E_STATION else rural_places)
            missing -= add(kind, county, makers[kind](county, town))
            tries += 1
    return rows


@extensions.demo_loader(order=12)
def load_grassroots(stdout):
    counties = {c.name: c for c in County.objects.all()}
    if not counties:
        return
    parents = {c: Organization.objects.filter(kind=K.COUNTY_ASSOCIATION, county__name=c).first() for c in TOWNSHIPS}
    existing = set(Organization.objects.filter(kind__in=GRASSROOTS_TOTALS).values_list("name", flat=True))
    rows = _grassroots_rows(counties, parents, existing)
    Organization.objects.bulk_create(rows, batch_size=500)
    scoping.tree_changed()
    counts = dict(Organization.objects.filter(kind__in=GRASSROOTS_TOTALS).values_list("kind").annotate(
        n=models.Count("id")).order_by())
    stdout.write("  基层组织：" + "，".join(f"{K(k).label} {counts.get(k, 0)} 个" for k in GRASSROOTS_TOTALS))


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
    # Spread across the tree: a 学会 under the city association, every other unit under its
    # county's 科协 (the city association where the county has none).
    city = Organization.objects.filter(name=ASSOCIATION_NAME).first()
    county_units = dict(Organization.objects.filter(kind=K.COUNTY_ASSOCIATION).values_list("county_id", "id"))
    batch = []
    for i in range(existing, wanted):
        kind = kinds[i % len(kinds)]
        batch.append(
            Organization(
                name=f"合成{synthetic_name(rng, 3)}{Organization.Kind(kind).label}{i:05d}",
                kind=kind,
                county=(county := rng.choice(counties)),
                parent_id=(None if city is None else city.pk) if kind == K.SOCIETY
                else county_units.get(county.pk, None if city is None else city.pk),
                founded=date(2000 + rng.randrange(22), rng.randrange(1, 13), rng.randrange(1, 28)),
                order=i,
            )
        )
    Organization.objects.bulk_create(batch, batch_size=2000)
    scoping.tree_changed()
    stdout.write(f"  组织体系：合成单位 {wanted} 个")
