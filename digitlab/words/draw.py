"""The Draw tab: the canvas, the verdict and how sure it is.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
    # Draw tab.
    "draw.canvas": {
        "en": "Draw a digit (0-9)",
        "zh": "在这里写一个数字（0-9）",
    },
    "draw.model": {
        "en": "Model",
        "zh": "模型",
    },
    "draw.model_info": {
        "en": "Shipped models, then your runs (the last {n}).",
        "zh": "预训练模型，然后是你训练的模型（保留最近 {n} 个）。",
    },
    "draw.probabilities": {
        "en": "Probabilities",
        "zh": "各数字的概率",
    },
    "draw.pixels": {
        "en": "What the model sees (28x28)",
        "zh": "模型看到的图像（28x28）",
    },
    "draw.compare": {
        "en": "### Same drawing, shipped MLP vs shipped CNN",
        "zh": "### 同一个手写数字：预训练 MLP 与预训练 CNN 对比",
    },
    "draw.shipped_mlp": {
        "en": "Shipped MLP",
        "zh": "预训练 MLP",
    },
    "draw.shipped_cnn": {
        "en": "Shipped CNN",
        "zh": "预训练 CNN",
    },
    "draw.empty": {
        "en": "Draw a digit in the box",
        "zh": "请在方框里写一个数字",
    },
    "draw.no_numbers": {
        "en": "{model} gives no numbers for this drawing: its training diverged. Pick another "
        "model.",
        "zh": "{model} 对这幅画给不出数字：它的训练发散了。请换一个模型。",
    },
    "draw.sure": {
        "en": "{confidence:.1%} sure · {model}",
        "zh": "把握 {confidence:.1%} · {model}",
    },
    "draw.no_model": {
        "en": "No model yet: train one in the Train tab.",
        "zh": "还没有模型：请先在“训练”页训练一个。",
    },
    "draw.model_gone": {
        "en": "{name} is no longer kept; showing {fallback}.",
        "zh": "{name} 已不再保留；改用 {fallback}。",
    },
    "draw.bad_canvas": {
        "en": "canvas: {error}",
        "zh": "画布：{error}",
    },
    "draw.verdict": {
        "en": "Verdict",
        "zh": "判断",
    },
    # The public /predict_image endpoint (digitlab/ui/predict_api.py), in the caller's language.
    "api.no_model": {
        "en": "No shipped model is installed on this server.",
        "zh": "这台服务器上没有安装自带的模型。",
    },
    "api.model_type": {
        "en": 'model: expected a name such as "cnn" or "mlp" (or "" for the default).',
        "zh": 'model：需要一个模型名，如 "cnn" 或 "mlp"（或 "" 表示默认模型）。',
    },
    "api.unknown_model": {
        "en": 'model: unknown model "{model}"; valid names: {valid} (or "").',
        "zh": 'model：未知的模型 "{model}"；可用的名字：{valid}（或 ""）。',
    },
    "api.image": {
        "en": "image: {error}",
        "zh": "参数 image：{error}",
    },
    # Draw tab: the canvas's buttons.
    "canvas.undo": {
        "en": "Undo",
        "zh": "撤销",
    },
    "canvas.clear": {
        "en": "Clear",
        "zh": "清除",
    },
    # The canvas's alternative to drawing: a real held-out pen digit, drawn for the student.
    "canvas.give": {
        "en": "Give me a digit",
        "zh": "给我一个数字",
    },
    # The verdict in words: under the big digit (the runners-up), and said by a screen reader's
    # polite live region when the verdict changes (digitlab/ui/a11y.py).
    "draw.then": {
        "en": "then {first}, {second}",
        "zh": "其次：{first}、{second}",
    },
    "draw.other": {
        "en": "{digit} ({confidence:.0%})",
        "zh": "{digit}（概率 {confidence:.0%}）",
    },
    "draw.other_tiny": {
        "en": "{digit} (<1%)",
        "zh": "{digit}（概率 <1%）",
    },
    "draw.said": {
        "en": "It's a {digit}, {confidence:.0%} sure; then {first}, {second}",
        "zh": "是 {digit}，把握 {confidence:.0%}；其次：{first}、{second}",
    },
    "draw.said_unsure": {
        "en": "Not sure: {why}. Best guess {digit} ({confidence:.0%})",
        "zh": "没有把握：{why}。最可能是 {digit}（{confidence:.0%}）",
    },
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
    # The reliability diagram in words, under it (its text equivalent).
    "trust.reliability_text": {
        "en": "{curve}, bin by bin: {points}.",
        "zh": "{curve}，逐个区间：{points}。",
    },
    "trust.reliability_point": {
        "en": "{confidence:.0%} sure, {accuracy:.0%} right",
        "zh": "把握 {confidence:.0%}，准确率 {accuracy:.0%}",
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
    # inference/ood.py's "tiny": small ink more than one stroke across (the Draw tab's verdict).
    "trust.tiny": {
        "en": "this is drawn too small: draw it bigger",
        "zh": "写得太小了：请写大一些",
    },
    # The Draw tab's row of digits (digitlab/ui/draw.py LabelRow).
    "draw.label_hint": {
        "en": "**This is a:** (adds the drawing to your set, to teach a model in the Teach it tab)",
        "zh": "**这是：**（把这幅手写加入你的数据集，供“教它认字”页教模型）",
    },
    "draw.added": {
        "en": "Added as {digit} to your set: {n} drawings.",
        "zh": "已作为 {digit} 加入你的数据集：共 {n} 幅。",
    },
    "draw.added_class": {
        "en": "Added as {digit} to class {code}: {m} drawings.",
        "zh": "已作为 {digit} 加入班级 {code}：共 {m} 幅。",
    },
    "trust.summary_pen": {
        "en": (
            "Calibration on these digits, with the temperature the Draw tab uses for this model "
            "(T = {temperature:.2f}, not fitted on them): expected calibration error (15 bins) "
            "{before:.2%} before, {after:.2%} after."
        ),
        "zh": (
            "在这些数字上的校准，用“手写”页为这个模型使用的温度（T = {temperature:.2f}，"
            "不是在这些数字上拟合的）：期望校准误差（15 个区间）校准前 {before:.2%}，"
            "校准后 {after:.2%}。"
        ),
    },
}
