"""What the core counts for the statistics return: the organisations of the tree by kind,
and the news a unit published (rules named in the return's catalogue)."""


from . import extensions, scoping
from .models import Article, Organization

K = Organization.Kind


def _units(unit_ids, *kinds):
    units = scoping.within(Organization.objects.filter(is_active=True), unit_ids)
    return units.filter(kind__in=kinds) if kinds else units


@extensions.statistic_rule("association.units", label="各类组织（有效）")
def units(unit_ids, year):
    return _units(unit_ids).count()


for key, label, kinds in [
    ("township", "乡镇（街道）科协", (K.TOWNSHIP_ASSOCIATION,)),
    ("enterprise", "企业科协", (K.ENTERPRISE_ASSOCIATION,)),
    ("university", "高校科协", (K.UNIVERSITY_ASSOCIATION,)),
    ("rural_ta", "农技协", (K.RURAL_TECHNICAL_ASSOCIATION,)),
    ("society", "学会", (K.SOCIETY,)),
    ("bases", "科普教育基地（含农村科普示范基地）", (K.POPSCI_BASE, K.RURAL_POPSCI_BASE)),
    ("rural_base", "农村科普示范基地", (K.RURAL_POPSCI_BASE,)),
    ("e_station", "科普e站", (K.E_STATION,)),
    ("community_hall", "社区科普馆", (K.COMMUNITY_HALL,)),
]:
    extensions.statistic_rule(f"association.units.{key}", label=label)(
        lambda unit_ids, year, kinds=kinds: _units(unit_ids, *kinds).count()
    )


@extensions.statistic_rule("association.articles", label="当年发布的新闻")
def articles(unit_ids, year):
    published = Article.objects.filter(status=Article.Status.PUBLISHED,
                                       published_at__year=year)
    return scoping.within(published, unit_ids).count()


