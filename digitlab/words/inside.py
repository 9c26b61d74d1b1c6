"""The Inside tab: the preprocessing strip, saliency, weights and feature maps.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
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
}
