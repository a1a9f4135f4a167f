"""Generate a deterministic corpus shaped like ours, in our content formats.

`generate(folder, n=1000, seed=1)` writes:

- content/articles/<year>/<slug>.md: n articles with only the headers authors use
  (Title, Date, Authors, Category, Tags, Summary, Slug) and ~1,000-word bodies of
  generated prose with ## and ### headings, bullet and numbered lists, footnotes,
  a table, a block quote, emphasis, straight quotes and `--` dashes (work for
  typogrify), external links and {filename} links to earlier articles;
- content/authors/: the real author records plus generated ones (about one per
  50 articles), so bylines resolve;
- content/topics/: the real topic records, so the topic aliases used in tags
  resolve to hubs;
- content/pages/ and content/images/: the real pages (the footer links to them)
  and images (author photos);
- content/comments/: approved comments on about 3% of the articles;
- with images=True, also content/images/photos/<slug>.jpg: a featured image for one
  article in ten (IMAGE_EVERY), about 1 MP (IMAGE_SIZE, 1200x850), drawn with
  Pillow from the seed (a gradient, translucent shapes, a coarse texture and fine
  grain, so it encodes like a photograph, not like a flat drawing) and saved as
  JPEG at quality 85; those articles carry `Image:` and `Image_alt:` headers.
  Each image has a random stream of its own (seed and slug), so the articles'
  text is the same with images=False or True: only those two headers and the
  image files differ.

Every article is valid under the site's strict checks: unique slugs, dates
`YYYY-MM-DD HH:MM`, no empty tag items, no images in bodies, one spelling per
plain tag. The same (n, seed, words, images) always gives byte-identical files:
the text comes from one random.Random(seed) stream, each image from its own, and
nothing depends on the clock.

    python -m bench.corpus /tmp/corpus --n 1000 --seed 1 [--images]
"""

import argparse
import datetime
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_CONTENT = ROOT / "content"
CATEGORIES = (("Analysis", 50), ("Threat Matrix", 25), ("Reports", 15), ("Podcasts", 10))
FIRST_DATE = datetime.datetime(2014, 1, 1)
LAST_DATE = datetime.datetime(2026, 6, 30)
COMMENTED_SHARE = 0.03
LINK_SHARE = 0.35  # articles that link to an earlier article with {filename}
# Featured images (generate(images=True)): the articles whose index is IMAGE_EVERY // 2
# modulo IMAGE_EVERY (one in ten, the first the sixth, so 8 articles have one too).
IMAGE_EVERY = 10
IMAGE_SIZE = (1200, 850)  # about 1 MP, as wide as news search wants
IMAGE_FOLDER = "images/photos"  # below the content folder
IMAGE_JPEG = {"quality": 85, "subsampling": "4:2:0"}


def word_list(text):
    """Split a comma-separated list written over several lines."""
    return [item.strip() for item in text.split(",") if item.strip()]


PLACES = word_list(
    """Nigeria, Borno, Yobe, Adamawa, Maiduguri, Sambisa Forest, Lake Chad, Chad, Cameroon,
Far North Region, Diffa, Niger, Tillaberi, Mali, Mopti, Gao, Timbuktu, Kidal, Menaka,
Burkina Faso, Djibo, Ouagadougou, Benin, Togo, Ghana, Cote d'Ivoire, Senegal, Mauritania,
Algeria, Libya, Sirte, Tripoli, Derna, Tunisia, Egypt, Sinai, Sudan, South Sudan, Ethiopia,
Eritrea, Somalia, Mogadishu, Puntland, Bosaso, Jubaland, Kismayo, Lower Shabelle,
Middle Shabelle, Hiiraan, Galmudug, Gedo, Bay, Baidoa, Somaliland, Kenya, Nairobi, Garissa,
Lamu, Mandera, Wajir, Mombasa, Uganda, Kampala, Tanzania, Mozambique, Cabo Delgado, Palma,
Mocimboa da Praia, Niassa, Democratic Republic of Congo, North Kivu, Ituri, Beni,
Central African Republic, Yemen, Aden, Hadramawt, Abyan, Marib, Saudi Arabia, Iraq, Mosul,
Anbar, Kirkuk, Diyala, Salahuddin, Baghdad, Syria, Raqqa, Deir ez-Zor, Idlib, Hasakah, al-Hol,
Homs, Aleppo, Turkey, Jordan, Lebanon, Afghanistan, Kabul, Nangarhar, Kunar, Pakistan,
Khyber Pakhtunkhwa, Balochistan, Tajikistan, Uzbekistan, Philippines, Mindanao, Marawi, Sulu,
Indonesia, Sri Lanka, Maldives, France, Paris, Belgium, Brussels, Germany, Austria, Vienna,
Spain, Barcelona, United Kingdom, Manchester, Sweden, Denmark, Netherlands, Italy, Bosnia,
Kosovo, Russia, Dagestan, Chechnya, United States, Canada, Australia"""
)

