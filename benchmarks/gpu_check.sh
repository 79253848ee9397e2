#!/usr/bin/env bash
# Every CUDA path once, and the 64x64 training step timed, on one GPU: one JSON summary at the end.
#
#   bash benchmarks/gpu_check.sh [OUT_DIR]          # on a GPU node: about 8 minutes
#   bash benchmarks/gpu_check.sh --smoke [OUT_DIR]  # the CPU-possible parts, tiny sizes (CI runs this)
#
# Steps: (1) the CUDA-marked tests on CUDA; (2) tools/benchmark.py train on the CelebA config
# (synthetic images, ours against the hand-written loop) for fp32, --amp bf16, --amp fp16,
# channels-last and the fastest combination; (3) SWD and MS-SSIM at the model-zoo sizes on CUDA;
# (4) a 1-process NCCL dist_train.sh run. Each step's JSON goes to OUT_DIR; OUT_DIR/summary.json
# holds them all, with the step's exit code. docs/benchmarks.md says how to read it.
set -uo pipefail
SMOKE=0
if [ "${1:-}" = "--smoke" ]; then SMOKE=1; shift; fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/work_dirs/gpu_check}"
mkdir -p "$OUT"
cd "$ROOT"
CELEBA=configs/dcgan_1xb128-300kiters_celeba-cropped-64.py
DEMO=configs/dcgan_demo_digits-32x32.py
if [ "$SMOKE" = 1 ]; then
    ITERS=2; WARMUP=1; BATCH=4; PAIRS=16; SWD_IMAGES=32; DEVICE=cpu
    SIZES="model.generator.base_channels=16 model.discriminator.base_channels=8"
else
    ITERS=50; WARMUP=10; BATCH=128; PAIRS=5000; SWD_IMAGES=16384; DEVICE=cuda
    SIZES=""
fi
FUSED="optim_wrapper.generator.optimizer.fused=True optim_wrapper.discriminator.optimizer.fused=True"
SYNC_FREE="default_hooks.runtime_info.type=DeferredRuntimeInfoHook default_hooks.health.check_interval=100"
declare -A STATUS

step() {  # step NAME COMMAND...: run it, keep its exit code, its output in OUT/NAME.log
    local name=$1; shift
    echo "== $name: $*"
    "$@" >"$OUT/$name.log" 2>&1
    STATUS[$name]=$?
    tail -n 3 "$OUT/$name.log"
}

train_variant() {  # train_variant NAME [benchmark options...]
    local name=$1; shift
    # shellcheck disable=SC2086
    step "train_$name" python tools/benchmark.py train "$CELEBA" --iters "$ITERS" --warmup "$WARMUP" \
        --batch-size "$BATCH" --work-dir "$OUT/work_$name" --json "$OUT/train_$name.json" "$@"
}

if [ "$SMOKE" = 0 ]; then
    step tests_cuda python -m pytest -q -p no:cacheprovider tests/test_evaluation/test_functional \
        tests/test_engine/test_amp.py tests/test_cli/test_amp.py tests/test_models
fi
train_variant fp32 --cfg-options $SIZES train_dataloader.pin_memory=True
train_variant bf16 --amp bf16 --cfg-options $SIZES
if [ "$SMOKE" = 0 ]; then
    train_variant fp16 --amp fp16 --cfg-options $SIZES
fi
train_variant channels_last --cfg-options $SIZES model.channels_last=True
train_variant fastest --amp bf16 --cfg-options $SIZES model.channels_last=True train_dataloader.pin_memory=True \
    $FUSED $SYNC_FREE
step metrics python tools/benchmark.py metrics --num-pairs "$PAIRS" --swd-images "$SWD_IMAGES" --repeat 1 \
    --device "$DEVICE" --json "$OUT/metrics.json"
step dist_train env PORT=29561 bash tools/dist_train.sh "$DEMO" 1 --work-dir "$OUT/work_dist" --cfg-options \
    model.generator.base_channels=16 model.discriminator.base_channels=8 train_dataloader.batch_size=8 \
    train_cfg.max_iters=4 val_cfg=None val_dataloader=None val_evaluator=None test_cfg=None test_dataloader=None \
    test_evaluator=None

STATUS_JSON=$(for name in "${!STATUS[@]}"; do echo "\"$name\": ${STATUS[$name]}"; done | paste -sd, -)
python - "$OUT" "{${STATUS_JSON}}" "$SMOKE" <<'PY'
import json, pathlib, sys
import torch
out, status, smoke = pathlib.Path(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] == '1'
summary = {'smoke': smoke, 'torch': torch.__version__,
           'device': torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu', 'exit_codes': status}
for path in sorted(out.glob('*.json')):
    if path.name != 'summary.json':
        summary[path.stem] = json.loads(path.read_text())
(out / 'summary.json').write_text(json.dumps(summary, indent=2))
print(json.dumps(summary))
sys.exit(1 if any(status.values()) else 0)
PY
