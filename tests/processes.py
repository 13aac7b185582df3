"""Starting real servers as child processes: a free loopback port, and waiting until one answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float) -> None:
    """Poll `url` until it answers; RuntimeError (with the end of the process's stderr, when it
    was piped and the process ended) once the process exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            ended = process.poll() is not None
            if ended or time.monotonic() > deadline:
                detail = process.stderr.read().decode(errors="replace")[-2000:] if ended and process.stderr else ""
                raise RuntimeError(f"{url} did not start answering within {timeout:g}s. {detail}".strip())
            time.sleep(0.1)


def stop(process: subprocess.Popen, timeout: float = 10) -> str:
    """SIGTERM, then the process's piped stderr (or merged output); a process that does not end
    within `timeout` is killed and fails the test with the end of what it wrote."""
    process.terminate()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        written = (err or out or b"").decode(errors="replace")[-3000:]
        raise AssertionError(f"the process did not stop within {timeout:g}s of SIGTERM:\n{written}") from None
    return (err if err is not None else out or b"").decode(errors="replace")
