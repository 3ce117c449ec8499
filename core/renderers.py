"""How forms draw their fields and widgets."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.renderers import Jinja2
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.functional import cached_property


class FormRenderer(Jinja2):
    """Fields and widgets drawn by Jinja2: Django's own Jinja2 copies of its form templates
    (django/forms/jinja2), under the project's few (jinja2/: a field as the product shows it,
    selects and checkbox lists with their options inline). Jinja2 draws a field several times
    faster than Django's template language, and a round's recording page draws hundreds.

    A template neither has (the admin's widget wrappers, the lookup box) is found through
    TEMPLATES, as Django's TemplatesSetting renderer would."""

    field_template_name = "forms/field.html"

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [settings.BASE_DIR / "jinja2", Path(forms.__file__).parent / "jinja2"],
                "NAME": "forms",
                "OPTIONS": {},
            }
        )

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return get_template(template_name)
