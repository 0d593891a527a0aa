"""Validate stage: pandera schemas + Great Expectations suites -> valid rows, quarantine, rule results.

Public entry points: :func:`flows.validate.nodes.validate_tables` and
:func:`flows.validate.command.validate_command`. Importing this package does not import
great_expectations (that costs ~10 s); only running the GX engine does.
"""
