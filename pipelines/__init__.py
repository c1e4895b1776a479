"""Item pipelines, one stage each: extract -> validate -> deduplicate (then feed exports)."""
