"""Dash callbacks: thin translations between widgets and `dashboard`."""
