"""Demo data from the source documents (shared/seeds): 濮阳's 71-expert corps with its three
teams and work groups, and a 济宁-style corps of 17 科普 teams with published projects and
completed orders.

Each demo unit account's unit keeps its own volunteers (属地管理, ``services.units``), some
of them waiting for its review: 华龙区科协 its own corps and community team, 濮阳市化工学会
the 化工新材料服务队, and the 源博 enterprise 科协 and the 濮阳县 vegetable growers' 农技协 the
volunteers they entered themselves. The city association keeps the rest.

Named people are those the documents name in the role they give them (团长 何建中, 队长
孟庆臻, and two members who spoke at the 化工新材料 meeting); everyone else is invented.
Every ID number and mobile here is synthetic: region code 419900 (no such prefecture) and
mobiles 1990xxxxxxx, so no real person's data is in the demo.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import environ
from django.contrib.auth import get_user_model
from django.utils import timezone

from association import extensions
from association.choices import TitleLevel
from association.demo import recent_day
from association.models import County, Organization

from .idcard import synthetic_identity, synthetic_mobile
from .models import Membership, ServiceOrder, ServiceProject, ServiceRecord, ServiceTeam, Volunteer
from .models.people import id_number_hash
from .services import orders as order_services
from .services import records as record_services
from .services.units import UnitRule

K = ServiceTeam.Kind
R = Membership.Role
P = Volunteer.PoliticalStatus
L = TitleLevel
DEMO_SERIAL = 900000  # synthetic identities of demo people start here (generate_data uses 0…)

CORPS = "濮阳市党外专家“科创中国”志愿服务团"
CORPS_DESCRIPTION = (
    "2020年12月28日由市委统战部、市科协联合成立，由71名党外专家组成，划分化工新材料、生物基材料和乡村振兴3个服务队，"
    "通过开展技术服务、技术咨询、科技成果转化等工作，打造“科创中国”濮阳工作品牌。服务团成员承担“联络员”“帮扶员”“宣传员”职能。"
)
CHEM = "化工新材料服务队"
BIO = "生物基材料服务队"
RURAL = "乡村振兴服务队"
CHEM_GROUPS = ["石油化工组", "精细化工组", "高分子材料组", "节能环保组", "安全生产组", "分析检测组"]
RURAL_GROUPS = ["农林组", "畜牧组", "食品组", "其他组"]
# The document's counts: 12 民革, 13 民盟, 7 民建, 17 民进, 4 农工党, 10 九三学社, 3 无党派, 5 新阶层.
POLITICAL_COUNTS = [(P.RCCK, 12), (P.CDL, 13), (P.CNDCA, 7), (P.CAPD, 17), (P.CPWDP, 4), (P.JIUSAN, 10),
                    (P.NON_PARTY, 3), (P.NEW_STRATUM, 5)]

POPSCI_CORPS = "濮阳市新时代文明实践科普志愿服务队"
POPSCI_TEAMS = [
    ("青少年科普服务队", "青少年科技教育"), ("农业科普服务队", "农业技术推广"), ("医学科普服务队", "健康医学"),
    ("教育科普服务队", "科学教育"), ("气象科普服务队", "气象防灾减灾"), ("应急安全科普服务队", "应急避险"),
    ("生态环境科普服务队", "生态环境"), ("食品安全科普服务队", "食品安全"), ("心理健康科普服务队", "心理健康"),
    ("信息技术科普服务队", "信息技术"), ("能源化工科普服务队", "能源资源"), ("反邪教科普宣传服务队", "反邪教宣传"),
    ("科普文艺服务队", "科普文艺"), ("老科技工作者科普服务队", "综合"), ("农村电商科普服务队", "农村电商"),
    ("渔业科普服务队", "渔业养殖"), ("果蔬园艺科普服务队", "果树蔬菜"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
# Given-name characters by the gender the (synthetic) ID number gives, so that no 刘刚 is 女.
GIVEN = {"M": "建国志强晓明立新永刚振华卫东光辉雪松国庆世杰宏伟思远浩然", "F": "海燕红梅春雨秋菊玉兰丽娟桂芳子涵晨曦嘉怡文慧"}
# The people the documents name, with the gender their names and roles tell.
NAMED_GENDERS = {"何建中": "M", "孟庆臻": "M", "李双妹": "F", "郑瑞谦": "M"}
NAMED_SERIAL = DEMO_SERIAL + 90000  # identities for named people whose place in the sequence has the other gender

TITLES = {
    CHEM: [("教授级高级工程师", L.SENIOR), ("高级工程师", L.ASSOCIATE), ("工程师", L.INTERMEDIATE), ("副教授", L.ASSOCIATE)],
    BIO: [("研究员", L.SENIOR), ("高级工程师", L.ASSOCIATE), ("工程师", L.INTERMEDIATE)],
    RURAL: [("推广研究员", L.SENIOR), ("高级农艺师", L.ASSOCIATE), ("高级畜牧师", L.ASSOCIATE), ("农艺师", L.INTERMEDIATE),
            ("主任医师", L.SENIOR)],
    "popsci": [("高级教师", L.ASSOCIATE), ("主治医师", L.INTERMEDIATE), ("工程师", L.INTERMEDIATE), ("科普辅导员", L.JUNIOR)],
}
EMPLOYERS = {
    CHEM: ["濮阳市化工研究所", "濮阳职业技术学院", "濮阳市环境监测站", "濮阳经济技术开发区管委会"],
    BIO: ["南乐县生物基材料产业园区", "濮阳市生物基材料协会", "濮阳职业技术学院"],
    RURAL: ["濮阳市农业科学院", "濮阳县农业农村局", "清丰县畜牧局", "范县农业技术推广中心", "濮阳市油田总医院"],
    "popsci": ["濮阳市青少年科技中心", "濮阳市科学技术普及中心", "濮阳市气象科技馆", "濮阳市人民医院", "华龙区实验小学"],
}
FIELDS = {CHEM: ["化工", "新材料", "环境保护"], BIO: ["生物基材料", "生物化工"], RURAL: ["农业", "畜牧", "食品", "林业"],
          "popsci": ["科普", "医学", "教育", "农业"]}

PROJECTS = [
    ("健康义诊进社区", "医学科普服务队", "社区居民",
     "组织主任医师、主治医师走进社区开展健康义诊、慢病防治咨询和急救知识讲座。", "半天，义诊加讲座", 200),
    ("青少年科学实验课进校园", "青少年科普服务队", "中小学生",
     "科技辅导员带着实验器材走进课堂，开展趣味科学实验与科技创新启蒙。", "2课时", 60),
    ("乡村振兴科普惠农技术培训", "农业科普服务队", "种养殖户、农村电商从业者",
     "围绕农业农村和农民，开展电商、蔬菜、渔业、果树等专题培训和田间指导。", "1天，课堂加田间", 100),
    ("科普大篷车进校园", "教育科普服务队", "中小学师生",
     "科普大篷车开进校园，宣传能源资源、生态环境、安全健康等科普知识，现场发放《身边的科学》《应急避险科普知识》等科普读物。",
     "半天", 500),
    ("反邪教科普文艺汇演", "反邪教科普宣传服务队", "村（社区）群众",
     "以文艺演出的形式开展反邪教宣传，引导和提醒群众提高防范意识。", "约2小时", 300),
    ("化工企业技术咨询与安全诊断", CHEM, "化工、新材料企业技术人员",
     "服务队专家深入企业一线，开展技术咨询、工艺诊断和安全生产隐患排查，征集技术与人才需求。", "1天", 30),
]
# 华龙区科协's own corps and team (the last project above it is theirs).
HUALONG = "华龙区科协"
HUALONG_CORPS = "华龙区科技志愿服务团"
HUALONG_TEAM = "华龙区社区科普服务队"
PROJECTS.append(("社区科普大讲堂", HUALONG_TEAM, "社区居民、老年人",
                 "华龙区科协组织社区科普服务队走进小区，讲解防范电信诈骗、合理用药、家庭急救等贴近生活的科学知识。",
                 "约2小时，讲座加互动问答", 120))
SOCIETY = "濮阳市化工学会"
# Units that enter their volunteers themselves (name, county, employer, approved, pending).
ENTERING_UNITS = [
    ("河南源博新材料有限公司科协", "濮阳工业园区", "河南源博新材料有限公司", 3, 1),
    ("濮阳县蔬菜种植农技协", "濮阳县", "濮阳县蔬菜种植农技协", 3, 1),
]

# (project, orderer kind, orderer, county, date, rating or None)
COMPLETED_ORDERS = [
    ("健康义诊进社区", "community", "华龙区胜利路街道建设路社区", "华龙区", date(2021, 3, 5), 5),
    ("青少年科学实验课进校园", "school", "清丰县韩村镇中心小学", "清丰县", date(2021, 5, 23), 5),
    ("乡村振兴科普惠农技术培训", "village", "台前县打渔陈镇梁集村", "台前县", date(2021, 6, 17), 4),
    ("科普大篷车进校园", "school", "南乐县城关镇第一初级中学", "南乐县", date(2021, 9, 18), 5),
    ("反邪教科普文艺汇演", "village", "范县陈庄镇韩庄村", "范县", date(2021, 10, 12), 4),
    ("乡村振兴科普惠农技术培训", "village", "范县莲藕种植农技协", "范县", date(2022, 4, 8), 5),
    # This year's (a number: days ago), so the year's hours and ratings show recent work.
    ("化工企业技术咨询与安全诊断", "enterprise", "河南源博新材料有限公司", "濮阳工业园区", 64, 5),
    ("健康义诊进社区", "community", "濮阳县城关镇东关社区", "濮阳县", 33, 4),
    ("化工企业技术咨询与安全诊断", "enterprise", "濮阳迈奇化学有限公司", "濮阳经济技术开发区", 9, None),
    ("社区科普大讲堂", "community", "华龙区中原路街道绿城社区", "华龙区", 26, 5),
]
OPEN_ORDERS = [  # (project, kind, orderer, county, status, team dispatched to when not the project's)
    ("科普大篷车进校园", "school", "华龙区实验小学", "华龙区", ServiceOrder.Status.SUBMITTED, None),
    ("乡村振兴科普惠农技术培训", "village", "清丰县韩村镇科普e站", "清丰县", ServiceOrder.Status.DISPATCHED, RURAL),
    ("健康义诊进社区", "community", "南乐县城关镇西街社区", "南乐县", ServiceOrder.Status.ACCEPTED, None),
    # Waiting for 华龙区科协 and 濮阳市化工学会 to take on.
    ("社区科普大讲堂", "community", "华龙区黄河路街道昆吾社区", "华龙区", ServiceOrder.Status.DISPATCHED, None),
    ("化工企业技术咨询与安全诊断", "other", "濮阳经济技术开发区管委会", "濮阳经济技术开发区", ServiceOrder.Status.DISPATCHED,
     None),
]
# Activities of the corps in the document, recorded as hours by title (no event app here).
ACTIVITIES = [
    (RURAL, date(2021, 1, 20), Decimal("3"), "乡村振兴服务队集中交流学习（濮阳迎宾馆）"),
    (BIO, date(2021, 1, 22), Decimal("6"), "赴南乐县生物基材料产业园区调研青源天仁、龙都天仁等6家企业"),
    (CHEM, date(2021, 1, 27), Decimal("3"), "化工新材料服务队研讨会（市化工研究所）"),
    # This year's (days ago).
    (RURAL, 82, Decimal("4"), "乡村振兴服务队赴清丰县开展设施蔬菜种植技术指导"),
    (BIO, 47, Decimal("6"), "生物基材料服务队走访南乐县生物基材料产业园区企业，对接技术需求"),
    (CHEM, 18, Decimal("4"), "化工新材料服务队赴濮阳工业园区开展安全生产技术咨询"),
]


def _aware(d: date, hour: int = 9):
    return timezone.make_aware(datetime.combine(d, time(hour)))


class _People:
    """Deterministic invented people: names, identities, titles."""

    def __init__(self):
        self.rng = random.Random("volunteers-demo")
        self.serial = DEMO_SERIAL
        self.counties = list(County.objects.all())
        self.used_names = set()
        self.rules = {}

    def unit_for(self, teams, county, within=None) -> int | None:
        """The managing unit by the one rule (``services.units``), read once per registering unit."""
        if within not in self.rules:
            self.rules[within] = UnitRule(within=within)
        return self.rules[within].unit_for(teams=teams, county_id=county.pk if county else None)

    def name(self, gender: str) -> str:
        while True:
            n = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN[gender], self.rng.choice([1, 2])))
            if n not in self.used_names:
                self.used_names.add(n)
                return n

    def volunteer(self, *, kind: str, name: str | None = None, political: str = "", employer: str = "",
                  field: str = "", status=Volunteer.Status.APPROVED, registered: date = date(2021, 1, 5),
                  teams=(), county: str | None = None, entered_by: Organization | None = None) -> Volunteer:
        """One demo volunteer; ``teams``: those they join or wish to join (for their managing
        unit), ``entered_by``: the unit that entered them itself."""
        serial = self.serial
        self.serial += 1
        wanted = NAMED_GENDERS.get(name)
        if wanted and synthetic_identity(serial)[2] != wanted:
            serial = NAMED_SERIAL + 2 * list(NAMED_GENDERS).index(name) + (0 if wanted == "M" else 1)
        id_number, birth, gender = synthetic_identity(serial)
        mobile = synthetic_mobile(serial)
        title, level = self.rng.choice(TITLES[kind])
        defaults = {
            "name": name or self.name(gender), "gender": gender, "id_number": id_number, "mobile": mobile, "birth_date": birth,
            "political_status": political or self.rng.choice([P.CPC, P.MASSES, P.CPC]),
            "education": self.rng.choice(["doctorate", "master", "bachelor", "bachelor"]), "title": title,
            "title_level": level, "field": field or self.rng.choice(FIELDS[kind]),
            "employer": employer or self.rng.choice(EMPLOYERS[kind]),
            "county": self.rng.choice(self.counties) if self.counties else None,
            "email": f"demo{self.serial}@example.org", "status": status,
            "consent_version": "2025-01", "consent_at": _aware(registered),
            "reviewed_at": _aware(registered + timedelta(days=3)) if status != Volunteer.Status.PENDING else None,
        }
        if county is not None:
            defaults["county"] = next((c for c in self.counties if c.name == county), defaults["county"])
        defaults["unit_id"] = self.unit_for(teams, defaults["county"], entered_by.pk if entered_by else None)
        existing = Volunteer.objects.filter(id_number_hash=id_number_hash(id_number)).first()
        if existing is None and name:  # a named person loaded before under another identity
            existing = Volunteer.objects.filter(name=name).first()
        if existing:
            if existing.unit_id != defaults["unit_id"]:  # a demo loaded before its teams had units
                Volunteer.objects.filter(pk=existing.pk).update(unit_id=defaults["unit_id"])
                existing.unit_id = defaults["unit_id"]
            return existing
        v = Volunteer(**defaults)
        v.save()
        Volunteer.objects.filter(pk=v.pk).update(created=defaults["consent_at"])  # registered when they consented
        return v


def _team(name, kind, parent=None, **extra):
    team, _created = ServiceTeam.objects.update_or_create(name=name, parent=parent, defaults={"kind": kind, **extra})
    return team


def _member(volunteer, team, role, joined=date(2020, 12, 28)):
    Membership.objects.update_or_create(volunteer=volunteer, team=team, defaults={"role": role, "joined": joined})


@extensions.demo_loader(order=30)
def load(stdout):
    people = _People()
    association = Organization.objects.filter(name="濮阳市科学技术协会").first()
    # The 化工新材料服务队 is kept by the 化工学会 (its 队长 heads the 化工研究所, one of its members).
    society = Organization.objects.filter(name=SOCIETY).first() or association
    corps = _team(CORPS, K.CORPS, founded=date(2020, 12, 28), organization=association, field="科技经济融合",
                  description=CORPS_DESCRIPTION, order=1)
    chem = _team(CHEM, K.TEAM, corps, field="化工新材料", order=1, founded=date(2020, 12, 28), organization=society,
                 description="2021年1月27日在市化工研究所召开研讨会，根据队员专业、特长和工作性质将全队分为6个工作组。")
    bio = _team(BIO, K.TEAM, corps, field="生物基材料", order=2, founded=date(2020, 12, 28), organization=association,
                description="2021年1月22日赴南乐县生物基材料产业园区调研6家企业，建立联系并征集技术和人才需求。")
    rural = _team(RURAL, K.TEAM, corps, field="乡村振兴", order=3, founded=date(2020, 12, 28), organization=association,
                  description="2021年1月20日集中交流学习，结合专家专业划分为农林组、畜牧组、食品组和其他组。")
    chem_groups = [_team(n, K.GROUP, chem, field="化工新材料", order=i, organization=society)
                   for i, n in enumerate(CHEM_GROUPS)]
    rural_groups = [_team(n, K.GROUP, rural, field=n.removesuffix("组"), order=i, organization=association)
                    for i, n in enumerate(RURAL_GROUPS)]

    political = [p for p, n in POLITICAL_COUNTS for _ in range(n)]
    political.remove(P.CAPD)  # 何建中 is 民进濮阳市委主委
    people.rng.shuffle(political)
    role_cycle = [R.LIAISON, R.HELPER, R.PUBLICIST, R.MEMBER]

    leader = people.volunteer(kind=RURAL, name="何建中", political=P.CAPD, employer="濮阳市政协", field="综合", teams=[corps])
    _member(leader, corps, R.CORPS_LEADER)
    # 化工新材料: 队长 孟庆臻 + 23 members in 6 groups (组长 first in each).
    meng = people.volunteer(kind=CHEM, name="孟庆臻", political=political.pop(), employer="濮阳市化工研究所", field="化工",
                            teams=[chem])
    _member(meng, chem, R.TEAM_LEADER)
    named = [("李双妹", "濮阳职业技术学院", "化工"), ("郑瑞谦", "濮阳市环境监测站", "环境保护")]
    for i in range(23):
        name, employer, field = named[i] if i < len(named) else (None, "", "")
        group = chem_groups[i % 6]
        v = people.volunteer(kind=CHEM, name=name, political=political.pop(), employer=employer, field=field,
                             teams=[group])
        _member(v, group, R.GROUP_LEADER if i < 6 else role_cycle[i % 4])
    # 生物基材料: 队长 + 19, no groups.
    for i in range(20):
        v = people.volunteer(kind=BIO, political=political.pop(), teams=[bio])
        _member(v, bio, R.TEAM_LEADER if i == 0 else role_cycle[i % 4])
    # 乡村振兴: 队长 (the demo volunteer account) + 25 in 4 groups.
    rural_leader = people.volunteer(kind=RURAL, political=political.pop(), field="农业", teams=[rural])
    _member(rural_leader, rural, R.TEAM_LEADER)
    for i in range(25):
        v = people.volunteer(kind=RURAL, political=political.pop(), teams=[rural_groups[i % 4]])
        _member(v, rural_groups[i % 4], R.GROUP_LEADER if i < 4 else role_cycle[i % 4])
    assert not political, "the corps has 71 members"
    _demo_account(rural_leader)

    popsci = _team(POPSCI_CORPS, K.CORPS, founded=date(2019, 6, 1), organization=association, field="科学普及", order=2,
                   description="整合科技社团资源成立的新时代文明实践科普志愿服务队，下设青少年、农业、医学、教育等17支专业科普服务队。")
    popsci_teams = {}
    for i, (name, field) in enumerate(POPSCI_TEAMS):
        team = _team(name, K.TEAM, popsci, field=field, order=i, founded=date(2019, 6, 1), organization=association)
        popsci_teams[name] = team
        for j in range(5):
            v = people.volunteer(kind="popsci", field=field, teams=[team])
            _member(v, team, R.TEAM_LEADER if j == 0 else role_cycle[j % 4], joined=date(2019, 6, 1))
    for i in range(3):  # registered in the last weeks, waiting for 科普部 to review them
        people.volunteer(kind="popsci", status=Volunteer.Status.PENDING, registered=recent_day(3 + 6 * i))
    hualong_team = _unit_volunteers(people, chem)

    teams = {**popsci_teams, CHEM: chem, BIO: bio, RURAL: rural, HUALONG_TEAM: hualong_team}
    projects = {}
    for i, (title, team_name, audience, description, duration, capacity) in enumerate(PROJECTS):
        projects[title], _created = ServiceProject.objects.update_or_create(
            title=title, defaults={
                "team": teams[team_name], "audience": audience, "description": description, "summary": description[:60],
                "duration": duration, "capacity": capacity, "status": ServiceProject.Status.PUBLISHED, "order": i,
                "published_at": _aware(date(2021, 2, 1)),
            })
    _orders(projects, teams, people)
    _activities(teams)
    stdout.write(
        f"  志愿服务：{ServiceTeam.objects.count()} 支队伍，{Volunteer.objects.count()} 名志愿者，"
        f"{ServiceProject.objects.published().count()} 个服务项目，{ServiceOrder.objects.count()} 张点单"
    )


def _unit_volunteers(people: _People, chem: ServiceTeam) -> ServiceTeam:
    """The demo units' own volunteers, some waiting for the unit's review (after everyone
    else, so the earlier people keep their identities); returns 华龙区科协's team."""
    hualong = Organization.objects.filter(name=HUALONG).first()
    corps = _team(HUALONG_CORPS, K.CORPS, founded=date(2022, 3, 5), organization=hualong, field="社区科普", order=3,
                  description="华龙区科协组织辖区科技工作者、教师和医务人员组成的科技志愿服务团，常年开展社区科普。")
    team = _team(HUALONG_TEAM, K.TEAM, corps, field="社区科普", order=1, founded=date(2022, 3, 5), organization=hualong,
                 description="走进华龙区各街道社区开展科普讲座、健康咨询和防灾减灾宣传。")
    joined = date(2022, 3, 5)
    for j in range(6):
        v = people.volunteer(kind="popsci", county="华龙区", teams=[team], employer="华龙区实验小学" if j % 2 else "",
                             registered=joined)
        _member(v, team, R.TEAM_LEADER if j == 0 else [R.LIAISON, R.HELPER, R.PUBLICIST, R.MEMBER][j % 4], joined=joined)
    waiting = [(team, "华龙区", 4), (team, "华龙区", 11), (chem, "华龙区", 6), (chem, "濮阳县", 15)]
    for wished, county, days in waiting:  # wish to join a unit's team: the unit reviews them
        kind = CHEM if wished == chem else "popsci"
        v = people.volunteer(kind=kind, county=county, teams=[wished], status=Volunteer.Status.PENDING,
                             registered=recent_day(days))
        v.wished_teams.add(wished)
    for unit_name, county, employer, approved, pending in ENTERING_UNITS:
        unit = Organization.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        for k in range(approved + pending):
            status = Volunteer.Status.APPROVED if k < approved else Volunteer.Status.PENDING
            people.volunteer(kind="popsci" if "农技协" not in unit_name else RURAL, county=county, employer=employer,
                             entered_by=unit, status=status,
                             registered=date(2023, 4, 10) if k < approved else recent_day(5 + 4 * k))
    return team


