"""Fixtures for the attack, fault and retention tests: one of each thing a role may or may
not reach, built with the apps' own factories."""

import datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from talents.models import AwardRound, Nomination, NominationMaterial
from tests.association.factories import CountyFactory
from tests.talents.factories import NominationFactory, RoundFactory
from tests.volunteers.factories import ProjectFactory, TeamFactory


@pytest.fixture(autouse=True)
def _private_files_in_tmp(tmp_path, settings):
    """Uploads and private files go to temporary folders, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = FileSystemStorage(location=tmp_path / "private", base_url=None)
    fields = [NominationMaterial._meta.get_field("file")]
    from association.models import ReportJob
    from volunteers.models import HoursCertificate

    fields += [HoursCertificate._meta.get_field("file"), ReportJob._meta.get_field("xlsx"), ReportJob._meta.get_field("pdf")]
    originals = [(f, f.storage) for f in fields]
    for f in fields:
        f.storage = private
    yield
    for f, storage in originals:
        f.storage = storage


@pytest.fixture
def county(db):
    return CountyFactory(name="华龙区")


@pytest.fixture
def project(db):
    return ProjectFactory(team=TeamFactory(name="化工新材料服务队"))


@pytest.fixture
def open_round(db):
    return RoundFactory()


@pytest.fixture
def publicised_round(db):
    from talents.services import awards

    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    nomination = NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="公示中的人")
    awards.publish_notice(award_round, starts=timezone.localdate() - datetime.timedelta(days=1))
    award_round.refresh_from_db()
    return award_round, nomination
