"""Log-in for programs: a volunteer's password exchanged for a token, and the token revoked.

The same limits as the log-in page guard it (``association.loginguard`` and django-axes):
an account tried too often waits, an address with many failures is sent to the web page's
picture code. Staff accounts get no token here: their log-in needs the second factor, so
their unit tokens are made in the admin (接口令牌).
"""

from datetime import datetime

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from ninja import Field, Router, Schema, Status

from .. import loginguard
from ..models import ApiToken
from . import auth
from .errors import ApiError

router = Router(tags=["登录与令牌"])


class TokenRequest(Schema):
    username: str = Field(min_length=1, max_length=150, description="网站登录用的用户名或手机号")
    password: str = Field(min_length=1, max_length=128, description="密码")
    name: str = Field("微信小程序", max_length=60, description="令牌用途，便于日后辨认和撤销")


class TokenOut(Schema):
    token: str = Field(description="令牌，只显示这一次；请求头写 Authorization: Bearer <令牌>")
    token_type: str = "Bearer"
    expires_at: datetime = Field(description="到期时间")
    name: str


class TokenInfo(Schema):
    name: str
    kind: str = Field(description="volunteer（志愿者）或 unit（单位数据交换）")
    hint: str = Field(description="令牌最后 4 位")
    created: datetime
    expires_at: datetime


@router.post("/token", response={201: TokenOut}, summary="用账号密码换取令牌", auth=None)
def obtain(request, payload: TokenRequest):
    username = payload.username.strip()
    wait = loginguard.account_wait_seconds(request, username)
    if wait:
        raise ApiError("slowed_down", f"这个账号最近登录失败较多，请 {wait} 秒后再试。", status=429)
    if loginguard.address_needs_challenge(request, username):
        raise ApiError(
            "challenge_required", "这个网络地址最近登录失败较多，请先在网站登录页输入图片验证码登录一次，稍后再试。", status=429
        )
    try:
        user = authenticate(request, username=username, password=payload.password)
    except AxesBackendPermissionDenied:
        user, locked = None, True
    else:
        locked = getattr(request, "axes_locked_out", False)
    if locked:
        raise ApiError("locked", "登录失败次数过多，这个账号在本地址已暂时锁定，请稍后再试或在网站找回密码。", status=429)
    if user is None:
        raise ApiError("invalid_credentials", "用户名或密码不正确。", status=401)
    if user.is_staff:
        raise ApiError("staff_account", "工作人员账号请在管理后台“接口令牌”中创建单位数据交换令牌。", status=403)
    token, key = auth.issue(user=user, kind=ApiToken.Kind.VOLUNTEER, name=payload.name, request=request)
    return Status(201, {"token": key, "expires_at": token.expires_at, "name": token.name})


@router.get("/token", response=TokenInfo, summary="当前令牌的信息", auth=[auth.volunteer_auth, auth.unit_auth])
def current(request):
    return request.api_token


@router.delete("/token", response={204: None}, summary="撤销当前令牌（退出登录）",
               auth=[auth.volunteer_auth, auth.unit_auth])
def revoke(request):
    auth.revoke(token_id=request.api_token.pk, actor=request.api_token.user, request=request)
    return Status(204, None)
