"""The author-facing tasks: scaffolding a new article."""

import datetime

from tasks import scaffold_article


def test_new_article_scaffold(tmp_path):
    """`invoke new` writes every metadata field, the date in UTC, a slug, and Status: draft
    (given a time with another offset, it writes the same moment in UTC)."""
    now = datetime.datetime(
        2026, 11, 25, 11, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    path = scaffold_article(
        tmp_path, "ISWAP’s New Tax Regime", "Ada Reyes, Ben Cole", "ISWAP, Nigeria", "Analysis", now
    )
    assert path == tmp_path / "articles" / "2026" / "iswaps-new-tax-regime.md"
    text = path.read_text()
    for line in (
        "Title: ISWAP’s New Tax Regime",
        "Date: 2026-11-25 09:30 +00:00",
        "Authors: Ada Reyes, Ben Cole",
        "Tags: ISWAP, Nigeria",
        "Category: Analysis",
        "Slug: iswaps-new-tax-regime",
        "Status: draft",
    ):
        assert line in text.splitlines()


def test_new_article_refuses_to_overwrite(tmp_path):
    """Scaffolding the same title twice leaves the first file untouched."""
    now = datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.UTC)
    path = scaffold_article(tmp_path, "Same Title", "A", "", "Analysis", now)
    path.write_text("edited")
    assert scaffold_article(tmp_path, "Same Title", "A", "", "Analysis", now) is None
    assert path.read_text() == "edited"
