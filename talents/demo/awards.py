"""Demo awards: the programmes and rounds of the source documents, and this year's rounds.

优秀科技工作者 4 rounds / 134 people, 青年科技奖 2 rounds / 78 people, 优秀学术成果奖 4 rounds,
最美科技工作者 (2020: 16 援鄂医疗队员), 十佳科技社团, 学科带头人; plus this year's rounds: one
in 公示, one taking nominations, one being reviewed.
"""

import datetime
import os
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.utils import timezone

from association import workdays
from association.choices import TitleLevel
from association.formatting import chinese_date
from association.models import County, Organization

from ..models import AwardProgramme, AwardRound, Nomination, NominationMaterial, NominationQuota, Review, Talent
from ..reference import PROGRAMMES
from ..roles import REVIEWER_GROUP
from ..services import awards as award_services
from . import people

# (programme code, number, year, awarded, not awarded)
HISTORY = [
    ("yx", 1, 2016, 30, 6), ("yx", 2, 2017, 32, 6), ("yx", 3, 2018, 35, 7), ("yx", 4, 2020, 37, 8),
    ("qn", 1, 2017, 38, 8), ("qn", 2, 2019, 40, 9),
    ("xs", 1, 2016, 20, 5), ("xs", 2, 2017, 22, 5), ("xs", 3, 2018, 25, 5), ("xs", 4, 2019, 25, 6),
    ("zm", 1, 2020, 16, 0),
    ("sj", 1, 2018, 10, 3), ("sj", 2, 2020, 10, 3),
    ("dt", 1, 2021, 20, 4),
]

# Named experts among the winners: (name, employer, programme, number, achievement)
NAMED_WINNERS = [
    ("孟庆臻", "濮阳市化工研究所", "yx", 2, ""),
    ("郑瑞谦", "濮阳市环境监测站", "yx", 3, ""),
    ("李双妹", "濮阳职业技术学院能源与化学工程系", "qn", 1, ""),
    ("张付杰", "濮阳市化工学会", "xs", 2, "化工园区安全生产风险分级评估方法研究"),
    ("吴敏", "濮阳市生物基材料协会", "xs", 4, "聚乳酸改性及其在可降解包装中的应用研究"),
]

SOCIETIES = [
    "濮阳市化工学会", "濮阳市生物基材料协会", "濮阳市农学会", "濮阳市医学会", "濮阳市汽车工程学会", "濮阳市计算机学会",
    "濮阳市机械工程学会", "濮阳市电机工程学会", "濮阳市畜牧兽医学会", "濮阳市林学会", "濮阳市护理学会", "濮阳市中医药学会",
    "濮阳市气象学会", "濮阳市环境科学学会", "濮阳市药学会", "濮阳市石油学会", "濮阳市科普作家协会",
]

ACHIEVEMENTS = [
    "中原油田高含水后期剩余油分布规律研究", "生物基丁二酸发酵工艺优化", "乙烯裂解副产碳九综合利用技术", "小麦赤霉病绿色防控技术集成与示范",
    "黄河滩区优质饲草种植模式研究", "莲藕无公害高效栽培技术规程", "冠心病介入治疗术后康复路径研究", "基层医院脑卒中绿色通道建设实践",
    "濮阳市大气颗粒物来源解析", "黄河濮阳段水质变化趋势与成因分析", "聚碳酸酯共混改性研究", "顺酐法生产1,4-丁二醇工艺改进",
    "设施蔬菜水肥一体化技术推广", "肉牛高效育肥技术研究与应用", "食用菌废弃菌棒资源化利用", "濮阳市农村电商人才培养模式研究",
    "油田采出水处理工艺改进", "石化园区挥发性有机物在线监测体系", "基于大数据的城市交通信号配时优化", "糖尿病足综合治疗方案研究",
    "中药材金银花规范化种植技术", "高校化工类专业现代学徒制实践", "小学科学探究式教学模式研究", "杂技文化资源数字化保护研究",
    "储气库注采井安全评价方法", "聚乳酸纤维纺丝工艺研究", "秸秆生物质颗粒燃料成型技术", "玉米—大豆带状复合种植技术示范",
    "城市地下管网信息化管理平台", "农村饮用水安全保障技术", "电网配电自动化故障快速定位", "新型农业经营主体培育路径研究",
]

