# A folder of images (searched recursively), resized to 64x64. LoadImage skips a corrupt
# image with a warning (on_corrupt='fail' stops instead); see docs/datasets.md.
dataset_type = 'ImageFolderDataset'
data_root = None  # set by the config that uses this file

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False, interpolation='bilinear'),
    dict(type='PackGANInputs'),
]

train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='ResumableInfiniteSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=train_pipeline),
)
# Metrics compare generated images with real ones from the same folder.
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=train_pipeline),
)
test_dataloader = val_dataloader
