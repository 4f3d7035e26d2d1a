from .organizations import County, Organization
from .site import SiteSettings

__all__ = ["County", "Organization", "SiteSettings"]
