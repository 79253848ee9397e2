# LSUN-Bedroom read straight from the official lmdb export (no 3 million files written first):
# the same model, schedule and metrics as dcgan_1xb128-5epoches_lsun-bedroom-64x64.py.
_base_ = ['dcgan_1xb128-5epoches_lsun-bedroom-64x64.py']

data_root = 'data/lsun/bedroom_train_lmdb'
train_dataloader = dict(dataset=dict(type='LSUNDataset', data_root=data_root))
val_dataloader = dict(dataset=dict(type='LSUNDataset', data_root=data_root))
test_dataloader = dict(dataset=dict(type='LSUNDataset', data_root=data_root))
