"""The page itself: the page's data through a Jinja2 template, CSS and script inlined.

The page needs no server and no network: its style, its script and its data
are inside it. The table's rows and the summary's figures are one JSON block
read when the page opens; each document's detail is a JSON block of its own,
read only when the document is opened, so a page of 10,000 documents opens
as fast as a small one. Jinja2 is imported here only, when a page is made.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_TEMPLATES = "templates"


def _asset(name: str) -> str:
    return resources.files("cleaner.html").joinpath(_TEMPLATES, name).read_text("utf-8")


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no `<`, `>` or `&` left as such.

    >>> script_json({"text": "</script>"})
    '{"text":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(data: dict[str, Any], title: str = "cleaner report") -> str:
    """The HTML page of `data` (from `page_data`)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cleaner.html", _TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = env.get_template("report.html.j2")
    return template.render(
        title=title,
        summary=data["index"]["summary"],
        codes=data["index"]["codes"],
        pairs=len(data["index"]["pairs"]),
        css=Markup(_asset("report.css")),
        script=Markup(_asset("report.js")),
        index=Markup(script_json(data["index"])),
        details=[Markup(script_json(d)) for d in data["details"]],
    )
