"""How the API answers errors: in JSON, under /api/, saying nothing of their cause."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found, server_error
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def not_found(request, exception=None):
    """An unknown address under /api/ is answered in JSON, like every other API error."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found."))}, status=404)
    return page_not_found(request, exception)


def server_error_handler(request):
    """A server error under /api/ is answered in JSON too, saying nothing of its cause."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("A server error occurred."))}, status=500)
    return server_error(request)


def exception_handler(exc, context):
    """DRF's answers, and a Django validation error (a model's or a filter's rule) as a 400
    in the same shape rather than a server error."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
