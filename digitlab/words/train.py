"""The Train tab: the run's buttons, status lines, charts and the runs table.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
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
    "train.accuracy": {  # trainer.TRAINING_EVAL_SIZE while it trains, every test image at the end
        "en": "Test accuracy (2,000 images; last point: all 10,000)",
        "zh": "测试准确率（2,000 张；最后一点：全部 10,000 张）",
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
    "train.downloads_button": {
        "en": "Get the checkpoints",
        "zh": "获取模型文件",
    },
    "msg.uploads_full": {
        "en": "The server's space for uploads is full for now: try again in a few minutes.",
        "zh": "服务器的上传空间暂时已满：请过几分钟再试。",
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
    # Train tab: the runs table's notes and short setting names (digitlab/ui/run_table.py).
    "runs.change": {
        "en": "{name} {old} → {new} at {epoch:.1f}",
        "zh": "{name} {old} → {new}（第 {epoch:.1f} 轮）",
    },
    "runs.collapse": {
        "en": "⚠ accuracy fell {before:.0%} → {after:.0%} after {changes}",
        "zh": "⚠ 改为 {changes} 后，准确率从 {before:.0%} 跌到 {after:.0%}",
    },
    "runs.short.lr": {"en": "lr", "zh": "学习率"},
    "runs.short.momentum": {"en": "momentum", "zh": "动量"},
    "runs.short.weight_decay": {"en": "wd", "zh": "权重衰减"},
    "runs.short.dropout": {"en": "dropout", "zh": "丢弃率"},
    "runs.short.augment": {"en": "aug", "zh": "增强"},
    "runs.short.schedule": {"en": "schedule", "zh": "学习率计划"},
    "runs.short.label_smoothing": {"en": "smooth", "zh": "标签平滑"},
    "runs.short.epochs": {"en": "epochs", "zh": "轮数"},
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
    "line.place_label": {
        "en": "Place in the training line",
        "zh": "训练队列中的位置",
    },
    "line.counts_label": {
        "en": "Runs training and waiting",
        "zh": "正在训练和等待的训练",
    },
    "train.changes_label": {
        "en": "Changes made during the run",
        "zh": "训练中改动的设置",
    },
    "train.probe_line_label": {
        "en": "What the model makes of your drawing",
        "zh": "模型如何看你的数字",
    },
    "line.place": {
        "en": "You are number {place} in line: your run should start in about {when}.",
        "zh": "你在队列中排第 {place} 位：大约 {when}后开始训练。",
    },
    "line.next": {
        "en": "Your run is next: it should start in about {when}.",
        "zh": "下一个就是你：大约 {when}后开始训练。",
    },
    "line.seconds": {
        "en": "{n} s",
        "zh": "{n} 秒",
    },
    "line.minutes": {
        "en": "{n} min",
        "zh": "{n} 分钟",
    },
    "line.counts": {
        "en": "Training now: {training} · waiting in line: {waiting}",
        "zh": "正在训练：{training} 个 · 排队等待：{waiting} 个",
    },
    "line.full": {
        "en": (
            "The training line is full ({n} runs waiting). Try again in a minute, or try the "
            '"Class round" preset: its runs take about two seconds.'
        ),
        "zh": (
            "训练队列已满（{n} 个在等待）。请一分钟后再试，或选用“全班一轮”预设：每次训练约两秒。"
        ),
    },
    "line.left": {
        "en": "Stopped before it started: your run left the line.",
        "zh": "训练开始前已停止：你的训练已离开队列。",
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
    "status.stopped_sample": {
        "en": (
            "Stopped after {epochs:g} epochs ({steps} steps, {seconds:.1f} s on {device}): test "
            "accuracy {accuracy:.2%} on a quick check of {images:,} of the {total:,} test images "
            "(train on to measure all of them). The model is now in the Draw tab's picker."
        ),
        "zh": (
            "训练已停止：{epochs:g} 轮（{steps} 步，在 {device} 上用时 {seconds:.1f} 秒），"
            "在 {total:,} 张测试图片中快速抽查了 {images:,} 张，准确率 {accuracy:.2%}"
            "（接着训练即可在全部测试图片上测量）。这个模型已加入“手写”页的模型列表。"
        ),
    },
    "status.time_limit": {
        "en": (
            "{stopped} The run reached the {minutes:g}-minute limit a run may take (training, "
            "evaluations and pauses together), so that others can train: “Train on” continues "
            "it after whoever is waiting."
        ),
        "zh": (
            "{stopped} 这次训练已达到每次训练最多 {minutes:g} 分钟的上限（训练、评估和暂停合计），"
            "以便其他人也能训练：点击“接着训练”可在排队的人之后继续。"
        ),
    },
    "status.pause_spent": {
        "en": (
            "{stopped} It was paused for {minutes:g} minutes in all, the most a run may be "
            "paused, so that others can train: “Train on” continues it."
        ),
        "zh": (
            "{stopped} 它累计暂停了 {minutes:g} 分钟，已达到每次训练允许的暂停上限，"
            "以便其他人也能训练：点击“接着训练”可以继续。"
        ),
    },
    "msg.one_run": {
        "en": (
            "This session already has a run waiting or training: one at a time, so the class "
            "shares the training slot. Wait for it to end, or press Stop."
        ),
        "zh": (
            "本会话已有一个训练在排队或进行中：每次只能一个，大家共用训练名额。"
            "请等它结束，或点击“停止”。"
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
        "A run's pauses may add up to {minutes} minutes; then it ends by itself.",
        "zh": "已在第 {epoch:.2f} 轮暂停：点击“继续”接着训练，或点击“停止”保留现在的模型。"
        "一次训练的暂停累计超过 {minutes} 分钟会自动结束。",
    },
    "status.diverged": {
        "en": "The learning rate {lr:g} is too high for {optimizer} here: the loss exploded at "
        "epoch {epoch:.1f}; try {suggested:g}. The model is kept, marked diverged.",
        "zh": "学习率 {lr:g} 对这里的 {optimizer} 来说太高了：损失在第 {epoch:.1f} 轮爆炸；"
        "试试 {suggested:g}。模型已保留，并标为“发散”。",
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
    # Train tab: the training-data setting (settings.py's "train_data" radio).
    "train.train_data": {
        "en": "Training data",
        "zh": "训练数据",
    },
    "train.train_data_info": {
        "en": (
            "Pen digits: ~10,000 digits that 20 people wrote on a tablet, drawn with the app's "
            "brush. The Evaluate tab judges on 10 other people."
        ),
        "zh": "笔写数字：20 个人在手写板上写的约 10,000 个数字，用本应用的画笔画出。"
        "“评估”页用另外 10 个人的数字来检验。",
    },
    "train.train_data.mnist": {
        "en": "MNIST only",
        "zh": "仅 MNIST",
    },
    "train.train_data.mnist+pen": {
        "en": "MNIST + pen digits (20 more writers)",
        "zh": "MNIST + 笔写数字（另外 20 位书写者）",
    },
    "status.drawing_pen": {
        "en": "Drawing the pen digits of writers 1-20 (the first time only: about 10 s)…",
        "zh": "正在画出第 1-20 位书写者的笔写数字（仅第一次需要，约 10 秒）…",
    },
}
