from .audit import AuditEntry
from .organizations import County, Organization
from .reports import ReportJob
from .site import SiteSettings

__all__ = ["AuditEntry", "County", "Organization", "ReportJob", "SiteSettings"]
