"""A NUL character typed or pasted into any field of any form the product draws is refused on
the form, never by a server error and never by a refusal that drops what the user typed: the
page comes back with the entries kept and the field's problem named.

Every page with a form that posts is opened as a user who may use it; each form is posted once
per field, with the other fields as the page filled them, "text\\x00more" in the one field, and
an entry of the user's own in one of the other text boxes."""

import re
from urllib.parse import urljoin

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from tests.world import build_world

pytestmark = pytest.mark.django_db

NUL = "text\x00more"
KEPT = "Kept entry zebrafinch"
# What names the problem: a field's own message (Django's, ours), or the import's.
NAMED = (
    "null characters are not allowed",
    "contains a nul character",
)
COUNTS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# Fields whose forms are django-import-export's, which say "Select a valid choice" rather than
# naming the NUL (no server error, the entries kept); the password page's hidden user name,
# which is a hint for password managers and no field of the form.
UNNAMED = {"format", "resource", "username"}
NOT_FIELDS = {"csrfmiddlewaretoken"}
LATER_ROW = re.compile(r"-[1-9][0-9]*-")
BUTTONS = {"submit", "button", "reset", "image"}


def everything(make_user):
    return make_user(
        "root",
        ("officer", "planner", "analyst", "case_officer", "administrator"),
        clearance="protected_b",
        is_staff=True,
        is_superuser=True,
    )


