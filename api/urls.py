"""/api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, self-hosted).

DRF authenticates API requests itself (session or token) and answers 401/403 rather than
redirecting to the sign-in page, so these views are exempt from LoginRequiredMiddleware.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from followup import api as followup
from rounds import api as rounds
from stakeholders import api as stakeholders

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("dialogues", rounds.DialogueViewSet, basename="dialogue")
router.register("rounds", rounds.RoundViewSet, basename="round")
router.register("topics", rounds.TopicViewSet, basename="topic")
router.register("agenda-items", rounds.AgendaItemViewSet, basename="agendaitem")
router.register("commitments", rounds.CommitmentViewSet, basename="commitment")
router.register("site-visits", rounds.SiteVisitViewSet, basename="sitevisit")
router.register("materials", rounds.MaterialViewSet, basename="material")
router.register("cases", rounds.CaseOfConcernViewSet, basename="caseofconcern")
router.register("case-raisings", rounds.CaseRaisingViewSet, basename="caseraising")
router.register("organizations", stakeholders.OrganizationViewSet, basename="organization")
router.register("people", stakeholders.PersonViewSet, basename="person")
router.register("delegations", stakeholders.DelegationViewSet, basename="delegation")
router.register(
    "delegation-members", stakeholders.DelegationMemberViewSet, basename="delegationmember"
)
router.register("consultations", stakeholders.ConsultationViewSet, basename="consultation")
router.register(
    "consultation-requests", stakeholders.ConsultationRequestViewSet, basename="consultationrequest"
)
router.register("projects", followup.FollowUpProjectViewSet, basename="followupproject")
router.register("actions", followup.FollowUpActionViewSet, basename="followupaction")
router.register("benchmarks", followup.BenchmarkViewSet, basename="benchmark")
router.register("benchmark-events", followup.BenchmarkEventViewSet, basename="benchmarkevent")


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
