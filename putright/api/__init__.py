"""The versioned JSON API (django-ninja) with its OpenAPI document.

Endpoints are thin: parse, check the caller may, call one service or selector,
present the result. Errors are RFC 9457 problem details.
"""
