"""reader_app.repo: a repository folder (or a clone of a URL) -> its anatomy, models, layers and patterns.

Reads source as text and AST only; it never imports or runs the repository's code. No Qt here.
"""
from reader_app.repo.clone import CloneError, clone_folder_name, clone_repo, is_repo_url, normalize_repo_url
from reader_app.repo.records import ROLES, FileRole, Layer, ModelClass, Pattern, RepoInfo
from reader_app.repo.scan import RepoError, read_source, scan_repo

__all__ = [
    "scan_repo", "RepoInfo", "ModelClass", "Layer", "Pattern", "FileRole", "ROLES", "RepoError",
    "read_source", "clone_repo", "CloneError", "clone_folder_name", "is_repo_url", "normalize_repo_url",
]
