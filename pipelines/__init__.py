"""Item pipelines, one stage each; `pipelines.stages` lists them in order (extract -> learned
boilerplate -> validate -> incremental -> one per article -> near-duplicates -> limits -> the
durable JSON Lines output), for Scrapy's ITEM_PIPELINES and for `newsscrape extract`."""
