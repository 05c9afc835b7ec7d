"""Scratch directories the suite-wide secret grep can read (the Python side of secrets.sh).

In a build tree (BUILD holds CTestTestfile.cmake) a test works in BUILD/test-output/<CTest name>,
emptied when it starts and kept when it ends; elsewhere in a temporary directory that cleanup()
removes. register_secret() and register_file() tell tests/secrets/suite_grep.py what must not
leak and which inputs hold it on purpose (kubeconfigs and PEM files are recognised by themselves).
"""
import os
import shutil
import stat
import tempfile


def scratch_dir(build, name):
    """A fresh scratch directory for the test NAME."""
    if build and name and os.path.isfile(os.path.join(build, "CTestTestfile.cmake")):
        path = os.path.join(build, "test-output", name)
        make_writable(path)
        shutil.rmtree(path, ignore_errors=True)
        try:
            os.makedirs(os.path.join(path, ".secrets"))
            open(os.path.join(path, ".secrets", "kept"), "w").close()
            return path
        except OSError:
            pass
    return tempfile.mkdtemp(prefix="md-%s-" % name)


def is_kept(path):
    return os.path.exists(os.path.join(path, ".secrets", "kept"))


def cleanup(path):
    """Kept directories stay (writable); temporary ones are removed."""
    make_writable(path)
    if not is_kept(path):
        shutil.rmtree(path, ignore_errors=True)


def register_secret(path, *values):
    os.makedirs(os.path.join(path, ".secrets"), exist_ok=True)
    with open(os.path.join(path, ".secrets", "values"), "a") as f:
        for v in values:
            f.write(v + "\n")


def register_file(path, *files):
    os.makedirs(os.path.join(path, ".secrets"), exist_ok=True)
    with open(os.path.join(path, ".secrets", "files"), "a") as f:
        for name in files:
            f.write(os.path.relpath(name, path) + "\n")


def make_writable(path):
    for root, dirs, _ in os.walk(path):
        for p in [root] + [os.path.join(root, d) for d in dirs]:
            try:
                os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR | stat.S_IXUSR)
            except OSError:
                pass
