"""Subcommands of `newsscrape`, one module each.

A command module defines NAME, HELP, DESCRIPTION, `add_arguments(parser)` and
`run(args) -> int` (the exit status), and is listed in COMMAND_MODULES.
"""

COMMAND_MODULES = [
    "scraper.commands.get",
    "scraper.commands.extract",
    "scraper.commands.crawl",
    "scraper.commands.sites",
    "scraper.commands.stats",
    "scraper.commands.validate",
    "scraper.commands.seed",
]
