# CIFAR-10's python batches (50,000 32x32 colour training images): no decoding, no resizing.
dataset_type = 'CIFAR10Dataset'
data_root = 'data/cifar10'  # holds cifar-10-batches-py/ (see docs/datasets.md)

train_pipeline = [dict(type='PackGANInputs')]

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
