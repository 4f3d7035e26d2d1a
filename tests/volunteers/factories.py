import itertools
from datetime import date
from decimal import Decimal

import factory

from association.choices import TitleLevel
from tests.association.factories import CountyFactory, UserFactory
from volunteers.idcard import synthetic_identity, synthetic_mobile
from volunteers.models import Membership, ServiceOrder, ServiceProject, ServiceRecord, ServiceTeam, Volunteer

_serials = itertools.count(500_000)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceTeam

    name = factory.Sequence(lambda n: f"测试服务队{n}")
    kind = ServiceTeam.Kind.TEAM
    field = "科普"


class CorpsFactory(TeamFactory):
    name = factory.Sequence(lambda n: f"测试志愿服务团{n}")
    kind = ServiceTeam.Kind.CORPS


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    class Params:
        serial = factory.LazyFunction(lambda: next(_serials))

    name = factory.Iterator(["王建国", "李晓明", "张海燕", "刘立新", "陈文华", "杨春雨"])
    id_number = factory.LazyAttribute(lambda o: synthetic_identity(o.serial)[0])
    birth_date = factory.LazyAttribute(lambda o: synthetic_identity(o.serial)[1])
    gender = factory.LazyAttribute(lambda o: synthetic_identity(o.serial)[2])
    mobile = factory.LazyAttribute(lambda o: synthetic_mobile(o.serial))
    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    political_status = Volunteer.PoliticalStatus.JIUSAN
    education = Volunteer.Education.MASTER
    title = "高级工程师"
    title_level = TitleLevel.ASSOCIATE
    field = "化工"
    county = factory.SubFactory(CountyFactory)
    status = Volunteer.Status.APPROVED


class VolunteerWithUserFactory(VolunteerFactory):
    user = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    volunteer = factory.SubFactory(VolunteerFactory)
    team = factory.SubFactory(TeamFactory)
    role = Membership.Role.MEMBER


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProject

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"健康义诊进社区{n}")
    audience = "社区居民"
    status = ServiceProject.Status.PUBLISHED


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceOrder

    project = factory.SubFactory(ProjectFactory)
    orderer_kind = ServiceOrder.OrdererKind.COMMUNITY
    orderer_name = factory.Sequence(lambda n: f"建设路社区{n}")
    contact_name = "赵主任"
    contact_phone = "13912345678"
    county = factory.SubFactory(CountyFactory)
    address = "华龙区建设路1号"
    wanted_date = date(2030, 5, 1)
    audience_size = 80
    needs = "讲解慢病防治。"


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    volunteer = factory.SubFactory(VolunteerFactory)
    date = date(2024, 3, 5)
    hours = Decimal("2.0")
    title = "科普进社区宣讲"
    status = ServiceRecord.Status.CONFIRMED
