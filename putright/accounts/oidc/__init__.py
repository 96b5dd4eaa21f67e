"""Signing staff in with their organisation's account through OpenID Connect.

mozilla-django-oidc runs the protocol (state, nonce, PKCE, the token exchange, the ID token's
signature); this package says what putright needs around it: the provider's settings
(``provider``), which of its groups give which role and organisations (``groups``), and who a
signed-in account is in putright (``services``), kept in step with those groups at each sign-in.
"""
