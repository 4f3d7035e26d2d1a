"""The scoping rule (``association.scoping``) in the admin, once for every model admin.

``ScopedAdminMixin`` goes first in the bases of every admin of a model that is some unit's
work or the city's own (``association.E102`` fails an admin that forgets it). For a unit's
staff it narrows, with the same rule:

- the change list, and so the actions and exports that work on its selection (ids forged
  into an action's POST find nothing);
- a change, delete or history page of a record outside the unit: 404, as for a record that
  does not exist;
- the choices of every foreign key and many-to-many field to an owned model (the owner
  field included: a county can only name itself or a unit below it), and the list
  filters' choices; autocompletes ask the remote model's admin, which is scoped too;
- on a new record, the owner field starts at the staff member's own unit and is filled with
  it if left empty (with the city association for the city's staff).

The city's departments (no unit membership) see what they saw before.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404

from . import scoping


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter offering a unit's staff only the records they may see."""

    def field_choices(self, field, request, model_admin):
        if not scoping.is_unit_staff(request.user):
            return super().field_choices(field, request, model_admin)
        queryset = scoping.scope(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def direct_owner_field(model) -> str | None:
    """The model's owner when it is a foreign key on the model itself (``organiser``)."""
    path = scoping.owner_path(model)
    if not path or path in scoping.MARKERS or "__" in path or path in ("id", "pk"):
        return None
    return path


class ScopedAdminMixin:
    def get_queryset(self, request):
        return scoping.scope(super().get_queryset(request), request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        if scoping.is_unit_staff(request.user):
            # Another unit's record is answered as if it did not exist: not even its name.
            raise Http404
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or scoping.may_reach(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or scoping.may_reach(request.user, obj))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or scoping.may_reach(request.user, obj))

    # --- choices ---------------------------------------------------------------------

    def _scoped_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if scoping.owner_path(related) in (None, scoping.SHARED) or not scoping.is_unit_staff(request.user):
            return kwargs
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = related._default_manager.get_queryset()
        kwargs["queryset"] = scoping.scope(queryset, request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if not scoping.is_unit_staff(request.user):
            return filters
        out = []
        for entry in filters:
            if isinstance(entry, str):
                try:
                    field = get_fields_from_path(self.model, entry)[-1]
                except FieldDoesNotExist:
                    field = None
                if field is not None and field.is_relation and scoping.owner_path(field.related_model) not in (
                    None, scoping.SHARED,
                ):
                    entry = (entry, ScopedRelatedFieldListFilter)
            out.append(entry)
        return out

    # --- the owner of a new record ----------------------------------------------------

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        field = direct_owner_field(self.model)
        unit = scoping.unit_of(request.user)
        if field and unit is not None:
            initial.setdefault(field, unit.pk)
        return initial

    def save_model(self, request, obj, form, change):
        field = direct_owner_field(self.model)
        unit = scoping.unit_of(request.user)
        if field and getattr(obj, f"{field}_id", None) is None:
            # A unit's new record is the unit's; the city's is the city association's.
            setattr(obj, f"{field}_id", unit.pk if unit is not None else scoping.city_unit_id())
        if not scoping.may_reach(request.user, obj):
            raise Http404
        super().save_model(request, obj, form, change)
