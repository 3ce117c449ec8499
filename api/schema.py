"""Additions to the generated OpenAPI schema, and its generator."""

from django.utils.translation import get_language
from drf_spectacular import generators

ERRORS = {
    "400": "The request is not valid: the body names each field (or filter) that is wrong.",
    "401": "No valid session or token was given.",
    "403": "The caller's role does not allow this.",
    "404": "No such record among those the caller may see (or no such page).",
    "409": "Other records depend on this one, or someone else changed it since it was read.",
}


def add_error_responses(result, generator, request, public):
    """Document the error answers every operation may give, with the shape DRF gives them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
        "type": "object",
        "description": "An explanation under `detail`, or a list of messages for each field.",
        "additionalProperties": True,
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": error})
    return result


class SchemaGenerator(generators.SchemaGenerator):
    """The schema served at /api/schema/, built once a process for each language and version.

    It is the same for every caller (SERVE_PUBLIC: the views, not the schema, are scoped) and
    depends only on the code, but building it walks every view and serializer: half a second a
    request. A new process (a deployment) builds it afresh."""

    built: dict = {}

    def get_schema(self, request=None, public=False):
        if not public:
            return super().get_schema(request=request, public=public)
        key = (get_language(), self.api_version)
        if key not in self.built:
            self.built[key] = super().get_schema(request=request, public=public)
        return self.built[key]