def post_forms(client, url):
    """The forms of the page at `url` that post: (address, form element)."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    tree = lxml.html.fromstring(response.content)
    for form in tree.forms:
        if (form.get("method") or "get").lower() == "post":
            yield urljoin(url, form.get("action") or url), form


def form_fields(form):
    """The form as the page filled it: its values, every field's name, its file fields and the
    button that sends it."""
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        if name not in NOT_FIELDS:
            values.setdefault(name, []).append(value)
    names, files, hidden, button = [], [], set(), None
    for element in form.inputs:
        name = element.get("name")
        kind = (element.get("type") or "text").lower() if element.tag == "input" else ""
        if not name or name in NOT_FIELDS:
            continue
        if kind in BUTTONS or element.tag == "button":
            if button is None and kind in ("submit", ""):
                button = (name, element.get("value") or "")
            continue
        if kind == "file":
            files.append(name)
        if kind == "hidden":
            hidden.add(name)
        if name not in names:
            names.append(name)
    for element in form.iter("button"):
        if button is None and element.get("name") and element.get("type", "submit") == "submit":
            button = (element.get("name"), element.get("value") or "")
    texts = [
        element.get("name")
        for element in form.iter("textarea")
        if element.get("name") and "__prefix__" not in element.get("name")
    ]
    return values, names, files, hidden, button, texts


def check_form(client, action, form, failures: list) -> int:
    """Post `form` once per field with a NUL in that field; record what went wrong."""
    values, names, files, hidden, button, texts = form_fields(form)
    posted = 0
    for name in names:
        if "__prefix__" in name:
            continue  # a template row the page's script copies; never posted as it is
        if LATER_ROW.search(name):
            continue  # a formset's rows share their form: its first row stands for them all
        data = {key: list(value) for key, value in values.items()}
        if button is not None:
            data.setdefault(button[0], [button[1]])
        kept = next((text for text in texts if text != name), None)
        if kept is not None:
            data[kept] = [KEPT]
        if name in files:
            data[name] = [SimpleUploadedFile(NUL + ".txt", b"Notes", "text/plain")]
        else:
            data[name] = [NUL]
        posted += 1
        problem = post_and_check(
            client, action, data, name, kept, hidden=name in hidden, upload=name in files
        )
        if problem:
            failures.append((action, name, problem))
    return posted


def post_and_check(client, action, data, name, kept, *, hidden, upload) -> str | None:
    try:
        with transaction.atomic():
            response = client.post(action, data)
            transaction.set_rollback(True)
    except Exception as error:
        return f"server error: {type(error).__name__}: {error}"[:300]
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    if response.status_code in (301, 302, 303):
        return None  # taken, the NUL ignored (a box ticked, a button's value), or signed out
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        return None
    text = response.content.decode()
    if hidden and response.status_code == 400 and "contains a nul character" in text.lower():
        # A hidden field saying which form was posted: with it unreadable there is no form to
        # show again, and the refusal names the field.
        return None
    if name.endswith(COUNTS):
        # A formset's hidden counts, which no one types: Django's formset then has no rows to
        # show again, and says its counts were tampered with.
        return None if "tampered with" in text else "the formset's counts not named"
    if "<form" not in text:
        return f"answered {response.status_code} without the form"
    if upload or name.endswith("-DELETE") or name in UNNAMED:
        # A file's name reaches the form without its NUL (Django's upload parser keeps a file's
        # name printable); a row's removal box is drawn without errors of its own.
        if kept is not None and KEPT not in text:
            return f"answered {response.status_code} without the entry in “{kept}”"
        return None
    if "<form" not in text:
        return f"answered {response.status_code} without the form"
    if response.status_code not in (200, 400):
        return f"answered {response.status_code}"
    if kept is not None and KEPT not in text:
        return f"answered {response.status_code} without the entry in “{kept}”"
    if not any(message in text.lower() for message in NAMED):
        return f"answered {response.status_code} without naming the NUL"
    return None


def check_pages(client, urls) -> tuple[list, int]:
    failures, posted, seen = [], 0, set()
    for url in urls:
        for action, form in post_forms(client, url):
            key = (action, tuple(form_fields(form)[1]))
            if key in seen:
                continue
            seen.add(key)
            posted += check_form(client, action, form, failures)
    return failures, posted


# -- the product's own pages --------------------------------------------------------------------


def product_pages(world) -> dict[str, list[str]]:
    round_ = world["round"]
    rows = {
        "agenda": world["agendaitem"],
        "materials": world["material"],
        "visits": world["sitevisit"],
        "commitments": world["commitment"],
    }
    side = world["delegation"].side
    return {
        "rounds": [
            reverse("rounds:round_create"),
            reverse("rounds:round_edit", args=[round_.pk]),
            *(
                reverse("rounds:round_edit_row", args=[round_.pk, name, row.pk])
                for name, row in rows.items()
            ),
            reverse("rounds:case_mark_released", args=[world["caseofconcern"].pk]),
        ],
        "stakeholders": [
            reverse("stakeholders:consultation_create") + f"?round={round_.pk}",
            reverse("stakeholders:consultation_edit", args=[world["consultation"].pk]),
            reverse("stakeholders:round_delegations", args=[round_.pk]),
            reverse(
                "stakeholders:delegation_member",
                args=[round_.pk, side, world["delegationmember"].pk],
            ),
        ],
        "followup": [
            reverse("followup:project_create"),
            reverse("followup:project_edit", args=[world["followupproject"].pk]),
            reverse("followup:action_create"),
            reverse("followup:action_edit", args=[world["followupaction"].pk]),
        ],
        "accounts": [reverse("dashboard"), reverse("password_change")],
    }


@pytest.mark.parametrize("group", ["rounds", "stakeholders", "followup", "accounts"])
def test_a_nul_in_any_field_of_a_page_keeps_the_entries_and_names_the_field(
    client, make_user, group
):
    world = build_world()
    client.force_login(everything(make_user))
    failures, posted = check_pages(client, product_pages(world)[group])
    assert posted > 0
    assert not failures, "\n".join(map(str, failures))


# -- the admin -----------------------------------------------------------------------------------


def admin_pages(world, user, app_labels) -> list[str]:
    objects = {**world, "user": user, "group": Group.objects.get(name="Analysts")}
    urls = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in app_labels:
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}"
        obj = objects.get(opts.model_name)
        urls.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(_request(user)):
            urls.append(reverse(f"{name}_add"))
        if obj is not None:
            urls.append(reverse(f"{name}_change", args=[obj.pk]))
            urls.append(reverse(f"{name}_delete", args=[obj.pk]))
        if hasattr(model_admin, "import_form_class"):
            urls.append(reverse(f"{name}_import"))
    if "dialogue" in app_labels:
        urls += [
            reverse("admin:password_change"),
            reverse("admin:auth_user_password_change", args=[user.pk]),
        ]
    return urls


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


ADMIN_APPS = {
    "rounds": {"rounds"},
    "stakeholders": {"stakeholders"},
    "followup": {"followup"},
    "accounts": {"dialogue", "auth"},
}


@pytest.mark.parametrize("group", list(ADMIN_APPS))
def test_a_nul_in_any_field_of_an_admin_page_keeps_the_entries_and_names_the_field(
    client, make_user, group
):
    world = build_world()
    user = everything(make_user)
    client.force_login(user)
    failures, posted = check_pages(client, admin_pages(world, user, ADMIN_APPS[group]))
    assert posted > 0
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_sign_in_form_is_named_with_the_user_name_kept(client, make_user, field):
    make_user("ana", "analyst")
    data = {"username": "ana", "password": "wrong password", field: NUL}
    response = client.post(reverse("login"), data)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    if field == "password":
        assert 'value="ana"' in response.text


def test_a_nul_in_the_sign_out_form_signs_out(client, make_user):
    client.force_login(make_user("ana", "analyst"))
    response = client.post(reverse("logout"), {"next": NUL})
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in client.session
