"""reader_app.repo: a repository folder (or a clone of a URL) -> its anatomy, models, layers and patterns.

Reads source as text and AST only; it never imports or runs the repository's code. No Qt here.
"""
# Exports load on first use: importing one submodule (the window imports a few) must not pull in
# every dependency of the package (PyMuPDF, GitPython) and slow the start-up.
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


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
