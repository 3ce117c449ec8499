"""Named file stores: a model's file field keeps its files in one of `settings.STORAGES`.

A field's storage is fixed when its model is defined; `NamedStorage` looks the store up when it
is first used instead, and again after `STORAGES` changes (the tests point it at a temporary
folder), the way Django's own `default_storage` does.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

_named = []


class NamedStorage(LazyObject):
    """The storage `settings.STORAGES[alias]`, found when first used."""

    def __init__(self, alias: str):
        self.__dict__["alias"] = alias
        super().__init__()
        _named.append(self)

    def _setup(self):
        self._wrapped = storages[self.__dict__["alias"]]


# Materials' files: a private store, never served at an address of its own (see settings).
MATERIALS = NamedStorage("materials")


def materials_storage():
    """The store of materials' files (a callable, so that migrations name it, not its backend)."""
    return MATERIALS


@receiver(setting_changed)
def _forget_storages(*, setting, **kwargs):
    if setting == "STORAGES":
        for storage in _named:
            storage._wrapped = empty
