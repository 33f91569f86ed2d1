"""The devshop's in-memory shop: records, pure calculations and the store that holds them."""
