"""Every text the app shows, in English and Simplified Chinese, side by side.

Each key maps a language code (see LANGUAGES in digitlab/i18n.py) to its text, so a missing
translation is visible in review and caught by tests/test_i18n.py. Placeholders such as {n}
are filled in by digitlab.i18n.t, and both languages use the same ones.
"""

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
    # Train tab: settings.
    "train.preset": {
        "en": "Lesson preset",
        "zh": "课堂示例",
    },
    "train.preset_info": {
        "en": "Fills the settings below for a classic lesson; then press Train.",
        "zh": "为经典的一课自动填好下面的设置，然后点击“训练”。",
    },
    "train.model": {
        "en": "Model",
        "zh": "模型",
    },
    "train.hidden": {
        "en": "MLP hidden sizes",
        "zh": "MLP 隐藏层大小",
    },
    "train.hidden_info": {
        "en": "comma-separated, e.g. 256, 128 (empty = linear model)",
        "zh": "用逗号分隔，例如 256, 128（留空 = 线性模型）",
    },
    "train.activation": {
        "en": "Activation",
        "zh": "激活函数",
    },
    "train.channels": {
        "en": "CNN channels",
        "zh": "CNN 通道数",
    },
    "train.channels_info": {
        "en": "1-3 conv stages, e.g. 16, 32",
        "zh": "1-3 个卷积层，例如 16, 32",
    },
    "train.patch": {
        "en": "2x2 patches",
        "zh": "2x2 像素块",
    },
    "train.patch_info": {
        "en": "4x smaller maps: faster",
        "zh": "特征图小 4 倍：更快",
    },
    "train.dense": {
        "en": "CNN dense layers",
        "zh": "CNN 全连接层",
    },
    "train.dense_info": {
        "en": "after the convs, e.g. 128",
        "zh": "卷积之后，例如 128",
    },
    "train.batch_norm": {
        "en": "Batch norm",
        "zh": "批归一化",
    },
    "train.lr": {
        "en": "Learning rate (type it: 0.02, 0.5, 10)",
        "zh": "学习率（直接输入：0.02、0.5、10）",
    },
    "train.lr_slider": {
        "en": "…or drag it (log scale: 0.0001 on the left, 10 on the right)",
        "zh": "……或拖动它（对数刻度：最左 0.0001，最右 10）",
    },
    "train.epochs": {
        "en": "Epochs",
        "zh": "训练轮数（epoch）",
    },
    "train.subset": {
        "en": "Training images",
        "zh": "训练图片数",
    },
    "train.subset_info": {
        "en": "from a few hundred to all 60,000",
        "zh": "从几百张到全部 60,000 张",
    },
    "train.batch_size": {
        "en": "Batch size",
        "zh": "批大小（batch size）",
    },
    "train.optimizer": {
        "en": "Optimizer",
        "zh": "优化器",
    },
    "train.more": {
        "en": "More settings",
        "zh": "更多设置",
    },
    "train.weight_decay": {
        "en": "Weight decay",
        "zh": "权重衰减",
    },
    "train.dropout": {
        "en": "Dropout",
        "zh": "Dropout 丢弃率",
    },
    "train.label_smoothing": {
        "en": "Label smoothing",
        "zh": "标签平滑",
    },
    "train.label_smoothing_info": {
        "en": "The loss asks for 1 - this on the right digit, not 100%: "
        "a little keeps the model from being over-sure and reaches an accuracy sooner.",
        "zh": "损失函数要求正确数字的概率为 1 减去此值，而不是 100%："
        "少量平滑能避免过度自信，更早达到同样的准确率。",
    },
    "train.momentum": {
        "en": "Momentum (Adam: beta1)",
        "zh": "动量（Adam：beta1）",
    },
    "train.momentum_info": {
        "en": "How much of the last steps' direction each step keeps; plain SGD has none.",
        "zh": "每一步保留多少之前的前进方向；普通 SGD 没有动量。",
    },
    "train.schedule": {
        "en": "LR schedule",
        "zh": "学习率调度",
    },
    "train.augment": {
        "en": "Augment (rotate, scale, shift)",
        "zh": "数据增强（旋转、缩放、平移）",
    },
    "train.seed": {
        "en": "Seed",
        "zh": "随机种子",
    },
    "train.train": {
        "en": "Train",
        "zh": "训练",
    },
    "train.stop": {
        "en": "Stop",
        "zh": "停止",
    },
    "train.pause": {
        "en": "Pause",
        "zh": "暂停",
    },
    "train.resume": {
        "en": "Resume",
        "zh": "继续",
    },
    "train.more_epochs": {
        "en": "More epochs",
        "zh": "再训练几轮",
    },
    "train.extend": {
        "en": "Train on",
        "zh": "接着训练",
    },
    "train.on": {"en": "on", "zh": "开"},
    "train.off": {"en": "off", "zh": "关"},
    "train.change": {
        "en": "{name} {old} → {new} at epoch {epoch:.2f}",
        "zh": "{name} {old} → {new}（第 {epoch:.2f} 轮）",
    },
    "train.changes": {
        "en": "Changed during the run (Δ on the loss chart): {changes}.",
        "zh": "训练中的调整（损失图上的 Δ）：{changes}。",
    },
    # Train tab: results.
    "train.status": {
        "en": "Status",
        "zh": "状态",
    },
    "train.idle": {
        "en": "Pick settings and press Train.",
        "zh": "选好设置，然后点击“训练”。",
    },
    "train.loss": {
        "en": "Training loss (Δ: a setting changed)",
        "zh": "训练损失（Δ：调整了设置）",
    },
    "train.accuracy": {
        "en": "Test accuracy",
        "zh": "测试准确率",
    },
    "plot.epoch": {
        "en": "epoch",
        "zh": "轮数",
    },
    "plot.loss": {
        "en": "loss",
        "zh": "损失",
    },
    "plot.accuracy": {
        "en": "test accuracy",
        "zh": "测试准确率",
    },
    "plot.run": {
        "en": "run",
        "zh": "训练",
    },
    "train.probe": {
        "en": "Your drawing while the model trains: probability of each digit",
        "zh": "训练过程中模型对你所写数字的判断：每个数字的概率",
    },
    "train.probe_image": {
        "en": "The Draw tab's digit",
        "zh": "“手写”页上的数字",
    },
    "train.probe_hint": {
        "en": (
            "Draw a digit in the **Draw** tab before (or while) training, and watch the model "
            "change its mind about it here."
        ),
        "zh": (
            "在训练前（或训练中）到 **手写** 页写一个数字，就能在这里看到模型对它的判断如何变化。"
        ),
    },
    "train.probe_now": {
        "en": "Now: **{digit}** ({confidence:.1%} sure) after {epoch:.2f} epochs.",
        "zh": "目前：训练 {epoch:.2f} 轮后认为是 **{digit}**（把握 {confidence:.1%}）。",
    },
    "train.shown": {
        "en": "Show runs in the charts",
        "zh": "图中显示哪些训练",
    },
    "train.shown_info": {
        "en": "Untick a run to hide it (all show again while a new run trains).",
        "zh": "取消勾选可隐藏该次训练（新训练进行时会全部重新显示）。",
    },
    "train.table": {
        "en": "Runs in this session",
        "zh": "本次会话的所有训练",
    },
    "train.downloads": {
        "en": "Checkpoints of your last {n} runs",
        "zh": "最近 {n} 次训练的模型文件",
    },
    "train.export": {
        "en": "Export a run as a PyTorch script",
        "zh": "把一次训练导出为 PyTorch 脚本",
    },
    "train.export_info": {
        "en": "Exact settings and seed; runs without DigitLab (newest if none picked).",
        "zh": "包含完全相同的设置和随机种子；无需 DigitLab 即可运行（未选择时导出最新一次）。",
    },
    "train.export_button": {
        "en": "Export script",
        "zh": "导出脚本",
    },
    "train.script": {
        "en": "Script",
        "zh": "脚本",
    },
    "train.lesson": {
        "en": "💡 {lesson}",
        "zh": "💡 {lesson}",
    },
    # Train tab: run table columns.
    "col.run": {
        "en": "run",
        "zh": "训练",
    },
    "col.test_acc": {
        "en": "acc %",
        "zh": "准确率%",
    },
    "col.model": {
        "en": "model",
        "zh": "模型",
    },
    "col.lr": {
        "en": "lr",
        "zh": "学习率",
    },
    "col.optimizer": {
        "en": "optim.",
        "zh": "优化器",
    },
    "col.epochs": {
        "en": "ep",
        "zh": "轮数",
    },
    "col.batch": {
        "en": "batch",
        "zh": "批大小",
    },
    "col.images": {
        "en": "imgs",
        "zh": "图片数",
    },
    "col.settings": {
        "en": "settings",
        "zh": "其他设置",
    },
    "col.time": {
        "en": "sec",
        "zh": "秒",
    },
    "col.note": {
        "en": "note",
        "zh": "备注",
    },
    "col.stopped": {
        "en": "stopped",
        "zh": "已中止",
    },
    # Train tab: the runs table's notes and short setting names (digitlab/run_table.py).
    "runs.change": {
        "en": "{name} {old} → {new} at {epoch:.1f}",
        "zh": "{name} {old} → {new}（第 {epoch:.1f} 轮）",
    },
    "runs.collapse": {
        "en": "⚠ accuracy fell {before:.0%} → {after:.0%} after {changes}",
        "zh": "⚠ 改为 {changes} 后，准确率从 {before:.0%} 跌到 {after:.0%}",
    },
    "runs.on": {"en": "on", "zh": "开"},
    "runs.off": {"en": "off", "zh": "关"},
    "runs.short.lr": {"en": "lr", "zh": "学习率"},
    "runs.short.momentum": {"en": "momentum", "zh": "动量"},
    "runs.short.weight_decay": {"en": "wd", "zh": "权重衰减"},
    "runs.short.dropout": {"en": "dropout", "zh": "丢弃率"},
    "runs.short.augment": {"en": "aug", "zh": "增强"},
    "runs.short.schedule": {"en": "schedule", "zh": "学习率计划"},
    "runs.short.label_smoothing": {"en": "smooth", "zh": "标签平滑"},
    "runs.short.epochs": {"en": "epochs", "zh": "轮数"},
    # Training progress and messages.
    # A run's short name (TrainConfig.label): "CNN 2x2 16-32 fc128 · adam lr 0.02 · 3 ep".
    "label.dense": {"en": " fc{size}", "zh": " 全连接{size}"},
    "label.training": {
        "en": "{optimizer} lr {lr:g} · {epochs} ep",
        "zh": "{optimizer} 学习率 {lr:g} · {epochs} 轮",
    },
    "label.subset": {"en": "{images} imgs", "zh": "{images} 张"},
    "label.augment_light": {"en": "aug", "zh": "增强"},
    "label.augment_strong": {"en": "aug+", "zh": "强增强"},
    "label.pen": {"en": "+pen", "zh": "+笔迹"},
    # The settings' values as the page shows them (settings.Setting.choice_texts).
    "train.optimizer.sgd": {"en": "sgd", "zh": "SGD"},
    "train.optimizer.momentum": {"en": "momentum", "zh": "SGD+动量"},
    "train.optimizer.adam": {"en": "adam", "zh": "Adam"},
    "train.optimizer.adamw": {"en": "adamw", "zh": "AdamW"},
    "train.activation.relu": {"en": "relu", "zh": "ReLU"},
    "train.activation.tanh": {"en": "tanh", "zh": "Tanh"},
    "train.activation.sigmoid": {"en": "sigmoid", "zh": "Sigmoid"},
    "train.schedule.constant": {"en": "constant", "zh": "恒定"},
    "train.schedule.onecycle": {"en": "onecycle", "zh": "单周期"},
    "train.schedule.cosine": {"en": "cosine", "zh": "余弦"},
    "train.augment.off": {"en": "off", "zh": "关"},
    "train.augment.light": {"en": "light", "zh": "轻"},
    "train.augment.strong": {"en": "strong", "zh": "强"},
    "status.waiting_slot": {
        "en": "Waiting for a training slot…",
        "zh": "正在等待训练名额…",
    },
    "status.waiting": {
        "en": "Waiting for the trainer…",
        "zh": "正在等待训练程序…",
    },
    "status.starting": {
        "en": "Starting…",
        "zh": "正在开始…",
    },
    "status.stopped_early": {
        "en": "Stopped before it started.",
        "zh": "训练开始前已停止。",
    },
    "status.loading": {
        "en": "Loading MNIST (downloads about 11 MB on first use)…",
        "zh": "正在加载 MNIST（首次使用时需下载约 11 MB）…",
    },
    "status.starting_on": {
        "en": "Starting on {device}: {label}…",
        "zh": "正在 {device} 上开始：{label}…",
    },
    "status.progress": {
        "en": (
            "Epoch {epoch:.2f}/{epochs} · step {step}/{total} · {rate:,.0f} img/s · ~{left} s left "
            "· {device}"
        ),
        "zh": (
            "第 {epoch:.2f}/{epochs} 轮 · 第 {step}/{total} 步 · 每秒 {rate:,.0f} 张 · "
            "还需约 {left} 秒 · {device}"
        ),
    },
    "status.stopping": {
        "en": "Stopping… {progress}",
        "zh": "正在停止… {progress}",
    },
    "status.finished": {
        "en": (
            "Finished after {epochs:g} epochs ({steps} steps, {seconds:.1f} s on {device}): test "
            "accuracy {accuracy:.2%}. The model is now in the Draw tab's picker."
        ),
        "zh": (
            "训练完成：{epochs:g} 轮（{steps} 步，在 {device} 上用时 {seconds:.1f} 秒），"
            "测试准确率 {accuracy:.2%}。这个模型已加入“手写”页的模型列表。"
        ),
    },
    "status.stopped": {
        "en": (
            "Stopped after {epochs:g} epochs ({steps} steps, {seconds:.1f} s on {device}): test "
            "accuracy {accuracy:.2%}. The model is now in the Draw tab's picker."
        ),
        "zh": (
            "训练已停止：{epochs:g} 轮（{steps} 步，在 {device} 上用时 {seconds:.1f} 秒），"
            "测试准确率 {accuracy:.2%}。这个模型已加入“手写”页的模型列表。"
        ),
    },
    "status.chance": {
        "en": "{finished} That is chance (guessing gets 10%): the model learned nothing. {cause}",
        "zh": "{finished} 这只是瞎猜的水平（随便猜也有 10%）：模型什么也没学到。{cause}",
    },
    "status.cause_lr_high": {
        "en": "The learning rate {lr:g} is likely too high for {optimizer}: try {suggested:g}.",
        "zh": "学习率 {lr:g} 对 {optimizer} 来说可能太高了：试试 {suggested:g}。",
    },
    "status.cause_lr_low": {
        "en": "The learning rate {lr:g} is likely too low for {optimizer}: try {suggested:g}.",
        "zh": "学习率 {lr:g} 对 {optimizer} 来说可能太低了：试试 {suggested:g}。",
    },
    "status.cause_few_steps": {
        "en": "It took only {steps} steps: train on more images or for more epochs.",
        "zh": "它只训练了 {steps} 步：用更多图片或多训练几轮。",
    },
    "status.cause_unknown": {
        "en": "Look at the changes made while it ran, and at the loss curve.",
        "zh": "看看训练中途改过的设置，以及损失曲线。",
    },
    "status.paused": {
        "en": "Paused at epoch {epoch:.2f}: press Resume, or Stop to keep the model as it is. "
        "A run paused for {minutes} minutes ends by itself.",
        "zh": "已在第 {epoch:.2f} 轮暂停：点击“继续”接着训练，或点击“停止”保留现在的模型。"
        "暂停超过 {minutes} 分钟会自动结束。",
    },
    "status.diverged": {
        "en": "The learning rate {lr:g} is too high for {optimizer} here: the loss exploded at "
        "epoch {epoch:.1f}; try {suggested:g}. The model is kept, marked diverged.",
        "zh": "学习率 {lr:g} 对这里的 {optimizer} 来说太高了：损失在第 {epoch:.1f} 轮爆炸；"
        "试试 {suggested:g}。模型已保留，并标为“发散”。",
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
    # Settings, as named in messages.
    "field.subset": {
        "en": "training-set size",
        "zh": "训练图片数",
    },
    "field.augment": {
        "en": "augmentation",
        "zh": "数据增强",
    },
    "field.epochs": {
        "en": "epochs",
        "zh": "训练轮数",
    },
    "field.batch_size": {
        "en": "batch size",
        "zh": "批大小",
    },
    "field.seed": {
        "en": "seed",
        "zh": "随机种子",
    },
    "field.dropout": {
        "en": "dropout",
        "zh": "Dropout 丢弃率",
    },
    "field.label_smoothing": {
        "en": "label smoothing",
        "zh": "标签平滑",
    },
    "field.momentum": {
        "en": "momentum",
        "zh": "动量",
    },
    "field.weight_decay": {
        "en": "weight decay",
        "zh": "权重衰减",
    },
    "field.hidden": {
        "en": "MLP hidden sizes",
        "zh": "MLP 隐藏层大小",
    },
    "field.channels": {
        "en": "CNN channels",
        "zh": "CNN 通道数",
    },
    "field.patch": {
        "en": "CNN patch size",
        "zh": "CNN 像素块大小",
    },
    "field.dense": {
        "en": "CNN dense layers",
        "zh": "CNN 全连接层",
    },
    "field.lr": {
        "en": "learning rate",
        "zh": "学习率",
    },
    "field.model": {
        "en": "model",
        "zh": "模型",
    },
    "field.activation": {
        "en": "activation",
        "zh": "激活函数",
    },
    "field.optimizer": {
        "en": "optimizer",
        "zh": "优化器",
    },
    "field.schedule": {
        "en": "LR schedule",
        "zh": "学习率调度",
    },
    # Settings errors (digitlab/config.py and digitlab/sessions.py).
    "config.lr_range": {
        "en": "learning rate: type a number from 0.0001 to 10, e.g. 0.02.",
        "zh": "学习率：请输入 0.0001 到 10 之间的数，例如 0.02。",
    },
    "config.not_whole": {
        "en": "{field}: {value!r} is not a whole number.",
        "zh": "{field}：{value!r} 不是整数。",
    },
    "config.too_large": {
        "en": "{field}: {value:.3g} is far too large.",
        "zh": "{field}：{value:.3g} 太大了。",
    },
    "config.not_number": {
        "en": "{field}: {value!r} is not a number.",
        "zh": "{field}：{value!r} 不是数字。",
    },
    "config.sizes_format": {
        "en": "{field}: write whole numbers separated by commas, e.g. 64, 32.",
        "zh": "{field}：请写用逗号分隔的整数，例如 64, 32。",
    },
    "config.sizes_huge": {
        "en": "{field}: sizes are far too large (at most a few thousand).",
        "zh": "{field}：数值太大了（最多几千）。",
    },
    "config.sizes_empty": {
        "en": "{field}: give at least one size.",
        "zh": "{field}：至少要填一个数。",
    },
    "config.sizes_range": {
        "en": "{field}: every size must be a whole number from 1 to {top}.",
        "zh": "{field}：每个数都必须是 1 到 {top} 之间的整数。",
    },
    "config.too_many_stages": {
        "en": "CNN channels: at most {limit} conv stages fit a 28x28 image (e.g. 16, 32).",
        "zh": "CNN 通道数：28x28 的图像最多只能放 {limit} 个卷积层（例如 16, 32）。",
    },
    "config.dense_too_deep": {
        "en": "CNN dense layers: {layers} layers is too many; at most {limit}.",
        "zh": "CNN 全连接层：{layers} 层太多了，最多 {limit} 层。",
    },
    "config.too_deep": {
        "en": "MLP hidden sizes: {layers} layers is too deep; at most {limit} hidden layers.",
        "zh": "MLP 隐藏层大小：{layers} 层太深了，最多 {limit} 个隐藏层。",
    },
    "config.too_many_parameters": {
        "en": (
            "the model would have {n:,} parameters, more than the {limit:,} allowed: use fewer "
            "or smaller layers."
        ),
        "zh": "这个模型会有 {n:,} 个参数，超过允许的 {limit:,} 个：请减少层数或减小每层的大小。",
    },
    "config.choice": {
        "en": "{field}: {value!r} is not one of {allowed}.",
        "zh": "{field}：{value!r} 不在可选项 {allowed} 之中。",
    },
    "config.integer": {
        "en": "{field}: {value!r} must be a whole number from {lo} to {hi}.",
        "zh": "{field}：{value!r} 必须是 {lo} 到 {hi} 之间的整数。",
    },
    "config.number": {
        "en": "{field}: {value!r} must be a number {lo_txt} and {hi_txt}.",
        "zh": "{field}：{value!r} 必须是{lo_txt}且{hi_txt}的数。",
    },
    "config.gt": {
        "en": "greater than {x:g}",
        "zh": "大于 {x:g}",
    },
    "config.ge": {
        "en": "at least {x:g}",
        "zh": "不小于 {x:g}",
    },
    "config.lt": {
        "en": "below {x:g}",
        "zh": "小于 {x:g}",
    },
    "config.le": {
        "en": "at most {x:g}",
        "zh": "不大于 {x:g}",
    },
    "config.unknown": {
        "en": "unknown setting(s): {names}",
        "zh": "未知的设置：{names}",
    },
    "config.batch_too_big": {
        "en": (
            "batch size {batch} is larger than the training set ({images} images): lower it or "
            "train on more images."
        ),
        "zh": "批大小 {batch} 比训练集（{images} 张图片）还大：请减小批大小，或使用更多训练图片。",
    },
    "config.no_cuda": {
        "en": "device 'cuda' was asked for, but no CUDA GPU is here: use 'auto'.",
        "zh": "指定了 'cuda' 设备，但这里没有 CUDA GPU：请使用 'auto'。",
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
    # Images sent to the app (digitlab/safety.py).
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
    "image.too_many_layers": {
        "en": "the canvas has {layers} layers, more than the {limit} allowed: send one drawing.",
        "zh": "画布有 {layers} 层，超过允许的 {limit} 层：请只发送一幅画。",
    },
    "image.busy": {
        "en": "the server is busy decoding other images: try again in a moment.",
        "zh": "服务器正忙于解码其他图像：请稍后再试。",
    },
    # Checkpoint files (digitlab/checkpoint.py).
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
    # Inside tab.
    "inside.intro": {
        "en": (
            "What the model picked in the **Draw** tab does with your drawing. Draw there; this "
            "tab follows every stroke."
        ),
        "zh": "在 **手写** 页选中的模型如何处理你写的数字。请在那一页书写，本页会跟随每一笔更新。",
    },
    "inside.preprocessing": {
        "en": "Preprocessing (crop, scale to 20 px, centre)",
        "zh": "预处理（裁剪、缩放到 20 像素、居中）",
    },
    "inside.preprocessing_info": {
        "en": "Off: the whole canvas squashed to 28x28. Watch the prediction change.",
        "zh": "关闭时：整张画布直接压缩成 28x28。看看预测会怎样变化。",
    },
    "inside.empty": {
        "en": "Draw a digit in the Draw tab to look inside the model.",
        "zh": "请先在“手写”页写一个数字，再来看模型内部。",
    },
    "inside.strip": {
        "en": "Preprocessing, step by step",
        "zh": "预处理的每一步",
    },
    "inside.saliency": {
        "en": "Saliency: red = pixels that change the answer most",
        "zh": "显著性图：红色 = 对答案影响最大的像素",
    },
    "inside.weights": {
        "en": "First layer, up to 32: MLP units (28x28) or CNN filters (3x3); red +, blue -",
        "zh": "第一层（最多 32 个）：MLP 神经元（28x28）或 CNN 卷积核（3x3）；红色为正，蓝色为负",
    },
    "inside.maps": {
        "en": "CNN feature maps after the first conv stage (bright = strong response)",
        "zh": "第一层卷积后的 CNN 特征图（越亮 = 响应越强）",
    },
    "inside.reads": {
        "en": "**{model}** reads **{digit}** ({confidence:.0%} sure), {mode}.",
        "zh": "**{model}** 认为是 **{digit}**（把握 {confidence:.0%}），{mode}。",
    },
    "inside.with": {
        "en": "with preprocessing",
        "zh": "使用了预处理",
    },
    "inside.without": {
        "en": "preprocessing OFF (plain resize)",
        "zh": "预处理已关闭（直接缩放）",
    },
    "inside.unit": {
        "en": "unit {i}",
        "zh": "神经元 {i}",
    },
    "inside.filter": {
        "en": "filter {i}",
        "zh": "卷积核 {i}",
    },
    "inside.map": {
        "en": "map {i}",
        "zh": "特征图 {i}",
    },
    "strip.ink": {
        "en": "1 · canvas",
        "zh": "1 · 画布",
    },
    "strip.cropped": {
        "en": "2 · cropped to the ink",
        "zh": "2 · 裁剪到笔迹范围",
    },
    "strip.scaled": {
        "en": "3 · longer side to 20 px",
        "zh": "3 · 长边缩放到 20 像素",
    },
    "strip.centred": {
        "en": "4 · centred in 28x28",
        "zh": "4 · 在 28x28 中居中（模型的输入）",
    },
    "strip.plain": {
        "en": "2 · whole canvas to 28x28",
        "zh": "2 · 整个画布缩到 28x28",
    },
    # Evaluate tab.
    "eval.model_info": {
        "en": "Shipped models, then your runs.",
        "zh": "预训练模型，然后是你训练的模型。",
    },
    "eval.button": {
        "en": "Evaluate on the 10,000 test digits",
        "zh": "在 10,000 个测试数字上评估",
    },
    "eval.idle": {
        "en": "Pick a model and press Evaluate.",
        "zh": "选择一个模型，然后点击“评估”。",
    },
    "eval.confusion": {
        "en": "Confusion matrix (rows: true digit, columns: predicted)",
        "zh": "混淆矩阵（行：真实数字，列：预测数字）",
    },
    "eval.per_digit": {
        "en": "Per-digit accuracy",
        "zh": "每个数字的准确率",
    },
    "eval.mistakes": {
        "en": "Test digits it gets wrong, most confident first",
        "zh": "模型认错的测试数字（最有把握的错误排在前面）",
    },
    "eval.summary": {
        "en": (
            "**{model}**: test accuracy **{accuracy:.2%}** on {total:,} test digits ({wrong} "
            "wrong). Mistakes below: most confident first."
        ),
        "zh": (
            "**{model}**：在 {total:,} 个测试数字上的准确率为 **{accuracy:.2%}**"
            "（认错 {wrong} 个）。下面是认错的数字，最有把握的错误排在前面。"
        ),
    },
    "eval.mistake": {
        "en": "true {true} → predicted {predicted} ({confidence:.0%})",
        "zh": "真实 {true} → 预测 {predicted}（{confidence:.0%}）",
    },
    "col.digit": {
        "en": "digit",
        "zh": "数字",
    },
    "col.accuracy": {
        "en": "accuracy %",
        "zh": "准确率 %",
    },
    "col.count": {
        "en": "test digits",
        "zh": "测试数字个数",
    },
    "col.confused": {
        "en": "most confused with",
        "zh": "最常被认成",
    },
    # Lesson presets (digitlab/presets.py).
    "preset.lr_high": {
        "en": "Learning rate: too high",
        "zh": "学习率：太大",
    },
    "preset.lr_high.lesson": {
        "en": (
            "lr 3.2 with SGD + momentum: each step overshoots further than the last, the loss "
            "explodes within a fifth of an epoch, and the run ends with what to try instead."
        ),
        "zh": (
            "学习率 3.2、带动量的 SGD：每一步都比上一步冲得更远，损失在五分之一轮内爆炸，"
            "训练随即结束，并告诉你该试什么。"
        ),
    },
    "preset.lr_low": {
        "en": "Learning rate: too low",
        "zh": "学习率：太小",
    },
    "preset.lr_low.lesson": {
        "en": (
            "lr 0.0001 with plain SGD: every step is tiny, so after two epochs the loss has barely "
            "moved: the model crawls."
        ),
        "zh": "学习率 0.0001、普通 SGD：每一步都很小，两轮之后损失几乎没动：模型学得像蜗牛一样慢。",
    },
    "preset.lr_good": {
        "en": "Learning rate: a good one",
        "zh": "学习率：合适",
    },
    "preset.lr_good.lesson": {
        "en": (
            "lr 0.05 with SGD + momentum: the loss falls fast and smoothly, ~95% test accuracy in "
            "two epochs."
        ),
        "zh": "学习率 0.05、带动量的 SGD：损失下降得又快又平稳，两轮后测试准确率约 95%。",
    },
    "preset.tiny": {
        "en": "Tiny training set: overfits",
        "zh": "训练集太小：过拟合",
    },
    "preset.tiny.lesson": {
        "en": (
            "300 images, 20 epochs: the model memorises them (training loss near 0) while test "
            "accuracy stalls far below a model trained on more data."
        ),
        "zh": (
            "300 张图片、20 轮：模型把它们背了下来（训练损失接近 0），"
            "而测试准确率远低于用更多数据训练的模型。"
        ),
    },
    "preset.budget_mlp": {
        "en": "Same budget: MLP",
        "zh": "同样的预算：MLP",
    },
    "preset.budget_mlp.lesson": {
        "en": "3,000 images, 2 epochs, MLP 128: compare its test accuracy with the CNN preset's.",
        "zh": "3,000 张图片、2 轮、MLP 128：把它的测试准确率和 CNN 示例比一比。",
    },
    "preset.budget_cnn": {
        "en": "Same budget: CNN",
        "zh": "同样的预算：CNN",
    },
    "preset.budget_cnn.lesson": {
        "en": (
            "Same images, epochs and optimizer as the MLP preset, but convolutions that share "
            "weights across the image: higher test accuracy from the same data."
        ),
        "zh": (
            "图片、轮数和优化器都和 MLP 示例相同，但卷积在整张图上共享权重："
            "同样的数据，更高的测试准确率。"
        ),
    },
    "preset.sigmoid": {
        "en": "Activation: sigmoid",
        "zh": "激活函数：sigmoid",
    },
    "preset.sigmoid.lesson": {
        "en": (
            "A 3-layer MLP with sigmoid and plain SGD: gradients shrink through each sigmoid; "
            "after two epochs it is still near chance (10%). Compare with the ReLU preset."
        ),
        "zh": (
            "3 层 MLP、sigmoid、普通 SGD：梯度每经过一个 sigmoid 就变小；"
            "两轮后仍接近随机猜测（10%）。和 ReLU 示例比一比。"
        ),
    },
    "preset.why_cnn": {
        "en": "Move your drawing: layers or data?",
        "zh": "移动你的数字：靠结构还是靠数据？",
    },
    "preset.why_cnn.lesson": {
        "en": (
            "Train, then in Robustness & map move the digit 6 px: the shipped CNN still reads 94% "
            "of such digits, the MLP 56%, this run 28%: it never saw a moved digit."
        ),
        "zh": (
            "训练后在“稳健性与地图”里把数字移开 6 像素：预训练 CNN 仍认对 94%，MLP 56%，"
            "这次训练的只有 28%：它从没见过移动过的数字。"
        ),
    },
    "preset.confident_wrong": {
        "en": "Confident but wrong",
        "zh": "很有把握，却认错了",
    },
    "preset.confident_wrong.lesson": {
        "en": (
            "300 images: it gets 1 digit in 6 wrong yet is 94% sure on average; Evaluate's "
            "reliability diagram shows the gap, Draw's 'not sure' slider catches some."
        ),
        "zh": (
            "300 张图片：每 6 个数字错 1 个，平均却有 94% 的把握；“评估”里的可靠性图显示这个差距，"
            "“手写”页的“不确定”滑块能拦下一部分。"
        ),
    },
    "preset.teach_handwriting": {
        "en": "Teach it our handwriting",
        "zh": "教它认我们的字",
    },
    "preset.teach_handwriting.lesson": {
        "en": (
            "Train this CNN, then in Teach it everyone adds a few of their own digits with the "
            "class code; fine-tune it and compare before and after on your drawings."
        ),
        "zh": (
            "训练这个 CNN，然后在“教它认字”里每人用班级代码加几个自己写的数字；"
            "微调后比较它在你们的字上的前后准确率。"
        ),
    },
    "preset.relu": {
        "en": "Activation: ReLU",
        "zh": "激活函数：ReLU",
    },
    "preset.relu.lesson": {
        "en": (
            "The same network and SGD with ReLU: gradients pass through, and it reaches ~92% in "
            "the same two epochs."
        ),
        "zh": "同样的网络和 SGD，换成 ReLU：梯度可以顺利传下去，同样两轮就能达到约 92%。",
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
    # Train tab: the augmentation levels (settings.py's "augment" radio).
    "train.augment_info": {
        "en": (
            "off: the digits as scanned. light: small turns, sizes, shifts and stroke widths. "
            "strong: also slant, stretch, bent strokes and thick finger lines, as people draw."
        ),
        "zh": (
            "off：原样的扫描数字。light：轻微旋转、缩放、平移和笔画粗细变化。"
            "strong：再加上倾斜、拉伸、弯曲的笔画和手指画出的粗线条，更像人们真实的书写。"
        ),
    },
}

# The teaching tools' texts live beside their features; every key is in STRINGS all the same.
from digitlab import strings_look, strings_pen, strings_teach, strings_trust  # noqa: E402

for _part in (strings_trust, strings_look, strings_teach, strings_pen):
    assert not STRINGS.keys() & _part.STRINGS.keys(), "a text key is defined twice"
    STRINGS.update(_part.STRINGS)
