"""The full ``summit-search`` command: the indexer's commands plus ``serve``."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.backends import index_state
from indexer.cli import INDEX_OPTION, config_for, main, run_index

__all__ = ["main"]


@main.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Server processes (default: one per core).",
)
def serve(index_dir: Path | None, host: str, port: int, workers: int | None) -> None:
    """Serve the search UI under gunicorn (builds the index from the sources if missing)."""
    from webui.serve import ServeError
    from webui.serve import serve as run_server

    config = config_for(index_dir)

    def build_if_missing() -> None:
        state = index_state(config)
        if state == "missing":
            click.echo(f"no index at {config.index_dir}; building it from the sources", err=True)
            report = run_index(config, None)
            click.echo(f"{config.index_dir}: {report.summary()}", err=True)
        elif state == "outdated":
            # Safe: uploads and pastes are files in the library, which a rebuild reads too.
            click.echo(
                f"{config.index_dir} was built by another version; rebuilding it from the "
                "sources and the library",
                err=True,
            )
            report = run_index(config, None, rebuild=True)
            click.echo(f"{config.index_dir}: {report.summary()}", err=True)

    try:
        run_server(config.index_dir, host, port, build_if_missing, workers)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from exc
