import datetime

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from association.choices import TitleLevel
from talents.models import AwardProgramme, AwardRound, Field, Nomination, Review, Talent, TechDemand
from talents.roles import REVIEWER_GROUP
from tests.association.factories import CountyFactory, OrganizationFactory, UserFactory, pdf_bytes

PDF_BYTES = pdf_bytes()


def pdf_upload(name="推荐表.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ["name"]

    name = "化学化工"


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    name = factory.Sequence(lambda n: f"专家{n}")
    gender = "M"
    birth_year = 1975
    title = "高级工程师"
    title_level = TitleLevel.ASSOCIATE
    field = factory.SubFactory(FieldFactory)
    employer = "濮阳市化工研究所"
    county = factory.SubFactory(CountyFactory)
    in_expert_pool = True
    public_profile = True
    contact = "13812345678"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardProgramme
        django_get_or_create = ["code"]

    code = "yx"
    name = "优秀科技工作者"
    organisers = "市科协"


class YouthProgrammeFactory(ProgrammeFactory):
    code = "qn"
    name = "青年科技奖"
    max_age = 40
    repeat_ban_rounds = 2


class RoundFactory(factory.django.DjangoModelFactory):
    """A round taking nominations today."""

    class Meta:
        model = AwardRound

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = 2026
    status = AwardRound.Status.NOMINATING
    quota = 3
    notice_days = 7
    nomination_opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    nomination_closes = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    reference_date = factory.LazyFunction(lambda: timezone.localdate())
    objection_contact = "王老师"
    objection_phone = "0393-8800110"
    objection_email = "kxbgs@example.org"
    objection_address = "濮阳市华龙区开州路科技大厦708室"


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    round = factory.SubFactory(RoundFactory)
    nominating_unit = factory.SubFactory(OrganizationFactory)
    nominee_name = factory.Sequence(lambda n: f"被推荐人{n}")
    nominee_gender = "M"
    nominee_birth_date = datetime.date(1980, 6, 1)
    nominee_title = "高级工程师"
    nominee_title_level = TitleLevel.ASSOCIATE
    nominee_employer = "濮阳市人民医院"
    summary = "业绩突出。"
    contact_person = "李联系"
    contact_phone = "13900001111"
    status = Nomination.Status.SUBMITTED


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"reviewer{n}")
    last_name = factory.Sequence(lambda n: f"评审专家{n}")

    @factory.post_generation
    def reviewer_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=REVIEWER_GROUP))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    nomination = factory.SubFactory(NominationFactory, status=Nomination.Status.IN_REVIEW)
    reviewer = factory.SubFactory(ReviewerFactory)


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechDemand

    kind = TechDemand.Kind.TECHNOLOGY
    industry = "new_materials"
    title = factory.Sequence(lambda n: f"聚乳酸改性技术{n}")
    description = "企业在聚乳酸增韧方面遇到技术瓶颈，希望与高校院所联合攻关。"
    enterprise_name = "河南源博新材料有限公司"
    contact_person = "张永旺"
    contact_phone = "13712345678"
    status = TechDemand.Status.COLLECTED
