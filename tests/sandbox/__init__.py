"""Tests of the sandbox gateway (robotpayment_app.sandbox)."""
