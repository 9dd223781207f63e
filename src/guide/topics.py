"""The topic reference: one page per concept under `docs/topics/<category>/`.

Every topic page follows one contract, so that a reader (and a test) finds
the same parts in the same places:

* front matter: `description:` (the one-line definition) and `tags:` (the
  category's tag first, then themes; Material's tags plugin indexes them);
* `# Title`, then an `!!! abstract "In one line"` admonition;
* `## The idea`: display maths (`$$`) and an `!!! tip "Intuition"` admonition;
* `## Implementation`: an included snippet section (`--8<-- "snippets/…"`);
* `## Pitfalls`: at least one `!!! warning` (the classic mistake);
* `## Follow-ups interviewers ask`: at least one bullet;
* `## Questions that test it`: `/// questions | <page slug>`, the questions of
  the banks that carry the page's slug as a tag;
* `## Cards`: at least `MIN_CARDS` cards.

The `/// topics | by category` block (on `docs/topics/index.md`) renders the index of every
topic page by category, with the counts.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from guide.blocks import iter_blocks
from guide.cards import CATEGORIES
from guide.errors import GuideError

TOPICS_DIR = "topics"
MIN_CARDS = 2
# The category's folder -> the tag every page of it carries first.
CATEGORY_TAGS = {
    "llm": "llms",
    "rl": "reinforcement-learning",
    "generative": "generative-models",
    "distributed": "distributed-systems",
    "ml": "general-ml",
    "linalg": "linear-algebra",
}
SECTIONS = (
    "The idea",
    "Implementation",
    "Pitfalls",
    "Follow-ups interviewers ask",
    "Questions that test it",
    "Cards",
)
NOT_TOPICS = ("index.md", "tags.md")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Topic:
    """One topic page: `page` is its path inside `docs/`."""

    page: str
    title: str
    description: str
    tags: tuple[str, ...]

    @property
    def folder(self) -> str:
        return self.page.split("/")[1]

    @property
    def slug(self) -> str:
        return posixpath.basename(self.page).removesuffix(".md")

    @property
    def category(self) -> str:
        return CATEGORIES[f"{TOPICS_DIR}/{self.folder}"]


def is_topic_page(page: str) -> bool:
    parts = page.split("/")
    return (
        len(parts) == 3
        and parts[0] == TOPICS_DIR
        and parts[1] in CATEGORY_TAGS
        and parts[2] not in NOT_TOPICS
    )


def front_matter(text: str) -> dict[str, object]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match["yaml"])
    except yaml.YAMLError as error:
        # MkDocs would silently drop such front matter: the description vanishes.
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 2}" if where else ""
        problem = getattr(error, "problem", None) or "cannot parse"
        message = f"front matter is not valid YAML ({problem}{line}): quote the value"
        raise GuideError(message) from error
    return data if isinstance(data, dict) else {}


def parse_topic(text: str, page: str) -> Topic:
    try:
        meta = front_matter(text)
    except GuideError as error:
        raise GuideError(f"{page}: {error}") from error
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    tags = meta.get("tags") or ()
    return Topic(
        page,
        title,
        str(meta.get("description") or "").strip(),
        tuple(str(t) for t in tags) if isinstance(tags, list) else (),
    )


def _sections(text: str) -> dict[str, str]:
    """The body of each `## ` section, outside code fences."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
            continue
        if current is not None:
            current.append(line)
    return {name: "\n".join(body) for name, body in sections.items()}


