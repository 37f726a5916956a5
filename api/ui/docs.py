"""``/docs`` (Swagger UI) and ``/redoc`` served from the installed package: nothing from a CDN.

FastAPI's own pages load their JavaScript and CSS from a CDN, so on a machine without
internet ``/docs`` is blank.  The PyPI package ``fastapi-offline`` ships the Swagger UI
bundle, its CSS and the ReDoc standalone script; they are served under
``/static-offline-docs`` and the two pages point there (ReDoc without Google Fonts).  The
ReDoc bundle names one outside address, its "powered by" logo on a CDN; it is served from
``/redoc-offline.js`` with that address replaced by the local favicon.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_STATIC = "/static-offline-docs"
REDOC_JS = "/redoc-offline.js"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@cache
def redoc_bundle() -> bytes:
    """The ReDoc standalone bundle with its one CDN address pointing at the local favicon."""
    text = (files("fastapi_offline") / "static" / "redoc.standalone.js").read_text(encoding="utf-8")
    return text.replace(REDOC_LOGO, f"{DOCS_STATIC}/favicon.png").encode("utf-8")


def install(app: FastAPI) -> None:
    """Serve ``/docs`` and ``/redoc`` offline (the app must be built with ``docs_url=None, redoc_url=None``)."""
    app.mount(
        DOCS_STATIC, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="offline-docs"
    )
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=oauth2_redirect,
            swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_STATIC}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_JS, include_in_schema=False)
    def redoc_js() -> Response:
        return Response(
            redoc_bundle(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=REDOC_JS,
            redoc_favicon_url=f"{DOCS_STATIC}/favicon.png",
            with_google_fonts=False,
        )
