"""Text as people type it, made harmless before anything reads it.

A name pasted from a chat window or a spreadsheet can carry control characters (a bell,
a backspace, a form feed) that nobody sees on screen. Stored as typed, such a character
later breaks the Excel workbook the name is written into (its XML cannot hold it) and
can disguise text in a PDF or a log. They are removed where text comes in, keeping what
the person meant: tabs and line breaks stay (multi-line text needs them) and every
other character is kept as typed, so nothing of a form is lost or refused for it.

Where text comes in:

- ``ControlCharactersMiddleware`` cleans every value of the query string and of a posted
  form before any view or form reads it: public forms, the staff admin and every filter or
  search box alike. Passwords are left as typed (they are only hashed, never shown).
- Imports read files rather than forms; they pass every cell through ``clean_text``.

``association.spreadsheet`` and ``association.pdf`` remove the same characters again on
the way out, for text stored before this check or written by code.
"""

import re

from django.http import QueryDict

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; and the two
# noncharacters U+FFFE and U+FFFF, which an XML document (an .xlsx is one) cannot hold.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Fields whose value must reach the view exactly as typed.
UNTOUCHED_FIELDS = re.compile(r"password|otp_token|csrfmiddlewaretoken", re.IGNORECASE)


def clean_text(value: str) -> str:
    """``value`` without control characters (tabs and line breaks kept)."""
    return CONTROL_CHARACTERS.sub("", value) if value else value


def has_control_characters(value: str) -> bool:
    return bool(value) and CONTROL_CHARACTERS.search(value) is not None


def clean_query_dict(data: QueryDict) -> QueryDict:
    """``data`` itself when nothing needs cleaning, else a cleaned (immutable) copy."""
    if not any(
        has_control_characters(value)
        for key, values in data.lists()
        if not UNTOUCHED_FIELDS.search(key)
        for value in values
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        keep = UNTOUCHED_FIELDS.search(key)
        cleaned.setlist(clean_text(key), values if keep else [clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


class ControlCharactersMiddleware:
    """Removes control characters from the query string's and a posted form's values.

    Uploaded files are left alone: their content is checked by ``association.filecheck``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = clean_query_dict(request.GET)
        if request.method == "POST":
            request.POST = clean_query_dict(request.POST)
        return self.get_response(request)
