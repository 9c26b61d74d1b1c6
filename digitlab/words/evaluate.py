"""The Evaluate tab: accuracy, confusion, mistakes, reliability and the pen digits.

Each key maps a language code to its text (see digitlab/words/__init__.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "eval.summary_label": {
        "en": "What the evaluation found",
        "zh": "评估结果",
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
    # Evaluate tab: which digits a model is judged on.
    "eval.test_set": {
        "en": "Test set",
        "zh": "测试集",
    },
    "eval.test_set_info": {
        "en": (
            "Pen writers 21-30: real digits 10 people wrote on a tablet (UCI pen digits), drawn "
            "with the app's brush. No run of the Train tab trains on them."
        ),
        "zh": "第 21-30 位书写者：10 个人在手写板上写的真实数字（UCI 笔写数字），用本应用的画笔"
        "画出。“训练”页的训练都不会用到它们。",
    },
    "eval.test_set.mnist": {
        "en": "MNIST test (10,000)",
        "zh": "MNIST 测试集（10,000 个）",
    },
    "eval.test_set.pen": {
        "en": "Held-out pen writers 21-30 (~2,500 digits by 10 people)",
        "zh": "留出的笔写者 21-30（10 个人写的约 2,500 个数字）",
    },
    "eval.button_pen": {
        "en": "Evaluate on the held-out pen writers",
        "zh": "在留出的笔写者的数字上评估",
    },
    "eval.summary_pen": {
        "en": (
            "**{model}**: accuracy **{accuracy:.2%}** on {total:,} digits written by 10 people "
            "(pen writers 21-30; {wrong} wrong). {trained} Mistakes below: most confident first."
        ),
        "zh": (
            "**{model}**：在 10 个人写的 {total:,} 个数字上（笔写者 21-30）准确率为 "
            "**{accuracy:.2%}**（认错 {wrong} 个）。{trained}下面是认错的数字，最有把握的错误"
            "排在前面。"
        ),
    },
    "eval.trained_mnist": {
        "en": "It trained on MNIST only.",
        "zh": "它只用 MNIST 训练过。",
    },
    "eval.trained_pen": {
        "en": "It trained on MNIST and the pen digits of writers {writers}.",
        "zh": "它用 MNIST 和第 {writers} 位书写者的笔写数字训练过。",
    },
    "eval.saw_writers": {
        "en": (
            "⚠️ This model saw these writers in training (writers {writers}): not a measure of "
            "unseen handwriting."
        ),
        "zh": (
            "⚠️ 这个模型训练时见过这些书写者（第 {writers} 位）：这不能衡量它对没见过的笔迹的表现。"
        ),
    },
    "eval.per_writer": {
        "en": "Per writer: {rates}.",
        "zh": "每位书写者：{rates}。",
    },
}
