"""How good are the discriminator's features? The paper's linear probe (section 5.1).

    python tools/linear_probe.py CONFIG CHECKPOINT [--dataset digits|cifar10|svhn --data-root DIR]

Trains an L2-regularised linear classifier (standardised inputs) on three
representations of the same labelled images and reports test accuracy for
each: the trained discriminator's features (every stage max-pooled to 4x4),
the raw pixels, and a randomly initialised discriminator of the same config,
the baseline that shows what training added. The digits ship with
scikit-learn; CIFAR-10 and SVHN are read from local files.
"""
import argparse
import json

import torch
from mmengine.config import DictAction

from dcgan_mm.apis import extract_features, init_model
from dcgan_mm.apis.labelled_data import DATASETS, load_labelled, subset, to_model_input
from dcgan_mm.apis.probe import DEFAULT_C, linear_probe
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.utils import write_json

REPRESENTATIONS = {'trained_discriminator': 'trained D features', 'raw_pixels': 'raw pixels',
                   'random_discriminator': 'random-init D features'}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Linear probe of a DCGAN discriminator on a labelled dataset.')
    parser.add_argument('config', help='config file the checkpoint was trained with')
    parser.add_argument('checkpoint', help='checkpoint path or http(s) URL')
    parser.add_argument('--dataset', choices=DATASETS, default='digits', help='labelled images (default digits)')
    parser.add_argument('--data-root', help='folder of the CIFAR-10 python batches or the SVHN .mat files')
    parser.add_argument('--num-train', type=int, help='use a random subset of the training images (SVHN: 1000 '
                                                      'in the paper)')
    parser.add_argument('--num-test', type=int, help='use a random subset of the test images')
    parser.add_argument('--test-fraction', type=float, default=0.25, help='digits held out for testing')
    parser.add_argument('--classifier', choices=['svm', 'logistic'], default='svm',
                        help='L2-SVM (LinearSVC, the paper) or L2 logistic regression')
    parser.add_argument('--C', dest='c_values', type=float, nargs='+', default=list(DEFAULT_C),
                        help='regularisation values; several are chosen among by 3-fold CV on the train set')
    parser.add_argument('--seed', type=int, default=0, help='seed of the split, subsets and the random D')
    parser.add_argument('--batch-size', type=int, default=256, help='images per discriminator pass')
    parser.add_argument('--device', default='cpu', help="e.g. 'cpu' or 'cuda:0'")
    parser.add_argument('--out', help='write the results to this JSON file (default: print the JSON)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args(argv)


def probe(args: argparse.Namespace) -> dict:
    trained = init_model(args.config, args.checkpoint, device=args.device, cfg_options=args.cfg_options)
    # The baseline: same config, the paper's random initialisation, its own seed.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(args.seed)
        untrained = init_model(args.config, None, device=args.device, cfg_options=args.cfg_options)
    disc = trained.discriminator
    x_train, y_train, x_test, y_test = load_labelled(args.dataset, args.data_root, args.seed, args.test_fraction)
    x_train, y_train = subset(x_train, y_train, args.num_train, args.seed)
    x_test, y_test = subset(x_test, y_test, args.num_test, args.seed + 1)
    x_train = torch.from_numpy(to_model_input(x_train, disc.input_scale, disc.in_channels))
    x_test = torch.from_numpy(to_model_input(x_test, disc.input_scale, disc.in_channels))

    representations = {
        'trained_discriminator': lambda images: extract_features(trained, images, args.batch_size).numpy(),
        'raw_pixels': lambda images: images.flatten(1).float().numpy(),
        'random_discriminator': lambda images: extract_features(untrained, images, args.batch_size).numpy(),
    }
    results = {}
    for name, features in representations.items():
        results[name] = linear_probe(features(x_train), y_train, features(x_test), y_test, args.c_values,
                                     args.classifier, args.seed)
    return dict(config=args.config, checkpoint=args.checkpoint, dataset=args.dataset, num_train=len(y_train),
                num_test=len(y_test), image_shape=list(x_train.shape[1:]), classifier=args.classifier,
                seed=args.seed, results=results)


def summary(report: dict) -> str:
    lines = [f"Linear probe on {report['dataset']} ({report['num_train']} train / {report['num_test']} test "
             f"images, {'x'.join(map(str, report['image_shape']))}, {report['classifier']}):"]
    for name, label in REPRESENTATIONS.items():
        result = report['results'][name]
        lines.append(f"  {label:<24} {100 * result['accuracy']:6.2f}%  ({result['feature_size']} features, "
                     f"C={result['C']:g})")
    gain = report['results']['trained_discriminator']['accuracy'] - report['results']['random_discriminator'][
        'accuracy']
    lines.append(f'  training the discriminator changed accuracy by {100 * gain:+.2f} points over its random init')
    return '\n'.join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)

    def run() -> None:
        if args.num_train is not None and args.num_train < 2 or args.num_test is not None and args.num_test < 1:
            raise ValueError('--num-train must be at least 2 and --num-test at least 1')
        report = probe(args)
        print(summary(report))
        if args.out:
            write_json(args.out, report, indent=2)
            print(f'Results written to {args.out}')
        else:
            print(json.dumps(report, indent=2))

    run_cli(run, args.debug)


if __name__ == '__main__':
    main()
