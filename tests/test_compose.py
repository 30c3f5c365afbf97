"""docker-compose.yml and the Dockerfile, checked as text (no Docker engine here)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services() -> None:
    assert sorted(COMPOSE["services"]) == ["api", "neo4j"]
    assert COMPOSE["services"]["neo4j"]["image"] == "neo4j:5.26-community"
    assert COMPOSE["services"]["api"]["build"] == "."


def test_neo4j_password_is_required_without_default() -> None:
    required = "${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"
    assert COMPOSE["services"]["neo4j"]["environment"]["NEO4J_AUTH"] == f"neo4j/{required}"
    assert COMPOSE["services"]["api"]["environment"]["NEO4J_PASSWORD"] == required


def test_neo4j_healthcheck_and_volume() -> None:
    neo4j = COMPOSE["services"]["neo4j"]
    assert neo4j["healthcheck"]["test"] == [
        "CMD-SHELL",
        "cypher-shell -u neo4j -p \"$${NEO4J_AUTH#neo4j/}\" 'RETURN 1' || exit 1",
    ]
    assert neo4j["healthcheck"]["retries"] == 12
    assert neo4j["volumes"] == ["neo4j-data:/data"]
    assert COMPOSE["volumes"] == {"neo4j-data": None, "chainkg-keys": None}


def test_api_waits_for_healthy_neo4j_and_uses_it() -> None:
    api = COMPOSE["services"]["api"]
    assert api["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    env = api["environment"]
    assert (env["CHAINKG_STORE"], env["NEO4J_URI"]) == ("neo4j", "bolt://neo4j:7687")
    assert api["command"] == ["chainkg", "serve", "--host", "0.0.0.0", "--port", "8000"]


def test_ports_bound_to_localhost_only() -> None:
    services = COMPOSE["services"]
    assert services["api"]["ports"] == ["127.0.0.1:8000:8000"]
    assert services["neo4j"]["ports"] == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]


def test_dockerfile() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "FROM python:3.11-slim"
    assert "RUN pip install . \\" in lines
    assert lines[-1] == 'CMD ["chainkg", "serve", "--host", "0.0.0.0", "--port", "8000"]'
    copied = [line.split()[1] for line in lines if line.startswith("COPY ")]
    packages = ["core", "graph", "loaders", "queries", "cli", "api", "viz", "data"]
    assert copied == ["pyproject.toml", *packages]


def dockerfile_copies() -> list[str]:
    """Every source path the Dockerfile COPYs (its last word is the destination)."""
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    return [src for line in lines if line.startswith("COPY ") for src in line.split()[1:-1]]


def test_every_copied_source_exists() -> None:
    assert [src for src in dockerfile_copies() if not (ROOT / src).exists()] == []


def test_the_wheel_builds_from_exactly_what_the_dockerfile_copies(tmp_path: Path) -> None:
    """What `pip install .` does in the image, without Docker: build the wheel from a folder
    holding only the copied files; it must hold every module of the package."""
    import shutil
    import subprocess
    import sys
    import zipfile

    src = tmp_path / "src"
    src.mkdir()
    for name in dockerfile_copies():
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, src / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "dist"), str(src)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    [wheel] = (tmp_path / "dist").glob("chainkg-*.whl")
    built = {n for n in zipfile.ZipFile(wheel).namelist() if n.startswith("chainkg/")}
    folders = {"core": "chainkg", "graph": "chainkg/graph", "loaders": "chainkg/loaders"}
    folders |= {f: f"chainkg/{f}" for f in ("queries", "cli", "api", "viz", "data")}
    expected = {
        f"{dest}/{path.relative_to(ROOT / folder).as_posix()}"
        for folder, dest in folders.items()
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert sorted(expected - built) == []
    cyphers = {f"chainkg/queries/{p.name}" for p in (ROOT / "queries").glob("*.cypher")}
    assert sorted(cyphers - built) == []
    assert {"chainkg/data/yuzhengban-2021-61.md", "chainkg/api/app.py"} <= built
