"""Private files in S3-compatible object storage (STORAGE_S3_BUCKET): a local S3 server
(moto's, from the package registry) stands in for MinIO / OSS / COS.

The storages are built from config/settings.py itself with the object-storage variables
set, so the test covers the settings a deployment writes, not a copy of them.
"""

import io
import runpy
import socket
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association import reporting
from association.models import ReportJob
from association.reports import services
from tests.association.factories import StaffFactory
from tests.association.test_reports import leader, register_sample_sections, run_inline
from tests.events.factories import PastEventFactory
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerWithUserFactory
from volunteers.models import HoursClaim, Membership

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BUCKET = "kx-test"
KEYS = {"STORAGE_S3_ACCESS_KEY_ID": "test-key", "STORAGE_S3_SECRET_ACCESS_KEY": "test-secret"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=KEYS["STORAGE_S3_ACCESS_KEY_ID"],
                          aws_secret_access_key=KEYS["STORAGE_S3_SECRET_ACCESS_KEY"])
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storages(s3_server, settings, monkeypatch):
    """The portal configured for object storage: STORAGES from the settings module, and the
    private file fields of the models on the private S3 storage."""
    endpoint, client = s3_server
    for name, value in {**KEYS, "STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT_URL": endpoint,
                        "STORAGE_S3_REGION": "us-east-1", "STORAGE_S3_ADDRESSING_STYLE": "path"}.items():
        monkeypatch.setenv(name, value)
    module = runpy.run_path(str(ROOT / "config" / "settings.py"))
    configured = module["STORAGES"]
    assert configured["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = configured
    settings.CONTENT_SECURITY_POLICY = module["CONTENT_SECURITY_POLICY"]
    private = storages["private"]
    # A file field resolves its storage once, when the model class is made: point it anew.
    for model, field in ((HoursClaim, "evidence"), (ReportJob, "xlsx"), (ReportJob, "pdf")):
        monkeypatch.setattr(model._meta.get_field(field), "storage", private)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def photo():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("现场照片.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def claimed(tree, client, s3_storages):
    """A volunteer who asked for hours (补录) with a photo, through the real page."""
    team = TeamFactory(organization=tree.county_a)
    event = PastEventFactory(title="秋季科普大篷车进乡村", organiser=tree.county_a)
    event.teams.add(team)
    volunteer = VolunteerWithUserFactory(unit=tree.county_a)
    leader = VolunteerWithUserFactory(unit=tree.county_a)
    MembershipFactory(volunteer=volunteer, team=team)
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    client.force_login(volunteer.user)
    html = client.post("/accounts/me/claims/new/", {
        "activity": f"events.event:{event.pk}", "hours": "2.5", "reason": "当天手机没电，未能扫码签到。",
        "evidence": photo(), "date": "", "title": "",
    }, follow=True).content.decode()
    assert "补录申请已提交" in html
    claim = HoursClaim.objects.get()
    return claim, volunteer, leader


def test_evidence_goes_to_the_bucket_and_back_to_those_allowed_only(client, claimed, s3_storages, settings):
    claim, volunteer, leader = claimed
    keys = [item["Key"] for item in s3_storages.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"private/{claim.evidence.name}"]  # in the bucket, under the private prefix
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / claim.evidence.name).exists()  # not on this node's disk
    stored = s3_storages.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()

    url = f"/accounts/me/claims/{claim.pk}/evidence/"
    response = client.get(url)  # the volunteer
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored
    client.force_login(leader.user)  # a reviewer
    assert b"".join(client.get(url).streaming_content) == stored
    stranger = VolunteerWithUserFactory()
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404

    # Gone from the bucket (retention, or lost): a 404, not a server error.
    claim.evidence.delete(save=False)
    assert "Contents" not in s3_storages.list_objects_v2(Bucket=BUCKET)
    client.force_login(volunteer.user)
    assert client.get(url).status_code == 404


def test_with_redirects_the_reader_gets_a_short_lived_signed_link(client, claimed, s3_storages, settings):
    claim, volunteer, _leader = claimed
    settings.PRIVATE_FILE_REDIRECT = True
    url = f"/accounts/me/claims/{claim.pk}/evidence/"
    response = client.get(url)
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith(settings.STORAGES["private"]["OPTIONS"]["endpoint_url"])
    assert "X-Amz-Expires=60" in link and "X-Amz-Signature=" in link
    with urllib.request.urlopen(link) as answer:  # what the browser does next
        body = answer.read()
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert answer.headers["Content-Disposition"].startswith("inline")
    assert body == s3_storages.get_object(Bucket=BUCKET, Key=f"private/{claim.evidence.name}")["Body"].read()
    # The same object without the signature is not handed out.
    unsigned = link.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned)
    assert refused.value.code == 403

    client.force_login(VolunteerWithUserFactory().user)  # the check comes before any link
    assert client.get(url).status_code == 404


def test_pages_may_show_pictures_from_the_storage(client, s3_storages, settings):
    """Public uploads are linked straight from the bucket: the content security policy
    allows the storage's address for pictures, and nothing else from it."""
    endpoint = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert endpoint in directives["img-src"] and endpoint in directives["media-src"]
    assert endpoint not in directives["script-src"] and endpoint not in directives["default-src"]


@pytest.fixture
def report_sections():
    """The test's own report sections instead of the real ones, put back after."""
    saved = dict(reporting._sections)
    reporting._sections.clear()
    yield reporting
    reporting._sections.clear()
    reporting._sections.update(saved)


def test_a_report_is_written_to_the_bucket_and_downloaded_by_the_leaders_only(client, s3_storages, report_sections):
    """What a report worker writes, any web node hands out: the file is in the bucket, and
    the download streams it from there after the permission check."""
    register_sample_sections(report_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)
    assert job.status == ReportJob.Status.SUCCEEDED
    key = f"private/{job.xlsx.name}"
    stored = s3_storages.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored[:2] == b"PK"

    url = f"/dashboard/reports/{job.pk}/xlsx/"
    client.force_login(StaffFactory(username="nobody"))  # staff without the permission
    assert client.get(url).status_code == 403
    client.force_login(leader(username="leader1"))
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored

    s3_storages.delete_object(Bucket=BUCKET, Key=key)  # gone from the bucket
    assert client.get(url).status_code == 404
