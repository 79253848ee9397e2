"""Download model-zoo weights: python tools/download.py NAME [NAME ...] | --all | --list [--dest DIR].

NAME is a model's ``Name`` in configs/metafile.yml, or its config's file name.
Each file is downloaded once (by default into the checkpoint cache,
``$DCGAN_MM_HOME/checkpoints`` or ~/.cache/dcgan_mm/checkpoints, where
tools/test.py and tools/generate.py find it again for the same URL) and checked
against the sha256 prefix in its name. One line per model is printed on stdout:
``NAME: LOCAL_PATH``.
"""
import argparse

from dcgan_mm.checkpoint.download import download_checkpoint
from dcgan_mm.checkpoint.model_zoo import ZooModel, find_model, model_zoo_entries
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.errors import ConfigError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Download the weights of model-zoo models, hash-checked.')
    parser.add_argument('names', nargs='*', metavar='NAME', help='model names (or config file names)')
    parser.add_argument('--all', action='store_true', help='download every model of the zoo')
    parser.add_argument('--list', action='store_true', help='list the models, their configs and weights, and exit')
    parser.add_argument('--dest', help='folder to download into (default: the checkpoint cache)')
    parser.add_argument('--model-index', help='model-index.yml to read (default: the one shipped with dcgan_mm)')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args(argv)


def chosen_models(args: argparse.Namespace, models: list[ZooModel]) -> list[ZooModel]:
    """The models named on the command line, all checked before anything is downloaded."""
    if args.all:
        return models
    if not args.names:
        raise ConfigError('Name the models to download, or pass --all. Valid names: '
                          f'{", ".join(model.name for model in models)}.')
    return [find_model(name, models) for name in args.names]


def main(argv=None) -> None:
    args = parse_args(argv)

    def download() -> None:
        models = model_zoo_entries(args.model_index)
        if args.list:
            for model in models:
                print(f'{model.name}\n  config:  {model.config}\n  weights: {model.weights}')
            return
        for model in chosen_models(args, models):
            path = download_checkpoint(model.weights, args.dest, progress=not args.no_progress)
            print(f'{model.name}: {path}', flush=True)

    run_cli(download, args.debug)


if __name__ == '__main__':
    main()
