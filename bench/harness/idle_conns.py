"""Holds N idle TLS connections (ALPN http/1.1, handshake complete) to host:port until stdin closes.
Prints "open N" once all are connected (or "error ..." and exits 1). Python stdlib only; run with a high `ulimit -n`."""
import asyncio
import resource
import ssl
import sys


async def main():
    host, port, n, cafile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.set_alpn_protocols(["http/1.1"])
    sem = asyncio.Semaphore(64)  # handshakes in flight at once
    conns = []

    async def open_one():
        async with sem:
            return await asyncio.open_connection(host, port, ssl=ctx, server_hostname="localhost")

    try:
        results = await asyncio.gather(*(open_one() for _ in range(n)), return_exceptions=True)
    except Exception as e:  # noqa: BLE001
        print(f"error {e!r}", flush=True)
        return 1
    errors = [r for r in results if isinstance(r, BaseException)]
    conns = [r for r in results if not isinstance(r, BaseException)]
    if errors:
        print(f"error {len(errors)} of {n} failed, first: {errors[0]!r}", flush=True)
    else:
        print(f"open {len(conns)}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # hold until the harness closes stdin
    for _, w in conns:
        w.transport.abort()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
