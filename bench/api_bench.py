"""API benchmark: 2-hop SUPPLIES neighbourhoods (<= 500 nodes) under 32 concurrent clients.

Builds (once) the embedded demo graph in --data-dir, starts `chainkg serve` on it in a
child process, and lets --clients asyncio clients request neighbourhoods of random
enterprises for --seconds. Prints latency percentiles, throughput and subgraph sizes.

    .venv/bin/python bench/api_bench.py [--data-dir /tmp/chainkg-api-bench] [--scale 5000]
        [--no-cache] [--json-out bench/results/api-embedded-5000.json]

--no-cache starts the server with CHAINKG_API_CACHE_MB=0, so every request reads the
store (cold figures); by default repeated requests are answered from the subgraph cache.
--no-projection turns the read projection off (CHAINKG_API_PROJECTION=false): subgraphs
are then read from the store hop by hop. --route health measures the bare /health route
of the same server instead (the framework's ceiling on this machine). One request is
made and answered before the clock starts (it builds the projection).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from chainkg.api.keys import KeyFile, Role
from chainkg.graph.embedded import EmbeddedStore


def prepare(data_dir: Path, scale: int) -> list[str]:
    """The demo graph in ``data_dir`` (built if absent) and the ids of enterprises that supply."""
    store = EmbeddedStore(data_dir)
    with store:
        have = store.read("MATCH (o:Organization)-[:SUPPLIES]->() RETURN count(*) AS n")[0]["n"]
        if not have:
            from chainkg.loaders.demo_load import load_demo
            from chainkg.loaders.roster_load import load_roster
            from chainkg.loaders.template_load import load_chain_templates

            started = time.perf_counter()
            load_roster(store)
            load_chain_templates(store)
            load_demo(store, scale=scale)
            print(f"built the demo graph (scale {scale}) in {time.perf_counter() - started:.1f} s")
        rows = store.read(
            "MATCH (o:Organization)-[:SUPPLIES]->() RETURN DISTINCT o.id AS id ORDER BY id"
        )
    return [r["id"] for r in rows]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 60.0) -> None:
    """Block until something listens on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not listen on port {port} within {timeout} s")


