import factory
from django.contrib.auth import get_user_model

from association.models import County, Organization


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
