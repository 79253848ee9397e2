# DCGAN at 64x64, OpenMMLab's module layout: 12,658,435 generator and
# 11,036,289 discriminator parameters for RGB.
model = dict(
    type='DCGAN',
    noise_size=100,
    data_preprocessor=dict(type='GANDataPreprocessor'),
    generator=dict(type='DCGANGenerator', output_scale=64, base_channels=1024),
    discriminator=dict(type='DCGANDiscriminator', input_scale=64, output_scale=4, out_channels=1),
    loss=dict(type='VanillaGANLoss'),
)