def _demo_account(volunteer: Volunteer) -> None:
    """A login for one team leader, with the demo password, to try the volunteer's pages."""
    password = environ.Env()("DEMO_ADMIN_PASSWORD", default="")
    User = get_user_model()
    user, created = User.objects.get_or_create(username="volunteer", defaults={"last_name": volunteer.name})
    if created:
        if len(password) >= 8:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    if volunteer.user_id != user.pk:
        Volunteer.objects.filter(user=user).exclude(pk=volunteer.pk).update(user=None)
        volunteer.user = user
        volunteer.save(update_fields=["user"])


def _members_of(team: ServiceTeam, n: int) -> list[int]:
    return list(
        Volunteer.objects.filter(status=Volunteer.Status.APPROVED)
        .filter(memberships__team__in=[team, *team.children.all()]).distinct().order_by("id")
        .values_list("id", flat=True)[:n]
    )


def _orders(projects, teams, people) -> None:
    counties = {c.name: c for c in County.objects.all()}
    for i, (title, kind, orderer, county, day, rating) in enumerate(COMPLETED_ORDERS):
        project = projects[title]
        if ServiceOrder.objects.filter(project=project, orderer_name=orderer).exists():
            continue
        day = recent_day(day) if isinstance(day, int) else day
        order = order_services.place_order(project_id=project.pk,
                                           data=_order_data(kind, orderer, counties.get(county), day, i))
        order_services.dispatch(order_id=order.pk, team_id=project.team_id, actor=None)
        order_services.accept(order_id=order.pk, actor=_staff_proxy())
        record_services.record_hours(volunteer_ids=_members_of(project.team, 4), hours=Decimal("3.5"), date=day,
                                     title=title, order_id=order.pk, recorded_by=None, confirm=True)
        order_services.complete(order_id=order.pk, actor=_staff_proxy())
        if rating:
            order_services.rate(order_id=order.pk, rating=rating, comment="专家讲解细致，群众反响很好，希望多来几次。")
        ServiceOrder.objects.filter(pk=order.pk).update(
            submitted_at=_aware(day - timedelta(days=9), 8), dispatched_at=_aware(day - timedelta(days=8), 10),
            accepted_at=_aware(day - timedelta(days=8), 15), done_at=_aware(day, 17),
            rated_at=_aware(day, 20) if rating else None,
        )
    for i, (title, kind, orderer, county, status, team_name) in enumerate(OPEN_ORDERS):
        project = projects[title]
        if ServiceOrder.objects.filter(project=project, orderer_name=orderer).exists():
            continue
        wanted = timezone.localdate().replace(day=1) + timedelta(days=40 + 7 * i)
        order = order_services.place_order(project_id=project.pk,
                                           data=_order_data(kind, orderer, counties.get(county), wanted, 20 + i))
        if status in (ServiceOrder.Status.DISPATCHED, ServiceOrder.Status.ACCEPTED):
            target = teams[team_name] if team_name else project.team
            order_services.dispatch(order_id=order.pk, team_id=target.pk, actor=None)
        if status == ServiceOrder.Status.ACCEPTED:
            order_services.accept(order_id=order.pk, actor=_staff_proxy())


def _order_data(kind, orderer, county, day, i) -> dict:
    return {
        "orderer_kind": kind, "orderer_name": orderer, "contact_name": f"联系人{i + 1:02d}", "contact_phone": synthetic_mobile(980000 + i),
        "county": county, "address": orderer, "wanted_date": day, "audience_size": 50 + 10 * i,
        "needs": "希望专家结合本单位实际开展讲解和现场咨询。",
    }


class _StaffProxy:
    """Stands in for the 科普部 staff member who handled the demo orders (no real account)."""

    is_staff = True
    is_authenticated = False
    pk = None

    def has_perm(self, perm):
        return True


def _staff_proxy():
    return _StaffProxy()


def _activities(teams) -> None:
    for team_name, day, hours, title in ACTIVITIES:
        if ServiceRecord.objects.filter(title=title).exists():
            continue
        day = recent_day(day) if isinstance(day, int) else day
        record_services.record_hours(volunteer_ids=_members_of(teams[team_name], 16), hours=hours, date=day,
                                     title=title, team_id=teams[team_name].pk, recorded_by=None, confirm=True)
