from .audit import AuditEntry
from .organizations import County, Organization
from .outbox import OutboxMessage
from .reports import ReportJob
from .site import SiteSettings

__all__ = ["AuditEntry", "County", "Organization", "OutboxMessage", "ReportJob", "SiteSettings"]