REVIEWERS = [
    ("reviewer1", "王立新"), ("reviewer2", "陈建国"), ("reviewer3", "刘晓梅"),
    ("reviewer4", "赵德明"), ("reviewer5", "孙海燕"), ("reviewer6", "周文斌"),
]

PERSON_FIELDS = ["化学化工", "新材料", "生物基材料", "石油天然气", "农业与农技推广", "畜牧兽医", "食品科学", "临床医学",
                 "公共卫生", "中医药", "生态环境", "信息技术", "机械与装备", "能源电力", "教育"]


def ensure_programmes() -> dict[str, AwardProgramme]:
    programmes = {}
    for order, (code, name, kind, organisers, max_age, min_level, ban, description) in enumerate(PROGRAMMES):
        programmes[code], _c = AwardProgramme.objects.update_or_create(
            code=code,
            defaults={"name": name, "nominee_kind": kind, "organisers": organisers, "max_age": max_age,
                      "min_title_level": min_level, "repeat_ban_rounds": ban, "description": description, "order": order},
        )
    return programmes


def ensure_societies() -> list[Organization]:
    parent = Organization.objects.filter(kind=Organization.Kind.ASSOCIATION).order_by("pk").first()
    city = County.objects.filter(name="市直").first()
    found = []
    for order, name in enumerate(SOCIETIES):
        org = Organization.objects.filter(name=name, kind=Organization.Kind.SOCIETY).first()
        if org is None:
            org = Organization.objects.create(name=name, kind=Organization.Kind.SOCIETY, parent=parent, county=city, order=100 + order)
        found.append(org)
    return found


def ensure_reviewers():
    """Demo reviewers (评审专家 group); their password is DEMO_ADMIN_PASSWORD when set."""
    User = get_user_model()
    group, _c = Group.objects.get_or_create(name=REVIEWER_GROUP)
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "")
    users = []
    for username, full_name in REVIEWERS:
        user, created = User.objects.get_or_create(username=username, defaults={"last_name": full_name})
        if created:
            if len(password) >= 8:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        user.groups.add(group)
        users.append(user)
    return users


def _demo_notice_end(starts: datetime.date, days: int) -> datetime.date:
    try:
        return workdays.nth_working_day(starts, days)
    except workdays.UnknownYear:
        return workdays.nth_weekday(starts, days)


def _round_dates(year: int):
    return {
        "nomination_opens": datetime.date(year, 3, 1),
        "nomination_closes": datetime.date(year, 4, 15),
        "reference_date": datetime.date(year, 5, 30),
        "notice_days": 7, **OBJECTION_CONTACTS,
        "notice_starts": datetime.date(year, 5, 12),
        "notice_ends": _demo_notice_end(datetime.date(year, 5, 12), 7),
        "announced_on": datetime.date(year, 5, 29),
        **OBJECTION_CONTACTS,
    }


OBJECTION_CONTACTS = {
    "objection_contact": "王老师",
    "objection_phone": "0393-8800110",
    "objection_email": "kxxhxsb@example.org",
    "objection_address": "濮阳市华龙区开州路科协办公楼305室（学会学术部）",
}


