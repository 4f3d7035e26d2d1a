"""The return as a form: a number for each entered item, a note for every item, the sign-off."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StatisticsReturn
from .workflow import plain


class ReturnForm(forms.Form):
    """Fields ``value_<item id>`` (entered items), ``note_<item id>`` (every item) and the
    sign-off fields, filled from the stored return."""

    head = forms.CharField(label=_("单位负责人"), max_length=30, required=False)
    statistician = forms.CharField(label=_("统计负责人"), max_length=30, required=False)
    filled_by = forms.CharField(label=_("填表人"), max_length=30, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    reported_on = forms.DateField(label=_("报出日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, statistics_return: StatisticsReturn, items, rows: dict, **kwargs):
        initial = {name: getattr(statistics_return, name) for name in
                   ("head", "statistician", "filled_by", "phone", "reported_on")}
        self.items = list(items)
        for item in self.items:
            row = rows.get(item.pk)
            if row is not None:
                if not item.is_computed:
                    initial[f"value_{item.pk}"] = plain(row.value)
                initial[f"note_{item.pk}"] = row.note
        super().__init__(*args, initial=initial, **kwargs)
        for item in self.items:
            if not item.is_computed:
                self.fields[f"value_{item.pk}"] = forms.DecimalField(
                    label=item.name, required=False, max_digits=14, decimal_places=2,
                    widget=forms.NumberInput(attrs={"step": "any", "class": "form-control form-control-sm text-end"}),
                    error_messages={"invalid": _("请填写数字。"), "max_digits": _("数字太大。"),
                                    "max_decimal_places": _("最多保留两位小数。")},
                )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("说明"), max_length=200, required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        for name in ("head", "statistician", "filled_by", "phone", "reported_on"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        for item in self.items:
            if item.is_computed:
                continue
            key = f"value_{item.pk}"
            if data.get(key) is None and (data.get(f"note_{item.pk}") or "").strip() and key not in self.errors:
                self.add_error(key, _("填写说明时请同时填写数值。"))
        return data

    def values(self) -> dict:
        return {item.pk: self.cleaned_data.get(f"value_{item.pk}") for item in self.items if not item.is_computed}

    def notes(self) -> dict:
        return {item.pk: self.cleaned_data.get(f"note_{item.pk}", "") for item in self.items}

    def sign_off(self) -> dict:
        return {name: self.cleaned_data.get(name) or ("" if name != "reported_on" else None)
                for name in ("head", "statistician", "filled_by", "phone", "reported_on")}


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
