"""The devshop's GraphQL schema: Saleor's names, arguments and types for the operations it serves."""
