from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """A whole dialogue out to a JSON document and back in (export_dialogue, import_dialogue)."""

    name = "exchange"
