"""reader_app.repo: a repository folder (or a clone of a URL) -> its anatomy, models, layers and patterns.

Reads source as text and AST only; it never imports or runs the repository's code. No Qt here.
"""
from reader_app.lazy import lazy_exports

_EXPORTS = {
    "CloneError": "reader_app.repo.clone",
    "clone_folder_name": "reader_app.repo.clone",
    "clone_repo": "reader_app.repo.clone",
    "is_repo_url": "reader_app.repo.clone",
    "normalize_repo_url": "reader_app.repo.clone",
    "ROLES": "reader_app.repo.records",
    "FileRole": "reader_app.repo.records",
    "Layer": "reader_app.repo.records",
    "ModelClass": "reader_app.repo.records",
    "Pattern": "reader_app.repo.records",
    "RepoInfo": "reader_app.repo.records",
    "RepoError": "reader_app.repo.scan",
    "read_source": "reader_app.repo.scan",
    "scan_repo": "reader_app.repo.scan",
}

__all__ = ['scan_repo', 'RepoInfo', 'ModelClass', 'Layer', 'Pattern', 'FileRole', 'ROLES', 'RepoError', 'read_source', 'clone_repo', 'CloneError', 'clone_folder_name', 'is_repo_url', 'normalize_repo_url']


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