THEMES = word_list(
    """Counterterrorism, Propaganda, Amaq, Telegram, Recruitment, Finance, Taxation, Extortion,
Kidnapping, Ransom, Smuggling, Gold Mining, Charcoal Trade, Livestock, Fishing, Zakat,
Cryptocurrency, Hawala, Leadership, Succession, Defections, Amnesty, Reintegration, Prisons,
Detention Camps, Repatriation, Returnees, Foreign Fighters, Women, Children, Education,
Humanitarian Access, Displacement, Refugees, Food Insecurity, Climate, Elections, Governance,
Courts, Sharia, Local Militias, Vigilantes, Civilian Joint Task Force,
Private Military Companies, Wagner Group, Drones, Airstrikes, IEDs, Suicide Bombings, Mortars,
Ambushes, Checkpoints, Sieges, Insider Attacks, Hostages, Beheadings, Massacres,
Sectarian Violence, Ethnic Conflict, Pastoralists, Farmers, Banditry, Piracy, Border Security,
Peacekeeping, AMISOM, ATMIS, MINUSMA, G5 Sahel, Barkhane, Multinational Joint Task Force,
Sanctions, Designations, Terrorist Financing, Online Radicalisation, Social Media, Encryption,
Lone Actors, Plots, Trials, Prosecutions, Intelligence, Surveillance, Negotiations,
Ceasefires, Mediation, Peace Talks, Statebuilding, Corruption, Coups, Military Juntas,
Security Sector Reform, Human Rights, Data, Methodology, Podcast"""
)

CODE_WORDS = word_list(
    """Lafiya Dole, Hadin Kai, Safe Corridor, Deep Punch, Serval, Sangaris, Inherent Resolve,
Roundup, Tamer, Indian Ocean, Linda Nchi, Badbaado, Juba Corridor, Dhabe Dhabe, Shujaa, Fajr,
Sanduq, Whirlwind, Desert Sweep, Harmattan, Crescent Wind, Red Sea, Lion Shield, Iron Fist,
Cold Spring, Long Watch, Quiet Harbour, North Gate, Dry Season, Open River, Stone Bridge,
Green Valley, Black Sand, White Nile, Blue Horizon, Silver Coast, Sahel Dawn, Wadi Storm,
Kivu Shield, Ituri Light, Rovuma Line, Lake Guard, Savannah Watch, Coastal Sweep,
Highland Reach"""
)

