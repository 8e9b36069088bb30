"""``/api/queries``: the saved queries of ``queries/*.rq`` as an API, as grlc does.

``GET /api/queries`` lists them; each one is its own operation,
``GET /api/queries/{name}`` (operation id = the file's stem, summary = its
title), with the parameters of the file's header as query-string parameters
documented in ``/openapi.json``. Values are checked and converted by
:func:`kg.sparql.saved.bind` and handed to the store (in a query worker, within the
time limit) as substitutions, never pasted into the query text; an unknown parameter, a repeated one or a bad value is a
:class:`~kg.errors.QueryError` (400). Answers are SPARQL results JSON by
default, or CSV (XML, TSV) by ``Accept`` or ``?format=``, capped at
``settings.max_rows`` rows.

The queries are read once, when the router is built: :func:`router_for`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel

from kg.api import tasks
from kg.api.deps import PoolDep, SettingsDep
from kg.api.negotiation import FORMATS, pick_format
from kg.api.results import respond
from kg.api.workers import QueryPool
from kg.config import Settings
from kg.errors import ConfigError, QueryError
from kg.sparql.saved import SavedQuery, bind, load_queries

__all__ = ["PATH", "ParameterInfo", "QueryInfo", "router_for", "saved_queries_router"]

PATH = "/api/queries"
FORMAT_PARAM = "format"
LIST_OPERATION = "list_saved_queries"

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "date": {"type": "string", "format": "date"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
}
_FORMAT_HELP = (
    "Answer format, overriding Accept: " + ", ".join(f.name for f in FORMATS["solutions"]) + " (default: json)"
)


class ParameterInfo(BaseModel):
    """A parameter of a saved query, as its header declares it."""

    name: str
    type: str
    description: str


class QueryInfo(BaseModel):
    """A saved query: what it is for, its parameters, where to call it, and its text (the file)."""

    name: str
    title: str
    description: str
    parameters: list[ParameterInfo]
    url: str
    query: str


def router_for(settings: Settings) -> APIRouter:
    """The router of every saved query in ``settings.queries_dir``, read now."""
    return saved_queries_router(load_queries(settings.queries_dir))


def saved_queries_router(queries: Mapping[str, SavedQuery]) -> APIRouter:
    """A router with the list of ``queries`` and one GET operation per query."""
    for saved in queries.values():
        _check_servable(saved)
    router = APIRouter(tags=["saved queries"])

    @router.get(PATH, operation_id=LIST_OPERATION, summary="The saved queries")
    async def list_saved_queries(request: Request) -> list[QueryInfo]:
        """Every saved query with its parameters and the URL that runs it."""
        return [_info(saved, request) for saved in queries.values()]

    for saved in queries.values():
        router.add_api_route(
            f"{PATH}/{saved.name}",
            _endpoint(saved),
            methods=["GET"],
            name=_route_name(saved),
            operation_id=saved.name,
            summary=saved.title,
            description=saved.description,
            response_class=Response,
            responses={
                200: {
                    "description": "The query's results (SPARQL results JSON, XML, CSV or TSV)",
                    "content": {f.media_type: {} for f in FORMATS["solutions"]},
                },
                400: {"description": "An undeclared or repeated parameter, or a bad value"},
                406: {"description": "None of the acceptable formats can be given"},
            },
        )
    return router


def _check_servable(saved: SavedQuery) -> None:
    where = f"saved query {saved.name!r}"
    if not _NAME.match(saved.name):
        raise ConfigError(f"{where}: the file name must be letters, digits, '_' or '-' to be served at {PATH}/<name>")
    if saved.name == LIST_OPERATION:
        raise ConfigError(f"{where}: the name is taken by the operation that lists the queries")
    if any(p.name == FORMAT_PARAM for p in saved.params):
        raise ConfigError(f"{where}: parameter {FORMAT_PARAM!r} is reserved for the answer format")


def _route_name(saved: SavedQuery) -> str:
    return f"saved-query:{saved.name}"


def _info(saved: SavedQuery, request: Request) -> QueryInfo:
    return QueryInfo(
        name=saved.name,
        title=saved.title,
        description=saved.description,
        parameters=[ParameterInfo(name=p.name, type=p.type, description=p.description) for p in saved.params],
        url=str(request.url_for(_route_name(saved))),
        query=saved.text,
    )


def _check_query_string(saved: SavedQuery, request: Request) -> None:
    """Refuse parameters the query does not declare, and parameters given twice."""
    params = request.query_params
    for name in params:
        if name != FORMAT_PARAM:
            saved.param(name)
        if len(params.getlist(name)) > 1:
            raise QueryError(f"query {saved.name!r}: parameter {name!r} given more than once")


def _endpoint(saved: SavedQuery) -> Callable[..., Awaitable[Response]]:
    """The endpoint of ``saved``, its signature listing the declared parameters for FastAPI.

    Parameters are declared as strings (their JSON schema says their type) so
    that :func:`kg.sparql.saved.bind` alone checks the values, with 400 errors
    naming the parameter.
    """
    by_argument = {f"param_{i}": p.name for i, p in enumerate(saved.params)}

    async def run_saved_query(
        request: Request, pool: QueryPool, settings: Settings, output_format: str | None = None, **values: str | None
    ) -> Response:
        _check_query_string(saved, request)
        substitutions = bind(saved, {by_argument[arg]: value for arg, value in values.items()})
        fmt = pick_format("solutions", request.headers.get("accept"), output_format)
        if fmt is None:
            offered = ", ".join(f"{f.name} ({f.media_type})" for f in FORMATS["solutions"])
            raise HTTPException(406, f"cannot answer in the requested format; available: {offered}")
        return respond(request, await pool.run(tasks.execute_saved, saved, substitutions, fmt, settings))

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("pool", keyword, annotation=PoolDep),
        inspect.Parameter("settings", keyword, annotation=SettingsDep),
    ]
    for argument, name in by_argument.items():
        param = saved.param(name)
        query = Query(alias=name, title=name, description=param.description, json_schema_extra=_SCHEMAS[param.type])
        parameters.append(inspect.Parameter(argument, keyword, default=None, annotation=Annotated[str, query]))
    output_format = Query(alias=FORMAT_PARAM, description=_FORMAT_HELP)
    parameters.append(
        inspect.Parameter("output_format", keyword, default=None, annotation=Annotated[str, output_format])
    )
    signature = inspect.Signature(parameters, return_annotation=Response)
    run_saved_query.__signature__ = signature  # type: ignore[attr-defined]
    run_saved_query.__name__ = f"run_{saved.name}"
    run_saved_query.__doc__ = saved.description
    return run_saved_query
