"""/api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, self-hosted).

DRF authenticates API requests itself (session or token) and answers 401/403 rather than
redirecting to the sign-in page, so these views are exempt from LoginRequiredMiddleware.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.views import RESOURCES, viewset_for

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
for prefix, model, filters, base in RESOURCES:
    router.register(prefix, viewset_for(model, filters, base), basename=model._meta.model_name)


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
