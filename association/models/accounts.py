"""How a person's account reads on screens, the same in the core and in every app."""

import re

_HAN = re.compile(r"[\u3400-\u9fff]")


def person_name(user) -> str:
    """The full name, or the username when the account has none.

    A Chinese name is written family name first and without a space (姓 王, 名 芳 → 王芳);
    Django's own ``get_full_name`` gives "芳 王".
    """
    first, last = user.first_name.strip(), user.last_name.strip()
    if _HAN.search(first + last):
        return last + first or user.get_username()
    return user.get_full_name() or user.get_username()
