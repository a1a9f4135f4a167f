"""Generate a newsroom's WordPress site, deterministically: a WXR export and its uploads.

`make_wordpress_site(n, folder, seed=1)` writes folder/export.xml (WXR 1.2, through
bench/wxr.py) and folder/uploads/YYYY/MM/ (as in wp-content/uploads) and returns
(export path, uploads path); `generate_wordpress_site` does the same and returns a
WordPressSite that counts what was made. The same (n, seed) always gives the same
bytes: the plan comes from one random.Random(seed), each item's text from a stream of
its own (seed and id), each image from another, and nothing reads the clock.

What the site holds, shaped as a news site's WordPress looks after twenty years:

- 13 users (AUTHORS), display names with accents, one whose display name is still
  her login, a staff account and "admin"; Co-Authors Plus from 2010 (CAP_SINCE):
  an `author` term per user (slug cap-<nicename>, name the login, description the
  search string the plugin keeps) on every post from then, and two or three authors
  on about a third of them (dc:creator is the first; the export lists every term by
  name, as WordPress does, so only dc:creator tells who came first);
- 8 categories (News and its child Weekly Brief, Analysis, Opinion, Reports,
  Podcast, Interviews, Uncategorized), a post in one or two; 150 tags, spellings
  that fold to one name among them (Al-Shabaab, Al Shabaab, al-Shabaab; Boko Haram,
  boko haram; ISWAP, Iswap) with the slugs WordPress gives them (al-shabaab,
  al-shabaab-2, ...), and accented place names (Tillabéri: slug tillaberi);
- n posts from 2006 to mid-2026 (more of them in later years), permalinks
  /%year%/%monthnum%/%day%/%postname%/ in the site's time (Europe/London, so the
  GMT fields differ by an hour in summer); mostly published, with drafts and pending
  posts (no GMT date, pubDate "Mon, 30 Nov -0001 ...", often no post_name), private,
  scheduled (future, after the export date), a few in the trash (slug__trashed and
  the trash meta) and two sticky ones; when n >= 30, at least one of each;
- bodies of the classic editor (paragraphs split by blank lines, no <p>; CRLF line
  ends in some early ones; &nbsp; and entities) before 2019, of the block editor
  (<!-- wp:paragraph --> and friends, list and quote markup as of their year) after,
  with a classic post now and then; headings, lists, block quotes, links to earlier
  posts by permalink and by ?p=ID, external links, [caption] shortcodes or image
  blocks around sized uploads (name-1024x576.jpg), a few [gallery ids=...], rare
  YouTube iframes and embeds, tables, <!--more--> on some, custom excerpts on some,
  [audio] on podcast episodes (and WordPress's enclosure meta);
- post meta: _edit_last, _thumbnail_id (a featured image on about 60% of posts from
  2010, reused from a handful of uploads, whatever their upload date), Yoast's meta
  description on some, _wp_old_slug on a few (slugs changed after publishing);
- threaded comments (replies up to 3 deep) on about 40% of published posts: mostly
  approved, some held ("0"), spam and trash, pingbacks and trackbacks, replies by
  the authors (user_id), type "" before WordPress 5.5 and "comment" after, Akismet's
  comment meta (its history serialised as PHP does);
- 10 attachments (status inherit, caption in the excerpt, alt text, the attached
  file and its PHP-serialised metadata with WordPress's four sizes): 8 JPEG photos
  and 2 PNG charts, all 1,200 px wide (the site's news-search width: no featured
  image narrower, see plugins/newsroom/image_rules.py) and small, drawn with Pillow
  with their resized copies beside them;
- 5 pages (a parent and its child, one draft) with _wp_page_template, and a menu
  (a nav_menu term, three nav_menu_item items), as every WordPress export has.

Items are written in the order MySQL's type_status_date index gives export_wp()'s
query (post type, then status, then date): attachments first, then menu items, pages
and posts, drafts before published ones. Link targets always come from the plan, so
the order changes no text.

    python -m bench.wordpress /tmp/wp --n 1000 --seed 1
"""

import argparse
import bisect
import datetime
import random
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from bench.wxr import ZERO_DATE, Author, Comment, Meta, Post, Site, Term, php_serialize, write_wxr

SITE_URL = "https://militancymonitor.example"
UPLOADS_URL = f"{SITE_URL}/wp-content/uploads"
EXPORTED = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
FIRST_DATE = datetime.datetime(2006, 3, 1, tzinfo=datetime.UTC)
LAST_DATE = datetime.datetime(2026, 6, 28, tzinfo=datetime.UTC)
TIMEZONE = zoneinfo.ZoneInfo("Europe/London")
BLOCK_EDITOR_SINCE = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)  # WordPress 5.0
NESTED_LISTS_SINCE = datetime.datetime(2022, 11, 1, tzinfo=datetime.UTC)  # list-item blocks
CAP_SINCE = datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC)  # Co-Authors Plus installed
THUMBNAILS_SINCE = CAP_SINCE  # the theme with featured images came with it
COMMENT_TYPE_SINCE = datetime.datetime(2020, 8, 11, tzinfo=datetime.UTC)  # WordPress 5.5
AKISMET_SINCE = datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC)
COAUTHOR_SHARE = 0.33
FEATURED_SHARE = 0.6
COMMENTED_SHARE = 0.4
IMAGE_WIDTH = 1200  # every upload: plugins/newsroom/image_rules.py NEWS_WIDTH
PHOTO_HEIGHT, CHART_HEIGHT = 675, 800
# WordPress's default intermediate sizes: name, width, height, cropped.
SIZES = (
    ("thumbnail", 150, 150, True),
    ("medium", 300, 300, False),
    ("medium_large", 768, 0, False),
    ("large", 1024, 1024, False),
)

# login, display name, first name, last name (user ids from 1, in this order)
AUTHORS = (
    ("admin", "admin", "", ""),
    ("amara", "Amara Okonkwo", "Amara", "Okonkwo"),
    ("hmarchetti", "Hélène Marchetti", "Hélène", "Marchetti"),
    ("ywarsame", "Yusuf Abdi Warsame", "Yusuf", "Abdi Warsame"),
    ("isane", "Ibrahima Sané", "Ibrahima", "Sané"),
    ("mariam.toure", "Mariam Touré", "Mariam", "Touré"),
    ("jlindqvist", "Jonas Lindqvist", "Jonas", "Lindqvist"),
    ("zbello", "Zainab Bello", "Zainab", "Bello"),
    ("sholm", "Søren Holm", "Søren", "Holm"),
    ("aicha", "Aïcha Diallo-Koné", "Aïcha", "Diallo-Koné"),
    ("tferreira", "Tomás Ferreira", "Tomás", "Ferreira"),
    ("fnjeri", "fnjeri", "", ""),
    ("webdesk", "Monitor Staff", "", ""),
)
# How often each user writes (admin almost never).
AUTHOR_WEIGHTS = (0.2, 9, 8, 7, 6, 6, 5, 5, 4, 4, 3, 2, 4)

# id, slug, name, parent slug, description, weight
CATEGORIES = (
    (1, "uncategorized", "Uncategorized", "", "", 3),
    (2, "news", "News", "", "Short reports on attacks, arrests and political moves.", 30),
    (3, "analysis", "Analysis", "", "Longer pieces that put events in context.", 28),
    (4, "opinion", "Opinion", "", "", 9),
    (5, "reports", "Reports", "", "Research reports and data releases.", 10),
    (6, "podcast", "Podcast", "", "Conversations with researchers and reporters.", 5),
    (7, "interviews", "Interviews", "", "", 6),
    (8, "weekly-brief", "Weekly Brief", "news", "The week in five items.", 9),
)


