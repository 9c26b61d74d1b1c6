"""The Teach it tab: the class's own handwriting, its sets and fine-tuning.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "teach.tuned": {
        "en": "{kind} taught {n} drawings",
        "zh": "学过 {n} 幅手写的 {kind}",
    },
    "teach.intro": {
        "en": (
            "### Teach it your handwriting\nDraw a digit in the **Draw** tab and say which digit "
            'it is there ("This is a", under the canvas) or here. Collect your drawings (or '
            "your class's, with a class code: the class's set shows each drawing as it comes), "
            "then fine-tune a model on MNIST plus them and see whether it reads your handwriting "
            "better, without forgetting MNIST."
        ),
        "zh": (
            "### 教模型认你的字\n先在 **手写** 页写一个数字，再在那里（画布下的“这是”）或这里"
            "告诉模型它是几。收集你的手写（有班级码时也收集全班的：全班的手写一到就会显示），"
            "然后用 MNIST 加上这些手写微调一个模型，"
            "看看它是否更认得你们的字，同时没有忘掉 MNIST。"
        ),
    },
    "teach.code": {
        "en": "Class code",
        "zh": "班级码",
    },
    "teach.code_info": {
        "en": (
            "The teacher makes one and shares it; with it your drawings also go to the class's "
            "set, which only people with the code see."
        ),
        "zh": "由老师生成并告诉全班；输入后你的手写也会加入班级数据集，只有知道班级码的人能看到。",
    },
    "teach.join": {
        "en": "Join class",
        "zh": "加入班级",
    },
    "teach.new_code": {
        "en": "New class code (teacher)",
        "zh": "生成班级码（老师）",
    },
    "teach.no_class": {
        "en": "No class: your drawings stay in this browser tab only.",
        "zh": "未加入班级：你的手写只保存在这个浏览器页面里。",
    },
    "teach.no_such_class": {
        "en": "No class has the code “{code}” (or it expired): check it with your teacher.",
        "zh": "没有班级使用班级码“{code}”（或已过期）：请向老师核对。",
    },
    "teach.in_class": {
        "en": (
            "Class **{code}**: {n} drawings. Share the code only with your class; the set is "
            "deleted {hours} hours after its last use."
        ),
        "zh": (
            "班级 **{code}**：共 {n} 幅手写。只把班级码告诉本班同学；"
            "数据集在最后一次使用 {hours} 小时后删除。"
        ),
    },
    "teach.class_gone": {
        "en": "The class code “{code}” has expired: ask your teacher for a new one.",
        "zh": "班级码“{code}”已过期：请向老师要一个新的。",
    },
    "teach.label_hint": {
        "en": "**The drawing in the Draw tab is a…**",
        "zh": "**手写页上的这个数字是…**",
    },
    "teach.add_hint": {
        "en": "Draw a digit in the Draw tab, then press its number here to add it to your set.",
        "zh": "先在手写页写一个数字，再在这里按对应的数字，把它加入你的数据集。",
    },
    "teach.draw_first": {
        "en": "Nothing is drawn on the Draw tab's canvas: draw a digit there first.",
        "zh": "手写页的画布上还没有数字：请先在那里写一个。",
    },
    "teach.bad_canvas": {
        "en": "The drawing could not be read: {error}",
        "zh": "无法读取这幅手写：{error}",
    },
    "teach.added": {
        "en": "Added a {digit}. Your set: {n} drawings.",
        "zh": "已加入一个 {digit}。你的数据集：{n} 幅。",
    },
    # The class's count is in the line above, kept current: none here to go stale.
    "teach.added_class": {
        "en": "Added a {digit} to your set ({n} drawings) and to class {code}'s.",
        "zh": "已把一个 {digit} 加入你的数据集（{n} 幅）和班级 {code} 的数据集。",
    },
    "teach.mine": {
        "en": "My drawings",
        "zh": "我的手写",
    },
    "teach.class_set": {
        "en": "The class's drawings",
        "zh": "全班的手写",
    },
    "teach.total": {
        "en": "all",
        "zh": "合计",
    },
    "teach.gallery": {
        "en": "Newest first (click one, then Remove)",
        "zh": "最新的在前（点一幅再按“删除”）",
    },
    "teach.remove": {
        "en": "Remove",
        "zh": "删除",
    },
    "teach.picked": {
        "en": "Picked a {digit}: press Remove to take it out of the set.",
        "zh": "已选中一个 {digit}：按“删除”把它移出数据集。",
    },
    "teach.pick_first": {
        "en": "Click a drawing in the gallery first, then Remove.",
        "zh": "请先在图库里点一幅手写，再按“删除”。",
    },
    "teach.removed": {
        "en": "Removed. {n} drawings left in this set.",
        "zh": "已删除。这个数据集还剩 {n} 幅。",
    },
    "teach.not_yours": {
        "en": "Only the student who added this drawing (or the teacher) can remove it.",
        "zh": "只有加入这幅手写的同学（或老师）才能删除它。",
    },
    "teach.download": {
        "en": "Download set (zip)",
        "zh": "下载数据集（zip）",
    },
    "teach.zip": {
        "en": "The set: a 28x28 PNG per drawing and labels.csv",
        "zh": "数据集：每幅手写一个 28x28 PNG，外加 labels.csv",
    },
    "teach.empty_set": {
        "en": "This set has no drawings yet.",
        "zh": "这个数据集还没有手写。",
    },
    "teach.downloaded": {
        "en": "{n} drawings are in the zip below.",
        "zh": "下面的 zip 里有 {n} 幅手写。",
    },
    "teach.upload": {
        "en": "Upload set (zip)",
        "zh": "上传数据集（zip）",
    },
    "teach.upload_failed": {
        "en": "Upload refused: {error}",
        "zh": "上传被拒绝：{error}",
    },
    "teach.uploaded": {
        "en": "Added {n} drawings from the zip to your set.{skipped}",
        "zh": "已从 zip 把 {n} 幅手写加入你的数据集。{skipped}",
    },
    "teach.uploaded_class": {
        "en": "Added {n} drawings from the zip to class {code}'s set.{skipped}",
        "zh": "已从 zip 把 {n} 幅手写加入班级 {code} 的数据集。{skipped}",
    },
    "teach.did_not_fit": {
        "en": " {n} did not fit: the set holds at most {limit:,} drawings.",
        "zh": "{n} 幅未加入：数据集最多 {limit:,} 幅。",
    },
    "teach.added_class_only": {
        "en": (
            "Added a {digit} to class {code}'s set. Your own set is full ({limit:,} drawings): "
            "it was not added there."
        ),
        "zh": "已把一个 {digit} 加入班级 {code} 的数据集；你的数据集已满（{limit:,} 幅）。",
    },
    "teach.added_mine_only": {
        "en": (
            "Added a {digit} to your set ({n} drawings). Class {code}'s set is full "
            "({limit:,} drawings): it was not added there."
        ),
        "zh": (
            "已把一个 {digit} 加入你的数据集（{n} 幅）。班级 {code} 的数据集已满"
            "（{limit:,} 幅）：没有加入。"
        ),
    },
    "teach.tune_intro": {
        "en": (
            "### Fine-tune\nA short run from the model's weights on MNIST plus the drawings of "
            "the set shown, which make a fifth of what it sees. Of each digit's drawings the "
            "2nd, 6th, 10th… are held out, never trained on: the figure shows how well the model "
            "reads them before and after, and MNIST's test set, before and after."
        ),
        "zh": (
            "### 微调\n从模型现有的权重出发，用 MNIST 加上当前显示的数据集中的手写做一次短训练，"
            "手写约占它所见图像的五分之一。每个数字的第 2、6、10… 幅手写留作检验，从不用于训练："
            "图表显示模型在微调前后读这些手写的准确率，以及在 MNIST 测试集上的准确率。"
        ),
    },
    "teach.model": {
        "en": "Model to fine-tune (shipped, or one of your runs)",
        "zh": "要微调的模型（预训练的，或你训练的）",
    },
    "teach.tune": {
        "en": "Fine-tune on these drawings",
        "zh": "用这些手写微调",
    },
    "teach.stop": {
        "en": "Stop",
        "zh": "停止",
    },
    "teach.status": {
        "en": "Fine-tuning",
        "zh": "微调进度",
    },
    "teach.idle": {
        "en": "Add a few drawings, pick a model, then press Fine-tune.",
        "zh": "先加入几幅手写，选一个模型，再按“微调”。",
    },
    "teach.nothing_to_learn": {
        "en": "This set has no drawings to learn from yet: add some first.",
        "zh": "这个数据集还没有可以学习的手写：请先加入一些。",
    },
    "teach.measuring": {
        "en": "Measuring the model before fine-tuning…",
        "zh": "正在测量微调前的模型…",
    },
    "teach.stopping": {
        "en": "Stopping after the current step…",
        "zh": "当前这一步完成后停止…",
    },
    "teach.held_gallery": {
        "en": "The held-out drawings: digit: read before → after",
        "zh": "留作检验的手写：数字：微调前读成 → 微调后读成",
    },
    "teach.not_finished": {
        "en": "Fine-tuning stopped before the end: no new model.",
        "zh": "微调在完成前停止了：没有生成新模型。",
    },
    "teach.finished": {
        "en": (
            "Finished in {seconds:.1f} s: “{model}” is now in the Draw tab's picker (chosen "
            "there): draw to try it."
        ),
        "zh": (
            "用时 {seconds:.1f} 秒完成：“{model}”已加入手写页的模型列表并被选中，写个数字试试吧。"
        ),
    },
    "teach.figure": {
        "en": "Accuracy before and after fine-tuning",
        "zh": "微调前后的准确率",
    },
    "teach.measure": {
        "en": "measured on",
        "zh": "测量对象",
    },
    "teach.accuracy": {
        "en": "accuracy",
        "zh": "准确率",
    },
    "teach.when": {
        "en": "when",
        "zh": "时间",
    },
    "teach.on_drawings": {
        "en": "held-out drawings",
        "zh": "留作检验的手写",
    },
    "teach.on_mnist": {
        "en": "MNIST test",
        "zh": "MNIST 测试集",
    },
    "teach.before": {
        "en": "before",
        "zh": "微调前",
    },
    "teach.after": {
        "en": "after",
        "zh": "微调后",
    },
    "teach.held_line": {
        "en": "the {n} held-out drawings: {before:.0%} → **{after:.0%}**",
        "zh": "{n} 幅留作检验的手写：{before:.0%} → **{after:.0%}**",
    },
    "teach.no_held": {
        "en": "no held-out drawings yet (draw a digit at least twice)",
        "zh": "还没有留作检验的手写（同一个数字至少写两次）",
    },
    "teach.mnist_line": {
        "en": "MNIST test: {before:.2%} → **{after:.2%}**",
        "zh": "MNIST 测试集：{before:.2%} → **{after:.2%}**",
    },
    "teach.summary": {
        "en": "Trained on {trained} drawings.\n\n- {drawings}\n- {mnist}",
        "zh": "用 {trained} 幅手写训练。\n\n- {drawings}\n- {mnist}",
    },
    # digitlab/lab/handwriting.py: the sets, class codes and zips.
    "teach.not_a_drawing": {
        "en": "a drawing is a 28x28 image with a digit from 0 to 9.",
        "zh": "一幅手写应是 28x28 的图像，标签为 0 到 9 的数字。",
    },
    "teach.full": {
        "en": "This set is full ({limit:,} drawings): remove some before adding more.",
        "zh": "这个数据集已满（{limit:,} 幅）：请先删除一些再加入。",
    },
    "teach.too_many_classes": {
        "en": (
            "This server already holds {limit} class sets and all are in use: try again in "
            "{minutes} minutes (an empty set unused for {minutes} minutes gives way)."
        ),
        "zh": (
            "服务器上已有 {limit} 个班级数据集，都在使用中：请 {minutes} 分钟后再试"
            "（闲置 {minutes} 分钟的空数据集会让出位置）。"
        ),
    },
    "teach.codes_too_fast": {
        "en": (
            "This page made {n} class codes in the last {minutes} minutes: use one of them, "
            "or make a new one in {wait} minutes."
        ),
        "zh": "本页面 {minutes} 分钟内已生成 {n} 个班级码：请用其中一个，或 {wait} 分钟后再试。",
    },
    "teach.zip_too_big": {
        "en": "the zip is larger than {limit:,} bytes; a set of 2,000 drawings is about 1 MB.",
        "zh": "zip 文件超过 {limit:,} 字节；2,000 幅手写的数据集约 1 MB。",
    },
    "teach.not_a_zip": {
        "en": "this is not a zip file: upload a set downloaded from this tab.",
        "zh": "这不是 zip 文件：请上传从本页下载的数据集。",
    },
    "teach.zip_too_many": {
        "en": "the zip holds {n:,} files, more than a set of {limit:,} drawings: not opened.",
        "zh": "zip 里有 {n:,} 个文件，超过 {limit:,} 幅手写的数据集：未打开。",
    },
    "teach.too_many_rows": {
        "en": "labels.csv lists {n:,} drawings, more than a set of {limit:,}: not opened.",
        "zh": "labels.csv 列出了 {n:,} 幅手写，超过 {limit:,} 幅的数据集：未打开。",
    },
    "teach.no_labels": {
        "en": "the zip has no labels.csv: upload a set downloaded from this tab.",
        "zh": "zip 里没有 labels.csv：请上传从本页下载的数据集。",
    },
    "teach.bad_labels": {
        "en": "labels.csv row {row} is not “file,label” with a label from 0 to 9.",
        "zh": "labels.csv 第 {row} 行不是“文件名,标签”的形式，或标签不是 0 到 9。",
    },
    "teach.missing_file": {
        "en": "labels.csv names {name}, which is not in the zip.",
        "zh": "labels.csv 提到的 {name} 不在 zip 里。",
    },
    "teach.entry_too_big": {
        "en": "{name} unpacks to more than {limit:,} bytes, more than any drawing: not opened.",
        "zh": "{name} 解压后超过 {limit:,} 字节，比任何手写都大：未打开。",
    },
    "teach.bad_entry": {
        "en": "{name} in the zip is damaged: not opened.",
        "zh": "zip 里的 {name} 已损坏：未打开。",
    },
    "teach.wrong_size": {
        "en": "{name} is {size[0]}x{size[1]} pixels; a drawing in a set is 28x28.",
        "zh": "{name} 是 {size[0]}x{size[1]} 像素；数据集里的手写应为 28x28。",
    },
    "teach.not_png": {
        "en": "{name} is not a PNG image.",
        "zh": "{name} 不是 PNG 图像。",
    },
}
