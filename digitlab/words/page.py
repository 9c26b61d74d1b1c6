"""The page's own texts: title, tabs, model names, messages, images and checkpoints.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
    # The page.
    "app.intro": {
        "en": "# DigitLab\nDraw a digit and see what a neural network reads; train your own.",
        "zh": (
            "# DigitLab 手写数字实验室\n写一个数字，看看神经网络认出了什么；"
            "也可以训练你自己的模型。"
        ),
    },
    "app.language": {
        "en": "Language / 语言",
        "zh": "Language / 语言",
    },
    "app.shipped_missing": {
        "en": "The shipped {kind} is not available: {error}",
        "zh": "预训练的 {kind} 模型无法使用：{error}",
    },
    "app.warning": {
        "en": "⚠️ {problem}",
        "zh": "⚠️ {problem}",
    },
    "tab.draw": {
        "en": "Draw",
        "zh": "手写",
    },
    "tab.train": {
        "en": "Train",
        "zh": "训练",
    },
    "tab.inside": {
        "en": "Inside",
        "zh": "模型内部",
    },
    "tab.evaluate": {
        "en": "Evaluate",
        "zh": "评估",
    },
    "plot.digit": {
        "en": "digit",
        "zh": "数字",
    },
    "plot.probability": {
        "en": "probability",
        "zh": "概率",
    },
    # Model names shown in pickers (the values stay the English names).
    "model.shipped": {
        "en": "Shipped {kind} ({accuracy:.1%})",
        "zh": "预训练 {kind}（{accuracy:.1%}）",
    },
    "model.run": {
        "en": "Run {n} · {label}{stopped} · {accuracy:.1%}",
        "zh": "第 {n} 次训练 · {label}{stopped} · {accuracy:.1%}",
    },
    "model.stopped": {
        "en": " · stopped",
        "zh": " · 已中止",
    },
    "model.diverged": {
        "en": " · diverged",
        "zh": " · 已发散",
    },
    "plot.epoch": {
        "en": "epoch",
        "zh": "轮数",
    },
    "plot.loss": {
        "en": "loss",
        "zh": "损失",
    },
    "plot.said_loss": {
        "en": "{run}: epoch {epoch}, loss {value}",
        "zh": "{run}：第 {epoch} 轮，损失 {value}",
    },
    "plot.said_accuracy": {
        "en": "{run}: epoch {epoch}, test accuracy {value}",
        "zh": "{run}：第 {epoch} 轮，测试准确率 {value}",
    },
    "plot.accuracy": {
        "en": "test accuracy",
        "zh": "测试准确率",
    },
    "plot.run": {
        "en": "run",
        "zh": "训练",
    },
    "msg.no_run": {
        "en": "No training run is going in this session.",
        "zh": "本会话中没有正在进行的训练。",
    },
    "msg.nothing_to_extend": {
        "en": "Train a model first: then it can train on for more epochs.",
        "zh": "请先训练一个模型，之后才能接着多训练几轮。",
    },
    "msg.invalid_title": {
        "en": "Invalid settings",
        "zh": "设置有误",
    },
    "msg.invalid": {
        "en": "Invalid settings: {error}",
        "zh": "设置有误：{error}",
    },
    "msg.failed_title": {
        "en": "Training failed",
        "zh": "训练失败",
    },
    "msg.oom": {
        "en": (
            "Training ran out of memory: lower the batch size, use a smaller model (fewer channels "
            "or hidden units) or fewer training images, then press Train again."
        ),
        "zh": (
            "训练时内存不足：请减小批大小、换用更小的模型（更少的通道或隐藏单元）或更少的训练图片，"
            "然后再点击“训练”。"
        ),
    },
    "msg.crashed": {
        "en": "Training failed ({kind}: {detail}). Try other settings.",
        "zh": "训练失败（{kind}：{detail}）。请换一组设置再试。",
    },
    "msg.export_none": {
        "en": "No run to export yet: train one in this tab first.",
        "zh": "还没有可导出的训练：请先在本页训练一次。",
    },
    "msg.export_stopped": {
        "en": "That run was stopped early; the script trains for its full length.",
        "zh": "这次训练被提前停止了；导出的脚本会完整训练所有轮数。",
    },
    "msg.no_data_title": {
        "en": "No MNIST test set",
        "zh": "没有 MNIST 测试集",
    },
    "msg.nothing_to_evaluate": {
        "en": "No model to evaluate yet: train one in the Train tab.",
        "zh": "还没有可评估的模型：请先在“训练”页训练一个。",
    },
    # MNIST files (digitlab/data.py).
    "data.missing": {
        "en": (
            "MNIST files not found in {root}: {missing} (raw or .gz). Connect to the internet so "
            "torchvision can download them, or copy the four MNIST files there, or set "
            "DIGITLAB_DATA to a folder that has them."
        ),
        "zh": (
            "在 {root} 中找不到 MNIST 文件：{missing}（原始或 .gz 格式）。请连接互联网以便 "
            "torchvision 下载，或把这四个 MNIST 文件复制到该文件夹，或把 DIGITLAB_DATA "
            "设为包含它们的文件夹。"
        ),
    },
    "data.download_failed": {
        "en": (
            "Downloading MNIST into {root} failed ({error}). Check the internet connection, or "
            "copy the four MNIST files (raw or .gz) into that folder, or set DIGITLAB_DATA to a "
            "folder that has them."
        ),
        "zh": (
            "下载 MNIST 到 {root} 失败（{error}）。请检查网络连接，或把四个 MNIST 文件（原始或 .gz "
            "格式）复制到该文件夹，或把 DIGITLAB_DATA 设为包含它们的文件夹。"
        ),
    },
    "data.unreadable": {
        "en": "{path} is not a readable MNIST IDX file ({error}).",
        "zh": "{path} 不是可读取的 MNIST IDX 文件（{error}）。",
    },
    # Images sent to the app (digitlab/inference/safety.py).
    "image.not_base64_str": {
        "en": "expected a base64 string, got {kind}.",
        "zh": "需要 base64 字符串，收到的是 {kind}。",
    },
    "image.empty": {
        "en": "the image is empty: send a base64-encoded PNG or JPEG.",
        "zh": "图像是空的：请发送 base64 编码的 PNG 或 JPEG。",
    },
    "image.too_many_bytes": {
        "en": "the image is larger than {limit:,} bytes: send a smaller PNG or JPEG.",
        "zh": "图像超过 {limit:,} 字节：请发送更小的 PNG 或 JPEG。",
    },
    "image.bad_base64": {
        "en": "the image is not valid base64: send a base64-encoded PNG/JPEG.",
        "zh": "图像不是有效的 base64：请发送 base64 编码的 PNG/JPEG。",
    },
    "image.too_many_pixels": {
        "en": (
            "the image has more than {limit:,} pixels: send a smaller image (a 280x280 canvas is "
            "plenty)."
        ),
        "zh": "图像超过 {limit:,} 个像素：请发送更小的图像（280x280 的画布就足够了）。",
    },
    "image.not_image": {
        "en": "the bytes are not a PNG or JPEG image.",
        "zh": "这些字节不是 PNG 或 JPEG 图像。",
    },
    "image.undecodable": {
        "en": "the image could not be decoded ({kind}).",
        "zh": "无法解码该图像（{kind}）。",
    },
    "image.no_pixels": {
        "en": "the image is {width}x{height}: it has no pixels.",
        "zh": "图像尺寸为 {width}x{height}：没有像素。",
    },
    "image.too_big": {
        "en": (
            "the image is {width}x{height} pixels, more than the {limit:,} allowed: send a smaller "
            "image (a 280x280 canvas is plenty)."
        ),
        "zh": (
            "图像为 {width}x{height} 像素，超过允许的 {limit:,} 像素：请发送更小的图像（280x280 "
            "的画布就足够了）。"
        ),
    },
    "image.not_sketch": {
        "en": "expected a Sketchpad value (a dict), got {kind}.",
        "zh": "需要画板的值（一个 dict），收到的是 {kind}。",
    },
    "image.bad_layer": {
        "en": "a canvas layer is not an image.",
        "zh": "画布的某一层不是图像。",
    },
    # Errors Gradio would send without a message (digitlab/ui/api_errors.py).
    "msg.too_few_inputs": {
        "en": "This call sent {got} values; it takes {needed}, in the order the API lists them.",
        "zh": "这次调用发送了 {got} 个值；它需要 {needed} 个，顺序与 API 说明一致。",
    },
    "msg.bad_input": {
        "en": "A value sent for a {kind} input cannot be used: send one of the kind it shows.",
        "zh": "发送给 {kind} 输入的值无法使用：请发送它所显示的那类值。",
    },
    "msg.unexpected": {
        "en": "The server could not use this input ({kind}): check the values sent and retry.",
        "zh": "服务器无法使用这个输入（{kind}）：请检查发送的值后重试。",
    },
    "image.layer_sizes": {
        "en": "the canvas's layers are not all the same size: send layers of one size.",
        "zh": "画布各层的尺寸不一致：请发送尺寸相同的各层。",
    },
    "image.too_many_layers": {
        "en": "the canvas has {layers} layers, more than the {limit} allowed: send one drawing.",
        "zh": "画布有 {layers} 层，超过允许的 {limit} 层：请只发送一幅画。",
    },
    "image.busy": {
        "en": "the server is busy decoding other images: try again in a moment.",
        "zh": "服务器正忙于解码其他图像：请稍后再试。",
    },
    # Checkpoint files (digitlab/training/checkpoint.py).
    "checkpoint.unreadable": {
        "en": "cannot read checkpoint {name}: {reason}.",
        "zh": "无法读取模型文件 {name}：{reason}。",
    },
    "checkpoint.too_big": {
        "en": "{name} is larger than {limit_mb} MB, more than any DigitLab checkpoint: not read.",
        "zh": "{name} 大于 {limit_mb} MB，比任何 DigitLab 模型文件都大：没有读取。",
    },
    "checkpoint.unpacks_too_big": {
        "en": (
            "{name} unpacks to more than {limit_mb} MB, more than any DigitLab checkpoint: not "
            "opened."
        ),
        "zh": "{name} 解压后大于 {limit_mb} MB，比任何 DigitLab 模型文件都大：没有打开。",
    },
    "checkpoint.too_many_members": {
        "en": "{name} holds {n:,} files; a DigitLab checkpoint holds a few dozen: not opened.",
        "zh": "{name} 里有 {n:,} 个文件；DigitLab 的模型文件只有几十个：没有打开它。",
    },
    "checkpoint.truncated": {
        "en": "{name} is a truncated or empty checkpoint: save or copy the whole file again.",
        "zh": "{name} 是被截断或空的模型文件：请重新保存或完整复制这个文件。",
    },
    "checkpoint.not_torch": {
        "en": "{name} is not a PyTorch checkpoint file, so it was not opened.",
        "zh": "{name} 不是 PyTorch 模型文件，所以没有打开它。",
    },
    "checkpoint.refused": {
        "en": (
            "{name} was refused: it holds Python objects other than tensors (which could run "
            "code), so it was not opened."
        ),
        "zh": "{name} 被拒绝：它包含张量以外的 Python 对象（可能会运行代码），所以没有打开它。",
    },
    "checkpoint.corrupt": {
        "en": "{name} is not a valid DigitLab checkpoint (corrupt): {error}",
        "zh": "{name} 不是有效的 DigitLab 模型文件（已损坏）：{error}",
    },
    "checkpoint.no_header": {
        "en": "{name} is not a DigitLab checkpoint (no '{format}' header).",
        "zh": "{name} 不是 DigitLab 模型文件（没有 '{format}' 标记）。",
    },
    "checkpoint.version": {
        "en": "{name} has checkpoint format {version!r}; this DigitLab reads format {expected}.",
        "zh": "{name} 的文件格式版本是 {version!r}；这个版本的 DigitLab 只能读取格式 {expected}。",
    },
    "checkpoint.damaged": {
        "en": "{name} is damaged: {error}",
        "zh": "{name} 已损坏：{error}",
    },
    "checkpoint.bad_config": {
        "en": "{name} describes a model DigitLab does not build: {error}",
        "zh": "{name} 描述的模型 DigitLab 不会构建：{error}",
    },
    "checkpoint.weights_mismatch": {
        "en": (
            "{name}'s weights do not fit the {model} model of this DigitLab version (made by "
            "another version, or edited): {error}"
        ),
        "zh": (
            "{name} 的权重与这个版本 DigitLab 的 {model} 模型不匹配（由其他版本生成，或被修改过）："
            "{error}"
        ),
    },
    # The Robustness tab: the current drawing, changed with sliders.
    "tab.robust": {
        "en": "Robustness & map",
        "zh": "稳健性与地图",
    },
    "tab.teach": {
        "en": "Teach it",
        "zh": "教它认字",
    },
    # A fine-tuned model in the pickers (digitlab/ui/sessions.py RunRecord.title).
    "model.titled": {
        "en": "Run {n} · {title} · {accuracy:.1%}",
        "zh": "第 {n} 次训练 · {title} · {accuracy:.1%}",
    },
    # The page's footer: where the data comes from.
    "app.credits": {
        "en": (
            "Data: [MNIST](https://yann.lecun.com/exdb/mnist/) (Y. LeCun, C. Cortes, C. J. C. "
            'Burges); pen digits: "Pen-Based Recognition of Handwritten Digits", E. Alpaydin and '
            "F. Alimoglu, Bogazici University, 1998, "
            "[UCI Machine Learning Repository](https://doi.org/10.24432/C5MG6K), CC BY 4.0."
        ),
        "zh": (
            "数据：[MNIST](https://yann.lecun.com/exdb/mnist/)（Y. LeCun、C. Cortes、C. J. C. "
            "Burges）；笔写数字：“Pen-Based Recognition of Handwritten Digits”，E. Alpaydin 与 "
            "F. Alimoglu，土耳其海峡大学（Bogazici University），1998，"
            "[UCI 机器学习数据库](https://doi.org/10.24432/C5MG6K)，CC BY 4.0 许可。"
        ),
    },
    "msg.export_pen": {
        "en": (
            "This run trained on the pen digits too, which a standalone script cannot carry: "
            "export a run trained on MNIST only."
        ),
        "zh": "这次训练还用了笔写数字，独立脚本无法包含它们：请导出一次仅用 MNIST 训练的结果。",
    },
}
