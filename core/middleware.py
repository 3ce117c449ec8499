"""Session lifetime and caching rules for pages that may show protected records."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DatabaseError, connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SIGNED_IN_AT = "signed_in_at"
REFRESHED_AT = "refreshed_at"


class SessionLifetimeMiddleware:
    """End a session SESSION_MAX_HOURS after sign-in, however active it has been, and
    SESSION_COOKIE_AGE after its last request (to within SESSION_REFRESH_SECONDS: a request
    restarts the idle clock by saving the session, at most once that often).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SIGNED_IN_AT, time.time())
            now = time.time()
            if now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, _("Your session has ended; please sign in again."))
                return redirect(settings.LOGIN_URL)
            if now - request.session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[REFRESHED_AT] = now  # saved, with a new expiry
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in users may show protected records: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


class ServerTimingMiddleware:
    """A `Server-Timing` header on every response: the whole request's time in the application
    and the time spent in the database, with the number of queries. On when SERVER_TIMING is.

    Browsers show it in their developer tools; the benchmark reads it to split a page's time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.SERVER_TIMING:
            return self.get_response(request)
        timer = _QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        database = f'db;dur={timer.seconds * 1000:.1f};desc="{timer.count} queries"'
        response["Server-Timing"] = f"app;dur={total:.1f}, {database}"
        return response


class _QueryTimer:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class HealthCheckMiddleware:
    """`/healthz` for the load balancer and the orchestrator: 200 when the database answers,
    503 when it does not. Answered before the host check, the HTTPS redirect and sign-in, since
    probes come from inside the platform by address."""

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != self.PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


class PageMethodsMiddleware:
    """Pages are read (GET, HEAD) and their forms posted (POST); any other method is answered
    405 before a view runs, so that no view has to tell a PUT or a DELETE from a GET. Only the
    API (/api/) takes the others."""

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class OddInputMiddleware:
    """A NUL character in a query parameter is refused with a 400 that names the parameter.

    PostgreSQL text cannot hold NUL, so any filter or search that passed one on would fail
    with a server error; no one types it on purpose. Under /api/ the answer is JSON.

    A posted form is not checked here: a refusal would throw away everything the user typed.
    Its fields refuse NUL themselves (a CharField's ProhibitNullCharactersValidator, and the
    choice fields' own checks, core/nul.py), so the page is shown again with the entries kept
    and the field named. The API parses its own bodies; its serializers refuse NUL too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return bad_request(request, nul_message(name))
        return self.get_response(request)


def nul_message(name: str) -> str:
    return _("The parameter “%(name)s” contains a NUL character, which is not allowed.") % {
        "name": name.replace("\x00", "\\0")[:100]
    }


def bad_request(request, message: str):
    """A 400 that says what is wrong: JSON under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message, "title": _("Bad request")}, status=400)