class _People:
    """Deterministic nominees for one programme."""

    def __init__(self, rng, fields, units, taken):
        self.rng, self.fields, self.units, self.taken = rng, fields, units, taken

    def person(self, code: str, year: int, reference: datetime.date) -> dict:
        rng = self.rng
        (name, gender), = people.unique_names(rng, 1, self.taken)
        if code == "zm" and year == 2020:
            field = rng.choice(["临床医学", "临床医学", "公共卫生"])
            employer = rng.choice(people.EMPLOYERS_BY_FIELD["临床医学"][:4] + ["濮阳市疾病预防控制中心"])
            level = rng.choice([TitleLevel.INTERMEDIATE, TitleLevel.ASSOCIATE])
            title = rng.choice(["主管护师", "主治医师"]) if level == TitleLevel.INTERMEDIATE else rng.choice(["副主任护师", "副主任医师"])
            born = people.birth_date(rng, 1975, 1995)
        else:
            field = rng.choice(PERSON_FIELDS)
            employer = rng.choice(people.EMPLOYERS_BY_FIELD[field])
            if code == "qn":
                born = people.birth_date(rng, reference.year - 39, reference.year - 29)  # at most 40 on the day
                level = rng.choice([TitleLevel.ASSOCIATE, TitleLevel.ASSOCIATE, TitleLevel.INTERMEDIATE])
            else:
                born = people.birth_date(rng, reference.year - 58, reference.year - 33)
                level = rng.choice([TitleLevel.SENIOR, TitleLevel.ASSOCIATE, TitleLevel.ASSOCIATE])
            title = people.title_for(rng, field, level, employer)
        return {
            "nominee_name": name, "nominee_gender": gender, "nominee_birth_date": born, "nominee_title": title,
            "nominee_title_level": level, "nominee_employer": employer, "nominee_field": self.fields[field],
        }

    def summary(self, code: str, data: dict, year: int) -> str:
        field = data["nominee_field"].name if data.get("nominee_field") else ""
        if code == "zm" and year == 2020:
            return (f"2020年2月，{data['nominee_name']}同志主动请缨，随河南省援鄂医疗队驰援湖北，在抗击新冠肺炎疫情一线连续工作50余天，"
                    "圆满完成医疗救治任务，展现了新时代科技工作者的担当。")
        return (f"{data['nominee_name']}同志长期在{data['nominee_employer']}从事{field}工作，"
                f"{self.rng.choice(['主持完成省市科研项目多项', '取得多项技术成果并实现转化', '发表学术论文十余篇', '在基层技术推广中成绩突出'])}，"
                f"{self.rng.choice(['获市科技进步奖', '带动企业新增效益显著', '培养青年技术骨干多名', '热心科普志愿服务'])}。")


def _make_nomination(award_round, status, unit, data, summary, rng, *, talent=None, achievement="", organization=None):
    return Nomination.objects.create(
        round=award_round, nominating_unit=unit, status=status, talent=talent, nominee_organization=organization,
        achievement_title=achievement, summary=summary, contact_person=people.person_name(rng, "F"),
        contact_phone=people.mobile(rng), submitted_at=timezone.make_aware(datetime.datetime.combine(
            award_round.nomination_opens + datetime.timedelta(days=rng.randrange(30)), datetime.time(9 + rng.randrange(8)))),
        eligibility_note="经系统核验，符合推荐条件。" if status != Nomination.Status.SUBMITTED else "",
        **data,
    )


def _attach_recommendation(nomination: Nomination) -> None:
    """A one-page 推荐表 as the unit would have scanned it, so reviewers have something to read."""
    import io
    import textwrap

    from django.core.files.base import ContentFile
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from association.pdf import cjk_font

    font = cjk_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 72, f"{nomination.round}推荐表")
    pdf.setFont(font, 11)
    rows = [("姓名", nomination.nominee_name), ("性别", nomination.get_nominee_gender_display()),
            ("出生日期", str(nomination.nominee_birth_date or "")), ("工作单位", nomination.nominee_employer),
            ("职称", nomination.nominee_title), ("推荐单位", nomination.nominating_unit.name)]
    y = height - 120
    for label, value in rows:
        pdf.rect(60, y - 8, 100, 24)
        pdf.rect(160, y - 8, width - 220, 24)
        pdf.drawString(70, y, label)
        pdf.drawString(170, y, value or "")
        y -= 24
    pdf.drawString(70, y - 20, "主要事迹：")
    y -= 44
    for line in textwrap.wrap(nomination.summary, 38):
        pdf.drawString(80, y, line)
        y -= 18
    pdf.drawString(width - 260, 120, "推荐单位（盖章）")
    pdf.drawString(width - 260, 96, chinese_date(nomination.submitted_at))
    pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    NominationMaterial.objects.create(
        nomination=nomination, kind=NominationMaterial.Kind.RECOMMENDATION, original_name=f"{nomination.nominee_name}推荐表.pdf",
        content_type="application/pdf", size=len(data), file=ContentFile(data, name="recommendation.pdf"),
    )


def _winner_talent(data) -> Talent:
    born = data["nominee_birth_date"]
    talent, _c = Talent.objects.get_or_create(
        name=data["nominee_name"], birth_year=born.year if born else None, employer=data["nominee_employer"],
        defaults={"gender": data["nominee_gender"] or "M", "title": data["nominee_title"],
                  "title_level": data["nominee_title_level"] or TitleLevel.NONE, "field": data["nominee_field"]},
    )
    return talent


