from . import context
from .context import REQUEST_ID_HEADER, incoming_request_id


class AuditContextMiddleware:
    """Give every request an id (our proxy's X-Request-ID, or a new UUID) that audit rows and logs share,
    and set the audit context (that id and the client's address) once, so services never take the request.
    The id is echoed in the response so a user's report of a problem can be matched to its rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_request_id(request)
        with context.request_context(request):
            response = self.get_response(request)
        response.headers.setdefault(REQUEST_ID_HEADER, request.request_id)
        return response
