"""Offline preparation behind tools/dataset_converters/: cropping, exporting and packing datasets once, resumably."""