def load_awards(fields, stdout) -> None:
    programmes = ensure_programmes()
    societies = ensure_societies()
    reviewers = ensure_reviewers()
    K = Organization.Kind
    units = list(Organization.objects.filter(
        kind__in=[K.COUNTY_ASSOCIATION, K.SOCIETY, K.UNIVERSITY_ASSOCIATION, K.PARK_ASSOCIATION, K.ENTERPRISE_ASSOCIATION],
        is_active=True,
    ).order_by("pk"))
    taken = set(Talent.objects.values_list("name", flat=True))
    named = {(n, e): (code, number, ach) for n, e, code, number, ach in NAMED_WINNERS}
    named_by_round = {}
    for (name, employer), (code, number, ach) in named.items():
        named_by_round.setdefault((code, number), []).append((name, employer, ach))

    for code, number, year, awarded, not_awarded in HISTORY:
        programme = programmes[code]
        dates = _round_dates(year)
        award_round, _c = AwardRound.objects.get_or_create(
            programme=programme, number=number,
            defaults={"year": year, "status": AwardRound.Status.ANNOUNCED, "quota": awarded, **dates},
        )
        if award_round.nominations.exists():
            continue
        rng = random.Random(f"talents-demo:round:{code}:{number}")
        crowd = _People(rng, fields, units, taken)
        if programme.is_for_organizations:
            picks = rng.sample(societies, awarded + not_awarded)
            for i, org in enumerate(picks):
                status = Nomination.Status.AWARDED if i < awarded else Nomination.Status.NOT_AWARDED
                _make_nomination(
                    award_round, status, rng.choice(units), {"nominee_name": org.name},
                    f"{org.name}坚持学术立会、服务立会，年内举办学术交流和科普活动{rng.randint(8, 30)}场次，会员{rng.randint(120, 900)}人。",
                    rng, organization=org,
                )
            continue
        for name, employer, achievement in named_by_round.get((code, number), []):
            talent = Talent.objects.filter(name=name, employer=employer).first()
            if talent is None:
                continue
            data = {"nominee_name": name, "nominee_gender": talent.gender,
                    "nominee_birth_date": datetime.date(talent.birth_year or 1970, 6, 1), "nominee_title": talent.title,
                    "nominee_title_level": talent.title_level, "nominee_employer": employer, "nominee_field": talent.field}
            _make_nomination(award_round, Nomination.Status.AWARDED, rng.choice(units), data,
                             crowd.summary(code, data, year), rng, talent=talent, achievement=achievement)
            awarded -= 1
        for i in range(awarded + not_awarded):
            data = crowd.person(code, year, award_round.reference_date)
            status = Nomination.Status.AWARDED if i < awarded else Nomination.Status.NOT_AWARDED
            talent = _winner_talent(data) if status == Nomination.Status.AWARDED else None
            achievement = rng.choice(ACHIEVEMENTS) if programme.nominee_kind == AwardProgramme.NomineeKind.ACHIEVEMENT else ""
            _make_nomination(award_round, status, rng.choice(units), data, crowd.summary(code, data, year), rng,
                             talent=talent, achievement=achievement)

    _current_rounds(programmes, fields, units, reviewers, taken)
    _demo_units_nominate(programmes, fields)
    quotas = _unit_quotas(programmes)
    announced = Nomination.objects.filter(status=Nomination.Status.AWARDED).count()
    stdout.write(f"  奖项：{len(programmes)} 个，届次 {AwardRound.objects.count()} 个，获表彰 {announced} 人次（个），"
                 f"本年度推荐名额 {quotas} 个单位")


