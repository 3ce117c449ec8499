from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The reference data of the evaluation report and synthetic data at any scale."""

    name = "demo"