def word_list(text):
    """Split a comma-separated list written over several lines."""
    return [item.strip() for item in text.split(",") if item.strip()]


# Armed groups as the text names them (several per tag below).
GROUPS = (
    "Islamic State",
    "ISWAP",
    "Al Shabaab",
    "Boko Haram",
    "JNIM",
    "the Islamic State Sahel Province",
    "Islamic State Mozambique",
    "al-Qaeda in the Islamic Maghreb",
    "Ansaru",
    "the Islamic State Somalia Province",
)
PLACES = word_list(
    """Borno, Yobe, Adamawa, Maiduguri, Lake Chad, Diffa, Tillabéri, Tahoua, Ménaka, Gao,
Mopti, Ségou, Kidal, Timbuktu, Djibo, Kaya, Fada N'Gourma, Ouagadougou, Liptako-Gourma,
Mogadishu, Lower Shabelle, Middle Shabelle, Jubaland, Gedo, Bay, Hiiraan, Puntland, Bosaso,
Kismayo, Mandera, Garissa, Lamu, Cabo Delgado, Mocímboa da Praia, Palma, Niassa, Ituri,
North Kivu, Beni, Sirte, Sinai, Anbar, Deir ez-Zor, Raqqa, al-Hol, Idlib, Nangarhar, Kunar,
Mindanao, Zamfara, Katsina, Far North Region, Mora, Bama, Gwoza, Monguno, Baga, Kolofata,
Niamey, Bamako, Nouakchott, Côte d'Ivoire, Benin, Togo, Atakora, Kenya, Somalia, Mali, Niger,
Burkina Faso, Nigeria, Cameroon, Chad, Mozambique"""
)
THEMES = word_list(
    """propaganda, recruitment, financing, kidnapping, improvised explosive devices, drones,
displacement, prisons, defections, negotiations, elections, food insecurity, gold mining,
cattle rustling, taxation, foreign fighters, online networks, peacekeeping, sanctions,
humanitarian access, rehabilitation, local militias, border security, maritime security,
succession, courts, schools, mobile networks, airstrikes, mercenaries, arms trafficking,
youth unemployment, climate pressure, land disputes, religious authority, media operations,
claims of responsibility, suicide bombings, hostage releases, amnesty programmes"""
)
# Tags: each concept's spellings, as editors typed them over the years (all kept:
# WordPress made a second and third tag with slugs -2 and -3).
TAG_SPELLINGS = (
    ("Al-Shabaab", "Al Shabaab", "al-Shabaab"),
    ("Boko Haram", "boko haram"),
    ("ISWAP", "Iswap"),
    ("Islamic State",),
    ("JNIM",),
    ("AQIM",),
    ("Ansaru",),
    ("Islamic State Sahel",),
    ("Islamic State Mozambique",),
    ("Islamic State Somalia",),
    ("al-Qaeda",),
    ("Wagner Group",),
    ("ADF",),
)
EXTRA_TAGS = word_list(
    """Data, Maps, Weekly brief, Podcast episodes, Interviews, Explainers, Timelines, Court
cases, UN reports, Ceasefires, Hostages, Women and conflict, Children and conflict, Sahel,
Horn of Africa, Lake Chad Basin, West Africa, East Africa, North Africa, Middle East,
Southern Africa, Counterterrorism, African Union, ECOWAS, G5 Sahel, MINUSMA, AMISOM, ATMIS,
Multinational Joint Task Force, Operation Barkhane"""
)
TITLES = (
    "{group} attack in {place}: what we know",
    "Why {group} is moving into {place}",
    "{place}: displacement rises after raids",
    "Inside the {theme} economy of {place}",
    "How {group} uses {theme}",
    "The {theme} question in {place}",
    "{group} after the fall of {place}",
    "Weekly brief: {place}, {place2} and {theme}",
    "Q&A: {theme} and the conflict in {place}",
    "“We have nowhere to go”: civilians caught between {group} and the army in {place}",
    "Five things to know about {group} in {year}",
    "Can talks with {group} work?",
    "{group}'s claims in {place}, checked against the record",
    "Data: violence in {place} by the numbers, {year}",
    "Mapping {theme} across the {region}",
    "Podcast: {group}, {theme} and the road to {place}",
    "Interview: a researcher on {theme} in {place}",
    "Opinion: {place} needs more than soldiers",
    "{group} and {group2}: rivals in {place}",
    "Report: {theme} and armed groups in the {region}",
    "The long shadow of {place}",
    "After the offensive: {place} one year on",
)
REGIONS = ("Sahel", "Lake Chad basin", "Horn of Africa", "Levant", "Mozambique Channel")
SENTENCES = (
    "{group} has turned its attention to {place} over the past year, according to incidents "
    "recorded by the monitor.",
    "Attacks attributed to {group} around {place} rose in the second half of {year}, although "
    "the number of deaths reported fell.",
    "Officials in {place} describe a pattern of roadside bombs followed by raids on isolated "
    "army posts.",
    "The group's statements on {theme} have become more frequent, which suggests an effort to "
    "reach new audiences.",
    "It is still unclear how much direction the leadership gives to the fighters operating "
    "near {place}.",
    "Aid agencies say that access to {place} has narrowed since the rainy season began.",
    "Taxes on traders and herders remain the most reliable source of income for {group} in "
    "rural areas.",
    "A rival faction contests the same supply routes, and clashes between the two have killed "
    "dozens of fighters.",
    "The government's response has relied heavily on airstrikes, with mixed results for "
    "civilians near the front line.",
    "Former members interviewed for this piece described recruitment that relied more on debt "
    "and pressure from relatives than on ideology.",
    "Claims published by the group's media outlets often inflate casualty figures and should "
    "be read with caution.",
    "The timing of the attack, days before talks on {theme}, is unlikely to be a coincidence.",
    "Displacement from {place} has strained host communities that were already short of food "
    "and water.",
    "Regional forces have struggled to hold ground once an offensive ends.",
    "The data do not yet show whether the fall in incidents reflects military pressure or a "
    "change of tactics.",
    "Kidnapping for ransom has become a steady business on the roads between {place} and {place2}.",
    "Local defence militias have filled gaps left by the army, at the cost of new cycles of "
    "reprisal.",
    "Messages circulating in closed channels point to internal disputes over the sharing of "
    "spoils.",
    "Traders in {place} say the market reopened within weeks of the last major attack.",
    "Our count relies on local media, non-governmental organisations and official statements, "
    "each checked against at least one other source.",
    "The {theme} side of the conflict is often missed in coverage that follows the fighting alone.",
    "Movement across the border between {place} and {place2} complicates any purely national "
    "response.",
    "Talks with armed groups, long treated as taboo, are now discussed openly by some officials.",
    "There is little sign that the latest change of leadership has altered the group's priorities.",
    "Prison breaks have repeatedly refilled the ranks of armed groups in the {region}.",
    "Footage released by the group suggests access to commercial drones that were rare a few "
    "years ago.",
    "Fewer schools in {place} have been attacked this year, but many remain closed.",
    "Mobile networks in parts of {place} are switched off for weeks at a time, which limits "
    "reporting.",
    "Competition between {group} and {group2} has shaped the map of violence more than state "
    "action has.",
    "Any estimate of the group's strength has to allow for the seasonal rhythm of the fighting.",
    "About {number} incidents were recorded in {place} in {year}, most of them in the dry season.",
    "The army announced the recapture of {place} in {month}, a claim local sources only partly "
    "confirm.",
    "Analysts disagree on whether {group} is growing or merely more visible.",
    "Families of those abducted near {place} say they have had no news for months.",
    "The sanctions have done little to slow the flow of money through informal transfer networks.",
    "In the camps around {place}, young men are the group most often suspected and most "
    "often detained.",
    "The group's Arabic and Hausa statements do not always say the same thing, a gap worth "
    "watching.",
    "Peacekeepers have left {place}, and no other force has yet taken their place.",
    "This pattern fits what earlier research found about {theme} in the {region}.",
    "None of this makes the group unbeatable, but it does make it patient.",
)
OPINION_SENTENCES = (
    "In our view, the emphasis on military answers has crowded out everything else.",
    "The question is not whether to talk to armed groups but who should do it, and on what terms.",
    "Donors who fund stabilisation programmes need to be honest about what they can achieve.",
    "A policy that treats every herder as a suspect will recruit more fighters than it stops.",
)
HEADINGS = (
    "Background",
    "What changed in {year}",
    "The view from {place}",
    "Money and supplies",
    "Recruitment",
    "Beyond the border",
    "What to watch",
    "A note on our data",
    "Competing claims",
    "The government's answer",
    "The human cost",
    "Outlook",
    "How {group} is organised",
    "{theme}",
)
LIST_ITEMS = (
    "Attacks on army positions near {place}",
    "Abductions on the road to {place2}",
    "New statements on {theme}",
    "Clashes between {group} and {group2}",
    "Airstrikes reported around {place}",
    "Displacement towards {place2}",
    "Arrests of suspected financiers in {place}",
    "A pause in fighting during the harvest",
    "Releases of hostages after negotiations",
    "Local militias recruiting in {place}",
)
QUOTES = (
    "We used to travel to the market every week. Now we go once a month, in a group, and only "
    "in daylight.",
    "They did not ask us what we believed. They asked what we owned.",
    "Every time the soldiers leave, the others come back the same night.",
    "The first thing we lost was the school. After that people stopped counting.",
    "Nobody here calls them by the name the newspapers use.",
    "The roads are open on paper. In practice you pay at every checkpoint, whoever runs it.",
)
SPEAKERS = (
    "a trader in {place}",
    "a teacher displaced from {place}",
    "a local official who asked not to be named",
    "an aid worker in {place}",
    "a former fighter now in a rehabilitation programme",
)
READERS = word_list(
    """Kwame A., Lucía P., Idris M., Ngozi E., Pierre-Yves T., Halima S., Björn K., Amadou K.,
Rania H., J. Mwangi, Émilie R., Sadiq, Tunde O., Marta G., Hassan Y., Chiara B., Oumar D.,
Li Wei, Anonymous, Mohamed A."""
)
COMMENT_SENTENCES = (
    "Thank you for this; the section on {theme} matches what colleagues in {place} have been "
    "saying.",
    "How confident are you in the figures for {year}? Other counts I have seen are lower.",
    "Useful piece. It would help to compare this with the situation in {place2}.",
    "I think the role of local militias deserves more attention than it gets here.",
    "The map is very clear, thank you.",
    "Is there a source for the claim about the supply routes?",
    "As someone from {place}, I can say the situation on the ground is even more complicated.",
    "Good analysis, but the government's side of the story is missing.",
    "This is the first article I have read that explains the split properly.",
    "Could you write more about what happens to people who leave the group?",
    "Agreed, the timing cannot be an accident.",
    "The link to the earlier report seems to be broken.",
)
SPAM = (
    "Very informative article, I bookmarked your blog for later!!",
    "Great content. Check my site for the best deals on cheap flights.",
    "I like the valuable info you provide in your articles. I will visit again.",
)
PINGBACK_SITES = (
    ("Sahel Watch", "https://sahelwatch.example"),
    ("The Conflict Digest", "https://conflictdigest.example"),
    ("Horn Notes", "https://hornnotes.example"),
    ("Reading list | Security Studies Blog", "https://securitystudies.example"),
)
EXTERNAL_LINKS = (
    ("the UN Security Council's latest report", "https://un.example/security-council/report"),
    ("figures from the humanitarian coordination office", "https://reliefdata.example/sahel"),
    ("a recent academic study", "https://journal.example/articles/2021/armed-groups"),
    ("the government's statement", "https://gov.example/press/statement"),
)
PHOTOS = (
    ("patrol-lake-chad", "A patrol on the shore of Lake Chad", "Soldiers on patrol near Baga."),
    ("market-maiduguri", "A market street in Maiduguri", "The Monday market in Maiduguri."),
    ("convoy-sahel", "A convoy on a desert road", "A supply convoy between Gao and Ménaka."),
    ("coast-cabo-delgado", "The coastline of Cabo Delgado", "The coast north of Pemba."),
    ("checkpoint-mogadishu", "A checkpoint in Mogadishu", "A checkpoint on the airport road."),
    ("river-niger", "The Niger river at dusk", "The Niger river near Tillabéri."),
    ("camp-diffa", "Shelters in a camp for displaced people", "A camp outside Diffa."),
    ("hills-mandara", "The Mandara mountains", "The Mandara mountains seen from Mora."),
)
CHARTS = (
    ("incidents-by-month", "Chart: incidents by month", "Incidents recorded each month."),
    ("displacement-by-region", "Chart: displacement by region", "People displaced, by region."),
)
PAGES = (
    # slug, title, parent slug, status, menu order
    ("editorial-standards", "Editorial standards", "", "publish", 1),
    ("sourcing-and-verification", "Sourcing and verification", "editorial-standards", "publish", 1),
    ("contact", "Contact us", "", "publish", 3),
    ("our-data", "Our data", "", "publish", 2),
    ("newsletter", "Newsletter", "", "draft", 4),
)
STATUS_SHARES = (
    ("publish", 0.925),
    ("draft", 0.03),
    ("pending", 0.015),
    ("private", 0.015),
    ("future", 0.005),
    ("trash", 0.01),
)
ITEM_TYPE_ORDER = ("attachment", "nav_menu_item", "page", "post")
VIDEO_ID_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789_-"


