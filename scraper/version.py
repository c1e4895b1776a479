"""The package version, named on every record so datasets know what produced them."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsscrape")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

EXTRACTOR = f"newsscrape {__version__}"
