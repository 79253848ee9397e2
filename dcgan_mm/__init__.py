"""dcgan_mm: a config-driven DCGAN toolbox on mmengine."""
__version__ = '0.1.0'
