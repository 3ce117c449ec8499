"""/api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, self-hosted).

DRF authenticates API requests itself (session or token) and answers 401/403 rather than
redirecting to the sign-in page, so these views are exempt from LoginRequiredMiddleware.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("dialogues", views.DialogueViewSet, basename="dialogue")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("agenda-items", views.AgendaItemViewSet, basename="agendaitem")
router.register("site-visits", views.SiteVisitViewSet, basename="sitevisit")
router.register("materials", views.MaterialViewSet, basename="material")
router.register("cases", views.CaseOfConcernViewSet, basename="caseofconcern")
router.register("case-raisings", views.CaseRaisingViewSet, basename="caseraising")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("delegations", views.DelegationViewSet, basename="delegation")
router.register("delegation-members", views.DelegationMemberViewSet, basename="delegationmember")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register(
    "consultation-requests", views.ConsultationRequestViewSet, basename="consultationrequest"
)
router.register("projects", views.FollowUpProjectViewSet, basename="followupproject")
router.register("actions", views.FollowUpActionViewSet, basename="followupaction")
router.register("benchmarks", views.BenchmarkViewSet, basename="benchmark")
router.register("benchmark-events", views.BenchmarkEventViewSet, basename="benchmarkevent")


def exempt(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            exempt(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


app_name = "api"
urlpatterns = exempt(
    [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    ]
)
