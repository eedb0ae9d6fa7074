"""The Desk port and its adapters: what the UI talks to, wherever the data lives."""
