"""``voxflow``: the command-line client (installed with the SDK).

Exit codes (stable, for scripts):
  0 success · 1 API error (any other status, failed job) · 2 usage error (bad arguments, unreadable file)
  3 authentication (401) · 4 no credits (402) · 5 rate limited (429) · 6 unavailable (503, server unreachable)
  7 timed out waiting for a job · 130 interrupted
Errors go to stderr (as JSON with --json); results to stdout or -o FILE.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, Dict, List, NoReturn, Optional, TextIO

from . import __version__
from .client import Client
from .errors import (APIConnectionError, APIError, AuthenticationError, JobTimeoutError, PaymentRequiredError,
                     RateLimitError, ServiceUnavailableError, VoxflowError)
from .types import Job

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_AUTH, EXIT_CREDITS, EXIT_RATE_LIMIT, EXIT_UNAVAILABLE, EXIT_TIMEOUT = 0, 1, 2, 3, 4, 5, 6, 7
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    pass


def exit_code(err: BaseException) -> int:
    if isinstance(err, AuthenticationError):
        return EXIT_AUTH
    if isinstance(err, PaymentRequiredError):
        return EXIT_CREDITS
    if isinstance(err, RateLimitError):
        return EXIT_RATE_LIMIT
    if isinstance(err, (ServiceUnavailableError, APIConnectionError)):
        return EXIT_UNAVAILABLE
    if isinstance(err, JobTimeoutError):
        return EXIT_TIMEOUT
    return EXIT_API


class ProgressBar:
    """One line on stderr redrawn from the job's step progress: overall bar, the running step and its %."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width, self.drawn = stream, width, False

    def __call__(self, job: Job) -> None:
        filled = int(round(job.progress * self.width))
        step = job.current_step
        where = f" {step.name} {int(step.progress * 100)}%" if step else ""
        self.stream.write(f"\r[{'#' * filled}{'-' * (self.width - filled)}] {int(job.progress * 100):3d}% {job.status}{where}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from e


def _check_file(path: str) -> str:
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    return path


def _emit(args: argparse.Namespace, value: Any, human: Optional[Callable[[Any], str]] = None) -> None:
    """--json: the API's JSON as is; otherwise a human rendering. -o writes to a file instead of stdout."""
    if isinstance(value, bytes):
        out = value
    elif args.json or human is None:
        out = (json.dumps(value, indent=2, ensure_ascii=False) if not isinstance(value, str) else value).rstrip("\n") + "\n"
    else:
        out = human(value).rstrip("\n") + "\n"
    if getattr(args, "output", None):
        mode = "wb" if isinstance(out, bytes) else "w"
        with open(args.output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(out)
    elif isinstance(out, bytes):
        sys.stdout.buffer.write(out)
    else:
        sys.stdout.write(out)


def _progress(args: argparse.Namespace) -> Optional[ProgressBar]:
    """A bar only for a person watching: stdout and stderr terminals, no --json, no --no-progress."""
    if args.json or args.no_progress or not sys.stdout.isatty() or not sys.stderr.isatty():
        return None
    return ProgressBar(sys.stderr)


def _run_job(args: argparse.Namespace, call: Callable[..., Any]) -> Any:
    bar = _progress(args)
    try:
        return call(wait=not args.no_wait, on_progress=bar, timeout=args.wait_timeout)
    finally:
        if bar:
            bar.end()


def _job_human(job: Job) -> str:
    steps = ", ".join(f"{s.name} {s.status} {int(s.progress * 100)}%" for s in job.steps)
    return f"{job.id} {job.status} {int(job.progress * 100)}%" + (f" ({steps})" if steps else "")


def _submitted(value: Any) -> Any:
    return value.raw if isinstance(value, Job) else value


def cmd_transcribe(c: Client, args: argparse.Namespace) -> Any:
    fmt = "json" if args.json else args.format
    res = _run_job(args, lambda **kw: c.transcribe(_check_file(args.file), model=args.model, language=args.language,
                                                   diarize=False if args.no_diarize else None, speakers=args.speakers,
                                                   response_format=fmt, **kw))
    if isinstance(res, Job):
        return _emit(args, res.raw, lambda r: r["id"])
    _emit(args, res, (lambda r: r["text"]) if fmt == "json" and not args.json and not args.output else None)


def cmd_summarize(c: Client, args: argparse.Namespace) -> Any:
    res = _run_job(args, lambda **kw: c.summarize(_read_text(args.file), style=args.style, **kw))
    _emit(args, _submitted(res), lambda r: r.get("summary", r.get("id", "")))


def cmd_analyze(c: Client, args: argparse.Namespace) -> Any:
    _emit(args, _submitted(_run_job(args, lambda **kw: c.analyze(_read_text(args.file), type=args.type, **kw))))


def cmd_generate(c: Client, args: argparse.Namespace) -> Any:
    _emit(args, _submitted(_run_job(args, lambda **kw: c.generate(_read_text(args.file), type=args.type, **kw))))


def cmd_translate(c: Client, args: argparse.Namespace) -> Any:
    res = _run_job(args, lambda **kw: c.translate(_read_text(args.file), target=args.target, source=args.source, **kw))
    _emit(args, _submitted(res), lambda r: r.get("translated_text", r.get("id", "")))


def cmd_enhance(c: Client, args: argparse.Namespace) -> Any:
    bar = _progress(args)
    try:
        c.enhance_audio(_check_file(args.file), output=args.output, on_progress=bar, timeout=args.wait_timeout)
    finally:
        if bar:
            bar.end()
    if args.json:
        print(json.dumps({"output": args.output}))


def cmd_jobs(c: Client, args: argparse.Namespace) -> Any:
    if args.jobs_cmd == "list":
        # The API lists transcription jobs (/api/v1/transcripts/); other jobs are found by id.
        res = c.transcripts.list(status=args.status, page_size=args.limit)
        return _emit(args, res, lambda r: "\n".join(f"{j['id']}\t{j['status']}\t{j.get('created_at') or ''}\t{j.get('filename', '')}" for j in r["jobs"]))
    if args.jobs_cmd == "get":
        job = c.jobs.get(args.id)
        return _emit(args, job.raw, lambda _r: _job_human(job))
    if args.jobs_cmd == "wait":
        bar = _progress(args)
        try:
            job = c.jobs.wait(args.id, on_progress=bar, timeout=args.wait_timeout)
        finally:
            if bar:
                bar.end()
        return _emit(args, job.raw, lambda _r: _job_human(job))
    if args.jobs_cmd == "result":
        return _emit(args, c.jobs.result(args.id, format=args.format))
    if args.jobs_cmd == "cancel":
        return _emit(args, c.jobs.cancel(args.id), lambda r: f"{r['id']} {r['status']}")
    if args.jobs_cmd == "delete":
        c.jobs.delete(args.id)
        return _emit(args, {"id": args.id, "deleted": True}, lambda r: f"{r['id']} deleted")


def cmd_simple(name: str) -> Callable[[Client, argparse.Namespace], Any]:
    def run(c: Client, args: argparse.Namespace) -> Any:
        _emit(args, getattr(c, name)())
    return run


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    g = common.add_argument_group("connection and output")
    g.add_argument("--base-url", default=argparse.SUPPRESS, help="server URL (env VOXFLOW_BASE_URL; default http://localhost:8080)")
    g.add_argument("--api-key", default=argparse.SUPPRESS, help="API key (env VOXFLOW_API_KEY; none: anonymous)")
    g.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print the API's JSON (no progress bar)")
    g.add_argument("--no-progress", action="store_true", default=argparse.SUPPRESS, help="never draw the progress bar")

    p = _Parser(prog="voxflow", description="Command-line client for voxflow.", parents=[common],
                epilog="Exit codes: 0 ok, 1 API error, 2 usage, 3 auth (401), 4 no credits (402), 5 rate limited (429), "
                       "6 unavailable (503 or unreachable), 7 job wait timed out, 130 interrupted.")
    p.add_argument("--version", action="version", version=f"voxflow {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def job_opts(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--no-wait", action="store_true", help="submit and print the job (id, status) at once")
        sp.add_argument("--wait-timeout", type=float, default=None, help="seconds to wait for the job before exit 7")
        sp.add_argument("-o", "--output", help="write the result to this file instead of stdout")

    t = sub.add_parser("transcribe", parents=[common], help="transcribe an audio or video file")
    t.add_argument("file")
    t.add_argument("--format", choices=["json", "txt", "srt", "vtt"], default="txt", help="output format (default txt)")
    t.add_argument("--model")
    t.add_argument("--language", help="ISO 639-1 code or auto")
    t.add_argument("--no-diarize", action="store_true", help="skip speaker diarization")
    t.add_argument("--speakers", type=int, help="expected number of speakers (0 = auto)")
    job_opts(t)
    t.set_defaults(run=cmd_transcribe)

    s = sub.add_parser("summarize", parents=[common], help="summarize a text file (- for stdin)")
    s.add_argument("file")
    s.add_argument("--style", choices=["brief", "detailed", "action_items", "bullet_points"])
    job_opts(s)
    s.set_defaults(run=cmd_summarize)

    for name, fn, choices in (("analyze", cmd_analyze, ["sentiment", "topics", "entities", "action_items", "questions", "pii_redact"]),
                              ("generate", cmd_generate, None)):
        a = sub.add_parser(name, parents=[common], help=f"{name} a text file (- for stdin)")
        a.add_argument("file")
        a.add_argument("--type", required=True, choices=choices)
        job_opts(a)
        a.set_defaults(run=fn)

    tr = sub.add_parser("translate", parents=[common], help="translate a text file (- for stdin)")
    tr.add_argument("file")
    tr.add_argument("--target", required=True)
    tr.add_argument("--source")
    job_opts(tr)
    tr.set_defaults(run=cmd_translate)

    e = sub.add_parser("enhance", parents=[common], help="denoise and normalise an audio file into a WAV")
    e.add_argument("file")
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--wait-timeout", type=float, default=None)
    e.set_defaults(run=cmd_enhance)

    j = sub.add_parser("jobs", parents=[common], help="list, inspect, wait for, cancel or delete jobs")
    jsub = j.add_subparsers(dest="jobs_cmd", required=True, parser_class=_Parser)
    jl = jsub.add_parser("list", parents=[common], help="transcription jobs, newest first")
    jl.add_argument("--status", choices=["queued", "running", "succeeded", "failed", "cancelled"])
    jl.add_argument("--limit", type=int, default=20)
    for name in ("get", "wait", "result", "cancel", "delete"):
        jp = jsub.add_parser(name, parents=[common])
        jp.add_argument("id")
        if name == "wait":
            jp.add_argument("--wait-timeout", type=float, default=None)
        if name == "result":
            jp.add_argument("--format", choices=["json", "txt", "srt", "vtt"])
            jp.add_argument("-o", "--output")
    j.set_defaults(run=cmd_jobs)

    for name in ("models", "languages", "health", "account", "usage"):
        sub.add_parser(name, parents=[common], help=f"GET {name}").set_defaults(run=cmd_simple(name))
    return p


def _report(args: Optional[argparse.Namespace], err: BaseException) -> None:
    as_json = bool(args is not None and getattr(args, "json", False))
    if isinstance(err, APIError):
        if as_json:
            sys.stderr.write(json.dumps({**err.body, "status": err.status}) + "\n")
        else:
            hint = f" (retry after {err.retry_after:g} s)" if getattr(err, "retry_after", None) else ""
            sys.stderr.write(f"voxflow: error: {err.message} (HTTP {err.status}){hint}\n")
    elif as_json:
        sys.stderr.write(json.dumps({"error": str(err)}) + "\n")
    else:
        sys.stderr.write(f"voxflow: error: {err}\n")


def main(argv: Optional[List[str]] = None) -> int:
    args: Optional[argparse.Namespace] = None
    try:
        args = build_parser().parse_args(argv)
        for flag in ("json", "no_progress"):
            setattr(args, flag, getattr(args, flag, False))
        for name in ("output", "no_wait", "wait_timeout"):
            if not hasattr(args, name):
                setattr(args, name, None if name != "no_wait" else False)
        with Client(api_key=getattr(args, "api_key", None), base_url=getattr(args, "base_url", None)) as c:
            args.run(c, args)
        return EXIT_OK
    except UsageError as e:
        _report(args, e)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except VoxflowError as e:
        _report(args, e)
        return exit_code(e)


def run() -> NoReturn:
    sys.exit(main())


if __name__ == "__main__":
    run()
