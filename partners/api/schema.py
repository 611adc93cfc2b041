"""The API's schema generator: the OpenAPI document says what the validation refuses.

- Every free-text input (a query parameter, a body field that is a plain string) refuses
  NUL, as Django's string fields do (PostgreSQL cannot store the character): each carries
  the pattern ``NO_NUL`` unless a pattern of its own says more.
- A text filter's ``max_length`` is declared (django-filter's extension leaves it out).
- drf-spectacular writes a blank-allowed string with a pattern as ``oneOf: [the string, an
  empty string]``; when the pattern admits the empty string too, "exactly one of" refuses
  the empty string the API accepts, so the plain string is kept.
"""

import re

from drf_spectacular.openapi import AutoSchema

NO_NUL = "^[^\\u0000]*$"
_EMPTY_STRING = {"type": "string", "maxLength": 0}


def _refuse_nul(schema: dict) -> None:
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & schema.keys():
        schema["pattern"] = NO_NUL


def _admits_empty(schema: dict) -> bool:
    pattern = schema.get("pattern")
    return (
        schema.get("type") == "string"
        and not schema.get("minLength")
        and "format" not in schema
        and (pattern is None or re.search(pattern, "") is not None)
    )


def _request_field(schema: dict) -> None:
    alternatives = schema.get("oneOf")
    if (
        alternatives
        and len(alternatives) == 2
        and alternatives[1] == _EMPTY_STRING
        and _admits_empty(alternatives[0])
    ):
        schema.update(schema.pop("oneOf")[0])
    _refuse_nul(schema)


class PartnerAutoSchema(AutoSchema):
    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else {}
        for parameter in parameters:
            max_length = getattr(filters.get(parameter["name"]), "extra", {}).get("max_length")
            if max_length:
                parameter["schema"]["maxLength"] = max_length
        return parameters

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query" and "schema" in parameter:
                _request_field(parameter["schema"])
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            for field_schema in schema.get("properties", {}).values():
                _request_field(field_schema)
        return schema
