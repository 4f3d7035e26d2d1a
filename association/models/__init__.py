from .audit import AuditEntry
from .organizations import County, Organization
from .site import SiteSettings

__all__ = ["AuditEntry", "County", "Organization", "SiteSettings"]
