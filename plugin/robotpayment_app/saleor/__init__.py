"""The Saleor side of the app: manifest, registration, webhook signatures, payload and response models,
and the GraphQL client. Nothing here knows the ROBOT PAYMENT wire format, and nothing here imports FastAPI:
the web layer calls these functions and classes with its own HTTP glue."""
