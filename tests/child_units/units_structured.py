"""Unit tests of trace-child pieces that need torch; run by tests/test_trace_child_units.py in a process of
their own, because torch stays out of the test process (as out of the app's)."""
from __future__ import annotations


def test_the_keys_a_forward_reads_from_each_record_and_which_are_optional():
    from reader_app.trace.child.structured import read_keys

    def forward(self, records, extra):
        images = [self.norm(r["image"]) for r in records]
        for i, (record, feature) in enumerate(zip(records, images)):
            size = record["original_size"]
            if "points" in record:
                labels = record["labels"]
            boxes = record.get("boxes")
        first = records[0]["scale"]
        return extra["unrelated"]

    keys, optional = read_keys(forward, "records", elements=True)
    assert keys == ["image", "original_size", "points", "labels", "boxes", "scale"]
    assert optional == {"points", "labels", "boxes"}