def server_command(
    data_dir: Path, keys_file: Path, port: int, read_only: bool, workers: int = 1
) -> list[str]:
    """`chainkg serve` (``workers`` > 1: `--workers N --read-only`, the workers mapping one
    projection built before they start), or (read_only) the same app over a read-only
    embedded store, of which several processes may open one folder at once (no writes:
    CHAINKG_API_WRITES=false)."""
    if not read_only:
        chainkg = str(Path(sys.executable).with_name("chainkg"))
        serve = ["serve", "--port", str(port), "--keys-file", str(keys_file)]
        if workers > 1:
            serve += ["--workers", str(workers), "--read-only"]
        return [chainkg, "--data-dir", str(data_dir), *serve]
    code = (
        "import sys, uvicorn\n"
        "from pathlib import Path\n"
        "from chainkg.api.app import create_app\n"
        "from chainkg.api.settings import ApiSettings\n"
        "from chainkg.graph.embedded import EmbeddedStore\n"
        "settings = ApiSettings(keys_file=Path(sys.argv[2]), writes_enabled=False)\n"
        "app = create_app(settings, EmbeddedStore(Path(sys.argv[1]), read_only=True))\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[3]), log_level='warning')\n"
    )
    return [sys.executable, "-c", code, str(data_dir), str(keys_file), str(port)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` and its live descendants
    (uvicorn's worker processes), from Linux /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        total += sum(cpu_seconds(int(c)) for c in children)
    return total


async def client(
    port: int,
    token: str,
    ids: list[str],
    until: float,
    seed: int,
    out: list[tuple[float, int, bool]],
    route: str = "neighbourhood",
) -> None:
    """Request neighbourhoods until ``until``; record (seconds, nodes, truncated).

    A bare HTTP/1.1 keep-alive client: the load generator shares the machine's two
    cores with the server, and httpx spent more CPU per request than the server did.
    """
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < until:
            org = rng.choice(ids)
            request = (
                f"GET {target(route, org)} HTTP/1.1\r\n"
                f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
            )
            started = time.perf_counter()
            writer.write(request.encode("ascii"))
            head = await reader.readuntil(b"\r\n\r\n")
            status, headers = parse_head(head)
            body = await reader.readexactly(int(headers["content-length"]))
            elapsed = time.perf_counter() - started
            if status != 200:
                raise RuntimeError(f"{org}: HTTP {status}: {body[:300]!r}")
            if route == "health":
                out.append((elapsed, 0, False))
                continue
            data = json.loads(body)
            out.append((elapsed, len(data["nodes"]), data["truncated"]))
    finally:
        writer.close()


def target(route: str, org: str) -> str:
    """The path of one request: the 2-hop SUPPLIES neighbourhood of ``org``, or /health."""
    if route == "health":
        return "/health"
    return f"/orgs/{quote(org, safe='')}/neighbourhood?depth=2&type=SUPPLIES&limit=500"


def warm_up(port: int, token: str, org: str, timeout: float = 600.0) -> None:
    """One neighbourhood request, answered before the clock starts (builds the projection)."""
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{target('neighbourhood', org)}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """The status code and (lower-cased) headers of an HTTP/1.1 response head."""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return status, headers


def main() -> None:
    """Run the benchmark and print its numbers."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=Path("/tmp/chainkg-api-bench"))
    p.add_argument("--scale", type=int, default=5_000)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--no-cache", action="store_true", help="server without the subgraph cache")
    p.add_argument(
        "--no-projection", action="store_true", help="server without the read projection"
    )
    p.add_argument(
        "--route",
        choices=("neighbourhood", "health", "both"),
        default="both",
        help="both: the 2-hop route, then /health on the same server(s) in the same run",
    )
    p.add_argument("--workers", type=int, default=1, help="`chainkg serve --workers N --read-only`")
    p.add_argument(
        "--pool", type=int, default=0, help="request only this many enterprises (0: all)"
    )
    p.add_argument(
        "--read-only-servers",
        type=int,
        default=0,
        help="N server processes on a read-only store, clients spread over them (0: one "
        "`chainkg serve`)",
    )
    p.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")
    args = p.parse_args()

    ids = prepare(args.data_dir, args.scale)
    if args.pool:
        ids = random.Random(0).sample(ids, min(args.pool, len(ids)))
    load_before = [round(x, 2) for x in os.getloadavg()]
    keys_file = args.data_dir / "bench-keys.json"
    keys_file.unlink(missing_ok=True)
    _, token = KeyFile(keys_file).add(Role.viewer, "bench")
    env = {
        **os.environ,
        "CHAINKG_STORE": "embedded",
        **({"CHAINKG_API_CACHE_MB": "0"} if args.no_cache else {}),
        **({"CHAINKG_API_PROJECTION": "false"} if args.no_projection else {}),
    }
    ports = [free_port() for _ in range(args.read_only_servers or 1)]
    servers = [
        subprocess.Popen(
            server_command(
                args.data_dir, keys_file, port, bool(args.read_only_servers), args.workers
            ),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_for(port, timeout=1800.0)  # --workers: the projection is built first
            for org in ids[: 4 * args.workers]:  # new connections: reach every worker
                warm_up(port, token, org)
        routes = ["neighbourhood", "health"] if args.route == "both" else [args.route]
        runs = {route: measure(args, ports, servers, token, ids, route) for route in routes}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    all_figures = {
        route: report(args, ids, servers, route, *run, load_before) for route, run in runs.items()
    }
    if len(all_figures) == 2:
        ratio = (
            all_figures["health"]["throughput_rps"] / all_figures["neighbourhood"]["throughput_rps"]
        )
        cpu = (
            all_figures["neighbourhood"]["server_cpu_ms_per_request"]
            / all_figures["health"]["server_cpu_ms_per_request"]
        )
        print(f"/health vs 2-hop: throughput {ratio:.1f}x, server CPU per request {cpu:.1f}x")
    if args.json_out:
        args.json_out.write_text(json.dumps(all_figures, indent=2) + "\n")


def measure(
    args: argparse.Namespace,
    ports: list[int],
    servers: list[subprocess.Popen],
    token: str,
    ids: list[str],
    route: str,
) -> tuple[list[tuple[float, int, bool]], float, float, float]:
    """One timed phase: (results, wall seconds, server CPU, client CPU)."""
    results: list[tuple[float, int, bool]] = []
    until = time.monotonic() + args.seconds
    started = time.perf_counter()

    async def run() -> None:
        await asyncio.gather(
            *(
                client(ports[i % len(ports)], token, ids, until, i, results, route)
                for i in range(args.clients)
            )
        )

    server_cpu_before = sum(cpu_seconds(p.pid) for p in servers)
    client_cpu_before = time.process_time()
    asyncio.run(run())
    wall = time.perf_counter() - started
    server_cpu = sum(cpu_seconds(p.pid) for p in servers) - server_cpu_before
    client_cpu = time.process_time() - client_cpu_before
    return results, wall, server_cpu, client_cpu


def report(
    args: argparse.Namespace,
    ids: list[str],
    servers: list[subprocess.Popen],
    route: str,
    results: list[tuple[float, int, bool]],
    wall: float,
    server_cpu: float,
    client_cpu: float,
    load_before: list[float],
) -> dict:
    """Print one phase's figures and return them."""
    lat = sorted(r[0] for r in results)
    nodes = [r[1] for r in results]

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000

    print(
        f"graph: {args.data_dir} ({len(ids)} supplying enterprises); {args.clients} clients, "
        f"{wall:.1f} s, {os.cpu_count()} CPUs"
    )
    print(f"requests: {len(lat)}  throughput: {len(lat) / wall:.1f} req/s")
    print(
        f"latency ms: p50 {pct(0.50):.0f}  p95 {pct(0.95):.0f}  p99 {pct(0.99):.0f}  "
        f"max {lat[-1] * 1000:.0f}"
    )
    print(
        f"route {route}, cache {not args.no_cache}, projection {not args.no_projection}; "
        f"load average before {load_before}"
    )
    print(
        f"nodes per subgraph: mean {statistics.mean(nodes):.0f}  max {max(nodes)}  "
        f"truncated {sum(r[2] for r in results)}"
    )
    print(
        f"CPU ms per request: server {server_cpu / len(lat) * 1000:.1f}  "
        f"client {client_cpu / len(lat) * 1000:.1f}"
    )
    figures = {
        "store": "embedded",
        "graph": str(args.data_dir),
        "scale": args.scale,
        "enterprises_requested": len(ids),
        "cache": not args.no_cache,
        "projection": not args.no_projection,
        "route": route,
        "server_processes": len(servers),
        "read_only": bool(args.read_only_servers),
        "clients": args.clients,
        "seconds": round(wall, 1),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "requests": len(lat),
        "throughput_rps": round(len(lat) / wall, 1),
        "latency_ms": {q: round(pct(v), 1) for q, v in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}
        | {"max": round(lat[-1] * 1000, 1)},
        "nodes_mean": round(statistics.mean(nodes), 1),
        "nodes_max": max(nodes),
        "truncated": sum(r[2] for r in results),
        "server_cpu_ms_per_request": round(server_cpu / len(lat) * 1000, 2),
        "client_cpu_ms_per_request": round(client_cpu / len(lat) * 1000, 2),
    }
    figures["workers"] = args.workers
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures


if __name__ == "__main__":
    main()
