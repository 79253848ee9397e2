"""The explorer page on gradio: the only module that imports the UI library (the optional ``explore`` extra).

Gradio is the ecosystem's library for ML demos (Hugging Face Spaces run on it): galleries with click
events, a request queue, per-visitor state and file downloads come built in, so this module only
wires :class:`~dcgan_mm.explore.state.Explorer` to components.
"""
import atexit
import dataclasses
import functools
import os
import secrets
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from torch import nn

from dcgan_mm.errors import DcganError
from dcgan_mm.utils import device_of

from .export import ModelSource, arithmetic_command, decode_command, samples_command, save_result
from .state import GROUPS, MAX_SEED, WALK, Explorer, Result, Selection, parse_seed

INSTALL_HINT = 'pip install -e ".[explore]"'
# gradio's copies of the images and downloads it served: every 10 minutes those over an hour old go,
# and all of them when the server stops.
DELETE_CACHE = (600, 3600)
SAMPLE_COLUMNS = 16  # the grid on the page; the downloaded PNG keeps the tool's --nrow
# gradio sizes thumbnails at 100 px and scrolls sideways when they do not fit: here the sample
# grid and the walk (one row, however many steps) shrink their cells to the page's width instead,
# below the gallery's label, with index captions small enough to leave the digits visible.
CSS = f'''
#samples .grid-container {{ grid-template-columns: repeat({SAMPLE_COLUMNS}, minmax(0, 1fr)) !important;
                           grid-auto-rows: auto !important; }}
#walk .grid-container {{ grid-template-columns: none !important; grid-auto-flow: column;
                        grid-auto-columns: minmax(0, 1fr); }}
#samples .gallery-item, #walk .gallery-item {{ width: 100% !important; height: auto !important; }}
#samples .thumbnail-item, #walk .thumbnail-item {{ width: 100% !important; height: auto !important;
                                                   aspect-ratio: 1; }}
#samples img, #walk img {{ width: 100% !important; height: 100% !important; object-fit: contain !important;
                           position: static !important; }}
#samples .thumbnail-item {{ cursor: pointer; }}
.gallery-container .grid-container {{ padding-top: 2rem !important; }}
#samples .caption-label, #walk .caption-label {{ font-size: 9px !important; line-height: 1.1 !important;
                                                 padding: 0 2px !important;
                                                 background: rgba(255, 255, 255, 0.6) !important; }}
'''


def import_gradio():
    """gradio, with its usage reports off (the page talks to nobody but its visitor), or a DcganError."""
    os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
    try:
        import gradio
    except ImportError as error:
        raise DcganError(f'The explorer page needs gradio, which is not installed: run {INSTALL_HINT}') from error
    return gradio


def gallery_items(result: Result, captions: list[str] | None = None) -> list:
    """(H, W) or (H, W, 3) uint8 arrays, one per image, each with its caption (its index by default)."""
    arrays = result.images.permute(0, 2, 3, 1).numpy()
    arrays = arrays[..., 0] if arrays.shape[-1] == 1 else arrays
    captions = captions or [str(index) for index in range(len(arrays))]
    return list(zip(list(arrays), captions))


def code(*lines: str) -> str:
    """Shell lines as a Markdown code block, to copy from the page."""
    return '```\n' + '\n'.join(lines) + '\n```'


def error_message(error: Exception) -> str:
    """The status line for ``error``: a user error's own message; for anything else its type as well.

    The page must answer every click, so an unexpected error (a folder where a file was expected, a
    failing device) is shown too; its traceback goes to the console of tools/explore.py.
    """
    if isinstance(error, (DcganError, ValueError, FileNotFoundError)):
        return str(error)
    traceback.print_exception(error)
    if isinstance(error, OSError) and error.filename:
        return f"{error.strerror}: '{error.filename}'"
    return (f'unexpected {type(error).__name__}: {error}. The page still works; the traceback is in the '
            'console of tools/explore.py.')


def guarded(handler: Callable, status) -> Callable:
    """``handler``, with any error it raises shown in the ``status`` component instead of a stack trace."""
    @functools.wraps(handler)  # gradio reads the signature to pass gr.SelectData
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except Exception as error:
            return {status: f'**Error:** {error_message(error)}'}
    return run


