"""The Train tab's settings: their names, the errors a bad value gets, the lesson presets and a
run's short name.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
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
    # Settings errors (digitlab/config.py and digitlab/ui/sessions.py).
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
    "config.step_too_big": {
        "en": (
            "one training step would take {gmacs:.1f} billion multiply-adds ({mmacs:.1f} million "
            "per image x batch size {batch}), more than the {limit:g} billion allowed, so Stop "
            "could not answer within a second: lower the batch size to {fits} or less, or use "
            "fewer or narrower layers (or 2x2 patches)."
        ),
        "zh": (
            "一个训练步骤需要 {gmacs:.1f} 十亿次乘加"
            "（每张图 {mmacs:.1f} 百万次 x 批大小 {batch}），"
            "超过允许的 {limit:g} 十亿次，“停止”将无法在一秒内生效：请把批大小降到 {fits} 或更小，"
            "或减少层数、减小每层的宽度（或使用 2x2 像素块）。"
        ),
    },
    "config.epochs_left": {
        "en": (
            "epochs: {epochs!r} more would make {total} in all, more than the {limit} a run may "
            "have: this run ({done} epochs so far) can train at most {left} more."
        ),
        "zh": (
            "轮数：再训练 {epochs!r} 轮将共计 {total} 轮，超过一次训练允许的 {limit} 轮："
            "这次训练（目前 {done} 轮）最多还能再训练 {left} 轮。"
        ),
    },
    "config.epochs_spent": {
        "en": (
            "epochs: this run has trained {done} epochs, the most a run may have ({limit}): "
            "start a new run instead."
        ),
        "zh": (
            "轮数：这次训练已经训练了 {done} 轮，达到一次训练的上限（{limit} 轮）：请开始新的训练。"
        ),
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
    # Lesson presets (digitlab/ui/presets.py).
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
    "preset.class_round": {
        "en": "Class round: everyone trains at once",
        "zh": "全班一轮：大家同时训练",
    },
    "preset.class_round.lesson": {
        "en": (
            "The default CNN for one epoch: about 98.7% in a second or two, so thirty "
            "students' runs, one after another, are done in about a minute. Change the "
            "learning rate and compare."
        ),
        "zh": (
            "默认 CNN 只训练一轮：一两秒达到约 98.7%，三十位同学的训练依次完成大约一分钟。"
            "改改学习率，比一比。"
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
    "field.train_data": {
        "en": "training data",
        "zh": "训练数据",
    },
}
