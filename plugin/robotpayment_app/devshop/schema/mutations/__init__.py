"""Mutations grouped by area; `schema.build` merges them into Saleor's `Mutation` type."""
