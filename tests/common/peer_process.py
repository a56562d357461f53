"""The lifecycle shared by the peer servers tests and benches start (Kamailio, rtpengine): one
process in its own session and temporary directory, its output in a log file there."""

import os
import shutil
import signal
import subprocess


class PeerProcess:
    """Subclasses set self.process, self.log_file, self.log_path and self.workdir in start()."""

    process = None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: its workers only
                self.process.wait()
        self.log_file.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return self.process.returncode

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as log:
                return b"\n".join(log.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
