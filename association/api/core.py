"""The one ``NinjaAPI`` of the portal, built once per process from the core's routers and
the apps' (``extensions.api_router``)."""

from django.conf import settings
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from .. import extensions
from . import errors
from .throttles import AddressThrottle, TokenThrottle

DESCRIPTION = """\
濮阳市科协门户的开放接口，供微信小程序、合作单位和公众使用。

- **公开数据**（无需令牌）：新闻、活动（含剩余名额）、组织名录、服务队与项目、专家（不含联系方式）、
  评奖与公示、技术需求。分页参数 `page`、`page_size`；筛选条件与网站列表页相同。
  每个回答带 `ETag` 和（可能时）`Last-Modified`，带 `If-None-Match` 再次请求未变化时回答 304。
- **志愿者本人**：`POST /api/v1/auth/token` 用网站账号和密码换取令牌（默认 30 天有效，可随时撤销），
  之后在请求头写 `Authorization: Bearer <令牌>`：查看本人资料、服务时长、我的活动，活动报名与取消，
  扫码签到，点单跟进。规则与网站完全相同（不超卖、频率限制、同意书）。
- **单位数据交换**：单位工作人员在管理后台“接口令牌”创建，只能读到本单位及下级单位的数据；
  志愿者信息按持有人权限脱敏，每次读取留痕。
- **开放数据**：各年度公开活动及其成效、组织名录和主要数据，提供 CSV 与 JSON 下载，
  按 CC BY 4.0 开放，每年一个固定地址，见 `/open-data/`。
- 错误一律以 JSON 回答：`{"code": "稳定的英文代码", "message": "中文说明"}`；
  请求过于频繁时回答 429 并带 `Retry-After`。
"""


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 as it is (a Chinese character is 3 bytes, not a 6-byte ``\\uXXXX`` escape)."""

    json_dumps_params = {"ensure_ascii": False}


def build() -> NinjaAPI:
    api = NinjaAPI(
        title="濮阳市科协门户开放接口",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        docs=Swagger(settings={"persistAuthorization": False, "defaultModelsExpandDepth": 0}),
        docs_url="/swagger/",
        throttle=[AddressThrottle(), TokenThrottle()],
        renderer=ChineseJSONRenderer(),
    )
    errors.install(api)
    from . import public, tokens

    api.add_router("/auth/", tokens.router)
    api.add_router("/", public.router)
    for entry in extensions.api_routers():
        api.add_router(f"/{entry.prefix.strip('/')}/", entry.router)
    return api


_api = None


def get_api() -> NinjaAPI:
    global _api
    if _api is None:
        _api = build()
    return _api


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
