"""The interface's words in English and Simplified Chinese, and the one function that reads them.

Every label, help text and message the app shows is a key in STRINGS with one text per
language, side by side, so a missing translation is visible in review and caught by a test.
Messages that travel inside exceptions are `Text` objects (a key and its values): str() gives
the English, and the app renders them in the student's language.
"""

from __future__ import annotations

import string

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT = "en"


class Text:
    """A message for the student: a key into STRINGS and its values; str() is the English."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values: object) -> None:
        if key not in STRINGS:
            raise KeyError(f"no text {key!r} in digitlab/i18n.py")
        self.key, self.values = key, values

    def render(self, lang: str = DEFAULT) -> str:
        """The message in this language."""
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.render(DEFAULT)

    def __repr__(self) -> str:
        return f"Text({self.key!r}, {self.values!r})"


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The text for key in lang (English for an unknown language), with values filled in.

    Values that are Text are rendered in the same language; a value passed as `field` is the
    name of a setting and is shown by its translated name (key "field.<name>") when it has one.
    """
    column = 1 if lang == "zh" else 0
    template = STRINGS[key][column]
    if not values:
        return template
    rendered = {k: v.render(lang) if isinstance(v, Text) else v for k, v in values.items()}
    if "field" in rendered and f"field.{rendered['field']}" in STRINGS:
        rendered["field"] = STRINGS[f"field.{rendered['field']}"][column]
    return template.format(**rendered)


def localize(message: object, lang: str = DEFAULT) -> str:
    """A Text, or an exception raised with one, in lang; anything else as str()."""
    if isinstance(message, BaseException) and message.args and isinstance(message.args[0], Text):
        message = message.args[0]
    return message.render(lang) if isinstance(message, Text) else str(message)


