"""The `voxflow` console script as installed by pip: formats, -o, --json, env and flag settings,
the progress bar (only on a terminal), job commands, and the documented exit codes."""
import json
import os
import pty
import re
import select
import subprocess
import sys

from voxflow.cli import EXIT_API, EXIT_AUTH, EXIT_CREDITS, EXIT_RATE_LIMIT, EXIT_UNAVAILABLE, EXIT_USAGE


def cli_env(base_url, api_key=None, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOXFLOW_")}
    env["PYTHONPATH"] = os.environ["VOXFLOW_CLI_SITE"]  # only the installed copy, not the source tree
    env["VOXFLOW_BASE_URL"] = base_url
    if api_key:
        env["VOXFLOW_API_KEY"] = api_key
    env.update(extra)
    return env


def run(cli, args, env, cwd=None):
    return subprocess.run([str(cli), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def run_on_terminal(cli, args, env, cwd):
    """Runs the CLI with stdout and stderr on a pseudo-terminal, as a person at a shell would."""
    master, slave = pty.openpty()
    p = subprocess.Popen([str(cli), *args], env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        r, _, _ = select.select([master], [], [], 300)
        if not r:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(timeout=60), out.decode("utf-8", "replace")


SRT_CUE = re.compile(r"^\d+\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\n.+", re.M)


def test_transcribe_to_srt_with_a_progress_bar_on_a_terminal(voxflow_cli, base_url, api_key, audio, tmp_path):
    meeting = tmp_path / "meeting.mp3"
    meeting.write_bytes(open(audio, "rb").read())
    code, screen = run_on_terminal(voxflow_cli, ["transcribe", "meeting.mp3", "--format", "srt", "-o", "meeting.srt", "--no-diarize"],
                                   cli_env(base_url, api_key), tmp_path)
    assert code == 0, screen
    srt = (tmp_path / "meeting.srt").read_text()
    assert SRT_CUE.search(srt), srt
    # The bar is drawn from the job's step progress and ends full.
    assert "[" + "#" * 30 + "] 100% succeeded" in screen, screen
    # The listing shows it (the API lists transcription jobs), and `jobs get` reads it back.
    listing = run(voxflow_cli, ["jobs", "list", "--json"], cli_env(base_url, api_key))
    assert listing.returncode == 0, listing.stderr
    jobs = json.loads(listing.stdout)["jobs"]
    assert jobs and jobs[0]["filename"] == "meeting.mp3"
    got = run(voxflow_cli, ["jobs", "get", jobs[0]["id"]], cli_env(base_url, api_key))
    assert got.returncode == 0 and got.stdout.startswith(f"{jobs[0]['id']} succeeded 100%"), got.stdout
    # --json on a terminal: JSON only, no bar.
    code, screen = run_on_terminal(voxflow_cli, ["jobs", "wait", jobs[0]["id"], "--json"], cli_env(base_url, api_key), tmp_path)
    assert code == 0 and "#####" not in screen and json.loads(screen)["status"] == "succeeded"
    # Not a terminal: plain text on stdout, nothing else on stderr.
    text = run(voxflow_cli, ["jobs", "result", jobs[0]["id"], "--format", "txt"], cli_env(base_url, api_key))
    assert text.returncode == 0 and text.stderr == "" and text.stdout.strip()


def test_summarize_a_file_with_flags_instead_of_env(voxflow_cli, base_url, api_key, tmp_path):
    notes = tmp_path / "file.txt"
    notes.write_text("Ana: Luis, please book the venue for the launch by Monday. Luis: I will book it tomorrow.")
    env = {k: v for k, v in cli_env(base_url).items() if k != "VOXFLOW_BASE_URL"}
    res = run(voxflow_cli, ["summarize", str(notes), "--style", "action_items", "--json", "--base-url", base_url, "--api-key", api_key], env)
    assert res.returncode == 0, res.stderr
    body = json.loads(res.stdout)
    assert body["style"] == "action_items" and "venue" in body["summary"].lower()
    assert res.stderr == ""  # --json: no bar


def test_exit_codes_and_errors_on_stderr(voxflow_cli, base_url, api_key, broke_key, audio, tmp_path):
    notes = tmp_path / "t.txt"
    notes.write_text("Some text.")
    # 2: usage (missing file, unknown option), before any request
    missing = run(voxflow_cli, ["transcribe", str(tmp_path / "nope.mp3")], cli_env(base_url, api_key))
    assert missing.returncode == EXIT_USAGE and "no such file" in missing.stderr and missing.stdout == ""
    assert run(voxflow_cli, ["transcribe"], cli_env(base_url, api_key)).returncode == EXIT_USAGE
    # 3: a wrong key
    auth = run(voxflow_cli, ["account"], cli_env(base_url, "vf_wrong"))
    assert auth.returncode == EXIT_AUTH and "HTTP 401" in auth.stderr and auth.stdout == ""
    # 4: no credits; --json puts the API's error body on stderr
    broke = run(voxflow_cli, ["summarize", str(notes), "--json"], cli_env(base_url, broke_key))
    assert broke.returncode == EXIT_CREDITS
    err = json.loads(broke.stderr)
    assert err["error"] == "No credits remaining. Upgrade your plan." and err["status"] == 402
    # 5: anonymous quota (0 per day on this server), with the server's Retry-After
    anon = run(voxflow_cli, ["transcribe", audio], cli_env(base_url))
    assert anon.returncode == EXIT_RATE_LIMIT and "HTTP 429" in anon.stderr and "retry after" in anon.stderr
    # 6: nothing listening
    down = run(voxflow_cli, ["health"], cli_env("http://127.0.0.1:9"))
    assert down.returncode == EXIT_UNAVAILABLE and "Could not reach" in down.stderr
    # 1: any other API error (an honest 400 for a model that is not installed)
    bad = run(voxflow_cli, ["transcribe", audio, "--model", "large-v3-turbo"], cli_env(base_url, api_key))
    assert bad.returncode == EXIT_API and "not installed" in bad.stderr
