"""Choice widgets written in Python rather than through a template per option.

Filter panels list every dialogue (as checkboxes) and every country (as a select); through
Django's templates each option cost more than the rest of the panel, and even Django's
`format_html` spends most of an option's time checking each argument for lazy strings. These
build the same HTML as Django's own widgets (tests/dialogue/test_widgets.py compares them) with
plain string formatting, escaping each value once.
"""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def _escaped(value) -> str:
    """`conditional_escape` without its lazy-string check: safe strings pass as they are."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attributes(attrs: dict) -> str:
    """`flatatt`: a true boolean is the bare name, False and None are left out."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {key}")
        elif value is not False and value is not None:
            parts.append(f' {key}="{_escaped(value)}"')
    return "".join(parts)


def _options(choices):
    """(index, value, label) for every choice, groups flattened and numbered as Django does."""
    for index, (value, label) in enumerate(choices):
        if isinstance(label, (list, tuple)):
            for subindex, (subvalue, sublabel) in enumerate(label):
                yield f"{index}_{subindex}", subvalue, sublabel
        else:
            yield str(index), value, label


def _text(value) -> str:
    return "" if value is None else str(value)


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options, found = [], False
        for _index, option_value, label in _options(self.choices):
            text = _text(option_value)
            selected = not found and text in chosen  # a single select shows one choice
            found |= selected
            options.append(
                f'\n  <option value="{_escaped(text)}"{" selected" if selected else ""}>'
                f"{_escaped(label)}</option>"
            )
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        return mark_safe(
            f'<select name="{_escaped(name)}"{attributes}>{"".join(options)}\n</select>'
        )


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        base_id = attrs.get("id")
        name = _escaped(name)
        options = []
        for index, option_value, label in _options(self.choices):
            text = _text(option_value)
            option_attrs = dict(attrs)
            if text in chosen:
                option_attrs.update(self.checked_attribute)
            label_for = ""
            if base_id:
                option_attrs["id"] = f"{base_id}_{index}"
                label_for = f' for="{_escaped(option_attrs["id"])}"'
            options.append(
                f'<div>\n    <label{label_for}><input type="checkbox" name="{name}" '
                f'value="{_escaped(text)}"{_attributes(option_attrs)}> {_escaped(label)}'
                "</label></div>"
            )
        outer = _attributes({"id": base_id or None, "class": attrs.get("class") or None})
        return mark_safe(f"<div{outer}>{''.join(options)}\n</div>")


class _PythonInput:
    """An <input> written in Python from the widget's own context (Django's
    django/forms/widgets/input.html and attrs.html, without a template per field)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_escaped(widget["value"])}"'
        return mark_safe(
            f'<input type="{_escaped(widget["type"])}" name="{_escaped(name)}"{shown}'
            f"{_attributes(widget['attrs'])}>"
        )


class TextInput(_PythonInput, forms.TextInput):
    pass


class NumberInput(_PythonInput, forms.NumberInput):
    pass


class DateInput(_PythonInput, forms.DateInput):
    pass


class HiddenInput(_PythonInput, forms.HiddenInput):
    pass


class CheckboxInput(_PythonInput, forms.CheckboxInput):
    pass


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        text = _escaped(widget["value"]) if widget["value"] else ""
        return mark_safe(
            f'<textarea name="{_escaped(name)}"{_attributes(widget["attrs"])}>\n{text}</textarea>'
        )


# Django's widget class → the one here that draws the same HTML in Python.
IN_PYTHON = {
    forms.Select: Select,
    forms.TextInput: TextInput,
    forms.NumberInput: NumberInput,
    forms.DateInput: DateInput,
    forms.HiddenInput: HiddenInput,
    forms.CheckboxInput: CheckboxInput,
    forms.Textarea: Textarea,
}


def drawn_in_python(form) -> None:
    """Give the form's fields the widgets above in place of Django's, settings kept: a page of
    hundreds of fields (a round's recording page) spent most of its time in a template each."""
    for field in form.fields.values():
        faster = IN_PYTHON.get(type(field.widget))
        if faster is not None:
            widget = faster.__new__(faster)
            widget.__dict__.update(field.widget.__dict__)
            field.widget = widget
