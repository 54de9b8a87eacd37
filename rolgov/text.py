"""Text from people or links, made safe for Streamlit's Markdown: a string in, a Markdown string out.

Two forms, one owner: `literal` shows a value exactly as typed (a code span: a URL parameter, a
mistyped code); `plain` keeps prose readable while nothing in it can act as Markdown (a file name,
a user's name, a cell's message).
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
# Every ASCII punctuation mark may be backslash-escaped in CommonMark; escaping them all keeps
# [x](http://evil.example) and ![t](http://evil.example/t.png) as text (no link, no fetch) and stops
# Streamlit's :red[...] and :material/icon: directives and $math$. GitHub-flavoured autolinks
# (http://…, www.…, name@host) are found after escapes are undone, so a zero-width space breaks them.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|xmpp)(?=[:.])|(?=@)")


def literal(text: object, limit: int = 60) -> str:
    """Text from a link or a person, as a Markdown code span: shown exactly as typed, never a link, an
    image, a colour or a formula (`[登录](http://evil.example)` stays text). Long values are cut."""
    text = _INVISIBLE.sub(" ", str(text))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain(text: object) -> str:
    """Text from people, escaped for any Streamlit element that renders Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u200b", str(text)))
