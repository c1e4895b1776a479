"""`python -m scraper.localsite ROOT --port N`: serve a folder on 127.0.0.1 until Ctrl-C."""

from scraper.localsite import main

main()
