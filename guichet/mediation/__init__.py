"""Assisted sessions at points and espaces numériques (and non-equipped mairies): a helper works beside a visitor."""
