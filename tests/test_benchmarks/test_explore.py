"""benchmarks/explore.py on the tiny model (the real figures: docs/benchmarks.md)."""
import json

from benchmarks.explore import main
from tests.test_apis.tiny import write_tiny


def test_it_times_every_request_of_the_page_and_prints_json(tmp_path, capsys):
    config, checkpoint = write_tiny(tmp_path)
    main([str(config), str(checkpoint), '--num', '9', '--repeat', '1'])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report['image_shape'] == [1, 16, 16]
    times = {key: value for key, value in report.items() if key.endswith('_ms')}
    assert sorted(times) == ['arithmetic_9_ms', 'click_3_means_ms', 'draw_9_ms', 'walk_10_ms']
    assert all(value > 0 for value in times.values())