GENERIC_ACTORS = (
    "the army",
    "regional forces",
    "local vigilantes",
    "the federal government",
    "African Union troops",
    "the police",
    "community leaders",
    "a splinter faction",
    "rival commanders",
    "the provincial administration",
    "clan elders",
    "humanitarian agencies",
    "the intelligence services",
    "foreign partners",
)
NOUNS = (
    "the insurgency",
    "the group's finances",
    "its media output",
    "the local economy",
    "checkpoint revenue",
    "supply routes",
    "the recruitment pipeline",
    "the leadership council",
    "rural governance",
    "the detention system",
    "cross-border networks",
    "the ransom economy",
    "its courts",
    "the displacement crisis",
    "the security forces' posture",
    "the ceasefire talks",
    "the internal purges",
    "the tax regime",
    "its messaging on Telegram",
    "the succession question",
)
TITLE_NOUNS = (
    "Tax Regime",
    "Media Machine",
    "Succession Crisis",
    "Shadow Courts",
    "Supply Lines",
    "Recruitment Drive",
    "Ransom Economy",
    "Southern Offensive",
    "Northern Retreat",
    "Internal Purges",
    "Drone War",
    "Prison Breaks",
    "Gold Rush",
    "Border Gambit",
    "Rural Strategy",
    "Urban Cells",
    "Funding Gap",
    "Leadership Vacuum",
    "Propaganda Slump",
    "Local Deals",
)
EVENTS = (
    "the Fall of the Last Stronghold",
    "the Election",
    "the Coup",
    "the Ceasefire",
    "the Withdrawal of Foreign Troops",
    "the Prison Break",
    "the Leader's Death",
    "the Split",
    "the Amnesty",
    "the Airstrike Campaign",
    "the Drought",
    "the Peace Deal",
)
VERBS = (
    "expanded into",
    "withdrew from",
    "attacked positions near",
    "consolidated its hold on",
    "negotiated quietly with traders in",
    "taxed farmers around",
    "recruited heavily in",
    "lost ground in",
    "returned to",
    "ambushed convoys outside",
    "imposed its courts on",
    "kidnapped aid workers near",
)
VERDICTS = (
    "the pattern is familiar",
    "the evidence is thin",
    "the numbers tell a different story",
    "local sources disagree",
    "the official account leaves gaps",
    "the trend has held for several years",
    "the change is more apparent than real",
    "nobody expected the shift to be so fast",
)
CONNECTORS = (
    "However, ",
    "In practice, ",
    "By contrast, ",
    "At the same time, ",
    "According to local sources, ",
    "For now, ",
    "Crucially, ",
    "Even so, ",
    "",
    "",
    "",
)
QUOTED = (
    "soldiers of the caliphate",
    "a war of attrition",
    "the apostate army",
    "liberated areas",
    "a temporary setback",
    "the province",
    "repentant fighters",
    "tax receipts",
)
FIRST_NAMES = word_list(
    """Adaeze, Aisha, Amadou, Anders, Ayaan, Bashir, Beatriz, Chiara, Dalia, Dmitri, Elif, Émilie,
Fatou, Farid, Grace, Hamza, Hélène, Ibrahim, Inès, Jonas, Kamal, Leila, Lukas, Mariam, Mateo,
Moussa, Nadia, Nnamdi, Omar, Pilar, Rahel, Rashid, Salma, Sofía, Tariq, Thandiwe, Yasmin,
Yusuf, Zainab, Zoltán"""
)
LAST_NAMES = word_list(
    """Abdi, Achebe, Bakr, Balogun, Cissé, Coulibaly, Demir, Diallo, Eriksen, Farah, Fernández,
Haddad, Ibekwe, Jansen, Kamara, Keïta, Lindqvist, Mahmoud, Mensah, Moreau, Mwangi, Ndiaye,
Novak, Obi, Ouédraogo, Petrov, Rossi, Said, Sall, Schmidt, Sow, Traoré, Umar, Varga, Warsame,
Yilmaz, Zubair"""
)
ROLES = (
    "Fellow, Sahel programme",
    "Senior Analyst, Horn of Africa",
    "Researcher, Lake Chad basin",
    "Data Editor",
    "Fellow, online extremism",
    "Analyst, Middle East",
    "Associate Fellow, counterterrorism policy",
    "Producer, podcasts",
)
SOURCES = (
    "Militancy Monitor incident dataset",
    "Court filing",
    "Interview with a local official",
    "Statement circulated on Telegram",
)
COMMENTERS = ("Marc L.", "Sophie R.", "Fatima B.", "Omar K.", "Wanjiru N.", "Jens P.", "Ana G.")


