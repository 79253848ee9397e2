# Fashion-MNIST's idx files (60,000 28x28 grayscale training images), resized to 32x32.
dataset_type = 'FashionMNISTDataset'
data_root = 'data/fashion-mnist'  # holds train-images-idx3-ubyte[.gz] or FashionMNIST/raw/ (see docs/datasets.md)

train_pipeline = [
    dict(type='Resize', scale=(32, 32), keep_ratio=False, interpolation='bilinear'),
    dict(type='PackGANInputs'),
]

train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='ResumableInfiniteSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', pipeline=train_pipeline),
)
# Metrics compare generated images with the training images.
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', pipeline=train_pipeline),
)
test_dataloader = val_dataloader
