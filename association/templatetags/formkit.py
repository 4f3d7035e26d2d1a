"""``{{ form|error_items }}``: the problems of a form that came back, one per field, each
with the field's label and the id to link to (includes/form_errors.html lists them)."""

from django import template

register = template.Library()


@register.filter
def error_items(form):
    items = [{"label": "", "message": str(e), "anchor": ""} for e in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        if field.field.widget.attrs.get("tabindex") == "-1":  # the honeypot: nothing to link to
            items.append({"label": "", "message": str(field.errors[0]), "anchor": ""})
            continue
        anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
        label = "" if field.is_hidden else str(field.label or "").rstrip(":：")
        items.append({"label": label, "message": str(field.errors[0]), "anchor": "" if field.is_hidden else anchor})
    return items
