"""Decode and resize a dataset once into a packed uint8 array that PackedDataset reads with no decoding.

    python tools/dataset_converters/pack_images.py data/celeba-cropped/cropped_images_aligned_png \
        data/celeba-cropped/packed_64 --size 64 --workers 8
    python tools/dataset_converters/pack_images.py data/lsun/bedroom_train_lmdb data/lsun/bedroom_packed_64 \
        --kind lsun --size 64 --workers 8

Writes OUT/images.npy (uint8 N x H x W x C, RGB or grayscale; a standard .npy
file) and OUT/images.json (shape, channel order, source, count). The images are
decoded and resized exactly as the training pipelines do (LoadImage, bilinear
Resize), so training on the packed copy sees the same pixels. Corrupt images are
skipped with a warning. Run it again after an interruption: it resumes where
OUT/progress.json says it stopped.
"""
import argparse

from dcgan_mm.cli.entry import run_cli
from dcgan_mm.datasets.preparation.packer import GRAYSCALE_SOURCES, SOURCES, pack_dataset, source_dataset


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Pack a dataset into a uint8 memory map for fast loading.')
    parser.add_argument('src', help='image folder, LSUN lmdb folder, or folder of the MNIST/CIFAR-10 files')
    parser.add_argument('out', help='output folder')
    parser.add_argument('--kind', choices=sorted(SOURCES), default='folder', help='what SRC is (default: folder)')
    parser.add_argument('--size', type=int, default=64, help='side of the packed images (default: 64)')
    parser.add_argument('--grayscale', action='store_true',
                        help=f'decode image files to one channel (implied for {", ".join(GRAYSCALE_SOURCES)})')
    parser.add_argument('--split', choices=['train', 'test'], default='train', help='for MNIST and CIFAR-10')
    parser.add_argument('--workers', type=int, default=2, help='decoding processes (default: 2)')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args()


def main() -> None:
    args = parse_args()

    def pack() -> None:
        dataset = source_dataset(args.kind, args.src, args.size, args.grayscale, args.split)
        channels = 1 if args.grayscale or args.kind in GRAYSCALE_SOURCES else 3
        pack_dataset(dataset, args.out, args.size, channels, num_workers=args.workers)

    run_cli(pack, args.debug)


if __name__ == '__main__':
    main()
