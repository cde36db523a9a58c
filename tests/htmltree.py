"""A strict little HTML tree for tests, on the standard library's parser.

Strict where our pages must be: every element but the void ones is closed, end tags
match, ids are unique.  Text is kept as the parser decodes it (entities resolved), so a
test compares what a reader sees.
"""

from __future__ import annotations

import html.parser
from collections import Counter
from collections.abc import Iterator

__all__ = ["Element", "parse"]

VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)


class Element:
    """An element: its tag, attributes, children (elements and text) and parent."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []
        self.parent = parent

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def text(self) -> str:
        """All the text inside, in order, whitespace runs collapsed to one space."""
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._texts()

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find_all(self, tag: str | None = None, *, cls: str | None = None) -> list[Element]:
        """The elements inside (and including) this one with ``tag`` and class ``cls``."""
        return [e for e in self.iter(tag) if cls is None or cls in e.classes]

    def find(self, tag: str | None = None, *, cls: str | None = None) -> Element:
        """The one element that :meth:`find_all` finds; AssertionError otherwise."""
        found = self.find_all(tag, cls=cls)
        assert len(found) == 1, f"expected one {tag or ''}.{cls or ''}, found {len(found)}"
        return found[0]

    def by_id(self, ident: str) -> Element:
        (found,) = [e for e in self.iter() if e.attrs.get("id") == ident]
        return found

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.node = self.root
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), f"repeated attribute in <{tag} {attrs}>"
        element = Element(tag, dict(attrs), self.node)
        self.node.children.append(element)
        if tag not in VOID:
            self.node = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.node)
        self.node.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"end tag of the void element <{tag}>"
        assert self.node.tag == tag, f"</{tag}> closes <{self.node.tag}> ({self.getpos()})"
        assert self.node.parent is not None
        self.node = self.node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse(document: str | bytes) -> Element:
    """The document's tree; AssertionError when it is not well formed or repeats an id."""
    text = document.decode("utf-8") if isinstance(document, bytes) else document
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert builder.node is builder.root, f"<{builder.node.tag}> is never closed"
    ids = Counter(e.attrs["id"] for e in builder.root.iter() if e.attrs.get("id") is not None)
    repeated = sorted(str(i) for i, n in ids.items() if n > 1)
    assert not repeated, f"repeated ids: {repeated}"
    root = builder.root
    root.attrs["doctype"] = builder.doctype
    return root
