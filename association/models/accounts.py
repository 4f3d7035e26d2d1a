"""How a person's account reads on screens, the same in the core and in every app."""


def person_name(user) -> str:
    """The full name, or the username when the account has none."""
    return user.get_full_name() or user.get_username()
