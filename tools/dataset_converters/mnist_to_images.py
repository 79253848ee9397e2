"""MNIST / Fashion-MNIST idx files -> a folder of PNGs, the layout of the MNIST 64x64 config.

    python tools/dataset_converters/mnist_to_images.py data/mnist data/mnist_64/train --split train --size 64

The idx files (train-images-idx3-ubyte or .gz) are looked up in SRC and in
SRC/MNIST/raw (torchvision's layout; SRC/FashionMNIST/raw with --fashion). The
images are resized bilinearly. Run it again after an interruption: existing
outputs are kept.
"""
import argparse

from dcgan_mm.cli.entry import run_cli
from dcgan_mm.datasets.preparation.converters import export_mnist


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write MNIST idx images as PNG files.')
    parser.add_argument('src', help='folder of the idx files, or torchvision\'s root')
    parser.add_argument('out', help='output folder, e.g. data/mnist_64/train')
    parser.add_argument('--split', choices=['train', 'test'], default='train')
    parser.add_argument('--size', type=int, default=64, help='side of the written images (default: 64)')
    parser.add_argument('--fashion', action='store_true', help='Fashion-MNIST instead of MNIST')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args()


def main() -> None:
    args = parse_args()

    def convert() -> None:
        written = export_mnist(args.src, args.out, args.split, args.size, args.fashion)
        print(f'Done: {args.out} ({written} written in this run).')

    run_cli(convert, args.debug)


if __name__ == '__main__':
    main()
