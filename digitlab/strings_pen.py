"""The texts of the pen digits (data from more people: the Train tab's training data, the
Evaluate tab's held-out writers, the data set's credit), in English and Simplified Chinese, in
the format of digitlab/strings.py (which merges them into STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {
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
    "field.train_data": {
        "en": "training data",
        "zh": "训练数据",
    },
    "status.drawing_pen": {
        "en": "Drawing the pen digits of writers 1-20 (the first time only: about 10 s)…",
        "zh": "正在画出第 1-20 位书写者的笔写数字（仅第一次需要，约 10 秒）…",
    },
    "msg.export_pen": {
        "en": (
            "This run trained on the pen digits too, which a standalone script cannot carry: "
            "export a run trained on MNIST only."
        ),
        "zh": "这次训练还用了笔写数字，独立脚本无法包含它们：请导出一次仅用 MNIST 训练的结果。",
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
