"""mmengine's MLflow backend, with every sample grid kept and placed on its training step."""
import numpy as np
from mmengine.visualization import MLflowVisBackend
from mmengine.visualization.vis_backend import force_init_env

from dcgan_mm.registry import VISBACKENDS


@VISBACKENDS.register_module()
class StepImageMLflowVisBackend(MLflowVisBackend):
    """``MLflowVisBackend`` whose images are logged per step.

    mmengine's backend saves each image as the artifact file ``name``: every grid
    overwrites the previous one, and a name without an image suffix cannot be
    saved at all. MLflow (>= 2.12) keeps images by key and step instead, which its
    UI shows as a series, as TensorBoard does.
    """

    @force_init_env
    def add_image(self, name: str, image: np.ndarray, step: int = 0, **kwargs) -> None:
        self._mlflow.log_image(image, key=name, step=step)
