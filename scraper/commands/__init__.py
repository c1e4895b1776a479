"""Subcommands of `newsscrape`, one module each.

A command module defines NAME, HELP, DESCRIPTION, `add_arguments(parser)` and
`run(args) -> int` (the exit status), and is listed in COMMAND_MODULES. What several of them
share: `exit_status` (exit statuses, the usage error), `checks` (what a command refuses: URLs,
-s values), `outputs` (formats, feeds, the writability check, the summary line) and `options`
(option groups and the settings they give).
"""

COMMAND_MODULES = [
    "scraper.commands.get",
    "scraper.commands.extract",
    "scraper.commands.crawl",
    "scraper.commands.sites",
    "scraper.commands.stats",
    "scraper.commands.validate",
    "scraper.commands.seed",
    "scraper.commands.health",
]
