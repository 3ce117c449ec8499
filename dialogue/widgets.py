"""Choice widgets written in Python rather than through a template per option.

Filter panels list every dialogue (as checkboxes) and every country (as a select); through
Django's templates each option cost more than the rest of the panel. The HTML is Django's own.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, options, _index in widget["optgroups"]
                for option in options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<div>\n    <label{}><input type="checkbox" name="{}" value="{}"{}> {}</label></div>',
            (
                (
                    format_html(' for="{}"', option["attrs"]["id"])
                    if option["attrs"].get("id")
                    else "",
                    option["name"],
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for _group, options, _index in widget["optgroups"]
                for option in options
            ),
        )
        outer = {"id": widget["attrs"].get("id"), "class": widget["attrs"].get("class")}
        return format_html(
            "<div{}>{}\n</div>", flatatt({k: v for k, v in outer.items() if v}), options
        )
