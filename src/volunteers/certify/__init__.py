"""Issuing, serving, revoking and verifying certificates; the signing keys behind them."""
