import numpy as np
import torch
from PIL import Image

from dcgan_mm.apis import save_grid_png, save_z


def test_float_and_uint8_images_write_the_same_png_rounded_not_truncated(tmp_path):
    values = torch.full((2, 1, 4, 4), 127.6)  # save_image alone would truncate 127.6 to 127
    save_grid_png(values, tmp_path / 'float.png', nrow=2)
    save_grid_png(values.round().to(torch.uint8), tmp_path / 'uint8.png', nrow=2)
    assert (tmp_path / 'float.png').read_bytes() == (tmp_path / 'uint8.png').read_bytes()
    pixels = np.asarray(Image.open(tmp_path / 'float.png'))
    assert pixels.shape[:2] == (2 + 4 + 2, 2 + 4 + 2 + 4 + 2)  # one row of two cells, 2-px padding
    assert pixels[2, 2].max() == 128


def test_z_round_trips_and_is_written_into_new_folders(tmp_path):
    z = torch.randn(3, 8)
    save_z(z[:2], tmp_path / 'new' / 'z.pt')  # a view: saved as its own tensor
    loaded = torch.load(tmp_path / 'new' / 'z.pt', weights_only=True)
    assert torch.equal(loaded, z[:2]) and loaded.untyped_storage().size() == 2 * 8 * 4