def remove_folders(folders: Iterable[str]) -> None:
    """Delete the page's result ``folders`` (an empty name is skipped: it is no folder, not the current one)."""
    for folder in filter(None, folders):
        shutil.rmtree(folder, ignore_errors=True)


def build_app(explorer: Explorer, config: str, checkpoint: str, load_model: Callable[[str], nn.Module],
              work_dir: str | None = None, cfg_options: dict | None = None):
    """The page as a ``gradio.Blocks``; ``load_model(checkpoint)`` serves the page's checkpoint box.

    ``cfg_options`` are the config overrides ``load_model`` applies: the printed tools/generate.py lines
    repeat them, with the explorer's ``sample_model`` and its model's device, so that they draw the same PNGs.
    """
    gr = import_gradio()
    if work_dir is None:
        work_dir = tempfile.mkdtemp(prefix='dcgan_explore_')
        atexit.register(shutil.rmtree, work_dir, True)
    source = ModelSource(config, checkpoint, cfg_options=dict(cfg_options or {}))

    def current_source() -> ModelSource:
        return dataclasses.replace(source, sample_model=explorer.sample_model, device=str(device_of(explorer.model)))

    def files_of(result: Result, name: str, selection: Selection) -> tuple[str, str]:
        # gradio serves a copy from its own cache: only this visitor's latest files of each kind are kept here.
        remove_folders([selection.folders.pop(name, '')])
        selection.folders[name] = tempfile.mkdtemp(dir=work_dir)
        return tuple(map(str, save_result(result, selection.folders[name], name)))

    def on_draw(seed_text, selection: Selection):
        result = explorer.draw(selection, parse_seed(seed_text))
        png, z_file = files_of(result, 'samples', selection)
        selection.samples_z = Path(z_file).name
        redo = samples_command(current_source(), selection.seed, len(result.z), result.nrow)
        return {samples: gallery_items(result), samples_files: [png, z_file], samples_command_box: code(redo),
                groups: selection.describe(), means: [], state: selection, seed: str(selection.seed),
                status: f'Drew {len(result.z)} samples from seed {selection.seed}: click them to fill the groups.'}

    def on_new_seed(selection: Selection):
        return on_draw(str(secrets.randbelow(MAX_SEED)), selection)

    def on_click(target, selection: Selection, evt: gr.SelectData):
        selection.toggle(int(evt.index), target)
        shown = [(item[0], f'mean {name}') for name, mean in explorer.group_means(selection).items()
                 for item in gallery_items(mean)]
        return {groups: selection.describe(), means: shown, state: selection,
                status: f'Sample {evt.index} toggled in {target}.'}

    def on_arithmetic(num_variations, noise_scale, selection: Selection):
        result = explorer.combine(selection, num_variations, noise_scale)
        png, z_file = files_of(result, 'arithmetic', selection)
        redo = arithmetic_command(current_source(), selection.samples_z, selection, num_variations, noise_scale)
        return {combined: gr.Gallery(value=gallery_items(result), columns=result.nrow), state: selection,
                combined_files: [png, z_file], status: 'A - B + C is in the centre, its noisy neighbours around it.',
                combined_command: code(redo, decode_command(current_source(), z_file, result.nrow))}

    def on_walk(steps, mode, selection: Selection):
        result = explorer.walk(selection, int(steps), mode)
        png, z_file = files_of(result, 'walk', selection)
        return {walk: gr.Gallery(value=gallery_items(result), columns=result.nrow), walk_files: [png, z_file],
                walk_command: code(decode_command(current_source(), z_file, result.nrow)), state: selection,
                status: f'{mode} walk from sample {selection.endpoints[0]} to {selection.endpoints[1]}.'}

    def on_load(path, seed_text, selection: Selection):
        explorer.replace_model(load_model(path.strip()))
        source.checkpoint = path.strip()
        return on_draw(seed_text, selection)

    def gallery(label: str, elem_id: str, columns: int, height: int):
        return gr.Gallery(label=label, elem_id=elem_id, columns=columns, height=height, allow_preview=False,
                          format='png', interactive=False, object_fit='contain')

    with gr.Blocks(title='dcgan_mm latent explorer', analytics_enabled=False, delete_cache=DELETE_CACHE) as app:
        gr.Markdown(f'## DCGAN latent explorer\n`{config}` &nbsp; `{checkpoint}`')
        state = gr.State(Selection(), delete_callback=lambda selection: remove_folders(selection.folders.values()))
        with gr.Row():
            seed = gr.Textbox('0', label='Seed', elem_id='seed', scale=2)
            draw = gr.Button('Draw', elem_id='draw', variant='primary')
            new_seed = gr.Button('New seed', elem_id='new-seed')
            target = gr.Radio(list(GROUPS) + [WALK], value='A', label='A click on a sample puts it in',
                              elem_id='target', scale=3)
        status = gr.Markdown('Draw samples to start.', elem_id='status')
        samples = gallery('Samples (caption = index)', 'samples', SAMPLE_COLUMNS, 340)
        groups = gr.Markdown(Selection().describe(), elem_id='groups')
        with gr.Row():
            with gr.Column():
                means = gallery('Mean of each group', 'means', 3, 240)
                with gr.Row():
                    num_variations = gr.Slider(0, 24, value=8, step=1, label='Noisy neighbours')
                    noise_scale = gr.Slider(0.0, 1.0, value=0.25, step=0.05, label='Noise half-width')
                run_arithmetic = gr.Button('A - B + C', elem_id='run-arithmetic', variant='primary')
                combined = gallery('A - B + C (centre) and its neighbours', 'arithmetic', 3, 640)
                combined_files = gr.File(label='A - B + C: PNG and z', file_count='multiple',
                                         elem_id='arithmetic-files')
                combined_command = gr.Markdown(elem_id='arithmetic-command')
            with gr.Column():
                with gr.Row():
                    steps = gr.Slider(2, 16, value=10, step=1, label='Steps', elem_id='steps')
                    mode = gr.Radio(['linear', 'slerp'], value='linear', label='Path', elem_id='mode')
                run_walk = gr.Button('Walk', elem_id='run-walk', variant='primary')
                walk = gallery('Walk', 'walk', 10, 120)
                walk_files = gr.File(label='Walk: PNG and z', file_count='multiple', elem_id='walk-files')
                walk_command = gr.Markdown(elem_id='walk-command')
        with gr.Row():
            with gr.Column():
                samples_files = gr.File(label='Samples: PNG and z', file_count='multiple', elem_id='samples-files')
                samples_command_box = gr.Markdown(elem_id='samples-command')
            with gr.Column():
                checkpoint_box = gr.Textbox(checkpoint, label='Checkpoint (path or URL) of this config',
                                            elem_id='checkpoint')
                load = gr.Button('Load', elem_id='load')

        def on(event, handler, inputs, outputs):
            # One queue for every request: they share one model, and are answered in the order they came.
            event(guarded(handler, status), inputs, outputs, concurrency_id='model', concurrency_limit=1)

        drawn = [samples, samples_files, samples_command_box, groups, means, state, seed, status]
        on(draw.click, on_draw, [seed, state], drawn)
        on(seed.submit, on_draw, [seed, state], drawn)
        on(new_seed.click, on_new_seed, [state], drawn)
        on(samples.select, on_click, [target, state], [groups, means, state, status])
        on(run_arithmetic.click, on_arithmetic, [num_variations, noise_scale, state],
           [combined, combined_files, combined_command, state, status])
        on(run_walk.click, on_walk, [steps, mode, state], [walk, walk_files, walk_command, state, status])
        on(load.click, on_load, [checkpoint_box, seed, state], drawn)
        on(app.load, on_draw, [seed, state], drawn)
    return app.queue()


def serve(app, host: str = '127.0.0.1', port: int = 7860, block: bool = True):
    """Serve ``app`` on ``host:port`` only (no share link, no server-side rendering); return gradio's launch."""
    return app.launch(server_name=host, server_port=port, share=False, inbrowser=False, ssr_mode=False,
                      prevent_thread_lock=not block, quiet=True, css=CSS, footer_links=[])
