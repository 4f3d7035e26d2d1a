from .claims import HoursClaim
from .orders import ServiceOrder, ServiceProject
from .people import Volunteer
from .records import HoursCertificate, ServiceRecord
from .rights import ChangeRequest, Consent
from .teams import Membership, ServiceTeam

__all__ = ["ChangeRequest", "Consent", "HoursCertificate", "HoursClaim", "Membership", "ServiceOrder",
           "ServiceProject", "ServiceRecord", "ServiceTeam", "Volunteer"]
