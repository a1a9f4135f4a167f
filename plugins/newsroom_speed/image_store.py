"""Image renditions kept between builds: a warm build decodes and encodes no image it
made before.

The site layer decodes every source image it shows before the build's checks
(Engine.check_images) and encodes every rendition into the staging folder after
them (Engine.write_images), on every build, one after another. Here each
rendition is kept in CACHE_PATH/newsroom-images/, named by a digest of its key
(images.rendition: the source's bytes, its width and format and every encoder
parameter) and of the versions of Pillow and its codecs. Before the checks, the
renditions the store lacks are encoded into it by a pool of forked worker
processes, each source's renditions split by width into two jobs of about equal
cost, the heaviest first (a source that cannot be decoded is reported as the site
layer reports it); a source whose renditions are all there
decoded once, so it is not decoded again. After the checks, each rendition is
hard-linked from the store into the staging folder (copied where links fail).
Store files are only ever replaced by a rename, never written through, so the
output never changes under a link. The bytes are the site layer's own
(images.encode_all). The store keeps only the renditions of the last build, and
records what that build encoded (LOG), which the tests read.
"""

import hashlib
import json
import multiprocessing
import os
import shutil
from pathlib import Path

import PIL
from PIL import features

from newsroom.errors import BuildStopped, Problem, display_path
from newsroom.image_rules import SUFFIXES
from newsroom.images import ImageError, by_source, encode_all

from .collector import frozen
from .store_stamps import StoreStamps

STORE = "newsroom-images"  # in CACHE_PATH
LOG = "last-build.json"  # in STORE: what the last build encoded and found there
FORMAT = 1  # bump when what a stored file's name covers changes
# Cost of encoding a pixel, relative to AVIF: the heaviest jobs go first, so the
# workers finish together.
COST = {"avif": 1.0, "webp": 0.25, "jpeg": 0.05, "png": 0.2}


def codec_versions():
    """Pillow's version and its codecs': a rendition's bytes may change with any of them."""
    codecs = [f"{name} {features.version(name)}" for name in ("jpg", "webp", "avif", "zlib")]
    return f"{FORMAT}\0Pillow {PIL.__version__}\0" + "\0".join(codecs)


class ImageStore:
    """One build's renditions: found in the store, or encoded into it; then placed."""

    def __init__(self, cache_path, workers=1):
        self.folder = Path(cache_path, STORE)
        self.stamps = StoreStamps(Path(cache_path, STORE + ".stamps"))
        self.workers = max(1, workers)
        self.version = codec_versions()
        self.encoded = []  # output paths of the renditions this build encoded
        self.found = 0  # renditions this build found in the store

    def file_of(self, rendition):
        """Where the store keeps a rendition."""
        name = hashlib.sha256(f"{rendition.key}\0{self.version}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}{SUFFIXES[rendition.kind]}"

    def make(self, renditions):
        """Encode the renditions the store lacks, in worker processes when there are
        several sources or formats to do; return {source path below PATH: what is
        wrong} for the sources that cannot be decoded."""
        missing = [r for r in renditions if not self.stamps.trusted(self.file_of(r))]
        self.found = len(renditions) - len(missing)
        jobs = []
        for source, items in by_source(missing).items():
            for number, group in enumerate(width_groups(items)):
                pairs = [(item, str(self.file_of(item))) for item in group]
                jobs.append((cost_of(group), source.path, number, source, pairs))
        jobs.sort(key=lambda job: (-job[0], job[1], job[2]))  # heaviest first, then stable
        work = [(source, pairs) for _, _, _, source, pairs in jobs]
        if self.workers > 1 and len(work) > 1:
            context = multiprocessing.get_context("fork")
            with frozen(), context.Pool(min(self.workers, len(work))) as pool:
                results = pool.map(encode_job, work, chunksize=1)
        else:
            results = [encode_job(job) for job in work]
        faults = {}
        for path, fault, made in results:
            if fault:
                faults[path] = fault
            self.encoded += made
        self.save_log(len(renditions))
        return faults

    def place(self, renditions, staging):
        """Link every rendition from the store into the staging folder (encoding here any
        that went missing meanwhile); keep only these in the store; return {path in the
        output: bytes}."""
        sizes, used, folders = {}, set(), set()
        for item in renditions:
            stored = self.file_of(item)
            if not stored.exists():  # removed since make() (another build's clean-up)
                self.store_now(item)
            target = os.path.join(staging, item.path)
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            if os.path.lexists(target):
                os.unlink(target)
            try:
                os.link(stored, target)
            except OSError:  # another file system, or no hard links: a copy
                shutil.copyfile(stored, target)
            sizes[item.path] = stored.stat().st_size
            used.add(stored)
        self.prune(used)
        self.stamps.keep_only(sorted(used))
        self.save_log(len(renditions))
        return sizes

    def store_now(self, item):
        """Encode one source's rendition into the store, in this process."""
        _, fault, made = encode_job((item.source, [(item, str(self.file_of(item)))]))
        if fault:
            where = display_path(item.source.full)
            raise BuildStopped([Problem(where, None, "image", fault)])
        self.encoded += made

    def prune(self, used):
        """Delete what the store holds beyond this build's renditions."""
        if not self.folder.is_dir():
            return
        for folder in self.folder.iterdir():
            if not folder.is_dir():
                continue
            for stored in folder.iterdir():
                if stored not in used and not stored.name.endswith(".partial"):
                    stored.unlink(missing_ok=True)

    def save_log(self, wanted):
        """Record what this build encoded and how many renditions it wanted (LOG)."""
        log = {"version": self.version, "wanted": wanted, "found": self.found}
        log["encoded"] = sorted(self.encoded)
        write_atomically(self.folder / LOG, json.dumps(log, indent=1).encode())


def cost_of(renditions):
    """About how long some renditions take to encode (pixels, weighted by format)."""
    return sum(item.width * item.height * COST[item.kind] for item in renditions)


def width_groups(renditions, groups=2):
    """Split one source's renditions into groups of about equal cost, each size in one
    group only: a job decodes its source once and resizes it once per width, so two
    jobs of a source on two workers cost one decode more, not a resize more."""
    by_size = {}
    for item in renditions:
        by_size.setdefault((item.width, item.height), []).append(item)
    bins = [[] for _ in range(groups)]
    for _, items in sorted(by_size.items(), key=lambda pair: -cost_of(pair[1])):
        min(bins, key=cost_of).extend(items)
    return [group for group in bins if group]


def write_atomically(path, data):
    """Write a file whole, in one rename: never half a file, never through a link."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def encode_job(job):
    """Encode some renditions of one source into the store (in a worker process); return
    (source path below PATH, what is wrong or None, output paths encoded)."""
    source, pairs = job
    targets = {item.path: target for item, target in pairs}
    made = []
    try:
        for item, data in encode_all(source, [item for item, _ in pairs]):
            write_atomically(targets[item.path], data)
            made.append(item.path)
    except ImageError as fault:
        return source.path, str(fault), made
    return source.path, None, made


def last_build(cache_path):
    """What the last build with the speed layer encoded (LOG), or None."""
    try:
        return json.loads(Path(cache_path, STORE, LOG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
