"""Responses for downloads: a document the app makes is made once per content version (app/services/
stored_documents.py), and every download carries a validator, so a browser's second fetch is answered 304.

The route checks that the user may have the document before calling these, so neither a stored copy nor a 304 goes
to someone who may not see it; `Cache-Control: private, no-cache` makes the browser ask every time.
"""
from collections.abc import Callable

from flask import Response, request
from flask_login import current_user

from app.models import User
from app.security import count_render
from app.services import stored_documents
from app.views import kept, uploaded_file


def made(kind: str, key: object, render: Callable[[], bytes], mimetype: str, filename: str, *,
         inline: bool = False, user: User | None = None, browser_keeps: bool = True) -> Response:
    """Document `kind` `key` as `render` makes it, counted against the render limit of `user` (the signed-in user if
    None) only when it is made; with `browser_keeps` False the browser keeps no copy (nor asks with a validator)."""
    key, current = str(key), stored_documents.version()
    tag = stored_documents.etag(kind, key, current)
    if browser_keeps and tag in request.if_none_match:
        return _validated(Response(status=304), tag)
    content = stored_documents.find(kind, key, current)
    if content is None:
        count_render(user or current_user)
        content = kept(lambda: stored_documents.make(kind, key, current, render))
    disposition = "inline" if inline else "attachment"
    response = Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"'})
    if not browser_keeps:
        response.headers["Cache-Control"] = "no-store"
        return response
    return _validated(response, tag)


def kept_file(kind: str, key: object, content: Callable[[], bytes], filename: str) -> Response:
    """A PDF already kept as it was uploaded or filed: served as it is (it was checked when it came), with a
    validator."""
    key = str(key)
    tag = stored_documents.etag(kind, key, stored_documents.version())
    if tag in request.if_none_match:
        return _validated(Response(status=304), tag)
    return _validated(uploaded_file(content(), filename), tag)


def _validated(response: Response, tag: str) -> Response:
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
