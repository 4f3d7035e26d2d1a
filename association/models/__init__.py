from .audit import AuditEntry
from .news import Article, ArticleAttachment, Page
from .organizations import County, Organization
from .site import SiteSettings

__all__ = ["Article", "ArticleAttachment", "AuditEntry", "County", "Organization", "Page", "SiteSettings"]