def fold(name):
    """Fold case, diacritics and punctuation as the site matches tags (topics.tag_key)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def slugify(text, limit=80):
    """Lower-case ASCII words joined by single hyphens, cut at a word boundary."""
    slug = fold(text).replace(" ", "-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def header_value(text, key):
    """Return the value of a `Key: value` header line in a record, or ''."""
    match = re.search(rf"^{key}:\s*(.*)$", text, re.MULTILINE | re.IGNORECASE)
    return match[1].strip() if match else ""


@dataclass
class Topic:
    """A real topic record: the names an article may tag it with."""

    name: str
    spellings: list


@dataclass
class Author:
    """An author an article may name: real or generated."""

    name: str
    slug: str


@dataclass
class Corpus:
    """What was generated, for the report and for the warm-rebuild edit."""

    path: Path
    n: int
    seed: int
    words_target: int
    authors: int = 0
    topics: int = 0
    tags_used: int = 0
    plain_tags: int = 0
    topic_spellings: int = 0
    comments: int = 0
    words_mean: float = 0.0
    article_bytes: int = 0
    categories: dict = field(default_factory=dict)
    articles: list = field(default_factory=list)  # paths relative to the content folder
    # With images=True: {article path: image path}, both relative to the content folder.
    images: dict = field(default_factory=dict)
    image_bytes: int = 0

    @property
    def edit_target(self):
        """The article the warm rebuild edits: one in the middle, always the same."""
        return self.path / self.articles[len(self.articles) // 2]

    @property
    def illustrated_edit_target(self):
        """The article with a featured image nearest the middle (None without images):
        what the rebuild of the image benchmark edits."""
        if not self.images:
            return None
        middle = len(self.articles) // 2
        index = {article: number for number, article in enumerate(self.articles)}
        return self.path / min(self.images, key=lambda a: (abs(index[a] - middle), index[a]))


class Writer:
    """Generated prose from one random stream."""

    def __init__(self, rng, topics, places):
        self.rng = rng
        self.actors = [spelling for topic in topics for spelling in topic.spellings]
        self.actors += list(GENERIC_ACTORS) * 2
        self.places = places

    def pick(self, items):
        return self.rng.choice(items)

    def number(self):
        return (
            f"{self.rng.choice((12, 40, 150, 300, 1200, 2500, 14000)) + self.rng.randrange(90):,}"
        )

    def sentence(self):
        """One sentence of analysis prose, 12 to 35 words."""
        r = self.rng
        actor, place, place2 = (
            self.pick(self.actors),
            self.pick(self.places),
            self.pick(self.places),
        )
        year = r.randrange(2009, 2027)
        forms = (
            f"{self.pick(CONNECTORS)}{actor} {self.pick(VERBS)} {place} in {year}, "
            f"and {self.pick(NOUNS)} changed with it.",
            f"Since {year}, {self.pick(NOUNS)} has depended on {place} more than on {place2}.",
            f"{self.pick(CONNECTORS)}the figures suggest {self.number()} incidents, "
            f"but {self.pick(VERDICTS)}.",
            f'Commanders described the campaign as "{self.pick(QUOTED)}", '
            f"a phrase that says more about {self.pick(NOUNS)} than about the fighting.",
            f"{self.pick(CONNECTORS)}the pressure on {place} -- and on {self.pick(NOUNS)} -- "
            f"has not eased since {year}.",
            f"It's worth asking why {actor} chose {place} rather than {place2}, "
            f"given that {self.pick(VERDICTS)}.",
            f"Analysts who follow {self.pick(NOUNS)} note that {self.pick(VERDICTS)}, "
            f"particularly in {place}.",
            f"{self.pick(CONNECTORS)}{self.pick(GENERIC_ACTORS)} estimate that about "
            f"{self.number()} people were displaced around {place} in {year} alone.",
            f"The group's statements on {self.pick(NOUNS)} were *unusually* specific, "
            f"naming {place} and {place2} as priorities for the coming season.",
            f"{self.pick(CONNECTORS)}what happens in {place} rarely stays there: "
            f"{self.pick(NOUNS)} links it to {place2} and beyond.",
        )
        text = r.choice(forms)
        return text[0].upper() + text[1:]

    def paragraph(self, footnote=None, link=None):
        """Three to six sentences; optionally a footnote reference and a link."""
        sentences = [self.sentence() for _ in range(self.rng.randrange(3, 7))]
        if link:
            sentences.insert(self.rng.randrange(len(sentences) + 1), link)
        if footnote:
            sentences[-1] = sentences[-1] + f"[^{footnote}]"
        return " ".join(sentences)


def article_title(writer, category, place, rng):
    """A headline in the style of the category."""
    actor = writer.pick([a for a in writer.actors if a not in GENERIC_ACTORS])
    noun = rng.choice(TITLE_NOUNS)
    if category == "Threat Matrix":
        month = datetime.date(2000, rng.randrange(1, 13), 1).strftime("%B")
        return f"Threat Matrix: {place}, {month} {rng.randrange(2014, 2027)}"
    if category == "Podcasts":
        return f"Podcast: {actor}'s {noun} in {place}"
    forms = (
        f"{actor}'s {noun} in {place}",
        f"What {rng.choice(EVENTS)} Means for {actor}",
        f"Inside {actor}'s {noun}",
        f"{place}: the {noun} After {rng.choice(EVENTS)}",
        f"The {noun} of {actor} in {place}",
        f"{actor} and the {noun}: Lessons from {place}",
    )
    title = rng.choice(forms)
    return f"Report: {title}" if category == "Reports" else title


def table(rng, place):
    """A small data table, as our incident reports carry."""
    start = rng.randrange(2014, 2021)
    rows = [
        f"| {start + i} | {rng.randrange(5, 400)} | {rng.randrange(10, 3000):,} | "
        f"{rng.choice(('Rising', 'Falling', 'Stable', 'Unclear'))} |"
        for i in range(rng.randrange(3, 7))
    ]
    return "\n".join(
        [
            f"The table below summarises recorded incidents in {place} by year.",
            "",
            "| Year | Attacks | Fatalities | Trend |",
            "|---|---:|---:|---|",
            *rows,
        ]
    )


def bullet_list(writer, rng):
    items = []
    for _ in range(rng.randrange(3, 6)):
        lead = rng.choice(("Speed.", "Timing.", "Cost.", "Reach.", "Money.", "Terrain.", "Trust."))
        items.append(f"- **{lead}** {writer.sentence()}")
    return "Three features stand out:\n\n" + "\n".join(items)


def numbered_list(writer, rng):
    return "\n".join(f"{i}. {writer.sentence()}" for i in range(1, rng.randrange(4, 7)))


def block_quote(writer, author_name):
    return f"> {writer.sentence()} {writer.sentence()} -- {author_name}"


def article_body(writer, rng, words_target, authors, earlier):
    """The Markdown body: sections, subsections, list, table, quote, footnotes."""
    footnotes = rng.randrange(1, 4)
    notes_left = list(range(1, footnotes + 1))
    links_left = []
    if earlier and rng.random() < LINK_SHARE:
        year, slug = rng.choice(earlier)
        links_left.append(
            "We covered the background in "
            f"[an earlier analysis]({{filename}}/articles/{year}/{slug}.md)."
        )
    blocks = []

    def words():
        return sum(len(block.split()) for block in blocks)

    def paragraph():
        note = notes_left.pop(0) if notes_left and rng.random() < 0.35 else None
        link = None
        if links_left and rng.random() < 0.3:
            link = links_left.pop()
        elif rng.random() < 0.08:
            link = f"The [full dataset](https://example.org/data/{rng.randrange(10**6)}) is public."
        return writer.paragraph(note, link)

    blocks += [paragraph(), paragraph()]
    extras = ["table", "bullets", "quote"]
    rng.shuffle(extras)
    section = 0
    while words() < words_target - 260:
        section += 1
        place = writer.pick(writer.places)
        heading = rng.choice(
            (
                f"What happened in {place}",
                f"Why {place} matters",
                "The money",
                "The view from the ground",
                f"{rng.choice(TITLE_NOUNS)} and its limits",
                "Background",
                "How the group adapted",
                "Reading the claims",
            )
        )
        blocks.append(f"## {heading} {section}" if rng.random() < 0.2 else f"## {heading}")
        blocks.append(paragraph())
        if rng.random() < 0.4:
            for sub in rng.sample(
                ("Symbolically", "Organisationally", "Financially", "Locally"), 2
            ):
                blocks += [f"### {sub}", paragraph()]
        else:
            blocks.append(paragraph())
        if extras and rng.random() < 0.6:
            kind = extras.pop()
            if kind == "table":
                blocks.append(table(rng, place))
            elif kind == "bullets":
                blocks.append(bullet_list(writer, rng))
            else:
                blocks.append(block_quote(writer, rng.choice(authors).name))
    for kind in extras:  # every article carries each element once
        blocks.append(
            table(rng, writer.pick(writer.places))
            if kind == "table"
            else bullet_list(writer, rng)
            if kind == "bullets"
            else block_quote(writer, rng.choice(authors).name)
        )
    if notes_left or links_left:  # what is not placed yet goes in a last paragraph
        last = writer.paragraph(link=links_left[0] if links_left else None)
        blocks.append(last + "".join(f"[^{note}]" for note in notes_left))
    blocks += ["## What to watch", numbered_list(writer, rng)]
    for note in range(1, footnotes + 1):
        month = datetime.date(2000, rng.randrange(1, 13), 1)
        source = rng.choice(SOURCES)
        day, year = rng.randrange(1, 29), rng.randrange(2014, 2027)
        blocks.append(f"[^{note}]: {source}, {day} {month:%B} {year}.")
    return "\n\n".join(blocks) + "\n"


def weighted(rng, items, weights, k):
    """k distinct items drawn by weight."""
    chosen = []
    while len(chosen) < k:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def read_topics():
    """The real topic records: name and aliases of each."""
    topics = []
    for path in sorted((REAL_CONTENT / "topics").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        name = header_value(text, "Name")
        aliases = [a.strip() for a in header_value(text, "Aliases").split(",") if a.strip()]
        topics.append(Topic(name, [name, *aliases]))
    return topics


def real_authors():
    authors = []
    for path in sorted((REAL_CONTENT / "authors").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        name = header_value(text, "Name")
        authors.append(Author(name, header_value(text, "Slug") or slugify(name)))
    return authors


def write_author(folder, author, rng, writer):
    links = f"Website <https://example.org/people/{author.slug}>"
    bio = "\n\n".join(writer.paragraph() for _ in range(2))
    (folder / f"{author.slug}.md").write_text(
        f"Name: {author.name}\nSlug: {author.slug}\nRole: {rng.choice(ROLES)}\n"
        f"Links: {links}\n\n{bio}\n",
        encoding="utf-8",
    )


def write_comments(folder, slug, date, rng, writer):
    """One to four approved comments, some replies, all after the article date."""
    target = folder / slug
    target.mkdir(parents=True)
    ids = []
    moment = date
    for number in range(1, rng.randrange(2, 6)):
        name = rng.choice(COMMENTERS)
        comment_id = f"{number:02d}-{slugify(name)}"
        moment += datetime.timedelta(hours=rng.randrange(1, 72), minutes=rng.randrange(60))
        reply = f"Reply-To: {rng.choice(ids)}\n" if ids and rng.random() < 0.4 else ""
        (target / f"{comment_id}.md").write_text(
            f"Name: {name}\nDate: {moment:%Y-%m-%d %H:%M}\n{reply}\n{writer.paragraph()}\n",
            encoding="utf-8",
        )
        ids.append(comment_id)
    return len(ids)


def episode_headers(slug):
    """A podcast episode's audio (README, "Podcast"): a URL on the settings' media host,
    its length and duration made from the slug, so the seeded stream is untouched."""
    seconds = 20 * 60 + sum(slug.encode()) % 2400
    return (
        f"Audio: https://media.militancymonitor.example/podcast/{slug}.mp3\n"
        f"Audio_length: {seconds * 16_000}\n"
        f"Audio_duration: {seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}\n"
    )


def random_colour(rng, low, high):
    return tuple(rng.randrange(low, high) for _ in range(3))


def noise(rng, size, amount):
    """Grey noise of the seeded stream, spread by +-amount around mid-grey."""
    from PIL import Image

    grey = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return grey.point([128 + (value - 128) * amount // 128 for value in range(256)])


def draw_image(rng):
    """A featured image of IMAGE_SIZE and what it shows (for Image_alt).

    A vertical gradient between two colours, translucent ellipses, rectangles and
    polygons over it, softened, then a coarse texture and a fine grain, both from
    the stream (never Pillow's own noise, which has a seed of its own): an upload
    that compresses about as a photograph does. (Pillow is imported here, not with the
    module: the benchmark's own process imports this module and must stay small.)
    """
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    width, height = IMAGE_SIZE
    top, bottom = random_colour(rng, 20, 200), random_colour(rng, 40, 240)
    ramp = Image.linear_gradient("L").resize(IMAGE_SIZE)
    if rng.random() < 0.5:
        ramp = ramp.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    image = Image.merge(
        "RGB",
        [
            ramp.point([a + (b - a) * v // 255 for v in range(256)])
            for a, b in zip(top, bottom, strict=True)
        ],
    )
    draw = ImageDraw.Draw(image, "RGBA")
    shapes = rng.randrange(5, 13)
    for _ in range(shapes):
        x, y = rng.randrange(-200, width), rng.randrange(-200, height)
        w, h = rng.randrange(60, 600), rng.randrange(60, 500)
        fill = (*random_colour(rng, 0, 256), rng.randrange(60, 200))
        kind = rng.choice(("ellipse", "rectangle", "polygon"))
        if kind == "ellipse":
            draw.ellipse((x, y, x + w, y + h), fill=fill)
        elif kind == "rectangle":
            draw.rectangle((x, y, x + w, y + h), fill=fill)
        else:
            corners = rng.randrange(3, 7)
            draw.polygon(
                [(x + rng.randrange(w), y + rng.randrange(h)) for _ in range(corners)], fill=fill
            )
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    coarse = noise(rng, (width // 6, height // 6), 24).resize(IMAGE_SIZE, Image.Resampling.BICUBIC)
    fine = noise(rng, IMAGE_SIZE, rng.randrange(10, 19))
    for grey in (coarse, fine):
        image = ImageChops.add(image, Image.merge("RGB", [grey] * 3), offset=-128)
    tone = "dark" if sum(top) + sum(bottom) < 600 else "light"
    alt = (
        f"Abstract illustration: {shapes} translucent shapes over a {tone}, grainy "
        "gradient, drawn for the benchmark."
    )
    return image, alt


def write_image(content, slug, seed):
    """Draw the featured image of an article into content/IMAGE_FOLDER; return its path
    below content/, its Image_alt text and its size in bytes."""
    image, alt = draw_image(random.Random(f"{seed}:image:{slug}"))
    relative = f"{IMAGE_FOLDER}/{slug}.jpg"
    path = content / relative
    if path.exists():  # one of the site's own images: never overwrite it
        raise FileExistsError(f"{path} exists already")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", **IMAGE_JPEG)
    return relative, alt, path.stat().st_size


def generate(folder, n=1000, seed=1, words=1000, images=False):
    """Write a corpus of n articles into folder/ (which must not exist); return a Corpus.

    images=True also gives one article in ten (IMAGE_EVERY) a featured image of its own.
    """
    content = Path(folder)
    content.mkdir(parents=True)
    for part in ("topics", "authors", "pages", "images"):
        shutil.copytree(REAL_CONTENT / part, content / part)
    rng = random.Random(seed)
    topics = read_topics()
    topic_keys = {fold(spelling) for topic in topics for spelling in topic.spellings}
    plain_tags, seen = [], set(topic_keys)
    for tag in PLACES + THEMES + [f"Operation {word}" for word in CODE_WORDS]:
        if fold(tag) not in seen:  # one spelling per tag key, never a topic's
            seen.add(fold(tag))
            plain_tags.append(tag)
    places = PLACES
    writer = Writer(rng, topics, places)

    authors = real_authors()
    names = {author.name for author in authors}
    (content / "authors").mkdir(exist_ok=True)
    while len(authors) < 4 + min(96, n // 50):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name in names:
            continue
        names.add(name)
        author = Author(name, slugify(name))
        write_author(content / "authors", author, rng, writer)
        authors.append(author)
    author_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(authors))]
    topic_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(topics))]
    tag_order = plain_tags[:]
    rng.shuffle(tag_order)  # which tags are common is part of the seed
    tag_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(tag_order))]

    corpus = Corpus(content, n, seed, words, authors=len(authors), topics=len(topics))
    span = int((LAST_DATE - FIRST_DATE).total_seconds() // 60)
    slugs, earlier, used_tags, total_words = set(), [], set(), 0
    categories = [name for name, _ in CATEGORIES]
    for number in range(n):
        category = rng.choices(categories, [weight for _, weight in CATEGORIES])[0]
        date = FIRST_DATE + datetime.timedelta(minutes=rng.randrange(span))
        place = writer.pick(places)
        title = article_title(writer, category, place, rng)
        slug = slugify(title)
        suffix = 1
        while slug in slugs:  # a repeated title: -2, -3... within the 80 characters
            suffix += 1
            slug = f"{slugify(title, 80 - len(f'-{suffix}'))}-{suffix}"
        slugs.add(slug)
        byline = weighted(rng, authors, author_weights, rng.choices((1, 2, 3), (75, 22, 3))[0])
        tags = []
        for topic in weighted(rng, topics, topic_weights, rng.choice((1, 1, 2))):
            tags.append(rng.choice(topic.spellings))
        tags += weighted(rng, tag_order, tag_weights, rng.randrange(2, 5))
        used_tags.update(tags)
        summary = writer.sentence()
        body = article_body(writer, rng, rng.randrange(words - 150, words + 150), authors, earlier)
        relative = Path("articles", f"{date:%Y}", f"{slug}.md")
        featured = ""
        if images and number % IMAGE_EVERY == IMAGE_EVERY // 2:
            image, alt, size = write_image(content, slug, seed)
            featured = f"Image: {image}\nImage_alt: {alt}\n"
            corpus.images[relative] = image
            corpus.image_bytes += size
        text = (
            f"Title: {title}\nDate: {date:%Y-%m-%d %H:%M}\n"
            f"Authors: {', '.join(a.name for a in byline)}\nCategory: {category}\n"
            f"Tags: {', '.join(tags)}\nSummary: {summary}\nSlug: {slug}\n{featured}"
            f"{episode_headers(slug) if category == 'Podcasts' else ''}\n{body}"
        )
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text, encoding="utf-8")
        corpus.articles.append(relative)
        corpus.categories[category] = corpus.categories.get(category, 0) + 1
        corpus.article_bytes += len(text.encode())
        total_words += len(body.split())
        earlier.append((f"{date:%Y}", slug))
        if rng.random() < COMMENTED_SHARE:
            corpus.comments += write_comments(content / "comments", slug, date, rng, writer)
    corpus.words_mean = total_words / max(n, 1)
    corpus.tags_used = len({fold(tag) for tag in used_tags})
    corpus.topic_spellings = len({tag for tag in used_tags if fold(tag) in topic_keys})
    corpus.plain_tags = len({fold(tag) for tag in used_tags if fold(tag) not in topic_keys})
    return corpus


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the content folder to create")
    parser.add_argument("--n", type=int, default=1000, help="number of articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", type=int, default=1000, help="mean words per article body")
    parser.add_argument(
        "--images", action="store_true", help="give one article in ten a featured image"
    )
    args = parser.parse_args(argv)
    corpus = generate(args.folder, args.n, args.seed, args.words, args.images)
    print(
        f"{corpus.n} articles ({corpus.words_mean:.0f} words on average, "
        f"{corpus.article_bytes:,} bytes), {corpus.authors} authors, {corpus.tags_used} tags, "
        f"{corpus.comments} comments, {len(corpus.images)} featured images "
        f"({corpus.image_bytes:,} bytes) in {corpus.path}"
    )


if __name__ == "__main__":
    main()
