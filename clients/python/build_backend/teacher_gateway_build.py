"""A PEP 517 / PEP 660 build backend for this one pure-Python package, standard library only.

Why not setuptools: the package must install offline with ``pip install --no-build-isolation``, and
the Pythons it meets may have no setuptools or no ``wheel`` (which setuptools before 70.1 needs to
build a wheel). A pure-Python wheel is a zip file with three metadata files; this writes it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
PACKAGE = "teacher_gateway"


def _project() -> dict:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+

        return tomllib.loads(text)["project"]
    except ImportError:  # pragma: no cover - Python 3.9/3.10: the few fields this file needs
        field = lambda name: re.search(rf'^{name}\s*=\s*"([^"]*)"', text, re.M).group(1)  # noqa: E731
        return {"name": field("name"), "version": field("version"), "description": field("description"),
                "requires-python": field("requires-python"), "readme": field("readme"),
                "optional-dependencies": {"gymnasium": ["gymnasium>=0.29"]}}


def _names() -> tuple:
    project = _project()
    return project, re.sub(r"[-_.]+", "_", project["name"]).lower(), project["version"]


def _metadata(project: dict) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}",
             f"Summary: {project.get('description', '')}", f"Requires-Python: {project.get('requires-python', '>=3.9')}"]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
    readme = ROOT / project.get("readme", "README.md")
    if readme.exists():
        lines.append("Description-Content-Type: text/markdown")
        return "\n".join(lines) + "\n\n" + readme.read_text(encoding="utf-8")
    return "\n".join(lines) + "\n"


def _wheel(directory: str, files: dict) -> str:
    project, name, version = _names()
    dist_info = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = _metadata(project).encode("utf-8")
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: teacher_gateway_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    filename = f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, filename), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return filename


def _package_files() -> dict:
    return {
        path.relative_to(SOURCE).as_posix(): path.read_bytes()
        for path in sorted((SOURCE / PACKAGE).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth line puts src/ on sys.path, so edits take effect without reinstalling.
    return _wheel(wheel_directory, {"teacher_gateway_editable.pth": (str(SOURCE) + "\n").encode("utf-8")})


def build_sdist(sdist_directory, config_settings=None):
    project, name, version = _names()
    base = f"{name}-{version}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as archive:
        for path in sorted(ROOT.rglob("*")):
            relative = path.relative_to(ROOT)
            if path.is_file() and not {"__pycache__", "build", "dist"} & set(relative.parts) and ".egg-info" not in str(relative):
                archive.add(path, arcname=f"{base}/{relative.as_posix()}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata(project).encode("utf-8")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return filename
