import torch

from dcgan_mm.models import GANDataPreprocessor


def test_maps_uint8_to_minus_one_one_and_back():
    preprocessor = GANDataPreprocessor()
    images = torch.tensor([0, 127, 255], dtype=torch.uint8).view(1, 3, 1, 1)
    normalized = preprocessor({'inputs': images})['inputs']
    torch.testing.assert_close(normalized.flatten(), torch.tensor([-1.0, -0.5 / 127.5, 1.0]))
    torch.testing.assert_close(preprocessor.denormalize(normalized), images.float())


def test_stacks_pseudo_collated_lists():
    preprocessor = GANDataPreprocessor()
    batch = [torch.zeros(1, 4, 4, dtype=torch.uint8), torch.full((1, 4, 4), 255, dtype=torch.uint8)]
    inputs = preprocessor({'inputs': batch})['inputs']
    assert inputs.shape == (2, 1, 4, 4)
    assert inputs[0].max() == -1 and inputs[1].min() == 1


def test_denormalize_clips_out_of_range_values():
    assert GANDataPreprocessor().denormalize(torch.tensor([-2.0, 2.0])).tolist() == [0.0, 255.0]


def test_normalize_leaves_a_float_input_untouched():
    images = torch.tensor([0.0, 255.0]).view(1, 2, 1, 1)
    normalized = GANDataPreprocessor().normalize(images)
    assert normalized.flatten().tolist() == [-1.0, 1.0]
    assert images.flatten().tolist() == [0.0, 255.0]  # divided in place, but in the subtraction's new tensor
