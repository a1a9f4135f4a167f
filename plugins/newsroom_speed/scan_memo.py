"""The scan memo: what the file and header checks found in each source, kept between builds.

A warm build knows an unchanged file (same inode, size, modification and
change times) without reading it, and a header it checked before by its text's
digest, while the rules are the same.
"""

from .caches import read_cache, write_cache


class ScanMemo:
    """What the checks found in each text file, kept while the file is the same file (same
    inode, size, modification and change times); and what the header rules found in each
    text, by digest, while the rules are the same (rules_key). Both only while the code
    that checks is the same (code_key): a new rule applies to every file at once."""

    FORMAT = 3

    def __init__(self, path=None, rules_key="", code_key=""):
        self.path, self.rules_key, self.code_key = path, rules_key, code_key
        self.previous, self.current = {}, {}
        self.old_headers, self.headers = {}, {}
        # What the last scan saw of every file: (path, kind, digest, header
        # digest) for a source, (path, None, size, time) for any other file.
        self.listing = []
        saved = read_cache(path, self.FORMAT) if path else None
        if saved and saved["code"] == code_key:
            self.previous = saved["files"]
            if saved["rules"] == rules_key:
                self.old_headers = saved["headers"]

    def header_problems(self, source, check):
        """Return check(source), or what it returned for the same text last time."""
        found = self.old_headers.get(source.digest)
        if found is None:
            found = check(source)
        self.headers[source.digest] = found
        return found

    def get(self, relative, info):
        """Return (digest, header digest, problems) for a file that has not changed, or None."""
        signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        known = self.previous.get(relative)
        if known and known[0] == signature:
            self.current[relative] = known
            return known[1:]
        return None

    def put(self, relative, info, digest, header_digest, problems):
        signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        self.current[relative] = (signature, digest, header_digest, problems)

    def save(self):
        if self.path:
            write_cache(
                self.path,
                self.FORMAT,
                files=self.current,
                rules=self.rules_key,
                code=self.code_key,
                headers=self.headers,
            )
