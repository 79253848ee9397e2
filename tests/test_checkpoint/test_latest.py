import pytest

from dcgan_mm.checkpoint import find_resume_checkpoint


@pytest.fixture
def work_dir(tmp_path):
    for iteration in (2, 10, 4):  # 10 is the newest: numbers, not names, decide
        (tmp_path / f'iter_{iteration}.pth').write_bytes(b'checkpoint')
    (tmp_path / 'best_swd_avg_iter_20.pth').write_bytes(b'best, not a resume point')
    return tmp_path


def test_the_checkpoint_last_checkpoint_names_is_used_when_it_exists(work_dir):
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'iter_4.pth'))
    assert find_resume_checkpoint(str(work_dir)) == str(work_dir / 'iter_4.pth')


@pytest.mark.parametrize('pointer', ['', '   \n', '/gone/iter_12.pth'])
def test_an_empty_or_stale_last_checkpoint_falls_back_to_the_newest_iteration(work_dir, pointer):
    (work_dir / 'last_checkpoint').write_text(pointer)
    assert find_resume_checkpoint(str(work_dir)) == str(work_dir / 'iter_10.pth')


def test_no_pointer_still_finds_the_newest_iteration(work_dir):
    assert find_resume_checkpoint(str(work_dir)) == str(work_dir / 'iter_10.pth')


def test_a_work_dir_without_checkpoints_means_start_from_scratch(tmp_path):
    assert find_resume_checkpoint(str(tmp_path / 'missing')) is None
    (tmp_path / 'last_checkpoint').write_text('')
    assert find_resume_checkpoint(str(tmp_path)) is None
