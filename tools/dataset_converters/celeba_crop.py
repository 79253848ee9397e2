"""CelebA aligned (178x218 JPEGs) -> CelebA-Cropped PNGs, the layout of the celeba-cropped configs.

    python tools/dataset_converters/celeba_crop.py data/celeba/img_align_celeba \
        data/celeba-cropped/cropped_images_aligned_png --nproc 8

The crop is PGGAN's (and so OpenMMLab's CelebA-Cropped): the 128x128 square whose
top-left corner is (x=25, y=57), i.e. centred on (89, 121). Images stay 128x128
unless --size is given (the 64x64 configs resize while loading). Run it again
after an interruption: existing outputs are kept.
"""
import argparse

from dcgan_mm.cli.entry import run_cli
from dcgan_mm.datasets.preparation.converters import CELEBA_BOX, crop_celeba


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Crop CelebA aligned images into CelebA-Cropped PNGs.')
    parser.add_argument('src', help='folder of the aligned images (img_align_celeba)')
    parser.add_argument('out', help='output folder, e.g. data/celeba-cropped/cropped_images_aligned_png')
    parser.add_argument('--box', type=int, nargs=3, default=CELEBA_BOX, metavar=('LEFT', 'TOP', 'SIDE'),
                        help='crop square (default: %(default)s, PGGAN\'s; 35 55 108 is the DCGAN-TensorFlow '
                             'centre crop)')
    parser.add_argument('--size', type=int, default=None, help='also resize the crops to SIZE x SIZE')
    parser.add_argument('--nproc', type=int, default=1, help='processes')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args()


def main() -> None:
    args = parse_args()

    def convert() -> None:
        skipped = crop_celeba(args.src, args.out, tuple(args.box), args.size, args.nproc)
        for reason in skipped:
            print(f'skipped {reason}')
        print(f'Done: {args.out} ({len(skipped)} skipped in this run).')

    run_cli(convert, args.debug)


if __name__ == '__main__':
    main()
