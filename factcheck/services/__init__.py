"""Writes of the desk's domain, one module per entity: ``extraction`` (an article's claims),
``claims`` (a claim's desk fields, new claims), ``verdicts`` (verdicts and sources),
``profiles`` (a desk user's byline name) and ``notifications`` (e-mails about workflow
events). State changes go through ``factcheck.workflow`` instead."""
