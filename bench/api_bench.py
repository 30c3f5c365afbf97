"""API benchmark: 2-hop SUPPLIES neighbourhoods (<= 500 nodes) under 32 concurrent clients.

Builds (once) the embedded demo graph in --data-dir, starts `chainkg serve` on it in a
child process, and lets --clients asyncio clients request neighbourhoods of random
enterprises for --seconds. Prints latency percentiles, throughput and subgraph sizes.

    .venv/bin/python bench/api_bench.py [--data-dir /tmp/chainkg-api-bench] [--scale 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

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


async def client(
    base: str,
    token: str,
    ids: list[str],
    until: float,
    seed: int,
    out: list[tuple[float, int, bool]],
) -> None:
    """Request neighbourhoods until ``until``; record (seconds, nodes, truncated)."""
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    params = {"depth": 2, "type": "SUPPLIES", "limit": 500}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        while time.monotonic() < until:
            org = rng.choice(ids)
            started = time.perf_counter()
            r = await http.get(f"/orgs/{quote(org, safe='')}/neighbourhood", params=params)
            elapsed = time.perf_counter() - started
            r.raise_for_status()
            body = r.json()
            out.append((elapsed, len(body["nodes"]), body["truncated"]))


def main() -> None:
    """Run the benchmark and print its numbers."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=Path("/tmp/chainkg-api-bench"))
    p.add_argument("--scale", type=int, default=5_000)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=20.0)
    args = p.parse_args()

    ids = prepare(args.data_dir, args.scale)
    keys_file = args.data_dir / "bench-keys.json"
    keys_file.unlink(missing_ok=True)
    _, token = KeyFile(keys_file).add(Role.viewer, "bench")
    port = free_port()
    chainkg = str(Path(sys.executable).with_name("chainkg"))
    server = subprocess.Popen(
        [
            chainkg,
            "--data-dir",
            str(args.data_dir),
            "serve",
            "--port",
            str(port),
            "--keys-file",
            str(keys_file),
        ],
        env={**os.environ, "CHAINKG_STORE": "embedded"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        results: list[tuple[float, int, bool]] = []
        until = time.monotonic() + args.seconds
        started = time.perf_counter()

        async def run() -> None:
            await asyncio.gather(
                *(
                    client(f"http://127.0.0.1:{port}", token, ids, until, i, results)
                    for i in range(args.clients)
                )
            )

        asyncio.run(run())
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

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
        f"nodes per subgraph: mean {statistics.mean(nodes):.0f}  max {max(nodes)}  "
        f"truncated {sum(r[2] for r in results)}"
    )


if __name__ == "__main__":
    main()
