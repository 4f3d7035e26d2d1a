from .accounts import person_name
from .api import ApiToken
from .audit import AuditEntry
from .news import Article, ArticleAttachment, Page
from .notices import Channel, Delivery, NoticePreference, NoticeTemplate
from .organizations import County, Organization
from .outbox import OutboxMessage
from .reports import ReportJob
from .retention import RetentionRun
from .site import SiteSettings
from .units import UnitMembership

__all__ = [
    "ApiToken",
    "Article",
    "ArticleAttachment",
    "AuditEntry",
    "Channel",
    "County",
    "Delivery",
    "NoticePreference",
    "NoticeTemplate",
    "Organization",
    "OutboxMessage",
    "Page",
    "ReportJob",
    "RetentionRun",
    "SiteSettings",
    "UnitMembership",
    "person_name",
]
