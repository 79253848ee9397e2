"""did_you_mean: the one suggestion helper of registries, config checks, config names and the model zoo."""
from dcgan_mm.utils import did_you_mean

ZOO = ['dcgan_mnist-64', 'dcgan_celeba-cropped_64', 'dcgan_lsun-bedroom_64']


def test_a_misspelling_gets_the_closest_names_and_nothing_close_gets_no_hint():
    names = ['DCGANGenerator', 'DCGANDiscriminator']
    assert did_you_mean('DCGANGenrator', names) == " Did you mean 'DCGANGenerator' or 'DCGANDiscriminator'?"
    assert did_you_mean('DCGANGenrator', names, n=1) == " Did you mean 'DCGANGenerator'?"
    assert did_you_mean('xyz', names) == ''
    assert did_you_mean('DCGANGenrator', names, cutoff=0.99) == ''


def test_by_words_a_part_of_a_long_name_finds_it_and_spelling_is_the_fallback():
    assert did_you_mean('celeba', ZOO) == ''  # too short a spelling for difflib
    assert did_you_mean('celeba', ZOO, by_words=True) == " Did you mean 'dcgan_celeba-cropped_64'?"
    assert did_you_mean('64', ZOO, by_words=True, n=2) == " Did you mean 'dcgan_mnist-64' or 'dcgan_celeba-cropped_64'?"
    # the words in any order and any case
    assert did_you_mean('Bedroom_LSUN', ZOO, by_words=True) == " Did you mean 'dcgan_lsun-bedroom_64'?"
    assert did_you_mean('dcgan_mnist-46', ZOO, by_words=True, n=1) == " Did you mean 'dcgan_mnist-64'?"
    assert did_you_mean('', ZOO, by_words=True) == ''  # no words: no name 'holds' them all
