"""The build benchmark: a generated corpus, our site against plain Pelican (`invoke bench`)."""
