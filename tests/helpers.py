"""Small assertions shared by the tests."""

import pytest
from django.core.exceptions import ValidationError


def assert_invalid(obj, field: str, fragment: str):
    """full_clean() rejects ``obj`` with a message on ``field`` that contains ``fragment``."""
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    errors = caught.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    assert any(fragment in message for message in errors[field]), errors[field]
