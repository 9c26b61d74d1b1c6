"""The Robustness & map tab: the sliders, the robustness curves and the map.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "robust.intro": {
        "en": (
            "Turn, move, thicken or blur your drawing from the **Draw** tab, or add noise, and "
            "watch the model's answer follow. Which changes fool the MLP, and which the CNN?"
        ),
        "zh": (
            "把你在 **手写** 页写的数字旋转、平移、加粗、变模糊，或者加上噪声，"
            "看看模型的回答如何随之变化。哪些变化能骗过 MLP，哪些能骗过 CNN？"
        ),
    },
    "robust.model_info": {
        "en": "Shipped models and your kept runs; the sliders and the map use this model.",
        "zh": "预训练模型和你保留的训练结果；滑块和地图都使用这个模型。",
    },
    "robust.reset": {
        "en": "Undo all changes",
        "zh": "撤销所有变化",
    },
    "robust.angle": {
        "en": "Turn (degrees, anticlockwise)",
        "zh": "旋转（度，逆时针）",
    },
    "robust.dx": {
        "en": "Move right (pixels)",
        "zh": "向右平移（像素）",
    },
    "robust.dy": {
        "en": "Move down (pixels)",
        "zh": "向下平移（像素）",
    },
    "robust.thickness": {
        "en": "Stroke thickness (pixels added on each side; below 0 thinner)",
        "zh": "笔画粗细（每侧增加的像素；小于 0 变细）",
    },
    "robust.blur": {
        "en": "Blur (pixels)",
        "zh": "模糊（像素）",
    },
    "robust.noise": {
        "en": "Noise (strength; ink is 1)",
        "zh": "噪声（强度；笔迹为 1）",
    },
    "robust.seed": {
        "en": "Noise pattern (seed)",
        "zh": "噪声图案（随机种子）",
    },
    "robust.pixels": {
        "en": "What the model sees, changed (28x28)",
        "zh": "模型看到的图像，变化之后（28x28）",
    },
    "robust.bars": {
        "en": "Probabilities for the changed drawing",
        "zh": "变化后的数字的各类概率",
    },
    "robust.empty": {
        "en": "Draw a digit in the Draw tab, then change it here",
        "zh": "先在“手写”页写一个数字，再到这里改变它",
    },
    "robust.range": {
        "en": "{what}: {value} is not a number from {lo:g} to {hi:g}",
        "zh": "{what}：{value} 不是 {lo:g} 到 {hi:g} 之间的数",
    },
    "robust.bad": {
        "en": "That change cannot be made: {error}. Move the slider back into its range.",
        "zh": "无法进行这个变化：{error}。请把滑块移回它的范围内。",
    },
    # The map.
    "map.intro": {
        "en": (
            "### The map\nEach dot is one of 2,000 MNIST test digits, placed by what the "
            "model's last hidden layer makes of it (its two main directions, by PCA), coloured by "
            "the true digit. Before training the colours are mixed; after, each digit has its "
            "own cluster. The black dot is your drawing: change it above and watch it move."
        ),
        "zh": (
            "### 地图\n每个点是 2,000 张 MNIST 测试数字中的一张，位置由模型最后一个隐藏层对它的"
            "表示决定（用 PCA 取两个主要方向），颜色是它真正的数字。训练之前各种颜色混在一起；"
            "训练之后，每个数字聚成自己的一团。黑点是你写的数字：在上面改变它，看它怎样移动。"
        ),
    },
    "map.button": {
        "en": "Draw the map",
        "zh": "绘制地图",
    },
    "map.idle": {
        "en": "Press **Draw the map** (a few seconds the first time for each model).",
        "zh": "请按 **绘制地图**（每个模型第一次需要几秒钟）。",
    },
    "map.press": {
        "en": "Press **Draw the map** to map {model}.",
        "zh": "请按 **绘制地图**，为 {model} 画出地图。",
    },
    "map.progress": {
        "en": "Mapping 2,000 test digits with {model}",
        "zh": "正在用 {model} 为 2,000 张测试数字绘制地图",
    },
    "map.before": {
        "en": "Before training: the same model, freshly initialised",
        "zh": "训练之前：同一个模型，刚刚初始化",
    },
    "map.after": {
        "en": "After training",
        "zh": "训练之后",
    },
    "map.empty": {
        "en": "The map of **{model}**. Draw a digit in the Draw tab to see where it lands.",
        "zh": "**{model}** 的地图。在“手写”页写一个数字，看看它落在哪里。",
    },
    "map.line": {
        "en": (
            "On the map of **{model}**, your drawing (black dot) lands among the **{digit}s**: "
            "its 10 nearest dots are {after}. Before training they were {before}."
        ),
        "zh": (
            "在 **{model}** 的地图上，你写的数字（黑点）落在 **{digit}** 之间："
            "离它最近的 10 个点是 {after}。训练之前是 {before}。"
        ),
    },
    "map.count": {
        "en": "{count}× {digit}",
        "zh": "{count} 个 {digit}",
    },
    "map.no_data": {
        "en": "The map needs the MNIST test set: {error}",
        "zh": "绘制地图需要 MNIST 测试集：{error}",
    },
    # Robustness curves.
    "curves.intro": {
        "en": (
            "### Robustness curves\nTwo models read the same 1,000 MNIST test digits, turned, "
            "with thinner or thicker strokes, with noise, and moved: accuracy against how much."
        ),
        "zh": (
            "### 稳健性曲线\n两个模型读同样的 1,000 张 MNIST 测试数字，它们被旋转、笔画变细"
            "或变粗、加上噪声、平移：准确率随变化程度的曲线。"
        ),
    },
    "curves.model_a": {
        "en": "Model A",
        "zh": "模型 A",
    },
    "curves.model_b": {
        "en": "Model B",
        "zh": "模型 B",
    },
    "curves.button": {
        "en": "Compute the curves",
        "zh": "计算曲线",
    },
    "curves.idle": {
        "en": "Press **Compute the curves** (up to 10 s a model the first time).",
        "zh": "请按 **计算曲线**（每个模型第一次最多约 10 秒）。",
    },
    "curves.progress": {
        "en": "Model {which}: {model}",
        "zh": "模型 {which}：{model}",
    },
    "curves.rotation": {
        "en": "Accuracy against rotation",
        "zh": "准确率与旋转角度",
    },
    "curves.thickness": {
        "en": "Accuracy against stroke thickness",
        "zh": "准确率与笔画粗细",
    },
    "curves.noise": {
        "en": "Accuracy against noise",
        "zh": "准确率与噪声",
    },
    "curves.shift": {
        "en": "Accuracy against shift",
        "zh": "准确率与平移",
    },
    "curves.moved": {
        "en": "pixels moved right",
        "zh": "向右平移的像素",
    },
    "curves.angle": {
        "en": "rotation (degrees)",
        "zh": "旋转角度（度）",
    },
    "curves.pixels": {
        "en": "pixels added on each side",
        "zh": "每侧增加的像素",
    },
    "curves.sigma": {
        "en": "noise strength",
        "zh": "噪声强度",
    },
    "curves.accuracy": {
        "en": "accuracy",
        "zh": "准确率",
    },
    "curves.model": {
        "en": "model",
        "zh": "模型",
    },
    "curves.summary": {
        "en": (
            "**A** = {a}, **B** = {b}, on the same {n:,} test digits. Upright: A {a0:.1%}, "
            "B {b0:.1%}. Turned 30°: A {a30:.1%}, B {b30:.1%}. Strokes 1 px thinner: "
            "A {athin:.1%}, B {bthin:.1%}. Noise 0.3: A {anoise:.1%}, B {bnoise:.1%}. Moved "
            "6 px: A {ashift:.1%}, B {bshift:.1%}."
        ),
        "zh": (
            "**A** = {a}，**B** = {b}，用同样的 {n:,} 张测试数字。不变：A {a0:.1%}，"
            "B {b0:.1%}。旋转 30°：A {a30:.1%}，B {b30:.1%}。笔画细 1 像素："
            "A {athin:.1%}，B {bthin:.1%}。噪声 0.3：A {anoise:.1%}，B {bnoise:.1%}。"
            "平移 6 像素：A {ashift:.1%}，B {bshift:.1%}。"
        ),
    },
    "curves.no_data": {
        "en": "The curves need the MNIST test set: {error}",
        "zh": "计算曲线需要 MNIST 测试集：{error}",
    },
}
