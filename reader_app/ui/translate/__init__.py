"""The TF.js tab, the Exercise tab and the comprehension questions of the Steps page."""
