"""Staff screens of the talents app (学会学术部): registry, awards, demands."""

from . import awards, demands, registry  # noqa: F401
