"""LSUN lmdb -> image files (optional: LSUNDataset reads the lmdb directly), or its key list.

    python tools/dataset_converters/lsun_to_images.py data/lsun/bedroom_train_lmdb data/lsun/images/bedroom_train
    python tools/dataset_converters/lsun_to_images.py data/lsun/bedroom_train_lmdb --list-keys \
        data/lsun/bedroom_train_keys.txt

Images are written as they are stored (WebP or JPEG bytes, no re-encoding) to
OUT/<first two characters of the key>/<key>.<ext>. --limit exports the first N
only. Run it again after an interruption: existing outputs are kept.
"""
import argparse

from dcgan_mm.cli.entry import run_cli
from dcgan_mm.datasets.preparation.converters import export_lsun, write_lmdb_keys


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Export the images of an LSUN lmdb as files.')
    parser.add_argument('src', help='the lmdb folder, e.g. data/lsun/bedroom_train_lmdb')
    parser.add_argument('out', nargs='?', help='output folder of the images')
    parser.add_argument('--limit', type=int, default=None, help='export the first LIMIT images only')
    parser.add_argument('--list-keys', metavar='FILE', help='write the keys, one per line, for LSUNDataset.ann_file')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    args = parser.parse_args()
    if not args.out and not args.list_keys:
        parser.error('give an output folder, or --list-keys FILE')
    return args


def main() -> None:
    args = parse_args()

    def convert() -> None:
        if args.list_keys:
            print(f'Wrote {write_lmdb_keys(args.src, args.list_keys)} keys to {args.list_keys}.')
        if args.out:
            print(f'Done: {args.out} ({export_lsun(args.src, args.out, args.limit)} written in this run).')

    run_cli(convert, args.debug)


if __name__ == '__main__':
    main()
