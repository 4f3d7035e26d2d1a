import io
from datetime import datetime, timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from association.models import Article, County, Organization, Page


def pdf_bytes() -> bytes:
    """A real one-page PDF (pypdf's blank page), as the upload checks read it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["name"]

    name = factory.Iterator(["华龙区", "濮阳县", "清丰县", "南乐县", "范县", "台前县"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Organization.Kind.SOCIETY
    county = factory.SubFactory(CountyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Passw0rd!23")


class StaffFactory(UserFactory):
    is_staff = True


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (``status="draft"``, ``published_at=None`` for a draft)."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"市科协开展科普志愿服务活动（第{n}期）")
    category = Article.Category.ASSOCIATION_NEWS
    body = "<p>活动现场，科技志愿者为群众讲解科学知识。</p>"
    source = "濮阳市科协"
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.make_aware(datetime(2020, 9, 18, 9, 0)) - timedelta(days=n))


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: f"栏目{n}")
    body = "<p>濮阳市科协由中共濮阳市委直接领导。</p>"


def image_upload(name="photo.jpg", size=(1200, 800), fmt="JPEG", colour=(30, 90, 160), exif=None):
    """An uploaded image made in memory."""
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(out, fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


GPS_IFD = 0x8825


def photo_with_gps(name="photo.jpg", size=(64, 48)):
    """A phone photo: its EXIF names the camera, asks for a 90° turn and holds a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90°
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (35.0, 45.0, 36.0), 3: "E", 4: (115.0, 1.0, 48.0)})
    return image_upload(name, size=size, colour="navy", exif=exif.tobytes())


def unit_account(organization, role="staff", username=None):
    """A staff account of a unit of the tree, in its role's group (as 单位账号 makes them)."""
    from django.contrib.auth.models import Group

    from association.models import UnitMembership
    from association.services.units import ROLE_GROUPS

    user = StaffFactory(**({"username": username} if username else {}))
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    UnitMembership.objects.create(user=user, organization=organization, role=role)
    return user


class UnitTree:
    """The city association with two county 科协 (A with a township below it, B beside it)
    and a 学会: the shape every scoping test tries."""

    def __init__(self):
        K = Organization.Kind
        self.city = Organization.objects.create(name="濮阳市科学技术协会", kind=K.ASSOCIATION)
        self.county_a_area = CountyFactory(name="华龙区")
        self.county_b_area = CountyFactory(name="濮阳县")
        self.county_a = Organization.objects.create(name="华龙区科协", kind=K.COUNTY_ASSOCIATION, parent=self.city,
                                                    county=self.county_a_area)
        self.township_a = Organization.objects.create(name="岳村镇科协", kind=K.TOWNSHIP_ASSOCIATION,
                                                       parent=self.county_a, county=self.county_a_area)
        self.county_b = Organization.objects.create(name="濮阳县科协", kind=K.COUNTY_ASSOCIATION, parent=self.city,
                                                    county=self.county_b_area)
        self.society = Organization.objects.create(name="濮阳市化工学会", kind=K.SOCIETY, parent=self.city,
                                                   county=self.county_a_area)
        self.staff_a = unit_account(self.county_a, "staff", "hualong_staff")
        self.admin_a = unit_account(self.county_a, "admin", "hualong_admin")
        self.staff_b = unit_account(self.county_b, "staff", "puyang_staff")
        self.society_staff = unit_account(self.society, "admin", "huagong_admin")
