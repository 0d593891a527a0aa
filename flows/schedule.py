"""Scheduling: the refresh flow served as a Prefect deployment on a cron."""

from __future__ import annotations

from pathlib import Path

from flows.settings import configure_environment

configure_environment()


def build_deployment(cron: str, raw: Path, curated: Path, reports: Path, name: str = "scheduled-refresh"):
    """The deployment object `serve` runs (inspectable in tests without waiting for the cron)."""
    from flows.pipeline import refresh_flow

    return refresh_flow.to_deployment(
        name=name,
        cron=cron,
        parameters={"raw": str(Path(raw).resolve()), "curated": str(Path(curated).resolve()),
                    "reports": str(Path(reports).resolve())},
        description="gradfacts scheduled refresh: raw/ -> curated/ + reports/",
        tags=["gradfacts"],
    )


def serve_refresh(cron: str, raw: Path, curated: Path, reports: Path, name: str = "scheduled-refresh") -> None:
    from prefect import serve

    serve(build_deployment(cron, raw, curated, reports, name))
