"""The evaluation protocol of each metric that records one, for metrics.json."""
from mmengine.evaluator import Evaluator


def metric_protocols(evaluator: Evaluator | None) -> dict[str, dict]:
    """``{prefix: protocol}`` of the evaluator's metrics that set a ``protocol`` in their last evaluation."""
    metrics = getattr(evaluator, 'metrics', None) or []
    return {metric.prefix or type(metric).__name__: metric.protocol for metric in metrics
            if getattr(metric, 'protocol', None)}
