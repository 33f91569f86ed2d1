"""Rebuilding the app's gateway customers and saved cards from what survives a lost database.

The gateway has no "list cards" call, so the app's store is precious. What survives elsewhere: the uids in the
Saleor users' private metadata (or derived again from the user ids), each customer's key (the customer read,
cmd 3, answers it) and the cards (read one by one, cmd 6). `rebuild.recover_installation` puts them back;
`command.py` is `robotpayment-app recover`.
"""