def problems(text: str, page: str) -> list[str]:
    """What a topic page lacks under the contract, as `page: message` lines."""
    topic = parse_topic(text, page)
    found: list[str] = []

    def need(ok: object, message: str) -> None:
        if not ok:
            found.append(f"{page}: {message}")

    need(topic.description, "front matter has no description (the one-line definition)")
    category_tag = CATEGORY_TAGS[topic.folder]
    need(
        topic.tags[:1] == (category_tag,) and len(topic.tags) >= 2,
        f"front matter tags must start with {category_tag!r} and add a theme tag",
    )
    need(topic.title, "no '# Title'")
    need('!!! abstract "In one line"' in text, "no '!!! abstract \"In one line\"' admonition")
    sections = _sections(text)
    for name in SECTIONS:
        need(sections.get(name, "").strip(), f"no '## {name}' section, or it is empty")
    idea = sections.get("The idea", "")
    need("$$" in idea, "'## The idea' has no display equation ($$)")
    need('!!! tip "Intuition"' in idea, "'## The idea' has no '!!! tip \"Intuition\"'")
    need(
        '--8<-- "snippets/' in sections.get("Implementation", ""),
        "'## Implementation' includes no snippet",
    )
    need("!!! warning" in sections.get("Pitfalls", ""), "'## Pitfalls' has no '!!! warning'")
    need(
        re.search(r"^[-*] ", sections.get("Follow-ups interviewers ask", ""), re.M),
        "'## Follow-ups interviewers ask' has no bullet",
    )
    lists = [
        b.title
        for b in iter_blocks(sections.get("Questions that test it", ""), page, ("questions",))
    ]
    need(
        topic.slug in lists,
        f"'## Questions that test it' has no '/// questions | {topic.slug}' list",
    )
    cards = list(iter_blocks(sections.get("Cards", ""), page, ("card",)))
    need(
        len(cards) >= MIN_CARDS,
        f"'## Cards' has {len(cards)} cards; a topic has at least {MIN_CARDS}",
    )
    return found


def collect_topics(docs_dir: Path) -> list[Topic]:
    """Every topic page, by category folder then file name."""
    topics = []
    for path in sorted((docs_dir / TOPICS_DIR).glob("*/*.md")):
        page = path.relative_to(docs_dir).as_posix()
        if is_topic_page(page):
            topics.append(parse_topic(path.read_text(encoding="utf-8"), page))
    return topics


def check_topics(docs_dir: Path) -> list[str]:
    """Every contract violation of every topic page."""
    found: list[str] = []
    for path in sorted((docs_dir / TOPICS_DIR).glob("*/*.md")):
        page = path.relative_to(docs_dir).as_posix()
        if is_topic_page(page):
            try:
                found += problems(path.read_text(encoding="utf-8"), page)
            except GuideError as error:
                found.append(str(error))
    return found


def render_index(topics: list[Topic], page: str) -> list[str]:
    """The Markdown of the topic index: a count, then a table per category."""
    here = posixpath.dirname(page)
    order = list(CATEGORY_TAGS)
    by_folder = {f: [t for t in topics if t.folder == f] for f in order}
    used = [f for f in order if by_folder[f]]
    out = [
        f'<p class="guide-topic-count"><strong>{len(topics)} topics</strong> in '
        f"{len(used)} categories.</p>",
        "",
    ]
    for folder in used:
        group = sorted(by_folder[folder], key=lambda t: t.title.lower())
        name = CATEGORIES[f"{TOPICS_DIR}/{folder}"]
        out += [
            f"## {name}",
            "",
            f"{len(group)} topics.",
            "",
            "| Topic | In one line |",
            "|---|---|",
        ]
        for topic in group:
            link = posixpath.relpath(topic.page, here or ".")
            description = topic.description.replace("|", "\\|")
            title = topic.title.replace("|", "\\|")
            out.append(f"| [{title}]({link}) | {description} |")
        out.append("")
    return out


def render_topic_blocks(text: str, page: str, topics: list[Topic]) -> str:
    """Replace each `/// topics` block of a page by the topic index."""
    lines = text.splitlines()
    out: list[str] = []
    position = 0
    for block in iter_blocks(text, page, ("topics",)):
        if block.title != "by category" or block.body.strip() or block.options:
            message = "a topics index is '/// topics | by category' then '///', nothing else"
            raise block.error(message)
        out.extend(lines[position : block.start])
        out.extend(render_index(topics, page))
        position = block.end + 1
    out.extend(lines[position:])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
