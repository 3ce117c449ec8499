"""Additions to the generated OpenAPI schema."""

ERRORS = {
    "400": "The request is not valid: the body names each field (or filter) that is wrong.",
    "401": "No valid session or token was given.",
    "403": "The caller's role does not allow this.",
    "404": "No such record among those the caller may see (or no such page).",
    "409": "Other records depend on this one, so it cannot be deleted.",
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
