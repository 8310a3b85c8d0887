"""`elpack preview`: a local LMS simulator that rebuilds modules as they are edited."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from ..errors import ElpackError, counted
from ..preview import PreviewBuild, PreviewModule, PreviewServer, is_loopback


def exposure_warning(host: str, port: int) -> str | None:
    """What to tell the writer when the preview can be reached from other computers."""
    if is_loopback(host):
        return None
    return (f"warning: --host {host} lets anyone who can reach this computer on port {port} open "
            "the preview, answers included. Leave out --host to keep it on this computer.")


def report_build(module: PreviewModule, result: PreviewBuild) -> None:
    """One build in the terminal: a line when it works, the same report as `elpack build` when not."""
    if result.ok:
        click.echo(f"{module.display_name}: built in {result.seconds * 1000:.0f} ms")
        for warning in result.warnings:
            click.echo(warning, err=True)
        return
    click.echo(click.style(f"{module.display_name}: build failed", fg="red", bold=True), err=True)
    click.echo("\n".join([result.summary, *result.problems]), err=True)


def preview_modules(module_dirs: list[Path], host: str, port: int, open_browser: bool,
                    target: str | None = None) -> None:
    """Serve the modules until Ctrl-C; returns normally then, so the exit code is 0. With
    ``target``, each module's package for that standard is previewed, in its LMS."""
    missing = [str(d) for d in module_dirs if not d.is_dir()]
    if missing:
        raise ElpackError(f"no such module folder: {', '.join(missing)}")
    try:
        server = PreviewServer(module_dirs, host=host, port=port, on_build=report_build,
                               target=target)
    except OSError as error:
        raise ElpackError(f"cannot listen on {host} port {port}: {error.strerror or error}. "
                          "Is another preview running? Try another --port.") from None
    try:
        server.build_all()
        count = len(server.modules)
        click.echo(f"Previewing {counted(count, 'module')} at {server.url}")
        warning = exposure_warning(host, server.port)
        if warning:
            click.echo(click.style(warning, fg="yellow"), err=True)
        click.echo("Edit and save your files: the preview rebuilds and reloads. Press Ctrl-C to stop.")
        if open_browser:
            webbrowser.open(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how the preview is meant to stop
    finally:
        server.close()
    click.echo("Preview stopped.")
