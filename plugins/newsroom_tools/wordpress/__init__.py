"""Moving a newsroom in from WordPress: `invoke import-wordpress` (README, "Moving from
WordPress").

wxr.py reads the export safely; index.py and plan.py decide what each post, author,
tag and address becomes; convert.py turns post HTML into Markdown; media.py,
threads.py and records.py write attachments, comments and files through output.py,
which never overwrites an editor's work; run.py runs one import (a Migration).
"""
