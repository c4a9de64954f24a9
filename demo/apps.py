from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for development: accounts, request history, capacity offers and reports. No models.

    It sits above every other app (it drives their services) and no app imports it. With DEBUG off,
    `seed_demo` loads the reference data only.
    """

    name = "demo"
