"""The Content-Security-Policy (django-csp), kept out of settings.py for its length."""

# Content-Security-Policy: everything from our own origin; no inline scripts or styles anywhere.
# Bootstrap's CSS draws form controls with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}


def allowing_form_action_to(policy: dict, url: str) -> dict:
    """The policy with `url`'s origin added to form-action: the logout form is answered by a redirect to the
    identity provider's end-session page (RP-initiated logout), which form-action 'self' would block."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return policy
    directives = dict(policy["DIRECTIVES"])
    directives["form-action"] = [*directives["form-action"], f"{parts.scheme}://{parts.netloc}"]
    return {**policy, "DIRECTIVES": directives}