def _current_rounds(programmes, fields, units, reviewers, taken) -> None:
    today = timezone.localdate()
    year = today.year

    # 第五届优秀科技工作者: reviewed, ranked, the best 35 on 公示 since two days ago.
    yx, created = AwardRound.objects.get_or_create(
        programme=programmes["yx"], number=5,
        defaults={"year": year, "status": AwardRound.Status.REVIEWING, "quota": 35, "notice_days": 7, **OBJECTION_CONTACTS,
                  "nomination_opens": today - datetime.timedelta(days=75), "nomination_closes": today - datetime.timedelta(days=45),
                  "reference_date": today - datetime.timedelta(days=45),
                  "call_text": "各县（区）科协、市直有关学会：为表彰在我市经济社会发展中做出突出贡献的科技工作者，现开展第五届濮阳市优秀科技工作者评选工作。"},
    )
    if not yx.nominations.exists():
        rng = random.Random("talents-demo:current:yx")
        crowd = _People(rng, fields, units, taken)
        for _i in range(45):
            data = crowd.person("yx", year, yx.reference_date)
            n = _make_nomination(yx, Nomination.Status.IN_REVIEW, rng.choice(units), data, crowd.summary("yx", data, year), rng)
            _attach_recommendation(n)
            base = rng.randint(62, 92)
            for reviewer in reviewers[:5]:
                Review.objects.create(nomination=n, reviewer=reviewer, score=max(0, min(100, base + rng.randint(-8, 8))),
                                      comment=rng.choice(["业绩突出，同意推荐。", "成果转化效益明显。", "材料翔实，事迹感人。", "建议加强成果的推广应用。"]),
                                      scored_at=timezone.now())
    if yx.status == AwardRound.Status.REVIEWING and not yx.nominations.filter(status=Nomination.Status.PUBLICISED).exists():
        award_services.shortlist_top(round_id=yx.pk, count=yx.quota)
        starts = today - datetime.timedelta(days=2)
        try:
            workdays.nth_working_day(starts, yx.notice_days)
        except workdays.UnknownYear:
            # A year whose holidays the calendar does not know yet: the demo enters the end
            # date as staff would (here counting weekdays).
            AwardRound.objects.filter(pk=yx.pk).update(notice_ends=workdays.nth_weekday(starts, yx.notice_days))
        award_services.publish_notice(round_id=yx.pk, starts=starts)

    # 第三届青年科技奖: taking nominations now.
    qn, _c = AwardRound.objects.get_or_create(
        programme=programmes["qn"], number=3,
        defaults={"year": year, "status": AwardRound.Status.NOMINATING, "quota": 40, "notice_days": 7, **OBJECTION_CONTACTS,
                  "nomination_opens": today - datetime.timedelta(days=15), "nomination_closes": today + datetime.timedelta(days=30),
                  "reference_date": today + datetime.timedelta(days=30),
                  "call_text": "为促进青年科技人才成长，现开展第三届濮阳市青年科技奖评选。被推荐人年龄不超过40周岁（以推荐截止日计算），"
                               "近两届已获本奖项者不再推荐。请各推荐单位通过本网站在线提交推荐表（盖章扫描件）及证明材料。"},
    )
    if not qn.nominations.exists():
        rng = random.Random("talents-demo:current:qn")
        crowd = _People(rng, fields, units, taken)
        for i in range(8):
            data = crowd.person("qn", year, qn.reference_date)
            _attach_recommendation(_make_nomination(
                qn, Nomination.Status.ELIGIBLE if i < 3 else Nomination.Status.SUBMITTED, rng.choice(units), data,
                crowd.summary("qn", data, year), rng,
            ))
        # A winner of the last round, nominated again: the system check finds it.
        earlier = Nomination.objects.filter(round__programme=programmes["qn"], round__number=2,
                                            status=Nomination.Status.AWARDED).order_by("pk").first()
        if earlier:
            again = _make_nomination(
                qn, Nomination.Status.SUBMITTED, rng.choice(units),
                {k: getattr(earlier, k) for k in ("nominee_name", "nominee_gender", "nominee_birth_date", "nominee_title",
                                                  "nominee_title_level", "nominee_employer", "nominee_field")},
                earlier.summary, rng, talent=earlier.talent,
            )
            award_services.check_eligibility(nomination_id=again.pk)

    # 第二届最美科技工作者: being reviewed; some reviewers have scored, some not yet.
    zm, _c = AwardRound.objects.get_or_create(
        programme=programmes["zm"], number=2,
        defaults={"year": year, "status": AwardRound.Status.REVIEWING, "quota": 10, "notice_days": 7, **OBJECTION_CONTACTS,
                  "nomination_opens": today - datetime.timedelta(days=60), "nomination_closes": today - datetime.timedelta(days=30),
                  "reference_date": today - datetime.timedelta(days=30)},
    )
    if not zm.nominations.exists():
        rng = random.Random("talents-demo:current:zm")
        crowd = _People(rng, fields, units, taken)
        for _i in range(14):
            data = crowd.person("zm", year, zm.reference_date)
            n = _make_nomination(zm, Nomination.Status.IN_REVIEW, rng.choice(units), data, crowd.summary("zm", data, year), rng)
            _attach_recommendation(n)
            for k, reviewer in enumerate(reviewers[:5]):
                scored = 1 <= k <= 3
                Review.objects.create(nomination=n, reviewer=reviewer, score=rng.randint(70, 95) if scored else None,
                                      comment="事迹突出。" if scored else "", scored_at=timezone.now() if scored else None)


