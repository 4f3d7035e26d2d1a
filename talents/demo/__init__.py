"""Demo data of the talents app, from the source documents (shared/seeds); idempotent."""

from association import extensions

from .awards import load_awards
from .demands import load_demands
from .experts import ensure_reference, link_volunteers, load_experts


@extensions.demo_loader(order=50)
def load_talents(stdout):
    fields, committees = ensure_reference()
    experts = load_experts(fields, committees)
    linked = link_volunteers(experts)
    stdout.write(f"  人才库：{len(experts)} 位专家（其中关联志愿者账号 {linked} 位），博士联谊会专业委员会 {len(committees)} 个")
    load_awards(fields, stdout)
    load_demands(fields, stdout)
