"""Tools that run a build or act on its output: the build runner and the deploy tool."""
