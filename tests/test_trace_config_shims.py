"""The app's small yacs, used when a repository's config module needs yacs and it is not installed: it must
merge YAML files and override lists as yacs does, or the model would be built with other values."""
from __future__ import annotations

from reader_app.trace.child.config_shims import CfgNode, EasyDict


def test_yaml_and_list_overrides_merge_as_yacs_does(tmp_path):
    cfg = CfgNode()
    cfg.MODEL = CfgNode()
    cfg.MODEL.DIM = 256
    cfg.MODEL.SCALES = (1, 2)
    cfg.MODEL.LR = 0.1
    (tmp_path / "exp.yaml").write_text("MODEL:\n  DIM: 96\n  SCALES: [2, 4, 8]\n  LR: 1\n")
    cfg.merge_from_file(str(tmp_path / "exp.yaml"))
    assert cfg.MODEL.DIM == 96 and cfg.MODEL.SCALES == (2, 4, 8) and cfg.MODEL.LR == 1.0
    assert isinstance(cfg.MODEL.LR, float)
    cfg.merge_from_list(["MODEL.DIM", "128"])
    frozen = cfg.clone()
    frozen.freeze()
    assert cfg["MODEL"]["DIM"] == 128 and frozen.MODEL.DIM == 128 and frozen.is_frozen()
    assert not hasattr(cfg, "MISSING")


def test_easydict_nests_attribute_access():
    d = EasyDict({"model": {"layers": [{"dim": 8}]}})
    assert d.model.layers[0].dim == 8 and d["model"]["layers"][0]["dim"] == 8
