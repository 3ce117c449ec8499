"""The admin site, for Administrators only.

Dialogue officers and analysts do their work in the product's own pages; the Django admin is
where Administrators keep reference data, accounts and imports, and where the roles whose records
have no product page yet (Case officers, Follow-up planners: core.models.STILL_IN_THE_ADMIN)
keep those records. Who may enter is decided here and nowhere else (`User.enters_admin`):
Django's `is_staff` flag follows the role (core/accounts.py) but grants nothing by itself.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

REFUSED_TEMPLATE = "registration/admin_refused.html"


class AdministratorsSite(admin.AdminSite):
    site_header = _("Dialogue Tracker")
    site_title = _("Dialogue Tracker")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and getattr(user, "enters_admin", False)

    def admin_view(self, view, cacheable=False):
        # A signed-in user of another role is told where their work is, on the page they asked
        # for, rather than sent to a sign-in form that would only refuse them again.
        checked = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return self.refuse(request)
            return checked(request, *args, **kwargs)

        return update_wrapper(inner, checked)

    def get_urls(self):
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        urls = super().get_urls()
        return [scoped if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        """The "View on site" link's redirect to a record's page, for a record the user may see:
        Django's own reads any record, and its redirect would confirm that a hidden one exists
        and give its address. Anything else answers 404, as the record's page does."""
        from django.contrib.contenttypes.models import ContentType

        from core.access import visible

        kind = ContentType.objects.filter(pk=content_type_id).first()
        model = kind.model_class() if kind is not None else None
        try:
            record = visible(model, request.user).get(pk=object_id) if model else None
        except (ImproperlyConfigured, ObjectDoesNotExist, ValueError, ValidationError) as error:
            raise Http404 from error
        url = getattr(record, "get_absolute_url", lambda: None)()
        if not url:
            raise Http404
        return HttpResponseRedirect(url)

    @login_not_required
    def login(self, request, extra_context=None):
        """Everyone signs in on the product's page; a signed-in user who is not an
        administrator is refused here too."""
        if request.user.is_authenticated and not self.has_permission(request):
            return self.refuse(request)
        if not request.user.is_authenticated:
            target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect_to_login(target)
        return super().login(request, extra_context)

    def refuse(self, request):
        context = {"title": _("The admin is for administrators")}
        return render(request, REFUSED_TEMPLATE, context, status=403)
