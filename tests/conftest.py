"""Shared pytest configuration. Layer-specific fixtures live in each folder's conftest.py."""
pytest_plugins = ["tests.support.database"]
