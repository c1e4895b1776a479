"""How a command ends: the exit statuses every command shares, and the usage error (status 2)."""

# Exit statuses, the same for every command (README, "Exit status"). Stable: cron, systemd
# and scripts read them.
# The run worked: crawl wrote or confirmed articles (dead links met on the way do not count
# against it); get and extract gave a record for every input they were given.
EXIT_OK = 0
# crawl: the run found no article at all (nothing could be fetched, or nothing fetched was
# an article); get, extract: some input gave no record (each is named with stage and reason).
EXIT_FAILED = 1
# The command line, an input file or an output is unusable: said in one line, nothing run.
EXIT_USAGE = 2
# An output failed during the run (disk full, standard output closed) and the run stopped.
EXIT_OUTPUT_FAILED = 3
# The run worked, but a site's figures fell far outside its recent runs: health alerts
# (scraper/health). `newsscrape health`: some site's latest run raised alerts.
EXIT_HEALTH_ALERTS = 4


class UsageError(Exception):
    """The command line is wrong; the message says what to do instead."""
