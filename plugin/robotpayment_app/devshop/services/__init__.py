"""The devshop's behaviour, one service per area; the GraphQL schema only calls these."""
