"""Paper & Repo Reader."""
__version__ = "0.1.0"
