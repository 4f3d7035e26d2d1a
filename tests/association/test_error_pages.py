import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_missing_page_answers_in_chinese_with_the_layout(settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "Not Found" not in html
    assert "主导航" in html


def test_forbidden_page_answers_in_chinese(settings, client):
    settings.DEBUG = False
    from tests.association.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "没有访问权限" in response.content.decode()
