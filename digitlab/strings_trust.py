"""The texts of how sure a model is (the not-sure threshold, calibration, the reliability
diagram), in English and Simplified Chinese, in the format of digitlab/strings.py (which merges
them into STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {
    # Draw tab: the "not sure" verdict.
    "trust.threshold": {
        "en": 'Say "not sure" below this confidence (%)',
        "zh": "把握低于这个百分比时说“不确定”（%）",
    },
    "trust.threshold_info": {
        "en": 'Confidences are calibrated: of the digits called "90% sure", about 90% are right.',
        "zh": "把握经过校准：说“把握 90%”的数字，大约 90% 是对的。",
    },
    "trust.not_sure": {
        "en": "not sure",
        "zh": "不确定",
    },
    "trust.low": {
        "en": "only {confidence:.0%} sure, below your {threshold}%",
        "zh": "只有 {confidence:.0%} 的把握，低于你设的 {threshold}%",
    },
    "trust.small": {
        "en": "this looks like a dot or a dash, not a digit",
        "zh": "这看起来像一个点或一小横，不像数字",
    },
    "trust.filled": {
        "en": "this looks like a blob or a scribble, not a digit",
        "zh": "这看起来像一团墨或乱涂，不像数字",
    },
    "trust.guess": {
        "en": "best guess: {digit} ({confidence:.1%}) · {model}",
        "zh": "最可能是：{digit}（{confidence:.1%}）· {model}",
    },
    "trust.compact_sure": {
        "en": "{confidence:.1%} sure",
        "zh": "把握 {confidence:.1%}",
    },
    # Evaluate tab: the reliability diagram.
    "trust.reliability": {
        "en": (
            "Reliability: how often the model is right at each confidence (neighbouring bins "
            "joined until each has {digits}+ digits)"
        ),
        "zh": "可靠性：模型在每个把握水平上答对的比例（相邻区间合并，每个至少 {digits} 个数字）",
    },
    "trust.confidence": {
        "en": "confidence",
        "zh": "把握",
    },
    "trust.accuracy": {
        "en": "fraction right",
        "zh": "答对的比例",
    },
    "trust.curve": {
        "en": "curve",
        "zh": "曲线",
    },
    "trust.perfect": {
        "en": "perfectly calibrated",
        "zh": "完美校准",
    },
    "trust.before": {
        "en": "before scaling (ECE {ece:.2%})",
        "zh": "校准前（ECE {ece:.2%}）",
    },
    "trust.after": {
        "en": "after, T = {temperature:.2f} (ECE {ece:.2%})",
        "zh": "校准后，T = {temperature:.2f}（ECE {ece:.2%}）",
    },
    "trust.summary": {
        "en": (
            "Calibration: temperature T = {temperature:.2f}, fitted on test digits 0-4999 and "
            "judged on 5000-9999 (the accuracy above is on all 10,000). Expected calibration "
            "error (15 bins): {before:.2%} before, {after:.2%} after."
        ),
        "zh": (
            "校准：温度 T = {temperature:.2f}，在测试数字 0-4999 上拟合，在 5000-9999 上检验"
            "（上面的准确率用的是全部 10,000 个）。期望校准误差（15 个区间）：校准前 "
            "{before:.2%}，校准后 {after:.2%}。"
        ),
    },
}
