"""`POST /graphql`: the configuration API over HTTP.

A small route of our own rather than strawberry's generic view, so that authentication runs before anything
else (but the body's size, bounded for every route in web/body_limits.py) and a refused caller gets a 401 without
the document being looked at. Only JSON POSTs execute (no
queries over GET, no batching, no uploads, no websockets); `GET /graphql` serves GraphiQL in development.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from graphql import GraphQLError
from strawberry.http.ides import get_graphql_ide_html

from robotpayment_app.settings import Environment
from robotpayment_app.web.body_limits import BodyLimit
from robotpayment_app.web.config_api.auth import ApiAuthenticationError, ApiPermissionError, authenticate_staff
from robotpayment_app.web.config_api.context import ConfigApiContext
from robotpayment_app.web.config_api.schema import ConfigApiSchema, build_config_schema, is_unexpected
from robotpayment_app.web.json_body import InvalidJson, JsonTooDeep, parse_json
from robotpayment_app.web.services import AppServices

logger = logging.getLogger(__name__)

CONFIG_API_PATH = "/graphql"
MAX_REQUEST_BYTES = 64 * 1024
INTERNAL_ERROR_MESSAGE = "internal error: the app could not complete this request (it has been logged)"


def _error_response(
    status_code: int,
    message: str,
    code: str,
    headers: dict[str, str] | None = None,
    **details: Any,
) -> JSONResponse:
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code, **details}}]},
        status_code=status_code,
        headers=headers,
    )


# enforced while the body is read (web/body_limits.py), refused as a GraphQL-over-HTTP error the page shows
BODY_LIMIT = BodyLimit(MAX_REQUEST_BYTES, refusal=lambda reason: _error_response(413, reason, "BAD_REQUEST"))


class _BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _graphql_request(body: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    """(query, variables, operationName) of a GraphQL-over-HTTP JSON body."""
    try:
        parsed = parse_json(body)
    except JsonTooDeep as too_deep:
        raise _BadRequest(f"the body is {too_deep.reason}") from None
    except InvalidJson:
        raise _BadRequest('the body must be JSON: {"query": …, "variables": {…}}') from None
    if not isinstance(parsed, dict):
        raise _BadRequest("the body must be one JSON object (batches are not supported)")
    query, variables, operation_name = parsed.get("query"), parsed.get("variables"), parsed.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise _BadRequest("query: must be a non-empty string")
    if variables is not None and not isinstance(variables, dict):
        raise _BadRequest("variables: must be a JSON object")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _BadRequest("operationName: must be a string")
    return query, variables, operation_name


def _formatted(error: GraphQLError) -> dict[str, Any]:
    if is_unexpected(error):
        # the text of an unexpected exception may describe internals; the log has it (see process_errors)
        return {"message": INTERNAL_ERROR_MESSAGE, "path": error.path, "extensions": {"code": "INTERNAL_ERROR"}}
    return dict(error.formatted)


def config_api_router(schema: ConfigApiSchema | None = None) -> APIRouter:
    resolved_schema = schema or build_config_schema()
    router = APIRouter()

    @router.post(CONFIG_API_PATH, include_in_schema=False)
    async def execute(request: Request) -> Response:
        services: AppServices = request.app.state.services
        try:
            session = await authenticate_staff(request.headers, services)
        except ApiAuthenticationError as refused:
            logger.warning("configuration API refused", extra={"reason": refused.reason})
            return _error_response(401, refused.reason, "UNAUTHENTICATED", {"WWW-Authenticate": "Bearer"})
        except ApiPermissionError as forbidden:
            logger.warning("configuration API refused", extra={"reason": str(forbidden)})
            return _error_response(403, str(forbidden), "FORBIDDEN", permissions=forbidden.missing)
        try:
            query, variables, operation_name = _graphql_request(await request.body())
        except _BadRequest as bad:
            return _error_response(400, bad.message, "BAD_REQUEST")
        result = await resolved_schema.execute(
            query,
            variable_values=variables,
            context_value=ConfigApiContext(services, session),
            operation_name=operation_name,
        )
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [_formatted(error) for error in result.errors]
        return JSONResponse(answer)

    @router.get(CONFIG_API_PATH, include_in_schema=False)
    async def graphiql(request: Request) -> Response:
        services: AppServices = request.app.state.services
        if services.settings.environment is not Environment.DEVELOPMENT:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return HTMLResponse(get_graphql_ide_html("graphiql"))

    return router
