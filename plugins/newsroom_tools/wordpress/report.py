"""What the import could not convert cleanly, file by file, for the editor."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Report:
    files: dict = field(default_factory=lambda: defaultdict(list))  # path -> notes
    refused: list = field(default_factory=list)  # (item named, why)
    general: list = field(default_factory=list)  # notes about the site as a whole
    unmapped: Counter = field(default_factory=Counter)  # category name -> posts
    counts: Counter = field(default_factory=Counter)
    aliases: list = field(default_factory=list)  # (written spelling, other spellings)

    def note(self, path, text):
        self.files[path].append(text)

    def refuse(self, named, why):
        self.refused.append((named, why))

    def site(self, text):
        if text not in self.general:
            self.general.append(text)

    def summary(self):
        """The lines printed at the end of an import."""
        c = self.counts
        lines = [
            f"Articles: {c['published']:,} published, {c['drafts']:,} drafts; "
            f"pages: {c['pages']:,}; authors: {c['authors']:,} new",
            f"Comments: {c['comments']:,} written; {c['held']:,} never published "
            f"(pending, spam, trash, or on an unpublished post); "
            f"{c['pings']:,} pingbacks and trackbacks skipped",
            f"Files from uploads: {c['copied']:,} imported, {c['missing']:,} missing, "
            f"{c['unusable']:,} refused",
            f"Old addresses: {c['redirect_from']:,} on articles and pages, "
            f"{c['map_paths']:,} more in the redirect map, {c['map_queries']:,} ?query addresses",
            f"Written: {c['written']:,} new, {c['updated']:,} updated, "
            f"{c['unchanged']:,} unchanged, {c['kept']:,} kept as an editor left them",
        ]
        if self.refused:
            lines.append(f"Refused: {len(self.refused):,} items (see the report)")
        if c["with_notes"]:
            lines.append(f"{c['with_notes']:,} files have notes in the report")
        return lines

    def markdown(self, export_name):
        """The report, in Markdown."""
        out = [f"# Import of {export_name}", "", *[f"- {line}" for line in self.summary()], ""]
        if self.refused:
            out += ["## Not imported", ""]
            out += [f"- {named}: {why}" for named, why in self.refused] + [""]
        if self.general or self.unmapped:
            out += ["## The site as a whole", ""]
            out += [f"- {text}" for text in self.general]
            if self.unmapped:
                out.append(
                    "- WordPress categories not in the section map, their posts put in the "
                    "default section: "
                    + ", ".join(f"{name} ({n:,})" for name, n in sorted(self.unmapped.items()))
                )
            out.append("")
        if self.aliases:
            out += [
                "## Tag spellings written as one",
                "",
                "Each line is the spelling written, then the others: add them as `Aliases:` "
                "of a topic (content/topics/) so the hub gathers them.",
                "",
            ]
            out += [f"- {chosen}: {', '.join(others)}" for chosen, others in self.aliases]
            out.append("")
        if self.files:
            out += ["## File by file", ""]
            for path in sorted(self.files):
                out.append(f"### {path}")
                out.append("")
                out += [f"- {text}" for text in dict.fromkeys(self.files[path])]
                out.append("")
        return "\n".join(out)
