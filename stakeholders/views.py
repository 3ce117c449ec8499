"""Browsing organizations, people and consultations."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.access import get_visible_or_404, record_access
from core.views import ListPage
from stakeholders import selectors
from stakeholders.filtersets import ConsultationFilterSet, OrganizationFilterSet, PersonFilterSet
from stakeholders.models import Consultation, Organization, Person
from stakeholders.tables import ConsultationTable, OrganizationTable, PersonTable


class OrganizationListView(ListPage):
    model = Organization
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    title = _("Organizations")
    select_related = ("parent",)


class PersonListView(ListPage):
    model = Person
    filterset_class = PersonFilterSet
    table_class = PersonTable
    title = _("People")
    select_related = ("organization",)


class ConsultationListView(ListPage):
    model = Consultation
    filterset_class = ConsultationFilterSet
    table_class = ConsultationTable
    title = _("NGO consultations")
    select_related = ("dialogue", "round__dialogue")
    links = ((reverse_lazy("reports:engagement"), _("NGO engagement by round")),)

    def annotate(self, queryset):
        return queryset.annotate(organization_count=Count("organizations"))


@permission_required("stakeholders.view_organization", raise_exception=True)
def organization_detail(request, pk):
    organization = get_visible_or_404(
        Organization.objects.select_related("parent"), request.user, pk=pk
    )
    context = selectors.organization_page(organization=organization, user=request.user)
    breadcrumbs = [(_("Organizations"), reverse("stakeholders:organization_list"))]
    return render(
        request,
        "stakeholders/organization_detail.html",
        {
            "organization": organization,
            "title": organization.display_name,
            "breadcrumbs": breadcrumbs,
            **context,
        },
    )


@permission_required("stakeholders.view_person", raise_exception=True)
def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.select_related("organization"), request.user, pk=pk)
    record_access(request, person)
    context = selectors.person_page(person=person, user=request.user)
    breadcrumbs = [(_("People"), reverse("stakeholders:person_list"))]
    return render(
        request,
        "stakeholders/person_detail.html",
        {"person": person, "title": person.full_name, "breadcrumbs": breadcrumbs, **context},
    )
