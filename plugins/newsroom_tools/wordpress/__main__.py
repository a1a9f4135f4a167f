"""The importer's command line (tasks.py `import-wordpress` runs it in a fresh process).

    python -m plugins.newsroom_tools.wordpress --export site.xml --uploads uploads/ \
        --into content --sections sections.json
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "plugins"))  # the site layer's modules import as `newsroom`

from pelican.settings import read_settings  # noqa: E402

from .output import UnsafePathError  # noqa: E402
from .run import Migration, Options  # noqa: E402
from .sections import SectionsError  # noqa: E402
from .wxr import ExportError  # noqa: E402


def arguments(argv):
    parser = argparse.ArgumentParser(
        prog="invoke import-wordpress",
        description="Import a WordPress export (WXR) into the content folder.",
    )
    parser.add_argument("--export", required=True, type=Path, help="the WXR file")
    parser.add_argument("--uploads", type=Path, help="a copy of wp-content/uploads/")
    parser.add_argument("--into", type=Path, default=ROOT / "content", help="content folder")
    parser.add_argument("--sections", type=Path, help="JSON: category -> section")
    parser.add_argument("--default-section", help="where unmapped categories go")
    parser.add_argument("--state", type=Path, help="report and state (default: beside --into)")
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    return parser.parse_args(argv)


def problems_with(args):
    found = []
    if not args.export.is_file():
        found.append(f"--export {args.export}: no such file")
    if args.uploads is not None and not args.uploads.is_dir():
        found.append(f"--uploads {args.uploads}: no such folder")
    if not args.into.is_dir():
        found.append(f"--into {args.into}: no such folder; create it first")
    elif args.state.resolve().is_relative_to(args.into.resolve()):
        found.append(f"--state {args.state}: must be outside the content folder {args.into}")
    if not args.settings.is_file():
        found.append(f"--settings {args.settings}: no such file")
    return found


def main(argv=None):
    args = arguments(argv)
    args.state = args.state or args.into.resolve().parent / ".wordpress-import"
    problems = problems_with(args)
    if problems:
        print("\n".join(f"import-wordpress: {p}" for p in problems), file=sys.stderr)
        return 1
    options = Options(
        export=args.export,
        into=args.into,
        state=args.state,
        settings=read_settings(str(args.settings)),
        uploads=args.uploads,
        sections=args.sections,
        default_section=args.default_section,
        terminal=sys.stderr.isatty(),
    )
    try:
        report = Migration(options).run()
    except (ExportError, SectionsError, UnsafePathError) as error:
        print(f"import-wordpress: {error}", file=sys.stderr)
        return 1
    report_path = args.state / "report.md"
    report_path.write_text(report.markdown(args.export.name) + "\n", encoding="utf-8")
    print("\n".join(report.summary()))
    print(f"Report: {report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
