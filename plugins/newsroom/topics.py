"""The topic registry: tracked groups with canonical names, aliases and profiles."""

import re
from dataclasses import dataclass, field

from pelican.urlwrappers import Tag
from unidecode import unidecode

from .errors import ContentError, Problem
from .frontmatter import check_keys, parse_record, split_list
from .markup import trusted_markdown, typographic
from .slugs import record_slug

ALLOWED_KEYS = {"name", "slug", "aliases", "region", "active", "related", "summary"}


@dataclass
class Topic:
    """One tracked group: its hub page, profile and the names it goes by."""

    name: str
    slug: str
    aliases: list
    region: str
    active: str
    summary: str  # plain text, for descriptions and feeds
    summary_html: str  # typeset, for pages
    profile: str
    related_slugs: list
    source_path: str
    lines: dict = field(default_factory=dict)
    related: list = field(default_factory=list)
    tag: Tag | None = None
    article_count: int = 0


def tag_key(name):
    """Fold case, diacritics and punctuation so `al-Shabaab` matches `Al Shabaab`."""
    return " ".join(re.findall(r"[a-z0-9]+", unidecode(name).lower()))


def topic_from_record(record, settings):
    """Build a Topic from a parsed record file."""
    check_keys(record, ALLOWED_KEYS, "a topic")
    name = record.require("name")
    return Topic(
        name=name,
        slug=record_slug(record, name, settings),
        aliases=split_list(record.meta.get("aliases", "")),
        region=record.meta.get("region", ""),
        active=record.meta.get("active", ""),
        summary=record.require("summary"),
        summary_html=typographic(record.require("summary"), settings),
        profile=trusted_markdown(record.body, settings),
        related_slugs=split_list(record.meta.get("related", "")),
        source_path=record.path,
        lines=record.lines,
    )


class TopicRegistry:
    """Topics by slug, and every name or alias that leads to one of them."""

    def __init__(self, topics, settings, problems):
        self.topics = {}
        self._by_key = {}
        for topic in topics:
            self._add(topic, settings, problems)
        self._link_related(problems)

    def _add(self, topic, settings, problems):
        if topic.slug in self.topics:
            other = self.topics[topic.slug].source_path
            problems.append(
                Problem(
                    topic.source_path,
                    topic.lines.get("slug"),
                    "Slug",
                    f"{topic.slug!r} is also used by {other}",
                )
            )
            return
        for name in [topic.name, *topic.aliases]:
            owner = self._by_key.get(tag_key(name))
            if owner and owner is not topic:
                problems.append(
                    Problem(
                        topic.source_path,
                        topic.lines.get("aliases"),
                        "Aliases",
                        f"{name!r} already leads to {owner.name!r} ({owner.source_path}); "
                        "an alias can belong to one topic only",
                    )
                )
                continue
            self._by_key[tag_key(name)] = topic
        topic.tag = Tag(topic.name, settings)
        topic.tag.slug = topic.slug
        topic.tag.topic = topic
        self.topics[topic.slug] = topic

    def _link_related(self, problems):
        known = ", ".join(sorted(self.topics))
        for topic in self.topics.values():
            for slug in topic.related_slugs:
                if slug not in self.topics:
                    line = topic.lines.get("related")
                    message = f"{slug!r} is not a topic slug; known: {known}"
                    problems.append(Problem(topic.source_path, line, "Related", message))
                    continue
                topic.related.append(self.topics[slug])

    def resolve(self, name):
        """Return the topic a tag name or alias leads to, or None for a plain tag."""
        return self._by_key.get(tag_key(name))

    def __iter__(self):
        return iter(self.topics.values())


def load_topics(sources, settings, problems):
    """Build the registry from scanned topic sources."""
    topics = []
    for source in sources:
        try:
            topics.append(topic_from_record(parse_record(source.text, source.path), settings))
        except ContentError as error:
            problems.append(error.problem)
    return TopicRegistry(topics, settings, problems)


class TagInterner:
    """One Tag object per tag across the site: an alias becomes its topic's tag, and every
    spelling of a plain tag with one slug becomes the first one met."""

    def __init__(self, registry):
        self.registry, self.by_slug, self.by_name = registry, {}, {}

    def canonical(self, tag):
        """Return the site's Tag for a tag as an article names it."""
        known = self.by_name.get(tag.name)  # a name met before needs no slugifying
        if known is None:
            topic = self.registry.resolve(tag.name)
            if topic:
                known = topic.tag
            else:
                known = self.by_slug.setdefault(tag.slug, tag)
                known.topic = None
            self.by_name[tag.name] = known
        return known


def canonical_tags(tags, interner):
    """Replace aliases by their topic's tag, intern plain tags, drop duplicates."""
    result = []
    for tag in tags:
        canonical = interner.canonical(tag)
        if canonical not in result:
            result.append(canonical)
    return result
