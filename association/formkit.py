"""What every public form shares for people who fill it in: a message naming the field
when a required one is left empty ("请填写姓名" rather than Django's "这个字段是必填项。"),
and the ``autocomplete``/``inputmode`` hints that let a phone offer the right keyboard and
the person's saved details, chosen by the field's name in one place.

Used through ``association.throttle.PublicFormMixin`` (every public form) and
``AccessibleFormMixin`` directly by the forms of a volunteer's own pages."""

from django import forms

# Field name -> attributes on its input. A field's own attrs win (setdefault).
PERSONAL_FIELDS = {
    "name": {"autocomplete": "name"},
    "contact_name": {"autocomplete": "name"},
    "contact": {"autocomplete": "name"},
    "guardian_name": {"autocomplete": "off"},
    "phone": {"autocomplete": "tel", "inputmode": "tel"},
    "mobile": {"autocomplete": "tel", "inputmode": "tel"},
    "contact_phone": {"autocomplete": "tel", "inputmode": "tel"},
    "contact_mobile": {"autocomplete": "tel", "inputmode": "tel"},
    "guardian_mobile": {"autocomplete": "off", "inputmode": "tel"},
    "email": {"autocomplete": "email", "inputmode": "email"},
    "contact_email": {"autocomplete": "email", "inputmode": "email"},
    # An ID number may end in X: a text keyboard, with its shape as the pattern.
    "id_number": {"autocomplete": "off", "inputmode": "text", "pattern": "[0-9]{17}[0-9Xx]"},
    "organization": {"autocomplete": "organization"},
    "employer": {"autocomplete": "organization"},
    "company": {"autocomplete": "organization"},
    "enterprise": {"autocomplete": "organization"},
}

DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


def _plain_label(label) -> str:
    return str(label or "").strip().rstrip(":：")


def required_message(field) -> str:
    label = _plain_label(field.label)
    if isinstance(field, forms.BooleanField):
        return f"请勾选“{label}”"
    if isinstance(field, forms.FileField):
        return f"请上传{label}"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return f"请选择{label}"
    return f"请填写{label}"


class AccessibleFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.required and field.label and field.error_messages.get("required") is DJANGO_REQUIRED:
                field.error_messages = {**field.error_messages, "required": required_message(field)}
            hints = PERSONAL_FIELDS.get(name)
            if hints and isinstance(field.widget, forms.TextInput | forms.EmailInput):
                for attr, value in hints.items():
                    field.widget.attrs.setdefault(attr, value)
