"""The association's own particulars, edited by staff rather than written in templates."""

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import scoping

CACHE_KEY = "site-settings"


class SiteSettings(models.Model):
    unit_owner = scoping.CITY

    name = models.CharField(_("名称"), max_length=100, default="濮阳市科学技术协会")
    short_name = models.CharField(_("简称"), max_length=30, default="濮阳市科协")
    slogan = models.CharField(_("标语"), max_length=100, blank=True, default="为科技工作者服务 为创新驱动发展服务 为提高全民科学素质服务 为党和政府科学决策服务")
    hotline = models.CharField(_("服务热线"), max_length=40, blank=True, default="8800110")
    phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=10, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    icp = models.CharField(_("ICP备案号"), max_length=60, blank=True, help_text=_("如：豫ICP备12345678号-1；页脚显示并链接到工业和信息化部备案系统。"))
    police_record = models.CharField(_("公安备案号"), max_length=60, blank=True, help_text=_("如：豫公网安备41090202000001号。"))
    police_record_url = models.URLField(
        _("公安备案链接"), blank=True, help_text=_("全国互联网安全管理服务平台上本网站的备案页；空则链接到平台首页。")
    )
    site_code = models.CharField(_("网站标识码"), max_length=30, blank=True, help_text=_("政府网站标识码，如 4109000001。"))

    class Meta:
        verbose_name = _("站点信息")
        verbose_name_plural = _("站点信息")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)

    @property
    def icp_url(self) -> str:
        return "https://beian.miit.gov.cn/"

    @property
    def police_link(self) -> str:
        return self.police_record_url or "https://beian.mps.gov.cn/"

    @classmethod
    def load(cls) -> "SiteSettings":
        """The one row of particulars, or its defaults (unsaved) until staff first save it:
        every page reads this, and a page that is only read writes nothing."""
        obj = cache.get(CACHE_KEY)
        if obj is None:
            obj = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(CACHE_KEY, obj, 300)
        return obj