def wp_slug(text):
    """A slug as WordPress's sanitize_title() makes one: accents removed, lower case,
    anything but letters, digits, spaces and dashes dropped, spaces and dots as dashes."""
    text = unicodedata.normalize("NFKD", text.replace("&amp;", "").replace("&", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace(".", "-").replace("’", "").replace("'", "")
    text = re.sub(r"[^a-z0-9 _-]", "", text)
    return re.sub(r"-+", "-", re.sub(r"\s+", "-", text.strip())).strip("-")


def unique_slug(slug, taken):
    """slug, or slug-2, slug-3... as WordPress makes a taken slug unique."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def mysql(moment):
    return f"{moment:%Y-%m-%d %H:%M:%S}"


@dataclass
class Upload:
    """An attachment: one image in the uploads folder and its resized copies."""

    id: int
    slug: str
    title: str
    alt: str
    caption: str
    kind: str  # "jpeg" or "png"
    date: datetime.datetime  # UTC
    width: int = IMAGE_WIDTH
    height: int = PHOTO_HEIGHT
    parent: int = 0
    files: dict = field(default_factory=dict)  # size name -> (file name, width, height, bytes)

    @property
    def folder(self):
        local = self.date.astimezone(TIMEZONE)
        return f"{local:%Y}/{local:%m}"

    @property
    def file(self):
        return f"{self.slug}.{'jpg' if self.kind == 'jpeg' else 'png'}"

    def url(self, size=None):
        name = self.files[size][0] if size else self.file
        return f"{UPLOADS_URL}/{self.folder}/{name}"

    def size(self, name):
        """(width, height) of a size, or of the original."""
        if name is None:
            return self.width, self.height
        return self.files[name][1:3]


@dataclass
class Planned:
    """A post as the plan has it, before its text is written."""

    id: int
    index: int
    date: datetime.datetime  # UTC
    title: str
    slug: str
    status: str
    authors: list
    categories: list
    tags: list
    group: str
    group2: str
    place: str
    place2: str
    theme: str
    featured: int = 0
    comments: int = 0
    first_comment_id: int = 0
    sticky: bool = False
    old_slug: str = ""

    @property
    def local(self):
        return self.date.astimezone(TIMEZONE)

    @property
    def permalink(self):
        local = self.local
        return f"{SITE_URL}/{local:%Y}/{local:%m}/{local:%d}/{self.slug}/"


@dataclass
class WordPressSite:
    """What generate_wordpress_site made: paths and counts."""

    export: Path
    uploads: Path
    n: int
    seed: int
    authors: int = 0
    categories: int = 0
    tags: int = 0
    pages: int = 0
    attachments: int = 0
    menu_items: int = 0
    statuses: dict = field(default_factory=dict)
    coauthored: int = 0
    featured: int = 0
    comments: dict = field(default_factory=dict)  # approved value -> count
    comment_types: dict = field(default_factory=dict)
    features: dict = field(default_factory=dict)  # body element -> posts with it
    export_bytes: int = 0
    upload_files: int = 0
    upload_bytes: int = 0

    @property
    def comment_total(self):
        return sum(self.comments.values())


class Text:
    """Prose for one item, from its own random stream and the post's subject."""

    def __init__(self, rng, plan):
        self.rng = rng
        self.plan = plan
        self.used = set()

    def fill(self, template):
        rng, plan = self.rng, self.plan
        near = rng.random() < 0.65  # most sentences stay on the post's subject
        return template.format(
            group=plan.group if near else rng.choice(GROUPS),
            group2=plan.group2,
            place=plan.place if near else rng.choice(PLACES),
            place2=plan.place2,
            theme=plan.theme if near else rng.choice(THEMES),
            region=rng.choice(REGIONS),
            year=plan.local.year if near else rng.randint(2006, plan.local.year),
            month=rng.choice(("January", "March", "May", "July", "September", "November")),
            number=rng.randrange(12, 400),
        )

    def sentence(self, opinion=False):
        """A sentence this item has not used yet (after a few tries, any)."""
        bank = OPINION_SENTENCES if opinion and self.rng.random() < 0.3 else SENTENCES
        for _ in range(4):
            template = self.rng.choice(bank)
            if template not in self.used:
                break
        self.used.add(template)
        text = self.fill(template)
        return text[0].upper() + text[1:]

    def sentences(self, low, high, opinion=False):
        return [self.sentence(opinion) for _ in range(self.rng.randint(low, high))]


def title_for(rng, group, group2, place, place2, theme, year, category):
    """A headline for a post of a category."""
    forced = {"podcast": 15, "interviews": 16, "opinion": 17, "weekly-brief": 7, "reports": 19}
    if category in forced:
        template = TITLES[forced[category]]
    else:
        template = rng.choice([t for i, t in enumerate(TITLES) if i not in forced.values()])
    title = template.format(
        group=group,
        group2=group2,
        place=place,
        place2=place2,
        theme=theme,
        year=year,
        region=rng.choice(REGIONS),
    )
    return title[0].upper() + title[1:]


def plan_site(n, seed):
    """Everything but the text: users, terms, uploads, pages, posts, their ids, statuses,
    terms, featured images and comment counts, from one random stream."""
    rng = random.Random(seed)
    authors = [
        Author(number, login, f"{login.replace('.', '')}@militancymonitor.example", *names)
        for number, (login, *names) in enumerate(AUTHORS, start=1)
    ]
    nicenames = {author.login: wp_slug(author.login) for author in authors}
    categories = {
        slug: Term(term_id, "category", slug, name, parent, description)
        for term_id, slug, name, parent, description, _ in CATEGORIES
    }
    category_weights = [weight for *_, weight in CATEGORIES]
    # Tags: each concept's spellings, the groups' first; then places, themes, extras.
    taken, tags, concepts = set(), [], []
    term_id = 20
    names = list(TAG_SPELLINGS)
    names += [(name,) for name in PLACES + [theme.capitalize() for theme in THEMES] + EXTRA_TAGS]
    for spellings in names:
        concept = []
        for name in spellings:
            term_id += 1
            tag = Term(term_id, "post_tag", unique_slug(wp_slug(name), taken), name)
            tags.append(tag)
            concept.append(tag)
        concepts.append(concept)
    concept_order = concepts[:]
    rng.shuffle(concept_order)
    concept_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(concept_order))]
    group_concepts = concepts[: len(TAG_SPELLINGS)]
    cap_terms = {
        author.login: Term(
            500 + author.id,
            "author",
            f"cap-{nicenames[author.login]}",
            author.login,
            description=" ".join(
                str(part)
                for part in (
                    author.display_name,
                    author.first_name,
                    author.last_name,
                    author.login,
                    author.id,
                    author.email,
                )
            ),
        )
        for author in authors
    }
    menu = Term(400, "nav_menu", "main-menu", "Main menu")

    # When each post was written: later years have more (u ** 0.7 leans late).
    span = (LAST_DATE - FIRST_DATE).total_seconds()
    dates = sorted(
        FIRST_DATE + datetime.timedelta(seconds=int(span * rng.random() ** 0.7)) for _ in range(n)
    )
    # The uploads, spread over the years from 2010; the pages, early; the menu, late.
    uploads = []
    for number, (slug, alt, caption) in enumerate(PHOTOS + CHARTS):
        chart = number >= len(PHOTOS)
        moment = THUMBNAILS_SINCE + (LAST_DATE - THUMBNAILS_SINCE) * (number + 0.5) / 10
        uploads.append(
            Upload(
                0,
                slug,
                slug.replace("-", " ").capitalize(),
                alt,
                caption,
                "png" if chart else "jpeg",
                moment.replace(microsecond=0),
                height=CHART_HEIGHT if chart else PHOTO_HEIGHT,
            )
        )
    page_dates = [FIRST_DATE + datetime.timedelta(days=3 + 40 * k) for k in range(len(PAGES))]
    menu_date = datetime.datetime(2014, 2, 3, 11, 0, tzinfo=datetime.UTC)
    events = [(date, 1, index) for index, date in enumerate(dates)]
    events += [(upload.date, 0, index) for index, upload in enumerate(uploads)]
    events += [(date, 2, index) for index, date in enumerate(page_dates)]
    events += [(menu_date + datetime.timedelta(minutes=k), 3, k) for k in range(3)]
    events.sort()
    post_ids, page_ids, menu_ids, next_id = [0] * n, [0] * len(PAGES), [0] * 3, 1
    for _, kind, index in events:
        next_id += 1 + rng.choice((0, 0, 1, 2, 3, 5))  # revisions and autosaves take ids too
        if kind == 0:
            uploads[index].id = next_id
        elif kind == 1:
            post_ids[index] = next_id
        elif kind == 2:
            page_ids[index] = next_id
        else:
            menu_ids[index] = next_id
    photos = uploads[: len(PHOTOS)]

    # Statuses: drawn, then one of each made sure of when n >= 30.
    statuses = rng.choices(
        [name for name, _ in STATUS_SHARES], [share for _, share in STATUS_SHARES], k=n
    )
    if n >= 30:
        for status, at in (
            ("draft", n // 7),
            ("pending", n // 5),
            ("private", n // 3),
            ("trash", n // 2 + 1),
        ):
            statuses[at] = status
    recent = max(1, n // 20)
    statuses = [
        "draft" if status == "future" and index < n - recent else status
        for index, status in enumerate(statuses)
    ]
    if n >= 30:
        statuses[n - 1] = "future"
    slugs, posts, comment_id = set(), [], 1
    for index in range(n):
        date = dates[index]
        status = statuses[index]
        if status == "future":
            date = EXPORTED + datetime.timedelta(days=rng.randint(1, 45), hours=rng.randint(0, 9))
        category = rng.choices(list(categories.values()), category_weights)[0]
        cats = [category]
        if category.slug != "uncategorized" and rng.random() < 0.25:
            other = rng.choices(list(categories.values()), category_weights)[0]
            if other.slug not in ("uncategorized", category.slug):
                cats.append(other)
        group, group2 = rng.sample(GROUPS, 2)
        place, place2 = rng.sample(PLACES, 2)
        theme = rng.choice(THEMES)
        local_year = date.astimezone(TIMEZONE).year
        title = title_for(rng, group, group2, place, place2, theme, local_year, category.slug)
        count = 1
        if date >= CAP_SINCE and rng.random() < COAUTHOR_SHARE:
            count = rng.choice((2, 2, 2, 3))
        byline = []
        while len(byline) < count:
            author = rng.choices(authors, AUTHOR_WEIGHTS)[0]
            if author not in byline:
                byline.append(author)
        chosen, tag_count = [], rng.randint(2, 6)
        for concept in rng.choices(group_concepts, k=rng.choice((1, 1, 2))):
            tag = rng.choice(concept)
            if tag not in chosen:
                chosen.append(tag)
        while len(chosen) < tag_count:
            concept = rng.choices(concept_order, concept_weights)[0]
            tag = rng.choice(concept)
            if tag not in chosen:
                chosen.append(tag)
        slug = unique_slug(wp_slug(title)[:190], slugs)
        plan = Planned(
            post_ids[index],
            index,
            date,
            title,
            slug,
            status,
            byline,
            cats,
            chosen,
            group,
            group2,
            place,
            place2,
            theme,
        )
        if date >= THUMBNAILS_SINCE and rng.random() < FEATURED_SHARE:
            plan.featured = rng.choice(photos).id
        if status in ("publish", "private") and rng.random() < COMMENTED_SHARE:
            plan.comments = rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 11))
            plan.first_comment_id = comment_id
            comment_id += plan.comments
        if status == "publish" and rng.random() < 0.03:
            plan.old_slug = wp_slug(f"{place} {theme} {local_year}")
        posts.append(plan)
    published = [plan for plan in posts if plan.status == "publish"]
    for plan in published[-2:] if len(published) > 10 else []:
        plan.sticky = True
    # An upload is attached to the first post that shows it, as WordPress attaches an
    # image to the post it was uploaded from.
    for plan in posts:
        for upload in photos:
            if plan.featured == upload.id and not upload.parent:
                upload.parent = plan.id
    return {
        "authors": authors,
        "categories": categories,
        "tags": tags,
        "cap_terms": cap_terms,
        "menu": menu,
        "uploads": uploads,
        "page_ids": page_ids,
        "page_dates": page_dates,
        "menu_ids": menu_ids,
        "menu_date": menu_date,
        "posts": posts,
        "comment_id": comment_id,
    }


def draw_upload(upload, folder, seed):
    """Draw an upload and WordPress's resized copies of it into folder (the uploads
    folder); fill upload.files. Photos are soft gradients with shapes (small JPEGs);
    charts are bars on white (small PNGs)."""
    from PIL import Image, ImageDraw, ImageFilter  # here: only the drawing process needs it

    rng = random.Random(f"{seed}:upload:{upload.slug}")
    width, height = upload.width, upload.height
    if upload.kind == "png":
        image = Image.new("RGB", (width, height), (255, 255, 255))
        draw = ImageDraw.Draw(image)
        bars = 12
        for bar in range(bars):
            top = rng.randint(height // 5, height - 80)
            left = 60 + bar * (width - 120) // bars
            draw.rectangle(
                (left, top, left + (width - 120) // bars - 14, height - 60), fill=(34, 84, 140)
            )
        draw.line((50, height - 60, width - 50, height - 60), fill=(40, 40, 40), width=3)
    else:
        top, bottom = (
            tuple(rng.randint(40, 200) for _ in range(3)),
            tuple(rng.randint(60, 230) for _ in range(3)),
        )
        image = Image.new("RGB", (width, height))
        draw = ImageDraw.Draw(image)
        for y in range(height):
            mix = y / height
            draw.line(
                (0, y, width, y),
                fill=tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
            )
        for _ in range(rng.randint(5, 9)):
            x, y = rng.randrange(width), rng.randrange(height)
            radius = rng.randint(40, 260)
            colour = tuple(rng.randint(20, 240) for _ in range(3))
            draw.ellipse((x - radius, y - radius // 2, x + radius, y + radius // 2), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(3))
    target = Path(folder) / upload.folder
    target.mkdir(parents=True, exist_ok=True)
    options = {"quality": 82} if upload.kind == "jpeg" else {"optimize": True}
    image_format = "JPEG" if upload.kind == "jpeg" else "PNG"
    image.save(target / upload.file, image_format, **options)
    stem, suffix = upload.file.rsplit(".", 1)
    for name, box_width, box_height, crop in SIZES:
        if crop:
            side = min(width, height)
            left = (width - side) // 2
            copy = image.crop((left, 0, left + side, side)).resize((box_width, box_height))
        else:
            scale = min(box_width / width, box_height / height if box_height else 1)
            copy = image.resize((round(width * scale), round(height * scale)))
        file = f"{stem}-{copy.width}x{copy.height}.{suffix}"
        copy.save(target / file, image_format, **options)
        upload.files[name] = (file, copy.width, copy.height, (target / file).stat().st_size)
    return (target / upload.file).stat().st_size


def attachment_metadata(upload, size):
    """_wp_attachment_metadata as WordPress stores it, PHP-serialised."""
    mime = "image/jpeg" if upload.kind == "jpeg" else "image/png"
    sizes = {
        name: {
            "file": file,
            "width": width,
            "height": height,
            "mime-type": mime,
            "filesize": nbytes,
        }
        for name, (file, width, height, nbytes) in upload.files.items()
    }
    image_meta = {
        "aperture": "0",
        "credit": "",
        "camera": "",
        "caption": "",
        "created_timestamp": "0",
        "copyright": "",
        "focal_length": "0",
        "iso": "0",
        "shutter_speed": "0",
        "title": "",
        "orientation": "0",
        "keywords": [],
    }
    return php_serialize(
        {
            "width": upload.width,
            "height": upload.height,
            "file": f"{upload.folder}/{upload.file}",
            "filesize": size,
            "sizes": sizes,
            "image_meta": image_meta,
        }
    )


def attachment_item(upload, plan_by_id, authors, size):
    """The attachment item of an upload."""
    local = upload.date.astimezone(TIMEZONE)
    parent = plan_by_id.get(upload.parent)
    link = f"{parent.permalink}{upload.slug}/" if parent else None
    return Post(
        upload.id,
        upload.title,
        content="",
        excerpt=upload.caption,
        creator=authors[1].login,
        date=mysql(local),
        date_gmt=mysql(upload.date),
        name=upload.slug,
        status="inherit",
        type="attachment",
        parent=upload.parent,
        comment_status="open",
        ping_status="closed",
        link=link,
        guid=upload.url(),
        attachment_url=upload.url(),
        meta=[
            Meta("_wp_attached_file", f"{upload.folder}/{upload.file}"),
            Meta("_wp_attachment_metadata", attachment_metadata(upload, size)),
            Meta("_wp_attachment_image_alt", upload.alt),
        ],
    )


class Body:
    """The content of one post or page, in the editor of its date."""

    def __init__(self, rng, plan, text, block, features):
        self.rng, self.plan, self.text, self.block = rng, plan, text, block
        self.features = features  # element -> True when used
        self.parts = []

    def add(self, html, block_name=None, attributes=""):
        if self.block and block_name:
            attrs = f" {attributes}" if attributes else ""
            html = f"<!-- wp:{block_name}{attrs} -->\n{html}\n<!-- /wp:{block_name} -->"
        self.parts.append(html)

    def paragraph(self, sentences):
        text = " ".join(sentences)
        if not self.block and self.rng.random() < 0.15:  # the classic editor's habits
            text = text.replace(". ", ".&nbsp; ", 1)
        self.add(f"<p>{text}</p>" if self.block else text, "paragraph")

    def heading(self, level=2):
        text = self.text.fill(self.rng.choice(HEADINGS))
        text = text[0].upper() + text[1:]
        css = ' class="wp-block-heading"' if self.block else ""
        attributes = '{"level":3}' if level == 3 else ""
        self.add(f"<h{level}{css}>{text}</h{level}>", "heading", attributes)

    def bullet_list(self, ordered=False):
        items = [
            self.text.fill(item) for item in self.rng.sample(LIST_ITEMS, self.rng.randint(3, 5))
        ]
        tag = "ol" if ordered else "ul"
        attributes = '{"ordered":true}' if ordered else ""
        if not self.block:
            inner = "\n".join(f"\t<li>{item}</li>" for item in items)
            self.add(f"<{tag}>\n{inner}\n</{tag}>")
        elif self.plan.date >= NESTED_LISTS_SINCE:
            inner = "\n\n".join(
                f"<!-- wp:list-item -->\n<li>{item}</li>\n<!-- /wp:list-item -->" for item in items
            )
            self.add(f'<{tag} class="wp-block-list">{inner}</{tag}>', "list", attributes)
        else:
            inner = "".join(f"<li>{item}</li>" for item in items)
            self.add(f"<{tag}>{inner}</{tag}>", "list", attributes)
        self.features["list"] = True

    def quote(self):
        said = self.rng.choice(QUOTES)
        who = self.text.fill(self.rng.choice(SPEAKERS))
        if not self.block:
            self.add(f"<blockquote>{said}\n\n— {who}</blockquote>")
        elif self.plan.date >= NESTED_LISTS_SINCE:
            self.add(
                '<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
                f"<p>{said}</p>\n<!-- /wp:paragraph --><cite>{who}</cite></blockquote>",
                "quote",
            )
        else:
            self.add(
                f'<blockquote class="wp-block-quote"><p>{said}</p><cite>{who}</cite></blockquote>',
                "quote",
            )
        self.features["quote"] = True

    def image(self, upload):
        size = "large" if self.rng.random() < 0.8 else None
        width, height = upload.size(size)
        src = upload.url(size)
        if not self.block:
            css = f"size-{size or 'full'} wp-image-{upload.id}"
            self.add(
                f'[caption id="attachment_{upload.id}" align="aligncenter" width="{width}"]'
                f'<img class="{css}" src="{src}" alt="{upload.alt}" width="{width}" '
                f'height="{height}" /> {upload.caption}[/caption]'
            )
        else:
            self.add(
                f'<figure class="wp-block-image size-{size or "full"}"><img src="{src}" '
                f'alt="{upload.alt}" class="wp-image-{upload.id}"/><figcaption '
                f'class="wp-element-caption">{upload.caption}</figcaption></figure>',
                "image",
                f'{{"id":{upload.id},"sizeSlug":"{size or "full"}","linkDestination":"none"}}',
            )
        self.features["caption"] = True

    def gallery(self, uploads):
        ids = ",".join(str(upload.id) for upload in uploads)
        self.add(f'[gallery ids="{ids}"]', "shortcode")
        self.features["gallery"] = True

    def video(self):
        video = "".join(self.rng.choice(VIDEO_ID_CHARACTERS) for _ in range(11))
        iframe = (
            f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{video}" '
            'frameborder="0" allowfullscreen></iframe>'
        )
        if not self.block:
            self.add(iframe)
        elif self.rng.random() < 0.5:
            self.add(iframe, "html")
        else:
            url = f"https://www.youtube.com/watch?v={video}"
            self.add(
                '<figure class="wp-block-embed is-type-video is-provider-youtube '
                'wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio"><div '
                f'class="wp-block-embed__wrapper">\n{url}\n</div></figure>',
                "embed",
                f'{{"url":"{url}","type":"video","providerNameSlug":"youtube","responsive":true,'
                '"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"}',
            )
        self.features["iframe"] = True

    def table(self):
        year = self.plan.local.year
        rows = "".join(
            f"<tr><td>Q{quarter} {year}</td><td>{self.rng.randrange(8, 140)}</td>"
            f"<td>{self.rng.randrange(10, 600)}</td></tr>"
            for quarter in range(1, 5)
        )
        table = (
            "<table><thead><tr><th>Quarter</th><th>Incidents</th><th>Reported deaths</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
        if self.block:
            self.add(f'<figure class="wp-block-table">{table}</figure>', "table")
        else:
            self.add(table)
        self.features["table"] = True

    def more(self):
        self.add("<!--more-->", "more")
        self.features["more"] = True

    def audio(self, url):
        if self.block:
            self.add(
                f'<figure class="wp-block-audio"><audio controls src="{url}"></audio></figure>',
                "audio",
            )
        else:
            self.add(f'[audio mp3="{url}"][/audio]')

    def html(self):
        joiner = "\n\n"
        if not self.block and self.plan.local.year < 2012 and self.plan.id % 3 == 0:
            joiner = "\r\n\r\n"  # pasted through an old Windows editor
        return joiner.join(self.parts)


def link_sentence(rng, target, by_id):
    """A sentence that links to an earlier post, by permalink or by ?p=ID."""
    href = f"{SITE_URL}/?p={target.id}" if by_id else target.permalink
    title = target.title.replace("&", "&amp;")
    return rng.choice(
        (
            f'We looked at this in <a href="{href}">an earlier piece</a>.',
            f'See also: <a href="{href}">{title}</a>.',
            f'As <a href="{href}">we reported at the time</a>, the pattern is not new.',
        )
    )


def post_body(plan, rng, earlier, uploads, counters):
    """The content of a post, and the flags of what it holds."""
    text = Text(rng, plan)
    block = plan.date >= BLOCK_EDITOR_SINCE and rng.random() < 0.85
    features = {"block" if block else "classic": True}
    body = Body(rng, plan, text, block, features)
    category = plan.categories[0].slug
    paragraphs = {
        "news": (3, 6),
        "weekly-brief": (4, 6),
        "podcast": (2, 3),
        "opinion": (5, 8),
        "interviews": (5, 8),
        "analysis": (7, 12),
        "reports": (8, 14),
    }.get(category, (3, 6))
    count = rng.randint(*paragraphs)
    opinion = category == "opinion"
    if category == "podcast":
        url = f"https://media.militancymonitor.example/podcast/episode-{plan.id}.mp3"
        body.audio(url)
        features["audio"] = url
    more_at = rng.choice((1, 2)) if rng.random() < 0.2 else -1
    specials = []
    if rng.random() < 0.3:
        specials.append("list")
    if rng.random() < 0.2:
        specials.append("quote")
    if rng.random() < 0.12:
        specials.append("image")
    if rng.random() < 0.015:
        specials.append("gallery")
    if rng.random() < 0.02:
        specials.append("video")
    if rng.random() < 0.05 or category == "reports":
        specials.append("table")
    # Images in the text were uploaded before the post was written (a featured image
    # may be newer: old posts got one when the theme changed).
    shown = [upload for upload in uploads if upload.date <= plan.date]
    photos = [upload for upload in shown if upload.kind == "jpeg"]
    specials = [
        kind
        for kind in specials
        if (kind != "image" or shown) and (kind != "gallery" or len(photos) >= 3)
    ]
    slots = {rng.randrange(1, count + 1): kind for kind in specials}
    links, (published, before) = [], earlier  # the published posts, how many came earlier
    if before and rng.random() < 0.35:
        links.append(link_sentence(rng, published[rng.randrange(before)], by_id=False))
        features["link"] = True
    if before and rng.random() < 0.15:
        links.append(link_sentence(rng, published[rng.randrange(before)], by_id=True))
        features["link_by_id"] = True
    for number in range(count):
        if number and count > 4 and number % 3 == 0:
            body.heading(3 if rng.random() < 0.2 else 2)
        sentences = text.sentences(2, 5, opinion)
        if links and rng.random() < 0.5:
            sentences.insert(rng.randrange(len(sentences) + 1), links.pop())
        if rng.random() < 0.1:
            label, href = rng.choice(EXTERNAL_LINKS)
            sentences.append(f'The account draws on <a href="{href}">{label}</a>.')
        if rng.random() < 0.1:
            sentences[0] = f"<strong>{sentences[0]}</strong>"
        elif rng.random() < 0.1:
            sentences[-1] = f"<em>{sentences[-1]}</em>"
        body.paragraph(sentences)
        if number == more_at:
            body.more()
        kind = slots.get(number + 1)
        if kind == "list":
            body.bullet_list(ordered=rng.random() < 0.3)
        elif kind == "quote":
            body.quote()
        elif kind == "image":
            body.image(rng.choice(shown))
        elif kind == "gallery":
            body.gallery(rng.sample(photos, 3))
        elif kind == "video":
            body.video()
        elif kind == "table":
            body.table()
    for sentence in links:  # a link that found no paragraph closes the post
        body.paragraph([sentence])
    for name in features:
        counters[name] = counters.get(name, 0) + 1
    return body.html(), features


def post_comments(plan, rng, authors, counters, types):
    """The comments of a post: threaded, up to 3 deep; ids from the plan."""
    comments, depth = [], {}
    moment = plan.date
    text = Text(rng, plan)
    for offset in range(plan.comments):
        comment_id = plan.first_comment_id + offset
        moment += datetime.timedelta(minutes=rng.randint(7, 60 * 24 * 6))
        roll = rng.random()
        kind = "pingback" if roll < 0.06 else "trackback" if roll < 0.08 else "comment"
        approved = rng.choices(("1", "0", "spam", "trash"), (85, 6, 6, 3))[0]
        parent, user_id = 0, 0
        ip = rng.choice(
            (
                f"192.0.2.{rng.randrange(1, 255)}",
                f"198.51.100.{rng.randrange(1, 255)}",
                f"203.0.113.{rng.randrange(1, 255)}",
                f"2001:db8::{rng.randrange(1, 65535):x}",
            )
        )
        if kind != "comment":
            site_name, site_url = rng.choice(PINGBACK_SITES)
            author, email = site_name, ""
            url = f"{site_url}/{moment:%Y/%m}/roundup-{comment_id}/"
            content = f"[&#8230;] {text.sentence()} [&#8230;]"
            approved = "1" if approved != "0" else "0"
            comment_type = kind
        else:
            candidates = [
                earlier
                for earlier in comments
                if earlier.type in ("", "comment")
                and earlier.approved == "1"
                and depth[earlier.id] < 3
            ]
            if candidates and rng.random() < 0.4:
                parent_comment = rng.choice(candidates)
                parent = parent_comment.id
            staff = parent and rng.random() < 0.3
            if staff:
                writer = plan.authors[0]
                author, email, url, user_id = writer.display_name, writer.email, SITE_URL, writer.id
                approved = "1"
            elif approved == "spam":
                author = rng.choice(("best deals", "Cheap Flights Online", "seo expert"))
                email, url = "offers@spam.example", "https://spam.example/offers"
            else:
                author = rng.choice(READERS)
                email = f"{wp_slug(author) or 'reader'}@mail.example"
                url = "" if rng.random() < 0.8 else f"https://{wp_slug(author)}.blog.example"
            if approved == "spam":
                content = rng.choice(SPAM)
            else:
                lines = [text.fill(rng.choice(COMMENT_SENTENCES)) for _ in range(rng.randint(1, 3))]
                content = ("\n\n" if rng.random() < 0.3 else " ").join(lines)
            comment_type = "comment" if moment >= COMMENT_TYPE_SINCE else ""
        local = moment.astimezone(TIMEZONE)
        meta = []
        if moment >= AKISMET_SINCE and rng.random() < 0.5:
            meta.append(Meta("akismet_result", "true" if approved == "spam" else "false"))
            event = "check-spam" if approved == "spam" else "check-ham"
            meta.append(
                Meta(
                    "akismet_history",
                    php_serialize({"time": moment.timestamp() + 0.25, "event": event, "user": ""}),
                )
            )
        comment = Comment(
            comment_id,
            content,
            author,
            email,
            url,
            ip,
            mysql(local),
            mysql(moment),
            approved,
            comment_type,
            parent,
            user_id,
            meta,
        )
        depth[comment_id] = depth[parent] + 1 if parent else 1
        comments.append(comment)
        counters[approved] = counters.get(approved, 0) + 1
        types[comment_type or '""'] = types.get(comment_type or '""', 0) + 1
    return comments


def post_item(plan, seed, earlier, uploads, cap_terms, site):
    """The item of a planned post."""
    rng = random.Random(f"{seed}:post:{plan.id}")
    content, features = post_body(plan, rng, earlier, uploads, site.features)
    local, status = plan.local, plan.status
    draft = status in ("draft", "pending")
    terms = list(plan.categories) + list(plan.tags)
    if plan.date >= CAP_SINCE:
        terms += [cap_terms[author.login] for author in plan.authors]
        site.coauthored += len(plan.authors) > 1
    terms.sort(key=lambda term: (term.name.casefold(), term.id))  # by name, as exported
    meta = [Meta("_edit_last", str(plan.authors[0].id))]
    if plan.featured:
        meta.append(Meta("_thumbnail_id", str(plan.featured)))
        site.featured += 1
    if "audio" in features:
        size = rng.randrange(8_000_000, 60_000_000)
        meta.append(Meta("enclosure", f"{features['audio']}\n{size}\naudio/mpeg\n"))
    text = Text(rng, plan)
    if rng.random() < 0.3:
        meta.append(Meta("_yoast_wpseo_metadesc", text.sentence()))
    if plan.old_slug:
        meta.append(Meta("_wp_old_slug", plan.old_slug))
    name = plan.slug
    if status == "trash":
        name = f"{plan.slug}__trashed"
        meta.append(Meta("_wp_trash_meta_status", "publish"))
        meta.append(Meta("_wp_trash_meta_time", str(int(EXPORTED.timestamp()) - 86_400 * 30)))
    elif draft and rng.random() < 0.7:
        name = ""  # WordPress names a draft when it is published
    modified = plan.date
    if not draft and rng.random() < 0.3:
        modified = min(plan.date + datetime.timedelta(days=rng.randint(0, 400)), EXPORTED)
    comments = post_comments(plan, rng, plan.authors, site.comments, site.comment_types)
    excerpt = text.sentence() if rng.random() < 0.25 else ""
    shown = status in ("publish", "private", "future")
    return Post(
        plan.id,
        plan.title,
        content,
        excerpt,
        creator=plan.authors[0].login,
        date=mysql(local),
        date_gmt=ZERO_DATE if draft else mysql(plan.date),
        modified=mysql(modified.astimezone(TIMEZONE)),
        modified_gmt=mysql(modified),
        name=name,
        status=status,
        sticky=plan.sticky,
        comment_status="closed" if plan.local.year < 2009 and plan.id % 2 else "open",
        link=plan.permalink if shown else f"{SITE_URL}/?p={plan.id}",
        guid=f"{SITE_URL}/?p={plan.id}",
        terms=terms,
        meta=meta,
        comments=comments,
    )


def page_items(planned, seed, authors):
    """The pages, a parent and its child among them."""
    ids = dict(zip([slug for slug, *_ in PAGES], planned["page_ids"], strict=True))
    items = []
    for (slug, title, parent, status, order), date in zip(
        PAGES, planned["page_dates"], strict=True
    ):
        page_id = ids[slug]
        rng = random.Random(f"{seed}:page:{slug}")
        plan = Planned(
            page_id,
            0,
            date,
            title,
            slug,
            status,
            [authors[1]],
            [],
            [],
            GROUPS[0],
            GROUPS[1],
            PLACES[0],
            PLACES[1],
            THEMES[0],
        )
        text = Text(rng, plan)
        paragraphs = [" ".join(text.sentences(2, 4)) for _ in range(rng.randint(2, 4))]
        content = "\n\n".join(paragraphs)
        path = f"{parent}/{slug}" if parent else slug
        local = date.astimezone(TIMEZONE)
        draft = status == "draft"
        items.append(
            Post(
                page_id,
                title,
                content,
                creator=authors[1].login,
                date=mysql(local),
                date_gmt=ZERO_DATE if draft else mysql(date),
                name="" if draft else slug,
                status=status,
                type="page",
                parent=ids[parent] if parent else 0,
                menu_order=order,
                comment_status="closed",
                ping_status="closed",
                link=f"{SITE_URL}/?page_id={page_id}" if draft else f"{SITE_URL}/{path}/",
                guid=f"{SITE_URL}/?page_id={page_id}",
                meta=[Meta("_wp_page_template", "default"), Meta("_edit_last", "2")],
            )
        )
    return items


def menu_items(planned, menu, authors):
    """The menu's three items: the home page, a page and a category."""
    standards = planned["page_ids"][0]
    analysis = planned["categories"]["analysis"]
    targets = (
        ("custom", "custom", 0, f"{SITE_URL}/", "Home"),
        ("post_type", "page", standards, "", ""),
        ("taxonomy", "category", analysis.id, "", ""),
    )
    items = []
    for order, (item_id, (kind, target, object_id, url, title)) in enumerate(
        zip(planned["menu_ids"], targets, strict=True), start=1
    ):
        moment = planned["menu_date"] + datetime.timedelta(minutes=order - 1)
        items.append(
            Post(
                item_id,
                title,
                creator=authors[0].login,
                date=mysql(moment.astimezone(TIMEZONE)),
                date_gmt=mysql(moment),
                name=str(item_id),
                type="nav_menu_item",
                menu_order=order,
                comment_status="closed",
                ping_status="closed",
                link=f"{SITE_URL}/?p={item_id}",
                guid=f"{SITE_URL}/?p={item_id}",
                terms=[menu],
                meta=[
                    Meta("_menu_item_type", kind),
                    Meta("_menu_item_menu_item_parent", "0"),
                    Meta("_menu_item_object_id", str(object_id or item_id)),
                    Meta("_menu_item_object", target),
                    Meta("_menu_item_target", ""),
                    Meta("_menu_item_classes", php_serialize([""])),
                    Meta("_menu_item_xfn", ""),
                    Meta("_menu_item_url", url),
                ],
            )
        )
    return items


def generate_wordpress_site(n, folder, seed=1):
    """Write folder/export.xml and folder/uploads/ for a site of n posts; return a
    WordPressSite. folder is created; export.xml and uploads/ must not exist in it."""
    folder = Path(folder)
    export, uploads_folder = folder / "export.xml", folder / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    uploads_folder.mkdir()
    planned = plan_site(n, seed)
    authors, posts, uploads = planned["authors"], planned["posts"], planned["uploads"]
    site = WordPressSite(export, uploads_folder, n, seed)
    sizes = {upload.id: draw_upload(upload, uploads_folder, seed) for upload in uploads}
    plan_by_id = {plan.id: plan for plan in posts}
    # WordPress lists the users who are some item's post_author: a co-author who never
    # came first is only in the Co-Authors Plus terms.
    writers = {plan.authors[0].login for plan in posts}
    used_cap = {author.login for plan in posts if plan.date >= CAP_SINCE for author in plan.authors}
    header = Site(
        link=SITE_URL,
        pub_date=EXPORTED,
        authors=[author for author in authors if author.login in writers or author.id <= 2],
        terms=sorted(
            [*planned["categories"].values(), *planned["tags"]],
            key=lambda term: (term.name.casefold(), term.id),
        )
        + sorted(
            [planned["cap_terms"][login] for login in used_cap] + [planned["menu"]],
            key=lambda term: (term.name.casefold(), term.id),
        ),
    )
    published = sorted(
        (plan for plan in posts if plan.status == "publish"), key=lambda plan: plan.date
    )
    published_dates = [plan.date for plan in published]

    def items():
        entries = [("attachment", "inherit", upload.date, upload.id, upload) for upload in uploads]
        for item in menu_items(planned, planned["menu"], authors):
            entries.append(("nav_menu_item", item.status, item.date, item.id, item))
        for item, date in zip(
            page_items(planned, seed, authors), planned["page_dates"], strict=True
        ):
            entries.append(("page", item.status, date, item.id, item))
        entries += [("post", plan.status, plan.date, plan.id, plan) for plan in posts]
        entries.sort(key=lambda e: (ITEM_TYPE_ORDER.index(e[0]), e[1], e[2], e[3]))
        for kind, _, _, _, entry in entries:
            if kind == "attachment":
                yield attachment_item(entry, plan_by_id, authors, sizes[entry.id])
            elif kind == "post":
                earlier = (published, bisect.bisect_left(published_dates, entry.date))
                yield post_item(entry, seed, earlier, uploads, planned["cap_terms"], site)
            else:
                yield entry

    with open(export, "wb") as out:
        site.export_bytes = write_wxr(header, items(), out)
    site.authors = len(header.authors)
    site.categories = len(planned["categories"])
    site.tags = len(planned["tags"])
    site.pages = len(PAGES)
    site.attachments = len(uploads)
    site.menu_items = len(planned["menu_ids"])
    for plan in posts:
        site.statuses[plan.status] = site.statuses.get(plan.status, 0) + 1
    files = [path for path in uploads_folder.rglob("*") if path.is_file()]
    site.upload_files = len(files)
    site.upload_bytes = sum(path.stat().st_size for path in files)
    return site


def make_wordpress_site(n, folder, seed=1):
    """Write a WordPress site of n posts into folder; return (export path, uploads path)."""
    site = generate_wordpress_site(n, folder, seed)
    return site.export, site.uploads


def describe(site):
    """One paragraph on what a WordPressSite holds."""
    statuses = ", ".join(f"{count:,} {name}" for name, count in sorted(site.statuses.items()))
    comments = ", ".join(f"{count:,} {name}" for name, count in sorted(site.comments.items()))
    return (
        f"{site.n:,} posts ({statuses}), {site.pages} pages, {site.attachments} attachments, "
        f"{site.menu_items} menu items; {site.authors} authors, {site.coauthored:,} posts "
        f"with co-authors, {site.featured:,} with a featured image; {site.categories} "
        f"categories, {site.tags} tags; {site.comment_total:,} comments (approved: {comments}); "
        f"export {site.export_bytes / 1e6:.1f} MB, uploads {site.upload_files} files, "
        f"{site.upload_bytes / 1e6:.2f} MB"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write export.xml and uploads/")
    parser.add_argument("--n", type=int, default=1000, help="number of posts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    site = generate_wordpress_site(args.n, args.folder, args.seed)
    print(f"{describe(site)}; in {args.folder}")


if __name__ == "__main__":
    main()
