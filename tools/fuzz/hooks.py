"""Schemathesis hooks for scripts/fuzz-api.

OpenAPI cannot say that two parameters exclude each other. GET
/api/v1/articles takes `page` or `cursor`, never both (400: the cursor says
where the page starts), so generated requests that carry both drop `page`.
Likewise `sort=relevance` needs `q` and pages by number only (400 beside a
`cursor` or without `q`), and the trash (`status=trashed`) is sorted by
`-updated_at` or `title` only, so such requests drop `sort`.

Nor can it say that a value must be unique. A well-formed `Idempotency-Key`
is drawn from a small space ("0", "A", ...), so two generated creates with
different bodies share one, and the server rightly answers the second 422
(key used for another request), or replays the first answer, whose resource
a later step may have deleted. Each positive request gets a fresh
well-formed key; negative cases (a malformed key, a missing Authorization)
are sent as generated, since editing them makes schemathesis re-label them.
"""

import re
import uuid

import schemathesis

KEY = re.compile(r'^("[ !#-\[\]-~]{1,255}"|[!#-\[\]-~]{1,255})$')


def valid_page(page):
    return isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= 100000


@schemathesis.hook
def map_query(ctx, query):
    # Only a well-formed `page` goes: in a negative case it may be the very
    # value that makes the request invalid.
    if query and "cursor" in query and valid_page(query.get("page")):
        query = dict(query)
        del query["page"]
    if query and query.get("sort") == "relevance" and ("q" not in query or "cursor" in query):
        query = dict(query)
        del query["sort"]
    # Only a well-formed sort the trash does not take goes (a malformed one
    # may be what makes a negative case invalid).
    if query and query.get("status") == "trashed" and query.get("sort") in ("-published_at", "published_at", "relevance"):
        query = dict(query)
        del query["sort"]
    return query


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key" and KEY.match(str(headers[name])):
            headers[name] = f"fuzz-{uuid.uuid4()}"
