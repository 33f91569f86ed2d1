"""Webhook delivery exactly like Saleor: payloads from the app's own subscription, signed, POSTed."""
