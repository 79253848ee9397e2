"""The model zoo: model-index.yml -> configs/metafile.yml, looked up by model name or config file name."""
import os.path as osp
from dataclasses import dataclass, field

import yaml

from dcgan_mm.errors import ConfigError
from dcgan_mm.utils import did_you_mean
from dcgan_mm.utils.package_files import package_file

from .download import download_checkpoint


@dataclass(frozen=True)
class ZooModel:
    """One entry of the model zoo.

    Attributes:
        name: Its ``Name`` in the metafile.
        config: Absolute path of its config (the metafile's ``Config``, relative to the index).
        weights: URL of the published checkpoint (``...-<sha256[:8]>.pth``).
        dataset: Dataset of its first result.
        metrics: Metric name -> value of its first result, as published.
        metadata: The entry's ``Metadata`` (training data, channel order, iterations).
    """

    name: str
    config: str
    weights: str
    dataset: str = ''
    metrics: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    @property
    def config_name(self) -> str:
        """The config's file name without ``.py``."""
        return osp.splitext(osp.basename(self.config))[0]


def read_yaml(path: str) -> dict:
    """A YAML file's top-level mapping.

    Raises:
        ConfigError: The file is missing or is not a YAML mapping.
    """
    if not osp.isfile(path):
        raise ConfigError(f"Model index '{path}' does not exist. It ships with the package (dcgan_mm/.mim/) and "
                          'the source checkout (model-index.yml at its root); reinstall dcgan_mm, or pass its path '
                          'with --model-index.')
    try:
        with open(path, encoding='utf-8') as file:
            data = yaml.safe_load(file)
    except yaml.YAMLError as error:
        raise ConfigError(f"Model index '{path}' is not valid YAML: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"Model index '{path}' should hold a mapping (Import:, Models:), got {type(data).__name__}.")
    return data


def model_zoo_entries(index: str | None = None) -> list[ZooModel]:
    """Every model of ``index`` and of the metafiles it imports, in file order.

    Args:
        index: Path of model-index.yml; None for the one shipped with the package.
            Paths inside it (``Import``, ``Config``) are relative to its folder.

    Raises:
        ConfigError: A file is missing or unreadable, or an entry lacks
            ``Name``, ``Config`` or ``Weights``.
    """
    index = osp.abspath(index or package_file('model-index.yml'))
    root = osp.dirname(index)
    content = read_yaml(index)
    documents = [(index, content)] + [(path, read_yaml(path))
                                      for path in (osp.join(root, item) for item in content.get('Import') or [])]
    return [to_zoo_model(entry, root, path) for path, document in documents for entry in document.get('Models') or []]


def to_zoo_model(entry: dict, root: str, source: str) -> ZooModel:
    missing = [key for key in ('Name', 'Config', 'Weights') if not entry.get(key)]
    if missing:
        raise ConfigError(f"A model in '{source}' ({entry.get('Name', 'unnamed')}) lacks {', '.join(missing)}.")
    result = (entry.get('Results') or [{}])[0]
    return ZooModel(name=entry['Name'], config=osp.normpath(osp.join(root, entry['Config'])), weights=entry['Weights'],
                    dataset=result.get('Dataset', ''), metrics=dict(result.get('Metrics') or {}),
                    metadata=dict(entry.get('Metadata') or {}))


def find_model(name: str, models: list[ZooModel] | None = None) -> ZooModel:
    """The zoo model called ``name``: its ``Name``, or its config's file name (with or without folder and ``.py``).

    Raises:
        ConfigError: No model has that name; the message lists the valid names.
    """
    models = model_zoo_entries() if models is None else models
    stem = osp.splitext(osp.basename(name))[0]
    for model in models:
        if name == model.name or stem == model.config_name:
            return model
    names = [model.name for model in models]
    hint = did_you_mean(stem, names, by_words=True)  # 'celeba' finds the CelebA model
    raise ConfigError(f"'{name}' is not a model of the model zoo.{hint} Valid names: {', '.join(names) or 'none'}.")


def weights_url(name: str, index: str | None = None) -> str:
    """The URL of the published weights of the zoo model ``name``."""
    return find_model(name, model_zoo_entries(index)).weights


def download_model(name: str, dest: str | None = None, progress: bool = True, index: str | None = None) -> str:
    """Download the weights of the zoo model ``name`` once and return their local path.

    The file's sha256 is checked against the prefix in its name; a file
    already downloaded is reused.

    Args:
        name: The model's ``Name`` in configs/metafile.yml, or its config's file name.
        dest: Folder to download into; None for the checkpoint cache
            (``$DCGAN_MM_HOME/checkpoints``, by default ``~/.cache/dcgan_mm/checkpoints``).
        progress: Show a progress bar on stderr.
        index: Path of model-index.yml; None for the one shipped with the package.

    Returns:
        The local path of the checkpoint.

    Raises:
        ConfigError: ``name`` is not a model of the zoo.
        CheckpointError: The download failed or does not match its hash.
    """
    return download_checkpoint(weights_url(name, index), dest, progress)
