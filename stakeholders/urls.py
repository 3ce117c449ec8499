from django.urls import path

from stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultation_list"),
    path("consultations/new/", views.ConsultationCreate.as_view(), name="consultation_create"),
    path(
        "consultations/<int:pk>/edit/", views.ConsultationEdit.as_view(), name="consultation_edit"
    ),
    path(
        "rounds/<int:round_pk>/delegations/",
        views.round_delegations,
        name="round_delegations",
    ),
    path(
        "rounds/<int:round_pk>/delegations/<slug:side>/members/<int:member_pk>/",
        views.delegation_member,
        name="delegation_member",
    ),
]
