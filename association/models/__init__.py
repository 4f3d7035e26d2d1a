from .audit import AuditEntry
from .organizations import County, Organization
from .outbox import OutboxMessage
from .site import SiteSettings

__all__ = ["AuditEntry", "County", "Organization", "OutboxMessage", "SiteSettings"]
