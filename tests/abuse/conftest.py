"""The abuse tests share the fault tests' gateway served on a real socket (for dropped connections)."""

from tests.faults.conftest import served_gateway

__all__ = ["served_gateway"]
