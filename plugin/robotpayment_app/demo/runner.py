"""The demo command's life: start the stack, print where everything is, serve until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from robotpayment_app.demo.provisioning import ProvisioningError
from robotpayment_app.demo.servers import PortUnavailable
from robotpayment_app.demo.stack import DEFAULT_SNIPPETS_DIR, DemoStartError, running_stack
from robotpayment_app.settings import SettingsError
from robotpayment_app.store.records import JobType, TokenMode
from robotpayment_app.web.observability import configure_logging

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def run_demo(args: argparse.Namespace) -> int:
    """Exit status: 0 after a clean stop, 2 when the demo could not start (the reason on stderr)."""
    configure_logging(args.log_level)
    # httpx logs every request's URL at INFO: the sandbox's kickback URLs carry the installation's secret
    # and the gateway's answer fields
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger().level))
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for stop_signal in _STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, stop.set)
    try:
        async with running_stack(
            args.port,
            args.data_dir,
            job_type=JobType(args.job_type),
            token_mode=TokenMode(args.token_mode),
            snippets_dir=args.snippets_dir or DEFAULT_SNIPPETS_DIR,
            log_level=args.log_level,
        ) as stack:
            if not stop.is_set():  # stopped during start-up: nothing to announce
                for line in stack.banner():
                    print(line, flush=True)
            await stop.wait()
            print("demo: stopping", file=sys.stderr, flush=True)
    except (PortUnavailable, DemoStartError, ProvisioningError, SettingsError) as error:
        print(f"robotpayment-app demo: {error}", file=sys.stderr, flush=True)
        return 2
    finally:
        for stop_signal in _STOP_SIGNALS:
            loop.remove_signal_handler(stop_signal)
    return 0
