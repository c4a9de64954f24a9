"""REST API views, by resource: the same services, selectors and rules as the pages; only the transport
differs. Each view checks who may act, validates its body with its input serializer and calls one service."""