# 推荐名额 of this year's rounds, as a call would allot them (by kind of unit); the four demo
# units' accounts (ensure_demo_admin) nominate within theirs.
QUOTA_BY_KIND = {
    Organization.Kind.COUNTY_ASSOCIATION: 3, Organization.Kind.PARK_ASSOCIATION: 2, Organization.Kind.SOCIETY: 2,
    Organization.Kind.UNIVERSITY_ASSOCIATION: 2, Organization.Kind.ENTERPRISE_ASSOCIATION: 1,
    Organization.Kind.RURAL_TECHNICAL_ASSOCIATION: 1,
}
DEMO_UNITS = ["华龙区科协", "濮阳市化工学会", "河南源博新材料有限公司科协", "濮阳县蔬菜种植农技协"]
CURRENT_ROUNDS = [("yx", 5), ("qn", 3), ("zm", 2)]

# One nomination of each of two demo units in the round taking nominations (青年科技奖):
# (unit, nominee, gender, born, title, level, employer, field, status)
DEMO_UNIT_NOMINATIONS = [
    ("濮阳市化工学会", "赵晨阳", "M", datetime.date(1991, 4, 12), "高级工程师", TitleLevel.ASSOCIATE, "濮阳市化工研究所", "化学化工",
     Nomination.Status.ELIGIBLE),
    ("华龙区科协", "孙若溪", "F", datetime.date(1990, 9, 3), "副主任医师", TitleLevel.ASSOCIATE, "濮阳市人民医院", "临床医学",
     Nomination.Status.SUBMITTED),
]


def _unit_quotas(programmes) -> int:
    """Quotas on this year's rounds for the county 科协, parks, 学会 and the demo units, and at
    least as many as each unit's demo nominations already there (idempotent)."""
    K = Organization.Kind
    allotted = list(Organization.objects.active().filter(kind__in=list(QUOTA_BY_KIND)).filter(
        Q(kind__in=[K.COUNTY_ASSOCIATION, K.PARK_ASSOCIATION, K.SOCIETY, K.UNIVERSITY_ASSOCIATION]) | Q(name__in=DEMO_UNITS)
    ).exclude(name__startswith="合成").order_by("pk"))
    units = 0
    for code, number in CURRENT_ROUNDS:
        award_round = AwardRound.objects.filter(programme=programmes[code], number=number).first()
        if award_round is None:
            continue
        wanted = {unit.pk: QUOTA_BY_KIND.get(unit.kind, 1) for unit in allotted}
        used = award_round.nominations.holding_places().values_list("nominating_unit").annotate(n=Count("id")).order_by()
        for unit_id, n in used:
            wanted[unit_id] = max(wanted.get(unit_id, 0), n + (1 if award_round.status == AwardRound.Status.NOMINATING else 0))
        have = set(award_round.unit_quotas.values_list("unit_id", flat=True))
        NominationQuota.objects.bulk_create(
            [NominationQuota(round=award_round, unit_id=unit_id, quota=n) for unit_id, n in wanted.items() if unit_id not in have]
        )
        units = max(units, len(wanted))
    return units


def _demo_units_nominate(programmes, fields) -> None:
    qn = AwardRound.objects.filter(programme=programmes["qn"], number=3).first()
    if qn is None:
        return
    rng = random.Random("talents-demo:unit-nominations")
    for unit_name, name, gender, born, title, level, employer, field, status in DEMO_UNIT_NOMINATIONS:
        unit = Organization.objects.filter(name=unit_name).first()
        if unit is None or qn.nominations.filter(nominating_unit=unit, nominee_name=name).exists():
            continue
        data = {"nominee_name": name, "nominee_gender": gender, "nominee_birth_date": born, "nominee_title": title,
                "nominee_title_level": level, "nominee_employer": employer, "nominee_field": fields[field]}
        summary = (f"{name}同志在{employer}从事{field}工作，主持完成市级科研项目两项，"
                   f"取得多项技术成果并在本地推广应用，由{unit_name}推荐。")
        _attach_recommendation(_make_nomination(qn, status, unit, data, summary, rng))