def placeholders(template: str) -> set[str]:
    """The names a template fills in, e.g. {"n", "acc"} (for the tests)."""
    return {name.split("!")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


# key: (English, Simplified Chinese)
STRINGS: dict[str, tuple[str, str]] = {
    # The page.
    "app.intro": (
        "# DigitLab\nDraw a digit and see what a neural network reads; train your own.",
        "# DigitLab 手写数字实验室\n写一个数字，看看神经网络认出了什么；也可以训练你自己的模型。",
    ),
    "app.language": ("Language / 语言", "Language / 语言"),
    "app.shipped_missing": (
        "The shipped {kind} is not available: {error}",
        "预训练的 {kind} 模型无法使用：{error}",
    ),
    "app.warning": ("⚠️ {problem}", "⚠️ {problem}"),
    "tab.draw": ("Draw", "手写"),
    "tab.train": ("Train", "训练"),
    "tab.inside": ("Inside", "模型内部"),
    "tab.evaluate": ("Evaluate", "评估"),
    # Draw tab.
    "draw.canvas": ("Draw a digit (0-9)", "在这里写一个数字（0-9）"),
    "draw.model": ("Model", "模型"),
    "draw.model_info": (
        "Shipped models, then your runs (the last {n}).",
        "预训练模型，然后是你训练的模型（保留最近 {n} 个）。",
    ),
    "draw.probabilities": ("Probabilities", "各数字的概率"),
    "draw.pixels": ("What the model sees (28x28)", "模型看到的图像（28x28）"),
    "draw.compare": (
        "### Same drawing, shipped MLP vs shipped CNN",
        "### 同一个手写数字：预训练 MLP 与预训练 CNN 对比",
    ),
    "draw.shipped_mlp": ("Shipped MLP", "预训练 MLP"),
    "draw.shipped_cnn": ("Shipped CNN", "预训练 CNN"),
    "draw.empty": ("Draw a digit in the box", "请在方框里写一个数字"),
    "draw.sure": ("{confidence:.1%} sure · {model}", "把握 {confidence:.1%} · {model}"),
    "draw.no_model": (
        "No model yet: train one in the Train tab.",
        "还没有模型：请先在“训练”页训练一个。",
    ),
    "draw.model_gone": (
        "{name} is no longer kept; showing {fallback}.",
        "{name} 已不再保留；改用 {fallback}。",
    ),
    "draw.bad_canvas": ("canvas: {error}", "画布：{error}"),
    "plot.digit": ("digit", "数字"),
    "plot.probability": ("probability", "概率"),
    # Model names shown in pickers (the values stay the English names).
    "model.shipped": ("Shipped {kind} ({accuracy:.1%})", "预训练 {kind}（{accuracy:.1%}）"),
    "model.run": (
        "Run {n} · {label}{stopped} · {accuracy:.1%}",
        "第 {n} 次训练 · {label}{stopped} · {accuracy:.1%}",
    ),
    "model.stopped": (" · stopped", " · 已中止"),
    # Train tab: settings.
    "train.preset": ("Lesson preset", "课堂示例"),
    "train.preset_info": (
        "Fills the settings below for a classic lesson; then press Train.",
        "为经典的一课自动填好下面的设置，然后点击“训练”。",
    ),
    "train.model": ("Model", "模型"),
    "train.hidden": ("MLP hidden sizes", "MLP 隐藏层大小"),
    "train.hidden_info": (
        "comma-separated, e.g. 256, 128 (empty = linear model)",
        "用逗号分隔，例如 256, 128（留空 = 线性模型）",
    ),
    "train.activation": ("Activation", "激活函数"),
    "train.channels": ("CNN channels", "CNN 通道数"),
    "train.channels_info": ("1-3 conv stages, e.g. 16, 32", "1-3 个卷积层，例如 16, 32"),
    "train.batch_norm": ("Batch norm", "批归一化"),
    "train.lr": (
        "Learning rate (log10 scale: -4 = 0.0001, 0 = 1)",
        "学习率（log10 刻度：-4 = 0.0001，0 = 1）",
    ),
    "train.lr_value": ("learning rate = {lr}", "学习率 = {lr}"),
    "train.epochs": ("Epochs", "训练轮数（epoch）"),
    "train.subset": ("Training images", "训练图片数"),
    "train.subset_info": ("from a few hundred to all 60,000", "从几百张到全部 60,000 张"),
    "train.batch_size": ("Batch size", "批大小（batch size）"),
    "train.optimizer": ("Optimizer", "优化器"),
    "train.more": ("More settings", "更多设置"),
    "train.weight_decay": ("Weight decay", "权重衰减"),
    "train.dropout": ("Dropout", "Dropout 丢弃率"),
    "train.schedule": ("LR schedule", "学习率调度"),
    "train.augment": ("Augment (rotate, scale, shift)", "数据增强（旋转、缩放、平移）"),
    "train.seed": ("Seed", "随机种子"),
    "train.train": ("Train", "训练"),
    "train.stop": ("Stop", "停止"),
    # Train tab: results.
    "train.status": ("Status", "状态"),
    "train.idle": ("Pick settings and press Train.", "选好设置，然后点击“训练”。"),
    "train.loss": ("Training loss", "训练损失"),
    "train.accuracy": ("Test accuracy", "测试准确率"),
    "plot.epoch": ("epoch", "轮数"),
    "plot.loss": ("loss", "损失"),
    "plot.accuracy": ("test accuracy", "测试准确率"),
    "plot.run": ("run", "训练"),
    "train.probe": (
        "Your drawing while the model trains: probability of each digit",
        "训练过程中模型对你所写数字的判断：每个数字的概率",
    ),
    "train.probe_image": ("The Draw tab's digit", "“手写”页上的数字"),
    "train.probe_hint": (
        "Draw a digit in the **Draw** tab before (or while) training, and watch the model change "
        "its mind about it here.",
        "在训练前（或训练中）到 **手写** 页写一个数字，就能在这里看到模型对它的判断如何变化。",
    ),
    "train.probe_now": (
        "Now: **{digit}** ({confidence:.0%} sure) after {epoch:.2f} epochs.",
        "目前：训练 {epoch:.2f} 轮后认为是 **{digit}**（把握 {confidence:.0%}）。",
    ),
    "train.shown": ("Show runs in the charts", "图中显示哪些训练"),
    "train.shown_info": (
        "Untick a run to hide it (all show again while a new run trains).",
        "取消勾选可隐藏该次训练（新训练进行时会全部重新显示）。",
    ),
    "train.table": ("Runs in this session", "本次会话的所有训练"),
    "train.downloads": ("Checkpoints of your last {n} runs", "最近 {n} 次训练的模型文件"),
    "train.export": ("Export a run as a PyTorch script", "把一次训练导出为 PyTorch 脚本"),
    "train.export_info": (
        "Exact settings and seed; runs without DigitLab (newest if none picked).",
        "包含完全相同的设置和随机种子；无需 DigitLab 即可运行（未选择时导出最新一次）。",
    ),
    "train.export_button": ("Export script", "导出脚本"),
    "train.script": ("Script", "脚本"),
    "train.lesson": ("💡 {lesson}", "💡 {lesson}"),
    # Train tab: run table columns.
    "col.run": ("run", "训练"),
    "col.test_acc": ("test acc %", "测试准确率 %"),
    "col.model": ("model", "模型"),
    "col.lr": ("lr", "学习率"),
    "col.optimizer": ("optimizer", "优化器"),
    "col.epochs": ("epochs", "轮数"),
    "col.batch": ("batch", "批大小"),
    "col.images": ("images", "图片数"),
    "col.settings": ("settings", "其他设置"),
    "col.time": ("time s", "用时（秒）"),
    "col.note": ("note", "备注"),
    "col.stopped": ("stopped", "已中止"),
    # Training progress and messages.
    "status.waiting_slot": ("Waiting for a training slot…", "正在等待训练名额…"),
    "status.waiting": ("Waiting for the trainer…", "正在等待训练程序…"),
    "status.starting": ("Starting…", "正在开始…"),
    "status.stopped_early": ("Stopped before it started.", "训练开始前已停止。"),
    "status.loading": (
        "Loading MNIST (downloads about 11 MB on first use)…",
        "正在加载 MNIST（首次使用时需下载约 11 MB）…",
    ),
    "status.starting_on": ("Starting on {device}: {label}…", "正在 {device} 上开始：{label}…"),
    "status.progress": (
        "Epoch {epoch:.2f}/{epochs} · step {step}/{total} · {rate:,.0f} img/s · ~{left} s left · "
        "{device}",
        "第 {epoch:.2f}/{epochs} 轮 · 第 {step}/{total} 步 · 每秒 {rate:,.0f} 张 · "
        "还需约 {left} 秒 · {device}",
    ),
    "status.stopping": ("Stopping… {progress}", "正在停止… {progress}"),
    "status.finished": (
        "Finished after {epochs:g} epochs ({steps} steps, {seconds:.1f} s on {device}): test "
        "accuracy {accuracy:.2%}. The model is now in the Draw tab's picker.",
        "训练完成：{epochs:g} 轮（{steps} 步，在 {device} 上用时 {seconds:.1f} 秒），测试准确率 "
        "{accuracy:.2%}。这个模型已加入“手写”页的模型列表。",
    ),
    "status.stopped": (
        "Stopped after {epochs:g} epochs ({steps} steps, {seconds:.1f} s on {device}): test "
        "accuracy {accuracy:.2%}. The model is now in the Draw tab's picker.",
        "训练已停止：{epochs:g} 轮（{steps} 步，在 {device} 上用时 {seconds:.1f} 秒），测试准确率 "
        "{accuracy:.2%}。这个模型已加入“手写”页的模型列表。",
    ),
    "msg.no_run": ("No training run is going in this session.", "本会话中没有正在进行的训练。"),
    "msg.invalid_title": ("Invalid settings", "设置有误"),
    "msg.invalid": ("Invalid settings: {error}", "设置有误：{error}"),
    "msg.failed_title": ("Training failed", "训练失败"),
    "msg.oom": (
        "Training ran out of memory: lower the batch size, use a smaller model (fewer channels or "
        "hidden units) or fewer training images, then press Train again.",
        "训练时内存不足：请减小批大小、换用更小的模型（更少的通道或隐藏单元）或更少的训练图片，"
        "然后再点击“训练”。",
    ),
    "msg.crashed": (
        "Training failed ({kind}: {detail}). Try other settings.",
        "训练失败（{kind}：{detail}）。请换一组设置再试。",
    ),
    "msg.export_none": (
        "No run to export yet: train one in this tab first.",
        "还没有可导出的训练：请先在本页训练一次。",
    ),
    "msg.export_stopped": (
        "That run was stopped early; the script trains for its full length.",
        "这次训练被提前停止了；导出的脚本会完整训练所有轮数。",
    ),
    "msg.no_data_title": ("No MNIST test set", "没有 MNIST 测试集"),
    "msg.nothing_to_evaluate": (
        "No model to evaluate yet: train one in the Train tab.",
        "还没有可评估的模型：请先在“训练”页训练一个。",
    ),
    # Settings, as named in messages.
    "field.subset": ("training-set size", "训练图片数"),
    "field.epochs": ("epochs", "训练轮数"),
    "field.batch_size": ("batch size", "批大小"),
    "field.seed": ("seed", "随机种子"),
    "field.dropout": ("dropout", "Dropout 丢弃率"),
    "field.weight_decay": ("weight decay", "权重衰减"),
    "field.hidden": ("MLP hidden sizes", "MLP 隐藏层大小"),
    "field.channels": ("CNN channels", "CNN 通道数"),
    "field.lr": ("learning rate", "学习率"),
    "field.model": ("model", "模型"),
    "field.activation": ("activation", "激活函数"),
    "field.optimizer": ("optimizer", "优化器"),
    "field.schedule": ("LR schedule", "学习率调度"),
    # Settings errors (digitlab/config.py and digitlab/sessions.py).
    "config.lr_range": (
        "learning rate: pick a value from 1e-4 to 1 (log10 from -4 to 0).",
        "学习率：请选择 1e-4 到 1 之间的值（log10 在 -4 到 0 之间）。",
    ),
    "config.not_whole": (
        "{field}: {value!r} is not a whole number.",
        "{field}：{value!r} 不是整数。",
    ),
    "config.too_large": ("{field}: {value:.3g} is far too large.", "{field}：{value:.3g} 太大了。"),
    "config.not_number": ("{field}: {value!r} is not a number.", "{field}：{value!r} 不是数字。"),
    "config.sizes_format": (
        "{field}: write whole numbers separated by commas, e.g. 64, 32.",
        "{field}：请写用逗号分隔的整数，例如 64, 32。",
    ),
    "config.sizes_huge": (
        "{field}: sizes are far too large (at most a few thousand).",
        "{field}：数值太大了（最多几千）。",
    ),
    "config.sizes_empty": ("{field}: give at least one size.", "{field}：至少要填一个数。"),
    "config.sizes_range": (
        "{field}: every size must be a whole number from 1 to {top}.",
        "{field}：每个数都必须是 1 到 {top} 之间的整数。",
    ),
    "config.too_many_stages": (
        "CNN channels: at most 3 conv stages fit a 28x28 image (e.g. 16, 32).",
        "CNN 通道数：28x28 的图像最多只能放 3 个卷积层（例如 16, 32）。",
    ),
    "config.choice": (
        "{field}: {value!r} is not one of {allowed}.",
        "{field}：{value!r} 不在可选项 {allowed} 之中。",
    ),
    "config.integer": (
        "{field}: {value!r} must be a whole number from {lo} to {hi}.",
        "{field}：{value!r} 必须是 {lo} 到 {hi} 之间的整数。",
    ),
    "config.number": (
        "{field}: {value!r} must be a number {lo_txt} and {hi_txt}.",
        "{field}：{value!r} 必须是{lo_txt}且{hi_txt}的数。",
    ),
    "config.gt": ("greater than {x:g}", "大于 {x:g}"),
    "config.ge": ("at least {x:g}", "不小于 {x:g}"),
    "config.lt": ("below {x:g}", "小于 {x:g}"),
    "config.le": ("at most {x:g}", "不大于 {x:g}"),
    "config.unknown": ("unknown setting(s): {names}", "未知的设置：{names}"),
    "config.batch_too_big": (
        "batch size {batch} is larger than the training set ({images} images): lower it or train "
        "on more images.",
        "批大小 {batch} 比训练集（{images} 张图片）还大：请减小批大小，或使用更多训练图片。",
    ),
    "config.no_cuda": (
        "device 'cuda' was asked for, but no CUDA GPU is here: use 'auto'.",
        "指定了 'cuda' 设备，但这里没有 CUDA GPU：请使用 'auto'。",
    ),
    # MNIST files (digitlab/data.py).
    "data.missing": (
        "MNIST files not found in {root}: {missing} (raw or .gz). Connect to the internet so "
        "torchvision can download them, or copy the four MNIST files there, or set DIGITLAB_DATA "
        "to a folder that has them.",
        "在 {root} 中找不到 MNIST 文件：{missing}（原始或 .gz 格式）。请连接互联网以便 torchvision "
        "下载，或把这四个 MNIST 文件复制到该文件夹，或把 DIGITLAB_DATA 设为包含它们的文件夹。",
    ),
    "data.download_failed": (
        "Downloading MNIST into {root} failed ({error}). Check the internet connection, or copy "
        "the four MNIST files (raw or .gz) into that folder, or set DIGITLAB_DATA to a folder that "
        "has them.",
        "下载 MNIST 到 {root} 失败（{error}）。请检查网络连接，或把四个 MNIST 文件（原始或 .gz "
        "格式）复制到该文件夹，或把 DIGITLAB_DATA 设为包含它们的文件夹。",
    ),
    "data.unreadable": (
        "{path} is not a readable MNIST IDX file ({error}).",
        "{path} 不是可读取的 MNIST IDX 文件（{error}）。",
    ),
    # Images sent to the app (digitlab/safety.py).
    "image.not_base64_str": (
        "expected a base64 string, got {kind}.",
        "需要 base64 字符串，收到的是 {kind}。",
    ),
    "image.empty": (
        "the image is empty: send a base64-encoded PNG or JPEG.",
        "图像是空的：请发送 base64 编码的 PNG 或 JPEG。",
    ),
    "image.too_many_bytes": (
        "the image is larger than {limit:,} bytes: send a smaller PNG or JPEG.",
        "图像超过 {limit:,} 字节：请发送更小的 PNG 或 JPEG。",
    ),
    "image.bad_base64": (
        "the image is not valid base64: send a base64-encoded PNG/JPEG.",
        "图像不是有效的 base64：请发送 base64 编码的 PNG/JPEG。",
    ),
    "image.too_many_pixels": (
        "the image has more than {limit:,} pixels: send a smaller image (a 280x280 canvas is "
        "plenty).",
        "图像超过 {limit:,} 个像素：请发送更小的图像（280x280 的画布就足够了）。",
    ),
    "image.not_image": (
        "the bytes are not a PNG or JPEG image.",
        "这些字节不是 PNG 或 JPEG 图像。",
    ),
    "image.undecodable": ("the image could not be decoded ({kind}).", "无法解码该图像（{kind}）。"),
    "image.no_pixels": (
        "the image is {width}x{height}: it has no pixels.",
        "图像尺寸为 {width}x{height}：没有像素。",
    ),
    "image.too_big": (
        "the image is {width}x{height} pixels, more than the {limit:,} allowed: send a smaller "
        "image (a 280x280 canvas is plenty).",
        "图像为 {width}x{height} 像素，超过允许的 {limit:,} 像素：请发送更小的图像（280x280 的画布"
        "就足够了）。",
    ),
    "image.not_sketch": (
        "expected a Sketchpad value (a dict), got {kind}.",
        "需要画板的值（一个 dict），收到的是 {kind}。",
    ),
    "image.bad_layer": ("a canvas layer is not an image.", "画布的某一层不是图像。"),
    # Inside tab.
    "inside.intro": (
        "What the model picked in the **Draw** tab does with your drawing. Draw there; this tab "
        "follows every stroke.",
        "在 **手写** 页选中的模型如何处理你写的数字。请在那一页书写，本页会跟随每一笔更新。",
    ),
    "inside.preprocessing": (
        "Preprocessing (crop, scale to 20 px, centre)",
        "预处理（裁剪、缩放到 20 像素、居中）",
    ),
    "inside.preprocessing_info": (
        "Off: the whole canvas squashed to 28x28. Watch the prediction change.",
        "关闭时：整张画布直接压缩成 28x28。看看预测会怎样变化。",
    ),
    "inside.empty": (
        "Draw a digit in the Draw tab to look inside the model.",
        "请先在“手写”页写一个数字，再来看模型内部。",
    ),
    "inside.strip": ("Preprocessing, step by step", "预处理的每一步"),
    "inside.saliency": (
        "Saliency: red = pixels that change the answer most",
        "显著性图：红色 = 对答案影响最大的像素",
    ),
    "inside.weights": (
        "First layer: 32 MLP units (28x28) or CNN 3x3 filters; red +, blue -",
        "第一层：32 个 MLP 神经元（28x28）或 CNN 的 3x3 卷积核；红色为正，蓝色为负",
    ),
    "inside.maps": (
        "CNN feature maps after the first conv stage (bright = strong response)",
        "第一层卷积后的 CNN 特征图（越亮 = 响应越强）",
    ),
    "inside.reads": (
        "**{model}** reads **{digit}** ({confidence:.0%} sure), {mode}.",
        "**{model}** 认为是 **{digit}**（把握 {confidence:.0%}），{mode}。",
    ),
    "inside.with": ("with preprocessing", "使用了预处理"),
    "inside.without": ("preprocessing OFF (plain resize)", "预处理已关闭（直接缩放）"),
    "inside.unit": ("unit {i}", "神经元 {i}"),
    "inside.filter": ("filter {i}", "卷积核 {i}"),
    "inside.map": ("map {i}", "特征图 {i}"),
    "strip.ink": ("1 · canvas", "1 · 画布"),
    "strip.cropped": ("2 · cropped to the ink", "2 · 裁剪到笔迹范围"),
    "strip.scaled": ("3 · longer side scaled to 20 px", "3 · 长边缩放到 20 像素"),
    "strip.centred": (
        "4 · centred in 28x28 (the model's input)",
        "4 · 在 28x28 中居中（模型的输入）",
    ),
    "strip.plain": (
        "plain resize to 28x28 (what the model sees now)",
        "直接缩放到 28x28（模型现在看到的图像）",
    ),
    # Evaluate tab.
    "eval.model_info": ("Shipped models, then your runs.", "预训练模型，然后是你训练的模型。"),
    "eval.button": ("Evaluate on the 10,000 test digits", "在 10,000 个测试数字上评估"),
    "eval.idle": ("Pick a model and press Evaluate.", "选择一个模型，然后点击“评估”。"),
    "eval.confusion": (
        "Confusion matrix (rows: true digit, columns: predicted)",
        "混淆矩阵（行：真实数字，列：预测数字）",
    ),
    "eval.per_digit": ("Per-digit accuracy", "每个数字的准确率"),
    "eval.mistakes": (
        "Test digits it gets wrong, most confident first",
        "模型认错的测试数字（最有把握的错误排在前面）",
    ),
    "eval.summary": (
        "**{model}**: test accuracy **{accuracy:.2%}** on {total:,} test digits ({wrong} wrong). "
        "Mistakes below: most confident first.",
        "**{model}**：在 {total:,} 个测试数字上的准确率为 **{accuracy:.2%}**（认错 {wrong} 个）。"
        "下面是认错的数字，最有把握的错误排在前面。",
    ),
    "eval.mistake": (
        "true {true} → predicted {predicted} ({confidence:.0%})",
        "真实 {true} → 预测 {predicted}（{confidence:.0%}）",
    ),
    "col.digit": ("digit", "数字"),
    "col.accuracy": ("accuracy %", "准确率 %"),
    "col.count": ("test digits", "测试数字个数"),
    "col.confused": ("most confused with", "最常被认成"),
    # Lesson presets (digitlab/presets.py).
    "preset.lr_high": ("Learning rate: too high", "学习率：太大"),
    "preset.lr_high.lesson": (
        "lr 0.3: each step overshoots, the loss jumps around instead of falling, and accuracy "
        "stays near chance (10%).",
        "学习率 0.3：每一步都迈得太大，损失上下乱跳而不下降，准确率停在随机猜测的水平（10%）附近。",
    ),
    "preset.lr_low": ("Learning rate: too low", "学习率：太小"),
    "preset.lr_low.lesson": (
        "lr 0.0001 with plain SGD: every step is tiny, so after two epochs the loss has barely "
        "moved: the model crawls.",
        "学习率 0.0001、普通 SGD：每一步都很小，两轮之后损失几乎没动：模型学得像蜗牛一样慢。",
    ),
    "preset.lr_good": ("Learning rate: a good one", "学习率：合适"),
    "preset.lr_good.lesson": (
        "lr 0.003 with Adam: the loss falls fast and smoothly, ~94% test accuracy in two epochs.",
        "学习率 0.003、Adam：损失下降得又快又平稳，两轮后测试准确率约 94%。",
    ),
    "preset.tiny": ("Tiny training set: overfits", "训练集太小：过拟合"),
    "preset.tiny.lesson": (
        "300 images, 20 epochs: the model memorises them (training loss near 0) while test "
        "accuracy stalls far below a model trained on more data.",
        "300 张图片、20 轮：模型把它们背了下来（训练损失接近 0），"
        "而测试准确率远低于用更多数据训练的模型。",
    ),
    "preset.budget_mlp": ("Same budget: MLP", "同样的预算：MLP"),
    "preset.budget_mlp.lesson": (
        "3,000 images, 2 epochs, MLP 128: compare its test accuracy with the CNN preset's.",
        "3,000 张图片、2 轮、MLP 128：把它的测试准确率和 CNN 示例比一比。",
    ),
    "preset.budget_cnn": ("Same budget: CNN", "同样的预算：CNN"),
    "preset.budget_cnn.lesson": (
        "Same images, epochs and optimizer as the MLP preset, but convolutions that share "
        "weights across the image: higher test accuracy from the same data.",
        "图片、轮数和优化器都和 MLP 示例相同，但卷积在整张图上共享权重："
        "同样的数据，更高的测试准确率。",
    ),
    "preset.sigmoid": ("Activation: sigmoid", "激活函数：sigmoid"),
    "preset.sigmoid.lesson": (
        "A 3-layer MLP with sigmoid and plain SGD: gradients shrink through each sigmoid; after "
        "two epochs it is still near chance (10%). Compare with the ReLU preset.",
        "3 层 MLP、sigmoid、普通 SGD：梯度每经过一个 sigmoid 就变小；两轮后仍接近随机猜测（10%）。"
        "和 ReLU 示例比一比。",
    ),
    "preset.relu": ("Activation: ReLU", "激活函数：ReLU"),
    "preset.relu.lesson": (
        "The same network and SGD with ReLU: gradients pass through, and it reaches ~92% in the "
        "same two epochs.",
        "同样的网络和 SGD，换成 ReLU：梯度可以顺利传下去，同样两轮就能达到约 92%。",
    ),
}
