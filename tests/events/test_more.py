"""Smaller promises: busy database, gallery, headline figures, nightly close, staff links."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from events import extensions
from events.models import Event, EventPhoto, Registration
from events.services import _common
from events.services import events as event_services
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory, mobile


@pytest.mark.django_db(transaction=True)
def test_a_locked_event_gives_a_polite_try_again_with_the_form_kept(client, monkeypatch):
    """When the event row stays taken too long, the person sees a message, not an error page."""
    monkeypatch.setattr(_common, "LOCK_TIMEOUT", "200ms")
    event = EventFactory()
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        with transaction.atomic():
            Event.objects.select_for_update().get(pk=event.pk)
            holding.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    holding.wait(10)
    try:
        response = client.post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(1), "consent": "on"})
    finally:
        release.set()
        holder.join(10)
    html = response.content.decode()
    assert response.status_code == 200
    assert "系统繁忙，请稍后再提交一次" in html and 'value="王芳"' in html
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_past_event_page_shows_its_photo_gallery(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    outcome = EventOutcomeFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "JPEG")
    EventPhoto.objects.create(event=outcome.event, caption="项目签约仪式现场",
                              image=SimpleUploadedFile("sign.jpg", buffer.getvalue(), content_type="image/jpeg"))
    html = client.get(f"/events/{outcome.event.pk}/").content.decode()
    assert "活动图集" in html and "项目签约仪式现场" in html and "/media/events/photos/" in html


@pytest.mark.django_db
def test_headline_figures_count_this_years_events_and_beneficiaries():
    now = timezone.localtime()
    start = now.replace(month=1, day=2, hour=9)
    EventOutcomeFactory(event=PastEventFactory(start=start, end=start + timedelta(hours=3)), beneficiaries=1200)
    EventOutcomeFactory(event=PastEventFactory(start=start.replace(year=now.year - 1)), beneficiaries=999)
    figures = extensions.headline_figures()
    assert figures[0][1] == 1 and figures[0][0] == f"{now.year}年活动"
    assert figures[1][1] == 1200 and figures[1][2] == "人次"


@pytest.mark.django_db
def test_nightly_job_marks_events_ended_yesterday_as_finished():
    ended = EventFactory(start=timezone.now() - timedelta(days=3))
    running = EventFactory(start=timezone.now() - timedelta(hours=1), end=timezone.now() + timedelta(hours=2))
    assert event_services.finish_past_events() == 1
    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.status == Event.Status.FINISHED and running.status == Event.Status.PUBLISHED


@pytest.mark.django_db
def test_registration_list_can_be_narrowed_to_one_event_from_its_page(client, sign_up):
    from tests.association.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    first, second = EventFactory(), EventFactory()
    sign_up(first, 1)
    sign_up(second, 1, start=5)
    change = client.get(f"/admin/events/event/{first.pk}/change/").content.decode()
    assert f"?event__id__exact={first.pk}" in change
    html = client.get("/admin/events/registration/", {"event__id__exact": first.pk}).content.decode()
    assert "报名人0" in html and "报名人5" not in html
