"""Extraction, one module per stage: document -> metadata -> body -> article record."""

from scraper.extract.article import NotAnArticle, analyse_page, build_record, extract_article

__all__ = ["NotAnArticle", "analyse_page", "build_record", "extract_article"]
