"""Admin actions that run a service on each selected row: one way for every app.

A refusal of the rules (``states.DomainError``) is shown beside that row's name and the
other rows go on; at the end the staff member reads how many were done. An action that
first asks for something (a reason, a team, reviewers) shows ``confirmation`` and runs
when that form comes back valid.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse

from .states import DomainError

REFUSALS_SHOWN = 20


class ServiceActionsMixin:
    def run_for_each(self, request, queryset, call, *, done: str) -> int:
        """``call(obj)`` for each selected row; ``done`` is a message with ``%(n)s``."""
        count, refused = 0, []
        for obj in queryset:
            try:
                call(obj)
            except DomainError as error:
                refused.append(f"{obj}：{error.message}")
            else:
                count += 1
        if count:
            self.message_user(request, done % {"n": count}, messages.SUCCESS)
        for line in refused[:REFUSALS_SHOWN]:
            self.message_user(request, line, messages.ERROR)
        if len(refused) > REFUSALS_SHOWN:
            self.message_user(request, f"……另有 {len(refused) - REFUSALS_SHOWN} 项未能办理。", messages.ERROR)
        return count

    def confirmation(self, request, queryset, *, form, title: str, action: str, intro: str = "",
                     template: str = "admin/action_form.html", **extra):
        """The page between choosing an action and running it, holding ``form``."""
        context = {
            **self.admin_site.each_context(request),
            "title": title, "intro": intro, "form": form, "objects": queryset, "action": action,
            "opts": self.model._meta, "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media, **extra,
        }
        return TemplateResponse(request, template, context)



def service_action(service, id_argument: str, *, description, done, permissions=("change",), only=None,
                   arguments=None, form=None, form_arguments=None, confirm=None):
    """An admin action that calls ``service(<id_argument>=row.pk, actor=, request=, …)`` for each
    selected row through ``run_for_each``; ``done`` (lazy, with ``%(n)s``) is what staff read.

    - ``only`` (a ``Q``) leaves out the selected rows the action does not apply to;
    - ``arguments``: fixed keyword arguments for the service;
    - ``form``: first ask for something (a reason…) on the confirmation page (``confirm``:
      its ``title``, ``intro``, ``submit_label``, ``template``); the valid form's data are
      passed on as keyword arguments (through ``form_arguments(cleaned_data)`` if given).

        publish = service_action(events.publish, "event_id", description=_("发布所选活动"),
                                 done=_("已发布 %(n)s 项活动。"))
    """

    @admin.action(description=description, permissions=list(permissions))
    def action(modeladmin, request, queryset):
        if only is not None:
            queryset = queryset.filter(only)
        extra = dict(arguments or {})
        if form is not None:
            asked = form(request.POST if "apply" in request.POST else None)
            if not asked.is_valid():
                options = {"title": description, **(confirm or {})}
                return modeladmin.confirmation(request, queryset, form=asked, action=request.POST.get("action", ""),
                                               **options)
            extra.update(form_arguments(asked.cleaned_data) if form_arguments else asked.cleaned_data)
        modeladmin.run_for_each(
            request, queryset,
            lambda obj: service(**{id_argument: obj.pk}, **extra, actor=request.user, request=request),
            done=str(done),
        )
        return None

    return action
